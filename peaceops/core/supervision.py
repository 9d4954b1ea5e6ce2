"""The background worker's heartbeat and its supervision by `peaceops serve`.

The worker (`peaceops worker`) writes a heartbeat file every few seconds from a thread of its own, saying whether
it is idle or running a task; the supervisor (`peaceops serve`, or systemd in production) restarts a worker that
exits, waiting longer after each quick failure (1, 2, 4 … up to 60 s), and records each restart in its own file.
`/health/` reads both. Files, not database rows: the heartbeat must still be written, and read, when the
database is what is failing. Both live in PEACEOPS_RUN_DIR, which the web server and the worker share (one
machine, or a shared volume).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("peaceops.worker")

HEARTBEAT_FILE = "worker-heartbeat.json"
SUPERVISOR_FILE = "worker-supervisor.json"


def run_dir() -> Path:
    path = Path(settings.PEACEOPS_RUN_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_json(name: str, data: dict) -> None:
    """Replace the file atomically, so a reader never sees half of it."""
    target = run_dir() / name
    temporary = target.with_name(f".{name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, default=str), encoding="utf-8")
    os.replace(temporary, target)


def read_json(name: str) -> dict | None:
    try:
        return json.loads((run_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class Heartbeat:
    """Written by the worker: every `interval` seconds while the process lives, with what its loop is doing."""

    def __init__(self, interval: float | None = None):
        self.interval = interval or settings.PEACEOPS_WORKER_HEARTBEAT_SECONDS
        self.state = "starting"
        self.task = ""
        self.task_started: str | None = None
        self.note = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="peaceops-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.state = "stopped"
        self.beat()

    def beat(self) -> None:
        try:
            write_json(HEARTBEAT_FILE, {"pid": os.getpid(), "at": timezone.now().isoformat(), "state": self.state,
                                        "task": self.task, "task_started": self.task_started, "note": self.note})
        except OSError as exc:  # a full disk must not take the worker down with it
            logger.warning("heartbeat not written: %s", exc)

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            self.beat()


class Supervisor:
    """Keeps one child process running: restarts it when it exits, backing off after quick failures."""

    def __init__(self, command: Sequence[str], *, min_backoff: float = 1.0, max_backoff: float = 60.0,
                 stable_after: float = 60.0, env: dict | None = None):
        self.command = list(command)
        self.min_backoff, self.max_backoff, self.stable_after = min_backoff, max_backoff, stable_after
        self.env = env
        self.restarts = 0
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peaceops-supervisor", daemon=True)
        self._status: dict = {"supervised": True, "restarts": 0, "last_restart": None, "last_exit_code": None}

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout=5)
        self._record(pid=None, state="stopped")

    def _record(self, **changes) -> None:
        self._status.update(changes)
        try:
            write_json(SUPERVISOR_FILE, self._status)
        except OSError as exc:
            logger.warning("supervisor state not written: %s", exc)

    def _run(self) -> None:
        backoff = self.min_backoff
        while not self._stopping.is_set():
            started = time.monotonic()
            self.process = subprocess.Popen(self.command, env=self.env)
            self._record(pid=self.process.pid, state="running", started_at=timezone.now().isoformat())
            code = self.process.wait()
            if self._stopping.is_set():
                break
            ran = time.monotonic() - started
            backoff = self.min_backoff if ran >= self.stable_after else backoff
            logger.error("worker exited with status %s after %.0f s; restarting in %.0f s", code, ran, backoff)
            self._record(pid=None, state="restarting", last_exit_code=code, wait_seconds=backoff,
                         next_start=(timezone.now() + timedelta(seconds=backoff)).isoformat())
            if self._stopping.wait(backoff):
                break
            backoff = min(backoff * 2, self.max_backoff)
            self.restarts += 1
            self._record(restarts=self.restarts, last_restart=timezone.now().isoformat())


def worker_health(now=None) -> dict:
    """What /health/ says of the worker: alive (a fresh heartbeat), its state, and the supervisor's restarts."""
    now = now or timezone.now()
    beat = read_json(HEARTBEAT_FILE) or {}
    supervisor = read_json(SUPERVISOR_FILE) or {}
    age = None
    if beat.get("at"):
        try:
            age = round((now - datetime.fromisoformat(beat["at"])).total_seconds(), 1)
        except (TypeError, ValueError):
            age = None
    alive = age is not None and age <= settings.PEACEOPS_WORKER_STALE_SECONDS and beat.get("state") != "stopped"
    return {
        "ok": alive,
        "state": beat.get("state", "unknown") if alive else ("stopped" if beat.get("state") == "stopped"
                                                             else "no heartbeat"),
        "heartbeat_age_seconds": age,
        "supervised": bool(supervisor.get("supervised")),
        "restarts": supervisor.get("restarts", 0),
        "last_restart": supervisor.get("last_restart"),
        "last_exit_code": supervisor.get("last_exit_code"),
    }
