"""Enrolling an authenticator app and entering its one-time code (see peaceops.core.twofactor)."""

from __future__ import annotations

import io

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from peaceops.core import audit, credentials, twofactor
from peaceops.core.models.audit import AuditAction


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return target if safe else "/dashboard/"


def _qr_svg(url: str) -> str:
    out = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    return out.getvalue().decode()


@login_required
def verify(request):
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('otp_enrol')}?{request.GET.urlencode()}")
    error = None
    if request.method == "POST":
        error = twofactor.check(device, request.POST.get("code", ""))
        if error is None:
            request.session.cycle_key()  # a session id seen before the code must not carry the verified session
            django_otp.login(request, device)
            audit.append(AuditAction.LOGIN, "otp_totp.TOTPDevice", device.pk, "second factor confirmed",
                         actor=request.user.get_username())
            return redirect(_next(request))
        audit.append(AuditAction.LOGIN, "otp_totp.TOTPDevice", device.pk, "wrong one-time code",
                     actor=request.user.get_username())
    return render(request, "registration/otp_verify.html", {"error": error, "next": _next(request)})


@login_required
def enrol(request):
    if twofactor.confirmed_device(request.user) is not None:
        return redirect(f"{reverse('otp_verify')}?{request.GET.urlencode()}")
    device = twofactor.pending_device(request.user)
    error = None
    if request.method == "POST":
        error = twofactor.check(device, request.POST.get("code", ""))
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # Tokens and sessions opened with the password alone end; this one continues under a new id.
            credentials.revoke(request.user, "second factor enrolled", keep=request)
            django_otp.login(request, device)
            audit.append(AuditAction.CREATE, "otp_totp.TOTPDevice", device.pk, "authenticator enrolled",
                         actor=request.user.get_username())
            return redirect(_next(request))
    return render(request, "registration/otp_enrol.html", {
        "error": error, "next": _next(request), "key": twofactor.manual_key(device),
        # The QR code is drawn here from our own data: an SVG of paths, no user input in it.
        "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
    })
