"""The one place exchanges talks to record linkage.

The real engine (`peaceops.linkage.engine`, Splink) is used whenever it is importable. The fallback below is a
stepping stone for installations without it: a cross-script key matcher returning the same MatchProposal objects,
so the workflow above it does not change.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from rapidfuzz import fuzz

from peaceops.core.text import place_key
from peaceops.linkage.interface import ComparisonExplanation, MatchProposal

log = logging.getLogger(__name__)

# Lists are short and an officer reviews every proposal: show the doubtful ones too.
DEFAULT_THRESHOLD = 0.5
# A second proposal for the same entry within this much of the best makes the entry ambiguous.
AMBIGUITY_THRESHOLD = 0.5


def engine_name() -> str:
    try:
        import peaceops.linkage.engine  # noqa: F401
    except ImportError:
        return "fallback key matcher"
    return "linkage engine (Splink)"


def link(left: Sequence[dict], right: Sequence[dict], threshold: float = DEFAULT_THRESHOLD) -> list[MatchProposal]:
    """Proposals (left id, right id, probability, reasons), most probable first."""
    if not left or not right:
        return []
    try:
        from peaceops.linkage.engine import link_records
    except ImportError:
        log.warning("peaceops.linkage.engine is not available; using the fallback key matcher")
        return fallback_link(left, right, threshold)
    return link_records(list(left), list(right), threshold=threshold)


# --- fallback -------------------------------------------------------------------------------------------------

def _tokens(name: str) -> list[str]:
    return sorted(k for k in (place_key(part) for part in name.replace(",", " ").split()) if k)


def _name_score(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    # Patronymics are often missing on one side: compare the shorter token set against the longer.
    return fuzz.token_set_ratio(" ".join(ta), " ".join(tb)) / 100


def _date_level(a: str, b: str) -> tuple[str, float]:
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact date", 6.0
    if a[:4] == b[:4] and (a.startswith(b) or b.startswith(a)):
        return "agrees as far as both are known", 3.0
    if a[:4] == b[:4]:
        return "same year", 1.0
    return "different", -6.0


def _compare(l: dict, r: dict) -> tuple[ComparisonExplanation, ...]:
    out = []
    score = _name_score(l.get("name", ""), r.get("name", ""))
    level = "same key" if score >= 0.99 else "similar" if score >= 0.85 else "different"
    out.append(ComparisonExplanation("name", level, round(8 * (score - 0.8) / 0.2, 2) if score >= 0.8 else -8.0,
                                     l.get("name", ""), r.get("name", "")))
    fl, fr = l.get("father_name", ""), r.get("father_name", "")
    if fl and fr:
        fs = _name_score(fl, fr)
        out.append(ComparisonExplanation("father_name", "similar" if fs >= 0.85 else "different",
                                         4.0 if fs >= 0.85 else -3.0, fl, fr))
    else:
        out.append(ComparisonExplanation("father_name", "missing", 0.0, fl, fr))
    level, weight = _date_level(l.get("birth_date", ""), r.get("birth_date", ""))
    out.append(ComparisonExplanation("birth_date", level, weight, l.get("birth_date", ""), r.get("birth_date", "")))
    sl, sr = l.get("sex", ""), r.get("sex", "")
    if sl and sr:
        out.append(ComparisonExplanation("sex", "same" if sl == sr else "different", 1.0 if sl == sr else -5.0,
                                         sl, sr))
    return tuple(out)


def fallback_link(left: Sequence[dict], right: Sequence[dict], threshold: float) -> list[MatchProposal]:
    proposals = []
    for l in left:
        for r in right:
            if _name_score(l.get("name", ""), r.get("name", "")) < 0.7:
                continue  # blocking: names must at least resemble each other
            explanation = _compare(l, r)
            weight = sum(item.match_weight for item in explanation) - 6.0  # prior: most pairs are not matches
            probability = 1 / (1 + math.pow(2, -weight))
            if probability >= threshold:
                proposals.append(MatchProposal(str(l["id"]), str(r["id"]), probability, explanation))
    return sorted(proposals, key=lambda p: -p.probability)
