"""The household comparison (`linkage.households`): a namesake registered with another family, none of whose
members is in this one, is another person; a second registration made alone is left to the person's fields.

The planted pair is the demo's Herasim Vlasov (bench/RESULTS.md, "Households: what separates the demo's last
false proposals"): one name, 1941-09-25 against a bare 1941, a father's name on one side only; one man heads a
household with his wife and two daughters, the other is the husband in another with two sons."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bench.linkage.registry import realistic_registry
from peaceops.linkage import households
from peaceops.linkage.engine import dedupe
from peaceops.linkage.params import ModelParams, shipped
from peaceops.linkage.prepare import prepare_records
from peaceops.linkage.synthetic import Rehousing, household_registry
from peaceops.linkage.training import household_m


def _family(household: str, members: list[tuple[str, str, str, str]]) -> list[dict]:
    return [{"id": uid, "name": name, "birth_date": born, "sex": sex, "household": household}
            for uid, name, born, sex in members]


def _planted() -> list[dict]:
    first = _family("H1", [("herasim", "Герасим Власов", "1941-09-25", "M"),
                           ("margarita", "Маргарита Власова", "1944-02-11", "F"),
                           ("daughter1", "Ольга Власова", "1966-07-01", "F"),
                           ("daughter2", "Нина Власова", "1970-03-19", "F")])
    first[0]["father_name"] = "Михаил"
    second = _family("H2", [("herasim2", "Herasim Vlasov", "1941", "M"),
                            ("fevroniya", "Fevroniya Vlasova", "1943", "F"),
                            ("ruben", "Ruben Vlasov", "1965", "M"),
                            ("potap", "Potap Vlasov", "1968", "M")])
    # A woman registered with her family, then again alone (a household of one): a duplicate.
    marta = _family("H3", [("marta", "Մարթա Ղաբզիմալյան", "1976-06-14", "F"),
                           ("marta_son", "Դավիթ Ղաբզիմալյան", "2001-01-09", "M")])
    marta[0]["father_name"] = "Վլադիմիր"
    alone = _family("H4", [("marta_again", "Габзималян Марта", "14.06.1976", "F")])
    alone[0]["father_name"] = "Владимир"
    return [*first, *second, *marta, *alone]


def _without_households(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "household"} for r in records]


@pytest.fixture(scope="module")
def scored() -> dict[str, dict[frozenset[str], object]]:
    rows, _truth = realistic_registry(4_000, 0.0, seed=51)
    out = {}
    for variant, planted in (("with", _planted()), ("without", _without_households(_planted()))):
        run = dedupe([*rows, *planted], threshold=0.0)
        ids = {p["id"] for p in planted}
        out[variant] = {frozenset((p.left_id, p.right_id)): p for p in run.proposals
                        if p.left_id in ids and p.right_id in ids}
    return out


def _p(pairs: dict, a: str, b: str) -> float:
    found = pairs.get(frozenset((a, b)))
    return found.probability if found else 0.0


def _level(pairs: dict, a: str, b: str) -> str:
    return next(e.level for e in pairs[frozenset((a, b))].explanation if e.field == "household")


def test_a_namesake_in_another_family_is_no_longer_proposed(scored) -> None:
    assert _p(scored["without"], "herasim", "herasim2") >= 0.9  # the person's fields alone: the demo's mistake
    assert _p(scored["with"], "herasim", "herasim2") < 0.9
    assert _level(scored["with"], "herasim", "herasim2") == households.LABELS[households.NONE]


def test_a_duplicate_registered_alone_is_still_proposed_and_its_household_weighs_nothing(scored) -> None:
    assert _p(scored["with"], "marta", "marta_again") >= 0.9
    assert _p(scored["with"], "marta", "marta_again") == pytest.approx(_p(scored["without"], "marta", "marta_again"),
                                                                       abs=0.01)
    found = scored["with"][frozenset(("marta", "marta_again"))]
    household = [e for e in found.explanation if e.field == "household"]
    assert household[0].level == "no co-members on one side" and household[0].match_weight == 0


def test_the_level_is_unknown_when_a_side_has_no_co_member() -> None:
    records = [{"id": "a", "name": "Armen Petrosyan", "household": "1"},
               {"id": "b", "name": "Armen Petrosyan", "household": "2"},
               {"id": "b_wife", "name": "Anna Petrosyan", "household": "2"},
               {"id": "c", "name": "Armen Petrosyan"}]
    frame = prepare_records(records, ())
    cols = dict(zip(frame["unique_id"], zip(frame["household"], frame["household_keys"], strict=True), strict=True))
    assert cols["a"] == ("1", None)  # registered alone
    assert cols["c"] == (None, None)  # no household
    assert households.level(*cols["a"][:1], *cols["b"][:1], cols["a"][1], cols["b"][1]) == households.UNKNOWN
    assert households.level(cols["c"][0], cols["b"][0], cols["c"][1], cols["b"][1]) == households.UNKNOWN
    assert households.WEIGHTS[households.UNKNOWN] == 0


def test_one_person_under_two_spellings_is_not_their_own_co_member() -> None:
    records = [{"id": "p:0", "name": "Armen Petrosyan", "household": "1", "person_key": "p"},
               {"id": "p:1", "name": "Արմեն Պետրոսյան", "household": "1", "person_key": "p"}]
    frame = prepare_records(records, ())
    assert frame["household_keys"].isna().all()


def test_levels_same_common_none() -> None:
    assert households.level("1", "1", "x", "y") == households.SAME
    assert households.level("1", "2", "x\x1fy", "y") == households.COMMON
    assert households.level("1", "2", "x", "y") == households.NONE


def _pair_level(records: list[dict], a: str, b: str) -> int:
    frame = prepare_records(records, ())
    cols = dict(zip(frame["unique_id"], zip(frame["household"], frame["household_keys"], strict=True), strict=True))
    return households.level(cols[a][0], cols[b][0], cols[a][1], cols[b][1])


@pytest.mark.parametrize(("father_born", "level"), [("1937", households.NONE), ("1944", households.COMMON),
                                                   (None, households.COMMON)])
def test_a_co_member_in_common_needs_a_birth_year_within_a_clerks_estimate(father_born, level) -> None:
    """The demo at scale 1 proposed two Karen Tadevosyan/Tevosyan 1975, each a child of a Vahram (born 1946 and
    1937), at 0.98 on "a co-member in common": two fathers 9 years apart are two men."""
    father = {"id": "father_b", "name": "Վահրամ Թևոսյան", "household": "2"}
    if father_born:
        father["birth_date"] = father_born
    records = [{"id": "karen_a", "name": "Karen Tadevosyan", "birth_date": "1975-05-08", "household": "1"},
               {"id": "father_a", "name": "Vahram Tadevosyan", "birth_date": "1946", "household": "1"},
               {"id": "karen_b", "name": "Կարեն Թևոսյան", "birth_date": "1975-06-25", "household": "2"}, father]
    assert _pair_level(records, "karen_a", "karen_b") == level


@pytest.mark.parametrize(("husband_father", "level"), [("Ипат", households.NONE), ("Ефим", households.COMMON),
                                                      ("", households.COMMON)])
def test_a_co_member_in_common_needs_a_father_of_the_same_name_where_both_are_known(husband_father, level) -> None:
    """The demo at scale 1 (women bearing the family's surname) proposed two Darya Moiseeva, 1961 and 1959, at
    0.998 on "a co-member in common": each was married to an Akim Moiseev, one the son of Efim, the other of Ipat."""
    records = [{"id": "darya_a", "name": "Дарья Моисеева", "birth_date": "1961", "household": "1"},
               {"id": "akim_a", "name": "Аким Моисеев", "birth_date": "1958", "father_name": "Ефим", "household": "1"},
               {"id": "darya_b", "name": "Darya Moiseeva", "birth_date": "1959-10-25", "household": "2"},
               {"id": "akim_b", "name": "Аким Моисеев", "birth_date": "1959", "father_name": husband_father,
                "household": "2"}]
    assert _pair_level(records, "darya_a", "darya_b") == level


def test_the_household_levels_weigh_what_the_shipped_model_learnt() -> None:
    """m (and a query's u) come from the model file's `household` entry, learnt by the training script from
    generated households: a co-member in common is evidence for a match, none in common against it."""
    entry = shipped().comparisons["household"]
    assert set(entry) == {"same", "common", "none"}
    assert sum(v["m"] for v in entry.values()) == pytest.approx(1, abs=1e-4)
    assert shipped().meta["households"]["household_true_pairs"] > 10_000
    weights = households.weights(households.m_u())
    assert weights[households.COMMON] == pytest.approx(math.log2(entry["common"]["m"] / entry["common"]["u"]))
    assert weights[households.COMMON] > 1
    assert weights[households.NONE] < -1
    assert weights[households.UNKNOWN] == 0
    # A model without a household entry (an operation's, stored before it was shipped) takes the shipped one.
    assert households.m_u(ModelParams({"sex": shipped().comparisons["sex"]})) == households.m_u()


def test_u_is_estimated_among_the_pairs_at_stake_counted_as_non_matches() -> None:
    """u from the data at hand: pairs with a Bayes factor below 1 do not count, a pair certain to match barely
    counts, and too little weight falls back to the model's u (None)."""
    n = 1_000
    gammas = np.array([households.COMMON] * 100 + [households.NONE] * 900 + [households.UNKNOWN] * 500
                      + [households.COMMON] * 5_000 + [households.SAME] * 300)
    log2_bayes = np.array([2.0] * 1_000 + [2.0] * 500 + [60.0] * 5_000 + [-1.0] * 300)
    u = households.estimate_u(gammas, log2_bayes, prior=1e-4)
    assert u[households.COMMON] == pytest.approx(0.1, abs=0.005)
    assert u[households.NONE] == pytest.approx(0.9, abs=0.005)
    assert u[households.SAME] < 0.002
    assert households.estimate_u(gammas[:n // 10], log2_bayes[:n // 10], prior=1e-4) is None


def test_apply_uses_the_u_of_the_data_at_hand_unless_a_query() -> None:
    n = 600
    frame = pd.DataFrame({"unique_id": [f"r{i}" for i in range(2 * n)],
                          "household": [f"h{i}" for i in range(2 * n)],
                          "household_keys": ["a" if i % 2 else "b" for i in range(2 * n)]})
    # Even records' co-member key is 'b', odd ones' 'a': a pair (r0, r2) shares it, a pair (r0, r1) does not.
    left_ids = [f"r{i}" for i in range(0, 2 * n, 2)]
    right_ids = [f"r{(i + 2) % (2 * n) if k % 2 else i + 1}" for k, i in enumerate(range(0, 2 * n, 2))]
    pairs = pd.DataFrame({"unique_id_l": left_ids, "unique_id_r": right_ids, "match_weight": 1.0})
    scored = households.apply(pairs, frame, None, explain=True, prior=1e-4)
    level = scored["gamma_household"].to_numpy()
    common_share = float((level == households.COMMON).mean())
    m_common = households.m_u()[households.COMMON][0]
    added = scored.loc[level == households.COMMON, "mw_household"].iloc[0]
    assert added == pytest.approx(math.log2(m_common / common_share), abs=0.02)
    as_query = households.apply(pairs, frame, None, explain=True)
    assert as_query.loc[level == households.COMMON, "mw_household"].iloc[0] == pytest.approx(
        households.WEIGHTS[households.COMMON])


def test_the_training_step_learns_m_from_generated_households() -> None:
    rows, truth = household_registry(4_000, seed=3, dup_rate=0.1,
                                     rehousing=Rehousing(alone=0.2, whole=0.5, part=0.0, elsewhere=0.3, twice=0.0))
    assert all(r["household"] for r in rows) and len(truth) > 150
    entry, facts = household_m([(rows, truth)], progress=lambda _msg: None)
    assert entry["common"]["m"] > 0.5 > entry["none"]["m"] > 0.1
    assert 0.05 < facts["household_unknown_share"] < 0.5


def test_a_household_column_is_not_an_extra_column() -> None:
    records = [{"id": str(i), "name": f"Name{i} Surname", "household": str(i // 2)} for i in range(4)]
    frame = prepare_records(records, ())
    assert "x_household" not in frame.columns
    from peaceops.linkage.prepare import extra_columns

    assert extra_columns(records) == ()


def test_records_without_households_score_exactly_as_before() -> None:
    """No household on any record: no household column, and the same scores as with the key left empty (FEBRL,
    RLdata, party lists, tracing requests)."""
    rows, _truth = realistic_registry(1_500, 0.05, seed=7)
    frame = prepare_records(rows, ())
    assert not set(households.COLUMNS) & set(frame.columns)
    plain = dedupe(rows, threshold=0.5).proposals
    empty = dedupe([{**r, "household": ""} for r in rows], threshold=0.5).proposals
    assert plain, "the registry has duplicates to score"
    assert [(p.left_id, p.right_id, p.probability) for p in plain] == \
        [(p.left_id, p.right_id, p.probability) for p in empty]
    assert all(e.field != "household" for p in plain for e in p.explanation)


def test_a_co_member_name_common_among_the_surname_s_families_tells_less() -> None:
    """Twenty Nabioglu families, twelve with a Minura: two namesakes sharing a Minura are weak evidence; sharing
    a Sadyg (in no other family) weighs as the level does on average."""
    rows = []
    for f in range(20):
        rows.append({"household": f"h{f}", "name_sk_key": "npkl xx", "surname_sk": "npkl"})
        if f < 12:
            rows.append({"household": f"h{f}", "name_sk_key": "mnr npkl", "surname_sk": "npkl"})
    rows += [{"household": "h0", "name_sk_key": "npkl stk", "surname_sk": "npkl"},
             {"household": "h1", "name_sk_key": "npkl stk", "surname_sk": "npkl"}]
    frame = pd.DataFrame(rows)
    q = households.common_u(["mnr npkl", "npkl stk"], ["mnr npkl", "npkl stk"], ["npkl", "npkl"], [frame], 0.03)
    assert q[0] == pytest.approx((10 + 5 * 0.03) / (18 + 5))
    assert q[1] == pytest.approx(0.03)
