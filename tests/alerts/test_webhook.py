"""The webhook: a JSON body with no personal data, signed with HMAC-SHA256 under the shared secret, delivered by
the worker and retried with exponential backoff. Never the network: a local HTTP server stands in."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from peaceops.alerts.models import Alert
from peaceops.alerts.services import delivery, rules
from peaceops.alerts.tasks import deliver_webhook

pytestmark = pytest.mark.django_db

SECRET = "a-shared-secret-of-some-length"


@pytest.fixture
def receiver(settings):
    """A local server answering with the statuses queued in `answers` (200 once they run out)."""
    received, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 — the http.server name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PEACEOPS_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    settings.PEACEOPS_ALERT_WEBHOOK_SECRET = SECRET
    settings.PEACEOPS_ALERT_BASE_URL = "https://peaceops.example.org"
    yield received, answers
    server.shutdown()


def _alert(webhook=True) -> Alert:
    return rules.raise_alert("exchanges.tracing_match", "info", roles=["exchange_officer"],
                             link="/exchanges/tracing/7/", subject_model="exchanges.tracingrequest",
                             subject_id="7", facts={"request": 7}, webhook=webhook)


def test_the_call_is_signed_and_carries_no_personal_data(receiver, django_capture_on_commit_callbacks):
    received, _answers = receiver
    with django_capture_on_commit_callbacks(execute=True):
        alert = _alert()
    assert alert.webhook_state == "pending"
    assert deliver_webhook.call(alert.pk)["state"] == "sent"
    headers, body = received[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-peaceops-signature"] == expected
    assert not hmac.compare_digest(expected, delivery.sign(body, "another secret"))
    payload = json.loads(body)
    assert set(payload) == {"id", "kind", "severity", "created", "link"}
    assert payload["link"] == "https://peaceops.example.org/exchanges/tracing/7/"
    assert payload["kind"] == "exchanges.tracing_match" and payload["id"] == str(alert.uuid)
    alert.refresh_from_db()
    assert (alert.webhook_state, alert.webhook_attempts) == ("sent", 1)


def test_a_failed_call_is_retried_with_backoff_then_given_up(receiver, settings):
    from django_tasks_db.models import DBTaskResult

    received, answers = receiver
    settings.PEACEOPS_ALERT_WEBHOOK_ATTEMPTS = 3
    settings.PEACEOPS_ALERT_WEBHOOK_BACKOFF = 30
    alert = _alert()
    answers.extend([500, 503, 500])
    before = timezone.now()
    assert deliver_webhook.call(alert.pk) == {"state": "pending", "attempts": 1, "error": "HTTP 500"}
    booked = DBTaskResult.objects.filter(task_path=deliver_webhook.module_path).order_by("-run_after").first()
    assert booked.args_kwargs["args"] == [alert.pk]
    assert dt.timedelta(seconds=29) < booked.run_after - before < dt.timedelta(seconds=40)
    assert deliver_webhook.call(alert.pk)["state"] == "pending"
    booked = DBTaskResult.objects.filter(task_path=deliver_webhook.module_path).order_by("-run_after").first()
    assert booked.run_after - before > dt.timedelta(seconds=59)  # the wait doubled
    assert deliver_webhook.call(alert.pk) == {"state": "failed", "attempts": 3, "error": "HTTP 500"}
    assert len(received) == 3
    assert deliver_webhook.call(alert.pk) == {"skipped": True}  # nothing more after giving up


def test_an_unreachable_receiver_is_retried(settings):
    settings.PEACEOPS_ALERT_WEBHOOK_URL = "http://127.0.0.1:9/closed"  # the discard port: refused at once
    settings.PEACEOPS_ALERT_WEBHOOK_SECRET = SECRET
    alert = _alert()
    outcome = deliver_webhook.call(alert.pk)
    assert outcome["state"] == "pending" and outcome["error"]


def test_no_url_no_webhook(settings):
    settings.PEACEOPS_ALERT_WEBHOOK_URL = ""
    assert _alert().webhook_state == ""


@pytest.mark.parametrize("env, message", [
    ({"PEACEOPS_ALERT_WEBHOOK_URL": "ftp://example.org/x", "PEACEOPS_ALERT_WEBHOOK_SECRET": SECRET}, "http"),
    ({"PEACEOPS_ALERT_WEBHOOK_URL": "https://example.org/x"}, "PEACEOPS_ALERT_WEBHOOK_SECRET"),
    ({"PEACEOPS_ALERT_WEBHOOK_ATTEMPTS": "0"}, "PEACEOPS_ALERT_WEBHOOK_ATTEMPTS"),
])
def test_bad_webhook_settings_stop_the_start(env, message):
    result = subprocess.run([sys.executable, "-c", "import peaceops.settings"], capture_output=True, text=True,
                            env={**os.environ, **env}, timeout=60)
    assert result.returncode != 0 and message in result.stderr
