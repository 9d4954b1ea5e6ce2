"""A works (3W) row with several problems is refused with every one of them and its line (issue 17), through the
works import page and the CLI; the good rows are kept."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from peaceops.intake.models import ImportBatch
from peaceops.restoration.models import Work

TEXT = ("id,organisation,activity,facility,status,start,end,% complete,resources\n"
        "W-1,POWER,Replace cables,Substation North,ongoing,2020-11-21,,40,2 crews\n"
        "W-2,NOBODY,,Nowhere station,halfway,21/11/2020,2020-11-31,lots,\n")
# The empty required column first, then what the row's rules found in the others. "lots" in % complete used to
# crash the whole import (a stray "% c" format in its message).
EXPECTED = ["activity", "organisation", "facility", "status", "start", "end", "percent_complete"]


def _fields(errors):
    return [error.partition(":")[0] for error in errors]


def test_web_import_reports_every_problem_of_the_row(grid, client_for):
    client = client_for("engineer")
    response = client.post("/restoration/works/import/", {"file": SimpleUploadedFile("works.csv", TEXT.encode())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/batches/{batch.pk}/"
    row = batch.quarantined_rows.get()
    assert row.line == 3 and _fields(row.errors) == EXPECTED, row.errors
    assert Work.objects.get().external_id == "W-1"
    page = client.get(response["Location"]).content.decode()
    assert "NOBODY" in page and "Nowhere station" in page and "lots" in page


def test_cli_import_reports_every_problem_of_the_row(grid, tmp_path):
    path = tmp_path / "works.csv"
    path.write_text(TEXT, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("restoration", "import", str(path), stdout=out, stderr=err)
    assert failure.value.returncode == 3
    line = err.getvalue().strip()
    assert line.startswith("works.csv:3: activity: ")
    positions = [line.find(f"{field}: ") for field in EXPECTED]
    assert -1 not in positions and positions == sorted(positions) and "\n" not in line, line
