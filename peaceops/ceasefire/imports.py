"""Incidents through the generic intake machinery (CSV/XLSX/HXL, one row at a time, bad rows quarantined).

The columns and the row rules are those of our HXL export (`formats.HXL_COLUMNS`), so an exported file — or a
spreadsheet with the same headers or hashtags — can be imported, corrected and resubmitted in the intake UI.
The all-or-nothing ACLED/HXL import of `peaceops ceasefire import` shares the same row rules.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peaceops.ceasefire import formats, services
from peaceops.intake.tabular import Column, ImportContext, ImportSpec, RowError

REQUIRED = {"start", "incident_type", "sub_type"}


def save_incident_row(values: dict[str, str], context: ImportContext):
    if formats._known(values.get("event_id", "")):
        raise RowError(str(_("This incident is already in the system (same id).")))
    fields, sources, _status = formats._hxl_fields(values)
    return services.file_incident(context.user, fields, [(s, "Imported through intake") for s in sources])


IMPORTERS = [
    ImportSpec(
        key="ceasefire.incidents", label=_("Ceasefire incidents"), capability="ceasefire.import",
        columns=tuple(Column(key, hxl=tag, required=key in REQUIRED, aliases=(header,))
                      for header, tag, key in formats.HXL_COLUMNS),
        save_row=save_incident_row,
        description=_("The columns of the ceasefire HXL export: id, from, to, type, sub-type, location, ..."),
    ),
]
