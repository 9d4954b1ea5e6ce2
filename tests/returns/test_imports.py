import io

import pytest
from openpyxl import Workbook

from peaceops.core.models import Person
from peaceops.returns import services
from peaceops.returns.imports import (
    MANIFEST_SPEC,
    REGISTRATION_SPEC,
    ImportFailed,
    import_manifest,
    import_registrations,
    parse_rows,
)
from peaceops.returns.models import Household

CSV = """household,name,sex,birth_date,relationship,destination,vulnerabilities,registered_on
H-1,Անահիտ Սարգսյան,F,1950-03,head,Ստեփանակերտ,elderly,2020-11-12
H-1,Арам Саргсян,M,1985,son,Stepanakert,,2020-11-12
H-2,Mariam Grigoryan,F,1990-05-02,head,Шуши,,2020-11-13
"""


def test_registrations_from_csv_group_by_household(db):
    households = import_registrations(parse_rows(CSV.encode(), "reg.csv", REGISTRATION_SPEC))
    assert [h.size for h in households] == [2, 1]
    first = households[0]
    assert first.is_vulnerable and first.destination.name == "Stepanakert / Khankendi"
    assert {str(m.person) for m in first.members.all()} == {"Անահիտ Սարգսյան", "Арам Саргсян"}
    assert str(first.head) == "Անահիտ Սարգսյան"  # names kept exactly as written, head first


def test_registrations_from_hxl_tags_only(db):
    text = ("Ref,Who,Where\n#group+code,#affected+name,#loc+destination\n"
            "H-9,Լուսինե Հակոբյան,Martuni\n")
    households = import_registrations(parse_rows(text.encode(), "reg.csv", REGISTRATION_SPEC))
    assert households[0].destination.name == "Martuni / Khojavend"


def test_registrations_from_xlsx(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["household", "name", "destination"])
    sheet.append(["X-1", "Gohar Avetisyan", "Askeran"])
    data = io.BytesIO()
    book.save(data)
    households = import_registrations(parse_rows(data.getvalue(), "reg.xlsx", REGISTRATION_SPEC))
    assert households[0].reference == "X-1"


def test_bad_rows_reported_by_line_and_nothing_written(db):
    bad = CSV + "H-3,Someone,X,1990,,Stepanakert,,\nH-4,,F,,,Stepanakert,,\nH-5,Ani,F,,,Atlantis,flying,\n"
    persons = Person.objects.count()
    with pytest.raises(ImportFailed) as failure:
        import_registrations(parse_rows(bad.encode(), "reg.csv", REGISTRATION_SPEC))
    lines = [line for line, _message in failure.value.errors]
    assert lines == [5, 6, 7, 7] or lines == [5, 6, 7]
    assert "sex" in failure.value.errors[0][1] and "name" in failure.value.errors[1][1]
    assert Household.objects.count() == 0 and Person.objects.count() == persons


def test_missing_required_column_is_a_file_error(db):
    with pytest.raises(ImportFailed, match="household"):
        parse_rows(b"name,destination\nA,Stepanakert\n", "reg.csv", REGISTRATION_SPEC)


def test_manifest_all_or_nothing(corridor, household):
    a, b = household(3), household(3)
    convoy = services.create_convoy(corridor, a.registered_on, [4])
    text = f"household\n{a.reference}\n{b.reference}\nNOPE\n"
    with pytest.raises(ImportFailed) as failure:
        import_manifest(parse_rows(text.encode(), "m.csv", MANIFEST_SPEC), convoy.pk)
    assert [line for line, _m in failure.value.errors] == [3, 4]
    assert "seats" in failure.value.errors[0][1]
    assert convoy.manifest.count() == 0
    a.refresh_from_db()
    assert a.state == "waiting"
    assert import_manifest(parse_rows(f"household\n{a.reference}\n".encode(), "m.csv", MANIFEST_SPEC),
                           convoy.pk) == 1
    assert convoy.manifest.count() == 3


def test_generic_intake_row_joins_household(db):
    from peaceops.intake.tabular import run_import

    batch = run_import(REGISTRATION_SPEC, CSV.encode() + b"H-7,Bad,Q,,,Stepanakert,,\n", "reg.csv", None)
    assert batch.rows_saved == 3 and batch.rows_quarantined == 1
    assert Household.objects.get(reference="H-1").size == 2
