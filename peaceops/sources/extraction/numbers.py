"""Numbers in running text, with where they stand: "1,300", "1 300", "34 тыс.", "1,3 тыс.", "Thirty-two",
"more than eleven thousand", "тридцать две". Numbers written in words are converted by `number_parser`; this
module only finds where they are and handles digits, group separators and the multiplier abbreviations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from number_parser import parse_number


@dataclass(frozen=True)
class Number:
    value: int
    start: int  # offsets in the text searched
    end: int
    text: str
    decimal: bool = False  # written with a fraction ("1.3 thousand"); rounded to an integer


_MULTIPLIERS = {
    "en": [(r"thousand", 1000), (r"million", 1_000_000), (r"mln\.?", 1_000_000), (r"k\b", 1000)],
    "ru": [(r"тыс(?:яч[аиуе]?|\.|\b)", 1000), (r"млн(?:\.|\b)", 1_000_000), (r"миллион(?:а|ов)?", 1_000_000)],
}
# Digits with thousands grouped by a comma, a dot (en: comma only), a space or a thin/no-break space.
_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d{1,3}(?:,\d{3})+|\d+)"
                     r"(?:([.,])(\d{1,2})(?!\d))?(?![\w])")


def _multiplier_pattern(language: str) -> re.Pattern:
    words = "|".join(p for p, _v in _MULTIPLIERS.get(language, []) + _MULTIPLIERS["en"])
    return re.compile(rf"\s*({words})", re.IGNORECASE)


@cache
def _multiplier_regex(language: str) -> re.Pattern:
    return _multiplier_pattern(language)


def _multiplier_value(word: str, language: str) -> int:
    for pattern, value in _MULTIPLIERS.get(language, []) + _MULTIPLIERS["en"]:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return value
    return 1


@cache
def _word_regex(language: str) -> re.Pattern:
    """A run of number words of the language, as number_parser knows them (every inflection it lists)."""
    from importlib import import_module

    info = import_module(f"number_parser.data.{language}").info
    words: set[str] = set()
    for key in ("UNIT_NUMBERS", "DIRECT_NUMBERS", "TENS", "HUNDREDS", "BIG_POWERS_OF_TEN"):
        words.update(w for w in info.get(key, {}) if w.isalpha() or "-" in w)
    words -= {"a", "an"}
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    joiner = r"(?:[\s\-]+(?:and\s+)?)" if language == "en" else r"\s+"
    return re.compile(rf"(?<!\w)(?:{alternatives})(?:{joiner}(?:{alternatives}))*(?!\w)", re.IGNORECASE)


def _digit_value(match: re.Match, language: str, multiplier: int) -> tuple[float, bool]:
    whole, sep, frac = match.group(1), match.group(2), match.group(3)
    digits = re.sub(r"[ ,\u00a0\u202f\u2009]", "", whole)
    if sep and frac:
        # "1,3 тыс." and "1.3 thousand" are fractions; "1,300" was taken whole by the grouping pattern above.
        if sep == "," and language == "en" and multiplier == 1:
            return float(digits), False
        return float(f"{digits}.{frac}") * multiplier, True
    return float(digits) * multiplier, False


# Russian collective numerals ("трое военнослужащих"), which number_parser does not list.
_RU_COLLECTIVE = {"двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8,
                  "девятеро": 9, "десятеро": 10}
_RU_COLLECTIVE_RE = re.compile(r"(?<!\w)(" + "|".join(_RU_COLLECTIVE) + r")(?!\w)", re.IGNORECASE)


def find_numbers(text: str, language: str) -> list[Number]:
    """Every number in `text`, left to right; overlapping finds keep the longer one."""
    found: list[Number] = []
    mult_re = _multiplier_regex(language)
    for match in _DIGITS.finditer(text):
        end, multiplier = match.end(), 1
        tail = mult_re.match(text, end)
        if tail:
            multiplier = _multiplier_value(tail.group(1), language)
            end = tail.end()
        value, decimal = _digit_value(match, language, multiplier)
        if match.group(2) and match.group(3) and multiplier == 1 and not decimal:
            end = match.end()
        found.append(Number(int(round(value)), match.start(), end, text[match.start():end], decimal))
    if language in ("en", "ru"):
        for match in _word_regex(language).finditer(text):
            words = match.group(0)
            value = parse_number(words.lower().replace("ё", "е"), language=language)
            if value is None:
                continue
            # "eleven thousand" is whole; "11 thousand" was read with the digits.
            if any(n.start <= match.start() < n.end or match.start() <= n.start < match.end() for n in found):
                continue
            found.append(Number(int(value), match.start(), match.end(), words))
    if language == "ru":
        for match in _RU_COLLECTIVE_RE.finditer(text):
            found.append(Number(_RU_COLLECTIVE[match.group(1).lower()], match.start(), match.end(), match.group(1)))
    return sorted(found, key=lambda n: n.start)
