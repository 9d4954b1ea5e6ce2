"""The second factor: roles in PEACEOPS_2FA_ROLES confirm a one-time code (TOTP, RFC 6238) after their password.

django-otp keeps the devices and marks a session verified; this module decides who needs it and sends them to
enrol (first time) or to enter a code before any other page. Token requests to the API ask for the code too."""

from __future__ import annotations

import base64
import math
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from peaceops.core.roles import roles_of

# Reachable before the code: signing in and out, the code pages themselves, static files, the language switch.
# Not the password change: a stolen password alone must not be able to change it and end the owner's sessions.
OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/code/", "/accounts/authenticator/",
                 "/static/", "/i18n/")


def required_for(user) -> bool:
    return bool(roles_of(user) & settings.PEACEOPS_2FA_ROLES)


def pending(user) -> bool:
    """Signed in with a password but still owing the one-time code: no page but the code pages is theirs yet."""
    return user.is_authenticated and required_for(user) and not user.is_verified()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled: one unconfirmed device per user, kept across page reloads so the QR
    code a user scanned stays valid until confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("authenticator app"), confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def check(device: TOTPDevice, code: str) -> str | None:
    """None when the code is right; else why not, in the user's words (throttled after wrong codes)."""
    allowed, info = device.verify_is_allowed()
    if not allowed:  # django-otp doubles the wait after each wrong code (1, 2, 4 … seconds)
        wait = math.ceil((info["locked_until"] - timezone.now()).total_seconds()) if "locked_until" in info else 60
        return ngettext("Too many wrong codes: wait %(n)d second, then enter the current code.",
                        "Too many wrong codes: wait %(n)d seconds, then enter the current code.", wait) % {"n": wait}
    if not device.verify_token("".join(code.split())):
        return _("That code is not right. Enter the six digits your authenticator app shows now.")
    return None


class SecondFactorMiddleware:
    """After OTPMiddleware: a signed-in user of a 2FA role without a verified session sees only the code pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if pending(user) and not request.path.startswith(OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("This account needs its one-time code: sign in again with it.")},
                                    status=403)
            step = "otp_verify" if confirmed_device(user) else "otp_enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
