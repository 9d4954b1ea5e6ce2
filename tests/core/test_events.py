"""The event hook: sent after commit only, unknown kinds refused, a failing listener breaks nothing."""

import pytest
from django.db import transaction

from peaceops.core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kind(monkeypatch):
    monkeypatch.setattr(events, "event_kinds", lambda: {"test.happened": "a test event"})
    return "test.happened"


@pytest.fixture
def heard():
    received = []

    def listener(sender, subject, facts, **kwargs):
        received.append((sender, subject, facts))

    events.happened.connect(listener, dispatch_uid="test-listener")
    yield received
    events.happened.disconnect(dispatch_uid="test-listener")


def test_an_event_is_heard_after_its_transaction_commits(kind, heard):
    with transaction.atomic():
        events.announce(kind, None, count=3)
        assert heard == []
    assert heard == [(kind, None, {"count": 3})]


def test_a_rolled_back_write_announces_nothing(kind, heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.announce(kind, None)
        raise RuntimeError("the write failed")
    assert heard == []


def test_an_unknown_kind_is_refused(kind):
    with pytest.raises(ValueError, match="unknown event kind"):
        events.announce("test.nothing", None)


def test_a_failing_listener_does_not_break_the_announcer(kind, heard):
    def broken(sender, **kwargs):
        raise RuntimeError("listener down")

    events.happened.connect(broken, dispatch_uid="broken")
    try:
        events.announce(kind, None)
    finally:
        events.happened.disconnect(dispatch_uid="broken")
    assert heard == [(kind, None, {})]
