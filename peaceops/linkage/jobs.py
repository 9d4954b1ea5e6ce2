"""Matching jobs in the background: an officer (or `peaceops link job`) starts one, the worker runs it on the
configured backend (DuckDB in-process or the operator's Spark cluster) and records its progress as it goes."""

from __future__ import annotations

import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core.booking import book
from peaceops.core.roles import can
from peaceops.linkage import config
from peaceops.linkage.models import JobStatus, LinkageJob
from peaceops.linkage.sources import jobs  # noqa: F401 - re-exported for the CLI

log = logging.getLogger(__name__)
# Progress is written at most this often: a run reports every step, the database need not hear each.
PROGRESS_EVERY = 1.0


def start(kind: str, user, arguments: dict | None = None) -> LinkageJob:
    """Queue a job; the worker (`peaceops worker`) runs it. Refused when the user may not run that kind."""
    job_kind = jobs().get(kind)
    if job_kind is None:
        raise ValidationError(_("Unknown matching job."))
    if user is not None and not can(user, job_kind.capability):
        raise PermissionDenied
    job = LinkageJob.objects.create(kind=kind, arguments=arguments or {}, backend=config.backend(),
                                    requested_by=user if getattr(user, "is_authenticated", False) else None)
    book("linkage.run_linkage_job", job.pk)
    return job


def record_progress(job_id: int, message: str) -> None:
    LinkageJob.objects.filter(pk=job_id).update(progress=message[:200])


def run(job: LinkageJob) -> LinkageJob:
    """Run a queued job here and now (the worker's task, and `peaceops link job --now`)."""
    job_kind = jobs()[job.kind]
    LinkageJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(),
                                                progress=_("starting"))
    last = [0.0]

    def progress(message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            record_progress(job.pk, str(message))

    try:
        summary, status = job_kind.run(job.requested_by, job.arguments, progress), JobStatus.DONE
    except (ValidationError, LookupError, ValueError) as exc:  # a refusal the officer can act on
        summary, status = " ".join(getattr(exc, "messages", [str(exc)])), JobStatus.FAILED
    except Exception as exc:
        log.exception("matching job %s failed", job.pk)
        summary, status = _("The job failed (%(error)s); nothing was stored. Tell the administrator if it fails "
                            "again.") % {"error": type(exc).__name__}, JobStatus.FAILED
    LinkageJob.objects.filter(pk=job.pk).update(status=status, summary=summary, progress="",
                                                finished_at=timezone.now())
    job.refresh_from_db()
    return job


def visible_jobs(user):
    """Jobs of the kinds this user may start or read."""
    from peaceops.linkage.sources import sources

    kinds = {k for k, j in jobs().items() if can(user, j.capability)}
    kinds |= {s.kind for s in sources() if can(user, s.capability)}
    return LinkageJob.objects.filter(kind__in=kinds).select_related("requested_by")
