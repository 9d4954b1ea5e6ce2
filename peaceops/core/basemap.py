"""The offline base layer: drawn from what this deployment holds, never fetched from a tile server.

`peaceops map build-basemap` writes it as one GeoJSON file (settings.PEACEOPS_BASEMAP_PATH); until then the map
page draws the same layer live. It holds the area-of-operations frame and a graticule, each district as the hull
of its places with its name, the settlements, and any offline GeoJSON the operator adds (roads, rivers from an
extract they hold), clipped to the region."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation

from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind

GRATICULE_STEP = 0.1  # degrees
MARGIN = 1.5  # degrees drawn around the area of operations


def area_bounds() -> tuple[float, float, float, float]:
    """(south, west, north, east) of the area of operations: the active mission's."""
    from peaceops.core import mission

    return mission.area_bounds()


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain) of (lon, lat) points, counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    upper: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _padded(hull: list[tuple[float, float]], pad: float = 0.03) -> list[list[float]]:
    """The hull pushed out from its centre by `pad` degrees, so a district drawn from few places stays visible."""
    cx = sum(p[0] for p in hull) / len(hull)
    cy = sum(p[1] for p in hull) / len(hull)
    ring = []
    for x, y in hull:
        d = math.hypot(x - cx, y - cy) or 1.0
        ring.append([round(x + (x - cx) / d * pad, 5), round(y + (y - cy) / d * pad, 5)])
    return ring + [ring[0]]


def _feature(geometry: dict, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _inside(coords, box) -> bool:
    """Whether any vertex of a GeoJSON coordinate array lies in box (south, west, north, east)."""
    if coords and isinstance(coords[0], (int, float)):
        return box[0] <= coords[1] <= box[2] and box[1] <= coords[0] <= box[3]
    return any(_inside(c, box) for c in coords or [])


def _names(place: Place) -> dict[str, str]:
    """The place's name in every other language the site speaks (`name_ru`…): the file is built once, offline,
    and read by pages in either language, so map.js picks the page's own."""
    names = {}
    for code, _label in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            with translation.override(code):
                names[f"name_{code}"] = str(place)
    return names


def build(extra: list[dict] | None = None) -> dict:
    south, west, north, east = area_bounds()
    box = (south - MARGIN, west - MARGIN, north + MARGIN, east + MARGIN)
    features = [_feature({"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                             [west, north], [west, south]]]}, kind="frame")]
    step = GRATICULE_STEP
    lat = math.floor(box[0] / step) * step
    while lat <= box[2]:
        features.append(_feature({"type": "LineString", "coordinates": [[box[1], round(lat, 4)],
                                                                        [box[3], round(lat, 4)]]},
                                 kind="graticule", name=f"{lat:.1f}°N"))
        lat += step
    lon = math.floor(box[1] / step) * step
    while lon <= box[3]:
        features.append(_feature({"type": "LineString", "coordinates": [[round(lon, 4), box[0]],
                                                                        [round(lon, 4), box[2]]]},
                                 kind="graticule", name=f"{lon:.1f}°E"))
        lon += step
    places = list(Place.objects.exclude(latitude=None).only("id", "name", "kind", "parent_id", "latitude",
                                                            "longitude", "population"))
    by_parent = defaultdict(list)
    points_of = {place.pk: (float(place.longitude), float(place.latitude)) for place in places
                 if place.latitude is not None and place.longitude is not None}
    for place in places:
        if place.parent_id and place.pk in points_of:
            by_parent[place.parent_id].append(points_of[place.pk])
    for district in Place.objects.filter(kind=PlaceKind.REGION, pk__in=list(by_parent)):
        points = by_parent[district.pk]
        hull = _hull(points)
        cx = sum(p[0] for p in points) / len(points)
        cy = sum(p[1] for p in points) / len(points)
        if len(hull) >= 3:
            features.append(_feature({"type": "Polygon", "coordinates": [_padded(hull)]},
                                     kind="district", name=district.name, **_names(district)))
        features.append(_feature({"type": "Point", "coordinates": [round(cx, 5), round(cy, 5)]},
                                 kind="district_label", name=district.name, **_names(district)))
    for place in places:
        point = points_of.get(place.pk)
        if place.kind == PlaceKind.SETTLEMENT and point is not None and _inside(list(point), box):
            features.append(_feature({"type": "Point", "coordinates": list(point)},
                                     kind="settlement", name=place.name, population=place.population))
    for feature in extra or []:
        if isinstance(feature, dict) and _inside((feature.get("geometry") or {}).get("coordinates"), box):
            props = dict(feature.get("properties") or {})
            props.setdefault("kind", "added")
            features.append({"type": "Feature", "geometry": feature["geometry"], "properties": props})
    return {"type": "FeatureCollection", "features": features,
            "bounds": [south, west, north, east], "built_at": timezone.now().isoformat(timespec="seconds")}


def read_extra(path: Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("type") == "FeatureCollection":
        return list(data.get("features") or [])
    if data.get("type") == "Feature":
        return [data]
    raise ValueError(f"{path}: not a GeoJSON Feature or FeatureCollection")


def write(path: Path | None = None, extra: list[dict] | None = None) -> tuple[Path, int]:
    path = Path(path or settings.PEACEOPS_BASEMAP_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = build(extra)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)
    return path, len(data["features"])


def current() -> dict:
    """The built base layer if there is one, else drawn now."""
    path = Path(settings.PEACEOPS_BASEMAP_PATH)
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            pass
    return build()
