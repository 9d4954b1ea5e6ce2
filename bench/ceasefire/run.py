"""Ceasefire benchmark: 100,000 incidents; daily counts for a 90-day range and the duplicate proposal for one new
incident, on SQLite and on PostgreSQL, each against a naive baseline measured in the same run.

    python -m bench.ceasefire.run [--incidents 100000] [--pg postgres://postgres@127.0.0.1:5432/peaceops_ceasefire_bench]

The parent process runs one child per database (settings are read once per process) and writes the figures to
the "## Ceasefire" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"


def _timed(fn, repeat: int) -> float:
    """Median wall time in ms (one warm-up call first)."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def child(n: int) -> dict:
    import datetime as dt
    import random
    from decimal import Decimal

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from peaceops.ceasefire import counts, geo, services
    from peaceops.ceasefire.models import Incident
    from peaceops.ceasefire.taxonomy import SUBTYPES
    from peaceops.core.models import Place
    from peaceops.core.reporting import ReportingPeriod
    from peaceops.scenario import world as scenario

    call_command("migrate", interactive=False, verbosity=0)
    if not scenario.is_loaded():
        scenario.load_core()
    rng = random.Random(42)
    anchors = list(Place.objects.exclude(latitude=None).filter(kind__in=["settlement", "observation_post"])
                   .exclude(name__in=["Yerevan", "Baku"]))
    districts = {p.pk: services.district_for(p, p.latitude, p.longitude) for p in anchors}
    kinds = [(t, s) for t, subs in SUBTYPES.items() for s in subs]
    start = dt.datetime(2020, 11, 10, tzinfo=dt.UTC)
    loaded = time.perf_counter()
    have = Incident.objects.count()
    batch = []
    for _ in range(have, n):
        place = rng.choice(anchors)
        lat, lon = geo.offset(float(place.latitude), float(place.longitude), rng.choice(list(geo.BEARINGS)),
                              rng.uniform(0, 5))
        when = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
        kind = rng.choice(kinds)
        batch.append(Incident(occurred_from=when, occurred_to=when + dt.timedelta(minutes=15), place=place,
                              latitude=lat, longitude=lon, district_id=districts[place.pk], incident_type=kind[0],
                              sub_type=kind[1], status=rng.choice(["reported", "verified", "unconfirmed"])))
        batch[-1].set_local_time()
        if len(batch) == 5000:
            Incident.objects.bulk_create(batch)
            batch = []
    if batch:
        Incident.objects.bulk_create(batch)
    load_s = time.perf_counter() - loaded
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ceasefire_incident")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    first = dt.date(2021, 1, 1)
    last = first + dt.timedelta(days=89)

    def fast_counts():
        return counts.daily_rows(first, last)

    def naive_counts():
        # The obvious way: fetch every incident of the range and put each in its reporting period in Python.
        p1, p2 = ReportingPeriod.ending_on(first), ReportingPeriod.ending_on(last)
        buckets: dict = {}
        for row in Incident.objects.counted().filter(occurred_from__gte=p1.start, occurred_from__lt=p2.end):
            key = (ReportingPeriod.containing(row.occurred_from).day, row.district_id, row.incident_type)
            buckets[key] = buckets.get(key, 0) + 1
        return buckets

    fast, slow = fast_counts(), naive_counts()
    assert {(d, di, k): c for d, di, k, c in fast} == slow, "fast and naive counts disagree"

    martuni = Place.objects.get(name="Martuni / Khojavend")
    when = dt.datetime(2021, 2, 3, 10, tzinfo=dt.UTC)
    new = services.prepare(Incident(occurred_from=when, occurred_to=when + dt.timedelta(minutes=20), place=martuni,
                                    incident_type="shelling", sub_type="mortar"))
    new.latitude, new.longitude = Decimal(str(martuni.latitude)), Decimal(str(martuni.longitude))

    def fast_proposal():
        return services.propose_duplicates(new)

    def naive_proposal():
        # Compare the new incident with every open incident, as a loop over the table would.
        found = []
        for other in Incident.objects.filter(merged_into__isnull=True).exclude(status="refuted").iterator(5000):
            if other.incident_type != new.incident_type:
                continue
            hours = services._gap_hours(new, other)
            km = services._km(new, other)
            if hours <= services.DUPLICATE_HOURS and km is not None and km <= services.DUPLICATE_KM:
                found.append(other.pk)
        return found

    assert sorted(p.incident.pk for p in fast_proposal()) == sorted(naive_proposal())[:10] or \
        len(fast_proposal()) == min(10, len(naive_proposal())), "proposal disagrees with the full scan"
    return {
        "vendor": connection.vendor, "incidents": Incident.objects.count(), "load_s": round(load_s, 1),
        "counts_ms": _timed(fast_counts, 7), "counts_naive_ms": _timed(naive_counts, 3),
        "proposal_ms": _timed(fast_proposal, 21), "proposal_naive_ms": _timed(naive_proposal, 3),
        "proposed": len(fast_proposal()), "count_rows": len(fast),
    }


def write_results(rows: list[dict], n: int) -> None:
    lines = ["## Ceasefire", "",
             f"`python -m bench.ceasefire.run` — {n:,} incidents over a year; daily counts for a 90-day range "
             "(one read of the (local date, district, type, status) index over the range, the day cut-off applied while counting, vs. fetching the rows and bucketing each with "
             "`ReportingPeriod.containing`), and the duplicate proposal for one new incident (indexed time window "
             "plus degree box, vs. a scan of all open incidents). Median wall time, warm; target < 100 ms each.",
             "", "| database | counts, 90 days | naive | ratio | duplicate proposal | naive | ratio |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['vendor']} | {r['counts_ms']:.1f} ms | {r['counts_naive_ms']:.0f} ms | "
                     f"{r['counts_naive_ms'] / r['counts_ms']:.0f}× | {r['proposal_ms']:.2f} ms | "
                     f"{r['proposal_naive_ms']:.0f} ms | {r['proposal_naive_ms'] / r['proposal_ms']:.0f}× |")
    lines.append("")
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    if "## Ceasefire" in text:
        head, _sep, rest = text.partition("## Ceasefire")
        tail = rest.split("\n## ", 1)
        text = head + section + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/peaceops_ceasefire_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.incidents)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", f"sqlite:///{tmp}/bench.sqlite3")]
        if args.pg:
            _ensure_pg(args.pg)
            targets.append(("postgresql", args.pg))
        for label, url in targets:
            env = dict(os.environ, DATABASE_URL=url, PEACEOPS_DATA_DIR=tmp, PEACEOPS_DAY_CUTOFF="19:30")
            out = subprocess.run([sys.executable, "-m", "bench.ceasefire.run", "--child", "--incidents",
                                  str(args.incidents)], env=env, capture_output=True, text=True, check=False)
            if out.returncode:
                sys.stderr.write(out.stderr)
                raise SystemExit(f"{label} run failed")
            result = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(result)
            print(f"{label}: {result}")
    if not args.no_write:
        write_results(rows, args.incidents)


def _ensure_pg(url: str) -> None:
    """Create the benchmark's own database (empty) on the server named by `url`."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
