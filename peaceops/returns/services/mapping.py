"""The returns layers of the map (corridor roads, convoys on the road) as GeoJSON: a fixed number of queries
whatever the number of corridors or convoys, and links built from the URL conf (issue 18)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.models.places import PlaceKind
from peaceops.returns.models import CheckpointPassage, ConvoyStatus, CorridorCheckpoint

CORRIDOR_COLOURS = {"open": "#2e7d32", "restricted": "#b26a00", "closed": "#b00020"}
CONVOY_COLOUR = "#6a1b9a"
CONVOYS_SHOWN = 200


def _ordered_checkpoints():
    return Prefetch("checkpoints", queryset=CorridorCheckpoint.objects.select_related("place").order_by("position"))


def _point(place) -> list[float]:
    return [float(place.longitude), float(place.latitude)]


def corridor_features(corridors) -> list[dict]:
    """Each corridor as a line through its checkpoints, coloured by its status."""
    features = []
    for corridor in corridors.prefetch_related(_ordered_checkpoints()):
        points = [cp.place for cp in corridor.checkpoints.all() if cp.place.has_coordinates]
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
            _point(p) for p in points]}, "properties": {
            "name": corridor.name, "summary": _("Corridor %(status)s") % {"status": corridor.get_status_display()},
            "url": reverse("returns:corridor_detail", args=[corridor.pk]),
            "color": CORRIDOR_COLOURS[corridor.status]}})
    return features


def convoy_features(convoys) -> list[dict]:
    """Each convoy on the road at its last checkpoint passed (its corridor's first before any)."""
    last_passage = (CheckpointPassage.objects.filter(convoy=OuterRef("pk")).order_by("-passed_at")
                    .values("checkpoint_id")[:1])
    convoys = (convoys.filter(status=ConvoyStatus.DISPATCHED)
               .annotate(last_checkpoint=Subquery(last_passage), people=Count("manifest", distinct=True))
               .select_related("corridor").prefetch_related(Prefetch("corridor__checkpoints",
                                                                     queryset=_ordered_checkpoints().queryset))
               [:CONVOYS_SHOWN])
    convoys = list(convoys)
    passed = {cp.pk: cp for cp in CorridorCheckpoint.objects.select_related("place").filter(
        pk__in={c.last_checkpoint for c in convoys} - {None})}
    features = []
    for convoy in convoys:
        checkpoint = passed.get(convoy.last_checkpoint) or next(iter(convoy.corridor.checkpoints.all()), None)
        place = checkpoint.place if checkpoint else None
        if place is None or not place.has_coordinates or place.kind != PlaceKind.CHECKPOINT:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": _point(place)},
                         "properties": {
            "name": str(convoy), "summary": _("%(n)d people; last seen at %(place)s") % {
                "n": convoy.people, "place": place.name},
            "url": reverse("returns:convoy_detail", args=[convoy.pk]), "color": CONVOY_COLOUR}})
    return features

