"""The navigation bar: each app contributes `navigation.NAVIGATION`, filtered by the user's capabilities."""

from __future__ import annotations

from django.conf import settings

from peaceops.core import mission
from peaceops.core.registry import collect
from peaceops.core.roles import ROLE_LABELS, can, roles_of
from peaceops.core.twofactor import pending


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items, live = [], []
    # Before the one-time code nothing is theirs yet: no menu, and no counter polling beside the code page
    # (its answer, racing the enrolment that renews the session, signed the new session out).
    if user is not None and user.is_authenticated and not pending(user):
        items = [{"label": label, "url_name": url} for label, url, capability in collect("navigation", "NAVIGATION") if can(user, capability)]
        # Live counters in the top bar (navigation.LIVE = [(url_name, capability)]): a fragment polled by htmx.
        live = [url for url, capability in collect("navigation", "LIVE") if can(user, capability)]
    roles = sorted(str(ROLE_LABELS.get(r, r)) for r in roles_of(user))
    return {"nav_items": items, "nav_live": live, "user_roles": roles, "map_tile_url": settings.MAP_TILE_URL,
            "time_zone": mission.time_zone_name(), "utc_offset": utc_offset()}


def utc_offset() -> str:
    """The local time as an offset ("UTC+4"), not a zone named after one party's capital: a neutral mission's
    footer names neither Yerevan nor Baku."""
    from django.utils import timezone

    offset = timezone.localtime().utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "") if minutes else "UTC"
