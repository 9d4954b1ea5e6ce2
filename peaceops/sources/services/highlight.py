"""A document's text cut into plain runs and the sentences its claims came from, for the page that shows
each claim's sentence highlighted where it stands."""

from __future__ import annotations


def segments(text: str, claims) -> list[tuple[str, list]]:
    """[(text, claims whose sentence this run is)], covering the whole text in order."""
    spans: dict[tuple[int, int], list] = {}
    for claim in claims:
        if 0 <= claim.start < claim.end <= len(text):
            spans.setdefault((claim.start, claim.end), []).append(claim)
    result: list[tuple[str, list]] = []
    position = 0
    for (start, end), owners in sorted(spans.items()):
        if start < position:  # overlapping sentences: the later one joins the earlier run
            result[-1][1].extend(owners)
            continue
        if start > position:
            result.append((text[position:start], []))
        result.append((text[start:end], owners))
        position = end
    if position < len(text):
        result.append((text[position:], []))
    return result
