"""What one request of the load mix costs, measured in-process: no server, no clients, no idle machine needed.

    python -m bench.load.cost [--repeat 30] [--warmup 5] [--scale 1.0] [--database sqlite|postgres] [--profile NAME]
                              [--world FILE] [--rounds N] [--only NAME,...]

Loads the demo world (`peaceops.scenario.world.load`, as `peaceops scenario load` does) into a throw-away
database, issues API tokens the way the API does, then sends each request of bench/load/locustfile.py through
Django's test Client, with the full middleware stack and token authentication. For each request it prints the
median CPU time of this process (`time.process_time`, so other processes on the shared machine do not count)
and the median wall time, each after warm-up, and the CPU ratio against the API root measured in the same run.
On PostgreSQL the database server's own CPU is outside the first figure and inside the second; on PostgreSQL
on this machine it also prints the CPU of the connection's backend process (`pg_backend_pid()`), read from
/proc/<pid>/schedstat (nanoseconds; /proc/<pid>/stat's utime+stime in clock ticks where schedstat is missing)
before and after each timed block, divided by the block's requests ("PG ms"), and Django's mean CPU beside it
("CPU mean"; the PG figure is a mean, as a block's total), so the two sides add up. `--explain NAME` prints
EXPLAIN (ANALYZE, BUFFERS) of each query one request of NAME sends (captured with CaptureQueriesContext),
with its planning and execution time.

On PostgreSQL, BENCH_PG_REUSE=1 keeps the database of BENCH_PG_URL if it exists (and the world loaded into it by
an earlier run); BENCH_PG_TEMPLATE=DB starts from a copy of database DB holding the loaded world (as
`python -m bench.load.probe --template DB` leaves it).

--world FILE (SQLite only) keeps the loaded world in FILE and starts later runs from a copy of it: loading takes
minutes on a busy machine. Delete the file after a migration or a change to the scenario.

--analyze (PostgreSQL) runs ANALYZE after loading: the planner's statistics a server with autovacuum has. This
machine's PostgreSQL runs with autovacuum off, so without it (and in bench.load.run) every table is unanalyzed and
the planner guesses its size from its pages.

--only file,incidents measures those requests (and the root) only: a narrower pair of runs, more repeats.

--profile NAME runs cProfile over the named request (incidents, households, returned, file, root) and prints
the top functions by cumulative and by own time; --profile-out FILE keeps the raw stats for pstats.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/peaceops_cost_bench")


def _setup(database: str, scale: float, saved: Path | None, analyze: bool = False) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="peaceops-cost-"))
    if saved is not None and saved.exists():
        shutil.copyfile(saved, tmp / "peaceops.sqlite3")
    os.environ["PEACEOPS_DATA_DIR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "peaceops.settings"
    os.environ["PEACEOPS_2FA_ROLES"] = ""
    os.environ["AXES_ENABLED"] = "no"
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        name = PG_URL.rsplit("/", 1)[1]
        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        # BENCH_PG_REUSE=1 keeps the database and the world a run before loaded into it (two trees measured
        # alternately on one database; each run adds its filings).
        reuse = os.environ.get("BENCH_PG_REUSE") == "1" and subprocess.run(
            ["psql", PG_URL, "-qc", "SELECT 1"], capture_output=True).returncode == 0
        if not reuse:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)
            # With BENCH_PG_TEMPLATE (a database holding the loaded world, e.g. `bench.load.probe --template`'s),
            # start from a copy of it: loading takes minutes on a busy machine.
            template = os.environ.get("BENCH_PG_TEMPLATE", "")
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template
                                                                                 else "")],
                           check=True, capture_output=True)
        os.environ["DATABASE_URL"] = PG_URL
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    from peaceops.scenario import world

    if not world.is_loaded():
        world.load(scale=scale)
        if saved is not None:
            from django.db import connection

            connection.close()
            with sqlite3.connect(tmp / "peaceops.sqlite3") as source, sqlite3.connect(saved) as copy:
                source.backup(copy)
    if analyze and database == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _requests() -> dict:
    """The locust mix (bench/load/locustfile.py), as (method, path, role, body) per name."""
    from django.contrib.auth.models import User

    from peaceops.api.tokens import issue
    from peaceops.core.models import Source

    tokens = {role: issue(User.objects.get(username=role))[1]
              for role in ("analyst", "returns_officer", "coordinator", "monitor")}
    source = Source.objects.get(kind="patrol").pk

    def filing():
        return {"occurred_from": "2020-11-20T10:00:00+04:00", "incident_type": "shelling", "sub_type": "artillery",
                "place_name": "Hadrut", "notes": f"cost {uuid.uuid4().hex}",
                "sources_in": [{"source": source, "summary": "Seen from the post"}]}

    return {
        "root": ("get", "/api/", tokens["analyst"], None),
        "incidents": ("get", "/api/ceasefire/incidents/", tokens["analyst"], None),
        "households": ("get", "/api/returns/households/?page={page}", tokens["returns_officer"], None),
        "returned": ("get", "/api/returns/returned-as-of/?as_of=2020-11-21", tokens["coordinator"], None),
        "file": ("post", "/api/ceasefire/incidents/", tokens["monitor"], filing),
    }


def _send(client, spec, n: int):
    method, path, token, body = spec
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    path = path.format(page=n % 20 + 1)
    if method == "get":
        response = client.get(path, **headers)
        expected = 200
    else:
        response = client.post(path, data=json.dumps(body()), content_type="application/json", **headers)
        expected = 201
    if response.status_code != expected:
        raise RuntimeError(f"{path}: HTTP {response.status_code}: {response.content[:300]!r}")
    return response


def backend_pid() -> int | None:
    """The process id of the PostgreSQL backend serving this process's connection (None on SQLite or when the
    server is not on this machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    return pid if Path(f"/proc/{pid}").exists() else None


def backend_cpu(pid: int | None) -> float:
    """CPU seconds the backend process has used so far (0.0 without one)."""
    if pid is None:
        return 0.0
    try:  # the scheduler's own count, in nanoseconds
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):  # utime + stime in clock ticks, as the probe reads every process
        from bench.load.probe import process_cpu

        return process_cpu(pid)


def measure(client, spec, repeat: int, warmup: int) -> tuple[float, float, float, float]:
    """Median CPU ms, median wall ms, mean CPU ms of this process, mean CPU ms of the PostgreSQL backend."""
    for n in range(warmup):
        _send(client, spec, n)
    pid = backend_pid()
    cpu, wall = [], []
    b0 = backend_cpu(pid)
    for n in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        _send(client, spec, n)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    b1 = backend_cpu(pid)
    if pid is not None and backend_pid() != pid:  # the connection was replaced: its CPU is lost
        b1 = b0 = float("nan")
    return (statistics.median(cpu) * 1000, statistics.median(wall) * 1000, statistics.fmean(cpu) * 1000,
            (b1 - b0) / repeat * 1000)


def explain(client, spec) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of every query one request sends, with the request's planning and execution
    times summed. Writes (INSERT, UPDATE, DELETE) are explained inside a rolled-back savepoint-free transaction
    of their own (they ran once already); statements that are not SELECT/INSERT/UPDATE/DELETE are listed only."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        _send(client, spec, n)
    with CaptureQueriesContext(connection) as captured:
        _send(client, spec, 99)
    out, planning, execution = [], 0.0, 0.0
    for number, query in enumerate(captured.captured_queries, 1):
        sql = query["sql"]
        head = sql.lstrip().split(None, 1)[0].upper()
        out.append(f"-- {number}. ({query['time']} s client-side) {sql[:400]}")
        if head not in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}:
            continue
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                rows = [row[0] for row in cursor.fetchall()]
                raise _Rollback
        except _Rollback:
            pass
        except Exception as error:  # noqa: BLE001 - a bench: say why and go on
            out.append(f"   (not explained: {error})")
            continue
        for row in rows:
            if row.startswith("Planning Time:"):
                planning += float(row.split()[2])
            elif row.startswith("Execution Time:"):
                execution += float(row.split()[2])
        out.extend("   " + row for row in rows)
    out.append(f"== {len(captured.captured_queries)} queries; planning {planning:.2f} ms, execution "
               f"{execution:.2f} ms in all (EXPLAIN ANALYZE's own figures)")
    return "\n".join(out)


class _Rollback(Exception):
    pass


def profile(client, spec, repeat: int, out_file: Path | None = None) -> str:
    for n in range(3):
        _send(client, spec, n)
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(repeat):
        _send(client, spec, n)
    profiler.disable()
    if out_file is not None:
        profiler.dump_stats(out_file)  # for pstats' callers/callees
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", choices=["root", "incidents", "households", "returned", "file"])
    parser.add_argument("--explain", choices=["root", "incidents", "households", "returned", "file"],
                        help="PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) each query of one such request")
    parser.add_argument("--profile-out", type=Path, help="with --profile: also save the raw cProfile stats here")
    parser.add_argument("--analyze", action="store_true", help="PostgreSQL: ANALYZE after loading")
    parser.add_argument("--world", type=Path, help="SQLite file to keep the loaded world in and start from")
    parser.add_argument("--rounds", type=int, default=1, help="measure the whole mix this many times, interleaved")
    parser.add_argument("--only", help="comma-separated requests to measure (root is always measured, the mix "
                                       "line is left out unless all four of its requests are)")
    args = parser.parse_args()
    started = time.monotonic()
    if args.world and args.database != "sqlite":
        parser.error("--world keeps a SQLite world only")
    _setup(args.database, args.scale, args.world, args.analyze)
    from django.test import Client

    gc.collect()
    gc.freeze()  # as `peaceops serve` does
    gc.set_threshold(20_000, 20, 20)
    client = Client()
    specs = _requests()
    print(f"demo world loaded in {time.monotonic() - started:.0f} s ({args.database}, scale {args.scale}"
          f"{', analyzed' if args.analyze else ''}); "
          f"load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    if args.explain:
        print(explain(client, specs[args.explain]))
        return
    if args.profile:
        print(profile(client, specs[args.profile], args.repeat, args.profile_out))
        return
    if args.only:
        wanted = {"root", *args.only.split(",")}
        unknown = wanted - set(specs)
        if unknown:
            parser.error(f"--only: unknown requests {', '.join(sorted(unknown))}")
        specs = {name: spec for name, spec in specs.items() if name in wanted}
    results: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in specs}
    for _round in range(args.rounds):
        for name, spec in specs.items():
            results[name].append(measure(client, spec, args.repeat, args.warmup))
    root = statistics.median(f[0] for f in results["root"])
    backend = backend_pid() is not None
    print(f"{'request':<12} {'CPU ms':>8} {'wall ms':>8} {'CPU / root':>10}"
          + (f" {'CPU mean':>8} {'PG ms':>8} {'sum':>8}" if backend else ""))
    for name, figures in results.items():
        cpu = statistics.median(f[0] for f in figures)
        wall = statistics.median(f[1] for f in figures)
        line = f"{name:<12} {cpu:8.1f} {wall:8.1f} {cpu / root:10.1f}"
        if backend:
            mean = statistics.median(f[2] for f in figures)
            pg = statistics.median(f[3] for f in figures)
            line += f" {mean:8.2f} {pg:8.2f} {mean + pg:8.2f}"
        print(line)
    # The locust mix weights (locustfile tasks): incidents 4, households 4, returned 2, file 2.
    weights = {"incidents": 4, "households": 4, "returned": 2, "file": 2}
    if not set(weights) <= set(results):
        return
    mix = sum(statistics.median(f[0] for f in results[k]) * w for k, w in weights.items()) / sum(weights.values())
    print(f"API mix (locust weights, static file excluded): {mix:.1f} ms CPU per request, {mix / root:.1f}x root; "
          f"load average {os.getloadavg()[0]:.2f}")
    if backend:
        def weighted(i):
            return sum(statistics.median(f[i] for f in results[k]) * w for k, w in weights.items()) / sum(
                weights.values())
        print(f"API mix, means: Django {weighted(2):.2f} ms + PostgreSQL backend {weighted(3):.2f} ms = "
              f"{weighted(2) + weighted(3):.2f} ms CPU per request")


if __name__ == "__main__":
    main()
