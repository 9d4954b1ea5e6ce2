"""The household list pages a name search from the key index (issue 15, item 5's speed at 1,000,000 people):
`NamePaginator`'s "set" mode reads the page's own query (its filters, its order) restricted to the records of
the matching persons, counts them exactly up to a cap and beyond says that more match. The case lists keep
Django's Paginator (faster at 50,000 cases: bench/RESULTS.md), but the mode pages a case search the same. And a role
that sees few persons (a returns officer) gets its people page ranked within what it may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator

from peaceops.core.models import Person, PersonName
from peaceops.exchanges.models import MissingCase
from peaceops.returns.models import Household
from peaceops.returns.services.households import MemberSpec, register_household, search_households
from peaceops.search import services
from peaceops.search.paging import NamePaginator

pytestmark = pytest.mark.django_db


class Capped(NamePaginator):
    cap = 2


def _pages(paginator) -> list[list[int]]:
    return [[r.pk for r in paginator.page(n).object_list] for n in paginator.page_range]


@pytest.fixture
def households(world):
    """Savelyev households in both scripts, registered so that the page's order (vulnerable first, then by
    registration date) is not the order of their ids; and one household whose name parts are borne by two
    members."""
    stepanakert = world["places"]["stepanakert"]
    made = []
    for i, (names, vulnerable) in enumerate([
            (["Savelyev Ivan", "Savelyeva Anna"], False), (["Савельев Олег"], True), (["Савельев Пётр"], False),
            (["Savelyev Oleg", "Sokolov Pyotr"], True), (["Соколов Игорь"], False),
            (["Соколова Мария", "Олег Савельев"], False)]):
        household = register_household([MemberSpec(name=n, sex="M", birth_year=1970) for n in names],
                                        stepanakert, registered_on=dt.date(2020, 12, 20) - dt.timedelta(days=3 * i),
                                        vulnerabilities=["elderly"] if vulnerable else [])
        made.append(household)
    return made


def _household_page(query: str, state: str = ""):
    # The household list's own queryset (peaceops.returns.views.households.household_list).
    households = (Household.objects.all().select_related("destination").prefetch_related("head__names")
                  .order_by("-is_vulnerable", "registered_on", "id"))
    if state:
        households = households.filter(state=state)
    return search_households(households, query)


@pytest.mark.parametrize("query", ["Savelyev", "Савельев", "Savel", "Oleg Savelyev", "Petrosyan"])
def test_household_pages_are_those_of_ranking_every_match(households, query):
    paginator = NamePaginator(_household_page(query), 2)
    assert paginator._mode == "set"
    assert _pages(paginator) == _pages(Paginator(_household_page(query), 2)), query
    assert paginator.count == Paginator(_household_page(query), 2).count and not paginator.more


def test_household_parts_borne_by_two_members(households):
    # The page lists households of a person who bears every part typed (read by id, fast); the full query of
    # search(via=...) also finds "Sokolov" the head and "Savelyev" another member (documented in search.paging).
    paginator = NamePaginator(_household_page("Sokolov Savelyev"), 50)
    assert sum(_pages(paginator), []) == []
    assert {households[3].pk, households[5].pk} <= set(_household_page("Sokolov Savelyev").values_list("pk", flat=True))
    found = sum(_pages(NamePaginator(_household_page("Oleg Savelyev"), 50)), [])
    assert set(found) == {households[1].pk, households[3].pk, households[5].pk}


def test_a_household_search_filtered_after_the_search_is_paged_in_full(households):
    further = _household_page("Savelyev").filter(is_vulnerable=True)
    assert NamePaginator(further, 50)._mode is None
    assert _pages(NamePaginator(further, 50)) == _pages(Paginator(further, 50))


def test_more_households_than_the_cap_are_said_and_listed_in_the_pages_order(households):
    paginator = Capped(_household_page("Savelyev"), 50)
    assert paginator.more and paginator.count <= 2
    listed = sum(_pages(paginator), [])
    everything = sum(_pages(Paginator(_household_page("Savelyev"), 50)), [])
    assert listed and set(listed) <= set(everything)
    assert listed == [pk for pk in everything if pk in listed]  # the page's own order among them


def test_household_list_page_says_more_match(client_for, households, monkeypatch):
    monkeypatch.setattr(NamePaginator, "cap", 2)
    client = client_for("returns_officer")
    body = client.get("/returns/households/", {"q": "Savelyev", "state": ""}).content.decode()
    assert "More names match than the list shows" in body
    body = client.get("/returns/households/", {"q": "Savelyev Ivan", "state": ""}).content.decode()
    assert "More names match" not in body and f"/returns/households/{households[0].pk}/" in body


def test_household_search_keeps_the_state_filter(households):
    Household.objects.filter(pk=households[1].pk).update(state="returned")
    waiting = sum(_pages(NamePaginator(_household_page("Savelyev", state="waiting"), 50)), [])
    assert households[1].pk not in waiting and households[0].pk in waiting


@pytest.fixture
def cases():
    made = []
    for i, name in enumerate(["Savelyev Ivan", "Савельев Олег", "Соколов Игорь", "Савельев Пётр", "Savelyev Oleg"]):
        person = Person.objects.create(sex="M", birth_year=1980)
        PersonName.objects.create(person=person, full_name=name, is_primary=True)
        made.append(MissingCase.objects.create(person=person, reported_by="A synthetic relative",
                                               reported_on=dt.date(2020, 11, 1) + dt.timedelta(days=i)))
    return made


def _case_page(query: str):
    cases = MissingCase.objects.all().select_related("person").prefetch_related("person__names")
    return services.search(cases, services.PERSON, query, field="person_id")


@pytest.mark.parametrize("query", ["Savelyev", "Savelyev Oleg", "Соколов", "Aliyev"])
def test_case_pages_are_those_of_ranking_every_match(cases, query):
    paginator = NamePaginator(_case_page(query), 2)
    assert paginator._mode == "set"
    assert _pages(paginator) == _pages(Paginator(_case_page(query), 2))
    assert paginator.count == Paginator(_case_page(query), 2).count


def test_case_search_filtered_further_keeps_the_filter(cases):
    MissingCase.objects.filter(pk=cases[1].pk).update(status="closed")
    paginator = NamePaginator(_case_page("Savelyev").filter(status="open"), 50)
    assert cases[1].pk not in sum(_pages(paginator), []) and paginator.count == 3


# --- a role that sees few persons --------------------------------------------------------------------------


def test_a_returns_officer_is_ranked_within_the_persons_it_may_see(users, world):
    # Five Savelyevs no returns officer may see (no household), ranked before the two household members it may.
    members = register_household([MemberSpec(name="Savelyev Ivan"), MemberSpec(name="Savelyeva Anna")],
                                 world["places"]["stepanakert"]).members.values_list("person_id", flat=True)
    for given in ("Oleg", "Pyotr", "Igor", "Denis", "Ilya"):
        PersonName.objects.create(person=Person.objects.create(), full_name=f"Savelyev {given}", is_primary=True)
    visible = Person.objects.visible_to(users["returns_officer"]).current().order_by("-id")
    searched = services.search(visible, services.PERSON, "Savelyev")
    paginator = Capped(searched, 50)
    assert set(paginator._ids) == set(members)  # the ranking itself was restricted, not the full query run
    assert _pages(paginator) == _pages(Paginator(services.search(visible, services.PERSON, "Savelyev"), 50))
    assert paginator.count == 2 and not paginator.more
