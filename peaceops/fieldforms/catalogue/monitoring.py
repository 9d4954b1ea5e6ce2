"""The observation-post log and the patrol log (the route as a geotrace)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.fieldforms.catalogue.base import (
    Errors,
    Received,
    _choices,
    _not_future,
    _places,
    resolve_place,
)
from peaceops.fieldforms.instances import Values

# --- observation-post log ----------------------------------------------------------------------------------

YES_NO = (("yes", gettext_lazy("yes")), ("no", gettext_lazy("no")))


def post_log_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.ceasefire.models import ObservationPostLog
    from peaceops.core.models.places import PlaceKind

    label = {f.name: f.verbose_name for f in ObservationPostLog._meta.get_fields() if hasattr(f, "verbose_name")}
    survey: list[dict] = [
        {"type": "select_one post", "name": "post", "label": label["post"], "required": "yes",
         "appearance": "minimal autocomplete"},
        {"type": "dateTime", "name": "shift_start", "label": label["shift_start"], "required": "yes",
         "constraint": ". <= now()", "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "dateTime", "name": "shift_end", "label": label["shift_end"], "required": "yes",
         "constraint": ". >= ${shift_start}", "constraint_message": gettext_lazy("The end is before the start.")},
        {"type": "select_one yes_no", "name": "manned", "label": label["manned"], "required": "yes",
         "default": "yes"},
        {"type": "integer", "name": "personnel", "label": label["personnel"], "constraint": ". >= 0",
         "default": "0"},
        {"type": "text", "name": "observations", "label": label["observations"], "appearance": "multiline"},
    ]
    return survey, [*_places("post", (PlaceKind.OBSERVATION_POST,)), *_choices("yes_no", YES_NO)]


def save_post_log(v: Values, received: Received):
    from peaceops.ceasefire import services
    from peaceops.core.models.places import PlaceKind

    errors = Errors()
    post = errors.read("post", lambda: resolve_place(v.text("post"), (PlaceKind.OBSERVATION_POST,)))
    start = errors.read("shift_start", lambda: v.datetime("shift_start"))
    end = errors.read("shift_end", lambda: v.datetime("shift_end"))
    for path, when in (("shift_start", start), ("shift_end", end)):
        if when is None and path not in errors.by_field:
            errors.add(path, _("Say when the shift started and ended."))
        _not_future(errors, path, when)
    personnel = errors.read("personnel", lambda: v.integer("personnel"), 0)
    errors.raise_if_any()
    assert post is not None and start is not None and end is not None  # refused above otherwise
    return services.log_post(received.user, post, start, end, manned=v.text("manned") != "no",
                             personnel=personnel or 0, observations=v.text("observations"))


# --- patrol log (the route walked, as a geotrace) -------------------------------------------------------------

ROUTE_SNAP_KM = 5.0  # a vertex within this distance of a gazetteer place passes through it


def patrol_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.ceasefire.models import Patrol

    label = {f.name: f.verbose_name for f in Patrol._meta.get_fields() if hasattr(f, "verbose_name")}
    survey: list[dict] = [
        {"type": "text", "name": "route_name", "label": label["route_name"], "required": "yes"},
        {"type": "text", "name": "team", "label": label["team"]},
        {"type": "dateTime", "name": "started_at", "label": label["started_at"], "required": "yes",
         "constraint": ". <= now()", "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "dateTime", "name": "ended_at", "label": label["ended_at"],
         "constraint": ". >= ${started_at}", "constraint_message": gettext_lazy("The end is before the start.")},
        {"type": "geotrace", "name": "track", "label": gettext_lazy("The route as walked or driven"),
         "required": "yes",
         "hint": gettext_lazy("Record the track, or place a point at each place passed, in order.")},
        {"type": "text", "name": "findings", "label": label["findings"], "appearance": "multiline"},
    ]
    return survey, []


def _track(v: Values, errors: Errors) -> tuple[list, float]:
    """The gazetteer places the track passes, in order, and its length in km."""
    from peaceops.ceasefire import geo
    from peaceops.core.models import Place
    from peaceops.core.models.places import PlaceKind

    points = []
    for index, vertex in enumerate(filter(None, (p.strip() for p in v.text("track").split(";"))), 1):
        parts = vertex.split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            errors.add("track", _("Point %(n)s, “%(value)s”, is not latitude longitude.")
                       % {"n": index, "value": vertex})
            continue
        if not geo.in_region(lat, lon):
            errors.add("track", _("Point %(n)s (%(lat)s, %(lon)s) is outside the operating region.")
                       % {"n": index, "lat": lat, "lon": lon})
        points.append((lat, lon))
    if len(points) < 2:
        errors.add("track", _("A track has at least two points."))
        return [], 0.0
    places = Place.objects.filter(kind__in=(PlaceKind.SETTLEMENT, PlaceKind.CHECKPOINT,
                                            PlaceKind.OBSERVATION_POST)).exclude(latitude=None)
    located = [(place, at) for place in places if (at := geo.point(place)) is not None]
    route: list = []
    for lat, lon in points:
        nearest = min(located, key=lambda p: geo.distance_km(lat, lon, *p[1]), default=None)
        if nearest and geo.distance_km(lat, lon, *nearest[1]) <= ROUTE_SNAP_KM \
                and (not route or route[-1] != nearest[0]):
            route.append(nearest[0])
    length = sum(geo.distance_km(*a, *b) for a, b in zip(points, points[1:]))
    if len(route) < 2 and "track" not in errors.by_field:
        errors.add("track", _("The track passes fewer than two places of the gazetteer (within %(km)s km); a "
                              "patrol's route is recorded from place to place.") % {"km": ROUTE_SNAP_KM})
    return route, length


def save_patrol(v: Values, received: Received):
    from peaceops.ceasefire import services

    errors = Errors()
    started = errors.read("started_at", lambda: v.datetime("started_at"))
    ended = errors.read("ended_at", lambda: v.datetime("ended_at"))
    if started is None and "started_at" not in errors.by_field:
        errors.add("started_at", _("Say when the patrol started."))
    _not_future(errors, "started_at", started)
    _not_future(errors, "ended_at", ended)
    route, length = _track(v, errors)
    errors.raise_if_any()
    return services.record_patrol(received.user, v.text("route_name"), route, started, ended,
                                  team=v.text("team"), findings=v.text("findings"), distance_km=Decimal(f"{length:.1f}"))
