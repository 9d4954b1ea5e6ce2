"""Every date a caller chooses is bounded to the operation's range, and every range's length: out of range is a
400 that names the allowed range, never a server error or a century of work (issue 16: the year 1 and 9999 gave
500 on pages, API endpoints and two public aggregates; a sitrep for 2120 held the write lock for 99 s)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peaceops.core.params import BadParameter, check_span, operation_range, parse_day
from peaceops.reports.models import Sitrep

pytestmark = pytest.mark.django_db

# (role, address) pairs that answered 500 for ?<date>=0001-01-01 or 9999-12-31 before the bound.
PAGES = [
    ("coordinator", "/ceasefire/incidents/?from={d}"),
    ("coordinator", "/ceasefire/incidents/?day={d}"),
    ("coordinator", "/ceasefire/incidents.geojson?to={d}"),
    ("coordinator", "/ceasefire/incidents/export/?from={d}"),
    ("coordinator", "/ceasefire/posts/?day={d}"),
    ("coordinator", "/ceasefire/patrols/?day={d}"),
    ("coordinator", "/ceasefire/counts/?day={d}"),
    ("coordinator", "/ceasefire/counts/chart.svg?to={d}"),
    ("coordinator", "/returns/convoys/?arrived={d}"),
    ("coordinator", "/restoration/?as_of={d}"),
    ("coordinator", "/reports/dashboard/?to={d}"),
    ("coordinator", "/reports/sitrep/{d}/"),
    ("coordinator", "/reports/sitrep/{d}/download.md"),
    ("public", "/returns/?as_of={d}"),  # the public role's aggregates
    ("public", "/returns/returned/chart.svg?as_of={d}"),
]
API = [
    "/api/ceasefire/incidents/counts/?from={d}",
    "/api/ceasefire/incidents/export/acled/?from={d}",
    "/api/returns/returned-as-of/?as_of={d}",
    "/api/restoration/service-status/?as_of={d}",
    "/api/restoration/facilities/status/?as_of={d}",
    "/api/restoration/clearance-reports/totals/?first={d}",
]
EXTREMES = ["0001-01-01", "9999-12-31", "2120-01-01"]


def _allowed_range_text() -> str:
    first, last = operation_range()
    return f"from {first.isoformat()} to {last.isoformat()}"


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("role, address", PAGES)
def test_pages_refuse_a_date_outside_the_operation_with_400_naming_the_range(client_for, role, address, day):
    response = client_for(role).get(address.format(d=day))
    assert response.status_code == 400, (address, response.status_code)
    assert _allowed_range_text() in response.content.decode()


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("address", API)
def test_api_refuses_a_date_outside_the_operation_with_400_naming_the_parameter(api_for, address, day):
    response = api_for("coordinator").get(address.format(d=day))
    assert response.status_code == 400, (address, response.status_code)
    name = address.split("?")[1].split("=")[0]
    assert _allowed_range_text() in response.json()[name][0]


def test_anonymous_public_sitrep_for_the_year_1_is_a_400_not_a_server_error(client):
    for address in ("/reports/public/0001-01-01/", "/reports/public/9999-12-31/download.md",
                    "/reports/public/sitreps.hxl.csv?date=9999-12-31"):
        response = client.get(address)
        assert response.status_code == 400, address


def test_a_malformed_date_is_a_400_too(client_for, api_for):
    assert client_for("coordinator").get("/ceasefire/counts/?day=2020-13-01").status_code == 400
    assert api_for("coordinator").get("/api/returns/returned-as-of/?as_of=yesterday").status_code == 400


def test_a_draft_for_2120_is_refused_before_anything_is_written(api_for, client_for):
    response = api_for("coordinator").post("/api/sitreps/", {"day": "2120-01-01"}, format="json")
    assert response.status_code == 400 and _allowed_range_text() in str(response.json())
    assert client_for("coordinator").post("/reports/sitrep/2120-01-01/draft/").status_code == 400
    assert not Sitrep.objects.filter(day__year=2120).exists()


def test_ranges_longer_than_the_limit_are_refused(client_for, api_for, settings):
    settings.PEACEOPS_MAX_RANGE_DAYS = 100
    response = client_for("coordinator").get("/reports/dashboard/?from=2020-11-10&to=2021-11-10")
    assert response.status_code == 400 and "at most 100 days" in response.content.decode()
    response = api_for("coordinator").get("/api/ceasefire/incidents/counts/?from=2020-11-10&to=2021-11-10")
    assert response.status_code == 400 and "at most 100 days" in str(response.json())
    assert client_for("coordinator").get("/reports/dashboard/?from=2020-11-10&to=2020-12-10").status_code == 200


def test_the_range_follows_the_settings(settings):
    settings.PEACEOPS_FIRST_DAY = "2020-09-27"
    settings.PEACEOPS_PLANNING_DAYS = 10
    assert parse_day("2020-09-27", "as_of") == dt.date(2020, 9, 27)
    with pytest.raises(BadParameter, match="from 2020-09-27 to"):
        parse_day("2020-09-26", "as_of")
    assert parse_day(timezone.localdate() + dt.timedelta(days=10), "as_of")
    with pytest.raises(BadParameter):
        parse_day(timezone.localdate() + dt.timedelta(days=11), "as_of")
    check_span(dt.date(2020, 11, 10), dt.date(2020, 11, 10))
    with pytest.raises(BadParameter, match="comes after"):
        check_span(dt.date(2020, 11, 11), dt.date(2020, 11, 10))


@pytest.mark.parametrize("args", [
    ("returns", "count", "--as-of", "9999-12-31"),
    ("restoration", "status", "--as-of", "0001-01-01"),
    ("exchanges", "summary", "--as-of", "2120-01-01"),
    ("sitrep", "--date", "2120-01-01", "--format", "md"),
    ("ceasefire", "counts", "--from", "0001-01-01", "--to", "2020-11-20"),
])
def test_commands_refuse_a_date_outside_the_operation_with_the_range(args):
    with pytest.raises(CommandError, match=_allowed_range_text()):
        call_command(*args)
