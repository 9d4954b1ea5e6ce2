"""The exchanges part of the demo world honours the public record it is calibrated on."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from peaceops.core.models import Organisation
from peaceops.exchanges import scenario
from peaceops.exchanges.models import PartyListEntry, TracingMatch
from peaceops.exchanges.services.summary import summary
from peaceops.scenario.world import World


@pytest.fixture
def built(world, users):
    w = World(seed=20201110, scale=1.0, rng=random.Random(1), places=world["places"], parties=world["parties"],
              organisations={o.acronym: o for o in Organisation.objects.all()}, users=users)
    for build in scenario.BUILDERS:
        build(w)
    return w


def test_scenario_figures(built):
    before = summary(dt.date(2020, 12, 5))
    assert before.remains_received > 600
    assert 480 <= before.remains_dna_pending <= 540  # about 500
    assert before.remains_identified == 135 and before.remains_handed_over == 135
    assert before.exchanged_total == 0
    assert summary(dt.date(2020, 12, 10)).exchange_prepared is not None
    after = summary(dt.date(2020, 12, 14))
    assert sorted(after.exchanged.values()) == [12, 44]
    assert after.exchange_prepared is None
    assert summary(dt.date(2020, 12, 31)).missing_open == 150


def test_scenario_lists_spell_the_same_people_differently(built):
    scripts = {e.script for e in PartyListEntry.objects.all()}
    assert {"Armn", "Cyrl", "Latn"} <= scripts
    linked = PartyListEntry.objects.exclude(person=None)
    person = linked.first().person
    assert len({n.full_name for n in person.names.all()}) >= 2
    assert TracingMatch.objects.exists()
