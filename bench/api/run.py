"""API latency under concurrent load, against a Waitress server on 127.0.0.1 only.

    python -m bench.api.run [--seconds 10] [--clients 8] [--processes N]

Loads the core world into a throw-away SQLite database, serves it, and drives bounded request loops from
client threads. The baseline, measured in the same run, is a static file served by WhiteNoise: the ratio says
what the API costs above the server's own floor. Each table is run twice: one Waitress process, then
`peaceops serve`'s default of one process per core.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, path: str, token: str | None) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Token {token}"} if token else {}
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed


def _load(port: int, path: str, token: str | None, seconds: float, clients: int) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        local = []
        for _ in range(100_000):  # bounded even if the clock misbehaves
            if time.monotonic() >= deadline:
                break
            local.append(_request(port, path, token))
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) >= 2 else values[0] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="Waitress threads per server process")
    parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 4),
                        help="server processes to compare with one (default: one per core, up to four)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="peaceops-bench-api-"))
    env = {**os.environ, "PEACEOPS_DATA_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "peaceops.settings"}
    env.pop("DATABASE_URL", None)
    python = sys.executable
    subprocess.run([python, "-m", "peaceops", "scenario", "load"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    issue = ("import django; django.setup(); from django.contrib.auth.models import User; "
             "from peaceops.api.tokens import issue; print(issue(User.objects.get(username='analyst'))[1])")
    token = subprocess.run([python, "-c", issue], env=env, cwd=ROOT, check=True, capture_output=True,
                           text=True).stdout.split()[-1]
    cases = [
        ("baseline: static file", "/static/peaceops/peaceops.css", None),
        ("places list (page of 50)", "/api/places/", token),
        ("places search ?q=Шуша", "/api/places/?q=%D0%A8%D1%83%D1%88%D0%B0", token),
        ("resolve Xankəndi", "/api/places/resolve/?name=Xank%C9%99ndi", token),
        ("place detail", "/api/places/1/", token),
    ]
    results = {}
    for processes in sorted({1, args.processes}):
        rows = _measure(python, env, cases, processes, args)
        results[processes] = rows
        base95 = rows[0][3]
        print(f"API latency, {args.clients} concurrent clients, {args.seconds:.0f} s each, Waitress {processes} "
              f"process(es) × {args.threads} threads, SQLite")
        print(f"{'endpoint':32} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p95 / baseline':>15}")
        for label, count, p50, p95 in rows:
            print(f"{label:32} {count:9d} {p50:8.1f} {p95:8.1f} {p95 / base95:15.1f}")
    print(json.dumps({n: {label: {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)} for label, _, p50, p95 in rows}
                      for n, rows in results.items()}))


def _measure(python: str, env: dict, cases: list, processes: int, args) -> list[tuple[str, int, float, float]]:
    port = _free_port()
    server = subprocess.Popen([python, "-m", "peaceops", "serve", "--port", str(port), "--threads", str(args.threads),
                               "--processes", str(processes), "--no-worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                _request(port, "/static/peaceops/peaceops.css", None)
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for label, path, auth in cases:
            timings = _load(port, path, auth, args.seconds, args.clients)
            rows.append((label, len(timings), _p(timings, 50), _p(timings, 95)))
        return rows
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
