"""The rule layer: which figures in a sentence are claims, of what kind, qualified how, for which period.

A figure is a claim when the noun it counts and the verb of its clause name one of the kinds (see
vocabulary.py); a bare figure in a running-total phrase ("bringing the total to more than 11,000", "Всего —
более 11 тыс.") counts the same thing as the claim before it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .numbers import Number
from .vocabulary import (
    CLAUSE_BREAKS,
    FILLERS,
    NOUNS,
    PERFECT,
    PERIOD_WORDS,
    QUALIFIER_AFTER,
    QUALIFIER_WORDS,
    VERBS,
    ZERO_VIOLATIONS,
)

_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass
class Figure:
    """A figure the rules take as a claim, before dates, places and speakers are attached."""

    kind: str
    value: int
    qualifier: str
    number: Number
    clause: tuple[int, int]
    period_hint: str = ""  # "day" or "cumulative" when a word in the clause says so


@cache
def _compiled(language: str):
    nouns = {name: re.compile(rf"^\s*(?:{FILLERS[language]}){pattern}", _FLAGS)
             for name, pattern in NOUNS[language].items()}
    verbs = {name: re.compile(pattern, _FLAGS) for name, pattern in VERBS[language].items()}
    qualifiers = [(name, re.compile(rf"(?:^|[\s(,—–-]){pattern}\s*(?:of\s+)?[:\-—–]?\s*$", _FLAGS))
                  for name, pattern in QUALIFIER_WORDS[language]]
    after = [(name, re.compile(pattern, _FLAGS)) for name, pattern in QUALIFIER_AFTER[language]]
    periods = {name: re.compile(pattern, _FLAGS) for name, pattern in PERIOD_WORDS[language].items()}
    return nouns, verbs, qualifiers, after, periods, re.compile(CLAUSE_BREAKS[language], _FLAGS), re.compile(
        PERFECT[language], _FLAGS)


def clauses(sentence: str, language: str) -> list[tuple[int, int]]:
    breaks = _compiled(language)[5]
    bounds, start = [], 0
    for match in breaks.finditer(sentence):
        bounds.append((start, match.start()))
        start = match.start()
    bounds.append((start, len(sentence)))
    return bounds


def _clause_of(position: int, bounds: list[tuple[int, int]]) -> tuple[int, int]:
    return next((b for b in bounds if b[0] <= position < b[1]), bounds[-1])


def qualifier_of(sentence: str, number: Number, language: str) -> str:
    _n, _v, qualifiers, after, *_ = _compiled(language)
    before = sentence[max(0, number.start - 40):number.start]
    for name, pattern in qualifiers:
        if pattern.search(before):
            return name
    for name, pattern in after:
        if pattern.search(sentence[number.end:number.end + 20]):
            return name
    return "exact"


def _noun(sentence: str, number: Number, language: str) -> str:
    nouns = _compiled(language)[0]
    tail = sentence[number.end:number.end + 60]
    for name, pattern in nouns.items():
        if pattern.match(tail):
            return name
    return ""


def _verbs_near(text: str, language: str) -> set[str]:
    verbs = _compiled(language)[1]
    return {name for name, pattern in verbs.items() if pattern.search(text)}


def _casualty(sentence: str, number: Number, previous_end: int, next_start: int, language: str) -> str:
    """"3 killed and 5 wounded": the casualty word after each figure, before the next one. Russian puts the verb
    first as often ("погибли 6 военнослужащих, ранен 1"): there the word just before the figure comes first."""
    verbs = _compiled(language)[1]
    after = sentence[number.end:min(next_start, number.end + 60)]
    before = sentence[max(previous_end, number.start - 30):number.start]
    hits_after = [(m.start(), name) for name in ("kill", "wound") for m in verbs[name].finditer(after)]
    hits_before = [(-m.end(), name) for name in ("kill", "wound") for m in verbs[name].finditer(before)]
    order = (hits_before, hits_after) if language == "ru" else (hits_after, hits_before)
    for hits in order:
        if hits:
            return min(hits)[1]
    return ""


def _period_hint(text: str, language: str) -> str:
    periods = _compiled(language)[4]
    found = [(m.end(), -m.start(), name) for name, pattern in periods.items() for m in pattern.finditer(text)]
    # The word nearest the figure; of two ending together ("as of today", "today") the longer.
    return max(found)[2] if found else ""


def kind_of(sentence: str, number: Number, previous_end: int, next_start: int, clause: str, language: str) -> str:
    noun = _noun(sentence, number, language)
    verbs = _verbs_near(clause, language)
    whole = _verbs_near(sentence, language)
    if noun == "bus":
        return "buses"
    if noun == "convoy":
        return "convoys"
    if noun == "tonne" and ("cargo" in whole or "convoy" in sentence.lower() or "колонн" in sentence.lower()):
        return "cargo_tonnes"
    if noun == "post" and re.search(r"observ|наблюд|peacekeep|миротвор", sentence, _FLAGS):
        return "observation_posts"
    if noun == "violation" or (noun == "times" and "violate" in whole):
        return "violations"
    if noun == "body":
        if "handover" in verbs:
            return "remains_handed_over"
        if "recover" in verbs:
            return "remains_recovered"
        return "remains_handed_over" if "handover" in whole else ("remains_recovered" if "recover" in whole else "")
    casualty = _casualty(sentence, number, previous_end, next_start, language)
    if noun in ("person", "soldier", "prisoner", "") and casualty:
        return {"kill": "killed", "wound": "wounded"}[casualty]
    if noun == "prisoner" and ({"exchange", "return"} & whole):
        return "prisoners_exchanged"
    if noun in ("person", "soldier") and "exchange" in verbs and re.search(
            r"prisoner|detainee|hostage|captiv|пленн|задержанн|заложник", sentence, _FLAGS):
        return "prisoners_exchanged"
    if noun == "soldier" and "deploy" in whole:
        return "troops"
    if noun == "person" and "return" in verbs:
        return "returned"
    if noun == "person" and "return" in whole and not ({"kill", "wound"} & whole):
        return "returned"
    return ""


def figures(sentence: str, numbers: list[Number], language: str, carried_kind: str = "") -> list[Figure]:
    """The claims among `numbers` (already stripped of dates). `carried_kind`: the kind of the last claim of
    the previous sentence, for a running total that follows it without naming what it counts."""
    bounds = clauses(sentence, language)
    result: list[Figure] = []
    for i, number in enumerate(numbers):
        next_start = numbers[i + 1].start if i + 1 < len(numbers) else len(sentence)
        previous_end = numbers[i - 1].end if i else 0
        clause = _clause_of(number.start, bounds)
        clause_text = sentence[clause[0]:clause[1]]
        kind = kind_of(sentence, number, previous_end, next_start, clause_text, language)
        hint = (_period_hint(sentence[clause[0]:number.start], language) or _period_hint(clause_text, language)
                or _period_hint(sentence[:number.start], language))
        if not kind and not _noun(sentence, number, language) and hint == "cumulative":
            previous = result[-1].kind if result else carried_kind
            kind = previous if previous not in ("", "buses", "convoys") else ""
        if not kind:
            continue
        result.append(Figure(kind, number.value, qualifier_of(sentence, number, language), number, clause, hint))
    return result


def zero_figures(sentence: str, language: str) -> list[Figure]:
    """"No ceasefire violations were recorded", "нарушений не зафиксировано": a claim of none."""
    pattern = re.compile(ZERO_VIOLATIONS[language], _FLAGS)
    match = pattern.search(sentence)
    if not match:
        return []
    number = Number(0, match.start(), match.end(), match.group(0))
    bounds = clauses(sentence, language)
    return [Figure("violations", 0, "exact", number, _clause_of(match.start(), bounds), "day")]


def perfect_tense(text: str, language: str) -> bool:
    return bool(_compiled(language)[6].search(text))
