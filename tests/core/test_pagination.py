"""Long lists page with first, previous, a page number to jump to, next and last (issue 17: the people list's
paging was "1 / 1016 · next" only)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_people_list_offers_first_last_and_a_page_to_jump_to(client_for, monkeypatch):
    from django.core import paginator

    # Fifty people a page; a page of one person makes a few pages from the core world's accounts alone.
    monkeypatch.setattr(paginator.Paginator, "__init__", _small_pages(paginator.Paginator.__init__))
    from peaceops.core.models import Person

    for _n in range(3):
        Person.objects.create(sex="F")
    html = client_for("coordinator").get("/people/?page=2").content.decode()
    assert 'rel="first"' in html and 'rel="last"' in html and 'name="page"' in html
    assert 'value="2"' in html


def _small_pages(init):
    def small(self, object_list, per_page, *args, **kwargs):
        init(self, object_list, 1, *args, **kwargs)

    return small
