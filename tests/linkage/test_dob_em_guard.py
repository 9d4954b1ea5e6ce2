"""The birth-date EM's guard (engine._dob_em): EM's m are refused where a level of two different dates takes far
more of the duplicates than the shipped model says (namesakes or relatives), and kept where EM learns a
registry's slips. The learnt values below are those measured in bench/RESULTS.md ("Birth-date EM guarded on the
sum of the dates apart": RLdata10000, and a realistic registry of 50,000 records with 1 % duplicates)."""

from __future__ import annotations

from peaceops.linkage import model, params
from peaceops.linkage.engine import dates_apart_against

LABELS = {lvl["_key"]: lvl["label_for_charts"] for lvl in model._dob_comparison(model.DUCKDB)["comparison_levels"]
          if not lvl.get("is_null_level")}
SHIPPED = {LABELS[key]: level["m"] for key, level in params.shipped().comparisons["birth_date"].items()}
APART = model.dob_labels_apart(model.DUCKDB)


def _learnt(**by_key: float) -> dict[str, float]:
    return {**SHIPPED, **{LABELS[key]: m for key, m in by_key.items()}}


def test_a_level_of_two_different_dates_raised_far_past_the_shipped_m_refuses_em():
    learnt = _learnt(near_full=SHIPPED[LABELS["near_full"]] + 0.05, exact=0.45)
    assert dates_apart_against(learnt, SHIPPED, APART) == [LABELS["near_full"]]


def test_em_learning_a_registrys_slips_is_kept():
    # RLdata10000: one digit different 0.06 -> 0.49 (not a level of two dates), more than 5 years apart
    # 0.013 -> 0.038 (under 4 times the shipped m): EM's gain there must stay.
    learnt = _learnt(exact=0.3326, partial=0.0586, one_digit=0.4892, day_month=0.0313, year_and_part=0.0342,
                     year_only=0.0043, near_full=0.0002, near=0.0021, few_years_full=0.0004, few_years=0.0080,
                     far_full=0.0012)
    learnt[LABELS["else"]] = 0.0378
    assert dates_apart_against(learnt, SHIPPED, APART) == []


def test_a_rare_level_must_also_gain_in_absolute_share_before_em_is_refused():
    # Four times a tiny shipped m is still a tiny share of the duplicates (50,000 at 1 %, seed 2026).
    shipped = SHIPPED[LABELS["near_full"]]
    assert shipped < 0.005
    assert dates_apart_against(_learnt(near_full=5 * shipped), SHIPPED, APART) == []
    assert dates_apart_against(_learnt(near_full=shipped + 0.03), SHIPPED, APART) == [LABELS["near_full"]]


def test_levels_that_compare_dates_the_same_are_never_a_reason_to_refuse():
    assert LABELS["one_digit"] not in APART and LABELS["exact"] not in APART
    assert dates_apart_against(_learnt(one_digit=0.9, partial=0.9), SHIPPED, APART) == []
