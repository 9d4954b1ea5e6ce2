"""Does learning from officers' decisions help on an operation whose clerks write unlike the training data?

An operation's registry is generated with habits outside the shipped model's training ranges (many dates with
day and month swapped, many estimated ages, a wrong birthplace often). The engine proposes pairs down to 0.5 on
one registry; "officers" decide each proposal by the truth (the only labels a real operation gets: nothing the
engine did not propose). m is learnt from them (`peaceops.linkage.learning.estimate_m`, the shipped m as prior)
and both models are scored on a second registry of the same operation, which neither saw.

    python -m bench.linkage.learning [--size 3000] [--dup-rate 0.05]

`--households`: the registries are `bench.linkage.registry.household_registry`'s (each person's household; its
re-registration habits, `HOUSEHOLD_MIX`, are not the training's: 23 % of second registrations inside another
family's household against about 8 %), so the officers' decisions carry the household level too; a third model,
learnt with the household m kept as shipped, shows what the household level's learning adds.

    python -m bench.linkage.learning --households --size 20000 --dup-rate 0.01
"""

from __future__ import annotations

import argparse
import os
import time

import django


def _scores(proposals, truth, threshold):
    found = {tuple(sorted((p.left_id, p.right_id))) for p in proposals if p.probability >= threshold}
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--households", action="store_true",
                        help="registries with households (bench.linkage.registry.household_registry)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    django.setup()
    import pandas as pd

    from peaceops.linkage import learning
    from peaceops.linkage.engine import dedupe
    from peaceops.linkage.params import ModelParams, shipped
    from peaceops.linkage.synthetic import Habits, labelled_registry

    if args.households:
        from bench.linkage.registry import household_registry

        seen, seen_truth = household_registry(args.size, args.dup_rate, seed=11)
        fresh, fresh_truth = household_registry(args.size, args.dup_rate, seed=12)
    else:
        habits = Habits(typo=0.2, transposed=0.25, estimated=0.15, digit=0.08, wrong_place=0.2, year_only=0.05)
        seen, seen_truth = labelled_registry(args.size, seed=11, dup_rate=args.dup_rate, habits=habits)
        fresh, fresh_truth = labelled_registry(args.size, seed=12, dup_rate=args.dup_rate, habits=habits)

    base = shipped()
    t0 = time.perf_counter()
    proposals = dedupe(seen, threshold=0.5, params=base).proposals
    rows = [{"is_match": tuple(sorted((p.left_id, p.right_id))) in seen_truth, "probability": p.probability,
             **learning.comparison_vector([{"field": e.field, "level": e.level} for e in p.explanation])}
            for p in proposals]
    labels = pd.DataFrame(rows)
    learnt = learning.estimate_m(labels, base)
    print(f"labels: {int(labels['is_match'].sum())} confirmed, {int((~labels['is_match']).sum())} rejected "
          f"of {len(seen_truth)} true pairs in the first registry ({time.perf_counter() - t0:.0f} s)")
    models = [("shipped", base), ("learnt", learnt)]
    if args.households and "household" in base.comparisons:
        confirmed = labels.loc[labels["is_match"], "household"] if "household" in labels else pd.Series([], dtype=object)
        print("household levels of the confirmed: " + ", ".join(
            f"{k} {v}" for k, v in confirmed.fillna("not stored").value_counts().items()))
        print("household m shipped → learnt: " + ", ".join(
            f"{k} {base.m('household', k):.3f} → {learnt.m('household', k):.3f}" for k in base.comparisons["household"]))
        models.append(("learnt, household m shipped", ModelParams(
            {**learnt.comparisons, "household": base.comparisons["household"]}, learnt.query_prior, learnt.meta)))
    for name, params in models:
        t1 = time.perf_counter()
        got = dedupe(fresh, threshold=0.5, params=params).proposals
        for threshold in (0.5, args.threshold):
            p, r, f = _scores(got, fresh_truth, threshold)
            print(f"{name:8s} threshold {threshold:.2f}: precision {p:.4f} recall {r:.4f} F1 {f:.4f} "
                  f"({len(fresh_truth)} true pairs; {time.perf_counter() - t1:.0f} s)")


if __name__ == "__main__":
    main()
