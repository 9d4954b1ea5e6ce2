"""Birth dates as lists carry them: YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY, kept with their precision.

`--MM-DD` (ISO 8601's truncated form) is a birthday whose year is unknown or was struck out as impossible;
the day and month still tell namesakes apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_NO_YEAR = re.compile(r"^--(\d{1,2})-(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 19560409, as FEBRL stores dates


class BadDate(ValueError):
    pass


@dataclass(frozen=True)
class BirthDate:
    year: int | None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def parse_birth_date(text: str | None, *, allow_compact: bool = False) -> BirthDate | None:
    """Parse a birth date; None for empty input, BadDate (with a reason) for anything malformed."""
    if text is None or not str(text).strip():
        return None
    s = str(text).strip()
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        month, day = (int(mo) if mo else None), (int(d) if d else None)
    elif (m := _DOTTED.match(s)) is not None:
        y, month, day = int(m.group(3)), int(m.group(2)), int(m.group(1))
    elif (m := _NO_YEAR.match(s)) is not None:
        month, day = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise BadDate(f"birth_date {s!r}: month {month} out of range")
        try:
            dt.date(2000, month, day)  # a leap year: 29 February is a birthday
        except ValueError as exc:
            raise BadDate(f"birth_date {s!r}: {exc}") from None
        return BirthDate(None, month, day)
    elif allow_compact and (m := _COMPACT.match(s)) is not None:
        y, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise BadDate(f"birth_date {s!r} is not YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or --MM-DD")
    if not 1850 <= y <= dt.date.today().year:
        raise BadDate(f"birth_date {s!r}: year {y} out of range")
    if month is not None and not 1 <= month <= 12:
        raise BadDate(f"birth_date {s!r}: month {month} out of range")
    if day is not None:
        try:
            dt.date(y, month or 1, day)
        except ValueError as exc:
            raise BadDate(f"birth_date {s!r}: {exc}") from None
    return BirthDate(y, month, day)


@dataclass(frozen=True)
class SalvagedDate:
    """What can be kept of a birth date as written: the valid leading parts, and why the rest was dropped."""

    date: BirthDate | None
    warning: str | None = None  # None when the text was read whole (or was empty)


_PARTS = re.compile(r"^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?$")
_DOTTED_ANY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_COMPACT_ANY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def salvage_birth_date(text: str | None, *, today: dt.date | None = None) -> SalvagedDate:
    """A birth date read for matching: never refused. A clerk's typo in one part must not drop the person from
    matching (a detainee never matched for a mistyped day), so what is valid is kept at the precision it has:
    `1945-04-93` keeps 1945-04, month 0 keeps the year, an impossible year keeps nothing. The warning says what
    was dropped, for the import's report."""
    if text is None or not str(text).strip():
        return SalvagedDate(None)
    s = str(text).strip()
    try:
        return SalvagedDate(parse_birth_date(s, allow_compact=True))
    except BadDate as exc:
        reason = str(exc)
    found = _PARTS.match(s) or _COMPACT_ANY.match(s)
    if found:
        year, month, day = (int(g) if g else None for g in found.groups())
    elif (found := _DOTTED_ANY.match(s)) is not None:
        day, month, year = (int(g) for g in found.groups())
    else:
        return SalvagedDate(None, f"{reason}; ignored")
    latest = (today or dt.date.today()).year
    if year is None or not 1850 <= year <= latest:
        return SalvagedDate(None, f"{reason}; ignored")
    if month is None or not 1 <= month <= 12:
        kept = BirthDate(year)
    else:
        try:
            dt.date(year, month, day or 1)
            kept = BirthDate(year, month, day)
        except ValueError:
            kept = BirthDate(year, month)
    return SalvagedDate(kept, f"{reason}; kept {kept.iso()}")
