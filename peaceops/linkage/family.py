"""Family evidence: a third class beside "the same person" and "strangers".

Fellegi–Sunter multiplies the fields' Bayes factors as if two different people agreed on each field
independently. Two *relatives* do not: siblings share the surname, the father's name and (mostly) the birthplace
together, so a brother and a sister agree on three fields at once as often as a duplicate does, and the model
counts ~18 bits for what is one fact (the same family). What tells a duplicate from a sibling is the given
name and the birth date, not the family fields.

So the non-matches are a mixture: strangers (the product of the sampled u, as before) and, with share φ of all
pairs, different people of one family, F. Under F the family fields (surname, father, birthplace) look as they
look for a duplicate (f = m: one family written by two desks varies like one person), the given names are two
different people's (f = u: a sibling's name is another draw from the names in use; the same name — exact, the
same symbol across scripts, or the parts swapped — is not a sibling's: siblings do not share a given name), the
sexes are independent (f = u), and the birth dates are distributed as they are among people of this data who
share a surname and a father's name but not a given name (estimated here, from the data at hand). Then

    BF = P(γ | match) / ((1 − φ) P(γ | strangers) + φ P(γ | family))
    1 / BF ≈ 1 / BF_strangers + φ / BF_family,   BF_family = Π over given name, birth date, sex of m / f.

φ is the data's excess of pairs sharing both surname and father's name (exactly) over what the two fields'
frequencies give if independent, divided by the share of family pairs that show both exactly (m of the two
exact levels). Without families in the data (a list of unrelated people) φ is ~0 and nothing changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peaceops.linkage import model

# Levels of the given-name comparison that mean the same name: a family cannot explain them.
SAME_GIVEN_KEYS = ("exact", "symbol", "swapped")
# Sibling candidates are counted in surname-and-father groups up to this size (larger groups are common names
# shared by strangers, and quadratic to enumerate); at most this many pairs are tabulated.
MAX_GROUP = 40
MAX_PAIRS = 500_000
# Fewer candidate pairs than this: the data shows no families to learn from; no correction.
MIN_PAIRS = 50
SMOOTHING = 0.5
MIN_SHARE = 0.001


@dataclass(frozen=True)
class FamilyModel:
    phi: float  # share of all pairs that are two different people of one family
    log2_m_over_f_dob: dict[int, float]  # birth-date gamma → log2(m / f)
    same_given_gammas: frozenset[int]  # given-name gammas a family cannot explain
    pairs_seen: int  # sibling-candidate pairs the date distribution was read from


def _pair_counts(keys: pd.Series) -> float:
    c = keys.value_counts().to_numpy(dtype=float)
    return float((c * (c - 1) / 2).sum())


def estimate_phi(frame: pd.DataFrame, m_surname: float, m_father: float, prior: float) -> float:
    """The share of pairs that are relatives, from the excess joint agreement of surname and father."""
    both = frame.loc[frame["surname"].notna() & frame["father"].notna(), ["surname", "father"]]  # not every column
    n = len(both)
    if n < 2:
        return 0.0
    pairs = n * (n - 1) / 2
    joint = _pair_counts(_joint_key(both["surname"], both["father"])) / pairs
    indep = (_pair_counts(both["surname"]) / pairs) * (_pair_counts(both["father"]) / pairs)
    excess = joint - indep
    return max(excess / max(m_surname * m_father, 1e-6) - prior, 0.0)


def _joint_key(first: pd.Series, second: pd.Series) -> pd.Series:
    """One integer per distinct (first, second) combination, numbered in order of first appearance: what
    `first.astype(str) + "\x1f" + second.astype(str)` tells apart (and counts in the same order), without
    building a million joined strings."""
    a = pd.factorize(first.astype(str).to_numpy())[0]
    b = pd.factorize(second.astype(str).to_numpy())[0]
    return pd.Series(pd.factorize(a.astype(np.int64) * (int(b.max(initial=0)) + 1) + b)[0], index=first.index)


def _sibling_candidates(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs of records sharing surname and father's name (exactly) with unlike given names."""
    cols = ["unique_id", "surname", "father", "given", "given_sk", "given_sym", "dob", "dob_y", "dob_m", "dob_d"]
    rows = np.flatnonzero((frame["surname"].notna() & frame["father"].notna() & frame["dob"].notna()).to_numpy())
    key = _joint_key(frame["surname"].iloc[rows], frame["father"].iloc[rows]).to_numpy()
    size = np.bincount(key)[key] if len(key) else key  # each record's group size
    in_group = (size >= 2) & (size <= MAX_GROUP)
    # The columns copied for the records in groups of 2 to MAX_GROUP only.
    both = frame.iloc[rows[in_group]][cols].assign(fkey=key[in_group])
    if both.empty:
        return both
    # `both.merge(both, on="fkey", suffixes=("_l", "_r"))`, its rows with the lower id left, at most MAX_PAIRS of
    # them drawn: the join and the draw made on row positions alone, the columns then read for the rows kept.
    at = pd.DataFrame({"fkey": both["fkey"].to_numpy(), "row": np.arange(len(both))})
    joined = at.merge(at, on="fkey", suffixes=("_l", "_r"))
    ids = both["unique_id"].to_numpy()
    kept = np.flatnonzero(ids[joined["row_l"].to_numpy()] < ids[joined["row_r"].to_numpy()])
    if len(kept) > MAX_PAIRS:
        kept = kept[pd.Series(np.arange(len(kept))).sample(MAX_PAIRS, random_state=42).to_numpy()]
    left = both.iloc[joined["row_l"].to_numpy()[kept]]
    right = both.iloc[joined["row_r"].to_numpy()[kept]]
    parts = [left[cols].add_suffix("_l"), left[["fkey"]], right[cols].add_suffix("_r")]
    pairs = pd.concat([p.reset_index(drop=True) for p in parts], axis=1)
    pairs.index = joined.index[kept]
    return pairs


def dob_gammas(pairs: pd.DataFrame) -> np.ndarray:
    """The birth-date comparison's gamma for each pair, by the comparison's own SQL (DuckDB)."""
    import duckdb

    comp = model._dob_comparison(model.DUCKDB)
    levels = comp["comparison_levels"]
    n_levels = sum(1 for lvl in levels if not lvl.get("is_null_level"))
    cases, g = [], n_levels - 1
    for lvl in levels:
        if lvl.get("is_null_level"):
            cases.append(f"WHEN {lvl['sql_condition']} THEN -1")
        elif lvl["sql_condition"] == "ELSE":
            cases.append("ELSE 0")
        else:
            cases.append(f"WHEN {lvl['sql_condition']} THEN {g}")
            g -= 1
    con = duckdb.connect(":memory:")
    try:
        con.register("sib", pairs)
        return con.execute(f"SELECT CASE {' '.join(cases)} END AS g FROM sib").fetchnumpy()["g"]
    finally:
        con.close()


def estimate(frame: pd.DataFrame, linker: object, prior: float) -> FamilyModel | None:
    """The family class for this data, or None where the data shows no families (or lacks the fields)."""
    comps = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    if not {"surname", "father_name", "given_name", "birth_date"} <= comps.keys():
        return None

    def levels(name: str) -> dict[int, object]:
        return {lvl.comparison_vector_value: lvl for lvl in comps[name].comparison_levels if not lvl.is_null_level}

    sur, fat = levels("surname"), levels("father_name")
    phi = estimate_phi(frame, max(sur.values(), key=lambda lv: lv.comparison_vector_value).m_probability,
                       max(fat.values(), key=lambda lv: lv.comparison_vector_value).m_probability, prior)
    if phi <= 0:
        return None
    sib = _sibling_candidates(frame)
    if len(sib) < MIN_PAIRS:
        return None
    gam = dob_gammas(sib)
    gam = gam[gam >= 0]
    dob = levels("birth_date")
    counts = pd.Series(gam).value_counts()
    total = float(counts.sum()) + SMOOTHING * len(dob)
    shares = {g: max((float(counts.get(g, 0)) + SMOOTHING) / total, MIN_SHARE) for g in dob}
    norm = sum(shares.values())
    ratio = {g: math.log2(max(lvl.m_probability, 1e-12) / (shares[g] / norm)) for g, lvl in dob.items()}
    spec = model._name_comparison(model.DUCKDB, "given", "surname", "given_name")["comparison_levels"]
    same_labels = {lvl["label_for_charts"] for lvl in spec if lvl["_key"] in SAME_GIVEN_KEYS}
    same = frozenset(g for g, lvl in levels("given_name").items() if lvl.label_for_charts in same_labels)
    return FamilyModel(phi, ratio, same, int(len(gam)))


def _lookup(table: dict[int, float], keys: np.ndarray) -> np.ndarray:
    """`[table.get(int(k), 0.0) for k in keys]` as an array, one look-up per distinct key."""
    distinct, inverse = np.unique(np.asarray(keys, dtype=np.int64), return_inverse=True)
    return np.array([table.get(int(k), 0.0) for k in distinct], dtype=float)[inverse.reshape(-1)]


def pair_rows(pairs: pd.DataFrame, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's two records as row positions in `frame` (by unique_id, unique there); -1 for an id it lacks.
    Reading a column at these positions (`_at`) is `pairs["unique_id_l"].map(Series(column, index=ids))`
    without hashing every pair's ids again for each column."""
    index = pd.Index(frame["unique_id"].to_numpy())
    return index.get_indexer(pairs["unique_id_l"].to_numpy()), index.get_indexer(pairs["unique_id_r"].to_numpy())


def _at(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """values[rows], NaN where a row is -1 (an id the frame lacks: what `Series.map` gives)."""
    return np.append(values, np.array([np.nan], dtype=values.dtype if values.dtype == object else float))[rows]


def _counts_per_record(column: pd.Series) -> np.ndarray:
    """How many records hold each record's value (NaN where missing): `column.map(column.value_counts())`."""
    codes, distinct = pd.factorize(column.to_numpy())
    counts = np.bincount(codes[codes >= 0], minlength=len(distinct)).astype(float)
    return np.where(codes >= 0, counts[np.maximum(codes, 0)], np.nan)


def adjust(pairs: pd.DataFrame, fam: FamilyModel) -> np.ndarray:
    """The pairs' match weights (log2 Bayes factors) with the family class among the non-matches."""
    w = pairs["match_weight"].to_numpy(dtype=float)
    g_given = pairs["gamma_given_name"].to_numpy()
    g_dob = pairs["gamma_birth_date"].to_numpy()
    log_f = pairs["mw_given_name"].to_numpy(dtype=float)  # f = u for the given name: m / f is its weight
    if "mw_sex" in pairs:
        log_f = log_f + pairs["mw_sex"].to_numpy(dtype=float)
    log_f = log_f + _lookup(fam.log2_m_over_f_dob, g_dob)
    # 1/BF = 1/BF_strangers + φ/BF_family, in log2 and guarded against overflow.
    a = -w
    b = math.log2(fam.phi) - log_f
    combined = np.logaddexp2(a, b)
    out = -combined
    same = np.isin(g_given, list(fam.same_given_gammas))
    return np.where(same, w, out)


# Name comparisons whose exact level takes the data's own frequency of the name (term-frequency adjustment).
TF_COLUMNS = {"surname": "surname", "given_name": "given", "father_name": "father"}


def tf_deltas(pairs: pd.DataFrame, frame: pd.DataFrame, linker: object,
              rows: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Per name comparison, the change in weight when the exact level's u is the frequency of the pair's name in
    this data instead of the average over all names: log2(u_exact / frequency). A common name weighs less than
    the average, a rare one more. `rows`: `pair_rows(pairs, frame)`, if known."""
    comps = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    out: dict[str, np.ndarray] = {}
    rows_l, rows_r = rows if rows is not None else pair_rows(pairs, frame)
    for comp, col in TF_COLUMNS.items():
        if comp not in comps or f"gamma_{comp}" not in pairs:
            continue
        levels = [lvl for lvl in comps[comp].comparison_levels if not lvl.is_null_level]
        exact = max(levels, key=lambda lv: lv.comparison_vector_value)
        values = frame[col].dropna()
        if values.empty:
            continue
        column = frame[col].to_numpy()
        # The exact level with the same value on both sides (a swapped pair weighs as exact but is not).
        is_exact = ((pairs[f"gamma_{comp}"].to_numpy() == exact.comparison_vector_value)
                    & (_at(column, rows_l) == _at(column, rows_r)))
        f = _at(_counts_per_record(frame[col]) / len(values), rows_l)  # the left name's share of the records
        f = np.where(np.isnan(f), 1.0 / len(values), np.maximum(f, 1.0 / len(values)))
        out[comp] = np.where(is_exact, np.log2(exact.u_probability) - np.log2(f), 0.0)
    return out


# Pseudo-count of the joint name frequency's shrinkage towards independence (`joint_name_deltas`).
JOINT_PSEUDO = 2.0
# The joint frequency is applied above this many records (the large-input blocking's threshold): measured on the
# held-out registries, it lifts precision at 1,000,000 records (strangers sharing both names are many) and moves
# F1 by a pair or two either way at 20,000 and 50,000 (bench/RESULTS.md, "Joint names at scale").
JOINT_MIN_RECORDS = model.LARGE_INPUT


def joint_name_deltas(pairs: pd.DataFrame, frame: pd.DataFrame,
                      rows: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray | None:
    """For pairs whose two names agree (the same pair of phonetic skeletons, in either order), the change in
    weight when the two names' u is their *joint* frequency in this data instead of the product of each name's.

    The name frequencies (`tf_deltas`) weigh the surname and the given name each by its own frequency, as if
    they were drawn independently. They are not: a region's name traditions (Armenian, Azerbaijani, Russian)
    and the given name's sex make a surname and a given name of one tradition meet far more often than the
    product says, and a registry of a million holds many strangers sharing both (bench/RESULTS.md: at
    1,000,000 records with 1 % duplicates, 826 of 839 false proposals were such strangers). The joint count is
    read from the data, excluding the pair's own two records: O others share both names where E =
    (S − 2)(G − 2) / N would if the names were independent; the weight changes by −log2((O + k) / (E + k)),
    k = JOINT_PSEUDO. A name seen only on the pair (O = E = 0) keeps its weight; a combination common only
    together (one tradition's) loses bits; one rarer together than apart gains them. `rows`: `pair_rows`."""
    cols = ("name_sk_key", "surname_sk", "given_sk")
    if pairs.empty or not set(cols) <= set(frame.columns):
        return None
    n = len(frame)
    left, right = rows if rows is not None else pair_rows(pairs, frame)
    key = frame["name_sk_key"].to_numpy()
    kl, kr = _at(key, left), _at(key, right)
    same = pd.notna(kl) & (kl == kr)
    if not same.any():
        return None
    sur, giv = _counts_per_record(frame["surname_sk"]), _counts_per_record(frame["given_sk"])
    # The smaller count of each part: a side whose parts were read the other way round holds the same two.
    s = np.nan_to_num(np.minimum(_at(sur, left), _at(sur, right)), nan=2.0)
    g = np.nan_to_num(np.minimum(_at(giv, left), _at(giv, right)), nan=2.0)
    j = np.nan_to_num(_at(_counts_per_record(frame["name_sk_key"]), left), nan=2.0)
    expected = np.maximum(s - 2, 0) * np.maximum(g - 2, 0) / n
    observed = np.maximum(j - 2, 0)
    return np.where(same, -np.log2((observed + JOINT_PSEUDO) / (expected + JOINT_PSEUDO)), 0.0)


# The birth-date level of a partial date agreeing with what the other date says, by its key in the model.
PARTIAL_LABEL = next(lvl["label_for_charts"] for lvl in model._dob_comparison(model.DUCKDB)["comparison_levels"]
                     if lvl.get("_key") == "partial")
DATE_PARTS = ("dob_y", "dob_m", "dob_d")


def date_deltas(pairs: pd.DataFrame, frame: pd.DataFrame, linker: object) -> np.ndarray | None:
    """For pairs at the partial-date level, the change in weight when its u is read from how many records
    share the part both dates know: a year-month agreeing with a full date is about twelve times rarer between
    strangers than a bare year, and a common year commoner than a rare one. log2(mean count / count), the mean
    over the records with a partial date (whose date the level compares), so the level's average is kept."""
    comps = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    if "birth_date" not in comps or "gamma_birth_date" not in pairs or not set(DATE_PARTS) <= set(frame.columns):
        return None
    partial = [lvl.comparison_vector_value for lvl in comps["birth_date"].comparison_levels
               if lvl.label_for_charts == PARTIAL_LABEL]
    at = pairs["gamma_birth_date"].to_numpy() == partial[0] if partial else np.zeros(len(pairs), bool)
    if not at.any():
        return None
    parts = frame[["unique_id", *DATE_PARTS]].set_index("unique_id")  # the columns it reads, not a copy of all
    known = parts.notna().to_numpy()
    values = parts.astype("float64").fillna(-1).to_numpy().astype(np.int64)

    def keyed(mask_bits: np.ndarray, vals: np.ndarray) -> np.ndarray:
        # the parts in the mask, others blanked; the mask itself in the key's top digits
        kept = np.where(mask_bits, vals, -1)
        return ((mask_bits[:, 0] * 4 + mask_bits[:, 1] * 2 + mask_bits[:, 2]) * 10**9
                + (kept[:, 0] + 1) * 10_000 + (kept[:, 1] + 1) * 100 + (kept[:, 2] + 1))

    # How many records each key (a mask of parts and their values) matches: those that know those parts.
    counts: dict[int, pd.Series] = {}
    for bits in {(1, 0, 0), (1, 1, 0), (0, 1, 1), (1, 0, 1)}:
        b = np.array(bits, dtype=bool)
        has = known[:, b].all(axis=1)
        kk = keyed(np.tile(b, (int(has.sum()), 1)), values[has])
        counts[bits] = pd.Series(kk).value_counts()
    all_counts = pd.concat(counts.values())
    # The records with a partial date: the mean count of their own key is the level's average.
    part_rows = known.any(axis=1) & ~known.all(axis=1)
    own = keyed(known[part_rows], values[part_rows])
    own_n = pd.Series(own).map(all_counts).to_numpy(dtype=float)
    own_n = own_n[~np.isnan(own_n)]
    if own_n.size == 0:
        return None
    mean = float(own_n.mean())
    pos = parts.index.get_indexer
    out = np.zeros(len(pairs))
    idx = np.where(at)[0]
    li = pos(pairs["unique_id_l"].to_numpy()[idx])
    ri = pos(pairs["unique_id_r"].to_numpy()[idx])
    both = known[li] & known[ri]
    keys = keyed(both, values[li])
    n = pd.Series(keys).map(all_counts).to_numpy(dtype=float)
    out[idx] = np.where(np.isnan(n), 0.0, np.log2(mean / np.maximum(np.nan_to_num(n, nan=1.0), 1.0)))
    return out


def _gammas_from_weights(weights: pd.Series, comp: object) -> np.ndarray:
    """Each level's gamma from its weight, where the scoring kept the weights but not the levels (pairs without
    explanations): the level whose log2(m/u) is nearest. Levels of equal weight are equal for what follows."""
    levels = [(lvl.comparison_vector_value, 0.0 if lvl.is_null_level else
               math.log2(lvl.m_probability / lvl.u_probability)) for lvl in comp.comparison_levels]
    gammas = np.array([g for g, _w in levels])
    table = np.array([w for _g, w in levels])
    # Worked out per distinct weight (a comparison's pairs carry a few): the same nearest level for each.
    distinct, inverse = np.unique(weights.to_numpy(dtype=float), return_inverse=True)
    idx = np.abs(distinct[:, None] - table[None, :]).argmin(axis=1)
    return gammas[idx[inverse.reshape(-1)]]


def apply(pairs: pd.DataFrame, frame: pd.DataFrame, linker: object,
          prior: float) -> tuple[pd.DataFrame, FamilyModel | None]:
    """Name frequencies and the family class on a dedupe's scored pairs (needs the gamma_ and mw_ columns).

    Applied together or not at all: measured on registries of families (bench/RESULTS.md), the frequency of
    the name alone raises rare surnames, which are a family's as often as a duplicate's, and lets siblings
    through; with the family class beside it, a rare shared surname with another given name reads as a family.
    The two names agreeing together take u from their joint frequency (`joint_name_deltas`), the
    partial-date level takes u from the part both dates know (`date_deltas`), and a record is then
    allowed one duplicate at most (`rivals`). Returns the pairs with `match_weight` adjusted (and the name and
    date comparisons' mw_ columns, which explanations show; the rivals' correction is no field's) and the
    family model, or the pairs unchanged and None where the data shows no families."""
    fam = estimate(frame, linker, prior)
    if fam is None or pairs.empty:
        return pairs, None
    pairs = pairs.copy()
    for comp in linker._settings_obj.comparisons:
        name = comp.output_column_name
        if f"gamma_{name}" not in pairs and f"mw_{name}" in pairs:
            pairs[f"gamma_{name}"] = _gammas_from_weights(pairs[f"mw_{name}"], comp)
    rows = pair_rows(pairs, frame)
    deltas = tf_deltas(pairs, frame, linker, rows)
    date = date_deltas(pairs, frame, linker)
    if date is not None:
        deltas["birth_date"] = date
    for comp, delta in deltas.items():
        pairs["match_weight"] = pairs["match_weight"].to_numpy(dtype=float) + delta
        pairs[f"mw_{comp}"] = pairs[f"mw_{comp}"].to_numpy(dtype=float) + delta
    joint = joint_name_deltas(pairs, frame, rows) if len(frame) > JOINT_MIN_RECORDS else None
    if joint is not None:  # the two names' joint frequency: no one field's, so no mw_ column carries it
        pairs["match_weight"] = pairs["match_weight"].to_numpy(dtype=float) + joint
    pairs["match_weight"] = rivals(pairs.assign(match_weight=adjust(pairs, fam)), prior)
    return pairs, fam


# Rivals weaker than these odds (before the pair's own) change a pair's weight by less than 0.0015 bits.
MIN_RIVAL_ODDS = 1e-3


def rivals(pairs: pd.DataFrame, prior: float) -> np.ndarray:
    """The pairs' match weights when a person is registered at most twice: a record cannot be the duplicate
    of two *different* people. For the pair (a, b), every other candidate k of a (or of b) is a rival: if a is k,
    a is not b. With the pair odds o = prior odds × Bayes factor, P(a is b) = o_ab / (1 + o_ab + Σ o_ak (1 − p_bk)
    + Σ o_kb (1 − p_ak)), where p_bk, the probability that b and k are themselves one person (a record registered
    three times), keeps a cluster of one person's records from counting against itself. Returned as a weight:
    log2 BF − log2(1 + Σ rivals). A pair without rivals keeps its weight. A record without a date matching two
    namesakes whose full dates differ is the main case: it is at most one of them."""
    w = pairs["match_weight"].to_numpy(dtype=float)
    odds = np.exp2(np.clip(w + math.log2(prior / (1 - prior)), -60, 60))
    keep = np.where(odds >= MIN_RIVAL_ODDS)[0]
    if len(keep) < 2:
        return w
    # The records numbered, so that joining and looking up pairs hashes integers, not id strings.
    ids = pd.factorize(np.concatenate([pairs["unique_id_l"].to_numpy()[keep],
                                       pairs["unique_id_r"].to_numpy()[keep]]))[0].astype(np.int64)
    left, right = ids[:len(keep)], ids[len(keep):]
    o = odds[keep]
    edges = pd.DataFrame({"a": np.concatenate([left, right]), "b": np.concatenate([right, left]),
                          "o": np.concatenate([o, o]), "row": np.concatenate([keep, keep])})
    n_ids = int(ids.max()) + 1
    same = (edges["o"] / (1 + edges["o"])).to_numpy()
    same_at = pd.Index(edges["a"].to_numpy() * n_ids + edges["b"].to_numpy())  # the pair (a, b): unique
    both = edges.merge(edges, on="a", suffixes=("", "_k"))
    both = both[both["b"] != both["b_k"]]
    found = same_at.get_indexer(both["b"].to_numpy() * n_ids + both["b_k"].to_numpy())
    p_bk = np.where(found >= 0, same[np.maximum(found, 0)], np.nan)
    rival = (both["o_k"].to_numpy() * (1 - np.nan_to_num(p_bk, nan=0.0)))
    total = pd.Series(rival).groupby(both["row"].to_numpy()).sum()
    out = w.copy()
    out[total.index.to_numpy()] -= np.log2(1 + total.to_numpy())
    return out
