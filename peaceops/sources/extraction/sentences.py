"""Sentences with their offsets in the document, by pysbd (rule-based, English and Russian). Each line is
split on its own first: headlines and datelines end without a full stop."""

from __future__ import annotations

import re
from functools import cache

import pysbd

_LINE = re.compile(r"[^\n]+")
# A line broken inside a sentence (plain-text exports wrap at 70–80 columns): long, without closing punctuation,
# or followed by a line that starts in lower case.
_SOFT_BREAK = re.compile(r"(?<=[^\s.!?:;\"»”])\n(?=[ \t]*[a-zа-яё0-9(«\"“])|(?<=.{50}[^\s.!?:;\"»”])\n(?=\S)")
# pysbd keeps "34 тыс. Тридцать два автобуса" together ("тыс." is an abbreviation); a unit abbreviation after a
# figure, then a capital, ends a sentence.
_AFTER_UNIT = re.compile(r"(?<=\d\s(?:тыс|млн|чел)\.)\s+(?=[А-ЯЁA-Z«\"])")


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def sentences(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for every sentence, offsets into `text`."""
    segmenter = _segmenter(language)
    found = []
    # Same length as the text, so offsets hold: soft line breaks become spaces.
    text = _SOFT_BREAK.sub(" ", text)
    for line in _LINE.finditer(text):
        if not line.group(0).strip():
            continue
        for span in segmenter.segment(line.group(0)):
            offset = line.start() + span.start
            position = 0
            for gap in [*_AFTER_UNIT.finditer(span.sent), None]:
                end = gap.start() if gap else len(span.sent)
                found.append((offset + position, offset + end, span.sent[position:end]))
                position = gap.end() if gap else end
    return found
