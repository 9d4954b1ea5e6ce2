"""Registering households on the waiting list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from peaceops.core.models import Person, PersonName, Place
from peaceops.returns.models import Household, HouseholdMember, SeatNeed, Vulnerability


class BirthParts(TypedDict):
    """The known parts of a birth date, as MemberSpec takes them."""

    birth_year: int | None
    birth_month: int | None
    birth_day: int | None


@dataclass
class MemberSpec:
    """A member as registered: the name exactly as written, and what is known of the birth date and sex."""

    name: str
    sex: str = "U"
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    relationship: str = ""
    person: Person | None = None  # an existing identity record, instead of creating one
    needs: Sequence[str] = ()  # Vulnerability codes
    seat_needs: Sequence[str] = ()  # SeatNeed codes
    carer: int | Person | None = None  # who sits beside them: a member's number in the household (1 = the head)
    # or an identity record outside it


# Words accepted for each need besides its code and its label (in any language the labels are translated to).
NEED_WORDS = {
    "disability": "disabled", "pregnancy": "pregnant", "unaccompanied": "unaccompanied_child",
    "unaccompanied child": "unaccompanied_child", "uac": "unaccompanied_child", "uasc": "unaccompanied_child",
    "old": "elderly", "older person": "elderly", "carer beside": "carer", "a carer beside": "carer",
    "caregiver": "carer", "escort": "carer", "stretcher case": "stretcher", "wheel chair": "wheelchair",
}


@lru_cache(maxsize=16)
def _need_words(language: str | None) -> dict[str, str]:
    """Every word accepted for a need in this language (codes, labels as translated, English labels), built once
    per language: an import asks for every row."""
    from django.utils import translation

    known: dict[str, str] = {**NEED_WORDS}
    for code, label in [*Vulnerability.choices, *SeatNeed.choices]:
        known[code] = code
        known[code.replace("_", " ")] = code
        known[str(label).casefold()] = code
        with translation.override("en"):
            known[str(label).casefold()] = code
    return known


def parse_needs(text: str | Sequence[str]) -> tuple[list[str], list[str]]:
    """"elderly, wheelchair; carer" → (needs, seat needs). Codes, English words and the labels as translated are
    all accepted, in any case; anything else is refused, naming it."""
    from django.utils import translation

    words = [w.strip() for w in (text.replace(";", ",").replace("|", ",").split(",") if isinstance(text, str)
                                  else text) if w and w.strip()]
    if not words:
        return [], []
    known = _need_words(translation.get_language())
    needs, seats, unknown = set(), set(), []
    for word in words:
        code = known.get(word.casefold())
        if code is None:
            unknown.append(word)
        elif code in SeatNeed.values:
            seats.add(code)
        else:
            needs.add(code)
    if unknown:
        raise ValidationError(_("Unknown need: %(values)s (known: %(known)s).") % {
            "values": ", ".join(unknown), "known": ", ".join([*Vulnerability.values, *SeatNeed.values])})
    if {SeatNeed.STRETCHER, SeatNeed.WHEELCHAIR} <= seats:
        raise ValidationError(_("A person travels either on a stretcher or in a wheelchair, not both."))
    return sorted(needs), sorted(seats)


# The codes, read off the choices once: `Vulnerability.values` rebuilds its list (and each label) on every call,
# and a bulk registration checks every household.
_VULNERABILITY_CODES = frozenset(Vulnerability.values)


def validate_vulnerabilities(values: Sequence[str]) -> list[str]:
    """Household-level needs as older forms send them (codes only); recorded on the head."""
    if not values:
        return []
    unknown = sorted(set(values) - _VULNERABILITY_CODES)
    if unknown:
        raise ValidationError(_("Unknown vulnerability: %(values)s (known: %(known)s).")
                              % {"values": ", ".join(unknown), "known": ", ".join(Vulnerability.values)})
    return sorted(set(values))


def member_person(spec: MemberSpec) -> Person:
    """The identity record a new member gets, checked by the rules every registration follows (the form, the
    API and imports alike); not saved. A name must hold at least one letter: a row of dashes names nobody."""
    if not any(ch.isalpha() for ch in spec.name):
        raise ValidationError(_("Every member needs a name as written."))
    person = Person(sex=spec.sex or "U", birth_year=spec.birth_year, birth_month=spec.birth_month,
                    birth_day=spec.birth_day)
    # What `full_clean` would check, for the only fields set here (the others keep their valid defaults, and a
    # new record has nothing unique to look up): each field's own rules, then the model's `clean`.
    errors: dict[str, list] = {}
    for name in _PERSON_FIELDS:
        field = Person._meta.get_field(name)
        assert isinstance(field, models.Field)  # a field of the person's own, not a reverse relation
        try:
            setattr(person, name, field.clean(getattr(person, name), person))
        except ValidationError as exc:
            errors[name] = exc.error_list
    try:
        person.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return person


_PERSON_FIELDS = ("sex", "birth_year", "birth_month", "birth_day")


@transaction.atomic
def register_household(members: Sequence[MemberSpec], destination: Place, *, origin: Place | None = None,
                       vulnerabilities: Sequence[str] = (), registered_on: dt.date | None = None,
                       reference: str = "", written_by: str = "") -> Household:
    """The first member is the head. Everything is written, or nothing."""
    if not members:
        raise ValidationError(_("A household needs at least one member."))
    vulnerabilities = validate_vulnerabilities(vulnerabilities)
    persons = []
    for spec in members:
        if spec.person is not None:
            persons.append(spec.person)
            continue
        person = member_person(spec)
        person.save()
        PersonName.objects.create(person=person, full_name=spec.name.strip(), is_primary=True,
                                  written_by=written_by[:200])
        persons.append(person)
    if len({p.pk for p in persons}) != len(persons):
        raise ValidationError(_("The same person is listed twice in the household."))
    member_needs = [_member_needs(spec, n, persons) for n, spec in enumerate(members, start=1)]
    # Needs given for the household as a whole (older forms, the API's `vulnerabilities`) belong to the head.
    member_needs[0] = (sorted({*member_needs[0][0], *vulnerabilities}), *member_needs[0][1:])
    vulnerabilities = sorted({need for needs, _s, _c in member_needs for need in needs})
    vulnerable = bool(vulnerabilities) or any(seats for _n, seats, _c in member_needs)
    kwargs = {"registered_on": registered_on} if registered_on else {}
    taken = ValidationError(_("A household with reference %(ref)s is already registered.") % {"ref": reference})
    if reference and Household.objects.filter(reference=reference).exists():
        raise taken
    try:
        with transaction.atomic():  # a simultaneous registration of the same reference loses here, cleanly
            household = Household.objects.create(
                head=persons[0], origin=origin, destination=destination, vulnerabilities=vulnerabilities,
                is_vulnerable=vulnerable, size=len(persons), reference=reference, **kwargs)
    except IntegrityError:
        raise taken from None
    HouseholdMember.objects.bulk_create([
        HouseholdMember(household=household, person=person, relationship=spec.relationship or "", needs=needs,
                        seat_needs=seats, carer=carer)
        for person, spec, (needs, seats, carer) in zip(persons, members, member_needs, strict=True)])
    return household


def _member_needs(spec: MemberSpec, number: int, persons: list[Person]) -> tuple[list, list, Person | None]:
    """A member's needs checked: known codes, and a carer who is someone else (a member by number, or a person)."""
    needs, seats = parse_needs([*spec.needs, *spec.seat_needs])
    carer = spec.carer
    if isinstance(carer, int):
        if not 1 <= carer <= len(persons) or carer == number:
            raise ValidationError(_("Member %(n)d: the carer must be another member, by number (1 to %(max)d).")
                                  % {"n": number, "max": len(persons)})
        carer = persons[carer - 1]
    if carer is not None and carer.pk == persons[number - 1].pk:
        raise ValidationError(_("Member %(n)d cannot be their own carer.") % {"n": number})
    if carer is not None:
        seats = sorted({*seats, SeatNeed.CARER})
    elif SeatNeed.CARER in seats:
        raise ValidationError(_("Member %(n)d needs a carer beside them: name the carer.") % {"n": number})
    return needs, seats, carer


@transaction.atomic
def set_member_needs(member: HouseholdMember, needs: Sequence[str], *, carer: Person | None = None) -> HouseholdMember:
    """Record what a member needs (needs and seat needs in one list, as `parse_needs` reads them) and who sits
    beside them; the household's list of needs follows."""
    needs, seats = parse_needs(needs)
    if carer is not None and carer.pk == member.person_id:
        raise ValidationError(_("Nobody can be their own carer."))
    if carer is not None:
        seats = sorted({*seats, SeatNeed.CARER})
    elif SeatNeed.CARER in seats:
        raise ValidationError(_("A carer beside them: name the carer."))
    member.needs, member.seat_needs, member.carer = needs, seats, carer
    member.save()
    refresh_household_needs(member.household)
    return member


def refresh_household_needs(household: Household) -> None:
    """The household's union of needs and its place in the queue, from its members."""
    rows = list(household.members.values_list("needs", "seat_needs"))
    union = sorted({n for needs, _s in rows for n in needs})
    household.vulnerabilities = union
    household.is_vulnerable = bool(union) or any(seats for _n, seats in rows)
    household.save(update_fields=["vulnerabilities", "is_vulnerable", "updated_at"])


def search_households(households, query: str):
    """Households whose head or any member bears a name matching `query` in any script, best first."""
    from django.db.models import Q

    from peaceops.search.services import PERSON, search

    return search(households, PERSON, query, field="head_id", via=lambda ids: Q(head_id__in=ids) | Q(
        pk__in=HouseholdMember.objects.filter(person_id__in=ids).values("household_id")))
