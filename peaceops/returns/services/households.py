"""Registering households on the waiting list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from peaceops.core.models import Person, PersonName, Place
from peaceops.returns.models import Household, HouseholdMember, Vulnerability


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


def validate_vulnerabilities(values: Sequence[str]) -> list[str]:
    unknown = sorted(set(values) - set(Vulnerability.values))
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
    person.full_clean(exclude=["uuid"])
    return person


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
    kwargs = {"registered_on": registered_on} if registered_on else {}
    taken = ValidationError(_("A household with reference %(ref)s is already registered.") % {"ref": reference})
    if reference and Household.objects.filter(reference=reference).exists():
        raise taken
    try:
        with transaction.atomic():  # a simultaneous registration of the same reference loses here, cleanly
            household = Household.objects.create(
                head=persons[0], origin=origin, destination=destination, vulnerabilities=vulnerabilities,
                is_vulnerable=bool(vulnerabilities), size=len(persons), reference=reference, **kwargs)
    except IntegrityError:
        raise taken from None
    HouseholdMember.objects.bulk_create([
        HouseholdMember(household=household, person=person, relationship=spec.relationship or "")
        for person, spec in zip(persons, members, strict=True)])
    return household


def search_households(households, query: str):
    """Households whose head or any member bears a name matching `query` in any script, best first."""
    from django.db.models import Q

    from peaceops.search.services import PERSON, search

    return search(households, PERSON, query, field="head_id", via=lambda ids: Q(head_id__in=ids) | Q(
        pk__in=HouseholdMember.objects.filter(person_id__in=ids).values("household_id")))
