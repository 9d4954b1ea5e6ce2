"""The audit log names who signed in and can be filtered (issue 17: login entries named no user; no filters)."""

from __future__ import annotations

import pytest
from django.test import Client

from peaceops.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_sign_in_is_recorded_with_its_account(users):
    user = users["analyst"]
    user.set_password("a long test password")
    user.save()
    assert Client().post("/accounts/login/", {"username": "analyst", "password": "a long test password"}
                         ).status_code == 302
    event = AuditEvent.objects.filter(action="login").order_by("-id").first()
    assert event is not None and event.actor == "analyst" and event.object_id == str(user.pk)


def test_the_log_filters_by_who_action_and_day(client_for, users):
    client = client_for("coordinator")  # signs in: a login event of the coordinator
    client_for("analyst")
    page = client.get("/audit/?actor=analyst&action=login").content.decode()
    assert "<td>analyst</td>" in page and "<td>coordinator</td>" not in page
    assert client.get("/audit/?action=bogus").status_code == 400
    assert client.get("/audit/?from=2020-11-01&to=2020-11-02").status_code == 200


def _password(user) -> str:
    user.set_password("a long test password")
    user.save()
    return "a long test password"


def test_a_refused_sign_in_and_a_sign_out_name_the_account(users):
    """Only successful sign-ins were written: a wrong password and a sign-out left nothing in the chain."""
    user = users["analyst"]
    password = _password(user)
    client = Client()
    assert client.post("/accounts/login/", {"username": "analyst", "password": "wrong"}).status_code == 200
    refused = AuditEvent.objects.filter(action="login").order_by("-id").first()
    assert refused is not None and refused.actor == "analyst" and refused.object_repr == "sign-in refused"
    assert refused.object_id == str(user.pk)
    client.post("/accounts/login/", {"username": "analyst", "password": password})
    client.post("/accounts/logout/")
    out = AuditEvent.objects.filter(action="login").order_by("-id").first()
    assert out.actor == "analyst" and out.object_repr == "signed out" and out.object_id == str(user.pk)


def test_a_refused_sign_in_for_no_such_account_keeps_the_name_tried(db):
    Client().post("/accounts/login/", {"username": "nobody-here", "password": "wrong"})
    event = AuditEvent.objects.filter(action="login").order_by("-id").first()
    assert event.actor == "nobody-here" and event.object_id == "" and event.object_repr == "sign-in refused"


def test_second_factor_steps_name_the_account(users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = users["admin"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    client.post("/accounts/code/", {"code": "not a code"})
    event = AuditEvent.objects.filter(action="login", model="otp_totp.TOTPDevice").order_by("-id").first()
    assert event.actor == "admin" and event.object_repr == "wrong one-time code"


def test_the_api_filters_like_the_page(api_for, client_for):
    client_for("coordinator")
    client_for("analyst")
    api = api_for("coordinator")
    rows = api.get("/api/audit-events/", {"actor": "analyst", "action": "login"}).json()
    rows = rows.get("results", rows)
    assert rows and {row["actor"] for row in rows} == {"analyst"} and {row["action"] for row in rows} == {"login"}
    assert api.get("/api/audit-events/", {"model": "auth.user", "action": "login"}).json()
    assert api.get("/api/audit-events/", {"from": "2020-11-10", "to": "2020-11-11"}).status_code == 200


@pytest.mark.parametrize(("query", "name"), [
    ({"action": "bogus"}, "action"), ({"from": "2020-13-01"}, "from"), ({"to": "yesterday"}, "to"),
    ({"from": "2020-12-01", "to": "2020-11-20"}, "from/to"), ({"object_id": "x" * 65}, "object_id"),
    # PostgreSQL refuses NUL in text: this was a 500 there (schemathesis found it)
    ({"actor": "a\x00b"}, "actor"), ({"model": "core.\x00"}, "model"), ({"object_id": "1\x00"}, "object_id")])
def test_a_bad_filter_is_a_400_naming_it(api_for, client_for, query, name):
    response = api_for("coordinator").get("/api/audit-events/", query)
    assert response.status_code == 400, response.content
    assert name in response.json()
    page = client_for("coordinator").get("/audit/", query)
    assert page.status_code == 400 and name in page.content.decode()
