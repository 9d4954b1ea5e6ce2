"""Changed credentials end what was signed in with the old ones: tokens, other sessions; the code step rotates
the session id."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from peaceops.api import tokens
from tests.access.conftest import make_account, signed_in

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


def _code(device) -> str:
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    return f"{totp(device.bin_key):06d}"


def test_a_password_change_ends_tokens_and_other_sessions_but_not_this_one(users):
    analyst = users["analyst"]
    api, elsewhere, here = _api(analyst), signed_in(analyst), signed_in(analyst)
    assert api.get("/api/places/").status_code == 200
    response = here.post("/accounts/password/", {"old_password": "peaceops-demo", "new_password1": "new-Pass-2020!",
                                                 "new_password2": "new-Pass-2020!"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert api.get("/api/places/").status_code == 401
    assert elsewhere.get("/dashboard/").status_code == 302  # back to the sign-in page
    assert here.get("/dashboard/").status_code == 200


def test_a_password_set_anywhere_revokes_tokens(users):
    api = _api(users["monitor"])
    users["monitor"].set_password("set-by-script-2020")
    users["monitor"].save()
    assert api.get("/api/places/").status_code == 401


def test_the_password_page_needs_the_second_factor(users):
    TOTPDevice.objects.create(user=users["exchange_officer"], name="phone", confirmed=True)
    client = Client()
    client.force_login(users["exchange_officer"])  # the password only
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/code/")


def test_enrolling_the_second_factor_ends_tokens_and_sessions_opened_without_it(users, settings):
    settings.PEACEOPS_2FA_ROLES = frozenset()
    officer = users["exchange_officer"]
    api = _api(officer)  # issued while the second factor was off
    other = Client()
    other.force_login(officer)
    assert api.get("/api/exchanges/detention-cases/").status_code == 200
    settings.PEACEOPS_2FA_ROLES = frozenset({"exchange_officer"})
    client = Client()
    client.force_login(officer)
    client.get("/accounts/authenticator/")
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    before = client.session.session_key
    done = client.post("/accounts/authenticator/", {"code": _code(device), "next": "/dashboard/"})
    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    assert client.session.session_key != before
    assert client.get("/dashboard/").status_code == 200
    assert api.get("/api/exchanges/detention-cases/").status_code == 401
    assert other.get("/dashboard/").status_code == 302


def test_the_one_time_code_step_rotates_the_session_id(users):
    device = TOTPDevice.objects.create(user=users["admin"], name="phone", confirmed=True)
    client = Client()
    client.force_login(users["admin"])
    before = client.session.session_key
    response = client.post("/accounts/code/", {"code": _code(device), "next": "/dashboard/"})
    assert response.status_code == 302
    assert client.session.session_key != before
    stale = Client()
    stale.cookies["sessionid"] = before  # whoever saw the pre-code session id
    assert stale.get("/dashboard/").status_code == 302


def test_resetting_the_second_factor_ends_tokens_and_sessions(users):
    officer = users["exchange_officer"]
    session = signed_in(officer)
    api = _api(officer)
    assert api.get("/api/exchanges/detention-cases/").status_code == 200
    out = io.StringIO()
    call_command("otp", "reset", "exchange_officer", stdout=out)
    assert "revoked" in out.getvalue()
    assert api.get("/api/exchanges/detention-cases/").status_code == 401
    assert session.get("/dashboard/").status_code == 302


def test_a_role_change_ends_tokens_and_sessions(users, client_for):
    person = make_account("rotating", "monitor")
    api, session = _api(person), signed_in(person)
    assert session.get("/dashboard/").status_code == 200
    client_for("admin").post("/access/", {"user": "rotating", "kind": "revoke", "role": "monitor",
                                          "reason": "Rotated out"})
    assert api.get("/api/places/").status_code == 401
    assert session.get("/dashboard/").status_code == 302


def test_an_administrator_changing_their_own_password_in_the_admin_site_stays_signed_in(users):
    admin_user = users["admin"]
    here, elsewhere = signed_in(admin_user), signed_in(admin_user)
    response = here.post("/admin/password_change/", {"old_password": "peaceops-demo",
                                                     "new_password1": "admin-New-2020!",
                                                     "new_password2": "admin-New-2020!"})
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
