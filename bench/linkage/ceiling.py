"""The ceiling of the engine's features: `python -m bench.linkage.ceiling --sizes 20000,50000 --rates 0.01,0.03
--households [--train-seed 7] [--test-seed 2026]`.

Every candidate pair of a registry is scored by the engine (`errors.score_levels`: every pair kept, each reduced
as the engine returns it to its levels, float32 probability and truth bit; 13 bytes a pair) and to its *comparison
vector* (one int64 code), the level of every comparison as the engine computes it (names, dates,
place, sex, father's name and, with households, the household level; the family class is a function of the given
name's, the date's and the sex's levels and of the run's φ, so the vector determines which pairs it applies to).
Pairs with one vector are one group. The best any calibrated scorer using only these levels can do is to propose
the groups whose true share is highest, whole; its best F1 and its best recall at precision ≥ 0.97 are the
*ceiling* of the features. True pairs blocking never offered count as misses, as they do for the engine.

Shares learnt on the pairs they are applied to overfit (a group of one true pair looks pure), so they are
**cross-fitted**: learnt on the registry of `--train-seed` (one or several seeds, pooled; the same size, rate and generator), applied to that of
`--test-seed` (2026, the benchmark table's). A group unseen in training, and every group in proportion to how
little training saw of it (`--pseudo` pairs), falls back to the engine's own probability. A second oracle adds the
engine's probability band to the vector (`BANDS`): the levels plus what the engine computes beyond them (name
frequencies, the family class, rivals, the household's per-pair u), recalibrated.

Printed per cell: the engine's P / R / F1 at its threshold (0.9), its best F1 at any threshold and at the training
registries' best threshold; each oracle's at a share of 0.9, its best F1 and its best recall at P ≥ 0.97; the true
pairs the engine misses, by the (cross-fitted) true share of their group: at least 0.9 is recall lost to
miscalibration, below 0.5 to missing evidence (namesakes look the same on these levels); the engine's calibration
by probability band; the groups where the engine's probability and the
observed true share disagree most (true pairs minus the sum of the engine's probabilities, on the test registry,
beside the training registry's figure); and, per comparison level, the same gap summed over every pair at that
level (a level the engine weighs wrongly shows the same sign on both seeds); and the misses of each kind by group,
with their levels counted per comparison. Scored pairs are cached under `--cache` (keyed by the engine's source
digest), so re-reading a cell costs no second dedupe.

A million records: `--floor-bits 0 --no-values` (every candidate pair with its compared values passes 16 GB inside
the engine's own run; with both, 4.9 GB). `--floor-bits 0` keeps the pairs the engine itself scores at its threshold
(its floor on the Bayes factor before name frequencies, families and households), each down to p 1e-9; true pairs
below it count with blocking's. `--no-values` leaves the scores as they are; levels of equal weight may merge where
the engine reads a level from its weight (bench/RESULTS.md, "The ceiling at a million").
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bench.linkage.errors import THRESHOLD, Levels, registry, score_levels

TARGET_P = 0.97
BANDS = (0.0, 0.01, 0.1, 0.5, 0.9, 0.97, 0.99, 0.999, 1.01)  # the engine's probability bands (second oracle)
# A comparison vector is one integer: each level + 1 (Splink's null level is -1) a digit of base RADIX, the first
# comparison the most significant (the birth date has levels up to 10).
RADIX = 16
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Cell:
    """One registry's candidate pairs reduced to what the oracle needs: 13 bytes a pair."""

    pairs: pd.DataFrame  # vector (int64 code, `encode`), p (engine probability, float32), true (bool)
    true_pairs: int  # the truth, pairs blocking never offered included
    labels: dict[str, dict[int, str]]  # comparison → gamma → label
    comparisons: list[str]


def encode(gammas: np.ndarray) -> np.ndarray:
    """Each row of levels (pairs × comparisons) as one int64 code (`RADIX`)."""
    if gammas.size and (gammas.min() < -1 or gammas.max() > RADIX - 2):
        raise ValueError(f"a level outside -1..{RADIX - 2}")
    code = np.zeros(len(gammas), dtype=np.int64)
    for j in range(gammas.shape[1]):
        code = code * RADIX + (gammas[:, j].astype(np.int64) + 1)
    return code


def level(codes: np.ndarray | int, j: int, comparisons: int) -> np.ndarray:
    """The level of comparison `j` (of `comparisons`) in vector codes."""
    return (np.asarray(codes, dtype=np.int64) // RADIX ** (comparisons - 1 - j)) % RADIX - 1


def reduce(levels: Levels) -> Cell:
    """A scored registry (`errors.score_levels`) as a cell."""
    return Cell(pd.DataFrame({"vector": encode(levels.gammas), "p": levels.p.astype(np.float32),
                              "true": levels.is_true.astype(bool)}),
                levels.true_pairs, levels.labels, levels.comparisons)


def _engine_digest() -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / "peaceops" / "linkage").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json"):
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def cell(size: int, rate: float, seed: int, households: bool, cache: Path | None, digest: str | None = None,
         min_probability: float = 1e-9, floor_bits: float | None = None, values: bool = True) -> Cell:
    floor = ("" if min_probability == 1e-9 else f"-p{min_probability:g}") + (
        "" if floor_bits is None else f"-f{floor_bits:g}") + ("" if values else "-nv")
    path = (cache / f"{size}-{rate}-{seed}-{int(households)}{floor}-{digest or _engine_digest()}.lean.pickle"
            if cache else None)
    if path is not None and path.exists():
        with open(path, "rb") as fh:
            kept = pickle.load(fh)
        return Cell(**kept) if isinstance(kept, dict) else kept
    rows, truth = registry(size, rate, seed, households)
    out = reduce(score_levels(rows, truth, min_probability, release=True, floor_bits=floor_bits, values=values,
                              progress=_progress))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            # A plain dict: a pickled Cell names the class by the module that ran (`__main__` from the CLI).
            pickle.dump(vars(out), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def _progress(msg: str) -> None:
    """The engine's steps on stderr, with the process's peak memory so far."""
    import resource
    import sys
    import time

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"  [{time.strftime('%H:%M:%S')}] {msg} (peak so far {peak:.1f} GB)", file=sys.stderr, flush=True)


def banded(c: Cell) -> pd.Series:
    band = np.digitize(c.pairs["p"].to_numpy(), BANDS[1:-1])
    return c.pairs["vector"] * len(BANDS) + pd.Series(band, index=c.pairs.index)


def shares(train: pd.DataFrame, key: pd.Series, test: pd.DataFrame, test_key: pd.Series,
           pseudo: float) -> np.ndarray:
    """Each test pair's score: its group's true share in `train`, shrunk towards the engine's probability of the
    pair by `pseudo` pairs (an unseen group: the engine's probability)."""
    g = pd.DataFrame({"key": key.to_numpy(), "true": train["true"].to_numpy(dtype=float)}).groupby("key")["true"]
    n = test_key.map(g.size()).fillna(0).to_numpy(dtype=float)
    t = test_key.map(g.sum()).fillna(0).to_numpy(dtype=float)
    p = test["p"].to_numpy(dtype=float)
    return (t + pseudo * p) / (n + pseudo) if pseudo > 0 else np.where(n > 0, t / np.maximum(n, 1), p)


@dataclass
class Curve:
    at_threshold: tuple[float, float, float]  # P, R, F1 proposing score ≥ THRESHOLD
    best_f1: float
    best_f1_pr: tuple[float, float]
    best_f1_at: float  # the lowest score proposed at the best F1
    recall_at_p: float  # best recall with P ≥ TARGET_P


def curve(score_: np.ndarray, is_true: np.ndarray, true_pairs: int) -> Curve:
    """Proposing every pair at or above a score, at each distinct score (ties all in or all out)."""
    order = np.argsort(-score_, kind="stable")
    s, t = score_[order], is_true[order].astype(float)
    hits, found = np.cumsum(t), np.arange(1, len(t) + 1)
    last = np.r_[s[1:] != s[:-1], True] if len(s) else np.zeros(0, bool)
    p, r = hits[last] / found[last], hits[last] / max(true_pairs, 1)
    f = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0.0)
    up = score_ >= THRESHOLD
    tp = float(is_true[up].sum())
    pt, rt = tp / max(int(up.sum()), 1), tp / max(true_pairs, 1)
    best = int(np.argmax(f)) if len(f) else 0
    return Curve((pt, rt, 2 * pt * rt / max(pt + rt, 1e-12)), float(f.max(initial=0.0)),
                 (float(p[best]), float(r[best])) if len(f) else (0.0, 0.0), float(s[last][best]) if len(f) else 0.0,
                 float(np.where(p >= TARGET_P, r, 0.0).max(initial=0.0)))


def describe(vector: int, c: Cell, only_moved: bool = True) -> str:
    """A vector's levels by label (the levels that are not the comparison's highest, when `only_moved`)."""
    parts = []
    k = len(c.comparisons)
    for comp, g in zip(c.comparisons, (int(level(vector, j, k)) for j in range(k)), strict=True):
        labels = c.labels[comp]
        if only_moved and g == max(labels):
            continue
        parts.append(f"{comp}: {labels.get(g, g)}")
    return "; ".join(parts) or "every comparison at its highest level"


def gaps(test: Cell, train: Cell, top: int) -> list[str]:
    """The groups whose true pairs differ most from the engine's expected count on the test registry."""
    def table(c: Cell) -> pd.DataFrame:
        return c.pairs.groupby("vector").agg(n=("true", "size"), true=("true", "sum"), expected=("p", "sum"))

    a, b = table(test), table(train)
    below = test.pairs[test.pairs["true"] & (test.pairs["p"] < THRESHOLD)].groupby("vector").size()
    a["missed"] = below.reindex(a.index).fillna(0).astype(int)
    a["gap"] = a["true"] - a["expected"]
    a = a.reindex(a["gap"].abs().sort_values(ascending=False).index)
    out = []
    for vec, row in a.head(top).iterrows():
        tr = b.loc[vec] if vec in b.index else None
        train_txt = (f"train {int(tr['true'])}/{int(tr['n'])} true, engine expects {tr['expected']:.1f}"
                     if tr is not None else "unseen in training")
        out.append(f"    {row['gap']:+6.1f}  {int(row['true'])}/{int(row['n'])} true, engine expects "
                   f"{row['expected']:.1f}, {row['missed']} true below {THRESHOLD} ({train_txt}): "
                   f"{describe(int(vec), test)}")
    return out


def missed_groups(test: Cell, train: Cell, levels: np.ndarray, lo: float, hi: float, top: int) -> list[str]:
    """The true pairs the engine leaves below THRESHOLD in groups whose cross-fitted share is in [lo, hi), by
    group (most missed first), and their levels counted per comparison (the profile of what is missed)."""
    t, p = test.pairs["true"].to_numpy(), test.pairs["p"].to_numpy()
    codes = test.pairs["vector"].to_numpy()
    missed = t & (p < THRESHOLD) & (levels >= lo) & (levels < hi)
    if not missed.any():
        return []
    groups = pd.DataFrame({"vector": codes[missed], "share": levels[missed], "p": p[missed]}).groupby("vector").agg(
        missed=("share", "size"), share=("share", "mean"), p=("p", "mean"))
    groups = groups.sort_values(["missed", "share"], ascending=False)
    here = test.pairs.groupby("vector")["true"].agg(["size", "sum"])
    seen = train.pairs.groupby("vector")["true"].agg(["size", "sum"])
    out = []
    for vec, row in groups.head(top).iterrows():
        n, k = (int(seen.at[vec, "size"]), int(seen.at[vec, "sum"])) if vec in seen.index else (0, 0)
        out.append(f"      {int(row['missed'])} missed (engine {row['p']:.3f} on average), share {row['share']:.3f}; "
                   f"test {int(here.at[vec, 'sum'])}/{int(here.at[vec, 'size'])} true, training {k}/{n}: "
                   f"{describe(int(vec), test)}")
    if len(groups) > top:
        out.append(f"      ... {int(groups['missed'].iloc[top:].sum())} more in {len(groups) - top} other groups")
    k_ = len(test.comparisons)
    profile = []
    for j, comp in enumerate(test.comparisons):
        counts = pd.Series(level(codes[missed], j, k_)).value_counts()
        profile.append(f"{comp}: " + ", ".join(f"{test.labels[comp].get(int(g), g)} {int(n)}"
                                               for g, n in counts.items()))
    out.append("      their levels: " + " | ".join(profile))
    return out


def level_gaps(c: Cell, min_abs: float = 2.0) -> pd.DataFrame:
    """Per comparison level: pairs, true pairs, the engine's expected count and their difference."""
    rows = []
    codes, k = c.pairs["vector"].to_numpy(), len(c.comparisons)
    t, p = c.pairs["true"].to_numpy(dtype=float), c.pairs["p"].to_numpy()
    for j, comp in enumerate(c.comparisons):
        col = level(codes, j, k)
        for g in np.unique(col):
            at = col == g
            rows.append({"comparison": comp, "level": c.labels[comp].get(int(g), str(g)), "n": int(at.sum()),
                         "true": int(t[at].sum()), "expected": float(p[at].sum()),
                         "true_below": int((t[at] * (p[at] < THRESHOLD)).sum())})
    df = pd.DataFrame(rows)
    df["gap"] = df["true"] - df["expected"]
    return df[df["gap"].abs() >= min_abs].sort_values("gap", key=abs, ascending=False)


def _fmt(c: Curve) -> str:
    p, r, f = c.at_threshold
    return (f"at {THRESHOLD}: P {p:.4f} R {r:.4f} F1 {f:.4f}; best F1 {c.best_f1:.4f} (P {c.best_f1_pr[0]:.4f} "
            f"R {c.best_f1_pr[1]:.4f}, score >= {c.best_f1_at:.3f}); best R at P >= {TARGET_P}: {c.recall_at_p:.4f}")


def pooled(cells: list[Cell]) -> Cell:
    """Several training registries' pairs as one (their true pairs summed)."""
    return Cell(pd.concat([c.pairs for c in cells], ignore_index=True), sum(c.true_pairs for c in cells),
                cells[0].labels, cells[0].comparisons)


def report(size: int, rate: float, args: argparse.Namespace) -> None:
    cache = Path(args.cache) if args.cache else None
    seeds = [int(x) for x in str(args.train_seed).split(",")]
    train = pooled([cell(size, rate, seed, args.households, cache, args.digest, args.min_probability,
                         args.floor_bits, not args.no_values) for seed in seeds])
    test = cell(size, rate, args.test_seed, args.households, cache, args.digest, args.min_probability,
                args.floor_bits, not args.no_values)
    t = test.pairs["true"].to_numpy()
    never = test.true_pairs - int(t.sum())
    unseen = ("never compared" if args.floor_bits is None else
              f"never compared or below the floor of {args.floor_bits:g} bits")
    print(f"\n{size:,} at {rate:.0%}{' with households' if args.households else ''}: test seed {args.test_seed} "
          f"({test.true_pairs} true pairs, {never} {unseen}; {len(test.pairs):,} candidate pairs, "
          f"{test.pairs['vector'].nunique():,} vectors), shares from seed {args.train_seed} "
          f"({train.true_pairs} true pairs in all), pseudo-count {args.pseudo}", flush=True)
    print(f"  engine:                   {_fmt(curve(test.pairs['p'].to_numpy(), t, test.true_pairs))}")
    learnt = curve(train.pairs["p"].to_numpy(), train.pairs["true"].to_numpy(), train.true_pairs).best_f1_at
    up = test.pairs["p"].to_numpy() >= learnt
    tp = int(t[up].sum())
    p_, r_ = tp / max(int(up.sum()), 1), tp / max(test.true_pairs, 1)
    print(f"  engine at the training registries' best threshold ({learnt:.3f}): P {p_:.4f} R {r_:.4f} "
          f"F1 {2 * p_ * r_ / max(p_ + r_, 1e-12):.4f}")
    levels = shares(train.pairs, train.pairs["vector"], test.pairs, test.pairs["vector"], args.pseudo)
    print(f"  oracle, levels:           {_fmt(curve(levels, t, test.true_pairs))}")
    missed = t & (test.pairs["p"].to_numpy() < THRESHOLD)
    split = [f"{never} {unseen} (blocking{'' if args.floor_bits is None else ', or the floor'})"]
    for lo, hi, what in ((THRESHOLD, 1.01, "miscalibrated"), (0.5, THRESHOLD, "ambiguous"),
                         (0.0, 0.5, "outnumbered by namesakes")):
        split.append(f"{int((missed & (levels >= lo) & (levels < hi)).sum())} in groups whose true share is "
                     f"{lo:.1f}-{min(hi, 1.0):.1f} ({what})")
    print(f"  true pairs the engine leaves below {THRESHOLD}: {int(missed.sum()) + never}: " + ", ".join(split))
    seen = train.pairs.groupby("vector")["true"].agg(["size", "sum"])
    for pos in np.flatnonzero(missed & (levels >= THRESHOLD)):
        vec = test.pairs["vector"].iat[pos]
        n, k = (int(seen.at[vec, "size"]), int(seen.at[vec, "sum"])) if vec in seen.index else (0, 0)
        print(f"    miscalibrated: engine {test.pairs['p'].iat[pos]:.3f}, share {levels[pos]:.3f} ({k}/{n} true in "
              f"training): {describe(int(vec), test)}")
    for lo, hi, what in ((THRESHOLD, 1.01, "miscalibrated"), (0.5, THRESHOLD, "ambiguous"),
                         (0.0, 0.5, "outnumbered by namesakes")):
        lines = missed_groups(test, train, levels, lo, hi, args.top)
        if lines:
            print(f"    the {what} misses by group:")
            print("\n".join(lines))
    band = shares(train.pairs, banded(train), test.pairs, banded(test), args.pseudo)
    print(f"  oracle, levels + p band:  {_fmt(curve(band, t, test.true_pairs))}")
    own = shares(test.pairs, test.pairs["vector"], test.pairs, test.pairs["vector"], 0.0)
    print(f"  levels, in-sample (overfit, an upper bound): {_fmt(curve(own, t, test.true_pairs))}")
    print("  calibration of the engine's probability (test | train: pairs, true, expected):")
    for lo, hi in zip(BANDS[:-1], BANDS[1:], strict=True):
        line = []
        for c in (test, train):
            at = (c.pairs["p"] >= lo) & (c.pairs["p"] < hi)
            line.append(f"{int(at.sum()):,}, {int(c.pairs['true'][at].sum())}, {c.pairs['p'][at].sum():.1f}")
        print(f"    [{lo}, {min(hi, 1.0)}): " + " | ".join(line))
    print(f"  groups where the engine's probability and the true share disagree most (test seed {args.test_seed}; "
          "gap = true pairs - the sum of the engine's probabilities; levels at their comparison's highest omitted):")
    print("\n".join(gaps(test, train, args.top)))
    a, b = level_gaps(test, 0.0).set_index(["comparison", "level"]), level_gaps(train, 0.0).set_index(
        ["comparison", "level"])
    both = a.join(b, rsuffix="_train", how="outer").fillna(0)
    both = both[(both["gap"].abs() >= 2) | (both["gap_train"].abs() >= 2)]
    both = both.reindex(both["gap"].abs().sort_values(ascending=False).index)
    print("  per level (test: pairs, true, expected, gap, true below threshold | train: the same):")
    for (comp, lvl), r in both.iterrows():
        print(f"    {comp}: {lvl}: {int(r['n']):,} pairs, {int(r['true'])} true, expects {r['expected']:.1f}, "
              f"gap {r['gap']:+.1f}, {int(r['true_below'])} below | {int(r['n_train']):,}, {int(r['true_train'])}, "
              f"{r['expected_train']:.1f}, {r['gap_train']:+.1f}, {int(r['true_below_train'])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20000,50000")
    ap.add_argument("--rates", default="0.01,0.03")
    ap.add_argument("--households", action="store_true", help="the registry's household variant")
    ap.add_argument("--train-seed", default="7", help="seeds of the training registries, comma-separated (pooled)")
    ap.add_argument("--test-seed", type=int, default=2026)
    ap.add_argument("--pseudo", type=float, default=1.0,
                    help="pairs of the engine's probability each group's share is shrunk towards (0: raw shares)")
    ap.add_argument("--top", type=int, default=12, help="groups listed per cell")
    ap.add_argument("--cache", default="/tmp/peaceops-ceiling", help="scored pairs kept here ('' for none)")
    ap.add_argument("--digest", help="read the cache of another engine's source digest (its file names' last part), "
                                      "e.g. main's, to compare an engine change against it without re-running main")
    ap.add_argument("--min-probability", type=float, default=1e-9,
                    help="pairs below this probability are not kept (1e-9: all; at 1,000,000 records even 0.01 passed "
                         "15 GB)")
    ap.add_argument("--floor-bits", type=float,
                    help="keep only pairs whose Bayes factor before name frequencies, families and households is at "
                         "least 2**this (errors.splink_floor; 0: the pairs the engine scores at its threshold, each "
                         "down to --min-probability; a million records need it). Default: every candidate pair")
    ap.add_argument("--no-values", action="store_true",
                    help="the engine keeps no compared values beside its pairs (errors.without_values; the levels and "
                         "scores are the same; a million records need it)")
    args = ap.parse_args()
    for size in (int(x) for x in args.sizes.split(",")):
        for rate in (float(x) for x in args.rates.split(",")):
            report(size, rate, args)


if __name__ == "__main__":
    main()
