"""Audit chain append: the compare-and-swap append against the former locked append and against an unchained insert,
measured in the same run on SQLite and on PostgreSQL.

    python -m bench.audit_append [--pg postgres://postgres@127.0.0.1:5432/peaceops_audit_bench] [--no-pg]

Three ways of writing one event of the same size, interleaved in rounds on one fresh database:
- floor: one INSERT of the event's row into a plain table (no chain, no head): what any audit log costs;
- locked (the former `audit.append`, kept below as the baseline): savepoint, SELECT ... FOR UPDATE of the head,
  insert, update of the head, release;
- CAS (the current `audit.append`): compare-and-swap UPDATE of the head from the per-process cached tip, insert.

Each is measured alone (one event per transaction, as an audited read in autocommit) and three to a transaction
(as filing an incident: the incident, its source report, the filing step), single-threaded; then four threads
append at once, three events a transaction. The chain must verify at the end. The parent runs one child process
per database (settings are read once per process) and writes the "## Audit chain append" section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Audit chain append"
ROUNDS = 3
EVENTS = 90  # per path, per round, per mode
THREADS = 4
TX_PER_THREAD = 20


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def child(events: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    django.setup()
    from django.db import connection, connections, models, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from peaceops.core import audit
    from peaceops.core.context import current_request_id
    from peaceops.core.models.audit import GENESIS_HASH, AuditEvent, AuditHead

    # Only the chain's two tables (as the models declare them, the unique constraints included): the whole
    # schema's migrations take minutes on this machine and nothing else is written.
    with connection.schema_editor() as editor:
        editor.create_model(AuditHead)
        editor.create_model(AuditEvent)
    class FloorEvent(models.Model):
        """AuditEvent's columns in a table of their own, with no chain and no unique constraint."""

        timestamp = models.DateTimeField()
        actor = models.CharField(max_length=150, blank=True)
        action = models.CharField(max_length=10)
        model = models.CharField(max_length=100)
        object_id = models.CharField(max_length=64, blank=True)
        object_repr = models.CharField(max_length=200, blank=True)
        detail = models.JSONField(default=dict, blank=True)
        request_id = models.CharField(max_length=36, blank=True)
        prev_hash = models.CharField(max_length=64)
        hash = models.CharField(max_length=64)

        class Meta:
            app_label = "core"
            db_table = "bench_floor"

    with connection.schema_editor() as editor:
        editor.create_model(FloorEvent)

    def locked_append(action, model, object_id="", object_repr="", detail=None, actor=None):
        """The former audit.append (main before 2026-12-03), verbatim but for this docstring."""
        with transaction.atomic():
            head = AuditHead.objects.select_for_update().filter(pk=1).first()
            if head is None:
                head, _ = AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH, "count": 0})
                head = AuditHead.objects.select_for_update().get(pk=1)
            event = AuditEvent(
                timestamp=timezone.now(), actor=(actor or "")[:150], action=action, model=model,
                object_id=str(object_id)[:64], object_repr=str(object_repr)[:200], detail=detail or {},
                request_id=current_request_id(), prev_hash=head.last_hash)
            event.hash = audit._digest(head.last_hash, event)
            event.save(force_insert=True)
            AuditHead.objects.filter(pk=1).update(last_hash=event.hash, count=models.F("count") + 1)
            return event

    def floor_insert(action, model, object_id="", object_repr="", detail=None, actor=None):
        """The same row saved through the ORM in its own transaction, digest computed, no head read or moved."""
        event = FloorEvent(timestamp=timezone.now(), actor=(actor or "")[:150], action=action, model=model,
                           object_id=str(object_id)[:64], object_repr=str(object_repr)[:200], detail=detail or {},
                           request_id=current_request_id(), prev_hash=GENESIS_HASH)
        event.hash = audit._digest(GENESIS_HASH, event)
        with transaction.atomic(savepoint=False):  # as the CAS append: no savepoint inside a write
            event.save(force_insert=True)

    paths = {"floor": floor_insert, "locked": locked_append, "cas": audit.append}

    def one(fn, n):
        fn("read", "core.Person", n, "", {"purpose": "bench"}, actor="bench")

    def run(fn, mode, n):
        """Seconds for n events, alone (a transaction each) or three to a transaction."""
        started = time.perf_counter()
        if mode == "alone":
            for i in range(n):
                one(fn, i)
        else:
            for i in range(0, n, 3):
                with transaction.atomic():
                    for k in range(3):
                        one(fn, i + k)
        return time.perf_counter() - started

    def queries_per_event(fn, mode):
        run(fn, mode, 3)  # warm: the CAS path's cached tip is stale after the locked path ran
        with CaptureQueriesContext(connection) as captured:
            run(fn, mode, 6)
        return len(captured.captured_queries) / 6

    out: dict = {"vendor": connection.vendor, "events": events, "single": {}, "queries": {}, "threads": {}}
    audit.append("read", "core.Person", 0, "", {"purpose": "bench"}, actor="bench")
    for mode in ("alone", "in a write"):
        samples: dict[str, list[float]] = {name: [] for name in paths}
        for _round in range(ROUNDS):
            for name, fn in paths.items():
                samples[name].append(run(fn, mode, events) / events * 1e6)  # µs per event
        out["single"][mode] = {name: statistics.median(v) for name, v in samples.items()}
        out["queries"][mode] = {name: queries_per_event(fn, mode) for name, fn in paths.items()}
        _say(f"{connection.vendor}: single-threaded, {mode}: {out['single'][mode]}")

    def concurrent(fn) -> tuple[float, list[str]]:
        start, errors = threading.Barrier(THREADS + 1), []

        def writer(n):
            try:
                start.wait()
                for t in range(TX_PER_THREAD):
                    with transaction.atomic():
                        for k in range(3):
                            fn("read", "core.Person", f"{n}-{t}-{k}", "", {"purpose": "bench"}, actor=f"w{n}")
            except Exception as exc:  # noqa: BLE001  (reported, the run fails)
                errors.append(repr(exc))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        start.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        return time.perf_counter() - began, errors

    total = THREADS * TX_PER_THREAD * 3
    for _round in range(ROUNDS):
        for name, fn in paths.items():
            seconds, errors = concurrent(fn)
            if errors:
                raise SystemExit(f"{name}: {errors[:3]}")
            out["threads"].setdefault(name, []).append(total / seconds)
            _say(f"{connection.vendor}: {THREADS} threads, {name}: {total / seconds:.0f} events/s")
    out["threads"] = {name: statistics.median(v) for name, v in out["threads"].items()}
    report = audit.verify()
    if not report.intact:
        raise SystemExit(f"chain broken after the run: {report}")
    out["chain"] = str(report)
    return out


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


def write_results(rows: list[dict], stamp: str) -> None:
    lines = [SECTION, "",
             "`python -m bench.audit_append` — one audit event written three ways on one fresh database, "
             f"interleaved in {ROUNDS} rounds (medians): **floor**, the same row saved through the ORM into a "
             "table of the same columns (digest computed, no chain, no head); **locked**, the former append "
             "(savepoint, `SELECT … FOR UPDATE` of the head, insert, head update, release), kept in the "
             "benchmark as the baseline; **CAS**, the current append (compare-and-swap `UPDATE` of the head "
             "from the tip cached per process, then the insert). \"Alone\": one event per transaction (an "
             "audited read); \"in a write\": three events per transaction (filing an incident). Threads: "
             f"{THREADS} threads at once, {TX_PER_THREAD} transactions of three events each. Queries per event "
             "as Django logs them (BEGIN, COMMIT and savepoints included). The chain verifies after every run.",
             "", stamp, ""]
    for r in rows:
        s, q, t = r["single"], r["queries"], r["threads"]
        lines += [f"### {r['vendor']}", "",
                  "| | floor | locked (before) | CAS (now) | CAS / locked | CAS / floor |",
                  "|---|---:|---:|---:|---:|---:|"]
        for mode in ("alone", "in a write"):
            lines.append(f"| µs per event, {mode} | {s[mode]['floor']:.0f} | {s[mode]['locked']:.0f} | "
                         f"{s[mode]['cas']:.0f} | {_ratio(s[mode]['cas'], s[mode]['locked'])} | "
                         f"{_ratio(s[mode]['cas'], s[mode]['floor'])} |")
            lines.append(f"| queries per event, {mode} | {q[mode]['floor']:.2f} | {q[mode]['locked']:.2f} | "
                         f"{q[mode]['cas']:.2f} | | |")
        lines.append(f"| events/s, {THREADS} threads | {t['floor']:.0f} | {t['locked']:.0f} | {t['cas']:.0f} | "
                     f"{_ratio(t['cas'], t['locked'])} | {_ratio(t['cas'], t['floor'])} |")
        lines += ["", f"Chain after the run: {r['chain']}.", ""]
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    if SECTION in text:
        head, _sep, rest = text.partition(SECTION)
        tail = rest.split("\n## ", 1)
        text = head + section + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def _ensure_pg(url: str) -> None:
    """Create the benchmark's own database (empty) on the server named by `url`."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/peaceops_audit_bench")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.events)))
        return
    rows = []
    began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", f"sqlite:///{tmp}/bench.sqlite3")]
        if not args.no_pg:
            _ensure_pg(args.pg)
            targets.append(("postgresql", args.pg))
        for label, url in targets:
            env = dict(os.environ, DATABASE_URL=url, PEACEOPS_DATA_DIR=tmp)
            out = subprocess.run([sys.executable, "-m", "bench.audit_append", "--child", "--events",
                                  str(args.events)], env=env, stdout=subprocess.PIPE, text=True, check=False)
            if out.returncode:
                raise SystemExit(f"{label} run failed")
            result = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(result)
            print(f"{label}: {json.dumps(result, indent=1)}")
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    stamp = (f"Measured {began}, CPython {platform.python_version()}, 2 cores (shared), load average at the end "
             f"{load}.")
    print(stamp)
    if not args.no_write:
        write_results(rows, stamp)


if __name__ == "__main__":
    main()
