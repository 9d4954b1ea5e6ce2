"""A child registered with a household, with no father's name recorded, takes the household head's name as the
father's (`duplicates._household_fathers`): the demo at scale 1 proposed two Shahen Ghazakhetyan born 2018-05-21,
children of Yuri and of Ohan, with the father recorded on one side only."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.core.models import Person
from peaceops.returns import services
from peaceops.returns.models import DuplicateProposal
from peaceops.returns.services import MemberSpec, duplicates

pytestmark = pytest.mark.django_db


def _household(world, members, registered="2020-11-10"):
    specs = [MemberSpec(name=name, sex=sex, birth_year=born[0], birth_month=(*born, None, None)[1],
                        birth_day=(*born, None, None)[2], relationship=relationship)
             for name, sex, born, relationship in members]
    household = services.register_household(specs, world["places"]["stepanakert"],
                                            registered_on=dt.date.fromisoformat(registered))
    return [member.person for member in household.members.order_by("id").select_related("person")]


@pytest.fixture
def shahens(world):
    yuri = _household(world, [("Յուրի Ղազախեթյան", "M", (1980,), "head"), ("Հերմինե Ղազախեթյան", "F", (1981,), "spouse"),
                              ("Շահեն Ղազախեթյան", "M", (2018, 5, 21), "child")])
    ohan = _household(world, [("Օհան Ղազախեթյան", "M", (1991,), "head"), ("Իզաբելլա Ղազախեթյան", "F", (1995,), "spouse"),
                              ("Շահեն Ղազախեթյան", "M", (2018, 5, 21), "child")], "2020-11-12")
    Person.objects.filter(pk=yuri[2].pk).update(father_name="Յուրի")
    return yuri[2], ohan[2]


def _father(pk: int) -> str:
    return next(r["father_name"] for r in duplicates.registry_records() if r["id"] == f"{pk}:0")


def test_a_childs_blank_father_is_the_household_head(shahens):
    of_yuri, of_ohan = shahens
    assert _father(of_yuri.pk) == "Յուրի"  # recorded: kept
    assert _father(of_ohan.pk) == "Օհան Ղազախեթյան"
    assert duplicates.registry_records_and_fathers(duplicates.registry_person_ids())[1] == {of_ohan.pk: "Օհան Ղազախեթյան"}


@pytest.mark.parametrize("head, relationship", [
    (("Անահիտ Ղազախեթյան", "F", (1990,), "head"), "child"),  # a mother heads the household
    (("Օհան Ղազախեթյան", "M", (1991,), "head"), "nephew"),  # not the head's child
    (("Օհան Պետրոսյան", "M", (1991,), "head"), "child"),  # another surname: a stepfather, perhaps
])
def test_no_father_is_read_where_the_household_does_not_say_it(world, head, relationship):
    members = _household(world, [head, ("Շահեն Ղազախեթյան", "M", (2018, 5, 21), relationship)])
    assert _father(members[1].pk) == ""


@pytest.mark.parametrize("relationship", ["son", "Сын", "որդի", "oğlu", " Child "])
def test_a_child_is_a_child_in_each_language_clerks_write(world, relationship):
    members = _household(world, [("Аким Моисеев", "M", (1958,), "head"), ("Никита Моисеев", "M", (1985,), relationship)])
    assert _father(members[1].pk) == "Аким Моисеев"


def test_the_reason_says_which_fathers_name_is_the_heads_and_the_page_shows_it(shahens, users, client_for):
    of_yuri, of_ohan = shahens
    duplicates.find_duplicates(users["returns_officer"], threshold=0.0001)
    proposal = DuplicateProposal.objects.get(left_id=min(of_yuri.pk, of_ohan.pk), right_id=max(of_yuri.pk, of_ohan.pk))
    father = next(r for r in proposal.explanation if r["field"] == "father_name")
    assert father["weight"] < 0 and not father["agrees"]
    assert father["from_household"] == ["left" if of_ohan.pk < of_yuri.pk else "right"]
    for language, marker in (("en", "(household head)"), ("ru", "(глава домохозяйства)")):
        page = client_for("returns_officer").get("/returns/duplicates/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert page.count(marker) == 1, language
