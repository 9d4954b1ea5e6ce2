"""HXL (Humanitarian Exchange Language) for the 3W and the service status: a header row for people, a hashtag
row for machines, then the data. Files are plain CSV; libhxl validates them in the tests and on import."""

from __future__ import annotations

import datetime as dt

from peaceops.core import hxl as core_hxl
from peaceops.restoration.models import Work
from peaceops.restoration.services.status import LEVEL_LABELS, snapshot

WORKS_COLUMNS = [
    ("ID", "#meta+id"), ("Organisation", "#org"), ("Sector", "#sector"), ("District", "#adm1"),
    ("Location", "#loc"), ("Facility", "#loc+facility"), ("Activity", "#activity"), ("Status", "#status"),
    ("Start", "#date+start"), ("End", "#date+end"), ("Planned start", "#date+start+planned"),
    ("Planned end", "#date+end+planned"), ("% complete", "#indicator+complete"), ("People reached", "#reached"),
]
STATUS_COLUMNS = [
    ("As of", "#date+reported"), ("District", "#adm1"), ("Settlement", "#loc"), ("P-code", "#loc+code"),
    ("Sector", "#sector"), ("Status", "#status"), ("Functioning %", "#indicator+functioning"),
    ("People reached", "#reached"),
]


def normalise_tag(tag: str) -> str:
    """'#date +Start+planned' and '#date+planned+start' are the same column to HXL: attributes are a set."""
    parts = [p.strip().lower() for p in tag.replace(" ", "").split("+") if p.strip()]
    if not parts or not parts[0].startswith("#"):
        return ""
    return "+".join([parts[0], *sorted(set(parts[1:]))])


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def works_rows(works=None) -> list[list[str]]:
    """The 3W's data rows (the header and hashtag rows are the writer's: `works_csv`)."""
    works = (works if works is not None else Work.objects.all()).select_related(
        "organisation", "facility__place__parent__parent").order_by("facility__sector", "planned_start", "id")
    rows = []
    for work in works:
        place = work.facility.place
        district = place.district()
        rows.append([
            str(work.uuid), work.organisation.acronym or work.organisation.name, work.facility.sector,
            district.name if district else "", place.name, work.facility.name, work.activity, work.status,
            _iso(work.actual_start or work.planned_start), _iso(work.actual_end or work.planned_end),
            _iso(work.planned_start), _iso(work.planned_end), str(work.percent_complete),
            str(work.facility.population_served or ""),
        ])
    return rows


def status_rows(as_of: dt.date, facilities=None) -> list[list[str]]:
    """The service status's data rows (the header and hashtag rows are the writer's: `status_csv`)."""
    rows = []
    snap = snapshot(as_of, facilities)
    for settlement in snap.settlements:
        for sector, state in sorted(settlement.services.items()):
            reached = settlement.population if state.level != "none" else 0
            rows.append([as_of.isoformat(), settlement.district, settlement.place.name, settlement.place.pcode,
                         sector, str(LEVEL_LABELS[state.level]), str(state.percent), str(reached)])
    return rows


def works_csv(works=None) -> str:
    return core_hxl.hxl_text(WORKS_COLUMNS, works_rows(works))


def status_csv(as_of: dt.date, facilities=None) -> str:
    return core_hxl.hxl_text(STATUS_COLUMNS, status_rows(as_of, facilities))
