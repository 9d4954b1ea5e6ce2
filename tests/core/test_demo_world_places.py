"""The demo's own load path (`peaceops scenario load`) builds places and hands them to every module's builder
before anything is read back from the database. A coordinate held as a float there (39.795 becomes 39.7950000
at nine digits) failed the incident builder's validation, so the README's demo command stopped at ceasefire."""

from decimal import Decimal

import pytest

from peaceops.ceasefire.models import Incident
from peaceops.scenario import gazetteer_data
from peaceops.scenario import world as world_module


@pytest.mark.django_db
def test_freshly_built_places_carry_coordinates_an_incident_accepts(monkeypatch):
    spec = gazetteer_data.ALL_PLACES["martuni"]
    monkeypatch.setattr(gazetteer_data, "ALL_PLACES",
                        {"probe": ("Probe settlement", "settlement", None, 39.795, 47.113, 10, {}),
                         "blank": ("Probe without coordinates", "settlement", None, None, None, 0, {})})
    world = world_module.World(seed=1, scale=0.01, rng=None)
    world_module._build_places(world)
    place = world.places["probe"]
    assert (place.latitude, place.longitude) == (Decimal("39.795"), Decimal(str(spec[4])))
    assert world.places["blank"].latitude is None
    incident = Incident(latitude=place.latitude, longitude=place.longitude)
    incident.clean_fields(exclude=[f.name for f in Incident._meta.fields if f.name not in ("latitude", "longitude")])
