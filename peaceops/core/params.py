"""Query-string parameters shared by list and count pages."""

from __future__ import annotations

import datetime as dt


def date_param(request, name: str, default: dt.date | None = None) -> dt.date | None:
    """`?name=YYYY-MM-DD` as a date; missing or malformed gives `default` (pages fall back, never fail)."""
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default
