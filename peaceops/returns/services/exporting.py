"""Counts as HXL.

Tags, and why:
- `#date` — the reporting day (ISO 8601), the period ending at the configured cut-off in local time.
- `#adm1+name` — the destination's enclosing district/region from the gazetteer (our admin level 1 inside the
  operation area); `+name` because the gazetteer has no official P-codes for these districts.
- `#loc+name` / `#loc+code` — the destination settlement, by its neutral canonical name and our gazetteer code;
  `#loc` rather than `#adm2` because settlements are places, not administrative units.
- `#affected+returnees` — people who have returned, cumulative as of the date: `#affected` is HXL's tag for
  counts of people, `+returnees` the attribute displacement datasets use for people back in their place of
  origin. `#affected+returnees+new` — of whom first arrived that day (`+new` marks the increment).
Rows are one per day and settlement with at least one returnee.
"""

from __future__ import annotations

import datetime as dt

from peaceops.core import hxl as core_hxl
from peaceops.core.models import Place
from peaceops.core.reporting import ReportingPeriod
from peaceops.returns.services.counting import _counts_before

HEADERS = ["Date", "District", "Settlement", "Code", "Returned (total)", "Returned that day"]
TAGS = ["#date", "#adm1+name", "#loc+name", "#loc+code", "#affected+returnees", "#affected+returnees+new"]


def hxl_rows(first_day: dt.date, last_day: dt.date) -> list[list]:
    rows: list[list] = []
    previous = _counts_before(ReportingPeriod.ending_on(first_day).start)
    places: dict[int, Place] = {}
    day = first_day
    while day <= last_day:
        counts = _counts_before(ReportingPeriod.ending_on(day).end)
        missing = set(counts) - set(places)
        if missing:
            places.update(Place.objects.select_related("parent").in_bulk(list(missing)))
        for pk in sorted(counts, key=lambda k: places[k].name):
            if counts[pk]:
                place = places[pk]
                district = place.district()
                rows.append([day.isoformat(), district.name if district else "", place.name, place.pcode,
                             counts[pk], counts[pk] - previous.get(pk, 0)])
        previous = counts
        day += dt.timedelta(days=1)
    return rows


def export_hxl(first_day: dt.date, last_day: dt.date) -> str:
    return core_hxl.hxl_text(list(zip(HEADERS, TAGS, strict=True)), hxl_rows(first_day, last_day))
