"""HXL export (validated with libhxl), work imports from CSV/XLSX/HXL, the CLI and the API."""

from __future__ import annotations

import csv
import io

import hxl
import pytest
from django.core.management import CommandError, call_command

from peaceops.intake import tabular
from peaceops.intake.models import QuarantinedRow
from peaceops.restoration.imports import WORKS_SPEC
from peaceops.restoration.models import Work, WorkStatus
from peaceops.restoration.services import hxl as hxl_export
from peaceops.restoration.services import works
from peaceops.restoration.services.assessments import record_assessment
from tests.restoration.conftest import D

REQUIRED = ["#org", "#sector", "#adm1", "#loc", "#activity", "#status", "#date+start", "#date+end", "#reached"]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _validate(rows):
    errors = []
    schema = hxl.schema([["#valid_tag", "#valid_required", "#valid_datatype"],
                         ["#org", "true", ""], ["#sector", "true", ""], ["#adm1", "true", ""], ["#loc", "true", ""],
                         ["#activity", "true", ""], ["#status", "true", ""], ["#date+start", "", "date"],
                         ["#date+end", "", "date"], ["#reached", "", "number"]], callback=errors.append)
    return schema.validate(hxl.data(rows)), errors


@pytest.fixture
def some_works(grid, org):
    done = works.save_work(Work(organisation=org, activity="Replace transformer", facility=grid["substation"],
                                planned_start=D, planned_end=D))
    works.complete_work(works.start_work(done, D), D)
    works.save_work(Work(organisation=org, activity="Repair pumps", facility=grid["pump"], planned_start=D))
    return grid


def test_3w_export_is_valid_hxl_with_the_required_hashtags(some_works):
    rows = _rows(hxl_export.works_csv())
    ok, errors = _validate(rows)
    assert ok, [e.message for e in errors]
    data = hxl.data(rows)
    assert set(REQUIRED) <= set(data.tags) | {"#date+start", "#date+end"}
    records = list(data)
    assert {r.get("#activity") for r in records} == {"Replace transformer", "Repair pumps"}
    done = next(r for r in records if r.get("#activity") == "Replace transformer")
    assert (done.get("#org"), done.get("#sector"), done.get("#status"), done.get("#adm1")) == (
        "POWER", "electricity", "completed", "Stepanakert / Khankendi city")
    assert done.get("#date+start") == done.get("#date+end") == D.isoformat()
    assert done.get("#reached") == "55200"


def test_status_export_is_valid_hxl(grid):
    record_assessment(grid["substation"], D, "Eng", 4, 0)
    rows = _rows(hxl_export.status_csv(D))
    errors = []
    schema = hxl.schema([["#valid_tag", "#valid_required", "#valid_datatype"], ["#loc", "true", ""],
                         ["#sector", "true", ""], ["#status", "true", ""], ["#reached", "", "number"]],
                        callback=errors.append)
    assert schema.validate(hxl.data(rows)), [e.message for e in errors]
    electricity = [r for r in hxl.data(rows) if r.get("#sector") == "electricity"]
    assert [(r.get("#loc"), r.get("#status"), r.get("#reached")) for r in electricity] == [
        ("Stepanakert / Khankendi", "not functioning", "0")]


def test_export_reimports_as_updates_not_duplicates(some_works, tmp_path):
    path = tmp_path / "3w.hxl"
    call_command("restoration", "export-hxl", "works", "--output", str(path))
    result = _import(path)
    assert (result.rows_saved, result.rows_skipped, result.rows_quarantined) == (0, 2, 0)  # nothing changed
    assert Work.objects.count() == 2


def _import(path):
    return tabular.run_import(WORKS_SPEC, path.read_bytes(), path.name, None)


def _errors(batch) -> dict[int, str]:
    return {row.line: "; ".join(row.errors) for row in batch.quarantined_rows.all()}


CSV_TEXT = """id,organisation,activity,facility,status,start,end,% complete,resources
W-1,POWER,Replace cables,Substation North,ongoing,2020-11-21,,40,2 crews
W-2,Local water utility,Repair pumps,Pumping station East,completed,2020-11-21,2020-11-25,,1 crew
W-3,WATER,Survey network,Water network,planned,2020-12-01,2020-12-05,0,
"""


def test_csv_import_creates_and_is_idempotent(grid, tmp_path):
    path = tmp_path / "works.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    first = _import(path)
    assert (first.rows_saved, first.rows_quarantined) == (3, 0), _errors(first)
    pumps = Work.objects.get(external_id="W-2")
    assert (pumps.status, pumps.percent_complete, str(pumps.actual_end)) == (WorkStatus.COMPLETED, 100, "2020-11-25")
    planned = Work.objects.get(external_id="W-3")
    assert (str(planned.planned_start), planned.actual_start) == ("2020-12-01", None)
    again = _import(path)
    assert (again.rows_saved, again.rows_skipped) == (0, 3)
    assert Work.objects.count() == 3
    path.write_text(CSV_TEXT.replace(",40,2 crews", ",60,2 crews"), encoding="utf-8")
    changed = _import(path)
    assert (changed.rows_saved, changed.rows_skipped, Work.objects.count()) == (1, 2, 3)
    assert Work.objects.get(external_id="W-1").percent_complete == 60


def test_xlsx_import(grid, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(CSV_TEXT)):
        sheet.append(row)
    path = tmp_path / "works.xlsx"
    book.save(path)
    assert _import(path).rows_saved == 3


def test_hxl_import_with_tags_in_any_attribute_order(grid, tmp_path):
    text = ("Org,What,Where,Status,From,To\n#org,#activity,#loc +facility,#status,#date+start,#date +end\n"
            "GAS,Replace regulators,Gas distribution station,ongoing,2020-11-22,\n")
    path = tmp_path / "works.hxl"
    path.write_text(text, encoding="utf-8")
    result = _import(path)
    assert result.rows_saved == 1 and Work.objects.get().actual_start.isoformat() == "2020-11-22"


def test_bad_rows_are_quarantined_with_line_numbers_and_good_rows_kept(grid, tmp_path):
    bad = CSV_TEXT + ("W-4,POWER,Repair,Substation North,completed,2020-11-25,2020-11-20,100,\n"
                      "W-5,POWER,Repair,Substation North,ongoing,2020-11-25,,140,\n"
                      "W-6,NOBODY,Repair,Nowhere station,ongoing,2020-11-25,,10,\n")
    path = tmp_path / "works.csv"
    path.write_text(bad, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 rows quarantined") as failure:
        call_command("restoration", "import", str(path), stdout=out, stderr=err)
    assert failure.value.returncode == 3
    assert "3 imported, 3 quarantined of 6 rows" in out.getvalue()
    assert Work.objects.count() == 3
    printed = err.getvalue().splitlines()
    assert [line.split(": ", 1)[0] for line in printed] == ["works.csv:5", "works.csv:6", "works.csv:7"]
    assert "cannot finish before it starts" in printed[0]
    assert "between 0 and 100" in printed[1]
    assert "Unknown organisation “NOBODY”" in printed[2]
    row = QuarantinedRow.objects.get(line=6)
    assert tabular.resubmit(row, {**row.values, "percent_complete": "40"}, None) == []
    assert Work.objects.get(external_id="W-5").percent_complete == 40


def test_cli_status_prints_settlements_and_region_change(grid, capsys):
    import datetime as dt

    record_assessment(grid["gas"], D - dt.timedelta(days=1), "Eng", 4, 0)
    call_command("restoration", "status", "--as-of", D.isoformat())
    out = capsys.readouterr().out
    assert "Stepanakert / Khankendi\t55200" in out
    assert "gas\t0\t0\t59300\t+0" in out
    call_command("restoration", "status", "--as-of", (D - dt.timedelta(days=1)).isoformat())
    assert "gas\t0\t0\t59300\t-59300" in capsys.readouterr().out


def test_api_permissions_and_writes_through_services(api_for, grid, org):
    assert api_for("coordinator").get("/api/restoration/facilities/").status_code == 200
    assert api_for("public").get("/api/restoration/facilities/").status_code == 404
    assert api_for("admin").get("/api/restoration/service-status/").status_code == 404
    body = {"name": "Shushi mast", "kind": "telecom", "place": grid["town"].pk, "settlements": ["Шуша"]}
    assert api_for("coordinator").post("/api/restoration/facilities/", body, format="json").status_code == 403
    created = api_for("engineer").post("/api/restoration/facilities/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["settlements_served"][0]["name"] == "Shushi / Shusha"
    unknown = api_for("engineer").post("/api/restoration/facilities/", {**body, "settlements": ["Atlantis"]},
                                       format="json")
    assert unknown.status_code == 400 and "Atlantis" in str(unknown.json())
    cycle = api_for("engineer").patch(f"/api/restoration/facilities/{grid['substation'].pk}/",
                                      {"depends_on": [grid["network"].pk]}, format="json", HTTP_IF_MATCH="*")
    assert cycle.status_code == 400 and "circle" in str(cycle.json())
    work = api_for("engineer").post("/api/restoration/works/", {
        "organisation": org.pk, "activity": "Fix", "facility": grid["substation"].pk}, format="json").json()
    bad = api_for("engineer").post(f"/api/restoration/works/{work['id']}/step/", {"action": "progress",
                                                                                  "percent": 130}, format="json")
    assert bad.status_code == 400
    undated = api_for("engineer").post(f"/api/restoration/works/{work['id']}/step/", {"action": "complete"},
                                       format="json")
    assert undated.status_code == 400 and undated.json()["date"] == ["Give the date."]
    record_assessment(grid["substation"], D, "Eng", 4, 0)
    step = api_for("engineer").post(f"/api/restoration/works/{work['id']}/step/",
                                    {"action": "complete", "date": D.isoformat()}, format="json")
    assert step.json()["status"] == "completed"
    status = api_for("analyst").get(f"/api/restoration/service-status/?as_of={D.isoformat()}").json()
    town = next(s for s in status["settlements"] if s["name"] == "Stepanakert / Khankendi")
    assert town["services"]["electricity"]["level"] == "full"
    assert status["region"]["electricity"]["served"] == 55200


def test_api_assessments_monitor_sees_own(api_for, grid, users):
    record_assessment(grid["clinic"], D, "Engineer", 1, 80, user=users["engineer"])
    made = api_for("monitor").post("/api/restoration/assessments/", {
        "facility": grid["substation"].pk, "date": D.isoformat(), "assessor": "M", "severity": 2,
        "functionality": 50}, format="json")
    assert made.status_code == 201
    assert [a["assessor"] for a in api_for("monitor").get("/api/restoration/assessments/").json()["results"]] == ["M"]
    assert api_for("returns_officer").get("/api/restoration/assessments/").status_code == 404
    bad = api_for("engineer").post("/api/restoration/assessments/", {
        "facility": grid["substation"].pk, "date": D.isoformat(), "assessor": "E", "severity": 2,
        "functionality": 101}, format="json")
    assert bad.status_code == 400


def test_a_file_that_is_not_a_workbook_is_a_clear_error(db, tmp_path):
    path = tmp_path / "works.xlsx"
    path.write_bytes(b"not a zip")
    assert "not a readable XLSX workbook" in _import(path).file_error
    path = tmp_path / "works.pdf"
    path.write_bytes(b"%PDF")
    assert "CSV (UTF-8), XLSX or HXL" in _import(path).file_error



def test_generic_intake_quarantines_bad_work_rows(grid, users):
    from peaceops.intake.registry import importers
    from peaceops.intake.tabular import run_import

    bad = CSV_TEXT + "W-4,POWER,Repair,Substation North,completed,2020-11-25,2020-11-20,100,\n"
    batch = run_import(importers()["restoration.works"], bad.encode(), "works.csv", users["engineer"])
    assert (batch.rows_saved, batch.rows_quarantined) == (3, 1)
    row = batch.quarantined_rows.get()
    assert row.line == 5 and "cannot finish before it starts" in " ".join(row.errors)
    assert Work.objects.count() == 3
