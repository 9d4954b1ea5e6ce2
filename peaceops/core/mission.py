"""The active mission's configuration, as every module reads it.

Pages, reports and imports ask here for the ceasefire's start, the first return day, the area of operations,
the reporting cut-off, the small-cell threshold and the local time zone; nothing about a particular operation
is a constant in code. Without an active mission (a new installation) the installation's settings answer.
The active row is cached per process and re-read every few seconds, so an administrator's change reaches the
worker and every web process without a restart.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

RECHECK_SECONDS = 5.0
# Coordinates are accepted this far outside the area of operations (a gathering point across a border, a
# recovery site near the line), and refused beyond it: a swapped latitude and longitude lands far outside.
COORDINATE_MARGIN_DEGREES = 3.0

_lock = threading.Lock()
_state: dict = {"checked": 0.0, "mission": None, "saves": 0}


def _default():
    """The mission a new installation has before an administrator describes its own: the settings' values."""
    from peaceops.core.models import Mission

    south, west, north, east = (Decimal(x.strip()) for x in settings.PEACEOPS_MAP_BOUNDS.split(","))
    start = dt.date.fromisoformat(settings.PEACEOPS_FIRST_DAY)
    return Mission(name="", active=True, ceasefire_start=start, south=south, west=west, north=north, east=east)


def current():
    """The active mission (an unsaved one from the settings when none is configured, or before the database has
    its tables: `peaceops serve` shows the login page of an installation not yet migrated)."""
    from django.db import DatabaseError

    from peaceops.core.models import Mission

    now = time.monotonic()
    with _lock:
        if _state["mission"] is None or now - _state["checked"] > RECHECK_SECONDS:
            try:
                _state["mission"] = Mission.objects.filter(active=True).first() or _default()
            except DatabaseError:
                return _default()  # not cached: read again once the tables exist
            _state["checked"] = now
        return _state["mission"]


@contextmanager
def settings_only():
    """Answer from the installation's settings alone, touching no database (code that runs without one)."""
    with _lock:
        saved = dict(_state)
        _state.update(mission=_default(), checked=float("inf"))
    try:
        yield
    finally:
        with _lock:
            _state.update(mission=saved["mission"], checked=saved["checked"])


def invalidate() -> None:
    with _lock:
        _state["mission"], _state["checked"] = None, 0.0


def saved() -> None:
    """A mission was saved in this process: read it afresh (now, and again once its transaction commits)."""
    with _lock:
        _state["saves"] += 1
    invalidate()


def saves() -> int:
    """How many mission saves this process has seen (tests forget the cache only after one)."""
    return _state["saves"]


def ceasefire_start() -> dt.date:
    return current().ceasefire_start


def first_return_day() -> dt.date:
    mission = current()
    return mission.first_return_day or mission.ceasefire_start


def area_bounds() -> tuple[float, float, float, float]:
    """(south, west, north, east) of the area of operations: the map opens on it."""
    mission = current()
    return float(mission.south), float(mission.west), float(mission.north), float(mission.east)


def coordinate_bounds() -> dict[str, tuple[float, float]]:
    """The latitudes and longitudes a record's point may take: the area with a margin."""
    south, west, north, east = area_bounds()
    margin = COORDINATE_MARGIN_DEGREES
    return {"lat": (max(-90.0, south - margin), min(90.0, north + margin)),
            "lon": (max(-180.0, west - margin), min(180.0, east + margin))}


def day_cutoff() -> str:
    return current().day_cutoff or settings.PEACEOPS_DAY_CUTOFF


def small_cell() -> int:
    value = current().small_cell
    return value if value is not None else settings.PEACEOPS_SMALL_CELL


def time_zone_name() -> str:
    return current().time_zone or settings.TIME_ZONE


def time_zone() -> ZoneInfo:
    return ZoneInfo(time_zone_name())


# --- changes, by the administrator (web, API and CLI call these) ----------------------------------------------

FIELDS = ["name", "ceasefire_start", "first_return_day", "south", "west", "north", "east", "day_cutoff",
          "small_cell", "time_zone"]


def save(record, values: dict, parties=None):
    """Create or change a mission: validated whole (a bad value changes nothing), history and audit kept."""
    from django.db import transaction

    for name, value in values.items():
        if name not in FIELDS:
            raise ValueError(f"not a mission field: {name}")
        setattr(record, name, value)
    record.full_clean(exclude=["parties"])
    with transaction.atomic():
        record.save()
        if parties is not None:
            record.parties.set(parties)
    return record


def activate(record):
    """Make `record` the mission every page uses; the one active before keeps its data, inactive."""
    from django.db import transaction

    from peaceops.core.models import Mission

    with transaction.atomic():
        for other in Mission.objects.select_for_update().filter(active=True).exclude(pk=record.pk):
            other.active = False
            other.save()
        record.active = True
        record.save()
    return record
