"""Names come in traditions: how often two strangers share a given name *and* a surname.

The name-frequency adjustment (family.tf_deltas) weighs each name by its own frequency and multiplies them, as if
a given name were drawn independently of the surname. In this region it is not: Armenian, Azerbaijani and Russian
names each go with their own (Elçin with Rzayev, Gevorg with Khachatryan), so a given name and a surname of a
smaller tradition agree together far more often than the product of their frequencies says — by the inverse of
that tradition's share (3× for a third of the registry, 12× for a twelfth). Strangers sharing a common
Azerbaijani or Russian name were proposed as duplicates out of proportion (bench/RESULTS.md, "Name traditions").

So the records' names are read as a mixture of NAME_GROUPS latent traditions, each with its own distribution of
given names, surnames and fathers' names (a latent-class model fitted by EM on the data at hand; no tradition is
named or given in advance). Where a pair shares its given name and its surname or father's name exactly, the
names' joint frequency Σ_k π_k Π f(name | k) replaces the product of their frequencies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Name traditions in the mixture: this region's registries hold three (Armenian, Azerbaijani, Russian). EM
# finds them from the names alone; on the benchmark's registries it recovers their shares (0.60, 0.32, 0.08).
NAME_GROUPS = 3
COLUMNS = ("given", "surname", "father")
# EM is fitted on at most this many records (a seeded sample): the traditions' name distributions settle long
# before, and a million records would cost the family step tens of seconds more.
MAX_RECORDS = 100_000
MAX_ITERATIONS = 100
TOLERANCE = 1e-4
SMOOTHING = 0.01  # pseudo-count per name and tradition
MIN_RECORDS = 300


@dataclass(frozen=True)
class NameGroups:
    shares: np.ndarray  # π_k
    within: dict[str, pd.DataFrame]  # column → name-indexed frame of f(name | k), one column per tradition


def fit(frame: pd.DataFrame, groups: int = NAME_GROUPS, seed: int = 0) -> NameGroups | None:
    """The latent-class model of the records' names, or None when the data is too small or lacks the columns."""
    if not set(COLUMNS) <= set(frame.columns):
        return None
    data = frame.loc[frame["given"].notna(), list(COLUMNS)]
    if len(data) < MIN_RECORDS:
        return None
    if len(data) > MAX_RECORDS:
        data = data.sample(MAX_RECORDS, random_state=seed)
    cats = {c: pd.Categorical(data[c]) for c in COLUMNS}
    codes = {c: cats[c].codes for c in COLUMNS}
    rng = np.random.default_rng(seed)
    resp = rng.dirichlet(np.ones(groups), len(data))
    theta: dict[str, np.ndarray] = {}
    shares = resp.mean(axis=0)
    for _i in range(MAX_ITERATIONS):
        shares = resp.mean(axis=0)
        log_like = np.tile(np.log(shares), (len(data), 1))
        for c in COLUMNS:
            known = codes[c] >= 0
            counts = np.zeros((len(cats[c].categories), groups))
            np.add.at(counts, codes[c][known], resp[known])
            theta[c] = (counts + SMOOTHING) / (counts + SMOOTHING).sum(axis=0)
            log_like[known] += np.log(theta[c][codes[c][known]])
        new = np.exp(log_like - log_like.max(axis=1, keepdims=True))
        new /= new.sum(axis=1, keepdims=True)
        moved = float(np.abs(new - resp).max())
        resp = new
        if moved < TOLERANCE:
            break
    within = {c: pd.DataFrame(theta[c], index=cats[c].categories) for c in COLUMNS}
    return NameGroups(shares, within)


def joint_deltas(pairs: pd.DataFrame, frame: pd.DataFrame, exact_same: dict[str, np.ndarray]) -> np.ndarray | None:
    """Per pair, log2(product of the names' frequencies / their joint frequency across traditions), for pairs
    whose given name and surname or father's name were weighed by their frequency (`exact_same`: the same value
    on both sides); 0 elsewhere. Negative where the names belong together (a smaller tradition's)."""
    if "given" not in exact_same or not ({"surname", "father"} & exact_same.keys()):
        return None
    together = exact_same["given"] & np.logical_or.reduce([exact_same[c] for c in ("surname", "father")
                                                            if c in exact_same])
    if not together.any():
        return None
    model = fit(frame)
    if model is None:
        return None
    rows = np.where(together)[0]
    left = frame.set_index("unique_id").reindex(pairs["unique_id_l"].to_numpy()[rows])
    product = np.zeros(len(rows))
    joint = np.tile(model.shares, (len(rows), 1))
    for c in COLUMNS:
        if c not in exact_same:
            continue
        values = frame[c].dropna()
        freq = values.value_counts() / len(values)
        same = exact_same[c][rows]
        names = left[c].to_numpy()
        f = pd.Series(names).map(freq).to_numpy(dtype=float)
        f = np.where(np.isnan(f), 1.0 / len(values), np.maximum(f, 1.0 / len(values)))
        # A name the sample did not hold: the average tradition's smallest share stands in.
        within = model.within[c].reindex(names).to_numpy()
        floor = float(model.within[c].to_numpy().min())
        within = np.where(np.isnan(within), floor, within)
        product = np.where(same, product + np.log2(f), product)
        joint = np.where(same[:, None], joint * within, joint)
    out = np.zeros(len(pairs))
    out[rows] = product - np.log2(joint.sum(axis=1))
    return out
