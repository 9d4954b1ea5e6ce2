"""A transaction's audit events are chained at its COMMIT (peaceops.core.backends): the chain's head is locked only
for that instant, not for the rest of the writer's transaction; a rollback, whole or to a savepoint, takes the
events with it; a failure to write them fails the COMMIT, and the change they describe does not commit either."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from peaceops.core import audit
from peaceops.core.models import AuditEvent, AuditHead, Person

pytestmark = pytest.mark.django_db(transaction=True)


def _ids_since(before: int) -> list[str]:
    return list(AuditEvent.objects.filter(id__gt=before, model="core.Person", action="read")
                .order_by("id").values_list("object_id", flat=True))


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _read(n) -> AuditEvent:
    return audit.append("read", "core.Person", n, "", {"purpose": "test"}, actor="tester")


def test_events_wait_for_the_commit_and_are_chained_there(live_world):
    before, head = _last_id(), AuditHead.objects.get(pk=1).last_hash
    with transaction.atomic():
        first, second = _read(1), _read(2)
        assert first.pk is None and AuditHead.objects.get(pk=1).last_hash == head  # nothing written yet
    assert _ids_since(before) == ["1", "2"]
    assert (first.prev_hash, second.prev_hash) == (head, first.hash)
    assert AuditHead.objects.get(pk=1).last_hash == second.hash
    assert audit.verify().intact


def test_a_rolled_back_transaction_leaves_no_event(live_world):
    before = _last_id()
    with pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.create(sex="M", birth_year=1980)  # its save queues a create event
        _read(1)
        raise RuntimeError("the write failed after its events")
    assert _last_id() == before
    _read(2)
    assert _ids_since(before) == ["2"] and audit.verify().intact


def test_a_savepoint_rolled_back_drops_only_its_own_events(live_world):
    before = _last_id()
    with transaction.atomic():
        _read(1)
        with pytest.raises(RuntimeError), transaction.atomic():
            _read(2)
            with transaction.atomic(savepoint=False):
                _read(3)
            raise RuntimeError("the inner step failed")
        with transaction.atomic():
            _read(4)
    assert _ids_since(before) == ["1", "4"]
    assert audit.verify().intact


@pytest.mark.parametrize("failure", [DatabaseError("the insert failed"), RuntimeError("a bug")],
                         ids=["database-error", "other-error"])
def test_a_failed_write_of_the_events_fails_the_commit_and_the_change(live_world, monkeypatch, failure):
    before, people = _last_id(), Person.objects.count()

    def failing(using, events):
        raise failure

    monkeypatch.setattr(audit, "write_events", failing)
    with pytest.raises(DatabaseError), transaction.atomic():
        Person.objects.create(sex="F", birth_year=1990)
    monkeypatch.undo()
    assert Person.objects.count() == people and _last_id() == before
    _read(1)  # the connection is usable again and the chain goes on
    assert audit.verify().intact


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the in-memory SQLite test database is shared-cache: a "
                    "second writer fails at once instead of waiting; and SQLite serialises writers at BEGIN anyway")
def test_another_writer_appends_while_a_transaction_that_appended_is_still_open(live_world):
    """Before events were queued to the COMMIT, the first transaction held the head row from its append to its end,
    and the second writer waited for it: here the second commits while the first is still open, and the chain holds
    both in commit order."""
    from django.db import connections

    before = _last_id()
    appended, second_done, errors = threading.Event(), threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                _read("first")
                Person.objects.create(sex="M", birth_year=1970)  # the rest of the writer's transaction
                appended.set()
                second_done.wait(timeout=5)  # on the old path: the second is blocked until this commits
                errors.extend([] if second_done.is_set() else ["the second writer waited for the first"])
        except Exception as exc:  # noqa: BLE001  (any failure is the finding)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def second():
        try:
            appended.wait(timeout=5)
            with transaction.atomic():
                _read("second")
            second_done.set()
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert _ids_since(before) == ["second", "first"]  # chained in commit order
    assert audit.verify().intact
