"""Extra accounts for the access tests: a second administrator, and accounts without any role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from peaceops.core.rolegrants import sanctioned


def make_account(username: str, *roles: str) -> User:
    user = User.objects.create_user(username, password="peaceops-demo", is_staff="admin" in roles)
    with sanctioned():  # as the operator's `peaceops roles grant` would
        user.groups.add(*[Group.objects.get(name=role) for role in roles])
    return user


def signed_in(user: User) -> Client:
    """A web client past the password and (for second-factor roles) the one-time code."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def second_admin(db):
    return make_account("admin2", "admin")


@pytest.fixture
def newcomer(db):
    return make_account("newcomer")
