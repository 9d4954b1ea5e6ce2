"""`python -m bench.linkage.households [--size 20000] [--rate 0.01] [--seed 2026]`: what a household level could do.

Offline, on every candidate pair of the realistic registry (`engine.run(threshold=1e-9)`, the engine unchanged),
with households read off the generator's own ids (no row is changed): the first registrations of a family
(`R<family>-<k>a`) are one household registered together, its second registrations (`…b`) another — mostly one
person alone, since the generator registers each person a second time on their own. `--split` moves that share of
second registrations into another family's first household (a person registered again with the family they
joined: co-members on both sides, none in common). A pair's level: *same household* (weighed 0 here), *missing*
(a side registered alone), *common* (a co-member of one has the name key of a co-member of the other:
`name_sk_key`, the engine's own skeleton pair, which survives a change of script; a namesake's relative can share
it, a slip can break it), *none* (co-members on both sides, none in common). Prints P/R/F1 at 0.9 with fixed
weights added to each level (*common* is common among strangers too: the weights are a grid, not a trained m).
"""

from __future__ import annotations

import argparse
import math
import random
from collections import Counter, defaultdict

import numpy as np

from bench.linkage.registry import realistic_registry
from peaceops.linkage import engine
from peaceops.linkage.prepare import extra_columns, prepare_records, schema_for

WEIGHTS = ((0, 0), (-3, 0), (-4, 0), (-2, 3), (-3, 4), (-4, 5))  # (none, common) in bits


def _households(ids: list[str], split: float, seed: int = 1) -> dict[str, tuple[str, str]]:
    rng = random.Random(seed)
    families = sorted({uid.split("-")[0] for uid in ids})
    out = {uid: (uid.split("-")[0], uid[-1]) for uid in ids}
    for uid in ids:
        if uid.endswith("b") and rng.random() < split:
            out[uid] = (rng.choice(families), "a")
    return out


def levels(keys: list[tuple[str, str]], name_key: dict[str, str | None],
           household: dict[str, tuple[str, str]]) -> list[str]:
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    for uid, h in household.items():
        members[h].add(uid)
    out = []
    for a, b in keys:
        if household[a] == household[b]:  # registered together: siblings share every co-member; weighed 0 here
            out.append("same household")
            continue
        ca, cb = members[household[a]] - {a, b}, members[household[b]] - {a, b}
        if not ca or not cb:
            out.append("missing")
        elif {name_key[x] for x in ca} & {name_key[y] for y in cb} - {None}:
            out.append("common")
        else:
            out.append("none")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--rate", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--split", type=float, nargs="*", default=[0.0, 0.1, 0.2])
    ap.add_argument("--engine", action="store_true",
                    help="the engine's own household comparison (linkage.households) through `engine.dedupe`, "
                         "the rows given a `household` each, beside the same rows without one")
    ap.add_argument("--no-plain", action="store_true",
                    help="with --engine: skip the run without households (at a million it is known and costs a dedupe)")
    args = ap.parse_args()
    rows, truth = realistic_registry(args.size, args.rate, seed=args.seed)
    truth = {tuple(sorted(t)) for t in truth}
    if args.engine:
        _through_the_engine(rows, truth, args)
        return
    frame = prepare_records(rows, extra_columns(rows), None)
    pairs = engine.run(frame, None, schema_for([frame], ()), threshold=1e-9, explain=False).pairs
    name_key = dict(zip(frame["unique_id"], frame["name_sk_key"], strict=True))
    keys = [tuple(sorted(k)) for k in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)]
    is_true = np.array([k in truth for k in keys])
    prob = np.clip(pairs["match_probability"].to_numpy(), 1e-300, 1 - 1e-16)
    logit = np.log2(prob / (1 - prob))
    print(f"{args.size:,} at {args.rate:.0%}, seed {args.seed}: {len(truth)} true pairs")
    for split in args.split:
        level = np.array(levels(keys, name_key, _households([r["id"] for r in rows], split)))
        print(f"split {split:.0%}: true pairs {dict(Counter(level[is_true]))}; others "
              f"{dict(Counter(level[~is_true]))}; false at 0.9 "
              f"{dict(Counter(level[~is_true & (prob >= 0.9)]))}; true below 0.9 "
              f"{dict(Counter(level[is_true & (prob < 0.9)]))}")
        for none, common in WEIGHTS:
            above = logit + np.where(level == "none", none, np.where(level == "common", common, 0)) >= math.log2(9)
            tp = int((above & is_true).sum())
            p, r = tp / max(int(above.sum()), 1), tp / len(truth)
            print(f"  none {none:+d} bits, common {common:+d}: P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f}, "
                  f"{int((above & ~is_true).sum())} false")


def _scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> str:
    tp = len(found & truth)
    p, r = tp / max(len(found), 1), tp / len(truth)
    return f"P {p:.4f} R {r:.4f} F1 {2 * p * r / max(p + r, 1e-9):.4f}, {len(found) - tp} false"


def _through_the_engine(rows: list[dict], truth: set[tuple[str, str]], args: argparse.Namespace) -> None:
    """The household variant of the realistic registry scored by the product's engine at 0.9: each row's
    household from `_households` (a family's first registrations one household, its second registrations
    another; `--split` of those moved into another family's), the rows otherwise unchanged."""
    import time

    def run(records: list[dict]) -> tuple[set[tuple[str, str]], float]:
        start = time.process_time()
        found = {tuple(sorted((p.left_id, p.right_id))) for p in engine.dedupe(records, 0.9, explain=False).proposals}
        return found, time.process_time() - start

    print(f"{args.size:,} at {args.rate:.0%}, seed {args.seed}: {len(truth)} true pairs (engine, threshold 0.9)")
    if not args.no_plain:
        found, cpu = run(rows)
        print(f"  no household (as now): {_scores(found, truth)}; {cpu:.0f} CPU s", flush=True)
    for split in args.split:
        household = _households([r["id"] for r in rows], split)
        found, cpu = run([{**r, "household": "-".join(household[r["id"]])} for r in rows])
        print(f"  households, split {split:.0%}: {_scores(found, truth)}; {cpu:.0f} CPU s", flush=True)


if __name__ == "__main__":
    main()
