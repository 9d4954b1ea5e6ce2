"""The demo world's restoration part and the sitrep sections built on it."""

from __future__ import annotations

import datetime as dt
import random

from peaceops.core.reporting import ReportingPeriod
from peaceops.restoration import scenario, sitrep
from peaceops.restoration.models import ClearanceReport, Facility
from peaceops.restoration.services import status
from peaceops.scenario.world import World


def _world():
    from peaceops.core.models import Organisation, Place
    from peaceops.scenario import gazetteer_data as data

    world = World(seed=1, scale=1.0, rng=random.Random(1))
    world.places = {k: Place.objects.get(name=spec[0]) for k, spec in data.ALL_PLACES.items()}
    world.organisations = {o.acronym: o for o in Organisation.objects.all()}
    scenario.build(world)
    return world


def test_services_are_restored_step_by_step(db):
    _world()
    engine = status.StatusEngine()
    served = [engine.snapshot(dt.date(2020, 11, 10) + dt.timedelta(days=i)).totals for i in range(52)]
    for sector in ("water", "electricity", "gas", "heating"):
        full = [t[sector].full for t in served]
        assert full[-1] > full[1], sector
    assert served[-1]["gas"].full == served[-1]["gas"].served > 0
    # The pipeline was ruptured in the war: no gas from the first day, not a spike on 10 November.
    assert served[0]["gas"].served == served[1]["gas"].served == served[0]["heating"].served == 0
    assert Facility.objects.count() == len(scenario.FACILITIES)


def test_sitrep_sections(db, client):
    _world()
    period = ReportingPeriod.ending_on(dt.date(2020, 11, 21))
    section = sitrep.restoration_section(period)
    assert section.order == 40
    electricity = next(f for f in section.figures if f.key == "restoration.fully_electricity")
    assert electricity.change == 55200  # Stepanakert's substation was finished that day (partial → full)
    assert "The number of people with full electricity rose by 55,200." in section.summary
    mines = sitrep.mine_action_section(period)
    assert mines.order == 45
    found = next(f for f in mines.figures if f.key == "mine_action.found")
    assert found.value == sum(c.found for r in ClearanceReport.objects.filter(date=period.day)
                              for c in r.ordnance.all())
    series = sitrep.SERIES[1](dt.date(2020, 11, 10), dt.date(2020, 11, 21))
    assert len(series[0].points) == 12


def test_works_figures_link_to_the_works_they_count(db, client_for):
    _world()
    client = client_for("engineer")
    nonzero = 0
    for day in (dt.date(2020, 11, 12), dt.date(2020, 11, 21), dt.date(2020, 12, 20)):
        section = sitrep.restoration_section(ReportingPeriod.ending_on(day))
        for key in ("restoration.works_ongoing", "restoration.works_completed"):
            figure = next(f for f in section.figures if f.key == key)
            assert client.get(figure.url).context["page"].paginator.count == figure.value, (day, key)
            nonzero += figure.value > 0
    assert nonzero >= 3
    assert client.get("/restoration/works/?as_of=2020-11-21&state=other").status_code == 404


def test_map_layers_and_dashboard(db, client_for):
    _world()
    client = client_for("coordinator")
    layers = client.get("/map/layers/").json()["layers"]
    assert {"facilities", "hazardous_areas"} <= {layer["key"] for layer in layers}
    features = client.get("/restoration/facilities.geojson?as_of=2020-11-12").json()["features"]
    assert {f["properties"]["color"] for f in features} >= {"#b00020", "#2e7d32"}
    areas = client.get("/restoration/mine-action/areas.geojson").json()["features"]
    assert {a["geometry"]["type"] for a in areas} == {"Polygon", "Point"}
    assert "Life-support services" in client.get("/dashboard/").content.decode()
    # The public home shows services from a published report only (tests/public/test_published_only.py).
    assert "Life-support services in the region" not in client_for("public").get("/").content.decode()


def test_pages_render_the_demo_world(db, client_for):
    _world()
    client = client_for("engineer")
    page = client.get("/restoration/mine-action/?date=2020-11-21").content.decode()
    assert "RC-01" in page and "HA-001" in page
    assert client.get("/restoration/?as_of=2020-11-21").status_code == 200
    assert "Weld ruptured pipeline sections" in client.get("/restoration/works/").content.decode()
    hospital = Facility.objects.get(name="Stepanakert republican hospital")
    detail = client.get(f"/restoration/facilities/{hospital.pk}/?as_of=2020-11-12").content.decode()
    assert "depends on" in detail and "Stepanakert 110/35 kV substation" in detail
    assert client.get("/restoration/mine-action/reports/new/").status_code == 200
    assert client.get("/restoration/mine-action/areas/new/").status_code == 200
