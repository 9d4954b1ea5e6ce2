"""The audit chain's periodic checkpoint, run by the background worker (`peaceops db_worker`).

The task re-enqueues itself PEACEOPS_AUDIT_ANCHOR_INTERVAL seconds ahead, so one enqueue (`ensure_scheduled`,
called when `peaceops serve` starts) keeps checkpoints coming for as long as a worker runs. A supervisor that
prefers its own clock calls `peaceops.core.anchoring.anchor_now()` directly."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from peaceops.core import anchoring

log = logging.getLogger(__name__)


@task()
def anchor_checkpoint() -> dict:
    """Sign a checkpoint now and book the next one; {"error": ...} when signing was refused or failed."""
    try:
        checkpoint = anchoring.anchor_now()
        outcome: dict[str, object] = {"count": checkpoint.count, "file": checkpoint.name} if checkpoint else {"off": True}
    except (anchoring.AnchoringError, OSError) as exc:
        log.error("audit checkpoint not written: %s", exc)
        outcome = {"error": str(exc)}
    if anchoring.state()[0]:
        _enqueue(timezone.now() + dt.timedelta(seconds=max(settings.PEACEOPS_AUDIT_ANCHOR_INTERVAL, 1)))
    return outcome


def _pending():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=anchor_checkpoint.module_path, status=TaskResultStatus.READY)


def _enqueue(when: dt.datetime | None) -> None:
    if not _pending().exists():  # one booking at a time, however often the worker or a server restarts
        (anchor_checkpoint.using(run_after=when) if when else anchor_checkpoint).enqueue()


def ensure_scheduled() -> bool:
    """Book the first checkpoint (now) unless one is booked; False when anchoring is off."""
    if not anchoring.state()[0]:
        return False
    _enqueue(None)
    return True


# Called by `peaceops serve` at start, with every other app's tasks.SCHEDULE.
SCHEDULE = [ensure_scheduled]
