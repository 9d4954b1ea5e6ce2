"""The people page's name search pages without ranking or counting every bearer of a common name (issue 15,
item 5's speed): `NamePaginator` ranks from the key index and counts up to a cap, with the same rows in the same
order as ranking every match."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db.models import Q

from peaceops.core.models import Person, PersonName
from peaceops.search import services
from peaceops.search.paging import NamePaginator

pytestmark = pytest.mark.django_db


def _person(name: str) -> Person:
    person = Person.objects.create(sex="M", birth_year=1980)
    PersonName.objects.create(person=person, full_name=name, is_primary=True)
    return person


@pytest.fixture
def savelyevs():
    # Written in the typed spelling (exact form) first, so that ranking by id alone would put them last.
    latin = [_person(f"Savelyev {given}") for given in ("Ivan", "Oleg", "Pyotr")]
    cyrillic = [_person(f"Савельев {given}") for given in ("Игорь", "Олег", "Пётр", "Иван", "Денис")]
    _person("Соколов Игорь")
    return latin, cyrillic


def _searched(query: str, order: str = "-id"):
    return services.search(Person.objects.current().order_by(order), services.PERSON, query)


def _pages(paginator) -> list[list[int]]:
    return [[p.pk for p in paginator.page(n).object_list] for n in paginator.page_range]


class Capped(NamePaginator):
    cap = 4


def test_exact_forms_first_then_by_id_the_same_pages_as_ranking_every_match(savelyevs):
    latin, cyrillic = savelyevs
    pages = _pages(NamePaginator(_searched("Savelyev"), 3))
    assert pages == _pages(Paginator(_searched("Savelyev"), 3))
    assert sum(pages, []) == [p.pk for p in reversed(latin)] + [p.pk for p in reversed(cyrillic)]
    assert NamePaginator(_searched("Savelyev"), 3).count == 8


def test_more_than_the_cap_is_counted_as_the_cap_and_said(savelyevs):
    latin, cyrillic = savelyevs
    paginator = Capped(_searched("Savelyev"), 3)
    assert paginator.count == 4 and paginator.more and paginator.num_pages == 2
    assert _pages(paginator) == [[p.pk for p in reversed(latin)], [cyrillic[-1].pk]]
    exact = Capped(_searched("Savelyev Ivan"), 3)
    assert exact.count == 2 and not exact.more


def test_matches_left_out_by_the_queryset_do_not_change_the_page(savelyevs):
    # The first ranked ids are no longer current: the paginator must reach past them, as the full query does.
    latin, cyrillic = savelyevs
    Person.objects.filter(pk__in=[p.pk for p in latin] + [cyrillic[-1].pk]).update(withdrawn_at="2020-12-01T00:00Z")
    paginator = Capped(_searched("Savelyev"), 2)
    assert not paginator.more and paginator.count == 4
    assert _pages(paginator) == _pages(Paginator(_searched("Savelyev"), 2))
    assert sum(_pages(paginator), []) == [p.pk for p in reversed(cyrillic[:-1])]


def test_another_order_or_a_search_with_another_condition_is_paged_in_full(savelyevs):
    by_year = NamePaginator(_searched("Savelyev", "birth_year"), 3)
    assert by_year.count == 8 and _pages(by_year) == _pages(Paginator(_searched("Savelyev", "birth_year"), 3))
    also = services.search(Person.objects.current().order_by("-id"), services.PERSON, "Savelyev",
                           also=Q(pk=savelyevs[0][0].pk))
    assert Capped(also, 3).count == 8 and not Capped(also, 3).more


def test_people_page_says_more_than_the_cap(client_for, savelyevs, monkeypatch):
    monkeypatch.setattr(NamePaginator, "cap", 4)
    body = client_for("coordinator").get("/people/", {"q": "Savelyev"}).content.decode()
    assert "More than 4 people match" in body and "Savelyev Pyotr" in body
    body = client_for("coordinator").get("/people/", {"q": "Savelyev Ivan"}).content.decode()
    assert "More than" not in body and "Савельев Иван" in body


def test_a_search_filtered_further_keeps_the_filter(savelyevs):
    # The rows of the ranked ids are read without the name condition: never without a filter added afterwards.
    latin, cyrillic = savelyevs
    Person.objects.filter(pk__in=[p.pk for p in cyrillic[:2]]).update(birth_year=1950)
    narrowed = _searched("Savelyev").filter(birth_year=1950)
    assert _pages(NamePaginator(narrowed, 3)) == [[cyrillic[1].pk, cyrillic[0].pk]]
