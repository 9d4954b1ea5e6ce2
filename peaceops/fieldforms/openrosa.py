"""The OpenRosa server ODK Collect and Enketo talk to: https://HOST/openrosa is the "server URL" in Collect.

- GET  formList                     the forms this user's role may submit, with version, md5 hash and URL;
- GET  forms/<form_id>/form.xml     one XForm;
- HEAD submission                   204 with X-OpenRosa-Accept-Content-Length (how much one request may carry);
- POST submission                   multipart: xml_submission_file plus attachments named by their file names.

Authentication is HTTP Basic, as Collect sends it after a 401 challenge, checked against the Django accounts
through django-axes, so failures count towards the same lock-outs as the web sign-in. Basic is refused over plain
HTTP unless PEACEOPS_OPENROSA_ALLOW_HTTP (a closed lab network). Digest is not offered: it needs the password (or
an MD5 of it) on the server, and PeaceOps keeps only PBKDF2 hashes. Roles that sign in with a second factor are
refused with a message: Collect cannot send a one-time code, so those roles enter records on the web.

These views are exempt from CSRF (a phone has no session or cookie; each request carries its credentials).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from functools import wraps
from xml.sax.saxutils import escape

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from peaceops.core import twofactor
from peaceops.core.context import acting_as, current_request_id
from peaceops.fieldforms import services
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.models import Channel

XML = "text/xml; charset=utf-8"
SUBMISSION_FIELD = "xml_submission_file"


def _headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    return response


def message(status: int, text: str, success: bool = False) -> HttpResponse:
    nature = ' nature="submit_success"' if success else ""
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
            f"<message{nature}>{escape(text)}</message></OpenRosaResponse>")
    return _headers(HttpResponse(body, status=status, content_type=XML))


def _challenge(text: str) -> HttpResponse:
    response = message(401, text)
    response["WWW-Authenticate"] = 'Basic realm="PeaceOps", charset="UTF-8"'
    return response


def _credentials(request) -> tuple[str, str] | None:
    scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        username, sep, password = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (username, password) if sep else None


# Collect sends the password with every request, and checking it (PBKDF2, by design slow) cost more than the
# whole submission: 20 phones queued seconds behind it. A password that was right is remembered for a few minutes,
# in this process's memory only, as an HMAC under the secret key, beside the account's password hash: a changed
# password (or a deactivated account) is checked in full again at once. Failures are never remembered.
REMEMBER_SECONDS = 300


def _remembered(username: str, password: str):
    from django.contrib.auth import get_user_model

    key = "openrosa:" + hmac.new(settings.SECRET_KEY.encode(), f"{username}\0{password}".encode(),
                                 hashlib.sha256).hexdigest()
    entry = cache.get(key)
    if entry:
        user = get_user_model().objects.filter(pk=entry[0], is_active=True).first()
        if user is not None and constant_time_compare(user.password, entry[1]):
            return user, key
    return None, key


def openrosa(view):
    """Authenticate as Collect does (Basic, after a challenge), throttled like the web sign-in."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.is_secure() or settings.PEACEOPS_OPENROSA_ALLOW_HTTP or settings.DEBUG):
            return message(403, _("Use https:// in the server URL: passwords are never sent over plain HTTP."))
        credentials = _credentials(request)
        if credentials is None:
            return _challenge(_("Sign in with your PeaceOps user name and password."))
        username, password = credentials
        # A lock-out (this name, or this address) holds even for a password remembered before it began.
        if AxesProxyHandler.is_locked(request, credentials={"username": username}):
            return message(429, _("Too many failed sign-ins from this address or for this user name; try "
                                  "again in an hour."))
        user, key = _remembered(username, password)
        if user is None:
            user = authenticate(request, username=username, password=password)
            if getattr(request, "axes_locked_out", False):
                return message(429, _("Too many failed sign-ins from this address or for this user name; try "
                                      "again in an hour."))
            if user is None or not user.is_active:
                return _challenge(_("Wrong user name or password."))
            cache.set(key, (user.pk, user.password), REMEMBER_SECONDS)
        if twofactor.required_for(user):
            return message(403, _("Your role signs in with a one-time code, which ODK Collect cannot send; enter "
                                  "these records in PeaceOps on the web."))
        request.user = user
        with acting_as(user.get_username(), current_request_id()):
            return view(request, *args, **kwargs)

    return wrapped


@openrosa
def form_list(request):
    wanted = request.GET.get("formID", "")
    items = []
    for form_id, form in forms().items():
        if not form.collect or not services.may_submit(request.user, form) or (wanted and wanted != form_id):
            continue
        built = form.built()
        url = request.build_absolute_uri(reverse("openrosa:form", args=[form_id]))
        items.append(f"<xform><formID>{escape(form_id)}</formID><name>{escape(built.title)}</name>"
                     f"<version>{escape(built.version)}</version><hash>md5:{built.md5}</hash>"
                     f"<downloadUrl>{escape(url)}</downloadUrl></xform>")
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="http://openrosa.org/xforms/xformsList">'
            + "".join(items) + "</xforms>")
    return _headers(HttpResponse(body, content_type=XML))


@openrosa
def form_download(request, form_id: str):
    form = forms().get(form_id)
    if form is None or not form.collect or not services.may_submit(request.user, form):
        raise Http404
    response = HttpResponse(form.built().xform, content_type=XML)
    response["Content-Disposition"] = f'attachment; filename="{form_id}.xml"'
    return _headers(response)


@openrosa
def submission(request):
    if request.method in ("HEAD", "GET"):
        response = _headers(HttpResponse(status=204))
        response["X-OpenRosa-Accept-Content-Length"] = str(settings.PEACEOPS_OPENROSA_MAX_BYTES)
        return response
    if request.method != "POST":
        return message(405, _("Send submissions with POST."))
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.PEACEOPS_OPENROSA_MAX_BYTES:
        return message(413, _("The submission is larger than this server accepts in one request."))
    upload = request.FILES.get(SUBMISSION_FIELD)
    if upload is None:
        return message(400, _("The request has no xml_submission_file part: send the form as ODK Collect does "
                              "(multipart/form-data)."))
    files = [f for name in request.FILES for f in request.FILES.getlist(name) if name != SUBMISSION_FIELD]
    outcome = services.receive(upload.read(), files, user=request.user, channel=Channel.OPENROSA)
    response = message(outcome.status, outcome.message, success=outcome.status in (201, 202))
    if outcome.submission is not None and outcome.status in (201, 202):
        response["Location"] = request.build_absolute_uri(reverse("openrosa:submission"))
    return response
