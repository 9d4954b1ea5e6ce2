"""The operation's current day (issue 17): an installation holding a finished operation (the demo world ends on
2020-12-31) pins its day, and every dated page, dashboard card and form opens on it instead of today's empty
date; every dated page has a date control to choose another."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command

from peaceops.core.operation import operation_day, operation_now

pytestmark = pytest.mark.django_db

PINNED = "2020-12-31"


@pytest.fixture
def pinned(settings):
    settings.PEACEOPS_OPERATION_DAY = PINNED
    return dt.date(2020, 12, 31)


def test_unpinned_follows_the_clock(settings):
    from django.utils import timezone

    settings.PEACEOPS_OPERATION_DAY = ""
    assert operation_day() == timezone.localdate()


def test_pinned_day_keeps_the_time_of_day(pinned):
    now = operation_now()
    assert now.date() == pinned and now.tzinfo is not None


def _date_control(html: str, name: str) -> str:
    match = re.search(rf'<input type="date"[^>]*name="{name}" value="([^"]*)"', html)
    assert match, f"no date control named {name}"
    return match.group(1)


@pytest.mark.parametrize(("address", "param"), [
    ("/dashboard/", "as_of"),
    ("/ceasefire/counts/", "day"),
    ("/returns/", "as_of"),
    ("/restoration/", "as_of"),
])
def test_dated_pages_open_on_the_operation_day_with_a_date_control(client_for, pinned, address, param):
    response = client_for("coordinator").get(address)
    assert response.status_code == 200
    assert _date_control(response.content.decode(), param) == PINNED


def test_dashboard_cards_count_as_of_the_chosen_day(client_for, pinned):
    html = client_for("coordinator").get("/dashboard/?as_of=2020-11-21").content.decode()
    assert _date_control(html, "as_of") == "2020-11-21"
    assert "?day=2020-11-21" in html  # the ceasefire card counts that reporting day
    assert "/returns/?as_of=2020-11-21" in html


def test_a_bad_dashboard_day_is_a_400_naming_it(client_for, pinned):
    response = client_for("coordinator").get("/dashboard/?as_of=yesterday")
    assert response.status_code == 400
    assert "as_of" in response.content.decode()


def test_incident_form_defaults_to_the_operation_day(client_for, pinned):
    html = client_for("monitor").get("/ceasefire/incidents/new/").content.decode()
    value = re.search(r'name="occurred_from"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*name="occurred_from"', html)
    assert value and value.group(1).startswith(PINNED)


def test_commands_default_to_the_operation_day(pinned, capsys):
    call_command("restoration", "status")
    assert "2020-12-31" in capsys.readouterr().out


def test_empty_chart_has_a_zero_based_axis(client_for, pinned):
    svg = client_for("coordinator").get("/ceasefire/counts/chart.svg?from=2020-01-01&to=2020-01-05").content
    assert b"\xe2\x88\x920.04" not in svg and b"-0.04" not in svg  # the axis of an empty chart started below 0
