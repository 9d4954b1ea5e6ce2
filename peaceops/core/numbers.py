"""Numbers as the active language writes them ("13,935" in English, "13 935" in Russian), one way everywhere:
Python's f"{n:,}" always wrote the English form, beside Django's localised one in the same page."""

from __future__ import annotations

from django.utils import formats


def grouped(value: int | float, decimals: int | None = None) -> str:
    """`value` with thousands grouped and the language's decimal mark; `decimals` fixes the places shown."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def signed(value: int | float) -> str:
    """A change: "+1,200", "−300", "±0"."""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + grouped(abs(value))
