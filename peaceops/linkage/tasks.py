"""The background worker's side of matching jobs (peaceops.linkage.jobs)."""

from __future__ import annotations

from django_tasks import task

from peaceops.core.context import acting_as
from peaceops.linkage.jobs import run
from peaceops.linkage.models import LinkageJob


@task()
def run_linkage_job(job_id: int) -> dict:
    job = LinkageJob.objects.select_related("requested_by").get(pk=job_id)
    with acting_as(getattr(job.requested_by, "username", "") or f"system:linkage {job.kind}"):
        job = run(job)
    return {"status": job.status, "summary": job.summary}


# What linkage.jobs books by name (peaceops.core.booking): a queued matching job.
BOOKABLE = {"linkage.run_linkage_job": run_linkage_job}
