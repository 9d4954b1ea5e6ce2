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


def test_a_full_date_years_off_in_every_part_is_its_own_level() -> None:
    """A full date far from another full date is another person's date; a bare year far off is a bad guess at an
    age, and keeps the old level (weighed by its own m)."""
    full = _levels({"given_name": "Zamir", "surname": "Adilov", "birth_date": "1952-10-25"},
                   {"given_name": "Zamir", "surname": "Adilov", "birth_date": "1992-01-17"})
    year = _levels({"given_name": "Zamir", "surname": "Adilov", "birth_date": "1952"},
                   {"given_name": "Zamir", "surname": "Adilov", "birth_date": "1992-01-17"})
    assert full["birth_date"] == "another full date more than 5 years apart"
    assert year["birth_date"] == "more than 5 years apart"


def test_a_rewritten_surname_with_an_estimated_age_is_a_candidate_by_given_and_fathers_names() -> None:
    """The surname's skeleton changed (a slip), the year is an estimate: only the given and father's names hold."""
    props = link_records([{"id": "a", "name": "Zamir Ədilpğlu", "father_name": "Yavar", "birth_date": "1951"}],
                         [{"id": "b", "name": "Адилоглу Замир Яварович", "birth_date": "1950-05-17"}], threshold=0.0)
    assert [(p.left_id, p.right_id) for p in props] == [("a", "b")]
