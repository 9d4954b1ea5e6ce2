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


def test_every_bad_row_reported_with_line_and_reason_rest_kept(tmp_path) -> None:
    path = _write(tmp_path / "b.csv", ["id", "name", "birth_date"], [
        ["1", "Արամ Հովհաննիսյան", "1985-03-12"],
        ["2", "Bad Date", "31.02.1985"],
        ["3", "Ok Year", "1985"],
        ["", "No Id", "1990"],
        ["4", "Slash", "12/03/1985"],
        ["1", "Dup", "1990"],
    ])
    res = csvio.read_records(path)
    assert not res.fatal
    assert [r["id"] for r in res.records] == ["1", "3"]
    assert [(e.line, e.reason.split(":")[0].split(" ")[0]) for e in res.errors] == [
        (3, "birth_date"), (5, "empty"), (6, "birth_date"), (7, "duplicate")]
    assert str(res.errors[0]).startswith(f"{path}:3: birth_date '31.02.1985'")


def test_write_pairs_with_explanation_roundtrip(tmp_path) -> None:
    props = link_records(LEFT, RIGHT)
    out = tmp_path / "pairs.csv"
    n = csvio.write_pairs(out, props, explain=True)
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert n == len(rows) == len(props) > 0
    assert list(rows[0]) == ["left_id", "right_id", "probability", "explanation"]
    assert "birth_date: " in rows[0]["explanation"] and "(+" in rows[0]["explanation"]
    assert {(a, b) for a, b, _ in csvio.read_pairs(out)} == {(p.left_id, p.right_id) for p in props}
