"""Charts: drawn once per frozen version (at approval) and read back afterwards; labels in the active language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from peaceops.reports import charts, services
from peaceops.reports import content as sitrep_content
from peaceops.reports import render as renderer
from peaceops.reports.models import StoredChart

DAY = dt.date(2020, 11, 21)


@pytest.fixture
def drawing_counted(monkeypatch):
    """Count matplotlib drawings, with the per-process cache emptied (a fresh server process)."""
    drawn = []
    draw = charts._svg.__wrapped__

    def counting(*args):
        drawn.append(args[0])
        return draw(*args)

    monkeypatch.setattr(charts, "_svg", counting)
    return drawn


def test_approval_draws_the_charts_so_reading_a_frozen_version_draws_none(fixed_world, users, drawing_counted):
    coordinator = users["coordinator"]
    sitrep = services.approve(services.start_draft(DAY, coordinator), users["coordinator2"])
    headline = renderer.headline_series(sitrep.content["series"])
    assert len(headline) == 2  # returns and exchanges
    # Each curve once per language: the public view cuts the remains curve (small counts) away and its returns
    # curve is the internal one, so it adds nothing to draw.
    assert sorted(drawing_counted) == sorted([s["title"] for s in headline] * 2)
    assert StoredChart.objects.count() == len(drawing_counted)
    drawing_counted.clear()
    sitrep = services.publish(sitrep, users["coordinator2"], confirmed=True)
    for language in ("en", "ru"):
        with translation.override(language):
            for doc in (sitrep.content, sitrep_content.public_view(sitrep.content)):
                context = renderer.document_context(doc, sitrep, public=doc is not sitrep.content)
                assert [c["key"] for c in context["charts"]] == [s["key"] for s in renderer.headline_series(
                    doc["series"])]
                assert all(c["uri"].startswith("data:image/svg+xml;base64,") for c in context["charts"])
    assert drawing_counted == []


def test_a_live_draft_draws_a_changed_curve_once(fixed_world, db, drawing_counted):
    doc = sitrep_content.snapshot(DAY)
    first = renderer.document_context(doc, None, public=False)["charts"]
    assert len(drawing_counted) == len(first) == 2
    again = renderer.document_context(sitrep_content.snapshot(DAY), None, public=False)["charts"]
    assert again == first and len(drawing_counted) == 2  # stored, not drawn again
    cumulative = next(s for s in doc["series"] if s["key"] == "returns.cumulative")
    cumulative["points"][-1][1] += 1  # new data: that curve alone is drawn afresh
    renderer.document_context(doc, None, public=False)
    assert len(drawing_counted) == 3


def test_chart_labels_follow_the_language(db):
    points = [(DAY + dt.timedelta(days=n), 45_000 + 1000 * n) for n in range(12)]  # 21 Nov – 2 Dec
    with translation.override("en"):
        english = charts.series_svg("Returned", "people", points)
    with translation.override("ru"):
        russian = charts.series_svg("Returned", "people", points)
    assert "21 Nov" in english and "45,000" in english
    assert "21 нояб." in russian and "1 дек." in russian and "Nov" not in russian
    assert "45\xa0000" in russian or "45 000" in russian


def test_the_report_heading_puts_the_month_in_the_genitive(fixed_world, db):
    with translation.override("ru"):  # a report written in Russian (its content records the language)
        doc = sitrep_content.snapshot(DAY, with_series=False)
        context = renderer.document_context(doc, None, public=False, charts_wanted=False)
        html, markdown = renderer.to_html(context), renderer.to_markdown(context)
    assert "21 ноября 2020" in html and "21 ноября 2020" in markdown.splitlines()[0]
    assert "21 Ноябрь 2020" not in html
    assert "ноября 2020 00:00" in html  # the reporting period's ends too
