"""API tokens: issued once in plain text, stored only as a digest (django-rest-knox), revoked with credentials.

Nobody — not an administrator, not a database reader — can recover a live token from what is stored; a token
that was seen once and lost must be revoked and issued again."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from knox.models import AuthToken

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction


def issue(user) -> tuple[AuthToken, str]:
    """A new token for `user`; earlier ones are revoked. The plain token exists only in the return value."""
    AuthToken.objects.filter(user=user).delete()
    token, plain = AuthToken.objects.create(user=user, expiry=timedelta(hours=settings.API_TOKEN_TTL_HOURS))
    audit.append(AuditAction.LOGIN, "knox.AuthToken", user.pk, "API token issued",
                 {"user": user.get_username(), "expires": token.expiry.isoformat()}, actor=user.get_username())
    return token, plain


def revoke_all(user) -> int:
    """Delete every API token of `user` (a changed password, second factor or role); returns how many."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    return count


def revoke_on_signal(sender, user, **kwargs) -> int:
    """peaceops.core.credentials.revoking: the core revokes a user's credentials without importing the API."""
    return revoke_all(user)
