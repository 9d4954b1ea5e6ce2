"""The sitrep's content as plain JSON: gathered from each module's sitrep.SECTIONS, compared across days and
versions, and narrowed for the public (small cells suppressed, links to case records removed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict

from django.conf import settings

from peaceops.core import mission
from peaceops.core.registry import collect
from peaceops.core.reporting import ReportingPeriod, Series, SitrepSection, is_small_cell
from peaceops.reports import disclosure

# Counts of people under the mission's small-cell threshold (core.mission.small_cell) are never shown publicly.
CONTENT_FORMAT = 1


def section_providers() -> tuple:
    return collect("sitrep", "SECTIONS")


def series_providers() -> tuple:
    return collect("sitrep", "SERIES")


def latest_activity_day() -> dt.date | None:
    """The newest day any module has records for, from the optional `sitrep.LATEST_DAY` callables: a demo world
    or an archive is shown where its data is, not at today's empty date."""
    days = [day for provider in collect("sitrep", "LATEST_DAY") if (day := provider())]
    return max(days, default=None)


def build_sections(day: dt.date) -> list[SitrepSection]:
    """Every installed module's section for the period ending on `day`, each figure with its D−1 value."""
    period = ReportingPeriod.ending_on(day)
    sections: list[SitrepSection] = []
    for provider in section_providers():
        section = provider(period)
        if section is None:
            continue
        if any(f.previous is None and f.value is not None for f in section.figures):
            # The module left D−1 to us: ask it for the previous period and match figures by key.
            before = provider(period.previous())
            earlier = {f.key: f.value for f in before.figures} if before else {}
            for figure in section.figures:
                if figure.previous is None:
                    figure.previous = earlier.get(figure.key)
        sections.append(section)
    sections.sort(key=lambda s: (s.order, s.key))
    return sections


def build_series(first_day: dt.date, last_day: dt.date) -> list[Series]:
    series: list[Series] = []
    for provider in series_providers():
        series.extend(provider(first_day, last_day))
    return series


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _section_dict(section: SitrepSection) -> dict:
    data = _plain(asdict(section))
    for figure in data["figures"]:
        figure["change"] = (None if figure["value"] is None or figure["previous"] is None
                            else figure["value"] - figure["previous"])
    return data


def report_language(content: dict) -> str:
    """The language a report's content was written in: recorded in it, else (older contents, a new one) the
    active language."""
    from django.utils.translation import get_language

    if content.get("language"):
        return content["language"]
    if content:  # written before contents recorded their language: they were built in the default language
        return settings.LANGUAGE_CODE
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def snapshot(day: dt.date, with_series: bool = True) -> dict:
    """The whole report for `day` as JSON-ready data: what approval freezes and every renderer reads."""
    content = {
        "format": CONTENT_FORMAT,
        "day": day.isoformat(),
        # The sections' words are written in the language active now; every rendering of this content uses it
        # for the rest of the report too (overview, headings), so a report never mixes two languages.
        "language": report_language({}),
        "sections": [_section_dict(s) for s in build_sections(day)],
        "series": [],
    }
    if with_series:
        first = min(mission.ceasefire_start(), day)
        content["series"] = [_plain(asdict(s)) for s in build_series(first, day)]
    return content


def digest(content: dict) -> str:
    """SHA-256 of the canonical JSON of a report's content (key order and spacing fixed)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def figure_index(content: dict) -> dict[tuple[str, str], dict]:
    return {(s["key"], f["key"]): {**f, "section": s["title"]} for s in content.get("sections", [])
            for f in s["figures"]}


def diff(old: dict, new: dict) -> list[dict]:
    """Figures whose value differs between two versions, plus figures that appeared or disappeared."""
    before, after = figure_index(old), figure_index(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        old_value = was["value"] if was else None
        new_value = now["value"] if now else None
        if was and now and old_value == new_value:
            continue
        ref = now or was
        assert ref is not None  # the key comes from one side or the other
        changes.append({"section": key[0], "key": key[1], "label": ref["label"], "old": old_value,
                        "new": new_value, "people": ref.get("people", False)})
    old_summaries = {s["key"]: s["summary"] for s in old.get("sections", [])}
    for section in new.get("sections", []):
        if section["key"] in old_summaries and old_summaries[section["key"]] != section["summary"]:
            changes.append({"section": section["key"], "key": "summary", "label": section["title"],
                            "old": old_summaries[section["key"]], "new": section["summary"], "people": False})
    return changes


def is_small(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and is_small_cell(value)


def public_view(content: dict) -> dict:
    """What the public may see: public sections only, no links into case records, and every count of people
    through the one suppression function (peaceops.reports.disclosure)."""
    return disclosure.public_content(content)


def public_changes(changes: list[dict]) -> list[dict]:
    """A correction's list of changed figures, with small counts of people suppressed."""
    return [disclosure.change(change) for change in changes]
