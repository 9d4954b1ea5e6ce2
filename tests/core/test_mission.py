"""Issue 19 part 5, a mission is configuration: the ceasefire's start, the first return day, the area, the
reporting cut-off, the small-cell threshold, the time zone and the parties are data an administrator sets
(web, API, CLI), and a second mission on the same installation uses its own with nothing of the first."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.urls import reverse

from peaceops.ceasefire.sitrep import ceasefire_section
from peaceops.core import mission
from peaceops.core.forms import parse_coordinate
from peaceops.core.models import AuditEvent, Mission
from peaceops.core.reporting import ReportingPeriod, is_small_cell
from peaceops.reports import disclosure

pytestmark = pytest.mark.django_db

SECOND = {"name": "Ceasefire monitoring, test region", "ceasefire_start": "2031-03-01",
          "first_return_day": "2031-03-20", "south": "45.0", "west": "20.0", "north": "46.0", "east": "21.0",
          "day_cutoff": "19:00", "small_cell": "10", "time_zone": "Atlantic/Cape_Verde"}


def _labels(day: dt.date) -> str:
    section = ceasefire_section(ReportingPeriod.ending_on(day))
    return " ".join(f"{figure.label} {figure.url}" for figure in section.figures)


def test_the_demo_mission_is_data_not_code(world):
    demo = Mission.objects.get(active=True)
    assert mission.ceasefire_start() == dt.date(2020, 11, 10) == demo.ceasefire_start
    assert mission.first_return_day() == dt.date(2020, 11, 14)
    assert mission.area_bounds() == (39.55, 46.40, 40.30, 47.25)
    assert set(demo.parties.values_list("code", flat=True)) >= {"armenian-side", "azerbaijani-side"}
    labels = _labels(dt.date(2020, 12, 1))
    assert "Violations since 2020-11-10" in labels and "from=2020-11-10" in labels


def test_a_second_mission_uses_its_own_dates_area_and_rules(client_for):
    admin = client_for("admin")
    response = admin.post(reverse("core:mission_new"), SECOND)
    assert response.status_code == 302, response.content.decode()[:2000]
    second = Mission.objects.get(name=SECOND["name"])
    assert not second.active  # described, not yet in use
    admin.post(reverse("core:mission_activate", args=[second.pk]))  # without the confirmation box
    assert not Mission.objects.get(pk=second.pk).active
    admin.post(reverse("core:mission_activate", args=[second.pk]), {"confirm": "yes"})
    assert list(Mission.objects.filter(active=True)) == [second]
    assert AuditEvent.objects.filter(model="core.Mission", object_id=str(second.pk)).exists()

    assert mission.ceasefire_start() == dt.date(2031, 3, 1) and mission.first_return_day() == dt.date(2031, 3, 20)
    labels = _labels(dt.date(2031, 4, 1))
    assert "Violations since 2031-03-01" in labels and "from=2031-03-01" in labels
    assert "2020" not in labels and "November" not in labels
    # The area: coordinates checked against it, the map opening on it.
    assert parse_coordinate("45.5", "lat") == parse_coordinate("45,5", "lat")
    with pytest.raises(forms.ValidationError):
        parse_coordinate("39.815", "lat")  # Stepanakert / Khankendi is far outside this mission
    page = client_for("analyst").get(reverse("core:map")).content.decode()
    assert 'data-bounds="45.0,20.0,46.0,21.0"' in page
    # Its reporting rules: the day ends at 19:00 in its own zone, counts under 10 people are not published.
    period = ReportingPeriod.ending_on(dt.date(2031, 4, 1))
    assert (period.end.hour, period.end.utcoffset()) == (19, dt.timedelta(hours=-1))
    assert disclosure.threshold() == 10 and is_small_cell(7) and not is_small_cell(10)
    footer = client_for("analyst").get(reverse("core:mission")).content.decode()
    assert "UTC−1" in footer and "Cape_Verde" not in footer


def test_a_bad_change_is_refused_whole(client_for):
    demo = Mission.objects.get(active=True)
    before = (demo.south, demo.north, demo.revision)
    response = client_for("admin").post(reverse("core:mission_edit", args=[demo.pk]),
                                         {**SECOND, "south": "47", "small_cell": "1", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "South must lie below north" in page and "At least 2" in page and "Not a time zone name" in page
    demo.refresh_from_db()
    assert (demo.south, demo.north, demo.revision) == before


@pytest.mark.parametrize("role", ["coordinator", "analyst", "monitor"])
def test_only_the_administrator_configures_the_mission(client_for, role):
    demo = Mission.objects.get(active=True)
    client = client_for(role)
    assert client.get(reverse("core:mission")).status_code == 200  # everyone working in it may read it
    assert client.get(reverse("core:mission_new")).status_code == 403
    assert client.post(reverse("core:mission_edit", args=[demo.pk]), SECOND).status_code == 403
    assert client.post(reverse("core:mission_activate", args=[demo.pk]), {"confirm": "yes"}).status_code == 403


def test_the_api_reads_and_changes_the_mission(api_for):
    current = api_for("analyst").get("/api/missions/current/").json()
    assert current["ceasefire_start"] == "2020-11-10"
    assert api_for("analyst").patch(f"/api/missions/{current['id']}/", {"small_cell": 8},
                                    format="json", HTTP_IF_MATCH="*").status_code == 403
    admin = api_for("admin")
    refused = admin.patch(f"/api/missions/{current['id']}/", {"small_cell": 1}, format="json",
                          HTTP_IF_MATCH="*")
    assert refused.status_code == 400 and "small_cell" in refused.json()
    assert admin.patch(f"/api/missions/{current['id']}/", {"small_cell": 8}, format="json",
                       HTTP_IF_MATCH="*").status_code == 200
    assert mission.small_cell() == 8
    created = admin.post("/api/missions/", {k: v for k, v in SECOND.items()}, format="json")
    assert created.status_code == 201, created.json()
    assert admin.post(f"/api/missions/{created.json()['id']}/activate/").status_code == 200
    assert api_for("monitor").get("/api/missions/current/").json()["name"] == SECOND["name"]


def test_the_cli_shows_and_sets_the_mission():
    out = StringIO()
    call_command("mission", "show", stdout=out)
    assert json.loads(out.getvalue())["ceasefire_start"] == "2020-11-10"
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("mission", "set", "--bounds", "41,46,40,47")
    with pytest.raises(CommandError, match="unknown party"):
        call_command("mission", "new", "--name", "B", "--ceasefire-start", "2031-03-01", "--bounds", "45,20,46,21",
                     "--parties", "nobody")
    call_command("mission", "new", "--name", "B", "--ceasefire-start", "2031-03-01", "--bounds", "45,20,46,21",
                 "--parties", "intermediary", stdout=StringIO())
    record = Mission.objects.get(name="B")
    call_command("mission", "activate", str(record.pk), stdout=StringIO())
    assert mission.area_bounds() == (45.0, 20.0, 46.0, 21.0)
    assert list(record.parties.values_list("code", flat=True)) == ["intermediary"]


def test_the_counts_page_names_the_missions_start(client_for):
    page = client_for("analyst").get(reverse("ceasefire:counts") + "?day=2020-12-01").content.decode()
    assert "since the ceasefire took effect on 2020-11-10" in page


def test_the_edit_form_shows_the_dates_in_russian_too(client_for):
    demo = Mission.objects.get(active=True)
    page = client_for("admin").get(reverse("core:mission_edit", args=[demo.pk]),
                                    HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'value="2020-11-10"' in page and 'value="2020-11-14"' in page  # a date input reads ISO only
