"""The household levels' m read from the data's own sure pairs (`households.m_from_data`): how an office's
people come back (alone, with their family, inside another family's household) is its habit, and a registry large
enough to estimate from shows it in the pairs its names and dates already make sure (bench/RESULTS.md, "Ceiling of
the features")."""

from __future__ import annotations

import pytest

from peaceops.linkage import engine, households
from peaceops.linkage.params import shipped
from peaceops.linkage.prepare import extra_columns, prepare_records, schema_for
from peaceops.linkage.synthetic import Rehousing, household_registry

# An office where half the people registered again come back inside another family's household (married, taken
# in): the shipped m, learnt on habits around 8 %, weigh *none in common* as if duplicates rarely showed it.
ELSEWHERE = Rehousing(alone=0.2, whole=0.25, part=0.05, elsewhere=0.5, twice=0.0)


@pytest.fixture(scope="module")
def registry() -> tuple[list[dict], set[tuple[str, str]]]:
    return household_registry(3_000, seed=11, dup_rate=0.1, rehousing=ELSEWHERE)


def _scored(rows: list[dict]) -> tuple[engine.LinkageRun, object]:
    frame = prepare_records(rows, extra_columns(rows), None)
    return engine.run(frame, None, schema_for([frame], ()), threshold=0.0, explain=True), frame


def test_m_of_none_in_common_is_read_from_the_sure_pairs(registry) -> None:
    rows, _truth = registry
    run, frame = _scored(rows)
    learnt, seen = households.m_from_data(run.pairs, engine.probability(run.pairs["match_weight"].to_numpy(), run.prior), frame,
                                          None, shipped())
    assert seen >= households.M_DATA_MIN_PAIRS
    m = {key: learnt.comparisons[households.COMPARISON][key]["m"] for key in households.KEYS.values()}
    assert m["none"] > 0.3 > shipped().comparisons[households.COMPARISON]["none"]["m"]
    assert sum(m.values()) == pytest.approx(1.0)
    assert any("sure pairs with a household on both sides" in note for note in run.notes)


def test_none_in_common_weighs_what_the_office_s_habit_says(registry) -> None:
    """The data's m reach the scores: *co-members on both sides, none in common* weighs about -1.2 bits here, not
    the shipped m's -3.5 (half of this office's duplicates came back inside another family)."""
    rows, truth = registry
    run, _frame = _scored(rows)
    pairs = run.pairs
    at_none = pairs[pairs["gamma_household"] == households.NONE]
    keys = [tuple(sorted(k)) for k in zip(at_none["unique_id_l"], at_none["unique_id_r"], strict=True)]
    assert sum(k in truth for k in keys) >= 20
    assert at_none["mw_household"].max() > -2.5
    assert at_none["mw_household"].min() > -2.5


def test_no_sure_pair_with_households_on_both_sides_keeps_the_model() -> None:
    """A registry whose duplicates all came back alone (the demo's planted ones) shows no habit: the model's m."""
    rows, _truth = household_registry(1_500, seed=12, dup_rate=0.1,
                                      rehousing=Rehousing(alone=1.0, whole=0.0, part=0.0, elsewhere=0.0, twice=0.0))
    run, frame = _scored(rows)
    params = shipped()
    learnt, seen = households.m_from_data(run.pairs, engine.probability(run.pairs["match_weight"].to_numpy(), run.prior), frame,
                                          None, params)
    assert seen == 0.0 and learnt is params
    assert not any("sure pairs with a household on both sides" in note for note in run.notes)
