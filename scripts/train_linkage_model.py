"""Regenerate the linkage model's shipped parameters (peaceops/linkage/data/model.json).

`python scripts/train_linkage_model.py [--registries 8] [--size 30000] [--out PATH]`: builds that many labelled
registries with `peaceops.linkage.synthetic.labelled_registry`, each with its own clerks' habits
(`random_habits`) and duplicate rate, learns m from their true pairs and u from their random pairs, and writes
the JSON. Deterministic for given arguments (seeded). Takes a few minutes on two cores.

The household comparison's m (`linkage.households`) is learnt in a step of its own, from registries of families
(`synthetic.household_registry`, re-registration habits drawn per registry by `random_rehousing`), and written
into the same file's `household` entry: `--households-only` runs that step alone on the model already in `--out`
(about 15 s a registry), leaving every other comparison's m and u as they are. A full run does both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import asdict

from peaceops.linkage import params
from peaceops.linkage.params import ModelParams
from peaceops.linkage.synthetic import household_registry, labelled_registry, random_habits, random_rehousing
from peaceops.linkage.training import household_m, train


def households_step(base: ModelParams, registries: int, size: int, seed: int) -> ModelParams:
    """`base` with the household comparison learnt from `registries` registries of families (own seeds: the
    registries of the other comparisons are not these)."""
    rng = random.Random(seed + 1)
    made, described = [], []
    for i in range(registries):
        habits, rehousing = random_habits(rng), random_rehousing(rng)
        rate = rng.choice((0.02, 0.05, 0.1))
        made.append(household_registry(size, seed=seed * 1000 + i, dup_rate=rate, habits=habits, rehousing=rehousing,
                                       namesakes=rng.uniform(0.03, 0.15)))
        described.append({"dup_rate": rate, **{k: round(v, 3) for k, v in asdict(rehousing).items()}})
    entry, facts = household_m(made)
    meta = {**base.meta, "households": {"generator": "peaceops.linkage.synthetic.household_registry", "seed": seed,
                                        "records_each": size, "registries": described, **facts,
                                        "made": dt.date.today().isoformat(),
                                        "command": "python scripts/train_linkage_model.py --households-only"}}
    return ModelParams({**base.comparisons, "household": entry}, base.query_prior, meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--registries", type=int, default=8)
    ap.add_argument("--size", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=1921)
    ap.add_argument("--out", default=str(params.SHIPPED))
    ap.add_argument("--households-only", action="store_true",
                    help="learn only the household comparison, into the model already in --out")
    ap.add_argument("--household-registries", type=int, default=8)
    args = ap.parse_args()
    if args.households_only:
        result = households_step(params.load(args.out), args.household_registries, args.size, args.seed)
        params.save(result, args.out)
        print(f"wrote {args.out}: household m from {result.meta['households']['household_true_pairs']:,} true pairs")
        return
    rng = random.Random(args.seed)
    registries, described = [], []
    for i in range(args.registries):
        habits = random_habits(rng)
        rate = rng.choice((0.02, 0.05, 0.1, 0.2))
        registries.append(labelled_registry(args.size, seed=args.seed * 100 + i, dup_rate=rate, habits=habits,
                                            namesakes=rng.uniform(0.03, 0.15), siblings=rng.uniform(0.02, 0.1)))
        described.append({"dup_rate": rate, **{k: round(v, 3) for k, v in asdict(habits).items()}})
    meta = {"generator": "peaceops.linkage.synthetic.labelled_registry", "seed": args.seed,
            "registries": described, "records_each": args.size, "made": dt.date.today().isoformat(),
            "command": "python scripts/train_linkage_model.py" + (
                f" --registries {args.registries}" if args.registries != 8 else "")
            + (f" --size {args.size}" if args.size != 30_000 else "")}
    result = households_step(train(registries, meta), args.household_registries, args.size, args.seed)
    params.save(result, args.out)
    print(f"wrote {args.out}: m from {result.meta['true_pairs']:,} true pairs")


if __name__ == "__main__":
    main()
