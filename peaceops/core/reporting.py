"""Reporting periods and the shape of a sitrep section, shared by every module and by the reports app.

A reporting "day" D is the period that ends at the configured cut-off (PEACEOPS_DAY_CUTOFF, local time) on D
and starts at the cut-off on D−1. With the default 24:00 it is simply the local calendar day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from peaceops.core import mission


def local_zone() -> ZoneInfo:
    return mission.time_zone()


def _cutoff() -> tuple[int, int]:
    text = mission.day_cutoff()
    try:
        hours, minutes = (int(part) for part in text.split(":"))
    except ValueError:
        raise ValueError(f"PEACEOPS_DAY_CUTOFF must look like 19:30, not {text!r}") from None
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError(f"PEACEOPS_DAY_CUTOFF must be a time from 00:00 to 24:00, not {text!r}")
    return hours, minutes


def is_small_cell(count: int | float | None) -> bool:
    """True for a count of people too small to publish (1 up to the threshold; zero identifies nobody)."""
    return count is not None and 0 < count < mission.small_cell()


@dataclass(frozen=True)
class ReportingPeriod:
    day: dt.date
    start: dt.datetime  # inclusive, aware
    end: dt.datetime  # exclusive, aware

    @classmethod
    def ending_on(cls, day: dt.date) -> ReportingPeriod:
        hours, minutes = _cutoff()
        zone = local_zone()
        end = dt.datetime.combine(day, dt.time(0), tzinfo=zone) + dt.timedelta(hours=hours, minutes=minutes)
        start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(0), tzinfo=zone) + dt.timedelta(
            hours=hours, minutes=minutes)
        return cls(day, start, end)

    @classmethod
    def containing(cls, instant: dt.datetime) -> ReportingPeriod:
        """The period an instant is counted in (an event exactly at the cut-off belongs to the next day)."""
        local = instant.astimezone(local_zone())
        period = cls.ending_on(local.date())
        if local >= period.end:
            return cls.ending_on(local.date() + dt.timedelta(days=1))
        if local < period.start:
            return cls.ending_on(local.date() - dt.timedelta(days=1))
        return period

    def previous(self) -> ReportingPeriod:
        return ReportingPeriod.ending_on(self.day - dt.timedelta(days=1))

    @property
    def since_ceasefire_start(self) -> dt.datetime:
        """Start of the first reporting period of the ceasefire, for running totals."""
        return ReportingPeriod.ending_on(mission.ceasefire_start()).start


@dataclass
class Figure:
    """One number in a report. `url` leads to the records behind it; `people` marks counts of persons, which
    public outputs suppress below the small-cell threshold."""

    key: str
    label: str
    value: int | float | None
    previous: int | float | None = None
    unit: str = ""
    url: str = ""
    lower_bound: bool = False  # "at least N"
    people: bool = False

    @property
    def change(self) -> int | float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    people_columns: list[int] = field(default_factory=list)  # indexes of columns that count persons


@dataclass
class SitrepSection:
    """What a module contributes to the daily sitrep for one reporting period."""

    key: str  # "ceasefire", "returns", ...
    title: str
    order: int  # ceasefire 10, returns 20, exchanges 30, restoration 40, mine action 45
    summary: str  # one or two plain sentences, neutral wording, e.g. "As of today, 6,958 people have returned."
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    public: bool = True  # False: left out of public outputs entirely
    # The summary as sentences from `sentence()`, when it names counts of people: the public view rewords the
    # ones that name a small count. When given, `summary` may be left empty; it is their texts joined.
    sentences: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.sentences and not self.summary:
            self.summary = " ".join(s["text"] for s in self.sentences)


def sentence(message, count: str | None = None, *, people: dict | None = None, together: bool = False,
             **words) -> dict:
    """One summary sentence naming counts of people, e.g.
    `sentence(lambda n: ngettext("%(n)s person was …", "%(n)s persons were …", n), "n", people={"n": 1})`.

    `message(n)` gives the wording for a count n (a lambda, so makemessages still finds the strings); `count`
    names the people count that picks the plural form. Without `count`, the text is asked for with n=None: a
    message with several counts then picks each clause's form from its own count. Kept: the text as written, and the plural wording with
    the counts left open, from which the public view rewords it when a count is hidden ("fewer than 5 persons
    were …"). `together`: the counts are parts of one whole (suppressed like a table's column)."""
    from django.utils.formats import number_format

    people = {name: value for name, value in (people or {}).items()}
    shown = {name: number_format(value, force_grouping=True) for name, value in people.items()}
    text = message(int(people[count]) if count else None) % {**words, **shown}
    open_words = {k: v.replace("%", "%%") if isinstance(v, str) else v for k, v in words.items()}
    template = message(mission.small_cell()) % {**open_words, **{name: f"%({name})s" for name in people}}
    return {"text": text, "template": template, "people": people, "together": together}


@dataclass
class Series:
    """A daily curve for the dashboard: one value per reporting day (modules list these in sitrep.SERIES as
    callables `(first_day, last_day) -> list[Series]`)."""

    key: str  # "returns.per_day"
    title: str
    unit: str
    points: list[tuple[dt.date, float]]
    people: bool = False


NARRATIVE_CAPABILITY = "reports.write_narrative"


def narrative_capability(section_key: str) -> str:
    """The capability that lets a role write the narrative paragraph of section `section_key` in a draft sitrep:
    "reports.write_narrative.<key>" where an app declares one (the roles owning the section, and coordinators),
    else "reports.write_narrative" (coordinators only)."""
    from peaceops.core.roles import capabilities

    own = f"{NARRATIVE_CAPABILITY}.{section_key}"
    return own if own in capabilities() else NARRATIVE_CAPABILITY
