"""`link lists` and `link dedupe` run through Django's call_command on small CSVs (tens of rows)."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peaceops.linkage.synthetic import generate_party_lists

from .fixtures import DEDUPE, DEDUPE_PAIRS, LEFT, RIGHT, TRUE_PAIRS

FIELDS = ["id", "name", "father_name", "birth_date", "birth_place", "sex"]


def _write(path: Path, rows: list[dict], fields: list[str] = FIELDS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("link", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def thirty(tmp_path_factory) -> tuple[Path, Path]:
    """The fixed cross-script lists padded with synthetic strangers to 30 rows a side."""
    tmp = tmp_path_factory.mktemp("lists")
    pad_l, pad_r, _ = generate_party_lists(24, seed=7, overlap=0.0, hard_negatives=0.0)
    left = LEFT + pad_l[: 30 - len(LEFT)]
    right = RIGHT + pad_r[: 30 - len(RIGHT)]
    assert len(left) == len(right) == 30
    return _write(tmp / "left.csv", left), _write(tmp / "right.csv", right)


def test_link_lists_writes_the_true_pairs_with_the_documented_columns(thirty, tmp_path) -> None:
    out = tmp_path / "pairs.csv"
    stdout, _ = _run("lists", str(thirty[0]), str(thirty[1]), "--out", str(out))
    header, rows = _read(out)
    assert header == ["left_id", "right_id", "probability"]
    assert {(r["left_id"], r["right_id"]) for r in rows} >= TRUE_PAIRS
    assert ("A5", "B4") not in {(r["left_id"], r["right_id"]) for r in rows}  # the brother
    assert all(0.9 <= float(r["probability"]) <= 1 for r in rows)  # default threshold
    assert f"{len(rows)} proposed pairs" in stdout


def test_link_lists_explain_adds_per_field_weights(thirty, tmp_path) -> None:
    out = tmp_path / "pairs.csv"
    _run("lists", str(thirty[0]), str(thirty[1]), "--out", str(out), "--explain")
    header, rows = _read(out)
    assert header == ["left_id", "right_id", "probability", "explanation"]
    a1 = next(r for r in rows if r["left_id"] == "A1")
    assert "surname: same name symbol (cross-script)" in a1["explanation"]
    assert "birth_date: exact date (+" in a1["explanation"]


def test_link_dedupe_pairs_come_from_the_one_file(tmp_path) -> None:
    pad, _, _ = generate_party_lists(20, seed=11, overlap=0.0, hard_negatives=0.0)
    rows = DEDUPE + [dict(r, id=f"x{i}") for i, r in enumerate(pad)]
    src = _write(tmp_path / "reg.csv", rows)
    out = tmp_path / "dups.csv"
    _run("dedupe", str(src), "--out", str(out), "--threshold", "0.8")
    header, got = _read(out)
    assert header == ["left_id", "right_id", "probability"]
    pairs = {tuple(sorted((r["left_id"], r["right_id"]))) for r in got}
    assert pairs >= DEDUPE_PAIRS
    ids = {r["id"] for r in rows}
    assert all(a in ids and b in ids and a != b for a, b in pairs)


def test_bad_rows_are_reported_by_line_and_a_bad_date_keeps_the_row(tmp_path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("id,name,birth_date\n"
                   "1,Алиев Рашад,1990-05-04\n"
                   "2,Əliyev Rəşad,31.02.1990\n"  # line 3: no 31 February
                   "1,Aliyev Rashad,1990\n"  # line 4: id 1 again
                   ",Нет Номера,1990\n"  # line 5: no id
                   "3,Əliyev Rəşad,1990-05-04\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    _, err = _run("dedupe", str(src), "--out", str(out))
    # The impossible day costs the day only: the row is kept and matched on 1990-02.
    assert f"warning: {src}:3: column birth_date: birth_date '31.02.1990'" in err and "kept 1990-02" in err
    assert f"{src}:4: duplicate id '1' (first on line 2)" in err
    assert f"{src}:5: empty id" in err
    assert "3 rows kept (1 with a field read in part or left unknown), 2 refused" in err
    _, rows = _read(out)
    assert {tuple(sorted((r["left_id"], r["right_id"]))) for r in rows} >= {("1", "3")}


def test_file_without_id_column_is_refused(tmp_path) -> None:
    src = tmp_path / "noid.csv"
    src.write_text("name,birth_date\nАлиев Рашад,1990\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot be linked"):
        _run("dedupe", str(src), "--out", str(tmp_path / "o.csv"))
    assert not (tmp_path / "o.csv").exists()
