"""The ceiling's lean cell (bench/linkage/ceiling.py): each candidate pair reduced, as soon as the engine returns
it, to an integer vector code, a float32 probability and the truth bit (`errors.score_levels`, `ceiling.reduce`)
gives the groups and counts the full scored frame (`errors.score`) gives, so a million-record registry is
measured as a small one is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.linkage import ceiling
from bench.linkage.errors import registry, score, score_levels
from peaceops.linkage import engine
from peaceops.linkage.prepare import extra_columns, prepare_records, schema_for


@pytest.fixture(scope="module")
def small() -> tuple[list[dict], set[tuple[str, str]]]:
    return registry(3_000, 0.03, 11, households=True)


def test_the_lean_cell_has_the_full_frames_groups_and_counts(small) -> None:
    rows, truth = small
    full = score(rows, truth)
    comps = [c for c in full.run.comparisons if f"gamma_{c}" in full.pairs]
    gammas = full.pairs[[f"gamma_{c}" for c in comps]].to_numpy(dtype=int)
    expected = pd.DataFrame({"vector": [",".join(map(str, g)) for g in gammas], "true": full.is_true,
                             "p": full.pairs["match_probability"].to_numpy(dtype=float)}).groupby("vector").agg(
        n=("true", "size"), true=("true", "sum"), p=("p", "sum"))

    lean = ceiling.reduce(score_levels(list(rows), truth))
    got = lean.pairs.groupby("vector").agg(n=("true", "size"), true=("true", "sum"), p=("p", "sum"))
    got.index = [",".join(str(int(ceiling.level(v, j, len(comps)))) for j in range(len(comps))) for v in got.index]
    got = got.sort_index()

    assert lean.comparisons == comps and lean.true_pairs == len(full.truth)
    assert int(full.is_true.sum()) > 50 and len(expected) > 100  # the registry exercises the comparison
    assert list(got.index) == list(expected.index)  # the same groups
    assert got["n"].tolist() == expected["n"].tolist() and got["true"].tolist() == expected["true"].tolist()
    np.testing.assert_allclose(got["p"].to_numpy(dtype=float), expected["p"].to_numpy(), rtol=1e-5, atol=1e-5)
    assert lean.pairs["vector"].dtype == np.int64 and lean.pairs["p"].dtype == np.float32
    vec = int(lean.pairs["vector"].iloc[0])
    assert ceiling.describe(vec, lean, only_moved=False).count(";") == len(comps) - 1


def test_truth_bits_read_pairs_in_either_order(small) -> None:
    from bench.linkage.errors import truth_bits

    ids = pd.Series(["a", "b", "c", "d"])
    bits = truth_bits(ids, pd.Series(["a", "c", "b", "a"]), pd.Series(["b", "d", "a", "x"]), {("b", "a"), ("c", "d")})
    assert bits.tolist() == [True, True, True, False]


def test_the_floor_keeps_the_pairs_the_engine_proposes_with_their_probabilities_with_or_without_values(small) -> None:
    rows, truth = small
    frame = prepare_records(rows, extra_columns(rows), None)
    shipped = engine.run(frame, None, schema_for([frame], ()), threshold=engine.DEFAULT_THRESHOLD, explain=True)
    floored = ceiling.reduce(score_levels(list(rows), truth, floor_bits=0.0))
    full = ceiling.reduce(score_levels(list(rows), truth))
    up = floored.pairs[floored.pairs["p"] >= engine.DEFAULT_THRESHOLD]
    assert len(up) == len(shipped.pairs) > 50
    np.testing.assert_allclose(np.sort(up["p"].to_numpy(dtype=float)),
                               np.sort(shipped.pairs["match_probability"].to_numpy(dtype=float)), rtol=1e-6)
    assert len(floored.pairs) < len(full.pairs)  # the floor is what makes a million records fit
    bare = ceiling.reduce(score_levels(list(rows), truth, floor_bits=0.0, values=False))  # no compared values
    def by_score(c: ceiling.Cell) -> pd.DataFrame:  # the pairs come back in another order
        return c.pairs[["p", "true"]].sort_values(["p", "true"], ignore_index=True)

    pd.testing.assert_frame_equal(by_score(bare), by_score(floored))
