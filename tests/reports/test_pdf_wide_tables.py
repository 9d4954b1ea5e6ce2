"""A sitrep table of many columns fits A4 in the PDF (issue 17: "Services per settlement" was cut at the page's
right edge: Road clipped, Bridge and Telecommunications lost). Checked by parsing the PDF back: every word is
printed inside its page, and the whole table on one page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from peaceops.core.reporting import SitrepSection, Table
from peaceops.reports import content
from peaceops.reports import render as renderer

DAY = dt.date(2020, 11, 21)
SERVICES = ["Water supply", "Electricity", "Gas", "Heating", "Health", "Education", "Road", "Bridge",
            "Telecommunications"]


def services_section(period):
    rows = [[name, population, *(["partially functioning", "not functioning", "functioning"] * 3)]
            for name, population in (("Stepanakert / Khankendi", 55_200), ("Martuni / Khojavend", 5_700),
                                     ("Shushi / Shusha", 4_100), ("Berdzor / Lachin", 1_900))]
    return SitrepSection(key="restoration", title="Restoration of life-support facilities", order=40,
                         summary="Services per settlement.", figures=[],
                         tables=[Table("restoration.services", "Services per settlement",
                                       ["Settlement", "Population", *SERVICES], rows)])


@pytest.fixture
def world(fixed_world):
    fixed_world["sections"] = [services_section]
    return fixed_world


def _words(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """(page, x where the text starts, page width, text) for every piece of text drawn."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        width = float(page.mediabox.width)

        def visit(text, cm, tm, _font, _size, number=number, width=width):
            if text.strip():
                found.append((number, cm[4] + tm[4] * cm[0], width, text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def test_wide_table_fits_its_page(db, world):
    doc = content.snapshot(DAY)
    pdf = renderer.to_pdf(renderer.document_context(doc, None, public=False, charts_wanted=False))
    words = _words(pdf)
    outside = [(text, round(x), round(width)) for _page, x, width, text in words if x > width - 30]
    assert outside == []
    table_pages = {page for page, _x, _w, text in words if "Services per settlement" in text}
    page_text = " ".join(text for page, _x, _w, text in words if page in table_pages).replace("\u2010 ", "")
    for header in ["Road", "Bridge", "Telecommunic", "Berdzor"]:
        assert header in page_text, header
