"""Running a convoy: manifest adjustments, dispatch, checkpoints in order, arrival or turning back.

Every function checks everything first and writes inside one transaction: a refused step writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.core import audit, events, record_state
from peaceops.returns.models import (
    CargoLine,
    CheckpointPassage,
    Convoy,
    ConvoyStatus,
    Corridor,
    CorridorCheckpoint,
    CorridorStatus,
    Household,
    HouseholdMember,
    HouseholdState,
    ManifestEntry,
    Movement,
    SeatNeed,
    Vehicle,
    Vulnerability,
)
from peaceops.returns.services.counting import record_first_arrivals
from peaceops.returns.services.planning import (
    NO_ESCORT,
    NO_STRETCHER,
    WHEELCHAIR_SEATS,
    Bus,
    Unit,
)


def _locked(convoy: Convoy) -> Convoy:
    """Re-read the convoy under a row lock so two officers cannot run the same step at once."""
    return Convoy.objects.select_for_update().select_related("corridor").get(pk=convoy.pk)


def _require_status(convoy: Convoy, *allowed: str) -> None:
    if convoy.status not in allowed:
        raise ValidationError(_("The convoy is %(status)s; this step needs it to be %(allowed)s.") % {
            "status": convoy.get_status_display(),
            "allowed": _(" or ").join(str(ConvoyStatus(s).label) for s in allowed)})


@transaction.atomic
def create_convoy(corridor: Corridor, date: dt.date, buses: Sequence[int] = (), *, escort: str = "") -> Convoy:
    if any(seats < 0 for seats in buses):
        raise ValidationError(_("Seats cannot be negative."))
    convoy = Convoy.objects.create(corridor=corridor, date=date, escort=escort)
    Vehicle.objects.bulk_create([Vehicle(convoy=convoy, label=_("Bus %(n)d") % {"n": i + 1}, seats=seats)
                                 for i, seats in enumerate(buses)])
    return convoy


def capacity_left(convoy: Convoy) -> dict[int, list[int]]:
    """Per vehicle: [seats, stretcher places, wheelchair spaces] left. A person on a stretcher lies on a stretcher
    place, not a seat; a wheelchair user takes a wheelchair space, or two seats where none is left."""
    vehicles = list(convoy.vehicles.all())
    used = dict(ManifestEntry.objects.filter(convoy=convoy).values_list("vehicle_id").annotate(n=Count("id"))
                .values_list("vehicle_id", "n"))
    left = {v.pk: [v.seats - used.get(v.pk, 0), v.stretchers, v.wheelchair_spaces] for v in vehicles}
    special = dict(((h, p), needs) for h, p, needs in HouseholdMember.objects.filter(
        household_id__in=ManifestEntry.objects.filter(convoy=convoy).values("household_id")).exclude(
        seat_needs=[]).values_list("household_id", "person_id", "seat_needs"))
    if special:
        for h, p, vehicle in ManifestEntry.objects.filter(convoy=convoy, person_id__in=[p for _h, p in special]) \
                .values_list("household_id", "person_id", "vehicle_id"):
            needs = special.get((h, p), [])
            if vehicle not in left:
                continue
            room = left[vehicle]
            if SeatNeed.STRETCHER in needs and room[1] > 0:
                room[1] -= 1
                room[0] += 1
            elif SeatNeed.WHEELCHAIR in needs and SeatNeed.STRETCHER not in needs:
                if room[2] > 0:
                    room[2] -= 1
                    room[0] += 1
                else:
                    room[0] -= WHEELCHAIR_SEATS - 1
    return left


def _seats_left(convoy: Convoy) -> dict[int, int]:
    return {pk: room[0] for pk, room in capacity_left(convoy).items()}


def _unit_for(convoy: Convoy, household: Household) -> tuple[Unit, list[int], int | None]:
    """What the household needs of a vehicle on this convoy: the unit, carers from no household who come along,
    and the vehicle a carer already aboard this convoy fixes. Refuses, naming the person, what cannot be given."""
    unit = Unit(household.pk, household.size, household.destination_id, (household.pk,))
    extra, fixed = [], None
    members = list(household.members.values("person_id", "needs", "seat_needs", "carer_id"))
    unit.people = len(members)
    homes = set(m["person_id"] for m in members)
    for m in members:
        if SeatNeed.STRETCHER in m["seat_needs"]:
            unit.stretchers += 1
        elif SeatNeed.WHEELCHAIR in m["seat_needs"]:
            unit.wheelchairs += 1
        if Vulnerability.UNACCOMPANIED_CHILD in m["needs"]:
            unit.escort = True
            unit.whom.setdefault(NO_ESCORT, m["person_id"])
        if SeatNeed.STRETCHER in m["seat_needs"]:
            unit.whom.setdefault(NO_STRETCHER, m["person_id"])
        if SeatNeed.CARER in m["seat_needs"] and not m["carer_id"]:
            raise ValidationError(_("Person #%(person)d needs a carer beside them and none is named.")
                                  % {"person": m["person_id"]})
        carer = m["carer_id"]
        if not carer or carer in homes:
            continue
        aboard = ManifestEntry.objects.filter(person_id=carer, active=True).first()
        if aboard is not None and aboard.convoy_id == convoy.pk:
            if fixed is not None and fixed != aboard.vehicle_id:
                raise ValidationError(_("The carers of %(household)s sit on different vehicles.")
                                      % {"household": household})
            fixed = aboard.vehicle_id
        elif aboard is None and not HouseholdMember.objects.filter(person_id=carer).exists():
            extra.append(carer)
        else:
            raise ValidationError(_("Person #%(person)d needs their carer #%(carer)d beside them, who is not on this "
                                    "convoy: add the carer's household first.")
                                  % {"person": m["person_id"], "carer": carer})
    unit.people += len(set(extra))
    return unit, sorted(set(extra)), fixed


def _fits(unit: Unit, vehicle: Vehicle, room: list[int]) -> bool:
    return ((vehicle.child_escort or not unit.escort) and unit.stretchers <= room[1]
            and unit.seats_on(room[2]) <= room[0])


@transaction.atomic
def add_household_to_convoy(convoy: Convoy, household: Household, vehicle: Vehicle | None = None) -> int:
    """Put a whole household on one vehicle that can give what its members need (the first with room unless one
    is named; the one their carer sits on if the carer is aboard already); returns the people added."""
    convoy = _locked(convoy)
    _require_status(convoy, ConvoyStatus.PLANNED)
    person_ids = list(household.members.values_list("person_id", flat=True))
    if not person_ids:
        raise ValidationError(_("%(household)s has no members; register them before planning.")
                              % {"household": household})
    if household.state not in (HouseholdState.WAITING,):
        raise ValidationError(_("%(household)s is not waiting (it is %(state)s).")
                              % {"household": household, "state": household.get_state_display()})
    clash = ManifestEntry.objects.filter(person_id__in=person_ids, active=True).select_related("convoy").first()
    if clash is not None:
        raise ValidationError(_("A member of %(household)s is already on the manifest of %(convoy)s.")
                              % {"household": household, "convoy": clash.convoy})
    unit, carers, fixed = _unit_for(convoy, household)
    left = capacity_left(convoy)
    vehicles = {v.pk: v for v in convoy.vehicles.all()}
    if vehicle is not None and vehicle.convoy_id != convoy.pk:
        raise ValidationError(_("That vehicle belongs to another convoy."))
    if vehicle is not None and fixed is not None and vehicle.pk != fixed:
        raise ValidationError(_("%(household)s must travel on %(vehicle)s, beside their carer.")
                              % {"household": household, "vehicle": vehicles[fixed]})
    named = vehicle.pk if vehicle is not None else fixed
    if named is not None:
        if not _fits(unit, vehicles[named], left[named]):
            raise ValidationError(_("%(vehicle)s cannot take %(household)s: %(why)s")
                                  % {"vehicle": vehicles[named], "household": household,
                                     "why": _need_text(unit, [vehicles[named]])})
        target = named
    else:
        # The same preference as planning: nothing special wasted, then the same destination, then an empty one.
        going: dict[int | None, set[int | None]] = {}
        for vehicle_id, destination in ManifestEntry.objects.filter(convoy=convoy).values_list(
                "vehicle_id", "household__destination_id").distinct():
            going.setdefault(vehicle_id, set()).add(destination)
        fitting = [v for v in vehicles.values() if _fits(unit, v, left[v.pk])]
        if not fitting:
            raise ValidationError(_("No vehicle can take %(household)s: %(why)s")
                                  % {"household": household, "why": _need_text(unit, list(vehicles.values()))})
        target = min(fitting, key=lambda v: (
            bool(v.stretchers and not unit.stretchers or v.child_escort and not unit.escort
                 or v.wheelchair_spaces and not unit.wheelchairs),
            0 if unit.destination in going.get(v.pk, ()) else 1 if not going.get(v.pk) else 2, v.pk)).pk
    try:
        with transaction.atomic():
            ManifestEntry.objects.bulk_create(
                [ManifestEntry(convoy=convoy, vehicle_id=target, household=household, person_id=pk)
                 for pk in person_ids]
                + [ManifestEntry(convoy=convoy, vehicle_id=target, household=None, person_id=pk) for pk in carers])
    except IntegrityError:  # a concurrent manifest took a member first
        raise ValidationError(_("A member of %(household)s is already on another manifest.")
                              % {"household": household}) from None
    household.state = HouseholdState.ASSIGNED
    household.save(update_fields=["state", "updated_at"])
    audit.record_bulk(ManifestEntry, len(person_ids) + len(carers),
                      f"household {household.pk} onto convoy {convoy.pk}")
    return len(person_ids) + len(carers)


def _need_text(unit: Unit, vehicles: list[Vehicle]) -> str:
    from peaceops.returns.services.planning import _why_not, reason_text

    buses = [Bus(v.seats, v.stretchers, v.wheelchair_spaces, v.child_escort) for v in vehicles]
    code = _why_not(unit, buses)
    text = reason_text(code)
    if code in unit.whom:
        text = _("%(reason)s (person #%(person)d)") % {"reason": text, "person": unit.whom[code]}
    return text


@transaction.atomic
def remove_household_from_convoy(convoy: Convoy, household: Household) -> int:
    convoy = _locked(convoy)
    _require_status(convoy, ConvoyStatus.PLANNED)
    removed, _detail = ManifestEntry.objects.filter(convoy=convoy, household=household).delete()
    # Carers from no household who came along for this household's members leave with it.
    ManifestEntry.objects.filter(convoy=convoy, household=None, person_id__in=household.members.exclude(
        carer=None).values("carer_id")).delete()
    if not removed:
        raise ValidationError(_("%(household)s is not on this convoy.") % {"household": household})
    record_state.update_with_history(Household.objects.filter(pk=household.pk), {"state": HouseholdState.WAITING},
                                     f"taken off convoy {convoy.pk}")
    audit.record_bulk(ManifestEntry, removed, f"household {household.pk} taken off convoy {convoy.pk}")
    return removed


@transaction.atomic
def add_cargo(convoy: Convoy, description: str, quantity: Decimal | float | str, unit: str = "t") -> CargoLine:
    convoy = _locked(convoy)
    _require_status(convoy, ConvoyStatus.PLANNED)
    quantity = Decimal(str(quantity))
    if quantity <= 0 or not description.strip():
        raise ValidationError(_("Cargo needs a description and a positive quantity."))
    return CargoLine.objects.create(convoy=convoy, description=description.strip(), quantity=quantity, unit=unit)


def _check_seats(convoy: Convoy) -> None:
    over = [(vehicle_id, -left) for vehicle_id, left in _seats_left(convoy).items() if left < 0]
    unseated = ManifestEntry.objects.filter(convoy=convoy, vehicle__isnull=True).count()
    if over:
        labels = dict(convoy.vehicles.values_list("pk", "label"))
        raise ValidationError(_("The manifest is over the seats: %(detail)s.") % {"detail": ", ".join(
            _("%(vehicle)s by %(n)d") % {"vehicle": labels[pk], "n": n} for pk, n in over)})
    if unseated and unseated > sum(max(v, 0) for v in _seats_left(convoy).values()):
        raise ValidationError(_("The manifest is over the seats: %(n)d people have no seat.") % {"n": unseated})


@transaction.atomic
def dispatch(convoy: Convoy, *, at: dt.datetime | None = None, user=None) -> Convoy:
    """Leave the first checkpoint. Refused while the corridor is closed (judged at the dispatch time)."""
    at = at or timezone.now()
    convoy = _locked(convoy)
    _require_status(convoy, ConvoyStatus.PLANNED)
    status = convoy.corridor.status_at(at)
    if status is None or status.status == CorridorStatus.CLOSED:
        reason = status.reason if status else _("the corridor had not been opened yet")
        raise ValidationError(_("Dispatch refused: the corridor %(corridor)s is closed (%(reason)s).")
                              % {"corridor": convoy.corridor, "reason": reason})
    if not ManifestEntry.objects.filter(convoy=convoy).exists() and not convoy.cargo.exists():
        raise ValidationError(_("Dispatch refused: the convoy carries neither people nor cargo."))
    _check_seats(convoy)
    convoy.status, convoy.dispatched_at = ConvoyStatus.DISPATCHED, at
    convoy.save(update_fields=["status", "dispatched_at", "updated_at"])
    return convoy


def _last_time(convoy: Convoy) -> dt.datetime:
    last = convoy.passages.order_by("-passed_at").values_list("passed_at", flat=True).first()
    return max(filter(None, [convoy.dispatched_at, last]))


@transaction.atomic
def pass_checkpoint(convoy: Convoy, checkpoint: CorridorCheckpoint, *, head_count: int, checked_by: str,
                    at: dt.datetime | None = None, user=None) -> CheckpointPassage:
    """Record passing the next checkpoint in the corridor's order (the first is where the convoy set out, the
    last is the arrival point: those are covered by dispatch and arrive)."""
    at = at or timezone.now()
    convoy = _locked(convoy)
    _require_status(convoy, ConvoyStatus.DISPATCHED)
    expected = _next_checkpoint(convoy)
    if expected is None:
        raise ValidationError(_("Every checkpoint has been passed; record the arrival."))
    if checkpoint.pk != expected.pk:
        raise ValidationError(_("Checkpoints are passed in order: next is %(expected)s, not %(given)s.")
                              % {"expected": expected.place.name, "given": checkpoint.place.name})
    if at < _last_time(convoy):
        raise ValidationError(_("The passage time is before the convoy's previous step."))
    if head_count < 0 or not checked_by.strip():
        raise ValidationError(_("Give the head count and who checked."))
    on_manifest = ManifestEntry.objects.filter(convoy=convoy).count()
    passage = CheckpointPassage.objects.create(convoy=convoy, checkpoint=checkpoint, passed_at=at,
                                               head_count=head_count, checked_by=checked_by.strip(), recorded_by=user,
                                               manifest_count=on_manifest)
    if head_count != on_manifest:
        # Held until resolved: arrive() refuses while this passage's difference stands. The duty officer is told
        # once the passage is committed (a refused step announces nothing).
        events.announce("returns.headcount_discrepancy", convoy, checkpoint=checkpoint.place.name,
                        checkpoint_id=checkpoint.place_id, passage=passage.pk, counted=head_count,
                        manifest=on_manifest, at=at.isoformat(), convoy=convoy.pk, corridor=convoy.corridor_id,
                        difference=abs(head_count - on_manifest))
    return passage


def unresolved_passages(convoy: Convoy):
    """Passages whose head count differed from the manifest and that no officer has resolved yet."""
    return [p for p in convoy.passages.select_related("checkpoint__place").order_by("passed_at")
            if p.unresolved]


@transaction.atomic
def resolve_headcount(passage: CheckpointPassage, *, absent: Sequence[int] = (), added: Sequence[int] = (),
                      note: str, miscounted: bool = False, user=None) -> CheckpointPassage:
    """An officer resolves a head-count difference: who on the manifest was not on the bus (taken off it; a
    household none of whom travelled waits again) and which registered people travelled unlisted (put on it,
    with their household). Afterwards the manifest must equal the count — unless the officer records that the
    count itself was wrong (`miscounted`, with the recount in the note). Arrival is held until then."""
    convoy = _locked(passage.convoy)
    passage = CheckpointPassage.objects.select_for_update().get(pk=passage.pk)
    if not passage.discrepancy:
        raise ValidationError(_("The head count at %(checkpoint)s agreed with the manifest.")
                              % {"checkpoint": passage.checkpoint.place.name})
    if passage.resolved_at is not None:
        raise ValidationError(_("This difference was resolved already."))
    _require_status(convoy, ConvoyStatus.DISPATCHED)
    if not note.strip():
        raise ValidationError(_("Say how the difference was resolved."))
    absent, added = sorted(set(absent)), sorted(set(added))
    if set(absent) & set(added):
        raise ValidationError(_("Nobody can be both not on the bus and added."))
    entries = {e.person_id: e for e in ManifestEntry.objects.filter(convoy=convoy, person_id__in=absent)}
    if len(entries) != len(absent):
        raise ValidationError(_("Only people on this convoy's manifest can be marked as not on the bus."))
    memberships = dict(HouseholdMember.objects.filter(person_id__in=added).values_list("person_id",
                                                                                       "household_id"))
    if len(memberships) != len(added):
        raise ValidationError(_("Only registered household members can be added; register the others first."))
    already = ManifestEntry.objects.filter(person_id__in=added, active=True).select_related("convoy").first()
    if already is not None:
        raise ValidationError(_("A person to add is already on the manifest of %(convoy)s.")
                              % {"convoy": already.convoy})
    after = ManifestEntry.objects.filter(convoy=convoy).count() - len(absent) + len(added)
    if after != passage.head_count and not miscounted:
        raise ValidationError(_("After these changes the manifest would hold %(after)d people, and %(counted)d were "
                                "counted; name everyone, or record that the count was wrong.")
                              % {"after": after, "counted": passage.head_count})
    actor = getattr(user, "username", None)
    if absent:
        households = {e.household_id for e in entries.values() if e.household_id is not None}
        ManifestEntry.objects.filter(pk__in=[e.pk for e in entries.values()]).delete()
        still = set(ManifestEntry.objects.filter(convoy=convoy, household_id__in=households)
                    .values_list("household_id", flat=True))
        back = households - still  # nobody of the household travelled: it waits again
        record_state.update_with_history(Household.objects.filter(pk__in=back), {"state": HouseholdState.WAITING},
                                         f"not on convoy {convoy.pk}", actor=actor)
        audit.record_bulk(ManifestEntry, len(absent), f"not on the bus of convoy {convoy.pk}", actor=actor)
    if added:
        try:
            with transaction.atomic():
                ManifestEntry.objects.bulk_create([ManifestEntry(convoy=convoy, household_id=memberships[p], person_id=p)
                                                   for p in added])
        except IntegrityError:
            raise ValidationError(_("A person to add is already on another manifest.")) from None
        joined = set(memberships.values())
        record_state.update_with_history(Household.objects.filter(pk__in=joined, state=HouseholdState.WAITING),
                                         {"state": HouseholdState.ASSIGNED},
                                         f"travelling unlisted on convoy {convoy.pk}", actor=actor)
        audit.record_bulk(ManifestEntry, len(added), f"added to convoy {convoy.pk} at a checkpoint", actor=actor)
    passage.absent, passage.added, passage.resolution = absent, added, note.strip()
    if miscounted:
        passage.resolution = _("Count was wrong: %(note)s") % {"note": note.strip()}
    passage.resolved_at, passage.resolved_by = timezone.now(), user if getattr(user, "pk", None) else None
    passage.save(update_fields=["absent", "added", "resolution", "resolved_at", "resolved_by"])
    convoy.save(update_fields=["updated_at"])  # the convoy's revision moves: an open form of it is now stale
    return passage


def _next_checkpoint(convoy: Convoy) -> CorridorCheckpoint | None:
    passed = set(convoy.passages.values_list("checkpoint_id", flat=True))
    intermediate = list(convoy.corridor.checkpoints.select_related("place").order_by("position"))[1:-1]
    return next((cp for cp in intermediate if cp.pk not in passed), None)


def next_checkpoint(convoy: Convoy) -> CorridorCheckpoint | None:
    return _next_checkpoint(convoy) if convoy.status == ConvoyStatus.DISPATCHED else None


@transaction.atomic
def arrive(convoy: Convoy, *, at: dt.datetime | None = None, user=None) -> int:
    """Arrival: one movement for every person on the manifest, the returnee registry and tallies updated — all in
    this one transaction. Returns how many people returned for the first time."""
    at = at or timezone.now()
    convoy = _locked(convoy)
    _require_status(convoy, ConvoyStatus.DISPATCHED)
    assert convoy.dispatched_at is not None  # set when it was dispatched
    if at < convoy.dispatched_at:
        raise ValidationError(_("The arrival time is before the departure (%(dispatched)s).")
                              % {"dispatched": timezone.localtime(convoy.dispatched_at).strftime("%Y-%m-%d %H:%M")})
    missing = _next_checkpoint(convoy)
    if missing is not None:
        raise ValidationError(_("Checkpoint %(name)s has not been passed yet.") % {"name": missing.place.name})
    held = unresolved_passages(convoy)
    if held:
        raise ValidationError([_("Arrival held: at %(checkpoint)s %(counted)d people were counted against %(manifest)d "
                                 "on the manifest; an officer must resolve the difference first.")
                               % {"checkpoint": p.checkpoint.place.name, "counted": p.head_count,
                                  "manifest": p.manifest_count} for p in held])
    if at < _last_time(convoy):
        raise ValidationError(_("The arrival time is before the last checkpoint passage."))
    fallback = convoy.destination_id or convoy.corridor.checkpoints.order_by("-position").values_list(
        "place__parent_id", flat=True).first()
    rows = list(ManifestEntry.objects.filter(convoy=convoy).values_list("person_id", "household_id",
                                                                        "household__destination_id"))
    landing = [(p, h, d or fallback) for p, h, d in rows]
    nowhere = sum(1 for *_, d in landing if d is None)
    if nowhere:
        # Carers travel outside any household; without the convoy's destination they would land nowhere.
        raise ValidationError(ngettext(
            "Set the convoy's destination first: %(count)d person on its manifest belongs to no household that "
            "names one.",
            "Set the convoy's destination first: %(count)d people on its manifest belong to no household that "
            "names one.", nowhere) % {"count": nowhere})
    movements = Movement.objects.bulk_create(
        [Movement(person_id=p, convoy=convoy, household_id=h, arrived_at=at, destination_id=d)
         for p, h, d in landing if d is not None], batch_size=5000)
    if movements and movements[0].pk is None:  # backends that do not return ids from bulk inserts
        movements = list(Movement.objects.filter(convoy=convoy).order_by("id"))
    new = record_first_arrivals([(m.person_id, at, m.destination_id, m.pk) for m in movements])
    actor = getattr(user, "username", None)
    record_state.update_with_history(ManifestEntry.objects.filter(convoy=convoy), {"active": False},
                                     f"convoy {convoy.pk} arrived", actor=actor)
    arrived_households = {h for _p, h, _d in rows if h}
    record_state.update_with_history(Household.objects.filter(pk__in=arrived_households),
                                     {"state": HouseholdState.RETURNED}, f"arrived with convoy {convoy.pk}", actor=actor)
    convoy.status, convoy.arrived_at = ConvoyStatus.ARRIVED, at
    convoy.save(update_fields=["status", "arrived_at", "updated_at"])
    audit.record_bulk(Movement, len(movements), f"arrival of convoy {convoy.pk}",
                      actor=getattr(user, "username", None))
    return new


@transaction.atomic
def turn_back(convoy: Convoy, reason: str, *, at: dt.datetime | None = None, user=None) -> Convoy:
    """The convoy returns to its start; its households go back on the waiting list."""
    at = at or timezone.now()
    convoy = _locked(convoy)
    _require_status(convoy, ConvoyStatus.DISPATCHED)
    if not reason.strip():
        raise ValidationError(_("Say why the convoy turned back."))
    if at < _last_time(convoy):
        raise ValidationError(_("The turn-back time is before the convoy's previous step."))
    households = set(ManifestEntry.objects.filter(convoy=convoy).values_list("household_id", flat=True))
    actor = getattr(user, "username", None)
    record_state.update_with_history(ManifestEntry.objects.filter(convoy=convoy), {"active": False},
                                     f"convoy {convoy.pk} turned back", actor=actor)
    record_state.update_with_history(Household.objects.filter(pk__in=households - {None}),
                                     {"state": HouseholdState.WAITING}, f"convoy {convoy.pk} turned back", actor=actor)
    convoy.status, convoy.turned_back_at, convoy.turn_back_reason = ConvoyStatus.TURNED_BACK, at, reason.strip()
    convoy.save(update_fields=["status", "turned_back_at", "turn_back_reason", "updated_at"])
    last = convoy.passages.order_by("-passed_at", "-id").values_list("checkpoint__place_id", flat=True).first()
    events.announce("returns.convoy_stopped", convoy, convoy=convoy.pk, corridor=convoy.corridor_id, checkpoint=last,
             people=ManifestEntry.objects.filter(convoy=convoy).count(),
             link=f"/returns/convoys/{convoy.pk}/")
    return convoy


def announce_overdue(now: dt.datetime, minutes: int | None = None) -> int:
    """Announce each dispatched convoy whose last step (dispatch or a checkpoint passage) is older than
    PEACEOPS_CONVOY_OVERDUE_MINUTES: overdue at its next checkpoint. Once per convoy and checkpoint."""
    from django.conf import settings

    minutes = minutes or settings.PEACEOPS_CONVOY_OVERDUE_MINUTES
    found = 0
    for convoy in Convoy.objects.filter(status=ConvoyStatus.DISPATCHED).select_related("corridor"):
        late = (now - _last_time(convoy)).total_seconds() / 60
        if late < minutes:
            continue
        expected = _next_checkpoint(convoy)
        place = expected.place_id if expected else convoy.corridor.checkpoints.order_by("-position").values_list(
            "place_id", flat=True).first()
        events.announce("returns.convoy_overdue", convoy, convoy=convoy.pk, corridor=convoy.corridor_id, checkpoint=place,
                 minutes=int(late), once=f"convoy-{convoy.pk}-at-{place}", link=f"/returns/convoys/{convoy.pk}/")
        found += 1
    return found


def arrived_in(period) -> Q:
    """Convoys that arrived within a reporting period: the sitrep counts these, and its link lists them."""
    return Q(status=ConvoyStatus.ARRIVED, arrived_at__gte=period.start, arrived_at__lt=period.end)


def carried(convoys) -> tuple[int, float]:
    """People on the manifests and tonnes of cargo of a set of convoys."""
    people = ManifestEntry.objects.filter(convoy__in=convoys).count()
    cargo = CargoLine.objects.filter(convoy__in=convoys, unit="t").aggregate(t=Sum("quantity"))["t"] or Decimal(0)
    return people, float(cargo)



@dataclass(frozen=True)
class ConvoyTotals:
    convoys: int
    buses: int  # vehicles with seats; cargo trucks have none
    people: int
    cargo_tonnes: float


def arrived_between(first_day: dt.date, last_day: dt.date) -> ConvoyTotals:
    """Convoys that arrived in the reporting days first_day…last_day, their buses, people and cargo (the
    open-source cross-check reads these against published figures)."""
    from peaceops.core.reporting import ReportingPeriod

    start, end = ReportingPeriod.ending_on(first_day).start, ReportingPeriod.ending_on(last_day).end
    convoys = Convoy.objects.filter(status=ConvoyStatus.ARRIVED, arrived_at__gte=start, arrived_at__lt=end)
    people, cargo = carried(convoys)
    buses = Vehicle.objects.filter(convoy__in=convoys, seats__gt=0).count()
    return ConvoyTotals(convoys.count(), buses, people, cargo)
