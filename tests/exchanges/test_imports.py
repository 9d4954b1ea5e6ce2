"""Party-list imports in all four scripts, and every kind of bad input refused whole."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from peaceops.exchanges.models import PartyList, PartyListEntry
from peaceops.exchanges.services.imports import ListImportError
from tests.exchanges.conftest import ARMENIAN_LIST, AZERBAIJANI_LIST, ENGLISH_LIST, RUSSIAN_LIST


@pytest.mark.parametrize("text,script,first_name", [
    (ARMENIAN_LIST, "Armn", "Արամ Պետրոսյան"),
    (RUSSIAN_LIST, "Cyrl", "Арам Петросян"),
    (AZERBAIJANI_LIST, "Latn", "Aram Petrosyan"),
    (ENGLISH_LIST, "Latn", "Aram Petrosyan"),
])
def test_import_keeps_names_exactly_as_written(make_list, text, script, first_name):
    party_list = make_list(text)
    entries = list(party_list.entries.order_by("line"))
    assert entries[0].full_name == first_name
    assert entries[0].script == script
    assert entries[0].line == 2
    assert entries[0].raw  # the row as received is kept
    assert len(entries) == text.strip().count("\n")


def test_azerbaijani_letters_and_headers_survive(make_list):
    entry = make_list(AZERBAIJANI_LIST).entries.get(reference="Z-2")
    assert entry.full_name == "Elvin Məmmədov" and entry.father_name == "Rəşid" and entry.sex == "M"


def test_russian_headers_and_sex_values(make_list):
    entry = make_list(RUSSIAN_LIST).entries.get(reference="R-1")
    assert entry.father_name == "Гагикович" and entry.sex == "M" and entry.birth_date == "1995-03-02"


def test_xlsx_import(make_list):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "birth_date"])
    sheet.append(["Արամ Պետրոսյան", "1995-03-02"])
    out = io.BytesIO()
    book.save(out)
    party_list = make_list("", name="list.xlsx", data=out.getvalue())
    assert party_list.entries.get().full_name == "Արամ Պետրոսյան"


def test_unknown_encoding_is_refused_clearly(make_list):
    data = RUSSIAN_LIST.encode("cp1251")
    with pytest.raises(ListImportError) as err:
        make_list("", data=data)
    assert "not UTF-8" in str(err.value)
    assert not PartyList.objects.exists()
    with pytest.raises(ListImportError, match="unknown encoding"):
        make_list("", data=data, encoding="armscii-8")


def test_named_legacy_encoding_is_read(make_list):
    party_list = make_list("", data=RUSSIAN_LIST.encode("cp1251"), encoding="cp1251")
    assert party_list.entries.get(reference="R-1").full_name == "Арам Петросян"
    assert party_list.encoding == "cp1251"


def test_bad_rows_are_reported_by_line_and_nothing_is_written(make_list):
    text = ("reference,name,birth_date\n"
            "1,Արամ Պետրոսյան,1995\n"
            "2,,1990\n"               # line 3: no name
            "3,Анна Саркисян,2031-01-01\n"  # line 4: future, a warning only (the date is left unknown)
            "1,Elvin Məmmədov,1999\n"  # line 5: duplicate reference
            "5,Արամ Պետրոսյան,1995\n")  # line 6: same person again
    with pytest.raises(ListImportError) as err:
        make_list(text)
    by_line = {e.line: e.message for e in err.value.errors}
    assert set(by_line) == {3, 5, 6}
    assert "no name" in by_line[3]
    assert "duplicate" in by_line[5] and "duplicate" in by_line[6]
    assert not PartyList.objects.exists() and not PartyListEntry.objects.exists()


def test_import_through_the_web(client_for, world):
    client = client_for("exchange_officer")
    upload = io.BytesIO(ENGLISH_LIST.encode())
    upload.name = "english.csv"
    response = client.post("/exchanges/lists/import/", {
        "file": upload, "party": world["parties"]["azerbaijani-side"].pk, "kind": "you_hold",
        "received_on": "2020-12-01"})
    assert response.status_code == 302
    assert PartyList.objects.get().entries.count() == 3
    bad = io.BytesIO(b"name,birth_date\n,1990\n")
    bad.name = "bad.csv"
    response = client.post("/exchanges/lists/import/", {
        "file": bad, "party": world["parties"]["azerbaijani-side"].pk, "kind": "you_hold",
        "received_on": "2020-12-01"})
    assert response.status_code == 200
    assert "line 2" in response.content.decode()
    assert PartyList.objects.count() == 1


def test_a_partly_bad_birth_date_keeps_the_entry_with_a_warning_by_line_and_column(make_list):
    """A detainee listed with a typo in the day is still imported, and matched on the year and month."""
    text = ("reference,name,Date of birth\n"
            "1,Արամ Պետրոսյան,1945-04-93\n"  # line 2: no day 93
            "2,Анна Саркисян,1990-00-12\n"  # line 3: no month 0
            "3,Elvin Məmmədov,31.02.1999\n")  # line 4: no 31 February
    party_list = make_list(text)
    assert party_list.entries.count() == 3
    assert [(w.line, w.column) for w in party_list.warnings] == [(2, "Date of birth"), (3, "Date of birth"),
                                                                 (4, "Date of birth")]
    assert "kept 1945-04" in str(party_list.warnings[0]) and "line 2, column Date of birth" in \
        str(party_list.warnings[0])
    assert "kept 1990" in str(party_list.warnings[1]) and "kept 1999-02" in str(party_list.warnings[2])
    assert party_list.entries.get(reference="1").birth_date == "1945-04-93"  # kept as written


def test_create_person_keeps_what_is_valid_of_a_bad_birth_date(world):
    from peaceops.exchanges.services.people import create_person

    person = create_person("Արամ Պետրոսյան", birth_date="1945-04-93")
    assert (person.birth_year, person.birth_month, person.birth_day) == (1945, 4, None)
    assert person.warnings and "kept 1945-04" in person.warnings[0]
    clean = create_person("Արամ Պետրոսյան", birth_date="1945-04-03")
    assert clean.warnings == [] and clean.birth_day == 3


# A row with no name, an unknown sex and a reference already used: the officer heard of the name only, fixed it,
# and the list came back refused for the sex, then for the reference (issue 17).
EVERY_PROBLEM = ("reference,name,sex\n"
                 "1,Արամ Պետրոսյան,M\n"
                 "1,,X\n")


def _every_problem_reported(message: str) -> None:
    assert "no name" in message and "sex X is not recognised" in message and "reference 1 already" in message


def test_every_problem_of_a_row_is_reported(make_list):
    with pytest.raises(ListImportError) as err:
        make_list(EVERY_PROBLEM)
    assert [e.line for e in err.value.errors] == [3]
    _every_problem_reported(err.value.errors[0].message)
    assert "name: " in err.value.errors[0].message and "sex: " in err.value.errors[0].message  # by column


def test_every_problem_of_a_row_on_the_page_and_the_command_line(client_for, world, tmp_path):
    from django.core.management import CommandError, call_command

    upload = io.BytesIO(EVERY_PROBLEM.encode())
    upload.name = "bad.csv"
    page = client_for("exchange_officer").post("/exchanges/lists/import/", {
        "file": upload, "party": world["parties"]["azerbaijani-side"].pk, "kind": "you_hold",
        "received_on": "2020-12-01"}).content.decode()
    _every_problem_reported(page.replace("&#x27;", "'"))
    path = tmp_path / "bad.csv"
    path.write_text(EVERY_PROBLEM, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("exchanges", "import-list", str(path), "--party", "armenian-side", "--kind", "we_hold",
                     stderr=err)
    _every_problem_reported(err.getvalue())
    assert not PartyList.objects.exists()
