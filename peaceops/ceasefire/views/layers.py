"""The map's operational layers as GeoJSON, their editing, the post buffers and "which posts could have seen this"."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.ceasefire import layers
from peaceops.ceasefire.models import FeatureKind, MapFeature, Patrol
from peaceops.core import versioning
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.core.permissions import require
from peaceops.core.roles import can

GEOMETRY_DRAWN = {FeatureKind.LINE_OF_CONTACT: "line", FeatureKind.AREA_OF_RESPONSIBILITY: "polygon"}


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in FeatureKind.values else FeatureKind.LINE_OF_CONTACT


@require("core.view_map")
def features_geojson(request):
    """The current features of one layer; an editor also learns how to draw and save on it."""
    kind = _kind(request)
    editable = can(request.user, "ceasefire.edit_layers")
    features = MapFeature.objects.visible_to(request.user).current().filter(kind=kind).select_related("changed_by")
    body = {"type": "FeatureCollection", "features": [layers.feature_geojson(f, editable) for f in features]}
    if editable:
        body["editable"] = {"kind": kind, "draw": GEOMETRY_DRAWN[kind], "label": str(FeatureKind(kind).label),
                            "save_url": reverse("ceasefire:feature_save"),
                            "retire_url": reverse("ceasefire:feature_retire", args=[0])}
    return JsonResponse(body)


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status)


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(_("The request is not JSON.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The request is not a JSON object."))
    return data


def _revision(data) -> int | None:
    value = data.get("revision")
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("The revision must be a number.")) from None


@require("core.view_map", "ceasefire.edit_layers", writer_only=True)
@require_POST
def feature_save(request):
    """Create (no id) or change (id and the revision seen) a line of contact or an area of responsibility."""
    try:
        data = _body(request)
        feature = None
        if data.get("id"):
            feature = get_object_or_404(MapFeature.objects.visible_to(request.user), pk=data["id"])
        kind = data.get("kind") or (feature.kind if feature else "")
        saved = layers.save_feature(request.user, kind, data.get("name", feature.name if feature else ""),
                                    data.get("geometry"), data.get("notes", feature.notes if feature else ""),
                                    feature=feature, revision=_revision(data))
    except versioning.StaleRecord as exc:
        return _error(exc.message(), status=409)
    except ValidationError as exc:
        return _error(" ".join(exc.messages))
    return JsonResponse(layers.feature_geojson(saved, True), status=200 if feature else 201)


@require("core.view_map", "ceasefire.edit_layers", writer_only=True)
@require_POST
def feature_retire(request, pk: int):
    feature = get_object_or_404(MapFeature.objects.visible_to(request.user), pk=pk)
    try:
        layers.retire_feature(request.user, feature, revision=_revision(_body(request)))
    except versioning.StaleRecord as exc:
        return _error(exc.message(), status=409)
    except ValidationError as exc:
        return _error(" ".join(exc.messages))
    return JsonResponse({"id": feature.pk, "retired": True})


def _float(value):
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


@require("core.view_map")
def posts_near(request):
    """Which observation posts could have seen this point (within how far a post sees)."""
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    if lat is None or lon is None:
        return _error(_("Give lat and lon."))
    found = layers.posts_in_view(lat, lon)
    return JsonResponse({"lat": lat, "lon": lon, "km": layers.view_km(), "posts": [
        {"id": post.pk, "name": str(post), "km": km, "lat": float(post.latitude), "lon": float(post.longitude),
         "url": reverse("core:place_detail", args=[post.pk])} for post, km in found]})


@require("core.view_map")
def post_buffers(request):
    """A circle around each observation post: how far it is taken to see."""
    radius = layers.view_km() * 1000
    posts = Place.objects.visible_to(request.user).filter(kind=PlaceKind.OBSERVATION_POST).exclude(latitude=None)
    return JsonResponse({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
         "properties": {"name": p.name, "radius_m": radius,
                        "summary": _("Seen from here: within %(km)s km") % {"km": f"{layers.view_km():g}"}}}
        for p in posts], "posts_near_url": reverse("ceasefire:posts_near")})


@require("ceasefire.view")
def patrol_tracks(request):
    """The routes patrols drove (monitors: their own), one line per route, with how often it was driven."""
    features = layers.patrol_tracks(Patrol.objects.visible_to(request.user))
    for feature in features:
        props = feature["properties"]
        props["summary"] = _("Driven %(count)d times, %(first)s – %(last)s") % props
        props["url"] = reverse("ceasefire:patrol_detail", args=[props["last_id"]])
        props["link_label"] = _("latest patrol")
    return JsonResponse({"type": "FeatureCollection", "features": features})
