"""What the audit chain costs per request, and that the cheaper append (compare-and-swap on the chain's head, the
tip cached per process) keeps one unbroken chain: with a stale tip, under the lock fallback, against a fork, and
with writers appending at once on PostgreSQL.

The query counts are pinned as ceilings: a change that adds queries to filing an incident or to an audited read
fails here. Before the compare-and-swap (2026-12-03): 46 queries to file an incident, 10 for an audited read."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from peaceops.core import audit, mission
from peaceops.core.models import AuditEvent, AuditHead, Person, PersonName, Source
from peaceops.exchanges.services.cases import open_detention_case

# Each audit event: one compare-and-swap on the head and one insert (the former path: savepoint, locked read of the
# head, insert, update of the head, release — five).
AUDIT_STATEMENTS_PER_EVENT = 2
INCIDENT_WRITE_QUERIES = 27  # 3 events (incident, its source report, the filing step); 38 before filing skipped
# the validation queries that could only pass and answered with its list row (2026-12-04)
AUDITED_READ_QUERIES = 7  # 1 event


def _incident():
    return {"occurred_from": "2020-11-20T10:00:00+04:00", "incident_type": "shelling", "sub_type": "artillery",
            "place_name": "Hadrut", "notes": "Pinned cost",
            "sources_in": [{"source": Source.objects.first().pk, "summary": "Seen from the post"}]}


def _audit_statements(queries) -> int:
    return sum(1 for q in queries if "core_audit" in q["sql"])


def _chain_is_whole():
    """Every event after the first points at the one before it by id, no two share a predecessor, and the head
    counts them all and names the last."""
    rows = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    assert all(prev == before for (prev, _h), (_p, before) in zip(rows[1:], rows[:-1]))
    assert len({prev for prev, _h in rows}) == len(rows)
    head = AuditHead.objects.get(pk=1)
    assert (head.count, head.last_hash) == (len(rows), rows[-1][1])
    assert audit.verify().intact


@pytest.mark.django_db
def test_filing_an_incident_costs_at_most_the_pinned_queries(api_for):
    monitor = api_for("monitor")
    assert monitor.post("/api/ceasefire/incidents/", _incident(), format="json").status_code == 201  # warm caches
    before = AuditEvent.objects.count()
    mission.current()  # the mission is read once per process, not per request
    with CaptureQueriesContext(connection) as queries:
        response = monitor.post("/api/ceasefire/incidents/", _incident(), format="json")
    assert response.status_code == 201, response.content
    events = AuditEvent.objects.count() - before
    assert events == 3
    assert _audit_statements(queries.captured_queries) == AUDIT_STATEMENTS_PER_EVENT * events
    assert len(queries.captured_queries) <= INCIDENT_WRITE_QUERIES, "\n".join(
        q["sql"][:120] for q in queries.captured_queries)
    _chain_is_whole()


@pytest.mark.django_db
def test_an_audited_read_costs_at_most_the_pinned_queries(api_for, world):
    person = Person.objects.create(sex="M", birth_year=1980)
    PersonName.objects.create(person=person, full_name="Synthetic Costname", is_primary=True)
    case = open_detention_case(person, kind="pow", holding_party=world["parties"]["armenian-side"])
    officer = api_for("exchange_officer")
    url = f"/api/exchanges/detention-cases/{case.pk}/"
    assert officer.get(url).status_code == 200
    mission.current()  # the mission is read once per process, not per request
    with CaptureQueriesContext(connection) as queries:
        response = officer.get(url)
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.actor, event.object_id) == ("read", "exchange_officer", str(case.pk))
    assert _audit_statements(queries.captured_queries) == AUDIT_STATEMENTS_PER_EVENT
    assert len(queries.captured_queries) <= AUDITED_READ_QUERIES, "\n".join(
        q["sql"][:120] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_stale_tip_costs_a_reread_and_chains_to_the_real_head(monkeypatch):
    first = audit.append("read", "core.Person", 1, "", {"purpose": "test"}, actor="tester")
    audit.append("read", "core.Person", 2, "", {"purpose": "test"}, actor="tester")
    # As if another process had appended since this one last did: its cached tip is one event behind.
    monkeypatch.setitem(audit._tip_hint, "default", first.hash)
    mission.current()  # the mission is read once per process, not per request
    with CaptureQueriesContext(connection) as queries:
        third = audit.append("read", "core.Person", 3, "", {"purpose": "test"}, actor="tester")
    assert third.prev_hash == AuditEvent.objects.filter(id__lt=third.pk).order_by("-id").first().hash
    assert _audit_statements(queries.captured_queries) == 4  # failed swap, read of the head, swap, insert
    _chain_is_whole()


@pytest.mark.django_db
def test_a_tip_from_a_rolled_back_transaction_is_not_chained_to():
    audit.append("read", "core.Person", 1, "", {"purpose": "test"}, actor="tester")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.append("read", "core.Person", 2, "", {"purpose": "test"}, actor="tester")
        raise RuntimeError("the write failed after its event")
    audit.append("read", "core.Person", 3, "", {"purpose": "test"}, actor="tester")
    _chain_is_whole()


@pytest.mark.django_db
def test_the_lock_fallback_keeps_the_chain(monkeypatch):
    monkeypatch.setattr(audit, "CAS_ATTEMPTS", 0)
    for n in range(3):
        audit.append("read", "core.Person", n, "", {"purpose": "test"}, actor="tester")
    _chain_is_whole()


@pytest.mark.django_db
def test_the_database_refuses_a_second_successor():
    last = audit.append("read", "core.Person", 1, "", {"purpose": "test"}, actor="tester")
    fork = AuditEvent(timestamp=last.timestamp, actor="intruder", action="read", model="core.Person",
                      object_id="9", prev_hash=last.prev_hash, hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the in-memory SQLite test database is shared-cache: a "
                    "second writer fails at once instead of waiting; tests/faults covers SQLite in a subprocess")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempts", [audit.CAS_ATTEMPTS, 0], ids=["compare-and-swap", "lock-fallback"])
def test_writers_appending_at_once_leave_one_chain_without_gap_or_fork(live_world, monkeypatch, attempts):
    """Four threads, each committing ten transactions of three events, released together: every event lands, the
    head counts them all, no event has two successors, and the chain verifies."""
    from django.db import connections

    monkeypatch.setattr(audit, "CAS_ATTEMPTS", attempts)
    before = AuditEvent.objects.count()
    start, errors = threading.Barrier(4), []

    def writer(n):
        try:
            start.wait()
            for t in range(10):
                with transaction.atomic():
                    for i in range(3):
                        audit.append("read", "core.Person", f"{n}-{t}-{i}", "", {"purpose": "test"}, actor=f"w{n}")
        except Exception as exc:  # noqa: BLE001  (any failure is the finding)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == before + 120
    # Each transaction's three events stay together: the head was held from the first to the commit.
    mine = list(AuditEvent.objects.filter(actor__startswith="w").order_by("id").values_list("object_id", flat=True))
    assert all(len({oid.rsplit("-", 1)[0] for oid in mine[k:k + 3]}) == 1 for k in range(0, 120, 3))
    _chain_is_whole()
