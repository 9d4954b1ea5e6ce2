"""How the report reads: the overview, empty tables left out, lower bounds, numbers, charts — in HTML, Markdown
and PDF alike."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from peaceops.core.reporting import Figure, Series, SitrepSection, Table
from peaceops.reports import content, overview
from peaceops.reports import render as renderer

DAY = dt.date(2020, 11, 21)


def quiet_section(period):
    """A module with nothing to count today: zero violations, an empty table."""
    return SitrepSection(
        key="ceasefire", title="Ceasefire compliance", order=10, summary="No ceasefire violation was recorded.",
        figures=[Figure("ceasefire.violations", "Ceasefire violations", 0, 0, lower_bound=True),
                 Figure("ceasefire.violations_total", "Violations since 10 November 2020", 3, 3, lower_bound=True)],
        tables=[Table("ceasefire.by_district", "Violations by district and type", ["District", "Violations"], [])])


def busy_section(period):
    return SitrepSection(
        key="exchanges", title="Exchanges and the missing", order=30, summary="Work continues.",
        figures=[Figure("exchanges.exchanged", "Persons exchanged to date", 56, 0, people=True),
                 Figure("exchanges.remains_recovered", "Remains recovered", 12_345, 12_300, people=True),
                 Figure("exchanges.remains_handed_over", "Remains handed over to families", 3, 2, people=True),
                 Figure("exchanges.detained", "Detention cases open", 4, 60, people=True)],
        tables=[Table("exchanges.by_direction", "Exchanged to date, by direction", ["From", "To", "Persons"],
                      [["Side A", "Side B", 44], ["Side B", "Side A", 12]], people_columns=[2])])


def zero_series(first_day, last_day):
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return [Series("ceasefire.flat", "Nothing happened per day", "events", [(d, 0) for d in days])]


@pytest.fixture
def world(fixed_world):
    fixed_world["sections"] = [quiet_section, busy_section]
    fixed_world["series"] = [zero_series, *fixed_world["series"]]
    return fixed_world


def _context(doc=None, **kwargs):
    return renderer.document_context(doc or content.snapshot(DAY), None, public=False, **kwargs)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_overview_is_built_from_the_sections_figures(db, world):
    text = " ".join(overview.sentences(content.snapshot(DAY)))
    assert text.startswith("No ceasefire violation was recorded.")
    assert "56 persons were exchanged in the last 24 hours" in text
    assert "the remains of 12,345 people have been recovered and 3 handed over to families" in text
    assert "4 detention cases remain open" in text


def test_the_public_overview_keeps_small_counts_suppressed(db, world):
    text = " ".join(overview.sentences(content.public_view(content.snapshot(DAY))))
    # Sentences are reworded, not given the table marker: "fewer than 5", never "<5".
    assert "fewer than 5 detention cases" in text and "and fewer than 5 handed over" in text and "<5" not in text
    assert " 4 detention" not in text and " 3 handed" not in text


def test_overview_comes_first_in_every_format(db, world):
    context = _context()
    markdown = renderer.to_markdown(context)
    assert markdown.index("## Overview") < markdown.index("## Ceasefire compliance")
    html = renderer.to_html(context)
    assert html.index('id="sitrep-overview"') < html.index('id="sitrep-ceasefire"')
    assert "No ceasefire violation was recorded. " in html


def test_a_table_without_rows_is_left_out_everywhere(db, world):
    context = _context()
    markdown, html = renderer.to_markdown(context), renderer.to_html(context)
    assert "Violations by district and type" not in markdown and "Violations by district and type" not in html
    assert "### Exchanged to date, by direction" in markdown and "Exchanged to date, by direction" in html
    pdf = _pdf_text(renderer.to_pdf(_context(charts_wanted=False)))
    assert "Violations by district and type" not in pdf and "Exchanged to date, by direction" in pdf


def test_zero_is_never_qualified_as_at_least(db, world):
    context = _context()
    markdown = renderer.to_markdown(context)
    assert "at least 0" not in markdown
    assert "| Ceasefire violations | 0 | ±0 |" in markdown
    assert "| Violations since 10 November 2020 | at least 3 | ±0 |" in markdown


def test_numbers_are_grouped_and_number_columns_align_right(db, world):
    context = _context()
    markdown = renderer.to_markdown(context)
    assert "| Remains recovered | 12,345 | +45 |" in markdown
    assert "| From | To | Persons |\n|---|---|---:|" in markdown
    assert '<td class="num">44</td>' in renderer.to_html(context)


def test_a_curve_that_stays_at_zero_is_left_out_of_the_report_but_not_the_dashboard(db, world, client_for):
    charts = [c["key"] for c in _context()["charts"]]
    assert "ceasefire.flat" not in charts and "returns.cumulative" in charts
    response = client_for("coordinator").get("/reports/dashboard/?from=2020-11-10&to=2020-11-21")
    assert 'id="series-ceasefire.flat"' in response.content.decode()


def test_the_report_draws_one_curve_per_module_preferring_its_running_total():
    def series(key, values):
        return {"key": key, "title": key, "unit": "", "points": [["2020-11-21", v] for v in values]}

    chosen = renderer.headline_series([series("returns.per_day", [1]), series("returns.cumulative", [1]),
                                       series("exchanges.exchanged_total", [0]), series("exchanges.remains", [2]),
                                       series("restoration.water", [3]), series("restoration.gas", [4])])
    assert [s["key"] for s in chosen] == ["returns.cumulative", "exchanges.remains", "restoration.water"]


def test_the_dashboard_opens_on_the_newest_day_with_records(db, world, client_for, monkeypatch):
    monkeypatch.setattr(content, "latest_activity_day", lambda: dt.date(2020, 12, 31))
    html = client_for("coordinator").get("/reports/dashboard/").content.decode()
    assert 'value="2020-12-31"' in html and 'value="2020-11-10"' in html
