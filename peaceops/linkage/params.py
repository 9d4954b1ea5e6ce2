"""The model's parameters as data: m- and u-probabilities per comparison level, learnt from labelled pairs.

The shipped set (`data/model.json`) is produced by `scripts/train_linkage_model.py` from generated registries
whose truth is known (`peaceops.linkage.synthetic.training_registries`). m says how a real duplicate looks and
is carried from registry to registry; u (how two different people happen to look alike) and the prior (how many
duplicates there are) belong to the data at hand and are re-estimated there when it is large enough. The same
`estimate_m` serves any other source of labelled pairs (officers' confirmed and rejected proposals, later).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

SHIPPED = Path(__file__).with_name("data") / "model.json"
# A level never seen among the labelled pairs is not impossible: half a pair's weight keeps its m above zero
# (a zero would make one disagreement veto any other evidence).
SMOOTHING = 0.5
# And no share below this: a habit no generator foresaw must not make one field a veto (2^-10 against a match
# at most from m alone).
MIN_SHARE = 0.001


@dataclass(frozen=True)
class ModelParams:
    """comparison → level key → {"m": …, "u": …}; `query_prior` is the pair prior of a query (see engine)."""

    comparisons: dict[str, dict[str, dict[str, float]]]
    query_prior: float = 5e-5
    meta: dict[str, Any] = field(default_factory=dict)

    def m(self, comparison: str, key: str) -> float | None:
        return self.comparisons.get(comparison, {}).get(key, {}).get("m")

    def as_json(self) -> dict[str, Any]:
        return {"comparisons": self.comparisons, "query_prior": self.query_prior, "meta": self.meta}


def load(path: str | Path) -> ModelParams:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return ModelParams(comparisons=data["comparisons"], query_prior=float(data.get("query_prior", 5e-5)),
                       meta=data.get("meta", {}))


def save(params: ModelParams, path: str | Path) -> None:
    Path(path).write_text(json.dumps(params.as_json(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                          encoding="utf-8")


@cache
def shipped() -> ModelParams:
    """The parameters shipped with the package; empty (the levels' generic values) if the file is missing."""
    return load(SHIPPED) if SHIPPED.exists() else ModelParams({})


def active_params() -> tuple[ModelParams, str]:
    """The model matching uses now, and a note naming it when it is not the shipped one: the operation's model
    (learnt from its officers' decisions, stored in the database) when Django runs with the linkage app, else
    the shipped parameters. Plain scripts and benchmarks get the shipped ones."""
    try:
        from django.apps import apps

        if apps.ready and _stored_model:
            found = _stored_model[0]()
            if found is not None:
                return found
    except Exception:  # noqa: BLE001 - no database (a script, a test without one): the shipped model stands
        pass
    return shipped(), ""


# The reader of the operation's stored model (peaceops.linkage.store.current), handed in when Django starts the
# linkage app (LinkageConfig.ready): this module stays importable without Django, and never imports the store.
_stored_model: list = []


def read_stored_model_with(reader) -> None:
    _stored_model[:] = [reader]


def level_shares(gammas: pd.DataFrame, keys: Mapping[str, Mapping[int, str]],
                 weights: pd.Series | None = None) -> dict[str, dict[str, float]]:
    """For each comparison, the smoothed share of pairs at each non-null level: m when the pairs are matches,
    u when they are not. `gammas` holds gamma_<comparison> columns (Splink's comparison vector values)."""
    out: dict[str, dict[str, float]] = {}
    for comp, by_gamma in keys.items():
        col = f"gamma_{comp}"
        if col not in gammas:
            continue
        values = gammas[col]
        w = weights if weights is not None else pd.Series(1.0, index=gammas.index)
        known = values != -1
        counts = w[known].groupby(values[known]).sum()
        levels = {g: k for g, k in by_gamma.items() if g != -1}
        total = float(counts.sum()) + SMOOTHING * len(levels)
        shares = {key: max((float(counts.get(g, 0.0)) + SMOOTHING) / total, MIN_SHARE) for g, key in levels.items()}
        norm = sum(shares.values())
        out[comp] = {key: share / norm for key, share in shares.items()}
    return out


def estimate_m(gammas: pd.DataFrame, keys: Mapping[str, Mapping[int, str]], is_match: pd.Series,
               base: ModelParams | None = None) -> ModelParams:
    """New parameters whose m come from labelled pairs (`is_match` True for the same person); u and the rest
    are kept from `base`."""
    base = base or shipped()
    shares = level_shares(gammas[is_match.to_numpy()], keys)
    comps = {c: {k: dict(v) for k, v in levels.items()} for c, levels in base.comparisons.items()}
    for comp, levels in shares.items():
        for key, m in levels.items():
            comps.setdefault(comp, {}).setdefault(key, {"u": m})["m"] = m
    return ModelParams(comps, base.query_prior, dict(base.meta))
