"""How good past proposals were, against the officers' decisions on them, per job kind and probability band.

- precision of a band: of its proposals that officers decided, the share they confirmed;
- recall from a band down: of every match officers confirmed, the share proposed at that probability or above
  (what a threshold at the band's lower edge would have kept).

Officers decide only what was proposed, so recall is measured within proposals: a match the engine never
proposed is out of sight here (the registry's merges made by hand are the exception worth counting later).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peaceops.linkage.sources import CONFIRMED, PROPOSED, REJECTED, DecisionSource

# Lower edges, highest first; the last band takes everything below.
BANDS = (0.99, 0.9, 0.7, 0.5, 0.0)


@dataclass
class Band:
    low: float
    high: float
    proposed: int = 0
    confirmed: int = 0
    rejected: int = 0
    recall: float | None = None  # confirmed at this band or above / all confirmed

    @property
    def decided(self) -> int:
        return self.confirmed + self.rejected

    @property
    def open(self) -> int:
        return self.proposed - self.decided

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None


@dataclass
class KindQuality:
    kind: str
    title: str
    bands: list[Band] = field(default_factory=list)

    @property
    def proposed(self) -> int:
        return sum(b.proposed for b in self.bands)

    @property
    def confirmed(self) -> int:
        return sum(b.confirmed for b in self.bands)

    @property
    def rejected(self) -> int:
        return sum(b.rejected for b in self.bands)

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.rejected
        return self.confirmed / decided if decided else None


def _band_of(p: float) -> int:
    for i, low in enumerate(BANDS):
        if p >= low:
            return i
    return len(BANDS) - 1


def measure(source: DecisionSource) -> KindQuality:
    bands = [Band(low, 1.0 if i == 0 else BANDS[i - 1]) for i, low in enumerate(BANDS)]
    for d in source.decisions():
        band = bands[_band_of(d.probability)]
        band.proposed += 1
        if d.status == CONFIRMED:
            band.confirmed += 1
        elif d.status == REJECTED:
            band.rejected += 1
        else:
            assert d.status == PROPOSED, d.status
    total = sum(b.confirmed for b in bands)
    running = 0
    for band in bands:
        running += band.confirmed
        band.recall = running / total if total else None
    # Bands nothing was ever proposed in (below a job's threshold) are noise on the page.
    return KindQuality(source.kind, str(source.title), [b for b in bands if b.proposed])
