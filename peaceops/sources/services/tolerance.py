"""The range of true values a qualified figure allows. "almost 7,000" accepts 6,500–7,000; "more than 11,000"
needs at least 11,000 (and, to mean anything, not much more); "about" is ±10 %; a round "exact" figure is read
as rounded to its last significant digit ("1,300" is 1,250–1,349)."""

from __future__ import annotations

ABOUT = 0.10
# "More than 11,000" said of 30,000 is not what a reader takes from it: above this share over, it does not hold.
OVER_AT_MOST = 0.25


def rounding_unit(value: int) -> int:
    """The place of the last non-zero digit of a round figure: 7,000 → 1,000; 1,300 → 100; 859 → 1."""
    unit = 1
    while value and value % (unit * 10) == 0:
        unit *= 10
    return unit


def accepted_range(value: int, qualifier: str) -> tuple[float, float]:
    """[low, high], inclusive, of the counts that bear a claim out."""
    unit = rounding_unit(value) if value >= 100 else 1
    if qualifier == "about":
        return value * (1 - ABOUT), value * (1 + ABOUT)
    if qualifier == "almost":
        return value - max(unit / 2, value * 0.05), value
    if qualifier in ("more_than", "at_least"):
        low = value + 1 if qualifier == "more_than" and unit == 1 else value
        return low, max(value * (1 + OVER_AT_MOST), low)
    if qualifier == "fewer_than":
        return value * (1 - OVER_AT_MOST), value - 1 if unit == 1 else value
    # exact
    if unit > 1:
        return value - unit / 2, value + unit / 2 - 1
    return value, value


def holds(registered_low: int, registered_high: int, value: int, qualifier: str) -> bool:
    """Whether any count in [registered_low, registered_high] falls in the claim's accepted range."""
    low, high = accepted_range(value, qualifier)
    return registered_high >= low and registered_low <= high


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] >= b[0] and b[1] >= a[0]
