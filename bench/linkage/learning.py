"""Does learning from officers' decisions help on an operation whose clerks write unlike the training data?

An operation's registry is generated with habits outside the shipped model's training ranges (many dates with
day and month swapped, many estimated ages, a wrong birthplace often). The engine proposes pairs down to 0.5 on
one registry; "officers" decide each proposal by the truth (the only labels a real operation gets: nothing the
engine did not propose). m is learnt from them (`peaceops.linkage.learning.estimate_m`, the shipped m as prior)
and both models are scored on a second registry of the same operation, which neither saw.

    python -m bench.linkage.learning [--size 3000] [--dup-rate 0.05]
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
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    django.setup()
    import pandas as pd

    from peaceops.linkage import learning
    from peaceops.linkage.engine import dedupe
    from peaceops.linkage.params import shipped
    from peaceops.linkage.synthetic import Habits, labelled_registry

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
    for name, params in (("shipped", base), ("learnt", learnt)):
        got = dedupe(fresh, threshold=0.5, params=params).proposals
        for threshold in (0.5, args.threshold):
            p, r, f = _scores(got, fresh_truth, threshold)
            print(f"{name:8s} threshold {threshold:.2f}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
