"""`peaceops sitrep --date D --format pdf|html|md [--out FILE]`; the PDF is parsed back and its text checked."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from peaceops.reports import services
from tests.reports.conftest import STEPANAKERT


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_markdown_to_stdout(fixed_world, db):
    out = io.StringIO()
    call_command("sitrep", "--date", "2020-11-21", "--format", "md", stdout=out)
    text = out.getvalue()
    assert text.startswith("# Situation report — 21 November 2020")
    # Links into the records are absolute (PEACEOPS_SITE_URL): the file is read away from the site.
    assert ("| [People returned in total](http://localhost:8000/returns/movements/?arrived_until=2020-11-21) "
            "| 6,950 | +1,300 |") in text
    assert f"| {STEPANAKERT} | 6,947 |" in text
    assert "## Internal notes" in text  # the staff view; --public leaves it out


def test_html_to_a_file(fixed_world, db, tmp_path):
    target = tmp_path / "sitrep.html"
    call_command("sitrep", "--date", "2020-11-21", "--format", "html", "--out", str(target), stderr=io.StringIO())
    html = target.read_text(encoding="utf-8")
    assert "<h1>Situation report — 21 November 2020</h1>" in html
    assert "As of today, 6,950 people have returned along the corridor to Stepanakert." in html
    assert html.count("data:image/svg+xml;base64,") == 2  # one curve per module: returns and exchanges
    assert "size: A4" in html and "counter(page)" in html


def test_pdf_to_a_file_reads_back(fixed_world, db, tmp_path):
    target = tmp_path / "sitrep.pdf"
    call_command("sitrep", "--date", "2020-11-21", "--format", "pdf", "--out", str(target), stderr=io.StringIO())
    reader, text = _pdf_text(target.read_bytes())
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 in points
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=1)
    assert "Situation report — 21 November 2020" in text
    assert "People returned in total" in text and "6,950" in text
    assert "Ստեփանակերտ" in text and "Степанакерт" in text  # Armenian and Cyrillic glyphs, not boxes
    pages = len(reader.pages)
    assert re.search(rf"Page 1 / {pages}", text)
    fonts = {str(font) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()
             for font in [font.get_object()["/BaseFont"]]}
    assert any("DejaVu" in font for font in fonts)


def test_pdf_charts_are_vector_graphics(fixed_world, db, tmp_path):
    target = tmp_path / "sitrep.pdf"
    call_command("sitrep", "--date", "2020-11-21", "--format", "pdf", "--out", str(target), stderr=io.StringIO())
    reader, text = _pdf_text(target.read_bytes())
    assert "People returned in total" in text  # chart titles stay text inside the PDF
    images = [image for page in reader.pages for image in page.images]
    assert images == []  # nothing rasterised


def test_pdf_to_stdout_writes_bytes(fixed_world, db, capsysbinary):
    call_command("sitrep", "--date", "2020-11-21", "--format", "pdf")
    data = capsysbinary.readouterr().out
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    assert "6,950" in _pdf_text(data)[1]


def test_public_output_needs_a_published_version_and_suppresses(fixed_world, users, db):
    with pytest.raises(CommandError):
        call_command("sitrep", "--date", "2020-11-21", "--format", "md", "--public", stdout=io.StringIO())
    coordinator = users["coordinator"]
    second = users["coordinator2"]
    services.publish(services.approve(services.start_draft(
        __import__("datetime").date(2020, 11, 21), coordinator), second), second, confirmed=True)
    out = io.StringIO()
    call_command("sitrep", "--date", "2020-11-21", "--format", "md", "--public", stdout=out)
    text = out.getvalue()
    assert "| Remains handed over in total | <5 |" in text
    assert "Internal notes" not in text and "/returns/movements/" not in text
    assert "Version 1, published" in text


def test_bad_date(db):
    with pytest.raises(CommandError):
        call_command("sitrep", "--date", "21/11/2020", "--format", "md")
