"""CSV reading/writing behind `peaceops link`: line-numbered errors, bad rows skipped, pairs written."""

import csv

from peaceops.linkage import csvio
from peaceops.linkage.engine import link_records

from .fixtures import LEFT, RIGHT


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_missing_id_column_is_fatal_with_line_1(tmp_path) -> None:
    res = csvio.read_records(_write(tmp_path / "a.csv", ["name", "birth_date"], [["Aram", "1985"]]))
    assert res.fatal and res.errors[0].line == 1 and "no `id` column" in res.errors[0].reason


def test_a_bad_field_keeps_the_row_with_a_warning_and_only_rows_without_name_or_id_are_refused(tmp_path) -> None:
    path = _write(tmp_path / "b.csv", ["id", "name", "birth_date"], [
        ["1", "Արամ Հովհաննիսյան", "1985-03-12"],
        ["2", "Bad Date", "31.02.1985"],
        ["3", "Ok Year", "1985"],
        ["", "No Id", "1990"],
        ["4", "Slash", "12/03/1985"],
        ["1", "Dup", "1990"],
        ["5", "", "1990"],
        ["6", "Dirty Day", "1945-04-93"],
        ["7", "Month Zero", "1945-00-12"],
    ])
    res = csvio.read_records(path)
    assert not res.fatal
    assert [r["id"] for r in res.records] == ["1", "2", "3", "4", "6", "7"]
    assert [(e.line, e.reason.split(" ")[0]) for e in res.errors] == [(5, "empty"), (7, "duplicate"), (8, "no")]
    assert [w.line for w in res.warnings] == [3, 6, 9, 10] and {w.column for w in res.warnings} == {"birth_date"}
    assert str(res.warnings[0]).startswith(f"{path}:3: column birth_date: birth_date '31.02.1985'")
    kept = {r["id"]: r.get("birth_date") for r in res.records}
    # What is valid is kept: the month of an impossible day, the year of month 0; a slash date reads whole.
    assert (kept["2"], kept["6"], kept["7"], kept["4"]) == ("1985-02", "1945-04", "1945", "1985-03-12")


def test_write_pairs_with_explanation_roundtrip(tmp_path) -> None:
    props = link_records(LEFT, RIGHT)
    out = tmp_path / "pairs.csv"
    n = csvio.write_pairs(out, props, explain=True)
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert n == len(rows) == len(props) > 0
    assert list(rows[0]) == ["left_id", "right_id", "probability", "explanation"]
    assert "birth_date: " in rows[0]["explanation"] and "(+" in rows[0]["explanation"]
    assert {(a, b) for a, b, _ in csvio.read_pairs(out)} == {(p.left_id, p.right_id) for p in props}
