"""A KoboToolbox or ODK Central export uploaded on the Field forms page: the same import as `peaceops forms
import`, filed under the user who uploads it, with its report kept for the page (counts and each problem's line)."""

from __future__ import annotations

import hashlib

from django import forms as djforms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from peaceops.core.context import acting_as
from peaceops.fieldforms.catalogue import FieldForm
from peaceops.fieldforms.models import Channel

PROBLEMS_KEPT = 500  # a report names at most this many lines; the rest are counted (the review queue has them all)
# The import's outcome keys (exports._count), in the order a reader wants them, with what the page says.
OUTCOMES = {"accepted": _("made a record"), "already received": _("already received (nothing new)"),
            "in review": _("waiting in the review queue"), "conflict": _("conflicts (same instance id, other content)"),
            "refused": _("refused for your role"), "skipped": _("skipped (no instance id)"),
            "unreadable": _("unreadable")}
# A check writes nothing, so it says what each row would become.
CHECK_OUTCOMES = {"accepted": _("would make a record"), "already received": _("already received (nothing new)"),
                  "in review": _("would wait in the review queue"),
                  "conflict": _("would conflict (same instance id, other content)"),
                  "refused": _("refused for your role"), "skipped": _("skipped (no instance id)"),
                  "unreadable": _("unreadable")}


def upload_form(choices: list[tuple[str, str]]) -> type[djforms.Form]:
    """The upload form offering the forms the user may submit (`choices`)."""

    class ExportUploadForm(djforms.Form):
        form_id = djforms.ChoiceField(label=_("Form the data was collected with"), choices=choices)
        channel = djforms.ChoiceField(label=_("Exported from"), initial=Channel.KOBO,
                                      choices=[(Channel.KOBO, Channel.KOBO.label),
                                               (Channel.ODK_CENTRAL, Channel.ODK_CENTRAL.label)])
        file = djforms.FileField(label=_("Export file (KoboToolbox CSV or XLSX; ODK Central CSV or .csv.zip)"))
        dry_run = djforms.BooleanField(label=_("Check only: write nothing"), required=False)

        def clean_file(self):
            upload = self.cleaned_data["file"]
            limit = settings.PEACEOPS_IMPORT_MAX_BYTES
            if upload.size > limit:
                raise djforms.ValidationError(
                    _("The file is %(size)s; at most %(limit)s can be imported at once. Export it in parts "
                      "(by submission date) and import each.")
                    % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
            if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm", ".zip")):
                raise djforms.ValidationError(_("Upload the export as it was downloaded: a .csv, .xlsx or .zip file."))
            return upload

    return ExportUploadForm


def run(user, form: FieldForm, data: bytes, filename: str, channel: str, dry_run: bool) -> dict:
    """Import the export as `user`; the report as plain data (kept by the worker's result or the session)."""
    from peaceops.fieldforms.exports import ExportError, import_export

    base = {"form_id": form.form_id, "filename": filename[:200], "dry_run": dry_run}
    with acting_as(user.get_username()):
        try:
            report = import_export(form, data, filename, user, channel=channel, dry_run=dry_run)
        except ExportError as exc:
            return {**base, "error": str(exc)}
    return {**base, "read": report.read, "outcomes": report.outcomes,
            "problems": [list(p) for p in report.problems[:PROBLEMS_KEPT]],
            "more_problems": max(0, len(report.problems) - PROBLEMS_KEPT)}


def labelled(report: dict) -> list[tuple[str, int]]:
    """The report's counts in reading order, each with what the page calls it."""
    counts = report.get("outcomes", {})
    labels = CHECK_OUTCOMES if report.get("dry_run") else OUTCOMES
    return [(str(label), counts[key]) for key, label in labels.items() if counts.get(key)] + \
        [(key, n) for key, n in counts.items() if key not in OUTCOMES and n]


def store(data: bytes) -> str:
    """Keep the upload for the worker (removed by it once read), beside the other imports' files; the name the
    user gave travels with the task, which reads the format from it."""
    from peaceops.intake.tabular import keep_upload

    return keep_upload(data, hashlib.sha256(data).hexdigest())
