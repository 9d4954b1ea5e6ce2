"""How a report writes a figure: a leaf module, so the overview's sentences and the rendered sections format
numbers the same way without importing each other (issue 18, item 3)."""

from __future__ import annotations

from peaceops.core.numbers import grouped


def number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):  # already suppressed ("<5")
        return value
    if isinstance(value, float) and not value.is_integer():
        return grouped(value, 1)
    return grouped(int(value))


def signed(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a change hidden by the disclosure rules ("<5")
        return value
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + number(abs(value))
