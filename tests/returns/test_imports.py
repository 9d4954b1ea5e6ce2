"""Registrations and manifests go through the intake machinery: good rows kept, bad rows quarantined by line."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from peaceops.core.models import Person
from peaceops.intake import tabular
from peaceops.returns import services
from peaceops.returns.imports import MANIFEST_SPEC, REGISTRATION_SPEC
from peaceops.returns.models import Household

CSV = """household,name,sex,birth_date,relationship,destination,vulnerabilities,registered_on
H-1,Անահիտ Սարգսյան,F,1950-03,head,Ստեփանակերտ,elderly,2020-11-12
H-1,Арам Саргсян,M,1985,son,Stepanakert,disabled,2020-11-12
H-2,Mariam Grigoryan,F,1990-05-02,head,Martakert,,2020-11-13
"""


def _register(data: bytes, filename: str = "reg.csv"):
    return tabular.run_import(REGISTRATION_SPEC, data, filename, None)


def _errors(batch) -> dict[int, str]:
    return {row.line: "; ".join(row.errors) for row in batch.quarantined_rows.all()}


def test_registrations_from_csv_group_by_household(db):
    batch = _register(CSV.encode())
    assert (batch.rows_saved, batch.rows_quarantined) == (3, 0), _errors(batch)
    first = Household.objects.get(reference="H-1")
    assert first.size == 2 and Household.objects.get(reference="H-2").size == 1
    assert first.is_vulnerable and first.destination.name == "Stepanakert / Khankendi"
    assert first.vulnerabilities == ["disabled", "elderly"]  # every member's needs count for the household
    assert {str(m.person) for m in first.members.all()} == {"Անահիտ Սարգսյան", "Арам Саргсян"}
    assert str(first.head) == "Անահիտ Սարգսյան"  # names kept exactly as written, head first


def test_importing_the_same_file_twice_registers_nobody_twice(db):
    _register(CSV.encode())
    persons = Person.objects.count()
    again = _register(CSV.encode())
    assert (again.rows_saved, again.rows_skipped, again.rows_quarantined) == (0, 3, 0)
    assert Person.objects.count() == persons and Household.objects.get(reference="H-1").size == 2


def test_registrations_from_hxl_tags_only(db):
    text = ("Ref,Who,Where\n#group+code,#affected+name,#loc+destination\n"
            "H-9,Լուսինե Հակոբյան,Martuni\n")
    assert _register(text.encode()).rows_saved == 1
    assert Household.objects.get(reference="H-9").destination.name == "Martuni / Khojavend"


def test_registrations_from_xlsx(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["household", "name", "destination"])
    sheet.append(["X-1", "Gohar Avetisyan", "Askeran"])
    data = io.BytesIO()
    book.save(data)
    assert _register(data.getvalue(), "reg.xlsx").rows_saved == 1
    assert Household.objects.filter(reference="X-1").exists()


def test_bad_rows_are_quarantined_by_line_and_good_rows_kept(db):
    bad = CSV + "H-3,Someone,X,1990,,Stepanakert,,\nH-4,,F,,,Stepanakert,,\nH-5,Ani,F,,,Atlantis,flying,\n"
    persons = Person.objects.count()
    batch = _register(bad.encode())
    errors = _errors(batch)
    assert set(errors) == {5, 6, 7}
    assert "sex" in errors[5] and "name" in errors[6] and "Atlantis" in errors[7]
    assert Household.objects.count() == 2 and Person.objects.count() == persons + 3
    # Corrected, the row goes in; the same row unchanged stays in the quarantine with its reason.
    row = batch.quarantined_rows.get(line=5)
    assert tabular.resubmit(row, {**row.values, "sex": "F"}, None) == []
    assert Household.objects.get(reference="H-3").size == 1
    row = batch.quarantined_rows.get(line=7)
    assert tabular.resubmit(row, row.values, None) and batch.open_rows.count() == 2


def test_missing_required_column_is_a_file_error(db):
    batch = _register(b"name,destination\nA,Stepanakert\n")
    assert "household" in batch.file_error and batch.rows_read == 0


def test_a_member_going_elsewhere_is_refused(db):
    text = CSV + "H-2,Vardan Grigoryan,M,1988,husband,Askeran,,2020-11-13\n"
    batch = _register(text.encode())
    assert "goes to" in _errors(batch)[5] and Household.objects.get(reference="H-2").size == 1


def test_manifest_keeps_good_rows_and_names_the_convoy_parameter(corridor, household):
    a, b = household(3), household(3)
    convoy = services.create_convoy(corridor, a.registered_on, [4])
    text = f"household\n{a.reference}\n{b.reference}\nNOPE\n"
    missing = tabular.run_import(MANIFEST_SPEC, text.encode(), "m.csv", None)
    assert "convoy" in missing.file_error and convoy.manifest.count() == 0
    batch = tabular.run_import(MANIFEST_SPEC, text.encode(), "m.csv", None, {"convoy": convoy.pk})
    errors = _errors(batch)
    assert set(errors) == {3, 4} and "seats" in errors[3] and "NOPE" in errors[4]
    assert convoy.manifest.count() == 3
    a.refresh_from_db()
    assert a.state != "waiting"
    # The convoy travels with the batch: a resubmitted row goes to the same convoy.
    second = services.create_convoy(corridor, a.registered_on, [4])
    assert second.pk != convoy.pk
    row = batch.quarantined_rows.get(line=3)
    errors = tabular.resubmit(row, row.values, None)
    assert "seats" in " ".join(errors) and second.manifest.count() == 0


def test_cli_reports_file_line_reason_and_exits_3(db, tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text(CSV + "H-3,Someone,X,1990,,Stepanakert,,\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("returns", "import", "registrations", str(path), stdout=out, stderr=err)
    assert failure.value.returncode == 3 and "/intake/batches/" in str(failure.value)
    assert err.getvalue().strip().startswith("reg.csv:5: ") and "sex" in err.getvalue()
    assert "3 imported, 1 quarantined of 4 rows" in out.getvalue()
    assert Household.objects.count() == 2
