"""Load test: 50 concurrent clients mixing reads and writes against `peaceops serve` on 127.0.0.1, with locust
(headless, bounded in users and time), on SQLite and on PostgreSQL, then again while an import runs.

    python -m bench.load.run [--users 50] [--seconds 30] [--database sqlite|postgres|both] [--import-rows 50000]

Each run loads the demo world into a throw-away database, serves it (the worker included), and measures three
phases: reads and writes; the same during a registrations import of --import-rows rows by `peaceops intake run`;
then counts that every write locust saw succeed is in the database (no lost write). After the steady phase a
capacity step-up (5, 10, … 50 users, --capacity-seconds each) finds the highest rate served within p95 < 300 ms. The baseline, measured in
the same run, is a static file (WhiteNoise): its p95 is the server's floor on this machine at that moment. The
machine's load average is recorded beside the figures; figures go to the "## Load" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/peaceops_faults_bench")
HOST = "127.0.0.1"  # the only address this benchmark ever sends traffic to


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _peaceops(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "peaceops", *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True, **kwargs)


def _prepare(database: str, tmp: Path, template: str = "") -> dict:
    """A fresh database with the demo world. On PostgreSQL with `template` (a database name), the world is
    loaded once into that database and later runs clone it (CREATE DATABASE … TEMPLATE): loading takes minutes
    on a busy machine. Drop the template after a migration or a change to the scenario."""
    env = {**os.environ, "PEACEOPS_DATA_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "peaceops.settings",
           "PEACEOPS_2FA_ROLES": "", "AXES_ENABLED": "no"}
    env.pop("DATABASE_URL", None)
    cloned = False
    if database == "postgres":
        name = PG_URL.rsplit("/", 1)[1]
        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"

        def psql(sql: str) -> str:
            return subprocess.run(["psql", admin, "-tAqc", sql], check=True, capture_output=True, text=True).stdout

        psql(f"DROP DATABASE IF EXISTS {name}")
        if template and psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'").strip():
            psql(f"CREATE DATABASE {name} TEMPLATE {template}")
            cloned = True
        else:
            psql(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = PG_URL
    if not cloned:
        _peaceops(env, "scenario", "load")
        if database == "postgres":
            # Statistics, as autovacuum gives a deployment minutes after a load; this machine's PostgreSQL runs
            # with autovacuum off, and an unanalysed database is planned on guesses (bench/RESULTS.md, load3).
            subprocess.run(["psql", PG_URL, "-qc", "ANALYZE"], check=True, capture_output=True)
        if database == "postgres" and template:
            psql(f"CREATE DATABASE {template} TEMPLATE {name}")
    # Tokens are issued the way the API issues them (stored as digests; the plain token exists only here).
    issue = ("import json; from django.contrib.auth.models import User; from peaceops.api.tokens import issue; "
             "print(json.dumps({r: issue(User.objects.get(username=r))[1] for r in "
             "('analyst', 'returns_officer', 'coordinator', 'monitor')}))")
    tokens = json.loads(_peaceops(env, "shell", "-c", issue).stdout.strip().splitlines()[-1])
    script = "from peaceops.core.models import Source; print(Source.objects.get(kind='patrol').pk)"
    env["PEACEOPS_BENCH_SOURCE"] = _peaceops(env, "shell", "-c", script).stdout.strip().splitlines()[-1]
    env["PEACEOPS_BENCH_TOKENS"] = json.dumps(tokens)
    return env


def _registrations(path: Path, rows: int) -> None:
    places = ["Stepanakert", "Martakert", "Askeran", "Martuni", "Shushi"]
    with path.open("w", encoding="utf-8") as out:
        out.write("household,name,sex,birth_date,relationship,destination,vulnerabilities,registered_on\n")
        for n in range(rows):
            out.write(f"L-{n // 4},Load Person {n},{'FM'[n % 2]},{1930 + n % 85},,{places[n // 4 % 5]},,"
                      "2020-11-15\n")


def _locust(env: dict, port: int, users: int, seconds: int, prefix: Path) -> dict:
    command = [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
               "-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{seconds}s", "--host", f"http://{HOST}:{port}",
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 300)
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust did not run: {done.stderr[-2000:]}")
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                 "p50": float(row["50%"]), "p95": float(row["95%"]), "p99": float(row["99%"])}
    return rows


TARGET_P95_MS = 300
CAPACITY_STEPS = (5, 10, 15, 20, 25, 30, 40, 50)


def capacity(env: dict, port: int, seconds: int, prefix: Path, steps=CAPACITY_STEPS) -> dict:
    """The load the server carries within the target: the same users and mix, stepped up from a few users, each
    step a fresh locust phase of `seconds`. Reports every step (users, requests/s served, aggregated p95, failures)
    and the highest requests/s whose p95 stayed under TARGET_P95_MS with no failure; stops after the first step
    over twice the target (the steps above it only queue longer)."""
    rows, best = [], None
    for users in steps:
        env["PEACEOPS_BENCH_MARK"] = f"capacity-{users}"
        stats = _locust(env, port, users, seconds, Path(f"{prefix}-{users}"))["Aggregated"]
        rps = round(stats["requests"] / seconds, 1)
        rows.append({"users": users, "rps": rps, "p95": stats["p95"], "failures": stats["failures"]})
        if stats["p95"] < TARGET_P95_MS and stats["failures"] == 0:
            best = rows[-1]
        elif stats["p95"] > 2 * TARGET_P95_MS:
            break
    return {"steps": rows, "within_target": best, "seconds": seconds}


def _writes_in_database(env: dict, mark: str) -> int:
    script = f"from peaceops.ceasefire.models import Incident; print(Incident.objects.filter(notes__startswith='{mark} ').count())"
    return int(_peaceops(env, "shell", "-c", script).stdout.strip().splitlines()[-1])


def measure(database: str, users: int, seconds: int, import_rows: int, processes: int,
            capacity_seconds: int = 0, import_nice: int = 10) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"peaceops-load-{database}-"))
    started = time.monotonic()
    env = _prepare(database, tmp)
    setup = time.monotonic() - started
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "peaceops", "serve", "--host", HOST, "--port", str(port),
                               "--processes", str(processes)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures = {"database": database, "users": users, "seconds": seconds, "processes": processes,
               "setup_s": round(setup), "import_nice": import_nice}
    try:
        for _ in range(600):
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        figures["load_before"] = os.getloadavg()
        env["PEACEOPS_BENCH_MARK"] = "steady"
        figures["steady"] = _locust(env, port, users, seconds, tmp / "steady")
        if capacity_seconds:
            figures["capacity"] = capacity(env, port, capacity_seconds, tmp / "capacity")
        path = tmp / "registrations.csv"
        _registrations(path, import_rows)
        importer = subprocess.Popen([sys.executable, "-m", "peaceops", "intake", "run", "returns.registrations",
                                     str(path), "--user", "returns_officer", "--nice", str(import_nice)],
                                    env=env, cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # let the import start writing
        env["PEACEOPS_BENCH_MARK"] = "during"
        imported_at = time.monotonic()
        figures["during_import"] = _locust(env, port, users, seconds, tmp / "during")
        out, err = importer.communicate(timeout=1800)
        figures["import_s"] = round(time.monotonic() - imported_at + 2, 1)
        figures["import_summary"] = out.strip().splitlines()[-1] if out.strip() else err.strip()[-200:]
        figures["load_after"] = os.getloadavg()
        for phase, mark in (("steady", "steady"), ("during_import", "during")):
            row = figures[phase]["write: file an incident (API)"]
            figures[phase + "_writes_ok"] = row["requests"] - row["failures"]
            figures[phase + "_writes_stored"] = _writes_in_database(env, mark)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return figures


def write_results(all_figures: list[dict]) -> None:
    lines = ["## Load\n",
             f"`python -m bench.load.run`, locust {_version('locust')}, CPython {platform.python_version()}, "
             "`peaceops serve` (Waitress) with its worker, on the shared 2-core machine. Each phase: "
             f"{all_figures[0]['users']} locust users (0.2–0.8 s between requests) for {all_figures[0]['seconds']} s "
             "against 127.0.0.1; 'during import' runs while `peaceops intake run` imports registrations. p95 in ms; "
             "the static file is the baseline measured in the same run.\n"]
    for f in all_figures:
        lines.append(f"\n### {f['database']} ({f['processes']} server processes; load average "
                     f"{f['load_before'][0]:.1f} before, {f['load_after'][0]:.1f} after)\n")
        lines.append("| request | steady p50 | steady p95 | during import p95 | requests | failures |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for name in sorted(f["steady"]):
            steady, during = f["steady"][name], f["during_import"].get(name, {})
            lines.append(f"| {name} | {steady['p50']:.0f} | {steady['p95']:.0f} | {during.get('p95', 0):.0f} | "
                         f"{steady['requests'] + during.get('requests', 0)} | "
                         f"{steady['failures'] + during.get('failures', 0)} |")
        lines.append(f"\nWrites acknowledged / found in the database: steady {f['steady_writes_ok']} / "
                     f"{f['steady_writes_stored']}, during the import {f['during_import_writes_ok']} / "
                     f"{f['during_import_writes_stored']}. Import: {f['import_summary']} "
                     f"(~{f['import_s']} s wall, under load, at nice {f.get('import_nice', 0)}).\n")
        if "capacity" in f:
            cap = f["capacity"]
            steps = ", ".join(f"{s['users']} users {s['rps']:.0f}/s p95 {s['p95']:.0f}"
                              + (f" ({s['failures']} failed)" if s["failures"] else "") for s in cap["steps"])
            best = cap["within_target"]
            within = (f"**{best['rps']:.0f} requests/s ({best['users']} users)**" if best else
                      "**none of the steps**")
            lines.append(f"Capacity (the same mix stepped up, {cap['seconds']} s a step, before the import): "
                         f"{steps}. Within p95 < {TARGET_P95_MS} ms: {within}.\n")
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    if "## Load" in text:
        head, _sep, rest = text.partition("## Load")
        tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
        old = rest[:len(rest) - len(tail)]
        text = head + section + _written_by_hand(old) + tail.lstrip("\n")
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text)


def _written_by_hand(old_section: str) -> str:
    """The subsections of the old "## Load" section that this script did not write (findings, probes, costs):
    from the first "### " heading that is not one of its per-database tables to the end. A new run replaces the
    tables and the lines under them, and keeps these."""
    generated = ("### sqlite (", "### postgres (")
    at = 0
    while (at := old_section.find("\n### ", at)) != -1:
        if not old_section.startswith(generated, at + 1):
            return old_section[at + 1:].rstrip("\n") + "\n\n"
        at += 1
    return ""


def _version(name: str) -> str:
    """The installed version, or "not installed" (the test suite writes the results without the bench extra)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--import-rows", type=int, default=50000)
    parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 4))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--capacity-seconds", type=int, default=15,
                        help="Seconds per step of the capacity step-up after the steady phase (0: skip it).")
    parser.add_argument("--import-nice", type=int, default=10,
                        help="The import's `peaceops intake run --nice` (10, its default; 0: the web server's priority).")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    figures = [measure(db, args.users, args.seconds, args.import_rows, args.processes, args.capacity_seconds,
                       args.import_nice) for db in databases]
    print(json.dumps(figures, indent=1, default=str))
    if not args.no_write:
        write_results(figures)


if __name__ == "__main__":
    main()
