"""Write transactions stay short, and on SQLite a burst of writers queues behind the one holding the lock
instead of failing (settings: BEGIN IMMEDIATE and a busy timeout)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import connection

from peaceops.reports import content as sitrep_content
from peaceops.reports import render as sitrep_render
from peaceops.reports import services

BURST = textwrap.dedent("""
    import json, os, sys, threading, time
    import django
    from django.conf import settings
    os.environ["DJANGO_SETTINGS_MODULE"] = "peaceops.settings"
    django.setup()
    if sys.argv[1] == "deferred":  # the control: SQLite's default transactions, no busy wait
        settings.DATABASES["default"]["OPTIONS"] = {"timeout": 0.1, "transaction_mode": "DEFERRED"}
    from django.db import DatabaseError, connection, transaction
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE burst (id INTEGER PRIMARY KEY, who TEXT)")
    connection.close()
    held, done, failures = threading.Event(), [], []

    def holder():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO burst (who) VALUES ('holder')")
            held.set()
            time.sleep(2)  # a long write: what a report rendered inside a transaction used to do
        connection.close()

    def writer(n):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM burst")  # read, then write: an audited read does this
                time.sleep(0.05)
                cursor.execute("INSERT INTO burst (who) VALUES (%s)", [f"writer {n}"])
            done.append(n)
        except DatabaseError as exc:
            failures.append(str(exc))
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    held.wait()
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads + [first]:
        t.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM burst")
        rows = cursor.fetchone()[0]
    print(json.dumps({"done": len(done), "failures": failures[:3], "failed": len(failures), "rows": rows}))
""")


def _burst(tmp_path, mode: str) -> dict:
    env = {**os.environ, "PEACEOPS_DATA_DIR": str(tmp_path / mode)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", BURST, mode], env=env, capture_output=True, text=True,
                            timeout=120, cwd=os.getcwd())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_on_sqlite_a_burst_of_writers_queues_behind_a_held_write_lock(tmp_path):
    figures = _burst(tmp_path, "immediate")  # the project's settings: BEGIN IMMEDIATE, 30 s busy timeout
    assert figures == {"done": 20, "failures": [], "failed": 0, "rows": 21}


def test_the_control_without_immediate_transactions_loses_writes(tmp_path):
    # Shows what the settings prevent: the same burst with SQLite's deferred transactions fails writers.
    figures = _burst(tmp_path, "deferred")
    assert figures["failed"] > 0 and "locked" in figures["failures"][0]
    assert figures["rows"] == 1 + figures["done"]


@pytest.mark.django_db
def test_approval_gathers_and_draws_the_report_outside_the_write_transaction(users, monkeypatch):
    sitrep = services.start_draft(__import__("datetime").date(2020, 11, 21), users["coordinator"])
    outer = len(connection.atomic_blocks)  # the test's own transaction
    depths = []
    snapshot, draw = sitrep_content.snapshot, sitrep_render.draw_charts

    def watched_snapshot(*args, **kwargs):
        depths.append(("snapshot", len(connection.atomic_blocks)))
        return snapshot(*args, **kwargs)

    def watched_draw(*args, **kwargs):
        depths.append(("charts", len(connection.atomic_blocks)))
        return draw(*args, **kwargs)

    monkeypatch.setattr(sitrep_content, "snapshot", watched_snapshot)
    monkeypatch.setattr(sitrep_render, "draw_charts", watched_draw)
    approved = services.approve(sitrep, users["coordinator2"])
    assert approved.status == "approved" and approved.content["day"] == "2020-11-21"
    assert depths == [("snapshot", outer), ("charts", outer)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_audited_writes_all_land_and_keep_the_chain(live_world):
    """Twelve threads appending to the audit chain at once (each takes the chain's head under a lock): every
    event is written once and the chain verifies, on SQLite and PostgreSQL alike."""
    from django.db import connections

    from peaceops.core import audit
    from peaceops.core.models import AuditEvent

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database has no busy timeout; the subprocess test covers SQLite")
    before = AuditEvent.objects.count()
    errors = []

    def append(n):
        try:
            for i in range(5):
                audit.append("read", "core.Person", n * 100 + i, "", {"purpose": "test"}, actor=f"t{n}")
        except Exception as exc:  # noqa: BLE001  (any failure is the finding)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == before + 60
    assert audit.verify().intact
