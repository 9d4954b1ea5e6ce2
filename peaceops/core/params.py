"""Query-string parameters shared by list and count pages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode


def date_param(request, name: str, default: dt.date | None = None) -> dt.date | None:
    """`?name=YYYY-MM-DD` as a date; missing or malformed gives `default` (pages fall back, never fail)."""
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


def query_string(**params) -> str:
    """The filters a list page keeps across its pages: `a=1&b=2`, leaving out the empty ones (dates as ISO)."""
    return urlencode({name: value for name, value in params.items() if value})
