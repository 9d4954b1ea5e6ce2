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



@pytest.mark.parametrize(("address", "kept"), [
    ("/audit/?action=login&page=2", "action=login&amp;page=1"),
    ("/ceasefire/incidents/?status=reported&page=2", "status=reported&amp;page=1"),
    ("/places/?kind=settlement&page=2", "kind=settlement&amp;page=1"),
])
def test_other_long_lists_share_the_paging_and_keep_their_filters(client_for, users, world, monkeypatch, address,
                                                                  kept):
    """Each list had its own "previous · 3 / 40 · next" (some without the count, some dropping the filters)."""
    import datetime as dt

    from django.core import paginator

    from peaceops.ceasefire import services

    when = dt.datetime(2020, 12, 12, 10, tzinfo=dt.UTC)
    for _n in range(2):
        services.file_incident(users["monitor"], {
            "occurred_from": when, "occurred_to": when, "incident_type": "shelling", "sub_type": "mortar",
            "time_precision": "minute", "place": world["places"]["martuni"]},
            [(world["sources"]["observation_post"], "test report")])
    monkeypatch.setattr(paginator.Paginator, "__init__", _small_pages(paginator.Paginator.__init__))
    client = client_for("coordinator")
    client_for("analyst")  # a second sign-in: two login events at least
    response = client.get(address)
    assert response.status_code == 200, address
    html = response.content.decode()
    assert 'rel="prev"' in html and 'name="page"' in html, address  # page 2: first, previous, the page form
    assert f'href="?{kept}" rel="first"' in html, address


# Lists still paging by hand, in the returns and field-forms apps (another engineer's work at the time): to move
# to the shared include with the next change there.
HAND_PAGED = {"returns/convoy_list.html", "returns/household_list.html", "returns/duplicate_list.html",
              "fieldforms/queue.html"}


def test_every_paged_list_uses_the_shared_include():
    from pathlib import Path

    import peaceops

    by_hand = {f"{path.parent.name}/{path.name}" for path in Path(peaceops.__file__).parent.rglob("templates/**/*.html")
               if "page.has_next" in path.read_text(encoding="utf-8") and path.name != "_pagination.html"}
    assert by_hand == HAND_PAGED
