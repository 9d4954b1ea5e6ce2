"""The one place exchanges talks to record linkage (`peaceops.linkage.engine`, Splink, cross-script)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from peaceops.linkage.engine import link_records
from peaceops.linkage.interface import MatchProposal

# Lists are short and an officer reviews every proposal: show the doubtful ones too.
DEFAULT_THRESHOLD = 0.5
# A second proposal for the same entry within this much of the best makes the entry ambiguous.
AMBIGUITY_THRESHOLD = 0.5


ENGINE_NAME = "linkage engine (Splink)"  # stored on each reconciliation; shown through engine_label


def engine_name() -> str:
    return ENGINE_NAME


def link(left: Sequence[dict], right: Sequence[dict], threshold: float = DEFAULT_THRESHOLD,
         progress: Callable[[str], None] | None = None) -> list[MatchProposal]:
    """Proposals (left id, right id, probability, reasons), most probable first. The backend is the configured
    one (PEACEOPS_LINKAGE_BACKEND)."""
    if not left or not right:
        return []
    return sorted(link_records(list(left), list(right), threshold=threshold, progress=progress),
                  key=lambda p: -p.probability)
