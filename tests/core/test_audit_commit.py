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


def _event(**detail) -> AuditEvent:
    import datetime as dt

    return AuditEvent(timestamp=dt.datetime(2020, 11, 21, 9, 30, 15, 123456, tzinfo=dt.UTC),
                      actor="Արամ \"the\" monitor", action="read", model="core.Person", object_id="42",
                      object_repr="Ստեփանակերտ \\ back", detail=detail, request_id="r-1")


def test_the_hash_is_the_chain_s_canonical_text_split_around_the_predecessor():
    """The database chains events from the text either side of the predecessor's hash: joined, it is exactly the
    canonical JSON every event of the chain was hashed from (the formula `verify` has always used)."""
    import hashlib
    import json

    event = _event(ids=[3, 1], purpose="api list", nested={"z": "ü", "a": None, "q": 'say "hi"\n'})
    prev = "ab" * 32
    payload = {"prev": prev, "timestamp": event.timestamp.isoformat(), "actor": event.actor, "action": event.action,
               "model": event.model, "object_id": event.object_id, "object_repr": event.object_repr,
               "detail": event.detail, "request_id": event.request_id}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    before, after = audit._around_prev(event)
    assert before + prev + after == canonical
    assert audit._digest(prev, event) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-message COMMIT is PostgreSQL's")


@postgres_only
def test_postgresql_chains_writes_and_commits_the_events_in_one_message(live_world, monkeypatch):
    """The head row is locked, moved, the events inserted and the transaction committed by one message the database
    runs on its own: no round trip to this process (which may wait for a CPU and the GIL) while the head is held.
    The hashes the database computed are the ones `verify` recomputes, non-ASCII and quotes included."""
    import psycopg

    sent = []
    execute = psycopg.ClientCursor.execute

    def recording(self, query, params=None, **kwargs):
        sent.append(query.as_string(self) if hasattr(query, "as_string") else str(query))
        return execute(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.ClientCursor, "execute", recording)
    before, head = _last_id(), AuditHead.objects.get(pk=1)
    with transaction.atomic():
        person = Person.objects.create(sex="F", birth_year=1985)
        first = audit.append("read", "core.Person", person.pk, "Ստեփանակերտ \"q\" \\", {"n": ["ü", 1]}, actor="Արամ")
        second = _read(2)
    messages = [q for q in sent if "core_audithead" in q and "FOR UPDATE" in q]
    assert len(messages) == 1 and not [q for q in sent if q.startswith('UPDATE "core_audithead"')]
    message = " ".join(messages[0].split())
    assert "FOR UPDATE" in message and message.endswith("COMMIT") and "INSERT INTO \"core_auditevent\"" in message
    assert not connection.in_atomic_block and Person.objects.filter(pk=person.pk).exists()
    stored = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
    assert [e.object_id for e in stored][-2:] == [str(person.pk), "2"] and len(stored) == 3  # create, two reads
    assert stored[0].prev_hash == head.last_hash
    assert (first.pk, first.hash, second.prev_hash) == (stored[1].pk, stored[1].hash, stored[1].hash)
    assert AuditHead.objects.get(pk=1).last_hash == second.hash == stored[2].hash
    assert AuditHead.objects.get(pk=1).count == head.count + 3
    assert audit.verify().intact
    # Outside a transaction (an audited list page) the event takes the same one-message path.
    sent.clear()
    event = _read(3)
    assert len([q for q in sent if "core_audithead" in q and "FOR UPDATE" in q]) == 1 and event.pk and audit.verify().intact


@postgres_only
def test_a_commit_refused_by_the_database_takes_the_events_and_the_change_with_it(live_world):
    """A deferred constraint fails at the COMMIT sent with the events: nothing of the transaction is kept, the head
    has not moved, and the connection goes on."""
    from django.db import IntegrityError

    from peaceops.core.models import PersonName

    before, head, people = _last_id(), AuditHead.objects.get(pk=1).last_hash, Person.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(sex="M", birth_year=1960)
        PersonName.objects.bulk_create([PersonName(person_id=10**9, full_name="Nobody", script="Latn")])
        _read(1)
    assert (Person.objects.count(), _last_id(), AuditHead.objects.get(pk=1).last_hash) == (people, before, head)
    _read(2)
    assert _ids_since(before) == ["2"] and audit.verify().intact


@postgres_only
def test_a_transaction_with_many_events_is_chained_in_python_not_by_the_quadratic_query(live_world, monkeypatch):
    """The database's chaining query costs the square of the events' number with the head locked (8,000 events:
    11.7 s measured); past `IN_DATABASE_MAX` a transaction's events are chained here, linearly, and still verify."""
    monkeypatch.setattr(audit, "IN_DATABASE_MAX", 3)
    in_database = []
    monkeypatch.setattr(audit, "_commit_events", lambda *args: in_database.append(args))
    before = _last_id()
    with transaction.atomic():
        for n in range(4):
            _read(n)
    assert not in_database
    assert AuditEvent.objects.filter(id__gt=before).count() == 4 and audit.verify().intact
    with transaction.atomic():
        _read(9)
    assert len(in_database) == 1  # a short transaction keeps the one-message path
