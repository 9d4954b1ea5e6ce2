"""The worker is supervised (restarted with backoff, visible in /health/), and `peaceops serve` behind a TLS
proxy trusts the proxy's X-Forwarded-Proto instead of redirecting every request to https forever."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from django.db.utils import OperationalError

from peaceops.core import supervision
from peaceops.core.management.commands import worker as worker_command


@pytest.fixture
def run_dir(tmp_path, settings):
    settings.PEACEOPS_RUN_DIR = tmp_path / "run"
    return settings.PEACEOPS_RUN_DIR


def test_the_supervisor_restarts_a_dying_worker_with_growing_waits(run_dir):
    started, waits = [], []
    supervisor = supervision.Supervisor([sys.executable, "-c", "import sys; sys.exit(3)"], min_backoff=0.2,
                                        max_backoff=0.8)
    original = supervisor._record

    def record(**changes):
        if changes.get("state") == "running":
            started.append(time.monotonic())
        if changes.get("state") == "restarting":
            waits.append(changes["wait_seconds"])
        original(**changes)

    supervisor._record = record
    supervisor.start()
    deadline = time.monotonic() + 60
    while len(started) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    supervisor.stop()
    assert len(started) >= 5
    assert waits[:4] == [0.2, 0.4, 0.8, 0.8]  # doubling up to the ceiling
    gaps = [b - a for a, b in zip(started, started[1:])]
    assert all(gap >= wait for gap, wait in zip(gaps, waits))  # it really waited before each restart
    state = supervision.read_json(supervision.SUPERVISOR_FILE)
    assert state["restarts"] >= 3 and state["last_exit_code"] == 3 and state["last_restart"]


def test_the_worker_survives_a_locked_database_and_keeps_beating(run_dir, monkeypatch):
    calls = []

    def flaky_run(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")

    monkeypatch.setattr(worker_command.Worker, "run", flaky_run)
    monkeypatch.setattr(worker_command.time, "sleep", lambda _s: None)
    beat = supervision.Heartbeat(interval=60)
    worker = worker_command.HeartbeatWorker(queue_names=["default"], interval=0, batch=False,
                                            backend_name="default", startup_delay=False, max_tasks=None,
                                            worker_id="test", excluded_queue_names=[], heartbeat=beat)
    worker.run()
    assert len(calls) == 2 and "database locked" in beat.note


def test_another_database_error_still_ends_the_worker_for_the_supervisor_to_restart(run_dir, monkeypatch):
    monkeypatch.setattr(worker_command.Worker, "run", lambda self: (_ for _ in ()).throw(OperationalError("disk")))
    worker = worker_command.HeartbeatWorker(queue_names=["default"], interval=0, batch=False,
                                            backend_name="default", startup_delay=False, max_tasks=None,
                                            worker_id="test", excluded_queue_names=[],
                                            heartbeat=supervision.Heartbeat(interval=60))
    with pytest.raises(OperationalError):
        worker.run()


@pytest.mark.django_db
def test_health_answers_json_without_login_or_personal_data(client, run_dir):
    response = client.get("/health/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["worker"] == {"ok": False, "state": "no heartbeat", "heartbeat_age_seconds": None,
                              "supervised": False, "restarts": 0, "last_restart": None, "last_exit_code": None}
    assert body["status"] == "degraded"
    supervision.Heartbeat(interval=60).beat()
    supervision.write_json(supervision.SUPERVISOR_FILE, {"supervised": True, "restarts": 2,
                                                         "last_restart": "2026-01-01T00:00:00+00:00",
                                                         "last_exit_code": 1})
    body = client.get("/health/").json()
    assert body["status"] == "ok" and body["worker"]["state"] == "starting"
    assert body["worker"]["restarts"] == 2 and body["worker"]["heartbeat_age_seconds"] < 5
    assert set(body) == {"database", "worker", "status"}


@pytest.mark.django_db
def test_a_stale_heartbeat_is_reported(client, run_dir, settings):
    settings.PEACEOPS_WORKER_STALE_SECONDS = 0
    supervision.Heartbeat(interval=60).beat()
    time.sleep(0.05)
    assert client.get("/health/").json()["worker"]["ok"] is False


@pytest.mark.django_db
def test_health_is_503_when_the_database_cannot_be_reached(client, monkeypatch, run_dir):
    from peaceops.core.views import health

    monkeypatch.setattr(health, "_database", lambda alias: {"ok": False, "error": "OperationalError"})
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["status"] == "down"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> http.client.HTTPResponse:
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            return response
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


def test_serve_behind_a_tls_proxy_honours_x_forwarded_proto(tmp_path):
    port = _free_port()
    env = {**os.environ, "PEACEOPS_DATA_DIR": str(tmp_path), "BEHIND_PROXY": "yes", "SECURE_SSL_REDIRECT": "yes",
           "ALLOWED_HOSTS": "peaceops.example.org,127.0.0.1"}
    env.pop("DATABASE_URL", None)  # the login page needs no table; an empty SQLite file is enough
    server = subprocess.Popen([sys.executable, "-m", "peaceops", "serve", "--port", str(port), "--processes", "1",
                               "--no-worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        host = {"Host": "peaceops.example.org"}
        plain = _get(port, "/accounts/login/", host)
        assert plain.status == 301 and plain.getheader("Location").startswith("https://")
        proxied = _get(port, "/accounts/login/", {**host, "X-Forwarded-Proto": "https"})
        assert proxied.status == 200  # before: 301 to https again, a redirect loop behind the proxy
    finally:
        server.terminate()
        server.wait(timeout=30)
