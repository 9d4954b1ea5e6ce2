"""Ending what an account signed in with when its credentials change.

A changed password, a second factor enrolled or reset, and a role granted or taken all revoke the account's
API tokens and end its other sessions: a token issued before the second factor (or before a role that needs
one) must not outlive it, and neither must a session opened with an old password. The session that made the
change may be kept (`keep=request`): the user just proved who they are in it.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.http import JsonResponse
from django.utils.translation import gettext as _

from peaceops.core import audit, record_state
from peaceops.core.models import CredentialsEpoch
from peaceops.core.models.audit import AuditAction

SESSION_KEY = "peaceops_credentials_epoch"
# The request being served, so a change made by the account itself (its own password, in any form or the admin
# site) keeps the session it was made in.
_request: contextvars.ContextVar = contextvars.ContextVar("peaceops_credentials_request", default=None)


def current_epoch(user) -> int:
    return CredentialsEpoch.objects.filter(user_id=user.pk).values_list("epoch", flat=True).first() or 0


def note_password_setter(user, actor: str) -> None:
    """Remember who set `user`'s password: an administrator who set it knows it (see rolegrants.approve)."""
    CredentialsEpoch.objects.update_or_create(user=user, defaults={"password_set_by": actor[:150]})


def password_set_by_someone_else(user) -> str:
    """The user name of another person who set `user`'s password last, or "" (the holder, or the server)."""
    setter = CredentialsEpoch.objects.filter(user_id=user.pk).values_list("password_set_by", flat=True).first()
    if not setter or setter == user.get_username() or setter.startswith("system:"):
        return ""
    return setter


def stamp(request, user=None) -> None:
    """Mark this session as signed in under the account's current credentials."""
    user = user or getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        request.session[SESSION_KEY] = current_epoch(user)


# Apps that hand out credentials of their own (the API's tokens) revoke them on this signal and return how many;
# the core never imports them.
revoking = Signal()


@transaction.atomic
def revoke(user, reason: str, keep=None) -> int:
    """Revoke `user`'s API tokens and end their sessions (all but `keep`'s, a request, by default the request
    being served when its user is `user`). Returns how many tokens were revoked."""
    keep = keep or _request.get()
    # Receivers answer with anything (django-stubs says str | None): count the ints.
    responses: list[tuple[Any, Any]] = revoking.send(sender=None, user=user)
    tokens = sum(count for _receiver, count in responses if isinstance(count, int))
    epoch, _created = CredentialsEpoch.objects.get_or_create(user=user)
    CredentialsEpoch.objects.filter(pk=epoch.pk).update(epoch=F("epoch") + 1, reason=reason[:100])
    # An F() update sends no signal: record the new state so `audit verify --records` knows it is ours.
    record_state.record_bulk_update(CredentialsEpoch, [epoch.pk], f"epoch raised for {user.pk}")
    audit.append(AuditAction.UPDATE, "auth.User", user.pk, f"sessions and API tokens of {user.get_username()} "
                 f"revoked: {reason}", {"reason": reason, "tokens": tokens})
    if keep is not None and getattr(keep, "user", None) is not None and keep.user.pk == user.pk:
        keep.session.cycle_key()  # the kept session gets a new id as well
        stamp(keep)
    return tokens


class CredentialsEpochMiddleware:
    """After authentication: a session stamped under an earlier epoch is signed out (web) or refused (API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            stamped = request.session.get(SESSION_KEY, 0)
            if stamped != current_epoch(user):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Your sign-in has ended because the account's password, "
                                                     "second factor or roles changed. Sign in again.")},
                                        status=403)
                return redirect_to_login(request.get_full_path())
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
