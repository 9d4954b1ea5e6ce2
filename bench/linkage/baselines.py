"""Baselines measured beside our engine in the same run: recordlinkage ECM, plain Splink, rapidfuzz."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import pandas as pd


def _iso_date(text: str | None) -> str | None:
    """Splink expects one format per column (its data-prerequisites page): DD.MM.YYYY → ISO; a bare year
    stays as written (it still agrees with itself); anything else is missing."""
    text = (text or "").strip()
    if len(text) == 10 and text[2] == "." and text[5] == ".":
        return f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return text if len(text) in (4, 10) else None


def _raw_frame(records: Sequence[dict]) -> pd.DataFrame:
    """Out-of-the-box fields: names split on whitespace as written (first token, the rest), lower-cased, not
    transliterated; dates in one format; places and sex as written."""
    rows = []
    for r in records:
        toks = (r.get("name") or "").split()
        rows.append({"unique_id": r["id"], "first_name": toks[0].lower() if toks else None,
                     "surname": " ".join(toks[1:]).lower() or None, "birth_date": _iso_date(r.get("birth_date")),
                     "birth_place": (r.get("birth_place") or "").lower() or None, "sex": r.get("sex") or None})
    return pd.DataFrame(rows)


# EM pairs per training rule, the same budget our engine uses (engine._train). Without it the EM rule on date
# of birth generates ~125 M pairs at 1,000,000 registrations (bare years form huge blocks) and plain Splink
# passed 15 GB; `max_pairs` is Splink 5's documented bound for this.
EM_MAX_PAIRS = 3e6


def plain_splink(left: Sequence[dict], right: Sequence[dict] | None, threshold: float = 0.9
                 ) -> set[tuple[str, str]]:
    """Splink 5 as its README and tutorial set it up, on raw (un-normalised, un-transliterated) names.

    `NameComparison` per name column, Levenshtein on the date, exact place and sex; prediction blocking on
    pairs of exact fields; prior from a deterministic rule at recall 0.7; u by random sampling; EM on the
    tutorial's two training rules; `DuckDBAPI()` with its defaults. Two departures, both documented Splink
    practice: dates brought to one format first, and EM capped at `EM_MAX_PAIRS` pairs per rule. At
    1,000,000 registrations the prediction rules generate ~0.3 M comparisons
    (counted from the block sizes). Tried and not kept: `ForenameSurnameComparison` with
    `DateOfBirthComparison` (bare years null), F1 0.380 against 0.450 at 100,000.
    """
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    settings = SettingsCreator(
        link_type="dedupe_only" if right is None else "link_only",
        comparisons=[cl.NameComparison("first_name"), cl.NameComparison("surname"),
                     cl.LevenshteinAtThresholds("birth_date", [1, 2]), cl.ExactMatch("birth_place"),
                     cl.ExactMatch("sex")],
        blocking_rules_to_generate_predictions=[block_on("first_name", "surname"),
                                                block_on("surname", "birth_date"),
                                                block_on("first_name", "birth_date")],
    )
    db = DuckDBAPI()
    frames = [db.register(_raw_frame(left), dataset_display_name="base_l")]
    if right is not None:
        frames.append(db.register(_raw_frame(right), dataset_display_name="base_r"))
    linker = Linker(frames[0] if right is None else frames, settings, log_level=logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        linker.training.estimate_probability_two_random_records_match(
            [block_on("first_name", "surname", "birth_date")], recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
        for br in (block_on("birth_date"), block_on("first_name", "surname")):
            linker.training.estimate_parameters_using_expectation_maximisation(br, max_pairs=EM_MAX_PAIRS)
        df = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    return _pairs(df["unique_id_l"], df["unique_id_r"], right is None)


def _pairs(a, b, undirected: bool) -> set[tuple[str, str]]:
    if undirected:
        return {tuple(sorted((str(x), str(y)))) for x, y in zip(a, b)}
    return {(str(x), str(y)) for x, y in zip(a, b)}


def rapidfuzz_token_sort(left: Sequence[dict], right: Sequence[dict], cutoff: float = 85.0
                         ) -> set[tuple[str, str]]:
    """Best token-sort match per left name (same birth year when both known), score ≥ cutoff."""
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    ln = [r.get("name") or "" for r in left]
    rn = [r.get("name") or "" for r in right]
    scores = process.cdist(ln, rn, scorer=fuzz.token_sort_ratio, processor=utils.default_process,
                           score_cutoff=cutoff, workers=2, dtype=np.uint8)
    out = set()
    for i, row in enumerate(scores):
        j = int(row.argmax())
        if row[j] >= cutoff:
            out.add((left[i]["id"], right[j]["id"]))
    return out


def recordlinkage_ecm(a: pd.DataFrame, b: pd.DataFrame | None, blocks: Sequence[str],
                      strings: Sequence[str], exact: Sequence[str]) -> set[tuple[str, str]]:
    """recordlinkage's unsupervised ECM pipeline as its FEBRL example sets it up: candidate pairs from
    blocking (here the union of several keys, so one typo does not lose a pair), binary features (exact
    agreement; Jaro-Winkler ≥ 0.85 for names and addresses), `ECMClassifier().fit_predict`."""
    import recordlinkage

    indexes = []
    for col in blocks:
        idx = recordlinkage.Index()
        idx.block(col)
        indexes.append(idx.index(a) if b is None else idx.index(a, b))
    pairs = indexes[0]
    for more in indexes[1:]:
        pairs = pairs.union(more)
    cmp = recordlinkage.Compare()
    for col in strings:
        cmp.string(col, col, method="jarowinkler", threshold=0.85, label=col)
    for col in exact:
        cmp.exact(col, col, label=col)
    feats = cmp.compute(pairs, a) if b is None else cmp.compute(pairs, a, b)
    matches = recordlinkage.ECMClassifier().fit_predict(feats)
    return _pairs(matches.get_level_values(0), matches.get_level_values(1), b is None)
