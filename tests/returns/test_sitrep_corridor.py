"""The returns section of the sitrep names the corridor the period's convoys used and its status that day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from peaceops.core.reporting import ReportingPeriod
from peaceops.returns import services
from peaceops.returns.models import CorridorStatus
from peaceops.returns.sitrep import returns_section
from tests.returns.conftest import at, run_to_arrival


@pytest.fixture
def arrived(corridor, household):
    household(6, destination="stepanakert")
    convoy = services.plan_convoy(corridor, dt.date(2020, 11, 22), [40]).convoy
    run_to_arrival(convoy, at("2020-11-22", 16))
    return convoy


def _corridor_rows(day: dt.date):
    section = returns_section(ReportingPeriod.ending_on(day))
    table = next(t for t in section.tables if t.key == "returns.corridors")
    return section, table.rows


def test_the_section_names_the_corridor_and_its_status_that_day(arrived):
    services.set_corridor_status(arrived.corridor, CorridorStatus.RESTRICTED, "snow on the pass",
                                 at=at("2020-11-23", 6))  # the next day: not the 22nd's status
    section, rows = _corridor_rows(dt.date(2020, 11, 22))
    assert rows == [["Yerevan – Stepanakert", rows[0][1], "open", "corridor established"]]
    assert rows[0][1] == "Yerevan – Stepanakert / Khankendi"  # the settlements at either end
    assert "The convoys used the corridor Yerevan – Stepanakert (open that day)." in section.summary


def test_a_status_change_during_the_day_shows_both(arrived):
    services.set_corridor_status(arrived.corridor, CorridorStatus.RESTRICTED, "snow on the pass",
                                 at=at("2020-11-22", 9))
    services.set_corridor_status(arrived.corridor, CorridorStatus.OPEN, "road cleared", at=at("2020-11-22", 13))
    section, rows = _corridor_rows(dt.date(2020, 11, 22))
    assert rows[0][2] == "open → restricted → open"
    assert rows[0][3] == "corridor established; snow on the pass; road cleared"
    assert "(open → restricted → open that day)" in section.summary


def test_no_convoy_no_corridor(arrived):
    section, rows = _corridor_rows(dt.date(2020, 11, 23))
    assert rows == [] and "corridor" not in section.summary


def test_the_route_is_named_in_the_report_language(arrived):
    with translation.override("ru"):
        _section, rows = _corridor_rows(dt.date(2020, 11, 22))
    assert "Степанакерт" in rows[0][1]  # the gazetteer's Russian alias, not a translation
