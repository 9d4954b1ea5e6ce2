"""A bad row of a returns import is refused with every one of its problems and its line, not the first only;
the row is rejected as a whole and the good rows are kept (issue 17, "the import report shows only the first
error of a row"). Tried through the user's paths: the web upload, the CLI, the quarantine's resubmit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from peaceops.intake import tabular
from peaceops.intake.models import ImportBatch
from peaceops.returns.imports import FLOW_SPEC, MANIFEST_SPEC, save_registration_row
from peaceops.returns.models import FlowCount, Household

REGISTRATIONS = (
    "household,name,sex,birth_date,destination,origin,vulnerabilities,registered_on\n"
    "H-1,Անահիտ Սարգսյան,F,1950-03,Stepanakert,,elderly,2020-11-12\n"
    "H-2,Test Person,Q,1980,Atlantis,Nowhere-on-earth,flying,12/11/2020\n"
    "H-3,Mariam Grigoryan,F,1990-05-02,Martakert,,,2020-11-13\n"
)
FLOWS = (
    "checkpoint,day,direction,means,purpose,people,vehicles\n"
    "Berdzor / Lachin checkpoint,2020-11-25,in,car,return,40,12\n"
    "Nowhere at all,25/11/2020,up,hovercraft,return,many,-2\n"
)


def _problems(batch) -> dict[int, list[str]]:
    return {row.line: row.errors for row in batch.quarantined_rows.all()}


def test_registration_row_lists_every_problem_in_the_web_report(world, client_for):
    client = client_for("returns_officer")
    response = client.post("/intake/new/returns.registrations/",
                           {"file": SimpleUploadedFile("reg.csv", REGISTRATIONS.encode())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and (batch.rows_saved, batch.rows_quarantined) == (2, 1)
    errors = _problems(batch)[3]
    fields = [error.partition(":")[0] for error in errors]
    assert fields == ["sex", "destination", "origin", "registered_on", "vulnerabilities"], errors
    assert "flying" in errors[4] and "12/11/2020" in errors[3]
    page = client.get(f"/intake/batches/{batch.pk}/").content.decode()
    assert 'id="row-3"' in page and all(error.split("“")[0] in page for error in errors)
    assert set(Household.objects.values_list("reference", flat=True)) == {"H-1", "H-3"}


def test_registration_row_lists_every_problem_on_the_cli(world, tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text(REGISTRATIONS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("returns", "import", "registrations", str(path), stdout=out, stderr=err)
    assert failure.value.returncode == 3
    line = err.getvalue().strip()
    assert line.startswith("reg.csv:3: sex: ") and line.count("; ") == 4, line
    for field in ("destination: ", "origin: ", "registered_on: ", "vulnerabilities: "):
        assert field in line
    assert "2 imported, 1 quarantined of 3 rows" in out.getvalue()


def test_the_single_row_path_refuses_with_every_problem(world, household):
    """The resubmit of a quarantined row (one row, not the bulk writer) says the same."""
    existing = household(1)
    values = {"household": existing.reference, "name": "Another Member", "sex": "", "destination": "Martakert",
              "carer": "Nobody Known", "birth_date": "", "registered_on": ""}
    with pytest.raises(tabular.RowError) as refused:
        save_registration_row(values, None)
    assert [m.partition(":")[0] for m in refused.value.messages] == ["destination", "carer"]


def test_flow_row_lists_every_problem(db, users, tmp_path):
    batch = tabular.run_import(FLOW_SPEC, FLOWS.encode(), "flows.csv", users["monitor"])
    assert batch.rows_saved == 1 and FlowCount.objects.count() == 1
    errors = _problems(batch)[3]
    assert [e.partition(":")[0] for e in errors] == ["checkpoint", "day", "direction", "vehicle", "people",
                                                     "vehicles"], errors
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("returns", "import", "flows", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().strip().startswith("flows.csv:3: checkpoint: ") and "vehicles: " in err.getvalue()


def test_manifest_row_lists_every_problem(corridor, household):
    from peaceops.returns import services

    a = household(2)
    convoy = services.create_convoy(corridor, a.registered_on, [4])
    text = f"household,vehicle\n{a.reference},\nNOPE,Bus 99\n"
    batch = tabular.run_import(MANIFEST_SPEC, text.encode(), "m.csv", None, {"convoy": convoy.pk})
    errors = _problems(batch)[3]
    assert [e.partition(":")[0] for e in errors] == ["household", "vehicle"], errors
    assert convoy.manifest.count() == 2
