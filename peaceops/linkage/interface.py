"""The contract between the record-linkage engine and the modules that use it (exchanges, returns, tracing).

A caller hands over plain records (dicts) and gets back proposals: pairs the engine believes are the same
person, each with a probability and the reasons. Only a human confirms a proposal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Recognised record fields; any other key present on both sides is compared as a generic string.
RECORD_FIELDS = ("id", "name", "father_name", "birth_date", "birth_place", "sex")


@dataclass(frozen=True)
class ComparisonExplanation:
    """How one field contributed to a pair's score."""

    field: str  # "name", "birth_date", ...
    level: str  # human-readable comparison level, e.g. "exact", "same name symbols", "transposed day/month"
    match_weight: float  # log2 Bayes factor; positive = evidence for a match, negative = against
    left_value: str = ""
    right_value: str = ""

    @property
    def agrees(self) -> bool:
        return self.match_weight > 0


@dataclass(frozen=True)
class MatchProposal:
    left_id: str
    right_id: str
    probability: float
    explanation: tuple[ComparisonExplanation, ...] = field(default_factory=tuple)

    @property
    def match_weight(self) -> float:
        return sum(item.match_weight for item in self.explanation)
