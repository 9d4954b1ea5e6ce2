"""A place's name as the active language writes it, from the gazetteer's aliases: names are never translated, only
shown with the alias a language already has ("Stepanakert / Khankendi" reads "Степанакерт / Ханкенди" in
Russian). Each half of a neutral name is matched to the alias with its script-independent key (or the nearest
one); a half without an alias in the language stays as it is.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.utils.translation import get_language
from rapidfuzz import fuzz

from peaceops.core.text import place_key

SEPARATOR = " / "
NEAR = 70.0  # "Khojavend"/"Ходжавенд" and "Hadrut"/"Гадрут" differ in a fold or two
RECHECK_SECONDS = 5.0  # how stale a renamed alias may be shown in another process

_lock = threading.Lock()
_state: dict = {"checked": 0.0, "stamp": None, "names": {}}


def _localise(name: str, aliases: list[tuple[str, str]]) -> str:
    unused = list(aliases)
    parts = []
    for part in name.split(SEPARATOR):
        key = place_key(part)
        match = next((alias for alias in unused if alias[1] == key), None)
        if match is None and unused and key:
            best = max(unused, key=lambda alias: fuzz.ratio(alias[1], key))
            match = best if fuzz.ratio(best[1], key) >= NEAR else None
        if match is None:
            parts.append(part)
        else:
            unused.remove(match)
            parts.append(match[0])
    return SEPARATOR.join(parts)


def _build() -> dict[str, dict[int, str]]:
    from peaceops.core.models import Place, PlaceAlias
    from peaceops.core.models.places import PlaceKind

    described = {PlaceKind.REGION, PlaceKind.OBSERVATION_POST, PlaceKind.CHECKPOINT}
    aliases: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for place_id, name, key, language in PlaceAlias.objects.values_list("place_id", "name", "key", "language"):
        aliases.setdefault((language, place_id), []).append((name, key))
    names: dict[str, dict[int, str]] = {}
    canonical = {pk: (name, kind) for pk, name, kind in Place.objects.values_list("id", "name", "kind")}
    for (language, place_id), found in aliases.items():
        if place_id in canonical:
            name, kind = canonical[place_id]
            # A district's alias names it whole ("Аскеранский / Асгаранский район"), and so do an observation
            # post's and a checkpoint's ("Наблюдательный пост 01 (север)", "КПП Бердзор / Лачин"): "district",
            # "post", "checkpoint" are words to translate, not names to transliterate, so their halves cannot be
            # matched like a settlement's. The fullest alias is the name; a short one ("НП-01") is for searching.
            local = (max(found, key=lambda alias: (len(alias[0]), alias[0]))[0] if kind in described
                     else _localise(name, found))
            names.setdefault(language, {})[place_id] = local
    return names


def _names(language: str) -> dict[int, str]:
    from peaceops.core import gazetteer

    now = time.monotonic()
    with _lock:
        if now - _state["checked"] > RECHECK_SECONDS:
            stamp = gazetteer.stamp()
            if stamp != _state["stamp"]:
                _state["names"], _state["stamp"] = _build(), stamp
            _state["checked"] = now
        return _state["names"].get(language, {})


def invalidate() -> None:
    with _lock:
        _state["checked"], _state["stamp"] = 0.0, None


def local_name(place) -> str:
    """The place's name in the active language (its canonical name in the default language or without an
    alias)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.LANGUAGE_CODE or place.pk is None:
        return place.name
    return _names(language).get(place.pk, place.name)
