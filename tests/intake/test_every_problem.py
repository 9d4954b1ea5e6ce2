"""The generic intake import (gazetteer places through /intake/): a row with several problems is refused with every
one of them and its line, on the batch page and the CLI; the good rows are kept (issue 17)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from peaceops.core.importing import RowError, RowProblems, describe_row
from peaceops.core.models import Place
from peaceops.intake.models import ImportBatch

TEXT = ("name,kind,parent,latitude,longitude,population\n"
        "Karmir Shuka / Qirmizi Bazar,settlement,Martuni,39.73,46.98,1500\n"
        "Nowhere,village,Atlantis,north,47.0,12a\n")
EXPECTED = ["kind", "parent", "latitude", "population"]


def _fields(errors):
    return [error.partition(":")[0] for error in errors]


def test_row_problems_collects_and_renders_every_reason():
    problems = RowProblems()
    assert problems.check("day", lambda: 5) == 5 and not problems
    assert problems.check("day", lambda: int("x"), 0) == 0
    problems.add("people", "not a number")
    with pytest.raises(RowError) as refused:
        problems.raise_if_any()
    assert refused.value.messages == ["day: invalid literal for int() with base 10: 'x'", "people: not a number"]
    assert problems.render(7) == "line 7: day: invalid literal for int() with base 10: 'x'; people: not a number"
    assert describe_row(3, ["a: b"]) == "line 3: a: b"
    with pytest.raises(KeyError):  # a fault in the validator is no reason of the row: it is not swallowed
        problems.check("x", lambda: {}["missing"])


def test_intake_upload_reports_every_problem_of_the_row(world, client_for):
    client = client_for("analyst")
    response = client.post("/intake/new/core.places/", {"file": SimpleUploadedFile("places.csv", TEXT.encode())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and (batch.rows_saved, batch.rows_quarantined) == (1, 1)
    row = batch.quarantined_rows.get()
    assert row.line == 3 and _fields(row.errors) == EXPECTED, row.errors
    page = client.get(response["Location"]).content.decode()
    assert page.count("<li>", page.index('id="row-3"')) >= 4 and "12a" in page
    assert Place.objects.filter(name="Karmir Shuka / Qirmizi Bazar").exists()
    assert not Place.objects.filter(name="Nowhere").exists()


def test_intake_cli_reports_every_problem_of_the_row(world, users, tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(TEXT, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("intake", "run", "core.places", str(path), "--user", "analyst", stdout=out, stderr=err)
    assert failure.value.returncode == 3
    line = err.getvalue().strip()
    assert [part.partition(":")[0] for part in line.split(": ", 1)[1].split("; ")] == EXPECTED, line


def test_the_imports_entry_leads_every_role_to_an_importer(users, client_for):
    """Issue 17: the monitor's "Imports" entry led to "no importer for your role"; and the monitor, who records
    checkpoint flow counts, could not reach the flow import at all."""
    from peaceops.core.roles import can
    from peaceops.intake.registry import importers

    for role, user in users.items():
        holds = [spec.key for spec in importers().values() if can(user, spec.capability)]
        assert can(user, "intake.use") == bool(holds), (role, holds)
        if holds:
            page = client_for(role).get("/intake/").content.decode()
            assert "No importer is available" not in page and f"/intake/new/{holds[0]}/" in page, role
    assert "returns.flows" in client_for("monitor").get("/intake/").content.decode()
