"""Every role × every core page and endpoint: allowed roles get the page, others a 404 (never a hint)."""

import pytest

from peaceops.core.models import Person, PersonName, Place, Source
from peaceops.core.roles import ROLES, can

pytestmark = pytest.mark.django_db


def _pages():
    place = Place.objects.get(name="Goris")
    source = Source.objects.first()
    person = Person.objects.create(sex="F", birth_year=1980)
    PersonName.objects.create(person=person, full_name="Անի Սարգսյան", is_primary=True)
    from django.contrib.auth.models import User

    # Recorded by the monitor: monitors see their own items of information only (and may not grade them).
    report = source.reports.create(received_at="2020-11-21T10:00:00Z", summary="Convoy passed", reliability="B",
                                   reported_by=User.objects.get(username="monitor"))
    return [
        ("/places/", "core.view_gazetteer"),
        (f"/places/{place.pk}/", "core.view_gazetteer"),
        ("/places/new/", "core.edit_gazetteer"),
        (f"/places/{place.pk}/edit/", "core.edit_gazetteer"),
        ("/map/", "core.view_map"),
        ("/map/layers/", "core.view_map"),
        ("/places.geojson", "core.view_map"),
        ("/parties/", "core.view_reference"),
        ("/sources/", "core.view_sources"),
        (f"/sources/{source.pk}/", "core.view_sources"),
        (f"/information/{report.pk}/grade/", "core.grade_sources"),
        ("/people/", "core.view_persons"),
        (f"/people/{person.pk}/", "core.view_all_persons"),  # held by no module: coordinators only
        ("/audit/", "core.view_audit"),
        ("/api/places/", "core.view_gazetteer"),
        (f"/api/places/{place.pk}/", "core.view_gazetteer"),
        ("/api/parties/", "core.view_reference"),
        ("/api/organisations/", "core.view_reference"),
        ("/api/sources/", "core.view_sources"),
        ("/api/source-reports/", "core.view_sources"),
        ("/api/persons/", "core.view_persons"),
        (f"/api/persons/{person.pk}/", "core.view_all_persons"),
        ("/api/audit-events/", "core.view_audit"),
    ]


# Pages a role can read but not write answer 403 (the role knows the page exists); unreadable ones 404.
WRITE_ONLY_PAGES = {"core.edit_gazetteer": "core.view_gazetteer", "core.grade_sources": "core.view_sources"}


def test_every_role_sees_exactly_what_its_capabilities_allow(users, client_for):
    pages = _pages()
    for role in ROLES:
        client = client_for(role)
        user = users[role]
        for url, capability in pages:
            status = client.get(url).status_code
            if can(user, capability):
                expected = {200}
            elif capability in WRITE_ONLY_PAGES and can(user, WRITE_ONLY_PAGES[capability]):
                expected = {403}
            else:
                expected = {404}
            assert status in expected, f"{role} GET {url}: {status}, expected {expected}"


def test_the_matrix_matches_the_design_table(users):
    expect = {
        "monitor": {"core.view_sources", "core.report_information"},
        "analyst": {"core.grade_sources", "core.edit_gazetteer"},
        "exchange_officer": {"core.view_persons"},
        "returns_officer": {"core.view_persons"},
        "coordinator": {"core.view_persons", "core.view_audit", "core.view_sources"},
        "admin": {"core.edit_gazetteer", "core.view_audit"},
    }
    for role, capabilities in expect.items():
        for capability in capabilities:
            assert can(users[role], capability), (role, capability)
    for capability in ("core.view_persons", "core.grade_sources"):
        assert not can(users["monitor"], capability)
        assert not can(users["engineer"], capability)
    assert not can(users["admin"], "core.view_persons"), "admins manage users, not case contents"
    assert not any(can(users["public"], c) for c in ("core.view_gazetteer", "core.view_sources", "core.view_persons"))


def test_anonymous_visitors_are_sent_to_log_in_and_the_api_refuses_them(client):
    response = client.get("/places/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/places/").status_code in (401, 403)
    assert client.get("/").status_code == 200  # the public page needs no login


def test_public_role_lands_on_the_public_page(client_for):
    response = client_for("public").get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_navigation_shows_only_permitted_entries(client_for):
    monitor_page = client_for("monitor").get("/dashboard/").content.decode()
    assert 'href="/sources/"' in monitor_page and 'href="/people/"' not in monitor_page
    exchange_page = client_for("exchange_officer").get("/dashboard/").content.decode()
    assert 'href="/people/"' in exchange_page and 'href="/sources/"' not in exchange_page
