"""Shared fixtures: the core reference world loaded once per session, and one persona per role.

Tests that need a live server (browser tests) run in a separate pytest invocation (`-m browser`) because a
transactional test empties the database after it runs; they rebuild the world through `live_world`.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from peaceops.core import mission, twofactor
from peaceops.core.roles import ROLES
from peaceops.scenario import world as scenario

# Property tests assert behaviour, not speed: on a shared 2-core machine one slow draw (a GC pause, another
# process) failed Hypothesis' timing checks while every example passed.
hypothesis_settings.register_profile("peaceops", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("peaceops")


def pytest_configure(config):
    # Hashing with PBKDF2 costs ~0.3 s a user; tests do not need the real cost. Lock-out is tested explicitly.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    # One process holds every test: nothing else changes the mission behind its cache.
    mission.RECHECK_SECONDS = float("inf")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        scenario.load_core()
        mission.current()  # cached from here on, as in a running process


@pytest.fixture(autouse=True)
def _not_a_batch_process():
    """A test that runs `peaceops intake run` lowers the test process's priority for good (an unprivileged process
    cannot raise it again) and marks it a batch process, which paces imports on a busy machine: every test starts
    unpaced, as the web server's threads are."""
    from peaceops.core import priority

    priority._batch = False
    yield
    priority._batch = False


@pytest.fixture(autouse=True)
def _interface_language():
    """Every test starts in the default language. LocaleMiddleware activates a request's language in the thread
    and nothing switches it back, so one test's Russian page would otherwise turn the next test's messages Russian."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


@pytest.fixture(autouse=True)
def _mission_cache(request):
    """The active mission is cached per process (tests never re-read it on a timer: a query-counting test would
    see that read); a test that saved a mission is rolled back, so its cached copy is forgotten after it. A test
    without a database reads the installation's settings, whatever ran before it."""
    if not (request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)):
        with mission.settings_only():
            yield
        return
    before = mission.saves()
    yield
    if mission.saves() != before:
        mission.invalidate()


@pytest.fixture
def world(db):
    """The places, parties, sources and accounts of the core world, looked up by key."""
    from peaceops.core.models import Party, Place, Source
    from peaceops.scenario import gazetteer_data as data

    places = {key: Place.objects.get(name=spec[0]) for key, spec in data.ALL_PLACES.items()}
    return {
        "places": places,
        "parties": {p.code: p for p in Party.objects.all()},
        "sources": {s.kind if s.kind != "party_statement" else s.party.code: s for s in Source.objects.all()},
    }


@pytest.fixture
def users(db):
    from django.contrib.auth.models import User

    from peaceops.scenario.world import EXTRA_DEMO_USERS

    # One persona per role, and "coordinator2": the second coordinator the sitrep's four eyes need.
    return {user.username: user for user in User.objects.filter(username__in=[*ROLES, *EXTRA_DEMO_USERS])}


@pytest.fixture
def client_for(users):
    """client_for("analyst") → a Django test client logged in as the analyst persona."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        if twofactor.required_for(users[role]):  # as if the persona had entered its one-time code
            device = twofactor.confirmed_device(users[role]) or TOTPDevice.objects.create(
                user=users[role], name="test authenticator", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return make


@pytest.fixture
def api_for(users):
    """api_for("analyst") → a DRF client authenticated with a fresh token of the analyst persona."""
    from peaceops.api import tokens

    issued: dict[str, str] = {}  # one token per persona and test: a new one would revoke the earlier

    def make(role: str) -> APIClient:
        client = APIClient()
        if role not in issued:
            issued[role] = tokens.issue(users[role])[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {issued[role]}")
        return client

    return make


@pytest.fixture
def live_world(transactional_db):
    """For live-server tests: the core world rebuilt inside the transactional database."""
    # The session's world is there for the first transactional test; later ones find it flushed away.
    if not scenario.is_loaded():
        scenario.load_core()
