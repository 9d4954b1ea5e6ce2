"""Reading reports without writing anything: the `read` command, the ingest's first step, the benchmarks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from peaceops.core import mission
from peaceops.sources.extraction import Extraction, PlaceIndex, extract
from peaceops.sources.extraction.language import detect
from peaceops.sources.extraction.speakers import side_of
from peaceops.sources.reading import Report, read_bytes, settle_date


@dataclass
class Reading:
    name: str
    report: Report
    extraction: Extraction

    def as_json(self) -> dict:
        return {"file": self.name, "title": self.report.title, "outlet": self.report.outlet or None,
                "published": self.report.published_on.isoformat() if self.report.published_on else None,
                "language": self.extraction.language,
                "claims": [c.as_json() for c in self.extraction.claims],
                "notes": self.report.notes + self.extraction.notes}


def operation_period() -> tuple[dt.date, dt.date]:
    """From the ceasefire to the newest day the registry holds (never after today): where a dateline without
    its year is placed."""
    from peaceops.core.registry import collect

    today = timezone.localdate()
    latest = [day for hook in collect("sitrep", "LATEST_DAY") if (day := hook())]
    last = min(max(latest), today) if latest else today
    return mission.ceasefire_start(), max(last, mission.ceasefire_start())


def read(data: bytes, name: str, *, published: dt.date | None = None, outlet: str = "", pasted: bool = False,
         places: PlaceIndex | None = None, period: tuple[dt.date, dt.date] | None = None,
         outlet_party: str = "") -> Reading:
    """Read one report and extract its claims. Raises reading.UnreadableReport."""
    report = read_bytes(data, name, pasted=pasted)
    if outlet:
        report.outlet = outlet
    language = report.language if report.language in ("en", "ru") else detect(report.text)
    settle_date(report, language, published, period or operation_period())
    places = places if places is not None else PlaceIndex.from_gazetteer()
    extraction = extract(report.text, language=language, published=report.published_on,
                         outlet_speaker=report.outlet, outlet_party=outlet_party or side_of(report.outlet),
                         places=places, skip=report.dateline)
    return Reading(name, report, extraction)
