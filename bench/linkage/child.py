"""One engine's dedupe of a pickled registry, in a process of its own: `python -m bench.linkage.child WHICH DATA`.

WHICH is ours, plain, previous or main (a tree of main's, put first on PYTHONPATH as for previous); `ours-bare`
is ours on the rows with their `household` removed (the same people without households). For `previous` the caller puts a frozen copy of the engine first on
`sys.path` (PYTHONPATH), so `peaceops` imports from there; prints one JSON line with P, R, F1, seconds, peak GB.
"""

from __future__ import annotations

import json
import pickle
import sys
import time


def _peak_gb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def main(which: str, data: str) -> None:
    with open(data, "rb") as fh:
        rows, truth = pickle.load(fh)
    try:  # the high-water mark starts afresh once the input is loaded
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass
    t = time.perf_counter()
    if which == "plain":
        from bench.linkage.baselines import plain_splink

        found = plain_splink(rows, None)
    else:
        if which == "ours-bare":
            rows = [{k: v for k, v in r.items() if k != "household"} for r in rows]
        from peaceops.linkage.engine import dedupe_records

        found = {tuple(sorted((p.left_id, p.right_id))) for p in dedupe_records(rows, explain=False)}
    elapsed = time.perf_counter() - t
    truth = {tuple(sorted(p)) for p in truth}
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    import peaceops

    print(json.dumps({"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "s": elapsed,
                      "peak": _peak_gb(), "found": len(found), "engine": peaceops.__file__}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
