"""Name traditions in the name-frequency adjustment (peaceops/linkage/name_groups.py).

Two traditions with names of their own, one five times the other's size. Two strangers of the small tradition
sharing a given name and a surname are four times likelier than the product of the names' frequencies says,
and the adjustment must weigh their agreement so; the large tradition's agreement changes little.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from peaceops.linkage import name_groups


def _registry(n: int = 3_000, small: float = 0.2) -> pd.DataFrame:
    rng = random.Random(3)
    traditions = {
        "large": ([f"given{i}" for i in range(30)], [f"family{i}" for i in range(40)]),
        "small": ([f"prenom{i}" for i in range(30)], [f"nom{i}" for i in range(40)]),
    }
    rows = []
    for i in range(n):
        given, surnames = traditions["small" if rng.random() < small else "large"]
        rows.append({"unique_id": f"r{i}", "given": rng.choice(given), "surname": rng.choice(surnames),
                     "father": rng.choice(given) if rng.random() < 0.7 else None})
    return pd.DataFrame(rows)


def _pair_delta(frame: pd.DataFrame, given: str, surname: str) -> float:
    holders = frame[(frame["given"] == given) & (frame["surname"] == surname)]["unique_id"].tolist()
    assert len(holders) >= 2, (given, surname)
    pairs = pd.DataFrame({"unique_id_l": [holders[0]], "unique_id_r": [holders[1]]})
    same = {"given": np.array([True]), "surname": np.array([True]), "father": np.array([False])}
    return float(name_groups.joint_deltas(pairs, frame, same)[0])


def test_traditions_are_found_from_the_names_alone():
    model = name_groups.fit(_registry(), groups=2)
    assert sorted(model.shares.round(2)) == pytest.approx([0.2, 0.8], abs=0.03)


def test_a_small_traditions_names_agreeing_together_weigh_less_than_their_frequencies_say():
    frame = _registry()
    small = frame[frame["given"].str.startswith("prenom")].groupby(["given", "surname"]).size().idxmax()
    large = frame[frame["given"].str.startswith("given")].groupby(["given", "surname"]).size().idxmax()
    # log2 of the tradition's share: about -2.3 bits for a fifth of the registry, -0.3 for four fifths.
    assert _pair_delta(frame, *small) == pytest.approx(np.log2(0.2), abs=0.5)
    assert _pair_delta(frame, *large) == pytest.approx(np.log2(0.8), abs=0.5)


def test_pairs_without_a_shared_given_name_are_left_alone():
    frame = _registry()
    pairs = pd.DataFrame({"unique_id_l": ["r0", "r1"], "unique_id_r": ["r2", "r3"]})
    same = {"given": np.array([False, False]), "surname": np.array([True, True]), "father": np.array([True, False])}
    assert name_groups.joint_deltas(pairs, frame, same) is None


def test_too_few_records_fit_no_traditions():
    assert name_groups.fit(_registry(n=100)) is None
