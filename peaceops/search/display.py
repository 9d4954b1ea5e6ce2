"""A name shown to a reader: as written, and — when written in another script — transliterated into the
reader's script (Latin for the English interface, Cyrillic for the Russian one), with the linkage engine's
tables (peaceops.linkage.translit). A transliteration is a reading aid, never the name: it is marked as such."""

from __future__ import annotations

import re
from functools import lru_cache

import iuliia
from django.utils import translation

from peaceops.linkage import translit as tr

CYRILLIC_LANGUAGES = {"ru"}
_WORD_START = re.compile(r"(^|[\s\-‐(])(\w)")


def reader_script(language: str | None = None) -> str:
    language = (language or translation.get_language() or "en").split("-")[0]
    return "cyrl" if language in CYRILLIC_LANGUAGES else "latn"


def _capitalise(text: str) -> str:
    return _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


@lru_cache(maxsize=100_000)
def transliterate(name: str, target: str) -> str:
    """`name` in `target` script ("latn" or "cyrl"), or "" when it is written in that script already."""
    script = tr.detect_script(name)
    if not script or (target == "latn" and script in ("latn", "az")) or (target == "cyrl" and script == "cyrl"):
        return ""
    if script == "hy":
        text = tr.hy_passport(name) if target == "latn" else tr.hy_to_russian(name)
    elif script == "cyrl":
        text = iuliia.WIKIPEDIA.translate(name)  # Савельев → Savelyev: the spelling English texts use
    else:  # Azerbaijani or plain Latin, for a Cyrillic reader: the forms Russian documents write
        text = tr.az_to_russian(name)
    return _capitalise(text) if text != name else ""


def in_reader_script(name: str | None, language: str | None = None) -> str:
    return transliterate(name.strip(), reader_script(language)) if name and name.strip() else ""
