"""Small-cell suppression that subtraction cannot undo: tables against their totals, day-changes against the
previous day, sentences, curves, corrections and the public HXL file (issue 16, leaks to the public)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from peaceops.core.reporting import ReportingPeriod
from peaceops.exchanges import sitrep as exchanges_sitrep
from peaceops.exchanges.services.summary import Summary
from peaceops.reports import content, disclosure, exports
from peaceops.reports.models import Sitrep

DAY = dt.date(2020, 12, 14)
ARMENIA, AZERBAIJAN = "Party A", "Party B"


def _recoverable(cells: list, shown: list, total) -> list[int]:
    """The hidden cells a reader can work out: when exactly one is hidden and the total is shown."""
    hidden = [i for i, v in enumerate(shown) if disclosure.is_hidden(v)]
    if len(hidden) == 1 and not disclosure.is_hidden(total):
        return [total - sum(v for v in shown if disclosure.is_count(v))]
    return []


@pytest.mark.parametrize("cells", [[44, 13], [56, 1], [6947, 3], [44, 4, 4, 5], [52, 1, 1], [3], [0, 2, 9, 30],
                                   [4, 4, 4], [100, 0, 0, 2]])
def test_no_hidden_cell_comes_back_by_subtraction(cells):
    total = sum(cells)
    shown, shown_total = disclosure.suppress_group(cells, total)
    assert all(not disclosure.is_small(v) for v in shown)
    assert not any(disclosure.is_small(v) for v in _recoverable(cells, shown, shown_total))
    hidden = [c for c, s in zip(cells, shown, strict=True) if disclosure.is_hidden(s)]
    if hidden and not disclosure.is_hidden(shown_total):
        assert len(hidden) >= 2 and not disclosure.is_small(sum(hidden))
    if not any(disclosure.is_small(c) for c in cells):
        assert shown == cells  # nothing to protect, nothing hidden


def test_the_cells_hidden_to_protect_others_are_marked_apart():
    shown, _total = disclosure.suppress_group([56, 1], 57)
    assert shown == ["x", "<5"]  # 56 is no small count; "<5" would be false
    assert disclosure.suppress_group([3], 3) == (["<5"], "x")  # nothing else to hide: the total goes


def test_a_change_of_one_person_is_hidden_with_the_previous_value():
    figure = disclosure.figure({"key": "exchanges.exchanged", "value": 57, "previous": 56, "change": 1,
                                "people": True})
    assert (figure["value"], figure["previous"], figure["change"]) == (57, "x", "<5")
    same = disclosure.figure({"key": "k", "value": 57, "previous": 57, "change": 0, "people": True})
    assert (same["previous"], same["change"]) == (57, 0)
    not_people = disclosure.figure({"key": "k", "value": 3, "previous": 2, "change": 1, "people": False})
    assert (not_people["value"], not_people["change"]) == (3, 1)


def _summaries(monkeypatch, now: dict, before: dict):
    def fake(as_of):
        return Summary(as_of, exchanged=dict(now if as_of == DAY else before))

    monkeypatch.setattr(exchanges_sitrep, "summary", fake)
    section = exchanges_sitrep.exchanges_section(ReportingPeriod.ending_on(DAY))
    return content._section_dict(section)


@pytest.mark.django_db
def test_the_report_does_not_say_one_person_was_handed_over(monkeypatch):
    section = _summaries(monkeypatch, {(ARMENIA, AZERBAIJAN): 56, (AZERBAIJAN, ARMENIA): 1},
                         {(ARMENIA, AZERBAIJAN): 12})
    assert "1 person was handed over from the Party B to the Party A" in section["summary"]  # staff read it
    doc = {"day": DAY.isoformat(), "sections": [section], "series": []}
    public = content.public_view(doc)["sections"][0]
    text = public["summary"]
    assert "1 person" not in text and " 44 " not in text and "56" not in text
    assert "fewer than 5 persons were handed over from the Party B to the Party A" in text
    assert "an undisclosed number of persons were handed over from the Party A to the Party B" in text
    # The table by direction against the published total of 57: neither direction can be worked out.
    table = public["tables"][0]
    assert sorted(str(row[2]) for row in table["rows"]) == ["<5", "x"]
    figure = next(f for f in public["figures"] if f["key"] == "exchanges.exchanged")
    assert figure["value"] == 57 and figure["change"] == 45


@pytest.mark.django_db
def test_the_change_column_does_not_read_plus_one(monkeypatch):
    section = _summaries(monkeypatch, {(ARMENIA, AZERBAIJAN): 56, (AZERBAIJAN, ARMENIA): 1},
                         {(ARMENIA, AZERBAIJAN): 56})
    doc = {"day": DAY.isoformat(), "sections": [section], "series": []}
    public = content.public_view(doc)["sections"][0]
    figure = next(f for f in public["figures"] if f["key"] == "exchanges.exchanged")
    assert (figure["value"], figure["previous"], figure["change"]) == (57, "x", "<5")
    assert "1 person" not in public["summary"] and "fewer than 5 persons were handed over" in public["summary"]
    from peaceops.reports import overview

    assert "Fewer than 5 persons were exchanged in the last 24 hours" in " ".join(
        overview.sentences(content.public_view(doc)))


def test_a_summary_without_counts_of_people_is_shown_as_written():
    section = {"key": "ceasefire", "summary": "3 observation posts were manned.", "sentences": [],
               "figures": [{"key": "ceasefire.posts_manned", "value": 3}], "tables": []}
    assert disclosure.summary(section) == "3 observation posts were manned."


def test_an_unstructured_summary_naming_a_small_count_is_withheld():
    legacy = {"key": "exchanges", "summary": "2 persons were handed over from the Party B to the Party A.",
              "figures": [{"key": "exchanges.exchanged", "value": 58, "people": True}], "tables": []}
    assert "2 persons" not in disclosure.summary(legacy) and "not shown publicly" in disclosure.summary(legacy)
    legacy["summary"] = "58 persons have been exchanged to date."
    assert disclosure.summary(legacy) == legacy["summary"]


def test_a_running_total_curve_shows_no_small_step():
    curve = {"key": "exchanges.exchanged_total", "people": True,
             "points": [["d1", 0], ["d2", 56], ["d3", 57], ["d4", 57], ["d5", 62], ["d6", 63], ["d7", 70]]}
    shown = [value for _day, value in disclosure.series(curve)["points"]]
    assert shown == [0, 56, 62, 70]
    assert all(not disclosure.is_small(b - a) for a, b in zip(shown, shown[1:], strict=False))


def test_a_correction_by_one_person_does_not_show_both_sides():
    line = disclosure.change({"label": "Persons exchanged", "old": 56, "new": 57, "people": True})
    assert (line["old"], line["new"]) == ("x", 57)


def test_public_hxl_codes_have_no_spaces_and_name_the_section_once():
    doc = {"day": DAY.isoformat(), "series": [], "sections": [{
        "key": "exchanges", "title": "Exchanges", "summary": "", "public": True,
        "figures": [{"key": "exchanges.exchanged", "label": "Persons exchanged to date", "value": 57,
                     "previous": 56, "change": 1, "people": True, "url": ""}],
        "tables": [{"key": "exchanges.by_direction", "title": "By direction", "columns": ["From", "To", "Persons"],
                    "rows": [[ARMENIA, AZERBAIJAN, 56], [AZERBAIJAN, ARMENIA, 1]], "people_columns": [2]}]}]}
    sitrep = Sitrep(day=DAY, version=1, content=doc)
    text = exports.hxl_csv([sitrep])
    assert exports.validate(text) == []
    rows = list(csv.reader(io.StringIO(text)))[2:]
    codes = [row[3] for row in rows]
    assert codes[0] == "exchanges.exchanged"
    for code in codes:
        assert not re.search(r"\s", code), code
        assert code.split(".").count("exchanges") == 1, code
    assert "exchanges.by_direction.party_a.persons" in codes
    values = {row[3]: (row[5], row[6], row[7]) for row in rows}
    assert values["exchanges.exchanged"] == ("57", "", "<5")  # the +1 is not in the file
    assert {values["exchanges.by_direction.party_a.persons"][2],
            values["exchanges.by_direction.party_b.persons"][2]} == {"x", "<5"}
    assert not any(cell == "1" for row in rows for cell in row[5:7])
