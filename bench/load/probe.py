"""Where the load test's time goes: one short locust phase against `peaceops serve` on PostgreSQL, with
pg_stat_activity sampled every 100 ms (what each connection of the database is doing or waiting on) and the CPU of
the server processes, the PostgreSQL backends and locust read from /proc before and after.

    python -m bench.load.probe [--users 50] [--seconds 20] [--root PATH] [--threads 8] [--worker] [--py-spy PATH]
                               [--import-rows 50000 [--import-nice 10]]

--root serves another checkout of the project (the tree before a change, say) with the same harness, so two
trees can be compared side by side on the same machine minutes apart. Prints one JSON object: locust's figures per
request, the share of samples per (state, wait) of the server's connections, the share of samples whose query
touches the audit head, and CPU seconds per process group over the phase. --worker serves with the background
worker (as `bench.load.run` does; its CPU is reported apart); --py-spy PATH (a py-spy binary, e.g. installed with
`pip install --target /tmp/tools py-spy`) dumps the server processes' threads every 2 s and counts where the
Waitress threads are, by their innermost PeaceOps frame. --import-rows runs `peaceops intake run` as
`bench.load.run`'s import phase does, at `--nice` --import-nice, its connections told apart (application_name) and
its CPU and its backend's reported apart; the whole machine's busy CPU seconds and PostgreSQL's own processes'
(autovacuum, WAL writer, checkpointer) are reported too, so what the phase competed with is visible.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.load import run

TICK = os.sysconf("SC_CLK_TCK")
IMPORTER_APP = "peaceops-bench-import"  # the importer's connections, told apart in pg_stat_activity (PGAPPNAME)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent not idle since boot (every core, every process)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICK  # all but idle and iowait; guest is inside user


class PostgresOthers:
    """CPU of PostgreSQL's own processes beside the client backends (autovacuum workers, WAL writer,
    checkpointer, background writer), polled: a process is counted from when it is first seen."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.poll()

    def poll(self) -> None:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if (entry / "comm").read_text().strip() != "postgres":
                        continue
                except OSError:
                    continue
                pid = int(entry.name)
                cpu = process_cpu(pid)
                self.first.setdefault(pid, cpu)
                self.last[pid] = max(self.last.get(pid, 0.0), cpu)

    def cpu(self, leave_out: set[int]) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last if pid not in leave_out)


def _kind(query: str) -> str:
    text = " ".join(query.split())[:80]
    if "core_audithead" in text:
        return "audit head: " + text.split(" ", 1)[0]
    if "core_auditevent" in text:
        return "audit event: " + text.split(" ", 1)[0]
    if text in ("COMMIT", "BEGIN", "ROLLBACK"):
        return text
    return "other: " + text.split(" ", 1)[0]


class Sampler(threading.Thread):
    """Reads pg_stat_activity of one database every `every` seconds until stopped."""

    def __init__(self, url: str, every: float = 0.1):
        super().__init__(daemon=True)
        self.url, self.every = url, every
        self.states: Counter = Counter()
        self.kinds: Counter = Counter()
        self.samples = 0
        self.backends: set[int] = set()
        self.importer_backends: set[int] = set()
        self.cpu_start: dict[int, float] = {}
        self.waiting_per_sample: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT pid, state, coalesce(wait_event_type, ''), coalesce(wait_event, ''), query, "
                    "application_name FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'", (name,)).fetchall()
                self.samples += 1
                waiting = 0
                for pid, state, wait_type, wait, query, application in rows:
                    importing = application == IMPORTER_APP
                    if importing:
                        self.importer_backends.add(pid)
                    if pid not in self.backends:
                        self.backends.add(pid)
                        self.cpu_start[pid] = process_cpu(pid)
                    who = "import " if importing else ""
                    self.states[f"{who}{state} {wait_type}:{wait}".strip()] += 1
                    if state == "active" or state == "idle in transaction":
                        self.kinds[f"{who}{state} {wait_type}:{wait} | {_kind(query)}"] += 1
                    waiting += wait_type == "Lock" and not importing
                self.waiting_per_sample.append(waiting)
                time.sleep(self.every)

    def backend_cpu(self, importer: bool = False) -> float:
        pids = self.importer_backends if importer else self.backends - self.importer_backends
        return sum(process_cpu(pid) - self.cpu_start.get(pid, 0.0) for pid in pids)


def _where(dump: str) -> Counter:
    """Waitress threads of one `py-spy dump` by state and innermost PeaceOps frame (or innermost frame)."""
    found: Counter = Counter()
    for block in dump.split("\nThread ")[1:]:
        lines = block.splitlines()
        if "waitress-" not in lines[0]:
            continue
        frames = [line.strip() for line in lines[1:] if line.strip()]
        ours = [f for f in frames if "peaceops/" in f]
        state = "active" if "(active" in lines[0] else "idle"
        found[f"{state} {frames[0].split(' (')[0] if frames else '?'} | {ours[0] if ours else '-'}"] += 1
    return found


def probe(users: int, seconds: int, root: Path, threads: int, processes: int, worker: bool = False,
          py_spy: str = "", template: str = "", serve_options: tuple[str, ...] = (), import_rows: int = 0,
          import_nice: int = 0) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="peaceops-probe-"))
    run.ROOT = root  # the tree whose `peaceops` is prepared and served
    env = run._prepare("postgres", tmp, template)
    env["PYTHONPATH"] = str(root)
    port = run._free_port()
    server = subprocess.Popen([sys.executable, "-m", "peaceops", "serve", "--host", run.HOST, "--port", str(port),
                               "--processes", str(processes), "--threads", str(threads),
                               *([] if worker else ["--no-worker"]), *serve_options],
                              env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                socket.create_connection((run.HOST, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1)
        children = _children(server.pid)
        workers = [pid for pid in children if b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        servers = [server.pid, *(pid for pid in children if pid not in workers)]
        cpu_before = {pid: process_cpu(pid) for pid in servers + workers}
        where: Counter = Counter()
        load_before = os.getloadavg()[0]
        others = PostgresOthers()
        busy_before = _machine_busy()
        sampler = Sampler(run.PG_URL)
        sampler.start()
        importer = None
        if import_rows:
            path = tmp / "registrations.csv"
            run._registrations(path, import_rows)
            importer = subprocess.Popen(
                [sys.executable, "-m", "peaceops", "intake", "run", "returns.registrations", str(path), "--user",
                 "returns_officer", "--nice", str(import_nice)], env={**env, "PGAPPNAME": IMPORTER_APP}, cwd=root,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            import_started = time.monotonic()
            time.sleep(2)  # let the import start writing, as bench.load.run does
        importer_cpu = 0.0
        env["PEACEOPS_BENCH_MARK"] = "probe"
        started = time.monotonic()
        command = [sys.executable, "-m", "locust", "-f", str(Path(run.__file__).with_name("locustfile.py")),
                   "--headless", "-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{seconds}s",
                   "--host", f"http://{run.HOST}:{port}", "--csv", str(tmp / "probe"), "--only-summary",
                   "--stop-timeout", "10"]
        locust = subprocess.Popen(command, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        locust_cpu, next_dump = 0.0, started + 5
        while locust.poll() is None:
            locust_cpu = max(locust_cpu, process_cpu(locust.pid))
            others.poll()
            if importer is not None:
                importer_cpu = max(importer_cpu, process_cpu(importer.pid))
            if py_spy and time.monotonic() > next_dump:
                for pid in servers:
                    where.update(_where(subprocess.run([py_spy, "dump", "--pid", str(pid)], capture_output=True,
                                                       text=True).stdout))
                next_dump = time.monotonic() + 2
            time.sleep(0.2)
        wall = time.monotonic() - started
        machine_busy = _machine_busy() - busy_before
        others.poll()
        sampler.stop.set()
        sampler.join()
        importer_backend_cpu = sampler.backend_cpu(importer=True)
        import_figures = {}
        if importer is not None:
            out, err = importer.communicate(timeout=1800)
            import_figures = {"rows": import_rows, "nice": import_nice, "wall_s": round(time.monotonic() - import_started, 1),
                              "cpu_s_during_locust": {"importer": round(importer_cpu, 1),
                                                      "its backend": round(importer_backend_cpu, 1)},
                              "summary": (out.strip().splitlines() or [err.strip()[-200:]])[-1]}
        server_cpu = sum(process_cpu(pid) - cpu_before[pid] for pid in servers)
        stats = {}
        import csv

        with open(tmp / "probe_stats.csv", newline="") as handle:
            for row in csv.DictReader(handle):
                stats[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                      "p50": float(row["50%"]), "p95": float(row["95%"])}
        total = max(1, sampler.samples)
        waiting = sorted(sampler.waiting_per_sample)
        return {
            "root": str(root), "serve_options": list(serve_options), "users": users, "seconds": seconds, "threads": threads, "processes": processes,
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
            "wall_s": round(wall, 1), "samples": sampler.samples,
            "import": import_figures,
            "cpu_s": {"server": round(server_cpu, 1), "postgres backends": round(sampler.backend_cpu(), 1),
                      "worker": round(sum(process_cpu(pid) - cpu_before[pid] for pid in workers), 1),
                      "locust": round(locust_cpu, 1),
                      "postgres's own processes": round(others.cpu(sampler.backends), 1),
                      "whole machine": round(machine_busy, 1)},
            "waitress_threads": dict(where.most_common(15)),
            "lock_waiters_per_sample": {"mean": round(sum(waiting) / total, 2),
                                        "median": waiting[len(waiting) // 2] if waiting else 0,
                                        "max": waiting[-1] if waiting else 0},
            "connections_per_sample": {k: round(v / total, 2) for k, v in sampler.states.most_common()},
            "busy_per_sample": {k: round(v / total, 2) for k, v in sampler.kinds.most_common(12)},
            "locust": stats,
        }
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--root", type=Path, default=run.ROOT)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 4))
    parser.add_argument("--worker", action="store_true", help="serve with the background worker")
    parser.add_argument("--py-spy", default="", help="path of a py-spy binary: dump the server's threads")
    parser.add_argument("--template", default="",
                        help="PostgreSQL database holding the loaded world: made on the first run, cloned after")
    parser.add_argument("--import-rows", type=int, default=0,
                        help="run a registrations import of this many rows (as bench.load.run does) during the phase")
    parser.add_argument("--import-nice", type=int, default=0,
                        help="the importer's `--nice` (0: the web server's priority)")
    parser.add_argument("--serve", default="", help="more options for `peaceops serve`, e.g. \"--switch-interval 1\"")
    args = parser.parse_args()
    print(json.dumps(probe(args.users, args.seconds, args.root.resolve(), args.threads, args.processes,
                           args.worker, args.py_spy, args.template, tuple(args.serve.split()),
                           args.import_rows, args.import_nice), indent=1))


if __name__ == "__main__":
    main()
