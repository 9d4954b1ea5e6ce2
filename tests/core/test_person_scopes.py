"""Least privilege on identity records: each officer sees the people of their own module only."""

import datetime as dt

import pytest

from peaceops.core.models import Party, Person, PersonName, Place
from peaceops.exchanges.services.cases import open_detention_case
from peaceops.returns.services.households import MemberSpec, register_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_people():
    household = register_household([MemberSpec(name="Արմեն Պետրոսյան", sex="M", birth_year=1970)],
                                   Place.objects.get(name="Stepanakert / Khankendi"),
                                   registered_on=dt.date(2020, 11, 15))
    returnee = household.members.get().person
    detainee = Person.objects.create(sex="M", birth_year=1995)
    PersonName.objects.create(person=detainee, full_name="Synthetic Detainee", is_primary=True)
    open_detention_case(detainee, kind="pow", holding_party=Party.objects.get(code="azerbaijani-side"))
    unrelated = Person.objects.create(sex="F")
    return returnee, detainee, unrelated


def test_each_officer_sees_only_their_modules_people(users, two_people):
    returnee, detainee, unrelated = two_people
    visible = {role: set(Person.objects.visible_to(users[role]).values_list("pk", flat=True))
               for role in ("returns_officer", "exchange_officer", "coordinator", "monitor", "admin")}
    assert returnee.pk in visible["returns_officer"] and detainee.pk not in visible["returns_officer"]
    assert detainee.pk in visible["exchange_officer"] and returnee.pk not in visible["exchange_officer"]
    assert {returnee.pk, detainee.pk, unrelated.pk} <= visible["coordinator"]
    assert not visible["monitor"] and not visible["admin"]


def test_the_people_pages_answer_404_for_another_modules_person(client_for, two_people):
    returnee, detainee, _ = two_people
    assert client_for("returns_officer").get(f"/people/{detainee.pk}/").status_code == 404
    assert client_for("exchange_officer").get(f"/people/{returnee.pk}/").status_code == 404
    assert client_for("exchange_officer").get(f"/people/{detainee.pk}/").status_code == 200
    assert client_for("exchange_officer").get(f"/api/persons/{returnee.pk}/").status_code == 404
