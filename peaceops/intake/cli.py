"""The one way a module's command line imports a file: through `tabular.run_import`, reporting like a compiler.

Each quarantined row is printed as `FILE:LINE: reason` on stderr, a one-line summary on stdout; the command exits
with status 3 when rows were quarantined and names the page where they can be corrected and resubmitted.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from peaceops.core.context import acting_as
from peaceops.intake import tabular
from peaceops.intake.models import BatchStatus, ImportBatch

QUARANTINE_EXIT = 3


def account(username: str | None):
    """The account an import is recorded under (None: the system itself)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No account “{username}”.")
    return user


def parse_params(pairs: list[str] | None) -> dict[str, str]:
    params = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--param wants NAME=VALUE, not “{pair}”.")
        params[name.strip()] = value.strip()
    return params


def run_file(command: BaseCommand, spec: tabular.ImportSpec, path: Path | str, user=None,
             extra: dict | None = None) -> ImportBatch:
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No file at {path}.")
    with acting_as(getattr(user, "username", "") or f"system:cli {spec.key}"):
        batch = tabular.start_batch(spec, path.read_bytes(), path.name, user, extra)
        if batch.status != BatchStatus.FAILED:  # interrupted, it is listed at /intake/ to be resumed
            batch = tabular.run_batch(batch, user, spec)
    return report(command, batch)


def resume_batch(command: BaseCommand, batch: ImportBatch) -> ImportBatch:
    user = batch.uploaded_by
    with acting_as(getattr(user, "username", "") or f"system:cli {batch.kind}"):
        try:
            before = batch.rows_read
            batch = tabular.resume(batch, user)
        except tabular.ImportNotResumable as exc:
            raise CommandError(str(exc)) from None
    command.stderr.write(f"Resumed import {batch.pk} after row {before}.")
    return report(command, batch)


def report(command: BaseCommand, batch: ImportBatch, exit_on_quarantine: bool = True) -> ImportBatch:
    """Print every warning and quarantined row as FILE:LINE, then the summary; exit 3 when rows wait in the
    quarantine."""
    if batch.file_error:
        raise CommandError(batch.file_error)
    name = batch.filename
    for warning in batch.warnings.order_by("line", "id"):
        command.stderr.write(f"{name}:{warning.line}: warning: {warning.column}: {warning.message}")
    for row in batch.quarantined_rows.order_by("line"):
        command.stderr.write(f"{name}:{row.line}: {'; '.join(row.errors)}")
    skipped = f", {batch.rows_skipped} already known" if batch.rows_skipped else ""
    warned = f", {batch.rows_warned} with warnings" if batch.rows_warned else ""
    command.stdout.write(f"{batch.rows_saved} imported{skipped}{warned}, {batch.rows_quarantined} quarantined of "
                         f"{batch.rows_read} rows (import {batch.pk}).")
    if batch.rows_quarantined and exit_on_quarantine:
        raise CommandError(f"{batch.rows_quarantined} rows quarantined; correct and resubmit them at "
                           f"{reverse('intake:batch', args=[batch.pk])} (or fix the file and import it again).",
                           returncode=QUARANTINE_EXIT)
    return batch
