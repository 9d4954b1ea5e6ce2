"""Background jobs of the alerts app (django-tasks; `peaceops serve` runs the worker).

`periodic_checks` runs every app's periodic checks (events.py `CHECKS`, e.g. convoys overdue at a checkpoint),
then escalates unacknowledged alerts and overdue tasks, and books itself PEACEOPS_ALERT_CHECK_INTERVAL seconds
ahead — one enqueue keeps it going as long as a worker runs. A supervisor that prefers its own clock runs
`peaceops alerts escalate` from cron instead. `deliver_webhook` makes one attempt and books the next with
exponential backoff until PEACEOPS_ALERT_WEBHOOK_ATTEMPTS are spent."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from peaceops.alerts.models import Alert
from peaceops.alerts.services import delivery, rules
from peaceops.core.registry import collect

log = logging.getLogger(__name__)


def run_checks(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    found = 0
    for check in collect("events", "CHECKS"):
        try:
            found += check(now) or 0
        except Exception as exc:  # noqa: BLE001 — one app's failing check must not stop escalation
            log.error("periodic check %r failed: %s", check, exc, exc_info=exc)
    return {"checks": found, **rules.escalate(now)}


@task()
def periodic_checks() -> dict:
    outcome = run_checks()
    _book(periodic_checks, timezone.now() + dt.timedelta(seconds=settings.PEACEOPS_ALERT_CHECK_INTERVAL))
    return outcome


@task()
def deliver_webhook(alert_id: int) -> dict:
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None or alert.webhook_state != "pending" or not delivery.webhook_configured():
        return {"skipped": True}
    ok, error = delivery.send_webhook(alert)
    attempts = alert.webhook_attempts + 1
    state = "sent" if ok else ("failed" if attempts >= settings.PEACEOPS_ALERT_WEBHOOK_ATTEMPTS else "pending")
    Alert.objects.filter(pk=alert.pk).update(webhook_state=state, webhook_attempts=attempts,
                                             webhook_error=error[:300])
    if state == "pending":
        wait = delivery.backoff_seconds(attempts)
        deliver_webhook.using(run_after=timezone.now() + dt.timedelta(seconds=wait)).enqueue(alert.pk)
        log.warning("alert %s: webhook attempt %s failed (%s); next in %ss", alert.pk, attempts, error, wait)
    elif state == "failed":
        log.error("alert %s: webhook gave up after %s attempts: %s", alert.pk, attempts, error)
    return {"state": state, "attempts": attempts, "error": error}


def _book(job, when: dt.datetime | None) -> None:
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(task_path=job.module_path, status=TaskResultStatus.READY)
    if not pending.exists():  # one booking at a time, however often the worker or a server restarts
        (job.using(run_after=when) if when else job).enqueue()


def ensure_scheduled() -> bool:
    """Book the first periodic check (now) unless one is booked."""
    _book(periodic_checks, None)
    return True


# Called by `peaceops serve` at start (peaceops.core collects every app's tasks.SCHEDULE).
SCHEDULE = [ensure_scheduled]
# What the services book by name (peaceops.core.booking): a new alert's webhook.
BOOKABLE = {"alerts.deliver_webhook": deliver_webhook}
