"""Observation posts' shift logs, patrols and their routes, and attachments to reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.ceasefire.models import ObservationPostLog, Patrol, PatrolStop
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind


@transaction.atomic
def log_post(user, post: Place, shift_start, shift_end, manned: bool = True, personnel: int = 0,
             observations: str = "") -> ObservationPostLog:
    entry = ObservationPostLog(post=post, shift_start=shift_start, shift_end=shift_end, manned=manned,
                               personnel=personnel, observations=observations, created_by=user)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def record_patrol(user, route_name: str, route: list[Place], started_at, ended_at=None, team: str = "",
                  findings: str = "", distance_km=None) -> Patrol:
    if len(route) < 2:
        raise ValidationError({"route": _("A route has at least two places, in the order passed.")})
    patrol = Patrol(route_name=route_name, started_at=started_at, ended_at=ended_at, team=team,
                    findings=findings, distance_km=distance_km, created_by=user)
    patrol.full_clean()
    patrol.save()
    PatrolStop.objects.bulk_create([PatrolStop(patrol=patrol, order=i, place=p) for i, p in enumerate(route, 1)])
    return patrol


def observation_posts():
    return Place.objects.filter(kind=PlaceKind.OBSERVATION_POST).order_by("name")



def store_attachment(upload, user):
    """Keep an uploaded file in the core's content-addressed store and return its Attachment."""
    from peaceops.core.attachments import store

    try:
        return store(upload, upload.name, user, content_type=getattr(upload, "content_type", "") or "")
    except ValidationError as exc:  # active content (a page, a script, an SVG with script) is refused
        raise ValidationError({"attachment": exc.messages}) from None
