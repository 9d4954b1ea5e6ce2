"""What a realistic registry's errors are: `python -m bench.linkage.errors --size 20000 --rate 0.01 --seed 7 [--households]`.

Dedupes one registry of the held-out generator (bench/linkage/registry.py) with every candidate pair kept,
then says, at the CLI's threshold, which false proposals and misses there are by kind (relatives or strangers;
the birth dates and fathers' names the pair shows; one script or two; a true pair blocking never offered), how
far the prior's estimate is from the true number of pairs, and the best F1 the scores allow at *any* threshold:
if that is below a target, no prior or threshold reaches it and the ranking itself must improve.

Use another seed than the benchmark's (2026) to look for causes, so that what is changed is not fitted to the
registries the table is measured on. Record ids carry the family (`R<family>-<member><a|b>`): two records of
one family that are not a true pair are relatives.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bench.linkage.registry import household_registry, realistic_registry
from peaceops.linkage import engine, model
from peaceops.linkage.prepare import extra_columns, prepare_records, schema_for
from peaceops.linkage.translit import detect_script

THRESHOLD = engine.DEFAULT_THRESHOLD


@dataclass
class Diagnosis:
    true_pairs: int
    precision: float
    recall: float
    f1: float
    best_f1: float  # at any threshold on the same scores
    best_f1_precise: float  # at any threshold where precision ≥ 0.97
    prior_pairs: float  # matching pairs the prior's estimate implies
    rule_meeting: int  # pairs meeting the prior's deterministic rule
    rule_true: int  # of which true pairs
    kinds: Counter = field(default_factory=Counter)


def _family(uid: str) -> str:
    return uid.split("-")[0]


def _date_kind(gamma: int, labels: dict[int, str]) -> str:
    if gamma < 0:
        return "no date on one side"
    label = labels.get(gamma, "")
    return "same full date" if gamma == max(labels) else label


@dataclass
class Scored:
    """Every candidate pair of a dedupe as the engine scores it (threshold 1e-9: nothing the CLI would propose
    is left out, and the pairs below an even Bayes factor, which no threshold ≥ 1/2 reaches, are kept too), with
    the truth. `pairs` holds the gamma_ and mw_ columns of every comparison (the household's included when the
    rows carry households)."""

    frame: pd.DataFrame
    run: engine.LinkageRun
    keys: list[tuple[str, str]]  # per pair, (lower id, higher id)
    is_true: np.ndarray
    truth: set[tuple[str, str]]

    @property
    def pairs(self) -> pd.DataFrame:
        return self.run.pairs


def score(rows: list[dict], truth: set[tuple[str, str]], min_probability: float = 1e-9) -> Scored:
    """Dedupe `rows` through the engine's own preparation (as `engine.dedupe` does), every candidate pair kept
    down to `min_probability` (at a million records 1e-9 passed 19 GB and 0.01 15 GB, with explanations)."""
    truth = {tuple(sorted(t)) for t in truth}  # type: ignore[misc]
    frame = prepare_records(rows, extra_columns(rows), None)
    run = engine.run(frame, None, schema_for([frame], ()), threshold=min_probability, explain=True)
    pairs = run.pairs
    keys = [tuple(sorted(k)) for k in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)]
    return Scored(frame, run, keys, np.array([k in truth for k in keys], dtype=bool), truth)  # type: ignore[arg-type]


def truth_bits(ids: pd.Series, left: pd.Series, right: pd.Series, truth: set[tuple[str, str]]) -> np.ndarray:
    """Per pair (`left`, `right`: record ids), whether it is in `truth` (unordered id pairs): on integer codes,
    so a million-record registry's pairs need no Python tuple each."""
    index = pd.Index(ids.astype(str).to_numpy())
    n = np.int64(len(index) + 1)
    a = index.get_indexer(left.astype(str).to_numpy()).astype(np.int64)
    b = index.get_indexer(right.astype(str).to_numpy()).astype(np.int64)
    pair_codes = np.minimum(a, b) * n + np.maximum(a, b)
    ta = index.get_indexer([t[0] for t in truth]).astype(np.int64)
    tb = index.get_indexer([t[1] for t in truth]).astype(np.int64)
    known = (ta >= 0) & (tb >= 0)
    true_codes = np.minimum(ta, tb)[known] * n + np.maximum(ta, tb)[known]
    return np.isin(pair_codes, true_codes) & (a >= 0) & (b >= 0)


@dataclass
class Levels:
    """Every candidate pair of a dedupe reduced to what a ceiling needs (`score_levels`): each comparison's level
    (int8, one column per comparison in `comparisons`' order), the engine's probability (float32) and the truth."""

    gammas: np.ndarray
    p: np.ndarray
    is_true: np.ndarray
    true_pairs: int  # the truth, pairs blocking never offered included
    labels: dict[str, dict[int, str]]
    comparisons: list[str]


@contextmanager
def splink_floor(bits: float | None) -> Iterator[None]:
    """Within the block, Splink's predict keeps only pairs whose Bayes factor (before name frequencies, families,
    rivals and households) is at least 2**`bits` — the floor the engine itself sets at any threshold ≥ 0.5 is 0
    bits — whatever lower floor a low threshold asks for (`engine.run` derives both from its threshold). None:
    unchanged."""
    if bits is None:
        yield
        return
    from splink.internals.linker_components.inference import LinkerInference

    original = LinkerInference.predict

    def predict(self, *args, threshold_match_weight=None, **kwargs):  # type: ignore[no-untyped-def]
        floor = bits if threshold_match_weight is None else max(bits, threshold_match_weight)
        return original(self, *args, threshold_match_weight=floor, **kwargs)

    LinkerInference.predict = predict  # type: ignore[method-assign]
    try:
        yield
    finally:
        LinkerInference.predict = original  # type: ignore[method-assign]


@contextmanager
def without_values() -> Iterator[None]:
    """Within the block, the engine's Splink settings keep no compared values beside the pairs (the columns an
    explanation shows, `retain_matching_columns`; at a million records they are most of the run's memory), as the
    CLI without --explain does; each comparison's gamma_ and mw_ columns stay. Scores are unchanged."""
    from peaceops.linkage import model as model_

    original = model_.settings_dict

    def settings_dict(*args, **kwargs):  # type: ignore[no-untyped-def]
        settings = original(*args, **kwargs)
        settings["retain_matching_columns"] = False
        settings["additional_columns_to_retain"] = []
        return settings

    model_.settings_dict = settings_dict  # type: ignore[assignment]
    try:
        yield
    finally:
        model_.settings_dict = original  # type: ignore[assignment]


def score_levels(rows: list[dict], truth: set[tuple[str, str]], min_probability: float = 1e-9,
                 release: bool = False, floor_bits: float | None = None, values: bool = True,
                 progress: engine.Progress | None = None) -> Levels:
    """`score`'s pairs (the same engine run), each reduced to its levels, probability and truth bit as soon as
    the engine returns them; the engine's frame of pairs (every explanation column) is dropped on return, so a
    registry costs what the engine's own run costs. `release` empties `rows` once they are prepared (the
    caller's list: a million rows' dicts are a gigabyte or more). `floor_bits` (`splink_floor`): at a million
    records every candidate pair with its explanation columns does not fit in memory inside the engine's own
    run; 0 keeps the pairs the engine scores at its threshold (0.9), each down to `min_probability`. `values`
    False: the engine keeps no compared values beside its pairs (`without_values`); the levels are the same."""
    truth = {tuple(sorted(map(str, t))) for t in truth}  # type: ignore[misc]
    frame = prepare_records(rows, extra_columns(rows), None)
    if release:
        rows.clear()
    with splink_floor(floor_bits), (nullcontext() if values else without_values()):
        run = engine.run(frame, None, schema_for([frame], ()), threshold=min_probability, explain=True,
                         progress=progress)
    pairs = run.pairs
    comps = [c for c in run.comparisons if f"gamma_{c}" in pairs]
    gammas = np.empty((len(pairs), len(comps)), dtype=np.int8)
    for j, comp in enumerate(comps):
        col = pairs[f"gamma_{comp}"].to_numpy(dtype=np.int64)
        if len(col) and (col.min() < -128 or col.max() > 127):
            raise ValueError(f"gamma_{comp} outside int8")
        gammas[:, j] = col
    p = pairs["match_probability"].to_numpy(dtype=np.float32)
    is_true = truth_bits(frame["unique_id"], pairs["unique_id_l"], pairs["unique_id_r"], truth)
    return Levels(gammas, p, is_true, len(truth), {c: dict(run.labels[c]) for c in comps}, comps)


def registry(size: int, rate: float, seed: int, households: bool = False) -> tuple[list[dict], set[tuple[str, str]]]:
    """The bench's realistic registry, or its household variant (`registry.household_registry`)."""
    return (household_registry if households else realistic_registry)(size, rate, seed=seed)


def diagnose(rows: list[dict], truth: set[tuple[str, str]], threshold: float = THRESHOLD) -> Diagnosis:
    scored = score(rows, truth)
    frame, run, pairs, keys, is_true, truth = (scored.frame, scored.run, scored.pairs, scored.keys, scored.is_true,
                                               scored.truth)
    prob = pairs["match_probability"].to_numpy()
    above = prob >= threshold
    tp = int((above & is_true).sum())
    precision = tp / max(int(above.sum()), 1)
    recall = tp / max(len(truth), 1)
    order = np.argsort(-pairs["match_weight"].to_numpy())
    hits = np.cumsum(is_true[order])
    p_at = hits / np.arange(1, len(order) + 1)
    r_at = hits / max(len(truth), 1)
    f_at = np.where(p_at + r_at > 0, 2 * p_at * r_at / np.maximum(p_at + r_at, 1e-12), 0.0)
    rule = model.rule_keys(frame)
    by_rule = pd.Series(rule.to_numpy(), index=frame["unique_id"].to_numpy()).dropna()
    counts = by_rule.value_counts()
    rule_true = sum(1 for a, b in truth if a in by_rule.index and b in by_rule.index and by_rule[a] == by_rule[b])
    diag = Diagnosis(len(truth), precision, recall, 2 * precision * recall / max(precision + recall, 1e-12),
                     float(f_at.max(initial=0.0)), float(np.where(p_at >= 0.97, f_at, 0.0).max(initial=0.0)),
                     run.prior * engine.total_pairs(len(frame), None), int((counts * (counts - 1) // 2).sum()),
                     rule_true)
    raw = dict(zip(frame["unique_id"], frame["name_raw"], strict=True))
    dob_labels = run.labels.get("birth_date", {})

    def describe(prefix: str, row: pd.Series, a: str, b: str) -> None:
        kinds = diag.kinds
        kinds[prefix] += 1
        kinds[f"{prefix}: {_date_kind(int(row['gamma_birth_date']), dob_labels)}"] += 1
        father = int(row["gamma_father_name"]) if "gamma_father_name" in row else -1
        kinds[f"{prefix}: father's name " + ("missing on a side" if father < 0 else "agrees" if father >= 2
                                             else "differs")] += 1
        kinds[f"{prefix}: " + ("two scripts" if detect_script(raw[a]) != detect_script(raw[b]) else "one script")] += 1

    for pos in np.where(above & ~is_true)[0]:
        row = pairs.iloc[pos]
        a, b = row["unique_id_l"], row["unique_id_r"]
        diag.kinds["false: " + ("relatives" if _family(a) == _family(b) else "strangers")] += 1
        describe("false", row, a, b)
    found = {k for k, up in zip(keys, above, strict=True) if up}
    position = {k: i for i, k in enumerate(keys)}
    for pair in sorted(truth - found):
        if pair not in position:
            diag.kinds["missed"] += 1
            diag.kinds["missed: never a candidate (blocking)"] += 1
            continue
        describe("missed", pairs.iloc[position[pair]], *pair)
    return diag


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--rate", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=7, help="not the benchmark's 2026 when looking for causes")
    ap.add_argument("--households", action="store_true", help="the registry's household variant")
    args = ap.parse_args()
    rows, truth = registry(args.size, args.rate, args.seed, args.households)
    d = diagnose(rows, truth)
    print(f"{args.size:,} at {args.rate:.0%}, seed {args.seed}: {d.true_pairs} true pairs; at p >= {THRESHOLD}: "
          f"P {d.precision:.4f} R {d.recall:.4f} F1 {d.f1:.4f}; best F1 at any threshold {d.best_f1:.4f} "
          f"({d.best_f1_precise:.4f} with P >= 0.97)")
    print(f"prior: {d.prior_pairs:,.0f} matching pairs estimated for {d.true_pairs} "
          f"({d.prior_pairs / max(d.true_pairs, 1):.2f}x); the rule meets {d.rule_meeting} pairs, {d.rule_true} true "
          f"(its recall here {d.rule_true / max(d.true_pairs, 1):.3f})")
    for kind, n in sorted(d.kinds.items()):
        print(f"  {kind}: {n}")


if __name__ == "__main__":
    main()
