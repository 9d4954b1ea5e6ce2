"""Background jobs of the field forms: a large KoboToolbox or ODK Central export uploaded on the web is imported by
the worker (`peaceops serve` runs it), so the page that took the file answers at once and polls for the report."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def import_field_export(user_id: int, form_id: str, stored: str, filename: str, channel: str,
                        dry_run: bool) -> dict:
    """The import's report as `uploads.run` gives it, or {"error": ...} when the file cannot be read
    (nothing written). The stored copy of the upload is removed either way: it may hold personal data."""
    from peaceops.fieldforms import uploads
    from peaceops.fieldforms.catalogue import forms

    user = get_user_model().objects.get(pk=user_id)
    try:
        return uploads.run(user, forms()[form_id], Path(stored).read_bytes(), filename, channel, dry_run)
    finally:
        Path(stored).unlink(missing_ok=True)
