"""The map's operational layers: editing the line of contact and the areas of responsibility, which posts could
have seen a point, and the patrol tracks. Views, the API and the scenario all call these."""

from __future__ import annotations

from contextlib import nullcontext

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.ceasefire import geo
from peaceops.ceasefire.models import FeatureKind, MapFeature
from peaceops.core import versioning
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind

GEOMETRY_TYPES: dict[str, set[str]] = {
    FeatureKind.LINE_OF_CONTACT: {"LineString", "MultiLineString"},
    FeatureKind.AREA_OF_RESPONSIBILITY: {"Polygon"},
}
MAX_VERTICES = 5000


def _position(value) -> list[float]:
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise ValidationError(_("Each vertex must be a [longitude, latitude] pair.")) from None
    if not geo.in_region(lat, lon):
        raise ValidationError(_("A vertex (%(lat).4f, %(lon).4f) lies outside the operating region.")
                              % {"lat": lat, "lon": lon})
    return [round(lon, 6), round(lat, 6)]


def _line(coords) -> list[list[float]]:
    if not isinstance(coords, list) or len(coords) < 2:
        raise ValidationError(_("A line needs at least two vertices."))
    return [_position(c) for c in coords]


def _ring(coords) -> list[list[float]]:
    if not isinstance(coords, list):
        raise ValidationError(_("An area needs at least three vertices."))
    ring = [_position(c) for c in coords]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len({tuple(p) for p in ring}) < 3:
        raise ValidationError(_("An area needs at least three vertices."))
    return ring + [ring[0]]  # GeoJSON rings are closed


def clean_geometry(kind: str, geometry) -> dict:
    """A GeoJSON geometry of the type the layer takes, every vertex inside the region, rings closed."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES.get(kind, ()):
        raise ValidationError(_("This layer takes a %(types)s geometry.")
                              % {"types": " / ".join(sorted(GEOMETRY_TYPES.get(kind, {"?"})))})
    coords = geometry.get("coordinates")
    cleaned: list[list[float]] | list[list[list[float]]]  # a line's positions, or several lines' or rings'
    if geometry["type"] == "LineString":
        cleaned = _line(coords)
        count = len(cleaned)
    elif geometry["type"] == "MultiLineString":
        if not isinstance(coords, list) or not coords:
            raise ValidationError(_("A line needs at least two vertices."))
        lines = [_line(part) for part in coords]
        cleaned, count = lines, sum(map(len, lines))
    else:
        if not isinstance(coords, list) or not coords:
            raise ValidationError(_("An area needs at least three vertices."))
        ring = _ring(coords[0])
        cleaned, count = [ring], len(ring)  # holes are not needed for a sector
    if count > MAX_VERTICES:
        raise ValidationError(_("Too many vertices (at most %(n)d).") % {"n": MAX_VERTICES})
    return {"type": geometry["type"], "coordinates": cleaned}


def save_feature(user, kind: str, name: str, geometry, notes: str = "", feature: MapFeature | None = None,
                 revision: int | None = None) -> MapFeature:
    """Create or change a feature; `revision` is the one the editor saw (a stale edit is refused)."""
    if kind not in FeatureKind.values:
        raise ValidationError(_("Unknown layer."))
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the feature a name."))
    cleaned = clean_geometry(kind, geometry)
    if feature is not None and feature.retired_at is not None:
        raise ValidationError(_("This feature has been retired; draw a new one."))
    guard = versioning.expecting(feature, revision) if feature is not None else nullcontext()
    with transaction.atomic(), guard:
        if feature is None:
            feature = MapFeature(kind=kind, created_by=user)
        elif feature.kind != kind:
            raise ValidationError(_("A feature stays on its layer."))
        feature.name, feature.geometry, feature.notes, feature.changed_by = name[:120], cleaned, notes or "", user
        feature.full_clean()
        feature.save()
    return feature


def retire_feature(user, feature: MapFeature, revision: int | None = None) -> MapFeature:
    """Take a feature off the map; it stays in the database with its history."""
    if feature.retired_at is not None:
        return feature
    with transaction.atomic(), versioning.expecting(feature, revision):
        feature.retired_at, feature.changed_by = timezone.now(), user
        feature.save()
    return feature


def feature_geojson(feature: MapFeature, editable: bool) -> dict:
    changed = _("revision %(n)s, %(who)s, %(when)s") % {
        "n": feature.revision, "who": getattr(feature.changed_by, "username", "—"),
        "when": f"{timezone.localtime(feature.updated_at):%Y-%m-%d %H:%M}" if feature.updated_at else "—"}
    props = {"id": feature.pk, "name": feature.name, "kind": feature.kind, "revision": feature.revision,
             "summary": " · ".join(filter(None, [feature.notes or str(feature.get_kind_display()), changed]))}
    if editable:
        props["editable"] = True
    return {"type": "Feature", "geometry": feature.geometry, "properties": props}


# --- which posts could have seen this ------------------------------------------------------------------------

def view_km() -> float:
    return float(getattr(settings, "PEACEOPS_OP_VIEW_KM", 6.0))


def posts_in_view(lat: float, lon: float, km: float | None = None) -> list[tuple[Place, float]]:
    """Observation posts within `km` (default: how far a post sees) of a point, nearest first."""
    km = view_km() if km is None else km
    dlat, dlon = geo.degree_box(lat, km)
    candidates = Place.objects.filter(kind=PlaceKind.OBSERVATION_POST, latitude__gte=lat - dlat,
                                      latitude__lte=lat + dlat, longitude__gte=lon - dlon,
                                      longitude__lte=lon + dlon)
    found = []
    for post in candidates:
        at = geo.point(post)
        if at is None:  # not reached: the query asks for both coordinates
            continue
        distance = geo.distance_km(lat, lon, *at)
        if distance <= km:
            found.append((post, round(distance, 2)))
    return sorted(found, key=lambda pair: (pair[1], pair[0].name))


# --- patrol tracks -------------------------------------------------------------------------------------------

def patrol_tracks(patrols) -> list[dict]:
    """One line per route driven (the places passed, in order), with how often and when it was last driven."""
    routes: dict[tuple, dict] = {}
    for patrol in patrols.prefetch_related("stops__place").order_by("started_at"):
        points = tuple((float(s.place.longitude), float(s.place.latitude)) for s in patrol.stops.all()
                       if s.place.latitude is not None)
        if len(points) < 2:
            continue
        entry = routes.setdefault((patrol.route_name, points), {"count": 0, "first": patrol.started_at})
        entry["count"] += 1
        entry["last"], entry["last_id"] = patrol.started_at, patrol.pk
    features = []
    for (name, points), entry in routes.items():
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
            "properties": {"name": name, "count": entry["count"],
                           "first": timezone.localtime(entry["first"]).date().isoformat(),
                           "last": timezone.localtime(entry["last"]).date().isoformat(),
                           "last_id": entry["last_id"]},
        })
    return features
