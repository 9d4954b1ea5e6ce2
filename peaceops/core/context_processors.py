"""The navigation bar: each app contributes `navigation.NAVIGATION`, filtered by the user's capabilities."""

from __future__ import annotations

from django.conf import settings

from peaceops.core.registry import collect
from peaceops.core.roles import ROLE_LABELS, can, roles_of


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items = [{"label": label, "url_name": url} for label, url, capability in collect("navigation", "NAVIGATION") if can(user, capability)]
    roles = sorted(str(ROLE_LABELS.get(r, r)) for r in roles_of(user))
    return {"nav_items": items, "user_roles": roles, "map_tile_url": settings.MAP_TILE_URL, "time_zone": settings.TIME_ZONE}
