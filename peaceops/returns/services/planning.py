"""Convoy planning: waiting households onto buses, never split, vulnerable first, then by registration date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from peaceops.core import audit, record_state
from peaceops.returns.models import (
    Convoy,
    Corridor,
    Household,
    HouseholdMember,
    HouseholdState,
    ManifestEntry,
    Vehicle,
)

NO_MEMBERS = "no_members"
TOO_LARGE = "too_large"
NO_SEATS = "no_seats"
ON_MANIFEST = "on_manifest"

REASONS = {
    NO_MEMBERS: "The household has no members registered.",
    TOO_LARGE: "The household is larger than any bus (households are never split).",
    NO_SEATS: "No bus had enough seats left for the whole household.",
    ON_MANIFEST: "A member is already on another convoy's manifest.",
}


def reason_text(code: str) -> str:
    return _(REASONS[code])


@dataclass
class PlanResult:
    convoy: Convoy | None
    placed: list[tuple[int, int]] = field(default_factory=list)  # (household id, vehicle index)
    unplaceable: list[tuple[int, str]] = field(default_factory=list)  # (household id, reason code)
    seats: int = 0
    people: int = 0


def assign(households: Sequence[tuple[int, int]], buses: Sequence[int]) -> tuple[list[tuple[int, int]],
                                                                                list[tuple[int, str]]]:
    """Pure first-fit over households already in priority order: (household id, size) → placements.

    First-fit keeps priority (an earlier household is never displaced by a later one) while letting small later
    households fill the gaps large ones leave. Once every bus is full the rest is reported in one pass.
    """
    remaining = list(buses)
    largest_bus = max(buses, default=0)
    most_left = largest_bus
    placed, unplaceable = [], []
    for household, size in households:
        if size <= 0:
            unplaceable.append((household, NO_MEMBERS))
        elif size > largest_bus:
            unplaceable.append((household, TOO_LARGE))
        elif size > most_left:
            unplaceable.append((household, NO_SEATS))
        else:
            for index, left in enumerate(remaining):
                if left >= size:
                    remaining[index] = left - size
                    placed.append((household, index))
                    break
            most_left = max(remaining)
    return placed, unplaceable


@transaction.atomic
def plan_convoy(corridor: Corridor, date: dt.date, buses: Sequence[int], *, escort: str = "",
                households=None, user=None) -> PlanResult:
    """Create a planned convoy with one vehicle per bus and fill its manifest from the waiting list."""
    if not buses or any(seats <= 0 for seats in buses):
        raise ValidationError(_("Give at least one bus, each with a positive number of seats."))
    queue = households if households is not None else Household.objects.all()
    queue = (queue.filter(state=HouseholdState.WAITING).order_by("-is_vulnerable", "registered_on", "id")
             .values_list("id", "size"))
    ordered = list(queue)
    ids = [pk for pk, _size in ordered]
    # Members already on a live manifest (a hand-made one, say) cannot be planned again.
    busy = set()
    for start in range(0, len(ids), 20000):
        chunk = ids[start:start + 20000]
        busy.update(HouseholdMember.objects.filter(household_id__in=chunk, person_id__in=ManifestEntry.objects.filter(
            active=True).values("person_id")).values_list("household_id", flat=True).distinct())
    candidates = [(pk, size) for pk, size in ordered if pk not in busy]
    placed, unplaceable = assign(candidates, buses)
    unplaceable = [(pk, ON_MANIFEST) for pk, _size in ordered if pk in busy] + unplaceable
    convoy = Convoy.objects.create(corridor=corridor, date=date, escort=escort)
    vehicles = Vehicle.objects.bulk_create(
        [Vehicle(convoy=convoy, label=_("Bus %(n)d") % {"n": i + 1}, seats=seats) for i, seats in enumerate(buses)])
    vehicle_of = {pk: vehicles[index].pk for pk, index in placed}
    entries = []
    placed_ids = list(vehicle_of)
    for start in range(0, len(placed_ids), 20000):
        for household_id, person_id in HouseholdMember.objects.filter(
                household_id__in=placed_ids[start:start + 20000]).values_list("household_id", "person_id"):
            entries.append(ManifestEntry(convoy=convoy, vehicle_id=vehicle_of[household_id],
                                         household_id=household_id, person_id=person_id))
    ManifestEntry.objects.bulk_create(entries, batch_size=5000)
    for start in range(0, len(placed_ids), 20000):
        Household.objects.filter(pk__in=placed_ids[start:start + 20000]).update(
            state=HouseholdState.ASSIGNED, revision=F("revision") + 1)
    record_state.record_bulk_update(Household, placed_ids, f"assigned to convoy {convoy.pk}",
                                    actor=getattr(user, "username", None))
    audit.record_bulk(ManifestEntry, len(entries), f"planned convoy {convoy.pk}",
                      actor=getattr(user, "username", None))
    return PlanResult(convoy, placed, unplaceable, sum(buses), len(entries))
