"""Convoy planning: waiting households onto buses, never split, vulnerable first, then by registration date;\neach person's seat needs honoured and buses grouped by destination."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from peaceops.core import audit, record_state
from peaceops.returns.models import (
    Convoy,
    Corridor,
    Household,
    HouseholdMember,
    HouseholdState,
    ManifestEntry,
    SeatNeed,
    Vehicle,
    Vulnerability,
)

NO_MEMBERS = "no_members"
TOO_LARGE = "too_large"
NO_SEATS = "no_seats"
ON_MANIFEST = "on_manifest"
NO_STRETCHER = "no_stretcher"
NO_ESCORT = "no_escort"
NO_CARER = "no_carer"
CARER_AWAY = "carer_away"

REASONS = {
    NO_MEMBERS: "The household has no members registered.",
    TOO_LARGE: "The household is larger than any bus (households are never split).",
    NO_SEATS: "No bus had enough seats left for the whole household.",
    ON_MANIFEST: "A member is already on another convoy's manifest.",
    NO_STRETCHER: "A member travels on a stretcher and no vehicle had a stretcher place left for them.",
    NO_ESCORT: "An unaccompanied child and no vehicle with an escort for children had room.",
    NO_CARER: "A member needs a carer beside them and none is named.",
    CARER_AWAY: "The named carer cannot travel on this convoy (not waiting, or on another manifest).",
}
# A wheelchair user takes a wheelchair space, or, on a vehicle without one left, their seat and the next
# (the folded chair and room to transfer): "extra space".
WHEELCHAIR_SEATS = 2


def reason_text(code: str) -> str:
    return _(REASONS[code])


@dataclass(frozen=True)
class Bus:
    """A vehicle as planned: seats, and what it can give beyond a seat."""

    seats: int
    stretchers: int = 0
    wheelchair_spaces: int = 0
    child_escort: bool = False

    @property
    def special(self) -> bool:
        return bool(self.stretchers or self.wheelchair_spaces or self.child_escort)


def as_bus(bus: int | Bus) -> Bus:
    return bus if isinstance(bus, Bus) else Bus(int(bus))


@dataclass
class Unit:
    """What travels together on one vehicle: a household, or households a carer links, with what they need of it.
    `people` counts everyone aboard, carers from no household included."""

    key: int
    people: int
    destination: int | None = None
    households: tuple[int, ...] = ()
    stretchers: int = 0
    wheelchairs: int = 0
    escort: bool = False
    blocked: str = ""  # a reason known before seating (no carer named, the carer cannot come)
    whom: dict[str, int] = field(default_factory=dict)  # reason code -> the person it concerns

    def seats_on(self, free_spaces: int) -> int:
        in_spaces = min(self.wheelchairs, free_spaces)
        return self.people - self.stretchers - in_spaces + (self.wheelchairs - in_spaces) * (WHEELCHAIR_SEATS - 1)


@dataclass
class Placement:
    placed: list[tuple[int, int]] = field(default_factory=list)  # (unit key, vehicle index)
    unplaceable: list[tuple[int, str]] = field(default_factory=list)  # (unit key, reason code)
    whom: dict[int, int] = field(default_factory=dict)  # unit key -> the person the reason concerns
    mixed: dict[int, list] = field(default_factory=dict)  # vehicle index -> destinations, when more than one


@dataclass
class PlanResult:
    convoy: Convoy | None
    placed: list[tuple[int, int]] = field(default_factory=list)  # (household id, vehicle index)
    unplaceable: list[tuple[int, str]] = field(default_factory=list)  # (household id, reason code)
    seats: int = 0
    people: int = 0
    whom: dict[int, int] = field(default_factory=dict)  # household id -> the person a need-reason concerns
    mixed: dict[int, list] = field(default_factory=dict)  # vehicle index -> destination ids, when more than one


def assign(households: Sequence[tuple[int, int]], buses: Sequence[int]) -> tuple[list[tuple[int, int]],
                                                                                list[tuple[int, str]]]:
    """Pure first-fit over households already in priority order: (household id, size) → placements."""
    result = assign_units([Unit(pk, size) for pk, size in households], [Bus(seats) for seats in buses])
    return result.placed, result.unplaceable


def assign_units(units: Sequence[Unit], buses: Sequence[Bus]) -> Placement:
    """Units in priority order onto vehicles. Each unit goes whole onto one vehicle that can give what it needs
    (a stretcher place, a child escort, wheelchair spaces or extra seats); among those, a vehicle with nothing
    special is preferred for a unit that needs nothing special (the ambulance stays free for the stretcher case
    behind), then a vehicle already going to the unit's destination, then an empty one. A plain household that
    could only board a bus going elsewhere waits for a second pass, once everyone who keeps the buses apart has
    a seat — so one bus serves two destinations only when nothing else would fill it. First-fit within each class
    keeps priority among households that keep the buses apart."""
    result = Placement()
    seats = [b.seats for b in buses]
    stretchers = [b.stretchers for b in buses]
    spaces = [b.wheelchair_spaces for b in buses]
    served: list[set] = [set() for _b in buses]
    largest = max((b.seats + b.wheelchair_spaces for b in buses), default=0)
    most_left = max(seats, default=0)
    deferred: list[Unit] = []
    # Two passes: first no plain household boards a bus going elsewhere (it waits for the second pass, after
    # every household that keeps the buses apart); then the deferred ones fill what is left. A household with a
    # seat need is never deferred: its need outranks the grouping.
    for mixing, queue in ((False, units), (True, deferred)):
        for unit in queue:
            plain = not (unit.stretchers or unit.wheelchairs or unit.escort)
            if unit.people <= 0:
                result.unplaceable.append((unit.key, NO_MEMBERS))
                continue
            if plain and unit.people > most_left:  # the fast path once the buses fill up
                result.unplaceable.append((unit.key, TOO_LARGE if unit.people > largest else NO_SEATS))
                continue
            best, best_rank, elsewhere = None, None, False
            for index, bus in enumerate(buses):
                if unit.escort and not bus.child_escort or unit.stretchers > stretchers[index]:
                    continue
                if unit.seats_on(spaces[index]) > seats[index]:
                    continue
                unused = bool(bus.stretchers and not unit.stretchers or bus.child_escort and not unit.escort
                              or bus.wheelchair_spaces and not unit.wheelchairs)
                going = served[index]
                grouping = 0 if unit.destination in going else 1 if not going else 2
                if grouping == 2 and plain and not mixing:
                    elsewhere = True
                    continue
                rank = (unused, grouping, index)
                if best_rank is None or rank < best_rank:
                    best, best_rank = index, rank
                    if rank[:2] == (False, 0):
                        break
            if best is None and elsewhere:
                deferred.append(unit)
                continue
            if best is None:
                code = _why_not(unit, buses)
                result.unplaceable.append((unit.key, code))
                if code in unit.whom:
                    result.whom[unit.key] = unit.whom[code]
                continue
            in_spaces = min(unit.wheelchairs, spaces[best])
            seats[best] -= unit.seats_on(spaces[best])
            spaces[best] -= in_spaces
            stretchers[best] -= unit.stretchers
            served[best].add(unit.destination)
            result.placed.append((unit.key, best))
            most_left = max(seats)
    for index, going in enumerate(served):
        if len(going) > 1:
            result.mixed[index] = sorted(going, key=lambda d: (d is None, d))
    return result


def _why_not(unit: Unit, buses: Sequence[Bus]) -> str:
    """The need that kept the unit off every vehicle, the most specific first."""
    if unit.stretchers and not any(b.stretchers >= unit.stretchers for b in buses):
        return NO_STRETCHER
    if unit.escort and not any(b.child_escort for b in buses):
        return NO_ESCORT
    fits_empty = [b for b in buses if (b.child_escort or not unit.escort) and b.stretchers >= unit.stretchers]
    if not any(unit.seats_on(b.wheelchair_spaces) <= b.seats for b in fits_empty):
        return TOO_LARGE
    if unit.stretchers:
        return NO_STRETCHER
    if unit.escort:
        return NO_ESCORT
    return NO_SEATS


def _units(candidates: list[tuple[int, int, int]], away: set[int]) -> tuple[list[Unit], dict[int, list[int]]]:
    """Candidates (household id, size, destination) in priority order → units, and the carers from no household
    who travel with each unit (person ids). A carer who is a member of another waiting household brings that
    household onto the same vehicle, at the earlier household's place in the queue."""
    ids = [pk for pk, _size, _dest in candidates]
    needs: dict[int, list[Mapping[str, Any]]] = {}
    for start in range(0, len(ids), 20000):
        for member in (HouseholdMember.objects.filter(household_id__in=ids[start:start + 20000])
                       .filter(~Q(needs=[]) | ~Q(seat_needs=[]) | Q(carer__isnull=False))
                       .values("household_id", "person_id", "needs", "seat_needs", "carer_id")):
            needs.setdefault(member["household_id"], []).append(member)
    carers = {row["carer_id"] for rows in needs.values() for row in rows if row["carer_id"]}
    carer_home = dict(HouseholdMember.objects.filter(person_id__in=carers).values_list("person_id", "household_id"))
    carer_busy = set(ManifestEntry.objects.filter(active=True, person_id__in=carers).values_list("person_id",
                                                                                             flat=True))
    waiting = {pk for pk, _size, _dest in candidates}
    # Households a carer links travel as one: union-find, the root the earliest in the queue.
    position = {pk: n for n, (pk, _size, _dest) in enumerate(candidates)}
    parent = {pk: pk for pk in waiting}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    extra: dict[int, list[int]] = {}
    blocked: dict[int, tuple[str, int]] = {}
    for household, rows in needs.items():
        for row in rows:
            if SeatNeed.CARER in row["seat_needs"] and not row["carer_id"]:
                blocked.setdefault(household, (NO_CARER, row["person_id"]))
            carer = row["carer_id"]
            if not carer:
                continue
            home = carer_home.get(carer)
            if home == household:
                continue
            if carer in carer_busy or home in away or (home is not None and home not in waiting):
                blocked.setdefault(household, (CARER_AWAY, row["person_id"]))
            elif home is None:
                extra.setdefault(household, []).append(carer)
            else:
                a, b = root(household), root(home)
                if a != b:
                    first, second = sorted((a, b), key=lambda h: position[h])
                    parent[second] = first
    size_of = {pk: size for pk, size, _dest in candidates}
    groups: dict[int, list[int]] = {}
    for pk, _size, _dest in candidates:
        groups.setdefault(root(pk), []).append(pk)
    units = []
    for pk, _size, destination in candidates:
        if root(pk) != pk:
            continue
        group = groups[pk]
        unit = Unit(pk, 0, destination, tuple(group))
        carers_aboard = {c for h in group for c in extra.get(h, [])}
        unit.people = 0 if any(size_of[h] <= 0 for h in group) else (
            sum(size_of[h] for h in group) + len(carers_aboard))
        for h in group:
            for row in needs.get(h, []):
                if SeatNeed.STRETCHER in row["seat_needs"]:
                    unit.stretchers += 1
                    unit.whom.setdefault(NO_STRETCHER, row["person_id"])
                elif SeatNeed.WHEELCHAIR in row["seat_needs"]:
                    unit.wheelchairs += 1
                if Vulnerability.UNACCOMPANIED_CHILD in row["needs"]:
                    unit.escort = True
                    unit.whom.setdefault(NO_ESCORT, row["person_id"])
            if h in blocked and not unit.blocked:
                unit.blocked, person = blocked[h]
                unit.whom[unit.blocked] = person
        units.append(unit)
    return units, {u.key: sorted({c for h in u.households for c in extra.get(h, [])}) for u in units}


@transaction.atomic
def plan_convoy(corridor: Corridor, date: dt.date, buses: Sequence[int | Bus], *, escort: str = "",
                households=None, user=None) -> PlanResult:
    """Create a planned convoy with one vehicle per bus and fill its manifest from the waiting list, honouring
    each person's needs (see `assign_units`); a need that cannot be honoured leaves the household waiting, with
    the person and the reason in the result."""
    fleet = [as_bus(b) for b in buses]
    if not fleet or any(b.seats <= 0 for b in fleet):
        raise ValidationError(_("Give at least one bus, each with a positive number of seats."))
    queue = households if households is not None else Household.objects.all()
    queue = (queue.filter(state=HouseholdState.WAITING).order_by("-is_vulnerable", "registered_on", "id")
             .values_list("id", "size", "destination_id"))
    ordered = list(queue)
    ids = [pk for pk, _size, _dest in ordered]
    # Members already on a live manifest (a hand-made one, say) cannot be planned again.
    busy: set[int] = set()
    for start in range(0, len(ids), 20000):
        chunk = ids[start:start + 20000]
        busy.update(HouseholdMember.objects.filter(household_id__in=chunk, person_id__in=ManifestEntry.objects.filter(
            active=True).values("person_id")).values_list("household_id", flat=True).distinct())
    candidates = [row for row in ordered if row[0] not in busy]
    units, carers = _units(candidates, busy)
    placement = assign_units([u for u in units if not u.blocked], fleet)
    unit_of = {u.key: u for u in units}
    placed = [(h, index) for key, index in placement.placed for h in unit_of[key].households]
    unplaceable = [(pk, ON_MANIFEST) for pk, _size, _dest in ordered if pk in busy]
    whom: dict[int, int] = {}
    for unit in units:
        if unit.blocked:
            unplaceable += [(h, unit.blocked) for h in unit.households]
            whom.update(dict.fromkeys(unit.households, unit.whom[unit.blocked]))
    for key, code in placement.unplaceable:
        unplaceable += [(h, code) for h in unit_of[key].households]
        if key in placement.whom:
            whom.update(dict.fromkeys(unit_of[key].households, placement.whom[key]))
    convoy = Convoy.objects.create(corridor=corridor, date=date, escort=escort)
    vehicles = Vehicle.objects.bulk_create([Vehicle(
        convoy=convoy, label=(_("Ambulance %(n)d") if b.stretchers else _("Bus %(n)d")) % {"n": i + 1},
        seats=b.seats, stretchers=b.stretchers, wheelchair_spaces=b.wheelchair_spaces,
        child_escort=b.child_escort) for i, b in enumerate(fleet)])
    vehicle_of = {pk: vehicles[index].pk for pk, index in placed}
    # Carers from no household travel beside the person they care for, on the manifest without a household.
    entries = [ManifestEntry(convoy=convoy, vehicle_id=vehicles[index].pk, household=None, person_id=carer)
               for key, index in placement.placed for carer in carers.get(key, [])]
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
    return PlanResult(convoy, placed, unplaceable, sum(b.seats for b in fleet), len(entries), whom,
                      placement.mixed)
