"""The second factor: exchange officers and administrators confirm a one-time code after their password."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from peaceops.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _code(key: bytes, drift: int = 0) -> str:
    return f"{totp(key, drift=drift):06d}"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # the password step done; the code step not yet
    return client


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_first_sign_in_enrols_an_authenticator_before_any_case_file(users):
    client = _signed_in(users["exchange_officer"])
    response = client.get("/exchanges/cases/detention/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/authenticator/?next=%2Fexchanges%2Fcases%2Fdetention%2F"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "Scan this code" in page
    key_text = re.search(r'<code id="otp-key">([A-Z2-7 ]+)</code>', page).group(1)
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    wrong = client.post("/accounts/authenticator/", {"code": "000000" if _code(key) != "000000" else "111111",
                                                     "next": "/exchanges/cases/detention/"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/exchanges/cases/detention/").status_code == 302  # still not through
    too_soon = client.post("/accounts/authenticator/", {"code": _code(key)}).content.decode()
    assert "Too many wrong codes: wait 1 second" in too_soon  # a wrong code costs a second's wait
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    done = client.post("/accounts/authenticator/", {"code": _code(key), "next": "/exchanges/cases/detention/"})
    assert done.status_code == 302 and done["Location"] == "/exchanges/cases/detention/"
    assert client.get("/exchanges/cases/detention/").status_code == 200
    device = TOTPDevice.objects.get(user=users["exchange_officer"])
    assert device.confirmed and device.bin_key == key
    assert AuditEvent.objects.filter(object_repr="authenticator enrolled", actor="exchange_officer").exists()


def test_later_sign_ins_ask_for_the_current_code_and_throttle_guessing(users):
    device = _enrolled(users["admin"])
    client = _signed_in(users["admin"])
    response = client.get("/dashboard/")
    assert response["Location"].startswith("/accounts/code/?next=")
    bad = client.post("/accounts/code/", {"code": "12345x"}).content.decode()
    assert "That code is not right" in bad
    for _ in range(3):
        client.post("/accounts/code/", {"code": "000001"})
    device.refresh_from_db()
    throttled = client.post("/accounts/code/", {"code": _code(device.bin_key)}).content.decode()
    assert "Too many wrong codes: wait" in throttled  # even the right code waits out the delay
    assert AuditEvent.objects.filter(object_repr="wrong one-time code", actor="admin").count() >= 4
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = client.post("/accounts/code/", {"code": _code(device.bin_key), "next": "https://elsewhere.example/"})
    assert ok["Location"] == "/dashboard/"  # never sent off-site
    assert client.get("/dashboard/").status_code == 200


def test_other_roles_and_a_disabled_setting_need_no_code(users, settings):
    assert _signed_in(users["analyst"]).get("/dashboard/").status_code == 200
    settings.PEACEOPS_2FA_ROLES = frozenset()
    assert _signed_in(users["exchange_officer"]).get("/exchanges/cases/detention/").status_code == 200


def test_api_token_needs_the_code_for_second_factor_roles(users):
    api = APIClient()
    credentials = {"username": "exchange_officer", "password": "peaceops-demo"}
    first = api.post("/api/auth/token/", credentials, format="json")
    assert first.status_code == 400 and "sign in on the web once" in first.json()["detail"]
    device = _enrolled(users["exchange_officer"])
    missing = api.post("/api/auth/token/", credentials, format="json")
    assert missing.status_code == 400 and "send it as otp" in missing.json()["detail"]
    wrong = api.post("/api/auth/token/", {**credentials, "otp": "000000" if _code(device.bin_key) != "000000"
                                          else "111111"}, format="json")
    assert wrong.status_code == 400 and "not right" in wrong.json()["detail"]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = api.post("/api/auth/token/", {**credentials, "otp": _code(device.bin_key)}, format="json")
    assert ok.status_code == 200 and ok.json()["token"]
    analyst = api.post("/api/auth/token/", {"username": "analyst", "password": "peaceops-demo"}, format="json")
    assert analyst.status_code == 200


def test_session_api_calls_before_the_code_get_a_plain_403(users):
    _enrolled(users["exchange_officer"])
    response = _signed_in(users["exchange_officer"]).get("/api/places/")
    assert response.status_code == 403 and "one-time code" in response.json()["detail"]


def test_command_shows_and_resets_a_second_factor(users):
    _enrolled(users["exchange_officer"])
    out = io.StringIO()
    call_command("otp", "status", "exchange_officer", stdout=out)
    assert "required" in out.getvalue() and "authenticator enrolled" in out.getvalue()
    call_command("otp", "reset", "exchange_officer", stdout=out)
    assert not TOTPDevice.objects.filter(user=users["exchange_officer"]).exists()
    assert _signed_in(users["exchange_officer"]).get("/dashboard/")["Location"].startswith("/accounts/authenticator/")
    call_command("otp", "status", "analyst", stdout=out)
    assert "not required" in out.getvalue()


def test_the_code_page_polls_no_counter_and_shows_no_menu(users):
    # Found in Chromium: the alerts counter polled beside the enrolment page; its answer, racing the enrolment
    # that renews the session, signed the officer out right after they entered their first code.
    client = _signed_in(users["exchange_officer"])
    page = client.get("/accounts/authenticator/").content.decode()
    assert "Scan this code" in page
    assert "/alerts/count/" not in page and "/exchanges/" not in page
    enrolled = _signed_in(users["coordinator"]).get("/dashboard/").content.decode()
    assert "/alerts/count/" in enrolled  # the counter itself is there for a signed-in role


def test_a_poll_answered_after_a_credential_change_leaves_the_new_session_signed_in(users):
    from django.conf import settings as django_settings

    from peaceops.core import credentials

    cookie = django_settings.SESSION_COOKIE_NAME
    client = Client()
    client.force_login(users["coordinator"])
    assert client.get("/dashboard/").status_code == 200
    poll = Client(headers={"X-PeaceOps-Poll": "1"})  # the counter's request, sent with the cookie of that moment
    poll.cookies[cookie] = client.cookies[cookie].value
    assert poll.get("/alerts/count/").status_code == 200

    credentials.revoke(users["coordinator"], "password changed")  # the session the poll carries is now ended
    late = poll.get("/alerts/count/")
    assert late.status_code == 204 and cookie not in late.cookies  # nothing swapped in, no cookie replaced
    plain = Client()
    plain.cookies[cookie] = client.cookies[cookie].value
    ended = plain.get("/dashboard/")  # a page the user opens with that session is still signed out
    assert ended.status_code == 302 and "/accounts/login/" in ended["Location"] and cookie in ended.cookies
