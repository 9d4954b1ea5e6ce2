"""Works (3W) through the generic intake machinery: one row a work, bad rows quarantined with their line and
reason to be fixed and resubmitted; the CLI (`peaceops restoration import`) and the works import page use it too.
Rows with a known id (the source's own, or our UUID) update that work; a row identical to the stored work is
skipped, so importing the same file twice creates nothing and changes nothing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peaceops.core.importing import SKIPPED, Column, ImportContext, ImportSpec
from peaceops.intake import tabular
from peaceops.intake.models import ImportBatch
from peaceops.restoration.models import Work
from peaceops.restoration.services.work_import import ALIASES, _Lookups, prepare_row

_UNCHANGED_IGNORES = {"id", "uuid", "created_at", "updated_at"}


def _unchanged(existing: Work, work: Work) -> bool:
    return all(getattr(existing, f.attname) == getattr(work, f.attname)
               for f in Work._meta.concrete_fields if f.attname not in _UNCHANGED_IGNORES)


def save_work_row(values: dict[str, str], context: ImportContext) -> Work | object:
    # prepare_row reads columns by their first alias; the intake machinery names them by Column.name.
    row = {ALIASES[name][0]: value for name, value in values.items() if name in ALIASES}
    lookups = context.cached("restoration.lookups", _Lookups)
    existing, work = prepare_row(row, lookups)
    if existing is not None and _unchanged(existing, work):
        return SKIPPED
    work.save()
    return work


WORKS_SPEC = ImportSpec(
    key="restoration.works",
    label=_("Works (3W)"),
    capability="restoration.edit",
    description=_("One work a row: organisation (name or acronym), activity, facility (name or UUID), status, "
                  "start and end. Rows with a known id update that work."),
    columns=(
        Column("id", hxl="#meta+id", aliases=("source id", "#activity+code")),
        Column("organisation", hxl="#org", required=True, aliases=("organization", "org")),
        Column("activity", hxl="#activity", required=True),
        Column("facility", hxl="#loc+facility", required=True),
        Column("status", hxl="#status"),
        Column("start", hxl="#date+start"),
        Column("end", hxl="#date+end"),
        Column("planned_start", hxl="#date+start+planned", aliases=("planned start",)),
        Column("planned_end", hxl="#date+end+planned", aliases=("planned end",)),
        Column("actual_start", hxl="#date+start+actual", aliases=("actual start",)),
        Column("actual_end", hxl="#date+end+actual", aliases=("actual end",)),
        Column("percent_complete", hxl="#indicator+complete", aliases=("% complete", "percent complete")),
        Column("resources", hxl="#meta+resources"),
    ),
    save_row=save_work_row,
)
IMPORTERS = [WORKS_SPEC]


def import_file(data: bytes, filename: str, user=None) -> ImportBatch:
    return tabular.run_import(WORKS_SPEC, data, filename, user)
