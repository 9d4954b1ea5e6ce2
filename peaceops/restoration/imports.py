"""Works (3W) for the generic intake machinery (quarantine of bad rows, fix and resubmit). The all-or-nothing
import of the CLI and the works page uses the same row rules (services.work_import.prepare_row)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peaceops.intake.tabular import Column, ImportSpec
from peaceops.restoration.models import Work
from peaceops.restoration.services.work_import import ALIASES, _Lookups, prepare_row


def save_work_row(values: dict[str, str], context) -> Work:
    # prepare_row reads columns by their first alias; the intake machinery names them by Column.name.
    row = {ALIASES[name][0]: value for name, value in values.items() if name in ALIASES}
    lookups = context.extra.setdefault("restoration_lookups", _Lookups())
    _existing, work = prepare_row(row, lookups)
    work.save()
    return work


IMPORTERS = [
    ImportSpec(
        key="restoration.works",
        label=_("Works (3W)"),
        capability="restoration.edit",
        description=_("One work a row: organisation (name or acronym), activity, facility (name or UUID), status, "
                      "start and end. Rows with a known id update that work."),
        columns=(
            Column("id", hxl="#meta+id", aliases=("source id",)),
            Column("organisation", hxl="#org", required=True, aliases=("organization", "org")),
            Column("activity", hxl="#activity", required=True),
            Column("facility", hxl="#loc+facility", required=True),
            Column("status", hxl="#status"),
            Column("start", hxl="#date+start"),
            Column("end", hxl="#date+end"),
            Column("planned_start", hxl="#date+start+planned", aliases=("planned start",)),
            Column("planned_end", hxl="#date+end+planned", aliases=("planned end",)),
            Column("actual_start", aliases=("actual start",)),
            Column("actual_end", aliases=("actual end",)),
            Column("percent_complete", hxl="#indicator+complete", aliases=("% complete", "percent complete")),
            Column("resources"),
        ),
        save_row=save_work_row,
    )
]
