"""Large imports run in the background worker, so the web server's threads stay free for pages."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_batch(batch_id: int, resume: bool = False) -> dict:
    from peaceops.core.context import acting_as
    from peaceops.intake import tabular
    from peaceops.intake.models import ImportBatch

    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    actor = getattr(batch.uploaded_by, "username", "") or f"system:import {batch.kind}"
    try:
        with acting_as(actor):
            if resume:
                tabular.resume(batch, batch.uploaded_by)
            else:
                tabular.run_batch(batch, batch.uploaded_by)
    except tabular.ImportNotResumable as exc:
        return {"error": str(exc)}
    batch.refresh_from_db()
    return {"status": batch.status, "rows_read": batch.rows_read, "rows_saved": batch.rows_saved}
