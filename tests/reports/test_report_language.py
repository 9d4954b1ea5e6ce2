"""A report is rendered in the language its sections were written in (issue 17: a published report's overview
came out Russian around English sections), and numbers take the language's one format ("6,950" in English,
"6 950" in Russian; the report wrote "6,950" beside the pages' "13 935")."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from peaceops.core.numbers import grouped, signed
from peaceops.reports import content as sitrep_content
from peaceops.reports import render as renderer

DAY = dt.date(2020, 11, 21)
NBSP = "\u00a0"


def test_an_english_report_stays_english_in_a_russian_session(fixed_world, db):
    doc = sitrep_content.snapshot(DAY, with_series=False)
    assert doc["language"] == "en"
    with translation.override("ru"):
        context = renderer.document_context(doc, None, public=False, charts_wanted=False)
        html, markdown = renderer.render("html", context), renderer.render("md", context)
    assert "Situation report" in html and "Overview" in html and 'lang="en"' in html
    assert "Situation report" in markdown.splitlines()[0]
    assert "6,950" in html  # the English grouping, even though the session is Russian


def test_a_report_written_in_russian_groups_numbers_the_russian_way(fixed_world, db):
    with translation.override("ru"):
        doc = sitrep_content.snapshot(DAY, with_series=False)
    assert doc["language"] == "ru"
    context = renderer.document_context(doc, None, public=False, charts_wanted=False)
    html = renderer.render("html", context)
    assert f"<td class=\"num\">6{NBSP}950</td>" in html and "<td class=\"num\">6,950" not in html
    assert 'lang="ru"' in html


def test_contents_from_before_the_language_was_recorded_render_in_the_default_language(fixed_world, db):
    doc = sitrep_content.snapshot(DAY, with_series=False)
    del doc["language"]
    with translation.override("ru"):
        assert sitrep_content.report_language(doc) == "en"


def test_one_number_format_per_language():
    with translation.override("en"):
        assert grouped(73_700) == "73,700" and grouped(1234.5, 1) == "1,234.5" and signed(-1200) == "−1,200"
    with translation.override("ru"):
        assert grouped(73_700) == f"73{NBSP}700" and grouped(1234.5, 1) == f"1{NBSP}234,5"
