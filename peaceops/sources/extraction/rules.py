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
    NOUN_BEFORE,
    NOUNS,
    OF_WHICH,
    PERFECT,
    PERIOD_WORDS,
    QUALIFIER_AFTER,
    QUALIFIER_WORDS,
    VERBS,
    ZERO_CASUALTIES,
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
    noun: str = ""  # what the figure counts, as its noun said


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


@cache
def _extra(language: str):
    """The patterns for figures said without a number or whose noun stands elsewhere."""
    return (re.compile(ZERO_VIOLATIONS[language], _FLAGS),
            [(kind, re.compile(pattern, _FLAGS)) for kind, pattern in ZERO_CASUALTIES[language]],
            re.compile(OF_WHICH[language], _FLAGS),
            {name: re.compile(pattern, _FLAGS) for name, pattern in NOUN_BEFORE[language].items()})


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
    before = sentence[max(0, number.start - 30):number.start]
    for name, pattern in _extra(language)[3].items():
        if pattern.search(before):
            return name
    nouns = _compiled(language)[0]
    tail = sentence[number.end:number.end + 60]
    for name, pattern in nouns.items():
        if pattern.match(tail):
            return name
    return ""


def _nearest_verb(clause: str, position: int, names: tuple[str, ...], language: str) -> str:
    """Of several verbs in a clause, the one nearest the figure ("after the exchange of bodies, 58 bodies had
    been recovered": recovered)."""
    verbs = _compiled(language)[1]
    hits = [(abs(m.start() - position), name) for name in names for m in verbs[name].finditer(clause)]
    return min(hits)[1] if hits else ""


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


_PRIORITY = {"day_strong": 0, "cumulative": 1, "day": 2}


def _period_hint(text: str, language: str, nearest: bool = False) -> str:
    """"day" or "cumulative" from the words in `text`. In a figure's own clause a plain "in the past 24 hours"
    wins, then a running-total word, then a named day (which may only date the statement). Over a longer
    stretch the word nearest the figure's end of it wins."""
    periods = _compiled(language)[4]
    found = [(m.start(), m.end(), name) for name, pattern in periods.items() for m in pattern.finditer(text)]
    # Of two overlapping words ("as of today", "today") the longer one is meant.
    found = [f for f in found if not any(o != f and o[0] <= f[0] and f[1] <= o[1] for o in found)]
    if not found:
        return ""
    if nearest:
        name = max(found, key=lambda f: f[1])[2]
    else:
        name = min(found, key=lambda f: _PRIORITY[f[2]])[2]
    return "day" if name == "day_strong" else name


def kind_of(sentence: str, number: Number, previous_end: int, next_start: int, clause: tuple[int, int],
            language: str, noun: str) -> str:
    verbs = _verbs_near(sentence[clause[0]:clause[1]], language)
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
        verb = (_nearest_verb(sentence[clause[0]:clause[1]], number.start - clause[0], ("handover", "recover"),
                              language)
                or _nearest_verb(sentence, number.start, ("handover", "recover"), language))
        return {"handover": "remains_handed_over", "recover": "remains_recovered"}.get(verb, "")
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
    if not noun and _compiled(language)[1]["return"].match(
            re.sub(r"^\s*(?:have|has|had|already|been|\s)+", "", sentence[number.end:number.end + 30])):
        return "returned"  # "at least 48,000 have returned": people, though unnamed
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
        noun = _noun(sentence, number, language)
        if not noun and result and _extra(language)[2].search(sentence[max(0, number.start - 25):number.start]):
            noun = result[-1].noun  # "of which 135": counted like the figure before
        kind = kind_of(sentence, number, previous_end, next_start, clause, language, noun)
        hint = _period_hint(clause_text, language) or _period_hint(sentence[:number.start], language, nearest=True)
        bare = _BARE_END.match(sentence, number.end) is not None
        if not kind and not noun and bare and hint == "cumulative":
            # "bringing the total to almost 11,000": the running total of what was counted before it.
            earlier = [f.kind for f in result] + ([carried_kind] if not result else [])
            kind = next((k for k in reversed(earlier) if k not in ("", "buses", "convoys")), "")
        if not kind:
            continue
        result.append(Figure(kind, number.value, qualifier_of(sentence, number, language), number, clause, hint,
                             noun))
    return result


# A figure standing alone at the end of its clause ("… to almost 11,000.", "всего — более 34 тыс.").
_BARE_END = re.compile(r"\s*(?:people|человек|чел\.)?\s*(?:[.,;:)—–]|$)", re.IGNORECASE)


def zero_figures(sentence: str, language: str) -> list[Figure]:
    """"No ceasefire violations were recorded", "нарушений не зафиксировано", "no one was wounded": claims of
    none."""
    zero_violations, zero_casualties, _of_which, _before = _extra(language)
    found = [("violations", m) for m in [zero_violations.search(sentence)] if m]
    found += [(kind, m) for kind, pattern in zero_casualties for m in [pattern.search(sentence)] if m]
    bounds = clauses(sentence, language)
    return [Figure(kind, 0, "exact", Number(0, m.start(), m.end(), m.group(0)), _clause_of(m.start(), bounds), "day")
            for kind, m in found]


def perfect_tense(text: str, language: str) -> bool:
    return bool(_compiled(language)[6].search(text))
