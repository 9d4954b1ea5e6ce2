"""A small fixed world for the reports machinery: test-only sitrep providers with known answers.

The real modules contribute their own sections when they land; these stand in for them here only.
"""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.core.reporting import Figure, Series, SitrepSection, Table

D = dt.date
# Arrivals per day; by 21 November 6,950 people have returned.
ARRIVALS = {D(2020, 11, 14): 300, D(2020, 11, 15): 450, D(2020, 11, 16): 600, D(2020, 11, 17): 800,
            D(2020, 11, 18): 900, D(2020, 11, 19): 1100, D(2020, 11, 20): 1500, D(2020, 11, 21): 1300}
CONVOYS = {day: count // 50 for day, count in ARRIVALS.items()}
REMAINS_HANDED_OVER = {D(2020, 11, 19): 2, D(2020, 11, 21): 1}  # per day; 3 in total by 21 November
VIOLATIONS = {D(2020, 12, 12): 1}
STEPANAKERT = "Stepanakert / Ստեփանակերտ / Степанакерт"


def _upto(table: dict, day: dt.date) -> int:
    return sum(v for d, v in table.items() if d <= day)


def ceasefire_section(period):
    day = period.day
    today = VIOLATIONS.get(day, 0)
    return SitrepSection(
        key="ceasefire", title="Ceasefire", order=10,
        summary="No ceasefire violation was recorded." if not today else f"{today} ceasefire violation recorded.",
        # This module gives D−1 itself; the reports app must keep it.
        figures=[Figure("violations", "Ceasefire violations recorded", today,
                        previous=VIOLATIONS.get(day - dt.timedelta(days=1), 0),
                        url=f"/ceasefire/incidents/?day={day.isoformat()}"),
                 Figure("posts", "Observation posts manned", 23, url="/core/places/?kind=observation_post")],
        tables=[Table("by_district", "Violations by district", ["District", "Violations", "Killed", "Injured"],
                      [["Hadrut", today, 0, 0]], people_columns=[2, 3])],
    )


def returns_section(period):
    day = period.day
    if day < D(2020, 11, 14):
        return None  # nothing to report before the first convoy
    total = _upto(ARRIVALS, day)
    return SitrepSection(
        key="returns", title="Returns", order=20,
        summary=f"As of today, {total:,} people have returned along the corridor to Stepanakert.",
        figures=[Figure("returned_period", "People returned in the period", ARRIVALS.get(day, 0), people=True,
                        url=f"/returns/movements/?arrived={day.isoformat()}"),
                 Figure("returned_total", "People returned in total", total, people=True,
                        url=f"/returns/movements/?arrived_until={day.isoformat()}"),
                 Figure("convoys", "Convoys escorted", CONVOYS.get(day, 0), url="/returns/convoys/")],
        tables=[Table("by_destination", "Returned by destination", ["Destination", "People"],
                      [[STEPANAKERT, total - 3], ["Shushi / Shusha", 3]], people_columns=[1])],
    )


def exchanges_section(period):
    day = period.day
    return SitrepSection(
        key="exchanges", title="Exchanges", order=30,
        summary="Remains are being handed over; an exchange of detainees is being prepared.",
        figures=[Figure("remains_total", "Remains handed over in total", _upto(REMAINS_HANDED_OVER, day),
                        people=True, url="/exchanges/remains/?handed_over=1"),
                 Figure("released", "Detainees released", 0, people=True)],
    )


def internal_section(period):
    return SitrepSection(key="internal", title="Internal notes", order=90, summary="Staff only.",
                         figures=[Figure("pending", "Cases awaiting review", 12)], public=False)


def returns_series(first_day, last_day):
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return [Series("returns.per_day", "People returned per day", "people",
                   [(d, ARRIVALS.get(d, 0)) for d in days], people=True),
            Series("returns.cumulative", "People returned in total", "people",
                   [(d, _upto(ARRIVALS, d)) for d in days], people=True)]


def remains_series(first_day, last_day):
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return [Series("exchanges.remains", "Remains handed over per day", "people",
                   [(d, REMAINS_HANDED_OVER.get(d, 0)) for d in days], people=True)]


SECTIONS = (ceasefire_section, returns_section, exchanges_section, internal_section)
SERIES = (returns_series, remains_series)


@pytest.fixture
def fixed_world(monkeypatch):
    """Replace the registry's sitrep providers with the fixed world above (mutable through the returned dict)."""
    from peaceops.reports import content

    state = {"sections": list(SECTIONS), "series": list(SERIES)}
    monkeypatch.setattr(content, "section_providers", lambda: tuple(state["sections"]))
    monkeypatch.setattr(content, "series_providers", lambda: tuple(state["series"]))
    return state


@pytest.fixture
def no_modules(monkeypatch):
    from peaceops.reports import content

    monkeypatch.setattr(content, "section_providers", lambda: ())
    monkeypatch.setattr(content, "series_providers", lambda: ())
