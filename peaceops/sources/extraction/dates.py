"""Dates in reports: the dateline ("MOSCOW, November 22. /TASS/.", "СТЕПАНАКЕРТ, 22 ноября. /ТАСС/."), and
the dates a sentence refers to ("on Sunday", "yesterday", "on December 11", "с 14 ноября", "за сутки").

Finding a date expression and its role (the day a figure is for, or the start of a running total) is ours;
turning the expression into a calendar date against the report's own date is `dateparser`'s."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import dateparser

_EN_MONTHS = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
              r"Sep(?:t(?:ember)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_RU_MONTHS = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?:19|20)\d\d)"
_RU_YEAR = r"(?:\s+(?:(?:19|20)\d\d)(?:\s*(?:года|г\.|г\b))?)"
EXPLICIT = {
    "en": re.compile(rf"\b(?:{_EN_MONTHS}\s+\d{{1,2}}{_ORD}{_YEAR}?|\d{{1,2}}{_ORD}\s+(?:of\s+)?{_EN_MONTHS}{_YEAR}?)"
                     r"(?![\w])", re.IGNORECASE),
    "ru": re.compile(rf"(?<!\d)\d{{1,2}}\s+{_RU_MONTHS}{_RU_YEAR}?(?!\w)", re.IGNORECASE),
}
WEEKDAYS = {
    "en": re.compile(r"\b(?:on\s+|last\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
                     re.IGNORECASE),
    "ru": re.compile(r"(?<!\w)(?:в\s+|во\s+)(понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)(?!\w)",
                     re.IGNORECASE),
}
_WEEKDAY_INDEX = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
                  "понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4, "субботу": 5,
                  "воскресенье": 6}
RELATIVE = {
    "en": re.compile(r"\b(yesterday|today|the day before yesterday)\b", re.IGNORECASE),
    "ru": re.compile(r"(?<!\w)(позавчера|вчера|сегодня)(?!\w)", re.IGNORECASE),
}
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "the day before yesterday": -2, "вчера": -1, "сегодня": 0,
                  "позавчера": -2}
# What stands before a date says what it is for: the start of a running total, or the day a figure is as of.
_SINCE = {"en": re.compile(r"\b(?:since|from|starting)\s+(?:the\s+)?$", re.IGNORECASE),
          "ru": re.compile(r"(?<!\w)(?:с|со|начиная\s+с)\s+$", re.IGNORECASE)}
# "Since the first convoy on November 14": the date of the event a total runs from.
_SINCE_EVENT = {"en": re.compile(r"\bsince\s+(?:the\s+)?[\w\s]{0,40}?\b(?:on|of)\s+$", re.IGNORECASE),
                "ru": re.compile(r"(?<!\w)с\s+момента\s+[\w\s]{0,40}?$", re.IGNORECASE)}
_BY = {"en": re.compile(r"\b(?:by|as\s+of|as\s+at|until|up\s+to)\s+(?:the\s+)?$", re.IGNORECASE),
       "ru": re.compile(r"(?<!\w)(?:к|на|по\s+состоянию\s+на|по)\s+$", re.IGNORECASE)}


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    role: str  # "since", "by" (as of, for running totals) or "on" (the day a figure is for)
    day: dt.date | None


def _nearest_year(month: int, day: int, base: dt.date) -> dt.date | None:
    """A date written without its year: the one nearest the report's own date."""
    best = None
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - base).days) < abs((best - base).days):
            best = candidate
    return best


@cache
def _parse(text: str, language: str) -> dt.datetime | None:
    return dateparser.parse(text, languages=[language], settings={"PREFER_DAY_OF_MONTH": "first",
                                                                  "RELATIVE_BASE": dt.datetime(2000, 1, 1)})


def parse_explicit(text: str, language: str, base: dt.date | None) -> tuple[dt.date | None, bool]:
    """(date, whether the text gave the year). Without a year and without a base, (date in 2000, False)."""
    has_year = bool(re.search(r"(?:19|20)\d\d", text))
    parsed = _parse(re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", text.replace(",", " ")), language)
    if parsed is None:
        return None, has_year
    if has_year or base is None:
        return parsed.date(), has_year
    return _nearest_year(parsed.month, parsed.day, base), False


def _weekday(name: str, base: dt.date) -> dt.date:
    """The latest such weekday on or before the report's date ("on Sunday" in a Monday report: the day before).
    dateparser reads a weekday in the past too, but takes the report's own weekday as a week earlier."""
    target = _WEEKDAY_INDEX[name.lower()]
    return base - dt.timedelta(days=(base.weekday() - target) % 7)


def mentions(sentence: str, language: str, base: dt.date | None) -> list[DateMention]:
    """Every date expression in a sentence, resolved against `base` (the report's date; None: not resolvable)."""
    found: list[DateMention] = []
    if language not in EXPLICIT:
        return found

    def role_at(start: int) -> str:
        before = sentence[max(0, start - 30):start]
        if _SINCE[language].search(before) or _SINCE_EVENT[language].search(sentence[max(0, start - 60):start]):
            return "since"
        if _BY[language].search(before):
            return "by"
        return "on"

    for match in EXPLICIT[language].finditer(sentence):
        day, _has_year = parse_explicit(match.group(0), language, base)
        found.append(DateMention(match.group(0), match.start(), match.end(), role_at(match.start()), day))
    for match in WEEKDAYS[language].finditer(sentence):
        day = _weekday(match.group(1), base) if base else None
        found.append(DateMention(match.group(0), match.start(), match.end(), role_at(match.start()), day))
    for match in RELATIVE[language].finditer(sentence):
        word = match.group(1).lower()
        day = base + dt.timedelta(days=_RELATIVE_DAYS[word]) if base else None
        found.append(DateMention(match.group(0), match.start(), match.end(), role_at(match.start()), day))
    return sorted(found, key=lambda m: m.start)


# Datelines: "MOSCOW, November 22. /TASS/.", "BAKU, Nov 22 (Reuters) -", "YEREVAN (Agency - 21st November, 2020)",
# "СТЕПАНАКЕРТ, 22 ноября. /ТАСС/.". A city in capitals, then the date before the agency or the text.
_DATELINE = re.compile(r"^\s*(?P<city>[A-ZА-ЯЁ][A-ZА-ЯЁ .'\-]{2,40}?)\s*(?:,\s*|\((?P<inner>[^)]{0,80})\))"
                       r"(?P<rest>[^\n]{0,80})", re.MULTILINE)


@dataclass(frozen=True)
class Dateline:
    city: str
    text: str  # the date as written
    day: dt.date | None  # resolved; None while the year is unknown
    month_day: tuple[int, int]
    has_year: bool
    start: int
    end: int


def find_dateline(text: str, language: str) -> Dateline | None:
    """The dateline in the first lines of a report, if it has one."""
    if language not in EXPLICIT:
        return None
    head = text[:1500]
    for match in _DATELINE.finditer(head):
        if match.group("city").strip().upper() != match.group("city").strip():
            continue
        for group in ("inner", "rest"):
            part = match.group(group) or ""
            date = EXPLICIT[language].search(part) or EXPLICIT["en"].search(part)
            if date is None or (group == "rest" and date.start() > 3):
                continue
            parsed, has_year = parse_explicit(date.group(0), language if EXPLICIT[language].search(part) else "en",
                                              None)
            if parsed is None:
                continue
            # The dateline ends after its date and the agency that follows it ("November 22. /TASS/.").
            end = match.start(group) + date.end()
            tail = re.match(r"[.,]?\s*(?:/[^/\n]{1,30}/\.?|\([^)\n]{1,30}\)\s*[-—–]?|[-—–])?", head[end:])
            end += tail.end() if tail else 0
            if group == "inner":
                end = match.end("inner") + 1
            return Dateline(match.group("city").strip(), date.group(0), parsed if has_year else None,
                            (parsed.month, parsed.day), has_year, match.start("city"), end)
    return None


def latest_in_period(month: int, day: int, first: dt.date, last: dt.date) -> dt.date | None:
    """The latest date with this month and day within [first, last] (a wire dateline without its year)."""
    for year in range(last.year, first.year - 1, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if first <= candidate <= last:
            return candidate
    return None
