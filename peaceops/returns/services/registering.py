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
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit, bulkrows
from peaceops.core.models import Person, PersonName, Place
from peaceops.core.models.audit import AuditAction
from peaceops.core.models.people import Sex
from peaceops.core.text import detect_script
from peaceops.returns.models import Household, HouseholdMember, SeatNeed
from peaceops.returns.services.households import (
    MemberSpec,
    member_person,
    parse_needs,
    validate_vulnerabilities,
)
from peaceops.search.models import NameKey
from peaceops.search.services import PERSON as PERSON_SCOPE

PERSON_FIELDS = ("sex", "birth_year", "birth_month", "birth_day")  # what a registration sets on a new person
_SEXES = frozenset(Sex.values)
_SMALL = 32767  # a PositiveSmallIntegerField's largest value, on SQLite and PostgreSQL


class NewPerson:
    """A new identity record checked by `member_person`'s rules, without a model instance: the fields a
    registration sets, and its id once written (`write_prepared`)."""

    __slots__ = ("sex", "birth_year", "birth_month", "birth_day", "pk")

    def __init__(self, sex: str, birth_year: int | None, birth_month: int | None, birth_day: int | None):
        self.sex, self.birth_year, self.birth_month, self.birth_day = sex, birth_year, birth_month, birth_day
        self.pk: int | None = None


def _plainly_valid_birth(year, month, day, today: dt.date) -> bool:
    """True only when `member_person` surely accepts these birth parts unchanged (whole numbers 1–32,767, a day
    with a month with a year, a date that exists and is not in the future); anything else goes to it."""
    for part in (year, month, day):
        if part is not None and not (type(part) is int and 1 <= part <= _SMALL):
            return False
    if (day is not None and month is None) or (month is not None and (year is None or month > 12)):
        return False
    if year is None:
        return True
    try:
        return dt.date(year, month or 1, day or 1) <= today
    except ValueError:
        return False


def new_person(spec: MemberSpec, today: dt.date | None = None) -> NewPerson:
    """`member_person(spec)`'s answer as a `NewPerson`: the same values, the same refusals (an unusual value
    goes through `member_person` itself, so every message is its own). `today`: the caller's reading of the
    date, for a chunk of rows."""
    sex = spec.sex or "U"
    year, month, day = spec.birth_year, spec.birth_month, spec.birth_day
    if (type(sex) is str and sex in _SEXES and any(ch.isalpha() for ch in spec.name)
            and _plainly_valid_birth(year, month, day, today or timezone.localdate())):
        return NewPerson(sex, year, month, day)
    person = member_person(spec)
    return NewPerson(person.sex, person.birth_year, person.birth_month, person.birth_day)


@dataclass
class PreparedMember:
    """A new member, checked: an unsaved identity record and what the household records of them."""

    person: Person | NewPerson  # an instance (`member_person`) or the checked values alone (`new_person`)
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
    household_id: int | None = None  # a started household's id, once written


def prepare_member(spec: MemberSpec, needs: Sequence[str] = (), seat_needs: Sequence[str] = ()) -> PreparedMember:
    """A member's identity checked by `member_person` (the rules of every registration); needs already parsed."""
    return PreparedMember(person=member_person(spec), name=spec.name.strip(), relationship=spec.relationship or "",
                          needs=list(needs), seat_needs=list(seat_needs))


def prepare_household(members: Sequence[MemberSpec], destination: Place, *, origin: Place | None = None,
                      vulnerabilities: Sequence[str] = (), registered_on: dt.date | None = None,
                      reference: str = "", written_by: str = "", today: dt.date | None = None
                      ) -> PreparedHousehold:
    """`register_household`'s rules without the database: at least one member, known needs, a carer who is
    another member, every member's identity by `member_person`. The reference's uniqueness is the database's to
    say: `taken_references` before `bulk_register`. Members must be new people (no `spec.person`).
    `today` given (a chunk's reading of the date): each identity is a `NewPerson` by `new_person` (the same
    rules and refusals, no `Person` instance and no `full_clean` for a plainly valid one), as the registrations
    import checks its rows; otherwise a `Person` instance by `member_person`."""
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
        if today is None:
            member = prepare_member(spec, needs, seats)
        else:
            member = PreparedMember(person=new_person(spec, today), name=spec.name.strip(),
                                    relationship=spec.relationship or "", needs=list(needs), seat_needs=list(seats))
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


def _audit(model, ids: Sequence[object], action: str, note: str) -> None:
    """Into the caller's collection (one bulk event per model and chunk), or a bulk event of its own."""
    ids = [str(pk) for pk in ids]
    if not audit.collect_many(action, model._meta.label, ids):
        audit.append(AuditAction.BULK, model._meta.label, "", note[:200], {"count": len(ids), action: ids})


@lru_cache(maxsize=1 << 16)
def _part_keys(token: str) -> tuple[str, ...]:
    """One name part's search keys (`search.keys.token_keys`, a pure function of the part), worked out once per
    process while the part stays among the most recent: a registry repeats its surnames and given names over
    every chunk of an import, and over imports."""
    from peaceops.search.keys import token_keys

    return token_keys(token)


@lru_cache(maxsize=1 << 14)
def _name_keys(name: str) -> tuple[str, ...]:
    """A name's search keys as `search.keys.name_keys` makes them (each part's keys, once each)."""
    from peaceops.search.keys import tokenize

    keys: set[str] = set()
    for token in tokenize(name or ""):
        keys.update(_part_keys(token))
    return tuple(keys)


def _key_rows(person_ids: Sequence[int], names: Sequence[str]) -> list[tuple[str, str, int]]:
    """The persons' search-key rows in the order of the key index (scope, key, then the person, as written), so
    the index's new entries go in page by page rather than all over it: grouped by key, then the keys sorted
    (not the tens of thousands of rows)."""
    by_key: dict[str, list[int]] = {}
    for pk, name in zip(person_ids, names, strict=True):
        for key in _name_keys(name):
            by_key.setdefault(key, []).append(pk)
    return [(PERSON_SCOPE, key, pk) for key in sorted(by_key) for pk in sorted(by_key[key])]


def _script(name: str) -> str:
    """`detect_script(name)`; a name in ASCII has Latin letters or none, both "Latn", without counting them."""
    return "Latn" if name.isascii() else detect_script(name)


_NAME_FIELDS = ("person_id", "full_name", "is_primary", "written_by", "script")
_HOUSEHOLD_FIELDS = ("reference", "head_id", "origin_id", "destination_id", "vulnerabilities", "is_vulnerable",
                     "size", "registered_on")
_MEMBER_FIELDS = ("household_id", "person_id", "relationship", "needs", "seat_needs", "carer_id")


def _person_rows(persons: list) -> tuple[tuple[str, ...], list[tuple], list[Person] | None]:
    """The persons' columns: the four a registration sets when every one is a `NewPerson`; otherwise every
    column a caller may set, read off the (unsaved) instances."""
    if all(type(p) is NewPerson for p in persons):
        return PERSON_FIELDS, [(p.sex, p.birth_year, p.birth_month, p.birth_day) for p in persons], None
    instances = [p if isinstance(p, Person) else Person(**{f: getattr(p, f) for f in PERSON_FIELDS})
                 for p in persons]
    names = bulkrows.given_fields(Person)
    return names, [tuple(getattr(p, f) for f in names) for p in instances], instances


def write_prepared(households: Sequence[PreparedHousehold], *, user=None, reason: str = "import",
                   note: str = "", now: dt.datetime | None = None) -> list[int | None]:
    """`bulk_register` without model instances: the households' ids in order (a joined household's, too); each
    new member's `person.pk` set. The registrations import writes its chunks through this."""
    user = user if getattr(user, "pk", None) else None
    now = now or timezone.now()  # one reading of the clock for the call: the stamps and the versions
    today = timezone.localdate(now)
    members = [(h, m) for h in households for m in h.members]
    persons = [m.person for _h, m in members]
    person_fields, person_rows, instances = _person_rows(persons)
    person_ids, _person_values = bulkrows.insert(Person, person_fields, person_rows, now)
    if instances is not None:
        bulkrows.mark_saved(Person, instances, person_ids, now)
    for person, pk in zip(persons, person_ids, strict=True):
        person.pk = pk
    name_ids, _name_values = bulkrows.insert(PersonName, _NAME_FIELDS, [
        (pk, m.name, True, h.written_by[:200], _script(m.name))
        for pk, (h, m) in zip(person_ids, members, strict=True)], now)
    # Plain text and ids: nothing to prepare.
    bulkrows.insert_plain(NameKey, ("scope", "key", "record_id"), _key_rows(person_ids, [m.name for _h, m in members]))

    started = [h for h in households if h.household is None]
    household_rows = []
    for prepared in started:
        needs = sorted({n for m in prepared.members for n in m.needs})
        household_rows.append((
            prepared.reference, prepared.members[0].person.pk, getattr(prepared.origin, "pk", None),
            getattr(prepared.destination, "pk", None), needs,
            bool(needs) or any(m.seat_needs for m in prepared.members), len(prepared.members),
            prepared.registered_on or today))
    started_ids, _household_values = bulkrows.insert(Household, _HOUSEHOLD_FIELDS, household_rows, now)
    for prepared, pk in zip(started, started_ids, strict=True):
        prepared.household_id = pk

    member_rows, grown = [], []
    for prepared in households:
        household_id = prepared.household_id if prepared.household is None else prepared.household.pk
        for member in prepared.members:
            carer_id = member.carer_person_id
            if member.carer_index is not None:
                carer_id = prepared.members[member.carer_index].person.pk
            member_rows.append((household_id, member.person.pk, member.relationship, list(member.needs),
                                list(member.seat_needs), carer_id))
        household = prepared.household
        if household is None or not prepared.members:
            continue
        household.size += len(prepared.members)
        household.vulnerabilities = sorted({*household.vulnerabilities, *(n for m in prepared.members
                                                                          for n in m.needs)})
        household.is_vulnerable = (household.is_vulnerable or bool(household.vulnerabilities)
                                   or any(m.seat_needs for m in prepared.members))
        household.updated_at = now
        household.revision = (household.revision or 0) + 1  # a change, as a save counts it (optimistic locking)
        grown.append(household)
    member_ids, _member_values = bulkrows.insert(HouseholdMember, _MEMBER_FIELDS, member_rows, now)
    if grown:
        Household.objects.bulk_update(grown, ["size", "vulnerabilities", "is_vulnerable", "updated_at", "revision"])

    create = str(AuditAction.CREATE.value)
    for model, ids in [(Person, person_ids), (PersonName, name_ids), (Household, started_ids),
                       (HouseholdMember, member_ids)]:
        if ids:  # the versions copied by the database from the rows just written
            bulkrows.copy_history(model, ids, now, user=user, reason=reason)
            _audit(model, ids, create, note or reason)
    if grown:
        update = str(AuditAction.UPDATE.value)
        bulkrows.create_history(Household, grown, user=user, update=True, reason=reason)
        _audit(Household, [h.pk for h in grown], update, note or reason)
    return [prepared.household_id if prepared.household is None else prepared.household.pk
            for prepared in households]


def _written(pk: int | None) -> int:
    assert pk is not None, "written by write_prepared"
    return pk


def bulk_register(households: Sequence[PreparedHousehold], *, user=None, reason: str = "import",
                  note: str = "") -> list[Household]:
    """Write the prepared households (and the members joining registered ones) in bulk; returns each one's
    household in order (`prepared.household` set to it). Run it inside the caller's transaction."""
    started = [h for h in households if h.household is None]
    now = timezone.now()
    write_prepared(households, user=user, reason=reason, note=note, now=now)
    for prepared in started:  # the records `bulk_create` would have left, for callers that go on with them
        needs = sorted({n for m in prepared.members for n in m.needs})
        household = Household(
            reference=prepared.reference, head_id=_written(prepared.members[0].person.pk), origin=prepared.origin,
            destination=prepared.destination, vulnerabilities=needs,
            is_vulnerable=bool(needs) or any(m.seat_needs for m in prepared.members), size=len(prepared.members),
            registered_on=prepared.registered_on or timezone.localdate(now))
        assert prepared.household_id is not None  # just written
        bulkrows.mark_saved(Household, [household], [prepared.household_id], now)
        prepared.household = household
    return [h.household for h in households if h.household is not None]
