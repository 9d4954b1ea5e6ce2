"""The household a record was registered in, compared after scoring: two namesakes each registered with a family
of their own, none of whose members is in the other's, are two people.

A record may carry `household` (an id, any string) and `person_key` (which records are one person: a person
registered under several spellings gives several records; the record's own id when absent). A record's
co-members are the other persons of its household in the same input, compared by the engine's name key
(`name_sk_key`, the pair of phonetic skeletons, which survives a change of script) and their birth years: a
co-member is *in common* only where the years, when both are known, are at most `YEARS_APART` apart (a clerk's
estimated age), and where their fathers' names, when both are known, share a skeleton (the demo proposed two wives
named Darya Moiseeva, each married to an Akim Moiseev, whose fathers were Efim and Ipat). Skeletons are loose on
purpose (Maria and Meri share one), and two families of one surname each with a father named Vahram are common;
the demo proposed such namesakes at 0.98 on a father 9 years apart.

Levels and their weights, log2(m / u) like every other comparison's:

- *unknown* (no household on a side, or a side registered alone): the null level, 0 bits. How often a second
  registration is made alone is the habit that varies most from office to office (every planted duplicate of the
  demo; 184 of 186 true pairs of the realistic registry's 1 % cells before it had households), so, as Splink does
  with a missing value, it weighs nothing: a duplicate registered alone is left to the person's fields.
- *same household*, *a co-member in common*, *co-members on both sides and none in common*: m is **learnt** from
  the true pairs of generated registries with households (`synthetic.household_registry`, re-registration habits
  drawn per registry: made alone, with the whole household again, with part of it, inside another family's
  household, or one person entered twice on one household's form) by `scripts/train_linkage_model.py
  --households-only` (the `household` entry of `data/model.json`; m is the share among true pairs whose level is
  known). u is estimated **from the data at hand** (`estimate_u`): among the pairs the household weight is added
  to that the other comparisons already favour (Bayes factor at least 1), each counted by its probability of
  being two people — the pairs it can move are namesakes, whose relatives share common names far more often
  than random pairs' do, so u from random pairs would overrate *a co-member in common*. A query (fewer than
  `engine.MIN_RECORDS_TO_ESTIMATE` records) or data with too few such pairs uses the shipped u (the same share
  among the training registries' non-matching pairs with the same name key).

When the model in use has no `household` entry (an operation's model stored before it was shipped), the shipped
model's is used; when neither has one, the fixed weights of the first version (`FIXED`: -3.7 bits for *none in
common*, 0 otherwise).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from peaceops.linkage.params import ModelParams, level_shares, shipped

FIELDS = ("household", "person_key")
COLUMNS = ("household", "household_keys")
COMPARISON = "household"
_SEP = "\x1f"
_YEAR = "\x1e"  # between a co-member's name key and birth year in `household_keys`
_FATHER = "\x1d"  # then before the skeleton of the co-member's father's name
YEARS_APART = 3  # a co-member's birth year may be this far off and still be the same person (estimated ages)

UNKNOWN, NONE, COMMON, SAME = -1, 0, 1, 2  # gamma values, in Splink's order (ELSE 0, higher is closer)
LABELS = {UNKNOWN: "no co-members on one side", NONE: "co-members on both sides, none in common",
          COMMON: "a co-member in common", SAME: "same household"}
KEYS = {SAME: "same", COMMON: "common", NONE: "none"}  # level keys in the model file
FIXED = {SAME: (0.5, 0.5), COMMON: (0.5, 0.5), NONE: (0.06, 0.80)}  # the first version's guessed (m, u)
# u from the data at hand needs this much weight of non-matching pairs at a known level; below it, shipped u.
U_MIN_PAIRS = 200.0
COMMON_PRIOR_PAIRS = 5.0  # `common_u`'s shrinkage towards the level's u, in households


def m_u(params: ModelParams | None = None) -> dict[int, tuple[float, float]]:
    """(m, u) per known level from `params`' `household` entry, else the shipped model's, else `FIXED`."""
    for source in (params, shipped()):
        entry = source.comparisons.get(COMPARISON) if source is not None else None
        if entry and all(KEYS[g] in entry for g in KEYS):
            return {g: (float(entry[k]["m"]), float(entry[k]["u"])) for g, k in KEYS.items()}
    return dict(FIXED)


def weights(m_u_: dict[int, tuple[float, float]]) -> dict[int, float]:
    return {UNKNOWN: 0.0, **{g: math.log2(m / u) for g, (m, u) in m_u_.items()}}


def estimate_u(gammas: np.ndarray, log2_bayes: np.ndarray, prior: float) -> dict[int, float] | None:
    """u per known level among the pairs with a Bayes factor of at least 1 before the household, each counted by
    its probability of being two people (1 - p at `prior`); None when their weight is below U_MIN_PAIRS."""
    at_stake = (log2_bayes >= 0) & (gammas != UNKNOWN)
    if not at_stake.any():
        return None
    odds = np.exp2(np.clip(log2_bayes[at_stake], -200, 200)) * (prior / (1 - prior))
    weight = 1 / (1 + odds)
    total = float(weight.sum())
    if total < U_MIN_PAIRS:
        return None
    shares = level_shares(pd.DataFrame({f"gamma_{COMPARISON}": gammas[at_stake]}), {COMPARISON: KEYS},
                          pd.Series(weight))[COMPARISON]  # smoothed and floored as every comparison's are
    return {lvl: shares[key] for lvl, key in KEYS.items()}


WEIGHTS = weights(m_u())  # the shipped model's, u shipped (a query's)


def has_households(records: Sequence[dict]) -> bool:
    return any(r.get("household") not in (None, "") for r in records)


def columns(records: Sequence[dict], name_keys: Sequence[str | None], years: Sequence[Any] | None = None,
            fathers: Sequence[str | None] | None = None) -> dict[str, list[str | None]]:
    """Per record: its household (a string or None) and its co-members' name keys, each with its birth year and
    its father's name skeleton when known (joined; None if it has none)."""
    households = [None if r.get("household") in (None, "") else str(r["household"]) for r in records]
    persons = [str(r.get("person_key") or r["id"]) for r in records]
    years = [None] * len(records) if years is None else years
    fathers = [None] * len(records) if fathers is None else fathers
    members: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for hh, person, key, year, father in zip(households, persons, name_keys, years, fathers, strict=True):
        if hh is not None:
            keys = members[hh][person]
            if key:
                known_year = "" if year is None or pd.isna(year) else str(int(year))
                keys.add(f"{key}{_YEAR}{known_year}{_FATHER}{father or ''}" if known_year or father else key)
    co_keys: list[str | None] = []
    for hh, person in zip(households, persons, strict=True):
        if hh is None:
            co_keys.append(None)
            continue
        others = [keys for other, keys in members[hh].items() if other != person]
        # A co-member without a usable name still makes the household more than one person.
        co_keys.append(_SEP.join(sorted(set().union(*others))) if others else None)
    return {"household": households, "household_keys": co_keys}


def level(hh_l: str | None, hh_r: str | None, keys_l: str | None, keys_r: str | None) -> int:
    if hh_l is None or hh_r is None or keys_l is None or keys_r is None:
        return UNKNOWN
    if hh_l == hh_r:
        return SAME
    return COMMON if shared_names(keys_l, keys_r) else NONE


def _members(keys: str) -> dict[str, set[tuple[int | None, str]]]:
    """name key → the (birth year, father's skeleton) of the co-members bearing it ("" for an unknown father)."""
    out: dict[str, set[tuple[int | None, str]]] = defaultdict(set)
    for entry in keys.split(_SEP):
        name, _sep, rest = entry.partition(_YEAR)
        year, _sep, father = rest.partition(_FATHER)
        if name:
            out[name].add((int(year) if year else None, father))
    return out


def _may_be_one(a: tuple[int | None, str], b: tuple[int | None, str]) -> bool:
    (year_a, father_a), (year_b, father_b) = a, b
    years_fit = year_a is None or year_b is None or abs(year_a - year_b) <= YEARS_APART
    return years_fit and (not father_a or not father_b or father_a == father_b)


def shared_names(keys_l: str, keys_r: str) -> set[str]:
    """The co-members' name keys two households have in common, with birth years no more than YEARS_APART apart
    and fathers' names of one skeleton, where both are known."""
    left, right = _members(keys_l), _members(keys_r)
    return {name for name in left.keys() & right.keys()
            if any(_may_be_one(a, b) for a in left[name] for b in right[name])}


def common_u(keys_l: Sequence[str | None], keys_r: Sequence[str | None], surnames: Sequence[str | None],
             frames: Sequence[pd.DataFrame], u_common: float) -> np.ndarray:
    """u of *a co-member in common* for each such pair, by the frequency of the name it shares.

    Two namesakes' households share a co-member's name by chance more often when that name is common among the
    families of their surname (a Minura in two Nabioglu families): per pair, the share of the other households
    with a member of the pair's surname (the left record's skeleton) that also hold a member with the shared name
    key — the rarest, when several are shared — the pair's own two households left out, shrunk towards the
    level's u (`u_common`, `COMMON_PRIOR_PAIRS` pseudo-households). Never below `u_common`: a rare name is not
    made more telling than the level is on average, a common one is made less."""
    by_key: dict[str, set[tuple[int, str]]] = defaultdict(set)
    by_surname: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for i, frame in enumerate(frames):
        for hh, key, sur in zip(frame["household"], frame["name_sk_key"], frame["surname_sk"], strict=True):
            if hh is None:
                continue
            if key:
                by_key[key].add((i, hh))
            if sur:
                by_surname[sur].add((i, hh))
    out = np.full(len(keys_l), u_common)
    for j, (kl, kr, sur) in enumerate(zip(keys_l, keys_r, surnames, strict=True)):
        if not sur or kl is None or kr is None:
            continue
        shared = shared_names(kl, kr)
        families = max(len(by_surname.get(sur, ())) - 2, 0)
        rarest = min((max(len(by_key.get(k, ())) - 2, 0) for k in shared), default=None)
        if rarest is None:
            continue
        q = (min(rarest, families) + COMMON_PRIOR_PAIRS * u_common) / (families + COMMON_PRIOR_PAIRS)
        out[j] = max(q, u_common)
    return out


# m from the data at hand (`m_from_data`): pairs at least this probable before the household are counted as sure;
# at least M_DATA_MIN_PAIRS of them with a household on both sides are needed, and the data's shares are shrunk
# towards the model's m by M_DATA_PSEUDO pairs.
M_DATA_SURE = 0.99
M_DATA_MIN_PAIRS = 30.0
M_DATA_PSEUDO = 20.0
MIN_M = 0.001  # as params.MIN_SHARE: no household level becomes a veto


def m_from_data(pairs: pd.DataFrame, probability: np.ndarray, left: pd.DataFrame, right: pd.DataFrame | None,
                params: ModelParams) -> tuple[ModelParams, float]:
    """The model with its household levels' m read from this data: the share of each known level among the pairs
    the other comparisons already make sure (`probability`, before the household, at least M_DATA_SURE; each
    counted by it), shrunk towards the model's m by M_DATA_PSEUDO pairs. Returns the model unchanged and 0 where
    fewer than M_DATA_MIN_PAIRS such pairs have a household on both sides.

    How a person is registered again — alone, with the whole family, with part of it, inside another family's
    household — is the habit of an office (its clerks, its returnees), and it sets the household levels' m: where
    people often come back inside another family, *co-members on both sides and none in common* is a common
    way for a duplicate to look, and the shipped m (learnt on generated habits, about 8 % of true pairs at that
    level) weighs it as if duplicates almost never did. The data's sure pairs show the office's own habit: a
    person's names and dates agreeing tell nothing about whether he came back alone or with his family, so their
    levels are distributed as every duplicate's are. u stays the data's (`estimate_u`)."""
    sure = np.flatnonzero(probability >= M_DATA_SURE)
    if not len(sure):
        return params, 0.0
    gammas = _levels(*_sides(pairs.iloc[sure], left, left if right is None else right))
    weight = probability[sure]
    known = gammas != UNKNOWN
    seen = float(weight[known].sum())
    if seen < M_DATA_MIN_PAIRS:
        return params, 0.0
    model_m = m_u(params)
    entry = {}
    for g, key in KEYS.items():
        count = float(weight[known & (gammas == g)].sum())
        entry[key] = {"m": max((count + M_DATA_PSEUDO * model_m[g][0]) / (seen + M_DATA_PSEUDO), MIN_M),
                      "u": model_m[g][1]}
    total = sum(e["m"] for e in entry.values())
    for e in entry.values():
        e["m"] /= total
    return ModelParams({**params.comparisons, COMPARISON: entry}, params.query_prior, params.meta), seen


def _sides(pairs: pd.DataFrame, left: pd.DataFrame, right: pd.DataFrame) -> tuple[list, list]:
    """Each pair's (household, co-members' keys) on the left and on the right; (None, None) for an id not there."""
    def side(frame: pd.DataFrame) -> dict[str, tuple[str | None, str | None]]:
        return dict(zip(frame["unique_id"], zip(frame["household"], frame["household_keys"], strict=True),
                        strict=True))

    lmap, rmap, missing = side(left), side(right), (None, None)
    return ([lmap.get(u, missing) for u in pairs["unique_id_l"]], [rmap.get(u, missing) for u in pairs["unique_id_r"]])


def _levels(ls: list, rs: list) -> np.ndarray:
    return np.array([level(a[0], b[0], a[1], b[1]) for a, b in zip(ls, rs, strict=True)], dtype=int)


def apply(pairs: pd.DataFrame, left: pd.DataFrame, right: pd.DataFrame | None, explain: bool,
          prior: float | None = None, params: ModelParams | None = None) -> pd.DataFrame:
    """The pairs with each one's household weight added to `match_weight` (and, to explain, the comparison's
    gamma_, mw_ and value columns). m from `params` (`m_u`); u from these pairs when `prior` is given (not a
    query) and they are enough (`estimate_u`), else the model's."""
    if pairs.empty:
        return pairs
    right = left if right is None else right
    ls, rs = _sides(pairs, left, right)
    gammas = _levels(ls, rs)
    learnt = m_u(params)
    before = pairs["match_weight"].to_numpy(dtype=float)
    u = estimate_u(gammas, before, prior) if prior is not None else None
    if u is not None:
        learnt = {g: (m, u[g]) for g, (m, _u) in learnt.items()}
    by_level = weights(learnt)
    added = np.array([by_level[int(g)] for g in gammas], dtype=float) if len(gammas) else np.zeros(0)
    if u is not None and (gammas == COMMON).any() and "surname_sk" in left.columns:
        sel = np.flatnonzero(gammas == COMMON)
        surname = dict(zip(left["unique_id"], left["surname_sk"], strict=True))
        q = common_u([ls[i][1] for i in sel], [rs[i][1] for i in sel],
                     [surname.get(pairs["unique_id_l"].iat[i]) for i in sel],
                     [left] if right is left else [left, right], u[COMMON])
        added[sel] = np.log2(learnt[COMMON][0] / q)
    pairs = pairs.copy()
    pairs.attrs["household_weights"] = {"weights": by_level, "u_from_data": u is not None}
    pairs["match_weight"] = before + added
    if explain:
        pairs[f"gamma_{COMPARISON}"] = gammas
        pairs[f"mw_{COMPARISON}"] = added
        pairs["household_l"] = [a[0] for a in ls]
        pairs["household_r"] = [b[0] for b in rs]
    return pairs
