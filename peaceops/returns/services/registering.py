"""Registering many households at once: every household checked in Python by the rules of `register_household`
(`prepare_household`), then all of them written together (`bulk_register`) with a few INSERTs per table.

Every bulk path registers through here: the CSV/XLSX/HXL registrations import (`returns.imports`, a chunk of
rows at a time, which may also add members to households registered before) and the field-forms import of
`returnee_registration` (a chunk of submissions at a time). What is written is what one registration at a time
writes (with `core.bulkrows`' prepared INSERTs: the ORM's values, without its per-value cost): a person, a
primary name (its script detected) and the name's search keys per member, the household,
its members with their needs and carers; a simple-history version of each record, with the user and the
reason; and the audit chain names every id — one bulk event per model when the caller collects
(`audit.collecting()`, as the import chunks do), otherwise one bulk event per model for this call.

The caller's transaction makes it all or nothing: a failure anywhere (the database refusing a row) leaves none
of the call's records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit, bulkrows
from peaceops.core.models import Person, PersonName, Place
from peaceops.core.models.audit import AuditAction
from peaceops.core.text import detect_script
from peaceops.returns.models import Household, HouseholdMember, SeatNeed
from peaceops.returns.services.households import (
    MemberSpec,
    member_person,
    parse_needs,
    validate_vulnerabilities,
)


@dataclass
class PreparedMember:
    """A new member, checked: an unsaved identity record and what the household records of them."""

    person: Person
    name: str
    relationship: str = ""
    needs: list[str] = field(default_factory=list)
    seat_needs: list[str] = field(default_factory=list)
    carer_index: int | None = None  # the carer among the same call's new members of this household (0 = first)
    carer_person_id: int | None = None  # or a person already registered (a member written before)


@dataclass
class PreparedHousehold:
    """A household to start (`household` None) or one registered before that gains `members`."""

    members: list[PreparedMember]
    destination: Place | None = None
    origin: Place | None = None
    registered_on: dt.date | None = None
    reference: str = ""
    written_by: str = ""
    household: Household | None = None  # set to the written household by `bulk_register`


def prepare_member(spec: MemberSpec, needs: Sequence[str] = (), seat_needs: Sequence[str] = ()) -> PreparedMember:
    """A member's identity checked by `member_person` (the rules of every registration); needs already parsed."""
    return PreparedMember(person=member_person(spec), name=spec.name.strip(), relationship=spec.relationship or "",
                          needs=list(needs), seat_needs=list(seat_needs))


def prepare_household(members: Sequence[MemberSpec], destination: Place, *, origin: Place | None = None,
                      vulnerabilities: Sequence[str] = (), registered_on: dt.date | None = None,
                      reference: str = "", written_by: str = "") -> PreparedHousehold:
    """`register_household`'s rules without the database: at least one member, known needs, a carer who is
    another member, every member's identity by `member_person`. The reference's uniqueness is the database's to
    say: `taken_references` before `bulk_register`. Members must be new people (no `spec.person`)."""
    if not members:
        raise ValidationError(_("A household needs at least one member."))
    vulnerabilities = validate_vulnerabilities(vulnerabilities)
    prepared = []
    for number, spec in enumerate(members, start=1):
        if spec.person is not None:
            raise ValueError("bulk registration makes new identity records only")
        needs, seats = parse_needs([*spec.needs, *spec.seat_needs])
        carer_index = carer_person_id = None
        if isinstance(spec.carer, int):
            if not 1 <= spec.carer <= len(members) or spec.carer == number:
                raise ValidationError(_("Member %(n)d: the carer must be another member, by number (1 to %(max)d).")
                                      % {"n": number, "max": len(members)})
            carer_index = spec.carer - 1
        elif spec.carer is not None:
            carer_person_id = spec.carer.pk  # someone outside the household: never one of these new people
        if carer_index is not None or carer_person_id is not None:
            seats = sorted({*seats, SeatNeed.CARER})
        elif SeatNeed.CARER in seats:
            raise ValidationError(_("Member %(n)d needs a carer beside them: name the carer.") % {"n": number})
        member = prepare_member(spec, needs, seats)
        member.carer_index, member.carer_person_id = carer_index, carer_person_id
        prepared.append(member)
    # Needs given for the household as a whole (older forms, the API's `vulnerabilities`) belong to the head.
    prepared[0].needs = sorted({*prepared[0].needs, *vulnerabilities})
    return PreparedHousehold(members=prepared, destination=destination, origin=origin, registered_on=registered_on,
                             reference=reference, written_by=written_by)


def reference_taken(reference: str) -> ValidationError:
    return ValidationError(_("A household with reference %(ref)s is already registered.") % {"ref": reference})


def taken_references(references) -> set[str]:
    """Which of these references a registered household already holds (one query)."""
    wanted = {r for r in references if r}
    if not wanted:
        return set()
    return set(Household.objects.filter(reference__in=wanted).values_list("reference", flat=True))


def _audit(model, objects, action: str, note: str) -> None:
    """Into the caller's collection (one bulk event per model and chunk), or a bulk event of its own."""
    ids = [str(obj.pk) for obj in objects]
    if not audit.collect_many(action, model._meta.label, ids):
        audit.append(AuditAction.BULK, model._meta.label, "", note[:200], {"count": len(ids), action: ids})


def bulk_register(households: Sequence[PreparedHousehold], *, user=None, reason: str = "import",
                  note: str = "") -> list[Household]:
    """Write the prepared households (and the members joining registered ones) in bulk; returns each one's
    household in order. Run it inside the caller's transaction."""
    from peaceops.search import services as name_search

    user = user if getattr(user, "pk", None) else None
    members = [(h, m) for h in households for m in h.members]
    persons = bulkrows.create(Person, [m.person for _h, m in members])
    names = bulkrows.create(PersonName, [
        PersonName(person=m.person, full_name=m.name, is_primary=True, written_by=h.written_by[:200],
                   script=detect_script(m.name)) for h, m in members])
    name_search.index(name_search.PERSON, [(name.person_id, name.full_name) for name in names], replace=False)

    started = []
    for prepared in households:
        if prepared.household is not None:
            continue
        needs = sorted({n for m in prepared.members for n in m.needs})
        kwargs = {"registered_on": prepared.registered_on} if prepared.registered_on else {}
        prepared.household = Household(
            reference=prepared.reference, head=prepared.members[0].person, origin=prepared.origin,
            destination=prepared.destination, vulnerabilities=needs,
            is_vulnerable=bool(needs) or any(m.seat_needs for m in prepared.members), size=len(prepared.members),
            **kwargs)
        started.append(prepared.household)
    bulkrows.create(Household, started)
    started_ids = {id(h) for h in started}

    links, grown, now = [], [], timezone.now()
    written: list[Household] = []
    for prepared in households:
        household = prepared.household
        assert household is not None  # a started household was just written; a joined one was read
        written.append(household)
        for member in prepared.members:
            carer_id = member.carer_person_id
            if member.carer_index is not None:
                carer_id = prepared.members[member.carer_index].person.pk
            links.append(HouseholdMember(household=household, person=member.person, relationship=member.relationship,
                                         needs=list(member.needs), seat_needs=list(member.seat_needs),
                                         carer_id=carer_id))
        if id(household) in started_ids or not prepared.members:
            continue
        household.size += len(prepared.members)
        household.vulnerabilities = sorted({*household.vulnerabilities, *(n for m in prepared.members
                                                                          for n in m.needs)})
        household.is_vulnerable = (household.is_vulnerable or bool(household.vulnerabilities)
                                   or any(m.seat_needs for m in prepared.members))
        household.updated_at = now
        household.revision = (household.revision or 0) + 1  # a change, as a save counts it (optimistic locking)
        grown.append(household)
    bulkrows.create(HouseholdMember, links)
    if grown:
        Household.objects.bulk_update(grown, ["size", "vulnerabilities", "is_vulnerable", "updated_at", "revision"])

    create, update = str(AuditAction.CREATE.value), str(AuditAction.UPDATE.value)
    batches: list[tuple[type[Model], Sequence[Model], str]] = [
        (Person, persons, create), (PersonName, names, create), (Household, started, create),
        (HouseholdMember, links, create), (Household, grown, update)]
    for model, objects, action in batches:
        if objects:
            bulkrows.create_history(model, objects, user=user, update=action == update, reason=reason)
            _audit(model, objects, action, note or reason)
    return written
