"""The households list's rows from column values (peaceops.api.rows): what HouseholdSerializer shows, without
instantiating households, members, persons and their names (the prefetch alone was over half the page's CPU).
tests/returns/test_list_rows.py holds every row equal to the serializer's."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from peaceops.api.prepared import Prepared
from peaceops.api.rows import Plan, column_plan, row_builder
from peaceops.core.models import PersonName
from peaceops.returns.models import Household, HouseholdMember


def _plans() -> tuple[Plan, Plan] | None:
    from peaceops.returns.serializers import HouseholdSerializer, MemberSerializer

    households = column_plan(HouseholdSerializer(), ("members",))
    members = column_plan(MemberSerializer(), ("name",))
    return None if households is None or members is None else (households, members)


@cache
def _members(plan: Plan) -> Prepared:
    # By the household's id, not by "household" (its ordering, registered_on): the rows are grouped per household
    # here, so only the order within one (by id, as the serializer's prefetch gives it) matters, and ordering by
    # the household's date joined the whole households table to the page's members (PostgreSQL: a hash of every
    # household, two thirds of the page's database time).
    return Prepared(HouseholdMember, lambda ids: HouseholdMember.objects.filter(household_id__in=ids)
                    .order_by("household_id", "id").values("household_id", "person__uuid", *plan.attnames))


@cache
def _households(plan: Plan) -> Prepared:
    return Prepared(Household, lambda ids: Household.objects.filter(pk__in=ids).values(*plan.attnames))


_NAMES = Prepared(PersonName, lambda people: PersonName.objects.filter(person_id__in=people)
                  .order_by("person_id", "-is_primary", "id").values("person_id", "full_name"))


@row_builder(_plans)
def household_rows(plans: tuple[Plan, Plan], ids: list[int]) -> list[dict]:
    """The JSON rows of these households, or None when the serializer shows something this builder does not know
    (then the caller serializes)."""
    households, members = plans
    member_values = _members(members)(ids)
    # A person's name as str(person) gives it: the primary name (the first by id), else the first, else the uuid.
    names: dict[int, str] = {}
    for name in _NAMES([m["person_id"] for m in member_values]):
        names.setdefault(name["person_id"], name["full_name"])
    by_household: dict[int, list] = defaultdict(list)
    for member in member_values:
        name = names.get(member["person_id"], f"person {member['person__uuid']}")
        by_household[member["household_id"]].append(members.row(member, {"name": name}))
    return [households.row(record, {"members": by_household[record["id"]]}) for record in _households(households)(ids)]


available = household_rows.available
