"""Movements beyond convoys, per person where registered: self-organised returns, departures and secondary
displacement, recorded at a checkpoint or a registration desk.

A self-organised return counts in "returned as of D" like an escorted one — each person once, by their first
arrival whichever way they came (the returnee registry keeps that rule). Departures and secondary displacement
are recorded, never subtracted: "returned as of D" counts people whose arrival was recorded by D."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit, record_state
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.returns.models import Household, HouseholdState, ManifestEntry, Movement, MovementKind
from peaceops.returns.services.counting import record_first_arrivals


@transaction.atomic
def record_household_movement(household: Household, kind: str, *, at: dt.datetime | None = None,
                              destination: Place | None = None, checkpoint: Place | None = None,
                              person_ids: list[int] | None = None, user=None) -> int:
    """Record a movement of a registered household (all members, or the `person_ids` among them) made outside
    an escorted convoy. A return goes to the household's destination unless another settlement is given; the
    household counts as returned once every member has an arrival. Returns how many people returned for the
    first time (0 for departures and displacement)."""
    at = at or timezone.now()
    if kind not in MovementKind.values:
        raise ValidationError(_("Unknown movement: %(kind)s.") % {"kind": kind})
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("The movement time is in the future."))
    household = Household.objects.select_for_update().get(pk=household.pk)
    members = list(household.members.values_list("person_id", flat=True))
    chosen = members if not person_ids else [p for p in members if p in set(person_ids)]
    if person_ids and len(chosen) != len(set(person_ids)):
        raise ValidationError(_("Only members of %(household)s can be recorded with it.") % {"household": household})
    if not chosen:
        raise ValidationError(_("%(household)s has no members to record.") % {"household": household})
    if checkpoint is not None and checkpoint.kind != PlaceKind.CHECKPOINT:
        raise ValidationError(_("%(place)s is not a checkpoint.") % {"place": checkpoint.name})
    destination = destination or (household.destination if kind == MovementKind.RETURN else None)
    if destination is None:
        raise ValidationError(_("Say where they went."))
    if kind == MovementKind.RETURN:
        live = ManifestEntry.objects.filter(person_id__in=chosen, active=True).select_related("convoy").first()
        if live is not None:
            raise ValidationError(_("A member of %(household)s is on the manifest of %(convoy)s; take the household "
                                    "off it before recording a return on their own.")
                                  % {"household": household, "convoy": live.convoy})
    movements = Movement.objects.bulk_create([
        Movement(person_id=p, household=household, kind=kind, arrived_at=at, destination=destination,
                 checkpoint=checkpoint, recorded_by=user if getattr(user, "pk", None) else None) for p in chosen])
    if movements and movements[0].pk is None:
        movements = list(Movement.objects.filter(household=household, arrived_at=at, kind=kind,
                                                 person_id__in=chosen).order_by("id"))
    actor = getattr(user, "username", None)
    audit.record_bulk(Movement, len(movements), f"{kind} of household {household.pk} outside a convoy", actor=actor)
    new = 0
    if kind == MovementKind.RETURN:
        new = record_first_arrivals([(m.person_id, at, destination.pk, m.pk, True) for m in movements])
        arrived = set(Movement.objects.filter(household=household, kind=MovementKind.RETURN)
                      .values_list("person_id", flat=True))
        if household.state == HouseholdState.WAITING and set(members) <= arrived:
            record_state.update_with_history(Household.objects.filter(pk=household.pk),
                                             {"state": HouseholdState.RETURNED}, "returned on their own", actor=actor)
    return new


def movement_counts(first: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Recorded movements of registered people between two instants: escorted and self-organised returns,
    departures, secondary displacement (movements, not distinct people)."""
    rows = Movement.objects.filter(arrived_at__gte=first, arrived_at__lt=end)
    return {
        "escorted": rows.filter(kind=MovementKind.RETURN, convoy__isnull=False).count(),
        "self_organised": rows.filter(kind=MovementKind.RETURN, convoy__isnull=True).count(),
        "departure": rows.filter(kind=MovementKind.DEPARTURE).count(),
        "secondary": rows.filter(kind=MovementKind.SECONDARY_DISPLACEMENT).count(),
    }
