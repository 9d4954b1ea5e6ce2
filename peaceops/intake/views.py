"""Generic import pages: choose an importer, upload, read the line-by-line report, fix and resubmit rows."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.intake import tabular
from peaceops.intake.forms import row_form, upload_form
from peaceops.intake.models import BatchStatus, ImportBatch
from peaceops.intake.registry import importers
from peaceops.intake.tasks import run_import_batch


def _allowed_importers(user) -> dict:
    return {key: spec for key, spec in importers().items() if can(user, spec.capability)}


@require("intake.use")
def index(request):
    batches = ImportBatch.objects.visible_to(request.user).select_related("uploaded_by")[:50]
    return render(request, "intake/index.html", {"importers": _allowed_importers(request.user).values(),
                                                 "batches": batches})


@require("intake.use", "intake.use", writer_only=True)
def upload(request, key: str):
    spec = _allowed_importers(request.user).get(key)
    if spec is None:
        raise Http404
    form = upload_form(spec)(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        extra = {name: form.cleaned_data[name] for name, _label in spec.parameters}
        data = upload_file.read()
        batch = tabular.start_batch(spec, data, upload_file.name, request.user, extra)
        if batch.status == BatchStatus.QUEUED:
            _run(batch, request.user, len(data), spec)
        return redirect("intake:batch", pk=batch.pk)
    return render(request, "intake/upload.html", {"spec": spec, "form": form})


def _run(batch: ImportBatch, user, size: int, spec=None, resume: bool = False) -> None:
    """A small file is imported while the page waits; a large one by the worker, the batch page showing its
    progress (the web server's threads stay free for everyone else's pages)."""
    if size <= settings.PEACEOPS_IMPORT_INLINE_BYTES:
        if resume:
            tabular.resume(batch, user)
        else:
            tabular.run_batch(batch, user, spec)
    else:
        # Marked as waiting for the worker, so the page shows that instead of offering to resume it again.
        claimed = tabular.update_batch(batch.pk, "import queued for the worker",
                                       where={"runner": batch.runner, "status": batch.status},
                                       status=BatchStatus.QUEUED, runner="queued")
        if claimed:
            run_import_batch.enqueue(batch.pk, resume)


@require("intake.use", "intake.use")
def batch_detail(request, pk: int):
    batch = get_visible_or_404(ImportBatch.objects, request.user, pk=pk)
    spec = importers()[batch.kind]
    if request.method == "POST" and request.POST.get("action") == "resume":
        if reason := tabular.why_not_resumable(batch):
            messages.error(request, reason)
        else:
            try:
                _run(batch, request.user, Path(batch.stored_file).stat().st_size, resume=True)
                messages.success(request, _("The import goes on from row %(n)s.") % {"n": batch.rows_read + 1})
            except tabular.ImportNotResumable as exc:
                messages.error(request, str(exc))
        return redirect("intake:batch", pk=batch.pk)
    rows = list(batch.open_rows)
    if request.method == "POST":
        row = next((r for r in rows if str(r.pk) == request.POST.get("row")), None)
        if row is None:
            raise Http404
        form = row_form(spec.columns, row.values)(request.POST)
        form.is_valid()
        errors = tabular.resubmit(row, form.cleaned_data, request.user)
        if errors:
            messages.error(request, _("Line %(line)s still has problems: %(errors)s")
                           % {"line": row.line, "errors": "; ".join(errors)})
        else:
            messages.success(request, _("Line %(line)s imported.") % {"line": row.line})
        return redirect("intake:batch", pk=batch.pk)
    forms = [(row, row_form(spec.columns, row.values)()) for row in rows[:200]]
    waiting = batch.status == BatchStatus.QUEUED and batch.runner == "queued"
    resumable = (batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING) and not waiting
                 and not tabular.why_not_resumable(batch))
    return render(request, "intake/batch.html", {
        "batch": batch, "spec": spec, "forms": forms, "open_count": len(rows), "resumable": resumable,
        "warnings": batch.warnings.all()[:500], "waiting": waiting,
        "working": waiting or (batch.status == BatchStatus.RUNNING and not resumable)})
