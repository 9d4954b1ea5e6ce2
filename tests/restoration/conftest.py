"""Small restoration worlds built in each test: a substation feeding a clinic and a pumping station."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.core.models import Organisation
from peaceops.restoration.models import Facility
from peaceops.restoration.services.facilities import save_facility

D = dt.date(2020, 11, 20)


@pytest.fixture
def org(db):
    return Organisation.objects.get(acronym="POWER")


@pytest.fixture
def grid(world):
    """Stepanakert: a substation; a clinic and a water network that depend on it; a gas station on its own."""
    places = world["places"]
    town = places["stepanakert"]

    def make(name, kind, deps=(), settlements=(town,), population=None):
        return save_facility(Facility(name=name, kind=kind, place=town, population_served=population),
                             settlements=list(settlements), depends_on=list(deps))

    substation = make("Substation North", "substation", population=55200)
    clinic = make("Polyclinic 1", "clinic", deps=[substation])
    pump = make("Pumping station East", "pumping_station", deps=[substation])
    network = make("Water network", "water_network", deps=[pump])
    gas = make("Gas distribution station", "gas_station", settlements=(town, places["shushi"]))
    return {"town": town, "substation": substation, "clinic": clinic, "pump": pump, "network": network,
            "gas": gas}
