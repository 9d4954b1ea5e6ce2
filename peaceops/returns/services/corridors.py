"""Corridors and their status history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core.events import announce
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.returns.models import Corridor, CorridorCheckpoint, CorridorStatus, CorridorStatusChange


@transaction.atomic
def create_corridor(name: str, checkpoints: Sequence[Place], *, at: dt.datetime | None = None,
                    user=None) -> Corridor:
    """A corridor runs through at least two checkpoints, each once, in the order given; it opens at `at`."""
    if len(checkpoints) < 2:
        raise ValidationError(_("A corridor needs at least two checkpoints (a start and an end)."))
    if len({p.pk for p in checkpoints}) != len(checkpoints):
        raise ValidationError(_("A checkpoint appears twice in the corridor."))
    wrong = [p.name for p in checkpoints if p.kind != PlaceKind.CHECKPOINT]
    if wrong:
        raise ValidationError(_("Not checkpoints in the gazetteer: %(names)s.") % {"names": ", ".join(wrong)})
    corridor = Corridor.objects.create(name=name, status=CorridorStatus.OPEN)
    CorridorCheckpoint.objects.bulk_create(
        [CorridorCheckpoint(corridor=corridor, place=place, position=i) for i, place in enumerate(checkpoints)])
    CorridorStatusChange.objects.create(corridor=corridor, status=CorridorStatus.OPEN, at=at or timezone.now(),
                                        reason=_("corridor established"), recorded_by=user)
    return corridor


@transaction.atomic
def set_corridor_status(corridor: Corridor, status: str, reason: str = "", *, at: dt.datetime | None = None,
                        user=None) -> CorridorStatusChange:
    if status not in CorridorStatus.values:
        raise ValidationError(_("Unknown corridor status “%(status)s”.") % {"status": status})
    if status != CorridorStatus.OPEN and not reason.strip():
        raise ValidationError(_("Say why the corridor is restricted or closed."))
    change = CorridorStatusChange.objects.create(corridor=corridor, status=status, reason=reason.strip(),
                                                 at=at or timezone.now(), recorded_by=user)
    latest = corridor.status_changes.order_by("-at", "-id").first() or change  # there is one: `change`
    if corridor.status != latest.status:
        corridor.status = latest.status
        corridor.save(update_fields=["status", "updated_at"])
        if latest.status == CorridorStatus.CLOSED:
            announce("returns.corridor_closed", corridor, corridor=corridor.pk, status=latest.status,
                     link=f"/returns/corridors/{corridor.pk}/")
    return change
