"""The extraction pipeline on reports written in several styles (tests/sources/reports.py), English and
Russian: every expected claim is read, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.sources.extraction import PlaceIndex, extract
from peaceops.sources.extraction.numbers import find_numbers
from tests.sources.reports import REPORTS


@pytest.fixture
def places(db):
    return PlaceIndex.from_gazetteer()


def _got(result):
    return sorted((c.kind, c.value, c.qualifier, c.period, c.since, c.as_of, c.place) for c in result.claims)


@pytest.mark.parametrize("key,language,published,text,expected", REPORTS, ids=[r[0] for r in REPORTS])
def test_reads_the_claims_of_each_report(places, key, language, published, text, expected):
    result = extract(text, published=published, places=places)
    assert result.language == language
    assert _got(result) == sorted(expected)


def test_attribution_and_party(places):
    text = REPORTS[3][3]
    result = extract(text, published=REPORTS[3][2], places=places)
    assert {c.attributed_to for c in result.claims} >= {"The Defence Ministry of the Azerbaijani side"}
    assert {c.party for c in result.claims} == {"azerbaijani-side"}
    relayed = extract(REPORTS[4][3], published=REPORTS[4][2], places=places).claims[0]
    assert relayed.attributed_to == "the peacekeeping contingent headquarters"
    assert relayed.party == "peacekeeping-force"


def test_sentence_is_the_one_the_figure_came_from(places):
    text = REPORTS[0][3]
    claim = extract(text, published=REPORTS[0][2], places=places).claims[-1]
    assert claim.sentence == "In total, more than 11,000 people have returned since November 14, he added."
    assert text[claim.start:claim.end].strip() == claim.sentence


@pytest.mark.parametrize("text,language,value", [
    ("1,300", "en", 1300), ("Thirty-two", "en", 32), ("34 тыс.", "ru", 34000), ("more than 11 thousand", "en", 11000),
    ("1,3 тыс.", "ru", 1300), ("9 000", "ru", 9000), ("тридцать две", "ru", 32), ("eleven thousand", "en", 11000),
    ("1.5 million", "en", 1500000),
])
def test_numbers(text, language, value):
    assert find_numbers(text, language)[-1].value == value


def test_a_language_it_cannot_read_is_reported_not_guessed(places):
    armenian = "Ստեփանակերտ, դեկտեմբերի 7. Կիրակի օրը վերադարձել է 859 մարդ։"
    result = extract(armenian, published=dt.date(2020, 12, 7), places=places)
    assert result.claims == [] and result.language == "hy"
    assert "Armenian" in result.notes[0]
    french = "Environ 1 300 réfugiés sont rentrés dimanche à Stepanakert dans 32 autobus, selon le ministère."
    result = extract(french, published=dt.date(2020, 11, 22), places=places)
    assert result.claims == [] and result.language == "fr"


def test_no_date_anywhere_keeps_claims_without_as_of(places):
    result = extract("About 1,300 refugees returned to Stepanakert in 32 buses.", published=None, places=places)
    assert [c.as_of for c in result.claims] == [None, None]
    assert result.notes


def test_a_figure_too_large_to_be_real_is_flagged(places):
    result = extract("Some 90,000,000,000 refugees returned on Sunday.", published=dt.date(2020, 11, 22),
                     places=places)
    assert result.claims[0].too_large and "too large" in result.notes[-1]
