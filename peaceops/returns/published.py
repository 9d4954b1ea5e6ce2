"""Returned as of D for the public role: the newest published report's figures, through its public view.

Working roles read the live count (services.returned_as_of); the public must not, or a convoy recorded a
minute ago shows before anyone has checked and published it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peaceops.reports import disclosure, services


@dataclass
class PublishedReturns:
    day: dt.date  # the published report's day (on or before the day asked for)
    version: int
    total: int | str | None
    last_24h: int | str | None
    by_destination: list[tuple[str, int | None]]  # hidden counts as None, as the live page shows them
    daily: list[tuple[dt.date, int | None, int | None]] = field(default_factory=list)
    # What "returned" counts, as published (escorted, self-organised; "<5"/"x" where suppressed), and the day's
    # checkpoint flow counts beside it; empty/None in reports published before these were added.
    by_means: list[tuple[str, int | str]] = field(default_factory=list)
    flows_in: int | str | None = None
    flows_out: int | str | None = None


def _figure(section: dict, key: str):
    figure = next((f for f in section["figures"] if f["key"] == key), None)
    return None if figure is None else figure["value"]


def _daily(view: dict) -> list[tuple[dt.date, int | None, int | None]]:
    curves = {s["key"]: dict(s["points"]) for s in view.get("series", [])}
    per_day, total = curves.get("returns.per_day", {}), curves.get("returns.cumulative", {})
    return [(dt.date.fromisoformat(day), per_day.get(day), total.get(day)) for day in sorted(set(per_day) | set(total))]


def published_returns(day: dt.date) -> PublishedReturns | None:
    sitrep, view = services.latest_public_view(day)
    section = services.public_section(view, "returns")
    if section is None or sitrep is None or view is None:  # a section is only read from a published version
        return None
    table = next((t for t in section["tables"] if t["key"] == "returns.by_destination"), None)
    rows = [(str(row[0]), None if disclosure.is_hidden(row[1]) else row[1]) for row in (table or {}).get("rows", [])]
    means = next((t for t in section["tables"] if t["key"] == "returns.by_means"), None)
    return PublishedReturns(day=sitrep.day, version=sitrep.version, total=_figure(section, "returns.total"),
                            last_24h=_figure(section, "returns.in_period"), by_destination=rows, daily=_daily(view),
                            by_means=[(str(row[0]), row[1]) for row in (means or {}).get("rows", [])],
                            flows_in=_figure(section, "returns.flow_in"), flows_out=_figure(section, "returns.flow_out"))
