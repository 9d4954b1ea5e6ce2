"""ACLED and HXL exports neutralise cells that would run as formulas; re-importing our export restores them."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction

from peaceops.ceasefire import formats, imports
from peaceops.ceasefire.models import Incident

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://example.invalid","details")'


def _export(fmt: str) -> str:
    out = io.StringIO()
    formats.EXPORTERS[fmt](Incident.objects.all(), out)
    return out.getvalue()


def test_hxl_export_quotes_a_formula_and_reimport_gives_it_back(file, users):
    incident = file("hadrut", notes=FORMULA, weapons="+82 mm mortar", damage="@roof")
    text = _export("hxl")
    tags, cells = list(csv.reader(io.StringIO(text)))[1:3]
    row = dict(zip(tags, cells, strict=True))
    assert row["#description+notes"] == "'" + FORMULA
    assert (row["#description+weapons"], row["#description+damage"]) == ("'+82 mm mortar", "'@roof")
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert formats.validate_hxl(text) == []
    with transaction.atomic():
        sid = transaction.savepoint()
        incident.steps.all().delete()
        Incident.objects.all().delete()
        batch = imports.import_file(text.encode(), "incidents-hxl.csv", "hxl", users["analyst"])
        assert batch.rows_saved == 1
        back = Incident.objects.get()
        assert (back.notes, back.weapons, back.damage) == (FORMULA, "+82 mm mortar", "@roof")
        transaction.savepoint_rollback(sid)


def test_acled_export_quotes_cells_written_by_others(file, monkeypatch):
    file("hadrut")
    real = formats.acled_row

    def with_formulas(incident):
        return {**real(incident), "actor1": "=cmd|' /C calc'!A0", "location": "@SUM(1,2)", "notes": "-1+1"}

    monkeypatch.setattr(formats.exporting, "acled_row", with_formulas)  # where export_acled looks it up
    row = next(csv.DictReader(io.StringIO(_export("acled"))))
    assert (row["actor1"], row["location"], row["notes"]) == ("'=cmd|' /C calc'!A0", "'@SUM(1,2)", "'-1+1")
    assert row["latitude"] == "" or not row["latitude"].startswith("'")  # numbers stay numbers
