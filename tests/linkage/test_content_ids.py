"""A run is a function of the records, not of their ids (peaceops/linkage/content_ids.py, used by `engine.run`).

Splink draws its u sample by a hash of the records' ids; the registry's ids are a database's sequence numbers, so
the same people stored in another database (or after other tests moved the sequences) were scored with another
sample, other u and other probabilities (git log: 07a423a).
"""

from __future__ import annotations

import random

from bench.linkage.registry import realistic_registry
from peaceops.linkage.engine import dedupe


def _scores(rows: list[dict]) -> tuple[dict[frozenset[str], float], float | None]:
    run = dedupe(rows, threshold=0.5, explain=False)
    return {frozenset((p.left_id, p.right_id)): p.probability for p in run.proposals}, run.prior


def test_the_same_registry_under_other_ids_gives_the_same_probabilities() -> None:
    rows, _truth = realistic_registry(2_000, 0.02, seed=33)
    first, prior = _scores(rows)
    # Sequence numbers shifted and handed out in another order, the records listed the other way round.
    rng = random.Random(8)
    order = sorted(range(len(rows)), key=lambda _i: rng.random())
    renamed = {rows[i]["id"]: str(100_000 + k) for k, i in enumerate(order)}
    again, prior_again = _scores([dict(r, id=renamed[r["id"]]) for r in reversed(rows)])
    back = {v: k for k, v in renamed.items()}
    again = {frozenset(back[x] for x in pair): p for pair, p in again.items()}
    assert len(first) > 10
    assert prior_again == prior
    assert again.keys() == first.keys()
    assert all(abs(again[pair] - p) < 1e-9 for pair, p in first.items())


def test_a_dedupe_pair_reads_lower_id_first_with_its_own_sides_values() -> None:
    rows, _truth = realistic_registry(1_000, 0.03, seed=34)
    by_id = {r["id"]: r for r in rows}
    run = dedupe(rows, threshold=0.9)
    assert run.proposals
    for p in run.proposals:
        assert p.left_id < p.right_id
        dob = next(e for e in p.explanation if e.field == "birth_date")
        assert (dob.left_value, dob.right_value) == (_iso(by_id[p.left_id]), _iso(by_id[p.right_id]))


def _iso(row: dict) -> str:
    """The registry's date as the prepared table writes it (dd.mm.yyyy → yyyy-mm-dd)."""
    text = row.get("birth_date") or ""
    return "-".join(reversed(text.split("."))) if "." in text else text
