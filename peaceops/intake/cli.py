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
from peaceops.intake.models import ImportBatch

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
        batch = tabular.run_import(spec, path.read_bytes(), path.name, user, extra)
    if batch.file_error:
        raise CommandError(batch.file_error)
    for row in batch.quarantined_rows.order_by("line"):
        command.stderr.write(f"{path.name}:{row.line}: {'; '.join(row.errors)}")
    skipped = f", {batch.rows_skipped} already known" if batch.rows_skipped else ""
    command.stdout.write(f"{batch.rows_saved} imported{skipped}, {batch.rows_quarantined} quarantined of "
                         f"{batch.rows_read} rows (import {batch.pk}).")
    if batch.rows_quarantined:
        raise CommandError(f"{batch.rows_quarantined} rows quarantined; correct and resubmit them at "
                           f"{reverse('intake:batch', args=[batch.pk])} (or fix the file and import it again).",
                           returncode=QUARANTINE_EXIT)
    return batch
