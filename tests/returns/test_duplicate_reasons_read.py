"""What an officer reads among a duplicate pair's reasons: levels in the interface language, the birthplace by its
name (the page showed "place-23" and, in Russian, "exact (after transliteration)")."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_duplicates_page_reads_its_levels_in_russian(users, client_for):
    from peaceops.core.models import Person
    from peaceops.returns.models import DuplicateProposal

    a, b = Person.objects.create(sex="M"), Person.objects.create(sex="M")
    DuplicateProposal.objects.create(left=a, right=b, probability=0.95, explanation=[
        {"field": "surname", "level": "exact (after transliteration)", "weight": 9.0, "agrees": True, "left": "x",
         "right": "x"}])
    page = client_for("returns_officer").get("/returns/duplicates/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "совпадает (после транслитерации)" in page and "exact (after transliteration)" not in page


def test_the_duplicates_page_names_the_birthplace_not_its_key(users, client_for, world):
    from peaceops.core.models import Person
    from peaceops.returns.models import DuplicateProposal

    place = world["places"]["stepanakert"]
    a, b = Person.objects.create(sex="M"), Person.objects.create(sex="M")
    DuplicateProposal.objects.create(left=a, right=b, probability=0.95, explanation=[
        {"field": "birth_place", "level": "same place (aliases resolved)", "weight": 3.2, "agrees": True,
         "left": f"place-{place.pk}", "right": f"place-{place.pk}"}])
    page = client_for("returns_officer").get("/returns/duplicates/").content.decode()
    assert f"place-{place.pk}" not in page and page.count(f"<td>{place.name}</td>") == 2
