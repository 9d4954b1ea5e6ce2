"""Log-in attempts spread over many user names from one address are stopped; a real user elsewhere is not."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ATTACKER, OFFICE = "203.0.113.9", "198.51.100.20"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 8
    settings.PEACEOPS_LOGIN_ADDRESS_LIMIT = 30
    yield
    AccessAttempt.objects.all().delete()


def _web_login(username: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def test_spraying_user_names_from_one_address_locks_that_address_only(axes_on):
    for n in range(30):
        response = _web_login(f"guess{n}", "Winter2020!", ATTACKER)
        assert response.status_code == 200  # wrong, not yet locked: each name was tried once
    locked = _web_login("analyst", "peaceops-demo", ATTACKER)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert _web_login("analyst", "peaceops-demo", OFFICE).status_code == 302  # the real user, elsewhere


def test_guessing_one_user_name_locks_it_at_that_address_but_not_elsewhere(axes_on):
    for _ in range(8):
        _web_login("coordinator", "wrong-guess", ATTACKER)
    assert _web_login("coordinator", "peaceops-demo", ATTACKER).status_code == 429
    assert _web_login("coordinator", "peaceops-demo", OFFICE).status_code == 302


def test_the_token_endpoint_is_locked_the_same_way(axes_on):
    for n in range(30):
        APIClient(REMOTE_ADDR=ATTACKER).post("/api/auth/token/", {"username": f"guess{n}", "password": "x"},
                                             format="json")
    refused = APIClient(REMOTE_ADDR=ATTACKER).post("/api/auth/token/", {"username": "analyst",
                                                                        "password": "peaceops-demo"}, format="json")
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.json()["detail"]
    fine = APIClient(REMOTE_ADDR=OFFICE).post("/api/auth/token/", {"username": "analyst",
                                                                   "password": "peaceops-demo"}, format="json")
    assert fine.status_code == 200
