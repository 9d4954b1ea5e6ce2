"""`convoys.arrived_between`: convoys, buses (vehicles with seats), people and tonnes of cargo that arrived in a
range of reporting days — the figures published claims about buses, convoys and cargo are read against."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.returns import services
from peaceops.returns.services.convoys import arrived_between
from tests.returns.conftest import at, run_to_arrival

pytestmark = pytest.mark.django_db
D = dt.date


def test_counts_arrivals_by_reporting_day(corridor, household):
    people = services.create_convoy(corridor, D(2020, 11, 22), buses=[45, 45, 0])
    services.add_household_to_convoy(people, household(3))
    services.add_household_to_convoy(people, household(2))
    run_to_arrival(people, at("2020-11-22", 16))
    cargo = services.create_convoy(corridor, D(2020, 11, 23), buses=[0])
    services.add_cargo(cargo, "flour", "12.5")
    run_to_arrival(cargo, at("2020-11-23", 23, 30))
    services.create_convoy(corridor, D(2020, 11, 23), buses=[45])  # planned, never arrived

    day = arrived_between(D(2020, 11, 22), D(2020, 11, 22))
    assert (day.convoys, day.buses, day.people, day.cargo_tonnes) == (1, 2, 5, 0)
    both = arrived_between(D(2020, 11, 22), D(2020, 11, 23))
    assert (both.convoys, both.buses, both.people, both.cargo_tonnes) == (2, 2, 5, 12.5)
    assert arrived_between(D(2020, 11, 24), D(2020, 11, 30)).convoys == 0
