import datetime as dt
import io

import pytest
from django.core.management import call_command

from peaceops.core.models import AuditEvent
from peaceops.returns import services
from peaceops.returns.models import ConvoyStatus, Household
from tests.returns.conftest import at, run_to_arrival


@pytest.fixture
def arrived(corridor, household):
    household(3, destination="stepanakert")
    household(2, destination="shushi")
    convoy = services.plan_convoy(corridor, dt.date(2020, 11, 22), [40]).convoy
    run_to_arrival(convoy, at("2020-11-22", 16))
    return convoy


@pytest.mark.parametrize("role,status", [("returns_officer", 200), ("coordinator", 200), ("analyst", 404),
                                         ("monitor", 404), ("public", 404), ("admin", 404)])
def test_record_pages_visible_only_to_returns_roles(client_for, arrived, role, status):
    client = client_for(role)
    for url in ("/returns/convoys/", f"/returns/convoys/{arrived.pk}/", "/returns/households/",
                "/returns/corridors/"):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("role", ["analyst", "coordinator"])
def test_counts_page_for_everyone_signed_in(client_for, arrived, role):
    response = client_for(role).get("/returns/?as_of=2020-11-22")
    assert response.status_code == 200
    assert 'data-total="5"' in response.content.decode()


def test_public_role_reads_the_published_figures_only(client_for, api_for, users, arrived):
    page = client_for("public").get("/returns/?as_of=2020-11-22").content.decode()
    assert "Nothing has been published yet" in page and 'data-total="5"' not in page
    from peaceops.reports import services as reports

    coordinator = users["coordinator"]
    second = users["coordinator2"]
    reports.publish(reports.approve(reports.start_draft(dt.date(2020, 11, 22), coordinator), second),
                    second, confirmed=True)
    assert 'data-total="5"' in client_for("public").get("/returns/?as_of=2020-11-22").content.decode()


def test_public_sees_small_cells_suppressed(api_for, users, arrived):
    from peaceops.reports import services as reports

    coordinator = users["coordinator"]
    second = users["coordinator2"]
    reports.publish(reports.approve(reports.start_draft(dt.date(2020, 11, 22), coordinator), second),
                    second, confirmed=True)
    data = api_for("public").get("/api/returns/returned-as-of/?as_of=2020-11-22").json()
    assert data["total"] == 5 and {row["count"] for row in data["by_destination"]} == {None}
    assert data["published_day"] == "2020-11-22"
    data = api_for("coordinator").get("/api/returns/returned-as-of/?as_of=2020-11-22").json()
    assert sorted(row["count"] for row in data["by_destination"]) == [2, 3]
    assert data["last_24h"] == 5


def test_coordinator_reads_but_cannot_write(client_for, api_for, arrived, corridor):
    assert client_for("coordinator").post(f"/returns/corridors/{corridor.pk}/",
                                          {"status": "closed", "reason": "x"}).status_code == 403
    response = api_for("coordinator").post(f"/api/returns/corridors/{corridor.pk}/status/",
                                           {"status": "closed", "reason": "x"}, format="json")
    assert response.status_code == 403
    assert corridor.status_changes.count() == 1


def test_household_detail_read_is_audited(client_for, arrived):
    household = Household.objects.first()
    before = AuditEvent.objects.filter(action="read", model="returns.Household").count()
    assert client_for("coordinator").get(f"/returns/households/{household.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="read", model="returns.Household").count() == before + 1


def test_run_a_convoy_through_the_web(client_for, corridor, household):
    household(4)
    client = client_for("returns_officer")
    response = client.post("/returns/convoys/plan/", {"corridor": corridor.pk, "date": "2020-11-23",
                                                      "buses": "40", "escort": "PK"})
    assert response.status_code == 302
    convoy = corridor.convoys.get()
    url = f"/returns/convoys/{convoy.pk}/"
    client.post(url + "dispatch/", {"at": "2020-11-23T08:00"})
    for hour, cp in enumerate(convoy.corridor.ordered_checkpoints()[1:-1], start=9):
        client.post(url + "pass/", {"checkpoint": cp.pk, "head_count": 4, "checked_by": "Sgt X",
                                    "at": f"2020-11-23T{hour:02d}:00"})
    # out of order: refused with a message, nothing written
    page = client.post(url + "arrive/", {"at": "2020-11-23T07:00"}, follow=True).content.decode()
    assert "before the departure" in page
    client.post(url + "arrive/", {"at": "2020-11-23T15:00"})
    convoy.refresh_from_db()
    assert convoy.status == ConvoyStatus.ARRIVED and convoy.passages.count() == 4
    assert services.returned_as_of(dt.date(2020, 11, 23)).total == 4


def test_api_plan_and_run(api_for, corridor, household):
    household(2)
    household(50)
    api = api_for("returns_officer")
    data = api.post("/api/returns/convoys/plan/", {"corridor": corridor.pk, "date": "2020-11-24", "buses": [45]},
                    format="json").json()
    assert data["people"] == 2 and len(data["unplaceable"]) == 1
    assert "larger than any bus" in data["unplaceable"][0]["reason"]
    pk = data["convoy"]["id"]
    services.set_corridor_status(corridor, "closed", "weather", at=at("2020-11-24", 6))
    response = api.post(f"/api/returns/convoys/{pk}/dispatch/", {"at": "2020-11-24T08:00:00+04:00"}, format="json")
    assert response.status_code == 400 and "closed" in str(response.json())


def test_api_household_create_and_bad_input(api_for):
    api = api_for("returns_officer")
    ok = api.post("/api/returns/households/", {"members": [{"name": "Армен Петросян", "sex": "M",
                                                            "birth_year": 1960}],
                                               "destination": "Ханкенди", "vulnerabilities": ["elderly"]},
                  format="json")
    assert ok.status_code == 201 and ok.json()["size"] == 1
    bad = api.post("/api/returns/households/", {"members": [], "destination": "Stepanakert"}, format="json")
    assert bad.status_code == 400 and "at least one member" in str(bad.json())
    assert api_for("analyst").get("/api/returns/households/").status_code == 404


def test_cli_count_and_export(arrived):
    out = io.StringIO()
    call_command("returns", "count", "--as-of", "2020-11-22", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "total: 5"
    assert "Stepanakert / Khankendi: 3" in lines and "Shushi / Shusha: 2" in lines
    out = io.StringIO()
    call_command("returns", "export-hxl", "--from", "2020-11-21", "--to", "2020-11-22", stdout=out)
    rows = out.getvalue().splitlines()
    assert rows[1] == "#date,#adm1+name,#loc+name,#loc+code,#affected+returnees,#affected+returnees+new"
    assert "2020-11-22,Stepanakert / Khankendi city,Stepanakert / Khankendi,PO-STEPANAKERT,3,3" in rows
    assert len(rows) == 4  # nothing on the 21st


def test_sitrep_section_and_series(arrived):
    from peaceops.core.reporting import ReportingPeriod
    from peaceops.returns.sitrep import returns_section, returns_series

    section = returns_section(ReportingPeriod.ending_on(dt.date(2020, 11, 22)))
    assert section.order == 20 and section.summary.startswith("As of today, 5 people have returned")
    figures = {f.key: f for f in section.figures}
    assert figures["returns.total"].value == 5 and figures["returns.total"].previous == 0
    assert figures["returns.convoys"].value == 1 and figures["returns.total"].url.endswith("as_of=2020-11-22")
    per_day, cumulative = returns_series(dt.date(2020, 11, 21), dt.date(2020, 11, 23))
    assert [v for _d, v in per_day.points] == [0, 5, 0] and [v for _d, v in cumulative.points] == [0, 5, 5]


def test_convoy_figures_link_to_the_convoys_of_that_day(arrived, client_for):
    from peaceops.core.reporting import ReportingPeriod
    from peaceops.returns.sitrep import returns_section

    client = client_for("returns_officer")
    for day, convoys in ((dt.date(2020, 11, 22), 1), (dt.date(2020, 11, 23), 0)):
        figures = {f.key: f for f in returns_section(ReportingPeriod.ending_on(day)).figures}
        page = client.get(figures["returns.convoys"].url)
        assert page.context["page"].paginator.count == figures["returns.convoys"].value == convoys
        assert page.context["people"] == figures["returns.convoy_people"].value
        assert page.context["cargo"] == figures["returns.cargo"].value
        assert figures["returns.cargo"].url == figures["returns.convoy_people"].url == figures["returns.convoys"].url
    assert client.get("/returns/convoys/").context["page"].paginator.count == 1  # unfiltered: every convoy


def test_dashboard_card_and_map(client_for, arrived):
    page = client_for("returns_officer").get("/dashboard/").content.decode()
    assert "Return of displaced people" in page
    geo = client_for("returns_officer").get("/returns/corridors.geojson").json()
    assert geo["features"][0]["geometry"]["type"] == "LineString"
    assert len(geo["features"][0]["geometry"]["coordinates"]) == 6


def test_the_api_command_line_and_imports_parse_without_the_web_forms():
    """Issue 18: places and vehicle lists are read by `returns.services.inputs`; only pages use `returns.forms`."""
    import ast
    import importlib
    import inspect

    for name in ("peaceops.returns.api", "peaceops.returns.serializers", "peaceops.returns.imports",
                 "peaceops.returns.management.commands.returns"):
        tree = ast.parse(inspect.getsource(importlib.import_module(name)))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "peaceops.returns.forms" not in imported, name
