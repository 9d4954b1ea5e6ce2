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
