"""Pages and API: permissions per role, field errors, the workflow end to end, map layer, chart."""

from __future__ import annotations

import pytest

from peaceops.ceasefire.models import Incident, Status
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db

FORM = {"occurred_from": "2020-12-12T10:00", "time_precision": "minute", "place_name": "Гадрут",
        "location_precision": "near", "incident_type": "shelling", "sub_type": "mortar",
        "killed_civilian": 0, "killed_military": 0, "killed_unknown": 0, "injured_civilian": 0,
        "injured_military": 0, "injured_unknown": 0}


def _form(world, **changes):
    data = dict(FORM, source=world["sources"]["observation_post"].pk)
    data.update(changes)
    return data


def test_monitor_files_from_the_web_form(client_for, world):
    response = client_for("monitor").post("/ceasefire/incidents/new/", _form(world))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.place == world["places"]["hadrut"] and incident.reported_by.username == "monitor"
    assert incident.occurred_from == local(2020, 12, 12, 10)


@pytest.mark.parametrize("changes, field", [
    ({"place_name": "Atlantis"}, "place_name"),
    ({"occurred_to": "2020-12-12T09:00"}, "occurred_to"),
    ({"killed_military": -2}, "killed_military"),
    ({"sub_type": "sniper"}, "sub_type"),
    ({"place_name": "", "latitude": "46.7", "longitude": "39.8"}, "latitude"),  # swapped
])
def test_form_errors_show_on_their_field_and_nothing_is_written(client_for, world, changes, field):
    response = client_for("monitor").post("/ceasefire/incidents/new/", _form(world, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Incident.objects.exists()


@pytest.mark.parametrize("role", ["returns_officer", "exchange_officer", "engineer", "public", "admin"])
def test_other_roles_get_404(client_for, role, file):
    incident = file()
    client = client_for(role)
    for url in ("/ceasefire/incidents/", f"/ceasefire/incidents/{incident.pk}/", "/ceasefire/counts/",
                "/ceasefire/incidents.geojson", "/ceasefire/review/"):
        assert client.get(url).status_code == 404, url


def test_monitor_cannot_claim_or_verify_and_sees_only_own(client_for, file, users):
    mine = file(user="monitor")
    theirs = file(user="analyst")
    monitor = client_for("monitor")
    assert monitor.post(f"/ceasefire/incidents/{mine.pk}/claim/").status_code == 403
    assert monitor.post(f"/ceasefire/incidents/{mine.pk}/decide/",
                        {"outcome": "verified", "rationale": "x"}).status_code == 403
    assert monitor.get(f"/ceasefire/incidents/{theirs.pk}/").status_code == 404
    listed = [i.pk for i in monitor.get("/ceasefire/incidents/").context["page"].object_list]
    assert listed == [mine.pk]
    assert Incident.objects.get(pk=mine.pk).status == Status.REPORTED


def test_coordinator_reads_but_cannot_file_or_review(client_for, file, world):
    incident = file()
    coordinator = client_for("coordinator")
    assert coordinator.get(f"/ceasefire/incidents/{incident.pk}/").status_code == 200
    assert coordinator.post("/ceasefire/incidents/new/", _form(world)).status_code == 403
    assert coordinator.post(f"/ceasefire/incidents/{incident.pk}/claim/").status_code == 403


def test_analyst_claims_and_decides_on_the_page(client_for, file):
    incident = file()
    analyst = client_for("analyst")
    analyst.post(f"/ceasefire/incidents/{incident.pk}/claim/")
    page = client_for("coordinator").get(f"/ceasefire/incidents/{incident.pk}/")
    assert "under review by analyst" in page.content.decode()
    response = analyst.post(f"/ceasefire/incidents/{incident.pk}/decide/", {"outcome": "verified", "rationale": ""})
    assert response.status_code == 400 and response.context["form"].errors["rationale"]
    analyst.post(f"/ceasefire/incidents/{incident.pk}/decide/", {"outcome": "verified", "rationale": "Seen."})
    assert Incident.objects.get(pk=incident.pk).status == Status.VERIFIED


def test_detail_proposes_duplicates_and_merge_from_the_page(client_for, file):
    a = file("martuni", local(2020, 12, 20, 14))
    b = file("martuni", local(2020, 12, 20, 15), source="patrol")
    analyst = client_for("analyst")
    page = analyst.get(f"/ceasefire/incidents/{a.pk}/")
    assert [p.incident.pk for p in page.context["proposals"]] == [b.pk]
    response = analyst.post(f"/ceasefire/incidents/{a.pk}/merge/", {"duplicates": [b.pk], "rationale": "Same."})
    assert response.status_code == 302
    assert Incident.objects.get(pk=b.pk).merged_into_id == a.pk


def test_counts_page_chart_and_map_layer(client_for, file, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    file("martuni", local(2020, 12, 12, 10))
    analyst = client_for("analyst")
    page = analyst.get("/ceasefire/counts/?day=2020-12-12")
    assert page.status_code == 200 and "at least 1 violation" in page.content.decode()
    chart = analyst.get("/ceasefire/counts/chart.svg?from=2020-12-01&to=2020-12-31")
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    layers = analyst.get("/map/layers/").json()["layers"]
    layer = next(spec for spec in layers if spec["key"] == "ceasefire_incidents")
    features = analyst.get(layer["url"] + "?from=2020-12-01").json()["features"]
    assert len(features) == 1 and features[0]["properties"]["url"].startswith("/ceasefire/incidents/")


def test_public_sees_no_incident_anywhere(client_for, file, api_for):
    file()
    assert client_for("public").get("/ceasefire/incidents.geojson").status_code == 404
    assert api_for("public").get("/api/ceasefire/incidents/").status_code == 404


def test_api_files_with_place_name_and_sources(api_for, world):
    body = {"occurred_from": "2020-12-12T10:00:00+04:00", "place_name": "Hadrut", "incident_type": "shelling",
            "sub_type": "artillery", "sources_in": [{"source": world["sources"]["patrol"].pk, "summary": "Seen"}]}
    response = api_for("monitor").post("/api/ceasefire/incidents/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "reported" and response.json()["sources"][0]["grade"] == "A6"


@pytest.mark.parametrize("changes, field", [
    ({"place_name": "Atlantis"}, "place_name"),
    ({"occurred_to": "2020-12-12T09:00:00+04:00"}, "occurred_to"),
    ({"killed_civilian": -1}, "killed_civilian"),
    ({"sub_type": "strike"}, "sub_type"),
    ({"latitude": "55.7", "longitude": "37.6"}, "latitude"),
    ({"sources_in": []}, "sources"),
])
def test_api_bad_input_is_a_field_error(api_for, world, changes, field):
    body = {"occurred_from": "2020-12-12T10:00:00+04:00", "place_name": "Hadrut", "incident_type": "shelling",
            "sub_type": "artillery", "sources_in": [{"source": world["sources"]["patrol"].pk}]}
    body.update(changes)
    response = api_for("monitor").post("/api/ceasefire/incidents/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Incident.objects.exists()


def test_api_workflow_and_monitor_cannot_verify(api_for, file):
    incident = file()
    url = f"/api/ceasefire/incidents/{incident.pk}"
    assert api_for("monitor").post(f"{url}/claim/").status_code == 403
    analyst = api_for("analyst")
    assert analyst.post(f"{url}/claim/").json()["claimed_by"] == "analyst"
    response = analyst.post(f"{url}/decide/", {"outcome": "refuted", "rationale": ""}, format="json")
    assert response.status_code == 400 and "rationale" in response.json()
    response = analyst.post(f"{url}/decide/", {"outcome": "refuted", "rationale": "Exercise."}, format="json")
    assert response.json()["status"] == "refuted"
    assert [s["action"] for s in response.json()["steps"]] == ["filed", "claimed", "refuted"]


def test_api_merge_incompatible_is_refused(api_for, file):
    a = file("martuni", local(2020, 12, 20, 14))
    b = file("martuni", local(2020, 12, 20, 14), incident_type="drone", sub_type="strike")
    response = api_for("analyst").post(f"/api/ceasefire/incidents/{a.pk}/merge/",
                                       {"duplicates": [b.pk], "rationale": "same"}, format="json")
    assert response.status_code == 400 and "duplicates" in response.json()
    assert Incident.objects.get(pk=b.pk).merged_into is None


def test_api_counts_and_patrols(api_for, file, world):
    file("martuni", local(2020, 12, 12, 10))
    data = api_for("coordinator").get("/api/ceasefire/incidents/counts/?from=2020-12-11&to=2020-12-13").json()
    assert [d["total"] for d in data["days"]] == [0, 1, 0] and data["running_total"] == 1
    response = api_for("monitor").post("/api/ceasefire/patrols/", {
        "route_name": "Martuni loop", "route": ["Stepanakert", "Martuni", "OP-09"],
        "started_at": "2020-12-12T08:00:00+04:00"}, format="json")
    assert response.status_code == 201, response.json()
    assert [s["name"] for s in response.json()["stops"]][1] == "Martuni / Khojavend"
    bad = api_for("monitor").post("/api/ceasefire/patrols/", {"route_name": "x", "route": ["Atlantis", "Martuni"],
                                                              "started_at": "2020-12-12T08:00:00+04:00"},
                                  format="json")
    assert bad.status_code == 400 and "route" in bad.json()
    assert api_for("analyst").post("/api/ceasefire/post-logs/", {}, format="json").status_code == 403
