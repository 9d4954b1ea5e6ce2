"""The demo world honours the reported figures (within 5%) — built at scale 1, as the demo is."""

import datetime as dt
import random

import pytest

from peaceops.returns.models import CargoLine, Convoy, Household
from peaceops.returns.scenario import build_returns
from peaceops.returns.services import returned_as_of
from peaceops.scenario.world import World

REPORTED = [  # (day, total at least/about, that day)
    (dt.date(2020, 11, 21), 7000, None),
    (dt.date(2020, 11, 22), None, 1300),
    (dt.date(2020, 12, 6), 34000, 859),
    (dt.date(2020, 12, 8), 36000, 1136),
    (dt.date(2020, 12, 25), None, 540),
    (dt.date(2020, 12, 31), 49000, None),
]


@pytest.mark.slow
def test_scenario_matches_reported_figures(world):
    build_returns(World(seed=20201110, scale=1.0, rng=random.Random(20201110), places=world["places"]))
    for day, total, that_day in REPORTED:
        count = returned_as_of(day)
        if total:
            assert abs(count.total - total) <= 0.05 * total, (day, count.total)
        if that_day:
            assert abs(count.last_24h - that_day) <= 0.05 * that_day, (day, count.last_24h)
    assert returned_as_of(dt.date(2020, 11, 13)).total == 0
    assert returned_as_of(dt.date(2020, 11, 14)).total < 1000  # a few hundred on the first day
    assert returned_as_of(dt.date(2020, 12, 6)).total > 34000 and returned_as_of(dt.date(2020, 12, 8)).total > 36000
    on_22 = Convoy.objects.get(date=dt.date(2020, 11, 22), corridor__name__startswith="Yerevan")
    assert on_22.vehicles.count() == 32
    assert CargoLine.objects.filter(convoy__corridor__name__startswith="Goris").exists()
    assert Household.objects.filter(state="waiting").exists()
    # Movement beyond convoys: self-organised returns from 23 November (none in the seed's week), each person
    # once beside the escorted ones, and daily flow counts at two checkpoints.
    from peaceops.returns.models import FlowCount

    assert returned_as_of(dt.date(2020, 11, 21)).self_organised == 0
    end = returned_as_of(dt.date(2020, 12, 31))
    assert 300 < end.self_organised < 800 and end.escorted + end.self_organised == end.total
    assert FlowCount.objects.filter(day=dt.date(2020, 11, 14)).exists()


def _same_ids_whatever_ran_before() -> None:
    """PostgreSQL's sequences keep counting through rolled-back tests, so the world gets other ids after other
    tests. The u sample (`engine._estimate_u`, seeded) is drawn over record ids, so other ids draw another sample
    and a planted pair near the threshold can fall either side (found running the whole suite: 29 of 30). Until
    the sample is drawn over content, not ids (bench/RESULTS.md, Demo world), the test builds on the ids a fresh
    database gives."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.mark.slow  # about a minute: a tenth of the demo built, then searched
def test_planted_duplicate_registrations_are_found_with_no_false_proposal(world, users):
    """At a tenth of the demo's scale: every returnee registered again at the second desk (another script, a date
    or father's name dropped), among siblings and namesakes, is proposed, and nobody else is."""
    from peaceops.returns.models import DuplicateProposal
    from peaceops.returns.services.duplicates import find_duplicates

    _same_ids_whatever_ran_before()
    w = World(seed=20201110, scale=0.1, rng=random.Random(20201110), places=world["places"])
    build_returns(w)
    planted = {tuple(sorted(pair)) for pair in w.truth["duplicate registrations"]}
    assert len(planted) == 30
    result = find_duplicates(users["returns_officer"])
    proposed = set(DuplicateProposal.objects.values_list("left_id", "right_id"))
    assert proposed == planted, (len(proposed - planted), len(planted - proposed), result.summary())
    assert "Prior estimated from this data" in result.summary()


def test_women_of_a_demo_family_bear_its_surname(world):
    """The demo drew women's surnames from a list of their own: a wife and daughters shared a surname no man of
    the family bore, and two families' daughters met on a mother of the same (other) surname."""
    from peaceops.core.models import PersonName
    from peaceops.returns.models import HouseholdMember
    from peaceops.returns.scenario import family_surname

    assert [family_surname(s, "F") for s in ("Моисеев", "Кузьмин", "Вяземский", "Толстой", "Шевченко")] == [
        "Моисеева", "Кузьмина", "Вяземская", "Толстая", "Шевченко"]
    assert family_surname("Ռշտունի", "F") == "Ռշտունի" and family_surname("Моисеев", "M") == "Моисеев"
    build_returns(World(seed=20201110, scale=0.02, rng=random.Random(20201110), places=world["places"]))
    names = dict(PersonName.objects.filter(is_primary=True).values_list("person_id", "full_name"))
    families = 0
    for household in Household.objects.filter(size__gte=3).select_related("head"):
        if household.head.sex != "M":
            continue
        surname = names[household.head_id].split()[-1]
        members = HouseholdMember.objects.filter(household=household).values_list("person_id", "person__sex")
        assert {names[p].split()[-1] for p, sex in members} <= {surname, family_surname(surname, "F")}, household
        families += 1
    assert families > 20
