"""OpenRosa submissions per second: 20 concurrent clients posting incident reports to `peaceops serve` on
127.0.0.1, as ODK Collect does (multipart, Basic authentication on every request).

    python -m bench.intake.openrosa [--clients 20] [--seconds 20] [--database sqlite|postgres|both]

Three phases against one server, each for --seconds: HEAD /openrosa/submission (authenticated, writes nothing:
the floor, mostly the password check, and the baseline every other phase is divided by), new submissions (each a
new incident), and the same submissions again (Collect's retries: answered 201, nothing stored). Then counts that
every 201 of the second phase is exactly one incident. The core world only, in a throw-away SQLite data
directory or a throw-away PostgreSQL database (`--postgres-url`, dropped and made afresh; default
postgres://postgres@127.0.0.1:5432/peaceops_intake_bench). With `--database both` the two run back to back and a
last table divides PostgreSQL's figures by SQLite's. Figures go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"  # the only address this benchmark sends traffic to
PASSWORD = "peaceops-demo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _peaceops(env, *args):
    return subprocess.run([sys.executable, "-m", "peaceops", *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)


def _phase(clients: int, seconds: float, work) -> tuple[int, list[float], dict[int, int]]:
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def run(index: int) -> None:
        session = requests.Session()
        n = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            status = work(session, index, n)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
            n += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, statuses


def _summary(name: str, count: int, latencies: list[float], statuses: dict, seconds: float,
             baseline: float | None) -> tuple[float, str]:
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    rate = count / seconds
    ratio = "1 (baseline)" if baseline is None else (f"{rate / baseline:.3f}" if baseline else "–")
    return rate, (f"| {name} | {rate:.1f} | {ratio} | {statistics.median(ordered) * 1000:.0f} | {p95 * 1000:.0f} | "
                  f"{', '.join(f'{k}×{v}' for k, v in sorted(statuses.items()))} |")


def _fresh_postgres(url: str) -> None:
    """Drop and make the bench database (never the one tests or anyone else uses: the name is the caller's)."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(f"--postgres-url must name a database ending in _bench (it is dropped): {name!r}")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


PHASES = ("HEAD (authenticated, no write) — baseline", "new submission (each a new incident)",
          "identical resubmission (Collect's retry: 201, nothing stored)")


def run(database: str, args) -> dict:
    from tests.fieldforms.collect import basic, fill

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PEACEOPS_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "peaceops.settings",
               "PEACEOPS_2FA_ROLES": "", "AXES_ENABLED": "no", "PEACEOPS_OPENROSA_ALLOW_HTTP": "yes"}
        env.pop("DATABASE_URL", None)
        if database == "postgres":
            _fresh_postgres(args.postgres_url)
            env["DATABASE_URL"] = args.postgres_url
        _peaceops(env, "migrate", "-v0")
        _peaceops(env, "shell", "-c", "from peaceops.scenario import world; world.load_core()")
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "peaceops", "serve", "--port", str(port), "--no-worker"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://{HOST}:{port}/openrosa"
        auth = {"Authorization": basic("monitor", PASSWORD), "X-OpenRosa-Version": "1.0"}
        load_before = os.getloadavg()
        try:
            for _attempt in range(120):
                try:
                    if requests.head(f"{base}/submission", headers=auth, timeout=2).status_code == 204:
                        break
                except requests.ConnectionError:
                    pass
                time.sleep(0.5)
            xform = requests.get(f"{base}/forms/incident_report/form.xml", headers=auth, timeout=30).text
            place = requests.get(f"{base}/formList", headers=auth, timeout=30)  # warm the form list too
            assert place.status_code == 200
            pool = [fill(xform)[0] for _n in range(4000)]
            sent: list[bytes] = []

            def head(session, index, n):
                return session.head(f"{base}/submission", headers=auth, timeout=60).status_code

            def post(session, index, n):
                xml = pool[(index * 200 + n) % len(pool)]
                response = session.post(f"{base}/submission", headers=auth, timeout=60,
                                        files={"xml_submission_file": ("submission.xml", xml, "text/xml")})
                if response.status_code == 201:
                    sent.append(xml)
                return response.status_code

            def again(session, index, n):
                xml = sent[(index * 37 + n) % len(sent)]
                return session.post(f"{base}/submission", headers=auth, timeout=60,
                                    files={"xml_submission_file": ("submission.xml", xml, "text/xml")}).status_code

            rows, rates = [], []
            baseline = None
            for name, work in zip(PHASES, (head, post, again)):
                count, latencies, statuses = _phase(args.clients, args.seconds, work)
                rate, row = _summary(name, count, latencies, statuses, args.seconds, baseline)
                baseline = rate if baseline is None else baseline
                rows.append(row)
                rates.append(rate)
            distinct = len(set(sent))
            counted = _peaceops(env, "shell", "-c", "from peaceops.ceasefire.models import Incident; "
                                "print(Incident.objects.exclude(external_id='').count())").stdout.strip().splitlines()[-1]
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"database": database, "rows": rows, "rates": rates, "distinct": distinct, "counted": counted,
            "load": (load_before, os.getloadavg())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/peaceops_intake_bench")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results = [run(database, args) for database in databases]
    print(f"`python -m bench.intake.openrosa --clients {args.clients} --seconds {args.seconds:g} --database "
          f"{args.database}`, {started}, CPython {platform.python_version()}, {os.cpu_count()} cores")
    for result in results:
        before, after = result["load"]
        print(f"\n### {result['database']} (load average {before[0]:.1f} before, {after[0]:.1f} after)\n")
        print("| phase | requests/s | × baseline | median ms | p95 ms | answers |\n|---|---:|---:|---:|---:|---|")
        print("\n".join(result["rows"]))
        print(f"\ndistinct instances accepted: {result['distinct']}; incidents in the database: {result['counted']}")
    if len(results) == 2:
        print("\n| phase | PostgreSQL ÷ SQLite (requests/s, same run) |\n|---|---:|")
        for name, lite, pg in zip(PHASES, results[0]["rates"], results[1]["rates"]):
            print(f"| {name} | {pg / lite:.2f} |" if lite else f"| {name} | – |")


if __name__ == "__main__":
    main()
