"""What each app contributes to learning and to the matching jobs, declared in `<app>/linkage_sources.py`:

- SOURCES: where its officers' decisions on proposals are (each a label: same person or not), so the model can
  learn from them and the quality page can say how good past proposals were;
- JOBS: its matching jobs, run by the background worker on the configured backend.

The linkage app imports no domain app: they register here, as capabilities and navigation do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

CONFIRMED, REJECTED, PROPOSED = "confirmed", "rejected", "proposed"


@dataclass(frozen=True)
class Decision:
    """One proposal: its probability when proposed, the officer's decision (or still proposed), the engine's
    per-field reasons as stored with it (field, level label, ...)."""

    probability: float
    status: str
    reasons: list[dict]


@dataclass(frozen=True)
class DecisionSource:
    kind: str
    title: Any  # lazy translation
    capability: str  # who may read its figures
    decisions: Callable[[], Iterable[Decision]]


@dataclass(frozen=True)
class JobKind:
    kind: str
    title: Any
    capability: str  # who may start it
    run: Callable[[Any, dict, Callable[[str], None]], str]  # (user, arguments, progress) → summary line
    # For a job on a list: (id, label) of the lists it may take (the page's choice); None for a whole registry.
    lists: Callable[[], list[tuple[int, str]]] | None = None


def sources() -> tuple[DecisionSource, ...]:
    from peaceops.core.registry import collect

    return tuple(collect("linkage_sources", "SOURCES"))


def jobs() -> dict[str, JobKind]:
    from peaceops.core.registry import collect

    return {job.kind: job for job in collect("linkage_sources", "JOBS")}
