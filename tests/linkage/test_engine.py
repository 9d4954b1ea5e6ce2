"""The engine on small fixed lists with known answers (no training: the fixed m/u path)."""

import pytest

from peaceops.linkage.engine import dedupe_records, link_records
from peaceops.linkage.interface import MatchProposal

from .fixtures import DEDUPE, DEDUPE_PAIRS, LEFT, RIGHT, TRUE_PAIRS


def _pairs(props: list[MatchProposal]) -> set[tuple[str, str]]:
    return {(p.left_id, p.right_id) for p in props}


def _undirected(props: list[MatchProposal]) -> set[tuple[str, str]]:
    return {tuple(sorted((p.left_id, p.right_id))) for p in props}


@pytest.fixture(scope="module")
def cross_script() -> list[MatchProposal]:
    return link_records(LEFT, RIGHT)


def test_cross_script_lists_find_exactly_the_true_pairs(cross_script) -> None:
    assert _pairs(cross_script) == TRUE_PAIRS


def test_brother_with_same_father_and_town_is_not_proposed(cross_script) -> None:
    assert ("A5", "B4") not in _pairs(cross_script)
    low = link_records(LEFT, RIGHT, threshold=0.0)
    brother = {(p.left_id, p.right_id): p for p in low}.get(("A5", "B4"))
    assert brother is None or brother.probability < 0.5


def test_explanation_lists_every_comparison_with_level_and_weight(cross_script) -> None:
    prop = next(p for p in cross_script if p.left_id == "A1")
    fields = [e.field for e in prop.explanation]
    assert fields == ["surname", "given_name", "father_name", "birth_date", "birth_place", "sex"]
    by = {e.field: e for e in prop.explanation}
    assert by["surname"].level == "same name symbol (cross-script)" and by["surname"].agrees
    assert by["birth_date"].level == "exact date"  # 12.03.1985 == 1985-03-12
    assert by["birth_place"].level.startswith("same place")  # Ստեփանակերտ == Ханкенди
    assert by["father_name"].left_value == by["father_name"].right_value == "sergey"  # from the patronymic
    assert prop.match_weight == pytest.approx(sum(e.match_weight for e in prop.explanation))


def test_disagreeing_field_has_negative_weight() -> None:
    props = link_records(LEFT[:1], [dict(RIGHT[0], birth_place="Баку")], threshold=0.0)
    place = {e.field: e for e in props[0].explanation}["birth_place"]
    assert place.level == "different" and place.match_weight < 0 and not place.agrees


def test_dedupe_small_list(tmp_path) -> None:
    props = dedupe_records(DEDUPE)
    assert _undirected(props) == DEDUPE_PAIRS
    transposed = next(p for p in props if {p.left_id, p.right_id} == {"3", "4"})
    assert {e.field: e.level for e in transposed.explanation}["birth_date"] == "day and month transposed"


@pytest.mark.parametrize("n", [2, 3, 30])
def test_tiny_lists_work_without_training(n: int) -> None:
    """A list too short to estimate anything is scored as a query: it still finds its true pairs, and a row
    copied within the list is proposed as its own duplicate."""
    left = [dict(r, id=f"{r['id']}#{i // len(LEFT)}") for i, r in enumerate((LEFT * 10)[:n])]
    found = {(p.left_id.split("#")[0], p.right_id) for p in link_records(left, RIGHT)}
    assert found == {pair for pair in TRUE_PAIRS if pair[0] in {r["id"].split("#")[0] for r in left}}
    copies = {tuple(sorted((p.left_id, p.right_id))) for p in dedupe_records(left)}
    assert all(a.split("#")[0] == b.split("#")[0] for a, b in copies)
    tiled = {r["id"].split("#")[0] for r in left if not r["id"].endswith("#0")}
    assert {a.split("#")[0] for a, _b in copies} >= tiled


def test_empty_inputs() -> None:
    assert link_records([], RIGHT) == [] and dedupe_records(LEFT[:1]) == []


def test_extra_columns_compared_generically() -> None:
    left = [dict(r, passport=f"AN{i:05d}") for i, r in enumerate(LEFT)]
    right = [dict(r, passport=f"AN{i:05d}") for i, r in enumerate(RIGHT)]
    props = link_records(left, right, threshold=0.0)
    one = next(p for p in props if (p.left_id, p.right_id) == ("A1", "B1"))
    assert {e.field: e.level for e in one.explanation}["passport"] == "exact"


def test_place_key_hook_is_used() -> None:
    left = [dict(LEFT[0], birth_place="Village-17")]
    right = [dict(RIGHT[0], birth_place="Деревня 17")]
    hook = {"Village-17": "P17", "Деревня 17": "P17"}.get
    props = link_records(left, right, threshold=0.0, place_key=hook)
    assert {e.field: e.level for e in props[0].explanation}["birth_place"].startswith("same place")


def test_preparation_with_the_symbol_helper_gives_the_same_table(monkeypatch) -> None:
    """Large inputs get their name symbols from a helper process; the table must not depend on it."""
    import pandas as pd

    from peaceops.linkage import prepare
    from peaceops.linkage.synthetic import generate_registrations

    rows, _ = generate_registrations(400, seed=5)
    one = prepare.prepare_records(rows, ())
    from peaceops.linkage.symbol_helper import SymbolHelper

    asked: list[int] = []
    real = SymbolHelper.symbols_of
    monkeypatch.setattr(SymbolHelper, "symbols_of", lambda self, t: asked.append(len(t)) or real(self, t))
    monkeypatch.setattr(prepare, "PARALLEL_FROM", 100)
    monkeypatch.setattr(prepare, "names_loaded", lambda: False)  # this process has them: pretend it has not
    helped = prepare.prepare_records(rows, ())
    assert asked and asked[0] > 100  # the helper answered for the given names, surnames and fathers
    pd.testing.assert_frame_equal(one, helped)
    assert len(helped) == 400 and helped["unique_id"].is_unique
    assert helped["given_sym"].notna().mean() > 0.5  # symbols arrived, not just empty lists


def test_symbol_helper_answers_from_its_own_interpreter_and_survives_its_death() -> None:
    from peaceops.linkage.names import symbols_of
    from peaceops.linkage.symbol_helper import SymbolHelper

    tokens = {"Hovhannisyan", "Оганесян", "Zzqxw"}
    helper = SymbolHelper()
    try:
        helper.look_up(tokens)
        found = helper.symbols_of(tokens | {"Aram"})  # one more, asked for afterwards
        assert found == symbols_of(tokens | {"Aram"})
        assert found["Hovhannisyan"] & found["Оганесян"]  # the cross-script symbol, across the process boundary
        helper._proc.kill()
        helper._proc.wait()
        assert helper.symbols_of({"Petrosyan"}) == symbols_of({"Petrosyan"})  # worked out here instead
    finally:
        helper.close()


@pytest.mark.parametrize("left_dob, right_dob, level", [
    ("1954-03-02", "1954-03-23", "same year and month or day"),  # the day rewritten: two digits differ
    ("1938-10-23", "1997-10-23", "same day and month, year differs"),
    ("--06-27", "1960-06-27", "agrees as far as both are known (partial date)"),  # year struck out as impossible
    ("--06-27", "1960", "missing"),  # nothing both sides know
])
def test_birth_date_levels_for_one_wrong_part(left_dob, right_dob, level) -> None:
    person = {"name": "Christian Becker", "sex": "M"}
    props = link_records([dict(person, id="a", birth_date=left_dob)], [dict(person, id="b", birth_date=right_dob)],
                         threshold=0.0)
    assert {e.field: e.level for e in props[0].explanation}["birth_date"] == level


def test_preparation_without_a_startable_helper_looks_symbols_up_itself(monkeypatch) -> None:
    import sys

    import pandas as pd

    from peaceops.linkage import prepare
    from peaceops.linkage.symbol_helper import SymbolHelper
    from peaceops.linkage.synthetic import generate_registrations

    rows, _ = generate_registrations(150, seed=9)
    expected = prepare.prepare_records(rows, ())
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert SymbolHelper.start() is None
    monkeypatch.setattr(prepare, "PARALLEL_FROM", 100)
    monkeypatch.setattr(prepare, "names_loaded", lambda: False)
    pd.testing.assert_frame_equal(prepare.prepare_records(rows, ()), expected)
