"""Birthplace keys. Django callers pass the gazetteer resolver; without it, a small table of the scenario's
places and their names in Armenian, Azerbaijani, Russian and English stands in."""

from __future__ import annotations

import re
from collections.abc import Callable

from peaceops.linkage import translit as tr

PlaceKey = Callable[[str], "str | None"]

# canonical key → names as written by either side, in any script (exonyms included).
BUILTIN_PLACES: dict[str, tuple[str, ...]] = {
    "stepanakert": ("Stepanakert", "Khankendi", "Xankəndi", "Xankendi", "Степанакерт", "Ханкенди",
                    "Ստեփանակերտ", "Khankendy"),
    "shushi": ("Shushi", "Shusha", "Şuşa", "Шуша", "Шуши", "Շուշի"),
    "berdzor": ("Berdzor", "Lachin", "Laçın", "Лачин", "Бердзор", "Բերձոր"),
    "goris": ("Goris", "Gorus", "Qorus", "Горис", "Գորիս"),
    "martuni": ("Martuni", "Khojavend", "Xocavənd", "Ходжавенд", "Мартуни", "Մարտունի"),
    "martakert": ("Martakert", "Aghdara", "Ağdərə", "Агдере", "Мартакерт", "Մարտակերտ"),
    "hadrut": ("Hadrut", "Hadrud", "Гадрут", "Հադրութ"),
    "askeran": ("Askeran", "Əsgəran", "Asgaran", "Аскеран", "Ասկերան"),
    "yerevan": ("Yerevan", "Erevan", "Irəvan", "Ереван", "Երևան", "Երեւան"),
    "baku": ("Baku", "Bakı", "Баку", "Բաքու"),
    "kornidzor": ("Kornidzor", "Корнидзор", "Կոռնիձոր"),
    "kalbajar": ("Kalbajar", "Karvachar", "Kəlbəcər", "Кельбаджар", "Карвачар", "Քարվաճառ"),
    "aghdam": ("Aghdam", "Ağdam", "Агдам", "Akna", "Ակնա"),
    "ganja": ("Ganja", "Gəncə", "Гянджа", "Gandzak", "Գանձակ"),
    "fuzuli": ("Fuzuli", "Füzuli", "Физули", "Varanda", "Վարանդա"),
}


def _fold(text: str) -> str:
    return " ".join(tr.match_form(t) for t in re.split(r"[\s,;/()-]+", text) if t)


_ALIASES: dict[str, str] = {}
for _key, _names in BUILTIN_PLACES.items():
    for _n in _names:
        _ALIASES[_fold(_n)] = _key


def builtin_place_key(text: str) -> str | None:
    """The built-in resolver: exact alias after folding, else the first word that is an alias."""
    folded = _fold(text)
    if not folded:
        return None
    if folded in _ALIASES:
        return _ALIASES[folded]
    for word in folded.split():  # "Stepanakert city", "г. Степанакерт"
        if word in _ALIASES:
            return _ALIASES[word]
    return None


def place_key_or_fold(text: str | None, resolver: PlaceKey | None = None) -> str:
    """Resolved key when known, else the folded spelling so unknown places still compare as strings."""
    if not text or not text.strip():
        return ""
    key = (resolver or builtin_place_key)(text)
    return key if key else _fold(text)
