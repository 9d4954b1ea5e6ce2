"""Regenerate the linkage model's shipped parameters (peaceops/linkage/data/model.json).

`python scripts/train_linkage_model.py [--registries 8] [--size 30000] [--out PATH]`: builds that many labelled
registries with `peaceops.linkage.synthetic.labelled_registry`, each with its own clerks' habits
(`random_habits`) and duplicate rate, learns m from their true pairs and u from their random pairs, and writes
the JSON. Deterministic for given arguments (seeded). Takes a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import asdict

from peaceops.linkage import params
from peaceops.linkage.synthetic import labelled_registry, random_habits
from peaceops.linkage.training import train


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--registries", type=int, default=8)
    ap.add_argument("--size", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=1921)
    ap.add_argument("--out", default=str(params.SHIPPED))
    args = ap.parse_args()
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
    result = train(registries, meta)
    params.save(result, args.out)
    print(f"wrote {args.out}: m from {result.meta['true_pairs']:,} true pairs")


if __name__ == "__main__":
    main()
