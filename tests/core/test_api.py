"""The REST API: tokens that expire, the same rules as the UI, clear errors, an offline schema."""

import datetime as dt

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from peaceops.api import tokens
from peaceops.core import mission
from peaceops.core.models import Place, Source, SourceReport

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_good_credentials_and_refused_for_bad():
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "analyst", "password": "peaceops-demo"}, format="json")
    assert response.status_code == 200 and response.data["token"] and response.data["expires"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert client.get("/api/places/").status_code == 200
    bad = APIClient().post("/api/auth/token/", {"username": "analyst", "password": "wrong"}, format="json")
    assert bad.status_code == 400 and "do not match" in bad.data["detail"]


def test_forged_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "f" * 40)
    response = client.get("/api/places/")
    assert response.status_code == 401 and "Invalid token" in response.data["detail"]


def test_expired_token_is_refused_with_a_way_forward(users):
    token, plain = tokens.issue(users["analyst"])
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    response = client.get("/api/places/")
    assert response.status_code == 401 and "/api/auth/token/" in response.data["detail"]
    assert not AuthToken.objects.filter(pk=token.pk).exists()  # an expired token is forgotten


def test_token_lifetime_follows_the_setting():
    response = APIClient().post("/api/auth/token/", {"username": "analyst", "password": "peaceops-demo"},
                                format="json")
    issued, expires = (dt.datetime.fromisoformat(response.data[k]) for k in ("issued", "expires"))
    assert abs((expires - issued) - dt.timedelta(hours=72)) < dt.timedelta(seconds=5)


def test_search_and_resolve_in_any_script(api_for):
    client = api_for("monitor")
    names = [p["name"] for p in client.get("/api/places/", {"q": "Шуша"}).data["results"]]
    assert names[0] == "Shushi / Shusha" and all(name.startswith("Shushi / Shusha") for name in names)
    resolved = client.get("/api/places/resolve/", {"name": "Xankəndi"})
    assert resolved.status_code == 200 and resolved.data["name"] == "Stepanakert / Khankendi"
    unknown = client.get("/api/places/resolve/", {"name": "Atlantis"})
    assert unknown.status_code == 404 and "Atlantis" in unknown.data["detail"]


def test_malformed_or_out_of_region_coordinates_are_refused_and_nothing_is_written(api_for):
    client = api_for("analyst")
    before = Place.objects.count()
    for lat, lon, message in [("39,8a", "46.7", "not a number"), ("46.75", "39.81", "swapped")]:
        response = client.post("/api/places/", {"name": "Misplaced", "kind": "settlement", "latitude": lat,
                                                "longitude": lon}, format="json")
        assert response.status_code == 400
        assert message in str(response.data)
    assert Place.objects.count() == before
    good = client.post("/api/places/", {"name": "Well placed", "kind": "settlement", "latitude": "39,7",
                                        "longitude": "46.8"}, format="json")
    assert good.status_code == 201 and good.data["latitude"] == 39.7


def test_only_editors_write_the_gazetteer(api_for):
    response = api_for("monitor").post("/api/places/", {"name": "X", "kind": "settlement"}, format="json")
    assert response.status_code == 403


def test_ambiguous_alias_is_a_field_error(api_for):
    goris = Place.objects.get(name="Goris")
    response = api_for("analyst").post(f"/api/places/{goris.pk}/aliases/", {"name": "Lachin", "language": "en"},
                                       format="json")
    assert response.status_code == 400 and "ambiguous" in str(response.data["name"])


def test_monitor_reports_information_and_only_an_analyst_grades_it(api_for):
    source = Source.objects.get(kind="patrol")
    created = api_for("monitor").post("/api/source-reports/", {
        "source": source.pk, "received_at": "2020-12-12T08:00:00Z", "summary": "Small-arms fire heard"},
        format="json")
    assert created.status_code == 201 and created.data["grade"] == "A6"
    url = f"/api/source-reports/{created.data['id']}/grade/"
    assert api_for("monitor").post(url, {"reliability": "B", "credibility": 2}, format="json").status_code == 403
    bad = api_for("analyst").post(url, {"reliability": "G", "credibility": 7}, format="json")
    assert bad.status_code == 400 and set(bad.data) == {"detail", "reliability", "credibility"}
    graded = api_for("analyst").post(url, {"reliability": "B", "credibility": 2, "note": "Two posts heard it"},
                                     format="json")
    assert graded.status_code == 200 and graded.data["grade"] == "B2"
    assert SourceReport.objects.get(pk=created.data["id"]).graded_by.username == "analyst"


def test_schema_and_docs_are_served_from_the_project(client_for):
    client = client_for("analyst")
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/places/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs and "cdn" not in docs.lower()


def test_pagination_and_filtering(api_for):
    data = api_for("analyst").get("/api/places/", {"kind": "observation_post"}).data
    assert data["count"] == 23 and len(data["results"]) == 23


def test_place_representation_equals_drf_own_field_by_field_output(world):
    """PlaceSerializer writes its read output by hand for speed; it must stay what DRF's fields would give."""
    from rest_framework import serializers

    from peaceops.core.serializers import PlaceSerializer

    place = Place.objects.filter(aliases__isnull=False, latitude__isnull=False).exclude(parent=None).first()
    unnamed = Place.objects.create(name="Synthetic hamlet", kind=place.kind)  # no coordinates, no aliases
    for instance in (place, unnamed):
        serializer = PlaceSerializer(instance)
        reference = serializers.ModelSerializer.to_representation(serializer, instance)
        reference["latitude"] = float(instance.latitude) if instance.latitude is not None else None
        reference["longitude"] = float(instance.longitude) if instance.longitude is not None else None
        fast = serializer.data
        assert list(fast) == list(reference) and fast == reference
    assert PlaceSerializer(place).data["aliases"]


def test_place_pages_are_reused_until_the_gazetteer_changes(api_for, django_assert_max_num_queries):
    """Gazetteer pages are cached per process, keyed by the gazetteer's stamp: every write shows at once."""
    analyst = api_for("analyst")
    first = analyst.get("/api/places/", {"kind": "settlement"}).data
    mission.current()  # the mission is read once per process, not per request
    with django_assert_max_num_queries(4):  # token, capability, the stamp's two aggregates: no page queries
        again = analyst.get("/api/places/", {"kind": "settlement"}).data
    assert again == first

    goris = Place.objects.get(name="Goris")
    added = analyst.post(f"/api/places/{goris.pk}/aliases/", {"name": "Gorisi", "language": "en"}, format="json")
    assert added.status_code == 201
    listed = {p["name"]: p for p in analyst.get("/api/places/", {"kind": "settlement"}).data["results"]}
    assert "Gorisi" in {a["name"] for a in listed["Goris"]["aliases"]}

    renamed = analyst.patch(f"/api/places/{goris.pk}/", {"name": "Goris town"}, format="json", HTTP_IF_MATCH="*")
    assert renamed.status_code == 200
    names = {p["name"] for p in analyst.get("/api/places/", {"kind": "settlement"}).data["results"]}
    assert "Goris town" in names and "Goris" not in names

    created = analyst.post("/api/places/", {"name": "New hamlet", "kind": "settlement"}, format="json")
    assert created.status_code == 201
    after = analyst.get("/api/places/", {"kind": "settlement"}).data
    assert after["count"] == first["count"] + 1


def test_a_cached_place_page_is_still_refused_without_the_capability(api_for, client):
    assert api_for("analyst").get("/api/places/").status_code == 200
    assert client.get("/api/places/").status_code in (401, 403)
