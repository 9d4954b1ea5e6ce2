"""Learning the model's parameters from labelled data: m from true pairs, u from random pairs.

`scripts/train_linkage_model.py` runs `train` over generated registries (`synthetic.labelled_registry`, with
habits drawn afresh for each) and writes `data/model.json`. The functions take any records with a known
person key, so officers' decisions can feed the same estimate later.
"""

from __future__ import annotations

import logging
import random
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from splink import block_on

from peaceops.linkage import households, model
from peaceops.linkage.engine import U_MAX_PAIRS, _db_api, _register
from peaceops.linkage.params import ModelParams, level_shares
from peaceops.linkage.prepare import Schema, prepare_records

FULL = Schema(has_father=True, has_dob=True, has_place=True, has_sex=True, extras=())
# The prior of a query (a tracing request, a short list, one pair), per pair: even odds that the person sought
# is among a reference registry of 10,000 people. A query's probability is then the same whatever the pool.
QUERY_PRIOR = 0.5 / 10_000


def _linker(frame: pd.DataFrame, rules: list[Any], params: ModelParams | None) -> Any:
    from splink import Linker

    db_api, dialect = _db_api("duckdb")
    settings = model.settings_dict(FULL, dialect, "dedupe_only", 0.5, params=params)
    settings["blocking_rules_to_generate_predictions"] = rules
    settings["additional_columns_to_retain"] = []
    return Linker(_register(db_api, "duckdb", frame, "training"), settings, log_level=logging.WARNING)


def true_pair_gammas(records: Sequence[dict], truth: set[tuple[str, str]]) -> pd.DataFrame:
    """Comparison vectors of every labelled true pair (blocking on the label: none is lost to blocking)."""
    frame = prepare_records(records, ())
    person = {a: f"p{i}" for i, (a, b) in enumerate(sorted(truth))}
    person.update({b: f"p{i}" for i, (a, b) in enumerate(sorted(truth))})
    frame["person_key"] = [person.get(uid) for uid in frame["unique_id"]]
    linker = _linker(frame, [block_on("person_key")], None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = linker.inference.predict().as_pandas_dataframe()
    keys = dict(zip(frame["unique_id"], model.rule_keys(frame), strict=True))
    gammas = out[[c for c in out.columns if c.startswith("gamma_")]].copy()
    gammas["meets_rule"] = [pd.notna(keys[a]) and keys[a] == keys[b]
                            for a, b in zip(out["unique_id_l"], out["unique_id_r"], strict=True)]
    return gammas


def random_pair_u(records: Sequence[dict]) -> dict[str, dict[str, float]]:
    """u per comparison level from random pairs, as the engine samples them at run time."""
    frame = prepare_records(records, ())
    linker = _linker(frame, [block_on("unique_id")], None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=7)
    keys = model.level_keys(FULL)
    out: dict[str, dict[str, float]] = {}
    for comp in linker._settings_obj.comparisons:
        for lvl in comp.comparison_levels:
            if not lvl.is_null_level:
                key = keys[comp.output_column_name][lvl.comparison_vector_value]
                out.setdefault(comp.output_column_name, {})[key] = float(lvl.u_probability)
    return out


def train(registries: Sequence[tuple[list[dict], set[tuple[str, str]]]], meta: dict | None = None,
          progress: Callable[[str], None] = print) -> ModelParams:
    """m from the true pairs of all registries pooled; u averaged over the registries' random pairs."""
    gammas, us = [], []
    for i, (records, truth) in enumerate(registries):
        progress(f"registry {i + 1}/{len(registries)}: {len(records):,} records, {len(truth):,} true pairs")
        gammas.append(true_pair_gammas(records, truth))
        us.append(random_pair_u(records))
    keys = model.level_keys(FULL)
    all_gammas = pd.concat(gammas, ignore_index=True)
    m = level_shares(all_gammas, keys)
    comps: dict[str, dict[str, dict[str, float]]] = {}
    for comp, levels in m.items():
        comps[comp] = {}
        for key, m_value in levels.items():
            u_values = [u[comp][key] for u in us if key in u.get(comp, {})]
            # A level no random pair reached in a million (exact date and name): a small u, not zero.
            u_value = max(sum(u_values) / len(u_values), 1e-7) if u_values else 1e-7
            comps[comp][key] = {"m": round(m_value, 6), "u": float(f"{u_value:.4g}")}
    info = dict(meta or {})
    info["true_pairs"] = len(all_gammas)
    # The share of true pairs the prior's deterministic rule finds (engine.rule_prior divides by it).
    info["rule_recall"] = round(float(all_gammas["meets_rule"].mean()), 4)
    return ModelParams(comps, QUERY_PRIOR, info)


def household_levels(records: Sequence[dict], pairs: Sequence[tuple[str, str]]) -> tuple[list[int], pd.DataFrame]:
    """The household level (`households.level`) of each pair, and the prepared frame."""
    frame = prepare_records(records, ())
    side = dict(zip(frame["unique_id"], zip(frame["household"], frame["household_keys"], strict=True), strict=True))
    return [households.level(side[a][0], side[b][0], side[a][1], side[b][1]) for a, b in pairs], frame


def _same_name_pairs(frame: pd.DataFrame, truth: set[tuple[str, str]], seed: int,
                     per_group: int = 400) -> list[tuple[str, str]]:
    """Non-matching pairs with the same name key (the namesakes a household level is added to), at most
    `per_group` from each name."""
    rng = random.Random(seed)
    out = []
    for _key, ids in frame.dropna(subset=["name_sk_key"]).groupby("name_sk_key")["unique_id"]:
        ids = sorted(ids)
        if len(ids) < 2:
            continue
        every = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]] if len(ids) <= 40 else None
        pairs = every if every is not None and len(every) <= per_group else [
            tuple(sorted(rng.sample(ids, 2))) for _ in range(per_group)]
        out += [p for p in pairs if p not in truth]
    return out


def household_m(registries: Sequence[tuple[list[dict], set[tuple[str, str]]]],
                progress: Callable[[str], None] = print) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """The household comparison's parameters: m, the share of each known level among the true pairs of all
    registries pooled (smoothed as `level_shares`); u, the same share among non-matching pairs with the same
    name key (a query's; larger data estimates its own, `households.estimate_u`). Returns ({level key:
    {"m", "u"}}, facts for the model's meta: true pairs, and the share of them whose level is unknown)."""
    m_counts: Counter[int] = Counter()
    u_counts: Counter[int] = Counter()
    for i, (records, truth) in enumerate(registries):
        levels, frame = household_levels(records, sorted(truth))
        m_counts.update(levels)
        others = _same_name_pairs(frame, truth, seed=i)
        u_counts.update(household_levels(records, others)[0] if others else [])
        progress(f"households {i + 1}/{len(registries)}: {len(truth):,} true pairs, {len(others):,} namesake pairs")

    def shares(counts: Counter[int]) -> dict[str, float]:
        levels = pd.Series(list(counts), dtype=int)
        return level_shares(pd.DataFrame({f"gamma_{households.COMPARISON}": levels}),
                            {households.COMPARISON: households.KEYS},
                            pd.Series([float(n) for n in counts.values()]))[households.COMPARISON]

    m, u = shares(m_counts), shares(u_counts)
    entry = {key: {"m": round(m[key], 6), "u": float(f"{u[key]:.4g}")} for key in households.KEYS.values()}
    n_true = sum(m_counts.values())
    facts = {"household_true_pairs": n_true,
             "household_unknown_share": round(m_counts[households.UNKNOWN] / max(n_true, 1), 4),
             "household_namesake_pairs": sum(u_counts.values())}
    return entry, facts
