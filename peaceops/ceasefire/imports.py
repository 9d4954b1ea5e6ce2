"""Incidents through the generic intake machinery (CSV/XLSX/HXL, one row at a time, bad rows quarantined).

Two layouts, one row rule each: our HXL export (`formats.HXL_COLUMNS`, matched by header or hashtag) and ACLED's
31 columns. The command line (`peaceops ceasefire import`), the import page, the API and the intake screens all
go through `import_file`/`tabular.run_import`. A row whose id is already known (our own export, or the source's
id seen before) is skipped, so importing a file twice changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peaceops.ceasefire import formats, services
from peaceops.core.importing import SKIPPED, Column, ImportContext, ImportSpec
from peaceops.intake import tabular
from peaceops.intake.models import ImportBatch

HXL_REQUIRED = {"start", "incident_type", "sub_type"}
ACLED_REQUIRED = {"event_date", "event_type", "sub_event_type"}


def _file(context: ImportContext, fields: dict, sources: list, how: str):
    return services.file_incident(context.user, fields, [(s, how) for s in sources])


def save_incident_row(values: dict[str, str], context: ImportContext):
    if formats._known(values.get("event_id", "")):
        return SKIPPED
    fields, sources, _status = formats._hxl_fields(values)
    return _file(context, fields, sources, "Imported from HXL")


def save_acled_row(values: dict[str, str], context: ImportContext):
    if formats._known(values.get("event_id_cnty", "")):
        return SKIPPED
    fields, sources, _status = formats._acled_fields(values)
    return _file(context, fields, sources, "Imported from ACLED")


HXL_SPEC = ImportSpec(
    key="ceasefire.incidents", label=_("Ceasefire incidents (HXL)"), capability="ceasefire.import",
    columns=tuple(Column(key, hxl=tag, required=key in HXL_REQUIRED, aliases=(header,))
                  for header, tag, key in formats.HXL_COLUMNS),
    save_row=save_incident_row,
    description=_("The columns of the ceasefire HXL export: id, from, to, type, sub-type, location, ... "
                  "Rows with a known id are skipped."),
)
ACLED_SPEC = ImportSpec(
    key="ceasefire.acled", label=_("Ceasefire incidents (ACLED CSV)"), capability="ceasefire.import",
    columns=tuple(Column(name, required=name in ACLED_REQUIRED) for name in formats.ACLED_COLUMNS),
    save_row=save_acled_row,
    description=_("ACLED's columns (event_id_cnty, event_date, event_type, sub_event_type, location, ...). "
                  "Rows with a known event_id_cnty are skipped."),
)
SPECS = {"hxl": HXL_SPEC, "acled": ACLED_SPEC}
IMPORTERS = [HXL_SPEC, ACLED_SPEC]


def import_file(data: bytes, filename: str, fmt: str, user) -> ImportBatch:
    return tabular.run_import(SPECS[fmt], data, filename, user)
