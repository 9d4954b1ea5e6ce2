"""Small spherical geometry: distances between incidents, "2 km north-east of Martuni", the operating region."""

from __future__ import annotations

import math
from decimal import Decimal

from peaceops.core import mission

EARTH_RADIUS_KM = 6371.0

BEARINGS = {"N": 0, "NE": 45, "E": 90, "SE": 135, "S": 180, "SW": 225, "W": 270, "NW": 315}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def point(record) -> tuple[float, float] | None:
    """(latitude, longitude) of a record (a place, an incident) as floats; None unless it has both."""
    if record.latitude is None or record.longitude is None:
        return None
    return float(record.latitude), float(record.longitude)


def offset(lat: float, lon: float, bearing: str, km: float) -> tuple[Decimal, Decimal]:
    """The point `km` away from (lat, lon) towards a compass bearing, rounded to about 10 m."""
    theta = math.radians(BEARINGS[bearing])
    delta = km / EARTH_RADIUS_KM
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(theta))
    l2 = l1 + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(p1), math.cos(delta) - math.sin(p1) * math.sin(p2))
    return Decimal(f"{math.degrees(p2):.4f}"), Decimal(f"{math.degrees(l2):.4f}")


def in_region(lat: float, lon: float) -> bool:
    bounds = mission.coordinate_bounds()
    (lat_lo, lat_hi), (lon_lo, lon_hi) = bounds["lat"], bounds["lon"]
    return lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi


def degree_box(lat: float, km: float) -> tuple[float, float]:
    """Half-widths in degrees (lat, lon) of a box that contains every point within `km`: an indexable prefilter."""
    dlat = km / 111.0
    dlon = km / (111.0 * max(0.1, math.cos(math.radians(lat))))
    return dlat, dlon
