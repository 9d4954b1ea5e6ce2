"""Flow monitoring at checkpoints: a day's sheet of counts per checkpoint, and the totals beside "returned".

A sheet is the counts of one checkpoint for one reporting day; entering it again replaces the counts it names
(a count of 0 removes the row), so a corrected sheet never adds to the first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.returns.models import FlowCount, FlowDirection, FlowPurpose, FlowVehicle


@dataclass(frozen=True)
class FlowLine:
    direction: str
    vehicle: str
    purpose: str
    people: int
    vehicles: int = 0


def _check(checkpoint: Place, day: dt.date, lines: list[FlowLine]) -> None:
    if checkpoint.kind != PlaceKind.CHECKPOINT:
        raise ValidationError(_("%(place)s is not a checkpoint.") % {"place": checkpoint.name})
    from django.utils import timezone

    from peaceops.core.operation import operation_day

    if day > max(operation_day(), timezone.localdate()):
        raise ValidationError(_("Flow counts are for a day that has begun, not %(day)s.") % {"day": day.isoformat()})
    seen = set()
    for line in lines:
        key = (line.direction, line.vehicle, line.purpose)
        if line.direction not in FlowDirection.values:
            raise ValidationError(_("Unknown direction: %(value)s.") % {"value": line.direction})
        if line.vehicle not in FlowVehicle.values:
            raise ValidationError(_("Unknown means of travel: %(value)s.") % {"value": line.vehicle})
        if line.purpose not in FlowPurpose.values:
            raise ValidationError(_("Unknown purpose: %(value)s.") % {"value": line.purpose})
        if line.people < 0 or line.vehicles < 0:
            raise ValidationError(_("Counts cannot be negative."))
        if line.vehicle == FlowVehicle.ON_FOOT and line.vehicles:
            raise ValidationError(_("People on foot come with no vehicles."))
        if line.vehicles and not line.people:
            raise ValidationError(_("Vehicles were counted with no people in them."))
        if key in seen:
            raise ValidationError(_("The same direction, means of travel and purpose are given twice."))
        seen.add(key)


@transaction.atomic
def record_flow_counts(checkpoint: Place, day: dt.date, lines: list[FlowLine], *, user=None) -> int:
    """Write one checkpoint's counts for one day; each line replaces the row of its direction, means of travel
    and purpose (0 people removes it). Returns the people now counted at the checkpoint that day."""
    _check(checkpoint, day, lines)
    recorder = user if getattr(user, "pk", None) else None
    existing = {(r.direction, r.vehicle, r.purpose): r
                for r in FlowCount.objects.select_for_update().filter(checkpoint=checkpoint, day=day)}
    for line in lines:
        row = existing.get((line.direction, line.vehicle, line.purpose))
        if not line.people:
            if row is not None:
                row.delete()  # a count, not a person: its history keeps what it was
            continue
        if row is None:
            FlowCount.objects.create(checkpoint=checkpoint, day=day, direction=line.direction, vehicle=line.vehicle,
                                     purpose=line.purpose, people=line.people, vehicles=line.vehicles,
                                     recorded_by=recorder)
        elif (row.people, row.vehicles) != (line.people, line.vehicles):
            row.people, row.vehicles, row.recorded_by = line.people, line.vehicles, recorder
            row.save()
    return FlowCount.objects.filter(checkpoint=checkpoint, day=day).aggregate(n=Sum("people"))["n"] or 0


@dataclass
class FlowSummary:
    """People counted passing checkpoints outside convoys, between two reporting days (inclusive)."""

    first_day: dt.date
    last_day: dt.date
    incoming: int = 0
    outgoing: int = 0
    returns: int = 0  # incoming, purpose return home
    departures: int = 0  # outgoing, purpose departure
    secondary: int = 0  # secondary displacement, either way
    by_checkpoint: list[tuple[Place, int, int]] = field(default_factory=list)  # (checkpoint, in, out)
    by_purpose: list[tuple[str, int, int]] = field(default_factory=list)  # (purpose label, in, out)
    by_vehicle: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def people(self) -> int:
        return self.incoming + self.outgoing


def flow_summary(first_day: dt.date, last_day: dt.date, checkpoint: Place | None = None) -> FlowSummary:
    """Totals of the flow counts of reporting days first_day…last_day (one grouped query)."""
    rows = FlowCount.objects.filter(day__gte=first_day, day__lte=last_day)
    if checkpoint is not None:
        rows = rows.filter(checkpoint=checkpoint)
    summary = FlowSummary(first_day, last_day)
    per_checkpoint: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_purpose: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_vehicle: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for place, direction, vehicle, purpose, people in (
            rows.values_list("checkpoint_id", "direction", "vehicle", "purpose").annotate(n=Sum("people"))
            .values_list("checkpoint_id", "direction", "vehicle", "purpose", "n")):
        side = 0 if direction == FlowDirection.INCOMING else 1
        per_checkpoint[place][side] += people
        per_purpose[purpose][side] += people
        per_vehicle[vehicle][side] += people
        if side == 0:
            summary.incoming += people
            summary.returns += people if purpose == FlowPurpose.RETURN else 0
        else:
            summary.outgoing += people
            summary.departures += people if purpose == FlowPurpose.DEPARTURE else 0
        summary.secondary += people if purpose == FlowPurpose.SECONDARY else 0
    places = Place.objects.in_bulk(list(per_checkpoint))
    summary.by_checkpoint = sorted(((places[k], i, o) for k, (i, o) in per_checkpoint.items()),
                                   key=lambda row: row[0].name)
    summary.by_purpose = [(str(label), per_purpose[value][0], per_purpose[value][1])
                          for value, label in FlowPurpose.choices if value in per_purpose]
    summary.by_vehicle = [(str(label), per_vehicle[value][0], per_vehicle[value][1])
                          for value, label in FlowVehicle.choices if value in per_vehicle]
    return summary


def day_sheet(checkpoint: Place, day: dt.date) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(direction, vehicle, purpose) → (people, vehicles) as recorded for one checkpoint and day."""
    return {(d, v, p): (n, k) for d, v, p, n, k in FlowCount.objects.filter(checkpoint=checkpoint, day=day)
            .values_list("direction", "vehicle", "purpose", "people", "vehicles")}


def checkpoints():
    """Places where flows are counted: every checkpoint in the gazetteer."""
    return Place.objects.filter(kind=PlaceKind.CHECKPOINT).order_by("name")
