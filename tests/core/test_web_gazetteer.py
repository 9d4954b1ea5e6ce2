"""Gazetteer and grading through the web UI, including the bad-input paths."""

import pytest

from peaceops.core.models import Place, Source

pytestmark = pytest.mark.django_db


def test_search_page_resolves_an_alias_in_another_script(client_for):
    response = client_for("monitor").get("/places/", {"q": "Ստեփանակերտ"})
    assert "Stepanakert / Khankendi" in response.content.decode()
    assert "resolves to" in response.content.decode()


def test_htmx_search_returns_only_the_results_fragment(client_for):
    response = client_for("monitor").get("/places/", {"q": "Лачин"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Berdzor / Lachin" in body and "<html" not in body


def test_adding_an_ambiguous_alias_shows_the_reason_and_writes_nothing(client_for):
    goris = Place.objects.get(name="Goris")
    before = goris.aliases.count()
    response = client_for("analyst").post(f"/places/{goris.pk}/", {"name": "Şuşa", "language": "az",
                                                                    "kind": "official"})
    assert response.status_code == 200 and "already names Shushi / Shusha" in response.content.decode()
    assert goris.aliases.count() == before


def test_monitor_cannot_add_aliases(client_for):
    goris = Place.objects.get(name="Goris")
    response = client_for("monitor").post(f"/places/{goris.pk}/", {"name": "Gorus2", "language": "az"})
    assert response.status_code == 403


def test_place_form_refuses_swapped_coordinates(client_for):
    response = client_for("analyst").post("/places/new/", {"name": "Swapped", "kind": "settlement",
                                                           "latitude": "46.7", "longitude": "39.8"})
    assert "swapped" in response.content.decode() and not Place.objects.filter(name="Swapped").exists()


def test_grading_in_the_web_ui(client_for):
    source = Source.objects.get(kind="media")
    client_for("monitor").post(f"/sources/{source.pk}/", {"received_at": "2020-11-21T12:00",
                                                          "summary": "Report of shelling"})
    report = source.reports.get()
    assert report.grade == "D6"
    response = client_for("analyst").post(f"/information/{report.pk}/grade/",
                                          {"reliability": "C", "credibility": "3", "note": "plausible"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.grade == "C3"
    assert client_for("monitor").post(f"/information/{report.pk}/grade/",
                                      {"reliability": "A", "credibility": "1"}).status_code == 403


def test_unknown_ids_are_404(client_for):
    client = client_for("analyst")
    assert client.get("/places/999999/").status_code == 404
    assert client.get("/sources/999999/").status_code == 404
