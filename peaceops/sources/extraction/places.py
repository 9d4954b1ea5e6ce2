"""Places named in a sentence, through the gazetteer's aliases in any script. Russian inflects place names
("в Степанакерте", "из Еревана", "в Шуше"), so a Cyrillic word is also tried without its case ending."""

from __future__ import annotations

import re
from dataclasses import dataclass

from peaceops.core.text import fold

_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_RU_ENDINGS = ("ом", "ем", "ой", "ей", "ью", "е", "а", "у", "ы", "и", "я", "ю")


@dataclass(frozen=True)
class PlaceMention:
    place_id: int
    name: str  # the place's canonical name
    text: str
    start: int
    end: int


class PlaceIndex:
    """Folded alias → place, built once per reading from the gazetteer (or handed in by tests and benchmarks)."""

    def __init__(self, names: dict[str, tuple[int, str]]):
        self.names = {fold(k): v for k, v in names.items() if k.strip()}
        self.longest = max((len(k.split()) for k in self.names), default=1)

    @classmethod
    def from_gazetteer(cls) -> PlaceIndex:
        from peaceops.core.models import Place, PlaceAlias

        canonical = dict(Place.objects.values_list("id", "name"))
        names: dict[str, tuple[int, str]] = {}
        ambiguous: set[str] = set()
        pairs = [(name, pk) for pk, name in canonical.items()]
        pairs += list(PlaceAlias.objects.values_list("name", "place_id"))
        for name, pk in pairs:
            key = fold(name)
            if key in names and names[key][0] != pk:
                ambiguous.add(key)
            names[key] = (pk, canonical[pk])
            for half in name.split(" / "):  # "Shushi / Shusha": each half names the place
                names.setdefault(fold(half), (pk, canonical[pk]))
        for key in ambiguous:  # a name two places share says nothing about which one
            names.pop(key, None)
        return cls(names)

    def _lookup(self, phrase: str) -> tuple[int, str] | None:
        key = fold(phrase)
        if key in self.names:
            return self.names[key]
        if _CYRILLIC.search(key):
            for ending in _RU_ENDINGS:
                if key.endswith(ending) and len(key) - len(ending) >= 3:
                    stem = key[: -len(ending)]
                    for candidate in (stem, stem + "а", stem + "и", stem + "ь"):
                        if candidate in self.names:
                            return self.names[candidate]
        return None

    def find(self, sentence: str) -> list[PlaceMention]:
        words = list(_WORD.finditer(sentence))
        found: list[PlaceMention] = []
        i = 0
        while i < len(words):
            hit = None
            if words[i].group(0)[:1].isupper():
                for size in range(min(self.longest, len(words) - i), 0, -1):
                    start, end = words[i].start(), words[i + size - 1].end()
                    match = self._lookup(sentence[start:end])
                    if match:
                        hit = (size, PlaceMention(match[0], match[1], sentence[start:end], start, end))
                        break
            if hit:
                found.append(hit[1])
                i += hit[0]
            else:
                i += 1
        return found
