"""Land release end to end: the pages and the API call the services, refuse inconsistent input with the
service's message, and the demo world's history shows in the sitrep and on the dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from peaceops.core.reporting import ReportingPeriod
from peaceops.restoration import sitrep
from peaceops.restoration.models import HazardousArea, LandRelease, MineAccident, RiskEducationSession
from peaceops.restoration.services import land_release, mine_action
from tests.restoration.conftest import D
from tests.restoration.test_land_release import SQUARE
from tests.restoration.test_scenario_sitrep import _world


@pytest.fixture
def area(world):
    return mine_action.save_hazardous_area(HazardousArea(
        code="HA-W1", name="Web field", status="confirmed", hazard="mines", geometry=SQUARE,
        place=world["places"]["shushi"], estimated_area_m2=Decimal(5000), reported_on=D))


def test_release_qa_and_handover_through_the_pages(client_for, area):
    client = client_for("engineer")
    url = f"/restoration/mine-action/areas/{area.pk}/release/"
    form = {"date": D.isoformat(), "method": "clearance", "area": "6000", "unit": "m2", "team": "Team A"}
    response = client.post(url, form)
    assert response.status_code == 200 and "Only 5,000 m² of HA-W1 remain" in response.content.decode()
    assert client.post(url, {**form, "area": "0.3", "unit": "ha"}).status_code == 302
    release = LandRelease.objects.get()
    assert release.area_m2 == 3000
    refused = client.post(f"/restoration/mine-action/releases/{release.pk}/handover/",
                          {"handed_over_on": D.isoformat(), "handed_over_to": "Village council"})
    assert refused.status_code == 400 and "only after it passes quality assurance" in refused.content.decode()
    assert client.post(f"/restoration/mine-action/releases/{release.pk}/qa/", {
        "qa_date": D.isoformat(), "qa_result": "passed", "qa_inspector": "QA officer"}).status_code == 302
    assert client.post(f"/restoration/mine-action/releases/{release.pk}/handover/", {
        "handed_over_on": D.isoformat(), "handed_over_to": "Village council"}).status_code == 302
    page = client_for("analyst").get(f"/restoration/mine-action/areas/{area.pk}/").content.decode()
    assert "Village council" in page
    b = land_release.balance(area)
    assert (b.remaining_m2, b.handed_over_m2) == (2000, 3000)
    overview = client_for("coordinator").get("/restoration/mine-action/?date=2020-11-20")
    assert overview.status_code == 200 and "HA-W1" in overview.content.decode()


def test_readers_may_not_release_land(client_for, area):
    url = f"/restoration/mine-action/areas/{area.pk}/release/"
    assert client_for("analyst").get(url).status_code == 403
    assert client_for("analyst").get(f"/restoration/mine-action/areas/{area.pk}/").status_code == 200
    assert client_for("public").get(f"/restoration/mine-action/areas/{area.pk}/").status_code == 404


def test_accidents_and_sessions_through_the_pages(client_for, area, world):
    client = client_for("engineer")
    accident = {"date": D.isoformat(), "latitude": "39.76", "longitude": "46.76", "device": "ap_mine",
                "killed_girls": 0, "killed_boys": 0, "killed_women": 0, "killed_men": 1, "injured_girls": 0,
                "injured_boys": -1, "injured_women": 0, "injured_men": 0}
    bad = client.post("/restoration/mine-action/accidents/new/", accident)
    assert bad.status_code == 200 and "injured_boys" in bad.context["form"].errors
    assert not MineAccident.objects.exists()
    assert client.post("/restoration/mine-action/accidents/new/", {**accident, "injured_boys": 2}).status_code == 302
    assert MineAccident.objects.get().area == area
    session = {"date": D.isoformat(), "place": world["places"]["shushi"].pk, "girls": 0, "boys": 0, "women": 0,
               "men": 0}
    assert "A session reaches someone" in client.post("/restoration/mine-action/risk-education/new/",
                                                      session).content.decode()
    assert client.post("/restoration/mine-action/risk-education/new/",
                       {**session, "girls": 5, "women": 7}).status_code == 302
    assert RiskEducationSession.objects.get().participants == 12
    span = f"?from={D.isoformat()}&to={D.isoformat()}"
    listed = client_for("analyst").get("/restoration/mine-action/accidents/" + span)
    assert listed.status_code == 200 and len(listed.context["accidents"]) == 1
    assert listed.context["figures"].killed == 1 and listed.context["figures"].injured == 2
    reach = client_for("analyst").get("/restoration/mine-action/risk-education/" + span)
    assert reach.context["figures"].reached == 12


def test_api_releases_qa_handover_and_figures(api_for, area):
    api = api_for("engineer")
    url = "/api/restoration/land-releases/"
    body = {"area": area.pk, "date": D.isoformat(), "method": "reduction", "area_m2": "9000", "team": "TS team"}
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400 and "remain to be released" in str(refused.json())
    for value in ("0", "-5"):
        assert api.post(url, {**body, "area_m2": value}, format="json").status_code == 400
    created = api.post(url, {**body, "area_m2": "5000"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    area_json = api.get(f"/api/restoration/hazardous-areas/{area.pk}/").json()
    assert area_json["status"] == "released" and float(area_json["land_release"]["remaining_m2"]) == 0
    assert api.post(f"{url}{pk}/handover/", {"date": D.isoformat(), "recipient": "Council"},
                    format="json").status_code == 400
    assert api.post(f"{url}{pk}/qa/", {"date": D.isoformat(), "result": "passed", "inspector": "QA"},
                    format="json").status_code == 200
    assert api.post(f"{url}{pk}/handover/", {"date": D.isoformat(), "recipient": "Council"},
                    format="json").json()["handed_over_to"] == "Council"
    accident = api.post("/api/restoration/mine-accidents/", {
        "date": D.isoformat(), "latitude": "39.760000", "longitude": "46.760000", "device": "submunition",
        "injured_girls": 1}, format="json")
    assert accident.status_code == 201 and accident.json()["area"] == area.pk
    assert api.post("/api/restoration/risk-education/", {"date": D.isoformat(), "place": area.place_id,
                                                          "boys": 4}, format="json").status_code == 201
    figures = api_for("analyst").get(f"/api/restoration/land-releases/figures/?first={D}&last={D}").json()
    assert (float(figures["by_method_m2"]["reduction"]), float(figures["handed_over_m2"]), figures["injured"],
            figures["reached"]) == (5000, 5000, 1, 4)
    assert api_for("analyst").post(url, body, format="json").status_code == 403
    assert api_for("engineer").get(f"/api/restoration/hazardous-areas/{area.pk}/incidents/").json() == []


def test_demo_history_shows_in_the_sitrep_and_dashboard(db, client_for):
    _world()
    assert LandRelease.objects.filter(method="clearance").exists()
    assert LandRelease.objects.filter(handed_over_on__isnull=False).exists()
    assert MineAccident.objects.count() >= 4 and RiskEducationSession.objects.count() >= 10
    # Every area's releases stay within its size, and destroyed never exceeds found.
    for area in HazardousArea.objects.filter(estimated_area_m2__isnull=False):
        assert land_release.balance(area).released_m2 <= area.estimated_area_m2
    assert HazardousArea.objects.get(code="HA-003").status == "confirmed"  # cleared after the surveys
    section = sitrep.mine_action_section(ReportingPeriod.ending_on(dt.date(2020, 12, 4)))
    figures = {f.key: f for f in section.figures}
    assert figures["mine_action.released_reduction_m2"].value > 0  # HA-004's technical survey on 3 December
    assert figures["mine_action.released_clearance_m2"].value > 0
    assert figures["mine_action.reached"].value > 0 and figures["mine_action.reached"].people
    assert "m² of land were released" in section.summary
    assert {t.key for t in section.tables} >= {"mine_action.victims", "mine_action.reach"}
    accidents = sitrep.mine_action_section(ReportingPeriod.ending_on(dt.date(2020, 11, 22)))
    killed = next(f for f in accidents.figures if f.key == "mine_action.killed")
    assert killed.value == 1
    client = client_for("coordinator")
    figure = next(f for f in accidents.figures if f.key == "mine_action.accidents")
    listed = client.get(figure.url)
    assert len(listed.context["accidents"]) == figure.value == 1  # 16–22 November: the orchard accident
    page = client.get("/dashboard/?as_of=2020-12-04").content.decode()
    assert "Land release and mine risk" in page
