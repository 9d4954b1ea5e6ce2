"""Log-in lock-outs that also stop spraying: many user names tried from one address.

django-axes locks a user name at one address after AXES_FAILURE_LIMIT failures. This handler also locks an
address after PEACEOPS_LOGIN_ADDRESS_LIMIT failures summed over every user name tried from it. Nothing locks a
user name alone, so an attacker can lock out only their own address, never a real user signing in from
elsewhere. The limit per address is higher than per name: one office behind one address shares it.
"""

from __future__ import annotations

import datetime as dt

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from peaceops.core.registry import collect


def address_failures(ip_address: str) -> int:
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = (AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
             .aggregate(n=Sum("failures_since_start"))["n"])
    return total or 0


class AddressLockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        return bool(ip_address) and address_failures(ip_address) >= settings.PEACEOPS_LOGIN_ADDRESS_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        # Axes flags a lock-out from the per-name count only; flag the address's too, so the middleware answers
        # with the lock-out page rather than a plain "wrong password".
        if request is not None and not getattr(request, "axes_locked_out", False):
            ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
            if ip_address and address_failures(ip_address) > settings.PEACEOPS_LOGIN_ADDRESS_LIMIT:
                request.axes_locked_out = True


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out attempt gets: JSON for the API, the lock-out page for the web (HTTP 429 both)."""
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    # An app that serves clients other than browsers answers them in their own form (`lockout.RESPONSES` of
    # (path prefix, callable(request, message) -> response)): ODK Collect gets an OpenRosa message.
    for prefix, respond in collect("lockout", "RESPONSES"):
        if request.path.startswith(prefix):
            return respond(request, _("Too many failed sign-ins from this address or for this user name; try again "
                                      "in an hour."))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Too many failed sign-ins from this address or for this user name; try "
                                         "again in an hour.")}, status=429)
    return render(request, "axes_lockout.html", status=429)
