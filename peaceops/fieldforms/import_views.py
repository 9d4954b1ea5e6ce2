"""The Field forms page's import of a KoboToolbox or ODK Central export: upload, then read the report.

A small file is imported while the page waits; a larger one by the worker, the page polling until its report is
ready (the same split as the other imports: PEACEOPS_IMPORT_INLINE_BYTES). The report is shown once, to the user
who uploaded, from their session."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from peaceops.core.permissions import require
from peaceops.fieldforms import uploads
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.tasks import import_field_export
from peaceops.fieldforms.views import _submittable

RUNNING_KEY = "fieldforms-export-import"  # the session's import still with the worker
REPORT_KEY = "fieldforms-export-report"  # the last import's report, shown once


def _running(request):
    """The user's import still queued or running, or None; a finished one leaves its report in the session."""
    result_id = request.session.get(RUNNING_KEY)
    if not result_id:
        return None
    try:
        result = import_field_export.get_result(result_id)
    except TaskResultDoesNotExist:
        del request.session[RUNNING_KEY]
        return None
    if not result.is_finished:
        return result
    del request.session[RUNNING_KEY]
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, _("The import failed in the background. Rows written before the failure are kept, "
                                  "whole chunks only; import the same file again to add the rest (rows already "
                                  "received are recognised), and tell the administrator if it fails again."))
    else:
        request.session[REPORT_KEY] = result.return_value
    return None


@require("fieldforms.download", "fieldforms.import", writer_only=True)
def export_import(request):
    allowed = _submittable(request.user)
    form = uploads.upload_form([(key, f.title) for key, f in allowed.items()])(request.POST or None,
                                                                              request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, field_form = form.cleaned_data["file"], allowed[form.cleaned_data["form_id"]]
        channel, dry_run = form.cleaned_data["channel"], form.cleaned_data["dry_run"]
        data = upload.read()
        if len(data) <= settings.PEACEOPS_IMPORT_INLINE_BYTES:
            request.session[REPORT_KEY] = uploads.run(request.user, field_form, data, upload.name, channel, dry_run)
        elif _running(request) is not None:
            messages.info(request, _("Your previous import is still running; upload this file when its report "
                                     "shows here."))
        else:
            stored = uploads.store(data)
            request.session[RUNNING_KEY] = import_field_export.enqueue(
                request.user.pk, field_form.form_id, stored, upload.name, channel, dry_run).id
        return redirect("fieldforms:import")
    running = _running(request) is not None
    report = request.session.pop(REPORT_KEY, None)
    return render(request, "fieldforms/import.html", {
        "form": form, "running": running, "report": report, "forms": forms(),
        "counts": uploads.labelled(report) if report else [],
        "title": getattr(forms().get((report or {}).get("form_id", "")), "title", "")})


@require("fieldforms.download", "fieldforms.import", writer_only=True)
def export_import_status(request):
    """Polled while the worker imports: the same notice, or a reload once the report is ready."""
    if _running(request) is None:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "fieldforms/_import_running.html", {"running": True})
