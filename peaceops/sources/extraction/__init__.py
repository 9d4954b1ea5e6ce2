"""The extraction pipeline: language → sentences → numbers and dates → the rule layer per claim kind →
places through the gazetteer → who said it. `extract()` reads text and returns claims; it writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext as _

from . import dates, rules
from .language import detect
from .numbers import find_numbers
from .places import PlaceIndex, PlaceMention
from .sentences import sentences
from .speakers import side_of, speaker_in
from .vocabulary import CEILINGS, LANGUAGES, NOT_THE_PLACE, STATEMENT_DAY

__all__ = ["ExtractedClaim", "Extraction", "PlaceIndex", "extract", "LANGUAGE_NAMES"]

LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "hy": "Armenian", "az": "Azerbaijani", "ka": "Georgian",
                  "tr": "Turkish", "fr": "French", "de": "German", "uk": "Ukrainian", "fa": "Persian"}
_STOCKS = ("observation_posts", "troops")
_YEAR_OR_TIME = re.compile(r"^(?:19|20)\d\d$")
_BACK_REFERENCE = re.compile(r"^(?:the\s|he$|she$|it$|they$|[а-яё])", re.IGNORECASE)


@dataclass
class ExtractedClaim:
    kind: str
    value: int
    qualifier: str
    period: str
    since: dt.date | None
    as_of: dt.date | None
    place_id: int | None
    place: str | None
    attributed_to: str
    party: str  # party code, or ""
    language: str
    sentence: str
    start: int  # the sentence's offsets in the document text
    end: int
    number_text: str = ""
    too_large: bool = False

    def as_json(self) -> dict:
        return {"kind": self.kind, "value": self.value, "qualifier": self.qualifier, "period": self.period,
                "since": self.since.isoformat() if self.since else None,
                "as_of": self.as_of.isoformat() if self.as_of else None, "place": self.place,
                "attributed_to": self.attributed_to, "party": self.party or None, "sentence": self.sentence}

    def same_figure(self, other: ExtractedClaim) -> bool:
        """The same figure said twice in one report (a lead paragraph repeated in a quote); a place one of them
        lacks does not make them two."""
        same_place = self.place_id == other.place_id or None in (self.place_id, other.place_id)
        return same_place and (self.kind, self.value, self.qualifier, self.period, self.since, self.as_of) == (
            other.kind, other.value, other.qualifier, other.period, other.since, other.as_of)


@dataclass
class Extraction:
    language: str
    claims: list[ExtractedClaim] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.language in LANGUAGES


@cache
def _statement_pattern(language: str) -> re.Pattern:
    return re.compile(STATEMENT_DAY[language], re.IGNORECASE)


def _statement_day(sentence: str, mention, language: str) -> bool:
    return bool(_statement_pattern(language).search(sentence[max(0, mention.start - 25):mention.start]))


@cache
def _blocked_pattern(language: str) -> re.Pattern:
    return re.compile(NOT_THE_PLACE[language], re.IGNORECASE)


def _outside(numbers, spans):
    return [n for n in numbers if not any(s <= n.start < e or n.start <= s < n.end for s, e in spans)]


def _drop_non_counts(sentence: str, numbers):
    """Years, clock times, percentages and ordinals are not counts."""
    kept = []
    for n in numbers:
        after = sentence[n.end:n.end + 6]
        before = sentence[max(0, n.start - 1):n.start]
        if _YEAR_OR_TIME.match(n.text) or after[:1] in (":", "%") or before == ":" or re.match(
                r"^(?:st|nd|rd|th|-?й|-?го|-?я)\b|^\s*(?:per\s*cent|percent|процент)", after, re.IGNORECASE):
            continue
        kept.append(n)
    return kept


def _nearest(items, position: int):
    return min(items, key=lambda item: abs(item.start - position)) if items else None


_LOCATED = ("violations", "killed", "wounded", "remains_recovered")


def _place_for(sentence: str, mentions: list[PlaceMention], clause: tuple[int, int], position: int,
               language: str, kind: str) -> PlaceMention | None:
    """The place in the figure's own clause (where an incident happened, or where people returned to); for an
    incident's figures, a place elsewhere in the sentence too."""
    blocked = _blocked_pattern(language)
    usable = [m for m in mentions if not blocked.search(sentence[max(0, m.start - 20):m.start])]
    in_clause = [m for m in usable if clause[0] <= m.start < clause[1]]
    return _nearest(in_clause, position) or (_nearest(usable, position) if kind in _LOCATED else None)


def extract(text: str, *, language: str | None = None, published: dt.date | None = None,
            outlet_speaker: str = "", outlet_party: str = "", places: PlaceIndex | None = None,
            skip: tuple[int, int] | None = None) -> Extraction:
    """Claims in `text`. `published` resolves relative dates; `outlet_speaker`/`outlet_party` stand for a
    sentence that names no speaker (a ministry's own bulletin); `skip` is the dateline's span."""
    language = language or detect(text)
    result = Extraction(language)
    if language not in LANGUAGES:
        result.notes.append(_("The report is in %(language)s, which the extraction does not read; no claims were "
                              "taken from it.") % {"language": LANGUAGE_NAMES.get(language, language)})
        return result
    if skip is None:
        line = dates.find_dateline(text, language)
        skip = (line.start, line.end) if line else None
    if published is None:
        result.notes.append(_("The report gives no date: its claims have no date and cannot be checked."))
    carried_kind, last_speaker, last_side = "", "", ""
    carried_day: dates.DateMention | None = None
    carried_place: PlaceMention | None = None
    line_start = -1
    for start, end, sentence in sentences(text, language):
        if text.rfind("\n", 0, start) != line_start:  # a new paragraph: what was carried ends
            line_start, carried_kind, carried_day, carried_place = text.rfind("\n", 0, start), "", None, None
        date_mentions = dates.mentions(sentence, language, published)
        in_dateline = skip[1] - start if skip and start < skip[1] else 0  # the dateline's date and city are not
        date_mentions = [m for m in date_mentions if m.start >= in_dateline]  # what the figures are about
        # "said on Tuesday that …": that day dates the statement; the figure's own day, if named, comes first.
        statement_days = {id(m) for m in date_mentions if _statement_day(sentence, m, language)}
        own_days = [m for m in date_mentions if m.role in ("on", "by") and id(m) not in statement_days]
        spans = [(m.start, m.end) for m in date_mentions]
        if in_dateline:
            spans.append((0, in_dateline))
        numbers = _drop_non_counts(sentence, _outside(find_numbers(sentence, language), spans))
        speaker = speaker_in(sentence, language)
        if speaker:
            last_speaker = speaker
            last_side = side_of(speaker) or last_side
        found = rules.figures(sentence, numbers, language, carried_kind) if numbers else []
        found += rules.zero_figures(sentence, language)
        mentions = [m for m in (places.find(sentence) if places else []) if m.start >= in_dateline]
        if not found:
            carried_day = own_days[-1] if own_days else carried_day
            carried_place = mentions[-1] if mentions else carried_place
            continue
        carried_kind = found[-1].kind
        attributed = speaker or last_speaker or outlet_speaker
        # A speaker that names no side speaks for the outlet's side, if the outlet is a party's own.
        # "the ministry added" goes on speaking for the side named before.
        party = side_of(attributed) or (last_side if _BACK_REFERENCE.match(attributed) else "") or outlet_party
        for figure in found:
            position = figure.number.start
            clause = sentence[figure.clause[0]:figure.clause[1]]
            in_clause = [m for m in date_mentions if figure.clause[0] <= m.start < figure.clause[1]]
            since = _nearest([m for m in in_clause if m.role == "since"], position) or _nearest(
                [m for m in date_mentions if m.role == "since"], position)
            figure_days = [m for m in date_mentions if m.role in ("on", "by") and id(m) not in statement_days]
            day_refs = ([m for m in figure_days if figure.clause[0] <= m.start < figure.clause[1]] or figure_days
                        or [m for m in date_mentions if m.role in ("on", "by")])
            # A sentence that names no day goes on about the day the one before it named ("on Saturday …. One
            # serviceman was wounded").
            reference = _nearest(day_refs, position) or (carried_day if figure.period_hint != "cumulative"
                                                         else None)
            period = figure.period_hint
            if not period:
                if since or (reference and reference.role == "by"):
                    period = "cumulative"
                elif reference or figure.kind in _STOCKS:
                    period = "day"
                elif rules.perfect_tense(clause, language):
                    period = "cumulative"
                else:
                    period = "day"
            as_of = reference.day if reference else published
            place = _place_for(sentence, mentions, figure.clause, position, language, figure.kind)
            if place is None and figure.kind in _LOCATED and not mentions:
                place = carried_place
            claim = ExtractedClaim(
                figure.kind, figure.value, figure.qualifier, period, since.day if since else None, as_of,
                place.place_id if place else None, place.name if place else None, attributed, party, language,
                sentence.strip(), start, end, figure.number.text)
            if figure.value > CEILINGS[figure.kind]:
                claim.too_large = True
                result.notes.append(_("“%(text)s”: %(value)s is too large to be a real figure for %(kind)s.") % {
                    "text": figure.number.text, "value": f"{figure.value:,}", "kind": figure.kind})
            if not any(claim.same_figure(other) for other in result.claims):
                result.claims.append(claim)
        carried_day = own_days[-1] if own_days else carried_day
        carried_place = mentions[-1] if mentions else carried_place
    return result
