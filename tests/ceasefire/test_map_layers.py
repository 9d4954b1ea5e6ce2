"""Issue 17 item 4, the operational map: editable line of contact and areas of responsibility (analysts only,
audited, every version kept), which posts could have seen an impact, patrol tracks, incidents for the time
slider and heat map, the offline base layer and the opening view on the area of operations."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from peaceops.ceasefire import layers
from peaceops.ceasefire.models import FeatureKind, MapFeature, Patrol, PatrolStop
from peaceops.core import basemap
from peaceops.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LINE = {"type": "LineString", "coordinates": [[46.90, 40.20], [46.96, 40.09], [46.93, 40.02]]}
AREA = {"type": "Polygon", "coordinates": [[[46.6, 39.9], [46.9, 39.9], [46.9, 40.2], [46.6, 40.2]]]}


def _save(client, body):
    return client.post(reverse("ceasefire:feature_save"), json.dumps(body), content_type="application/json")


def test_an_analyst_draws_a_line_of_contact_and_changes_it_with_history(client_for, users):
    analyst = client_for("analyst")
    response = _save(analyst, {"kind": "line_of_contact", "name": "Northern section", "geometry": LINE})
    assert response.status_code == 201, response.content
    feature = MapFeature.objects.get(pk=response.json()["properties"]["id"])
    assert feature.created_by == users["analyst"]
    moved = {"type": "LineString", "coordinates": [[46.91, 40.21], [46.96, 40.09]]}
    response = _save(analyst, {"id": feature.pk, "revision": feature.revision, "geometry": moved,
                               "name": "Northern section"})
    assert response.status_code == 200, response.content
    feature.refresh_from_db()
    assert feature.geometry["coordinates"][0] == [46.91, 40.21]
    assert feature.history.count() == 2
    assert AuditEvent.objects.filter(model="ceasefire.MapFeature", object_id=str(feature.pk)).count() >= 2
    # The layer serves it, with how to edit it for the analyst only.
    data = analyst.get(reverse("ceasefire:features_geojson") + "?kind=line_of_contact").json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Northern section"]
    assert data["editable"]["draw"] == "line"
    seen = client_for("engineer").get(reverse("ceasefire:features_geojson") + "?kind=line_of_contact").json()
    assert len(seen["features"]) == 1 and "editable" not in seen
    assert "editable" not in seen["features"][0]["properties"]


def test_a_stale_edit_is_refused_and_retiring_keeps_the_record(client_for):
    analyst = client_for("analyst")
    created = _save(analyst, {"kind": "area_of_responsibility", "name": "Sector A", "geometry": AREA}).json()
    pk, revision = created["properties"]["id"], created["properties"]["revision"]
    assert _save(analyst, {"id": pk, "revision": revision, "name": "Sector A1", "geometry": AREA}).status_code == 200
    assert _save(analyst, {"id": pk, "revision": revision, "name": "Sector A2",
                           "geometry": AREA}).status_code == 409
    assert MapFeature.objects.get(pk=pk).name == "Sector A1"
    retire = analyst.post(reverse("ceasefire:feature_retire", args=[pk]), json.dumps({}),
                          content_type="application/json")
    assert retire.status_code == 200
    feature = MapFeature.objects.get(pk=pk)
    assert feature.retired_at is not None and feature.history.count() == 3
    data = analyst.get(reverse("ceasefire:features_geojson") + "?kind=area_of_responsibility").json()
    assert pk not in [f["properties"]["id"] for f in data["features"]]


@pytest.mark.parametrize("role", ["monitor", "coordinator", "engineer", "admin"])
def test_only_analysts_edit_the_layers(client_for, role):
    response = _save(client_for(role), {"kind": "line_of_contact", "name": "x", "geometry": LINE})
    assert response.status_code == 403
    assert not MapFeature.objects.exists()


@pytest.mark.parametrize("geometry, message", [
    ({"type": "Point", "coordinates": [46.9, 40.0]}, "LineString"),
    ({"type": "LineString", "coordinates": [[46.9, 40.0]]}, "two vertices"),
    ({"type": "LineString", "coordinates": [[46.9, 40.0], [10.0, 10.0]]}, "outside"),
    ({"type": "LineString", "coordinates": [["a", 40.0], [46.9, 40.1]]}, "pair"),
])
def test_bad_geometry_is_refused(users, geometry, message):
    with pytest.raises(ValidationError) as info:
        layers.save_feature(users["analyst"], FeatureKind.LINE_OF_CONTACT, "x", geometry)
    assert message in " ".join(info.value.messages)


def test_a_polygon_ring_is_closed_and_needs_three_vertices(users):
    feature = layers.save_feature(users["analyst"], FeatureKind.AREA_OF_RESPONSIBILITY, "S", AREA)
    ring = feature.geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    with pytest.raises(ValidationError):
        layers.save_feature(users["analyst"], FeatureKind.AREA_OF_RESPONSIBILITY, "S",
                            {"type": "Polygon", "coordinates": [[[46.6, 39.9], [46.9, 39.9], [46.6, 39.9]]]})


def test_which_posts_could_have_seen_an_impact(world, client_for, file, settings):
    settings.PEACEOPS_OP_VIEW_KM = 6
    op10 = world["places"]["op10"]  # 39.842, 47.088
    found = layers.posts_in_view(39.842, 47.088)
    names = [post.name for post, _km in found]
    assert names[0] == op10.name and found[0][1] == 0
    assert all(km <= 6 for _post, km in found) and len(found) >= 2
    assert layers.posts_in_view(40.9, 45.0) == []
    # On the map…
    data = client_for("engineer").get(reverse("ceasefire:posts_near") + "?lat=39.842&lon=47.088").json()
    assert data["km"] == 6 and data["posts"][0]["name"] == op10.name
    assert client_for("analyst").get(reverse("ceasefire:posts_near") + "?lat=x").status_code == 400
    # …and on the incident's page.
    incident = file("op10")
    page = client_for("analyst").get(reverse("ceasefire:incident_detail", args=[incident.pk])).content.decode()
    assert "posts-in-view" in page and op10.name in page


def test_patrol_tracks_one_line_per_route(users, world, client_for):
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime(2020, 12, 1, 9))
    for day in range(3):
        patrol = Patrol.objects.create(route_name="Route A", started_at=start + dt.timedelta(days=day),
                                       created_by=users["monitor"])
        for order, key in enumerate(["stepanakert", "askeran", "op05"], 1):
            PatrolStop.objects.create(patrol=patrol, order=order, place=world["places"][key])
    data = client_for("analyst").get(reverse("ceasefire:patrol_tracks")).json()
    assert len(data["features"]) == 1
    track = data["features"][0]
    assert track["geometry"]["type"] == "LineString" and len(track["geometry"]["coordinates"]) == 3
    assert track["properties"]["count"] == 3 and track["properties"]["first"] == "2020-12-01"
    assert client_for("engineer").get(reverse("ceasefire:patrol_tracks")).status_code == 404


def test_incidents_for_the_time_slider_and_heat_map(client_for, file):
    from tests.ceasefire.conftest import local

    file("martuni", when=local(2020, 12, 12, 10))
    file("hadrut", when=local(2021, 2, 20, 10))  # more than 30 days apart: "period=all" keeps both
    data = client_for("analyst").get(reverse("ceasefire:incidents_geojson") + "?period=all").json()
    assert data["timeline"] and data["heat"]
    assert sorted(f["properties"]["date"] for f in data["features"]) == ["2020-12-12", "2021-02-20"]
    recent = client_for("analyst").get(reverse("ceasefire:incidents_geojson")).json()
    assert len(recent["features"]) == 1


def test_the_map_lists_the_new_layers_and_opens_on_the_area_of_operations(client_for):
    from peaceops.core import mission
    from peaceops.core.models import Mission

    mission.save(Mission.objects.get(active=True), {"south": "39.6", "west": "46.5", "north": "40.2", "east": "47.2"})
    page = client_for("analyst").get(reverse("core:map")).content.decode()
    assert 'data-bounds="39.6,46.5,40.2,47.2"' in page
    keys = [layer["key"] for layer in client_for("analyst").get(reverse("core:map_layers")).json()["layers"]]
    assert {"line_of_contact", "areas_of_responsibility", "patrol_tracks", "post_buffers",
            "ceasefire_incidents"} <= set(keys)
    engineer = [layer["key"] for layer in client_for("engineer").get(reverse("core:map_layers")).json()["layers"]]
    assert "line_of_contact" in engineer and "patrol_tracks" not in engineer and "ceasefire_incidents" not in engineer


def test_the_base_layer_is_built_offline_by_one_command(tmp_path, settings, client_for):
    settings.PEACEOPS_BASEMAP_PATH = tmp_path / "basemap.geojson"
    live = client_for("engineer").get(reverse("core:basemap_geojson")).json()
    kinds = {f["properties"]["kind"] for f in live["features"]}
    assert {"frame", "graticule", "district", "district_label", "settlement"} <= kinds
    roads = tmp_path / "roads.geojson"
    roads.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "road"},
         "geometry": {"type": "LineString", "coordinates": [[46.75, 39.81], [46.76, 39.76]]}},
        {"type": "Feature", "properties": {"name": "far away"},
         "geometry": {"type": "LineString", "coordinates": [[30.0, 50.0], [30.1, 50.1]]}}]}))
    call_command("map", "build-basemap", "--add", str(roads))
    built = json.loads(settings.PEACEOPS_BASEMAP_PATH.read_text())
    added = [f["properties"]["name"] for f in built["features"] if f["properties"]["kind"] == "added"]
    assert added == ["road"]  # clipped to the region
    served = client_for("engineer").get(reverse("core:basemap_geojson")).json()
    assert served["built_at"] == built["built_at"]
    assert basemap.area_bounds() == (39.55, 46.40, 40.30, 47.25)  # the demo mission's area


def test_the_demo_world_carries_the_layers(users, world):
    from peaceops.ceasefire import scenario

    class World:
        summary: dict = {}
        users: dict = {}

    scenario.build_map_layers(World())
    assert MapFeature.objects.filter(kind=FeatureKind.LINE_OF_CONTACT).count() == 2
    assert MapFeature.objects.filter(kind=FeatureKind.AREA_OF_RESPONSIBILITY).count() == 3
    names = " ".join(MapFeature.objects.values_list("name", flat=True)).lower()
    for word in ("armenia", "azerbaijan", "artsakh", "occupied", "liberated"):
        assert word not in names


def test_map_names_read_in_the_page_language(client_for):
    """A Russian page shows "Степанакерт / Ханкенди" on the map, not the English canonical name; the offline base
    layer carries every language's district names for map.js to pick from."""
    client = client_for("analyst")
    url = reverse("core:places_geojson") + "?kind=settlement"
    english = {f["properties"]["id"]: f["properties"]["name"] for f in client.get(url).json()["features"]}
    russian = {f["properties"]["id"]: f["properties"]["name"]
               for f in client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["features"]}
    assert "Stepanakert / Khankendi" in english.values()
    assert "Степанакерт / Ханкенди" in russian.values()
    labels = [f["properties"] for f in basemap.build()["features"] if f["properties"]["kind"] == "district_label"]
    assert labels and all("name_ru" in props for props in labels)
    assert any(props["name_ru"] != props["name"] for props in labels)


def test_posts_in_view_are_named_in_the_readers_language(world, client_for, file, settings):
    """A Russian page listed "Observation post 10 (south)" though the gazetteer holds the post's Russian name."""
    from peaceops.core import placenames

    settings.PEACEOPS_OP_VIEW_KM = 6
    placenames.invalidate()
    op10 = world["places"]["op10"]
    with translation.override("ru"):
        russian = str(op10)
    assert russian != op10.name
    client = client_for("analyst")
    client.cookies["django_language"] = "ru"
    incident = file("op10")
    page = client.get(reverse("ceasefire:incident_detail", args=[incident.pk])).content.decode()
    assert f">{russian}</a>" in page
    data = client.get(reverse("ceasefire:posts_near") + "?lat=39.842&lon=47.088").json()
    assert data["posts"][0]["name"] == russian


def test_a_place_with_half_its_coordinates_is_left_off_the_base_layer(world):
    """A place stored with a latitude and no longitude (written around the form's check, which wants both)
    failed the whole base layer on float(None); it is left off, and everything else is drawn."""
    from peaceops.core.models import Place
    from peaceops.core.models.places import PlaceKind

    place = Place.objects.filter(kind=PlaceKind.SETTLEMENT).exclude(latitude=None).order_by("pk").first()
    Place.objects.filter(pk=place.pk).update(longitude=None)
    settlements = {f["properties"]["name"] for f in basemap.build()["features"]
                   if f["properties"]["kind"] == "settlement"}
    assert settlements and place.name not in settlements
