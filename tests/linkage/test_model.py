"""Comparison levels of the name model, on small pairs with known answers (fixed m/u, no training)."""

import pytest

from peaceops.linkage.engine import link_records

SWAPPED = "matches the other name part (order swapped)"


def _levels(left: dict, right: dict) -> dict[str, str]:
    props = link_records([dict(left, id="a")], [dict(right, id="b")], threshold=0.0)
    return {e.field: e.level for e in props[0].explanation}


def test_given_name_and_surname_written_the_other_way_round() -> None:
    levels = _levels({"given_name": "Ivan", "surname": "Petrov", "birth_date": "1971-05-02"},
                     {"given_name": "Petrov", "surname": "Ivan", "birth_date": "1971-05-02"})
    assert levels["given_name"] == levels["surname"] == SWAPPED


def test_misspelt_name_whose_skeleton_is_the_other_part_is_a_misspelling_not_a_swap() -> None:
    """"Mariza" and "Maria" are one typo apart; "Maria" and "Meier" share the skeleton "mr"."""
    levels = _levels({"given_name": "Mariza", "surname": "Meier", "birth_date": "1980-02-04"},
                     {"given_name": "Maria", "surname": "Meier", "birth_date": "1980-02-04"})
    assert levels["given_name"] == "similar spelling (Jaro-Winkler ≥ 0.92)"
    assert levels["surname"] == "exact (after transliteration)"


def test_one_typo_in_a_short_surname_is_its_own_level() -> None:
    levels = _levels({"given_name": "Ingrid", "surname": "Mayer", "birth_date": "1954-12-04"},
                     {"given_name": "Ingrid", "surname": "Maydr", "birth_date": "1954-12-04"})
    assert levels["surname"] == "one letter different"  # Jaro-Winkler 0.89: below the "similar" level


@pytest.mark.parametrize("left, right", [
    (("Birgit", "Bquer", "1967-04-12"), ("Birgit", "Bauer", "1964-04-12")),  # surname typo, year rewritten
    (("Birgit", "Bquer", "1967-04-12"), ("Birgit", "Bauer", "1967-09-12")),  # surname typo, month rewritten
    (("Birgit", "Bauer", "1967-04-12"), ("Bigit", "Bauer", "1964-04-12")),  # given-name typo, year rewritten
])
def test_misspelt_name_with_one_rewritten_date_part_is_a_candidate(left, right) -> None:
    a, b = ({"id": i, "given_name": g, "surname": s, "birth_date": d} for i, (g, s, d) in zip("ab", (left, right)))
    props = link_records([a], [b], threshold=0.0)
    assert [(p.left_id, p.right_id) for p in props] == [("a", "b")]
