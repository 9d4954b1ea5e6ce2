"""Learning from the officers: every confirmed proposal is a labelled true pair, and its stored reasons are
its comparison vector (the level of each field, by label; the household's too, `linkage.households`). m is
re-estimated from them by counting, as Splink's `estimate_m_from_pairwise_labels` does, but with the shipped m
as a prior worth PRIOR_PAIRS pairs, so a handful of decisions nudges the model and hundreds move it. Rejected
proposals are not random pairs (the engine chose them), so they say nothing about u; they serve the quality
figures (`peaceops.linkage.quality`). docs/linkage.md, "Learning from the officers".
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.linkage import households, model
from peaceops.linkage.params import MIN_SHARE, ModelParams, shipped
from peaceops.linkage.prepare import Schema
from peaceops.linkage.sources import CONFIRMED, REJECTED, sources

# The shipped m counts as this many confirmed pairs: the training registries are synthetic, the operation's
# decisions are real, but a few dozen decisions (often the easy ones) must not overturn it.
PRIOR_PAIRS = 50
FULL = Schema(has_father=True, has_dob=True, has_place=True, has_sex=True, extras=())


class NotEnoughLabels(ValueError):
    pass


# How a comparison is named to an officer (the run notes and the quality page).
FIELD_NAMES = {"surname": gettext_lazy("surname"), "given_name": gettext_lazy("given name"),
               "father_name": gettext_lazy("father's name"), "birth_date": gettext_lazy("birth date"),
               "birth_place": gettext_lazy("birthplace"), "sex": gettext_lazy("sex"),
               households.COMPARISON: gettext_lazy("household")}

# The household level's label in reasons stored before it was renamed (8c2752d): the unknown level.
_OLD_HOUSEHOLD_LABELS = {"missing": "missing"}


@cache
def _label_keys() -> dict[str, dict[str, str]]:
    """comparison → {level label as stored in a proposal's reasons: level key}."""
    out: dict[str, dict[str, str]] = {}
    for comp in model._specs(FULL, model.DUCKDB):
        out[comp["output_column_name"]] = {lvl["label_for_charts"]: lvl["_key"] for lvl in comp["comparison_levels"]}
    # Scored after the others (engine, `households.apply`); its unknown level is the null one, as "missing" is.
    out[households.COMPARISON] = {**_OLD_HOUSEHOLD_LABELS, **{
        label: households.KEYS.get(gamma, "missing") for gamma, label in households.LABELS.items()}}
    return out


def comparison_vector(reasons: list[dict]) -> dict[str, str]:
    """A proposal's stored reasons as {comparison: level key}; fields or levels this model does not have (a
    list's extra column, a label renamed since) are left out."""
    keys = _label_keys()
    out = {}
    for reason in reasons or []:
        key = keys.get(reason.get("field", ""), {}).get(reason.get("level", ""))
        if key is not None:
            out[reason["field"]] = key
    return out


def labelled_pairs(kinds: set[str] | None = None) -> pd.DataFrame:
    """Every decided proposal: kind, probability, is_match, and one column per comparison holding its level key
    (None where the reasons do not say)."""
    rows = []
    for source in sources():
        if kinds is not None and source.kind not in kinds:
            continue
        for d in source.decisions():
            if d.status in (CONFIRMED, REJECTED):
                rows.append({"kind": source.kind, "probability": d.probability, "is_match": d.status == CONFIRMED,
                             **comparison_vector(d.reasons)})
    frame = pd.DataFrame(rows, columns=["kind", "probability", "is_match", *_label_keys()])
    return frame.astype({"is_match": bool}) if len(frame) else frame


def estimate_m(pairs: pd.DataFrame, base: ModelParams, prior_pairs: float = PRIOR_PAIRS) -> ModelParams:
    """m per level from the confirmed pairs, with `base`'s m as the prior (a Dirichlet of `prior_pairs`
    pseudo-pairs); u, the query prior and levels without a base value are kept."""
    matches = pairs[pairs["is_match"]]
    comps = {c: {k: dict(v) for k, v in levels.items()} for c, levels in base.comparisons.items()}
    for comp, levels in comps.items():
        if comp not in matches:
            continue
        counts = Counter(k for k in matches[comp] if isinstance(k, str) and k != "missing")
        n = sum(counts.values())
        if not n:
            continue
        shares = {key: max((prior_pairs * values["m"] + counts.get(key, 0)) / (prior_pairs + n), MIN_SHARE)
                  for key, values in levels.items()}
        norm = sum(shares.values())
        for key, share in shares.items():
            levels[key]["m"] = share / norm
    return ModelParams(comps, base.query_prior, {**base.meta, "learnt_from_decisions": int(len(matches)),
                                                 "prior_pairs": prior_pairs})


@dataclass
class Learnt:
    params: ModelParams
    labels: dict[str, dict[str, int]]  # per kind: confirmed, rejected
    notes: list[str] = field(default_factory=list)


def _moves(old: ModelParams, new: ModelParams, top: int = 5, only: str | None = None) -> list[str]:
    """The levels whose m moved most (of the comparison `only`, when given), in words."""
    moved = []
    for comp, levels in new.comparisons.items():
        if only is not None and comp != only:
            continue
        for key, values in levels.items():
            before = old.m(comp, key)
            if before:
                moved.append((abs(math.log2(values["m"] / before)), comp, key, before, values["m"]))
    moved.sort(reverse=True)
    labels = {comp: {key: label for label, key in levels.items()} for comp, levels in _label_keys().items()}
    return [_("%(field)s, \u201c%(level)s\u201d: a true pair shows it %(old).1f %% of the time in the shipped "
              "model, %(new).1f %% in this operation's") % {
        "field": FIELD_NAMES.get(comp, comp), "level": labels.get(comp, {}).get(key, key), "old": 100 * before,
        "new": 100 * after} for bits, comp, key, before, after in moved[:top] if bits >= 0.05]


def learn(min_labels: int | None = None, base: ModelParams | None = None) -> Learnt:
    """New parameters from every decision so far; NotEnoughLabels below `min_labels` confirmed pairs."""
    min_labels = settings.PEACEOPS_LINKAGE_MIN_LABELS if min_labels is None else min_labels
    pairs = labelled_pairs()
    labels: dict[str, dict[str, int]] = {}
    for kind, group in pairs.groupby("kind") if len(pairs) else []:
        labels[kind] = {"confirmed": int(group["is_match"].sum()), "rejected": int((~group["is_match"]).sum())}
    confirmed = int(pairs["is_match"].sum()) if len(pairs) else 0
    if confirmed < min_labels:
        raise NotEnoughLabels(_("Only %(count)s confirmed proposals so far; the model learns from %(min)s up, so "
                                "that a few decisions cannot swing it. The shipped model stays in use.") % {
            "count": confirmed, "min": min_labels})
    # From the shipped model, not the version in use: every decision counts once, however often one learns.
    base = base or shipped()
    params = estimate_m(pairs, base)
    notes = [_("m re-estimated from %(confirmed)s confirmed proposals (%(rejected)s rejected ones are kept for "
               "the quality figures: the engine chose them, so they do not describe chance agreement); the "
               "shipped model counts as %(prior)s confirmed pairs.") % {
        "confirmed": confirmed, "rejected": int(len(pairs) - confirmed), "prior": PRIOR_PAIRS}]
    moves = _moves(base, params)
    notes += moves + _household_notes(pairs, base, params, moves)
    return Learnt(params, labels, notes)


def _household_notes(pairs: pd.DataFrame, base: ModelParams, params: ModelParams, moves: list[str]) -> list[str]:
    """Whether the household comparison's m moved, and how (its levels, when the overall moves left them out)."""
    if households.COMPARISON not in base.comparisons:
        return []
    known = 0
    if len(pairs):
        matches = pairs.loc[pairs["is_match"], households.COMPARISON]
        known = int(matches.isin(set(households.KEYS.values())).sum())
    if not known:
        return [_("Household: no confirmed proposal had co-members on both sides, so its m stays as shipped.")]
    ours = [line for line in _moves(base, params, top=len(households.KEYS), only=households.COMPARISON)
            if line not in moves]
    return [_("Household: m re-estimated from the %(known)s confirmed proposals with co-members on both sides "
              "(a side registered alone, or a proposal made before households were compared, says nothing "
              "about it).") % {"known": known}, *ours]


def learn_and_activate(user, min_labels: int | None = None) -> tuple[object, Learnt]:
    from peaceops.linkage import store

    learnt = learn(min_labels)
    return store.activate(learnt.params, user, learnt.labels, learnt.notes), learnt

