"""OpenRosa submissions per second: 20 concurrent clients posting incident reports to `peaceops serve` on
127.0.0.1, as ODK Collect does (multipart, Basic authentication on every request).

    python -m bench.intake.openrosa [--clients 20] [--seconds 20]

Three phases against one server, each for --seconds: HEAD /openrosa/submission (authenticated, writes nothing:
the floor, mostly the password check), new submissions (each a new incident), and the same submissions again
(Collect's retries: answered 201, nothing stored). Then counts that every 201 of the second phase is exactly one
incident. SQLite in a throw-away data directory, the core world only; figures go to bench/RESULTS.md by hand.
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
from pathlib import Path

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


def _summary(name: str, count: int, latencies: list[float], statuses: dict, seconds: float) -> str:
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"| {name} | {count / seconds:.1f} | {statistics.median(ordered) * 1000:.0f} | {p95 * 1000:.0f} | "
            f"{', '.join(f'{k}×{v}' for k, v in sorted(statuses.items()))} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.fieldforms.collect import basic, fill

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PEACEOPS_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "peaceops.settings",
               "PEACEOPS_2FA_ROLES": "", "AXES_ENABLED": "no", "PEACEOPS_OPENROSA_ALLOW_HTTP": "yes"}
        env.pop("DATABASE_URL", None)
        _peaceops(env, "migrate", "-v0")
        _peaceops(env, "shell", "-c", "from peaceops.scenario import world; world.load_core()")
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "peaceops", "serve", "--port", str(port), "--no-worker"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://{HOST}:{port}/openrosa"
        auth = {"Authorization": basic("monitor", PASSWORD), "X-OpenRosa-Version": "1.0"}
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

            rows = []
            for name, work in (("HEAD (authenticated, no write)", head), ("new submission (201)", post),
                               ("identical resubmission (201, nothing stored)", again)):
                count, latencies, statuses = _phase(args.clients, args.seconds, work)
                rows.append(_summary(name, count, latencies, statuses, args.seconds))
            distinct = len(set(sent))
            counted = _peaceops(env, "shell", "-c", "from peaceops.ceasefire.models import Incident; "
                                "print(Incident.objects.exclude(external_id='').count())").stdout.strip().splitlines()[-1]
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.clients} clients, {args.seconds:.0f} s per phase, SQLite, CPython {platform.python_version()}, "
          f"load average at the end {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| phase | requests/s | median ms | p95 ms | answers |\n|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"distinct instances accepted: {distinct}; incidents in the database: {counted}")


if __name__ == "__main__":
    main()
