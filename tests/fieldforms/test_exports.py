"""KoboToolbox and ODK Central exports of the shipped forms: each row once, whichever channel came first."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from peaceops.ceasefire.models import Incident
from peaceops.fieldforms.instances import parse
from peaceops.fieldforms.models import Delivery, FieldSubmission, State
from peaceops.returns.models import Household
from tests.fieldforms.collect import fill, submit

pytestmark = pytest.mark.django_db
UUID = "5b0f0c1e-1111-4000-8000-00000000000"


def _kobo_csv(rows: list[dict]) -> bytes:
    header = list(dict.fromkeys(k for row in rows for k in row))
    lines = [";".join(f'"{h}"' for h in header)] + [";".join(f'"{r.get(h, "")}"' for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _incident_row(n: int, place: str, **extra) -> dict:
    return {"occurred": "2020-11-21T10:15:00.000+04:00", "time_precision": "hour", "location": "", "place": place,
            "location_precision": "near", "incident_type": "shelling", "sub_type": "artillery",
            "casualties/killed_civilian": "0", "casualties/injured_civilian": "1", "source": extra.pop("source"),
            "source_reliability": "C", "credibility": "3", "meta/instanceID": f"uuid:{UUID}{n}",
            "_uuid": f"{UUID}{n}", "_submission_time": "2020-11-21T08:00:00", "_id": str(100 + n), **extra}


def _run(tmp_path, name: str, data: bytes, *args) -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("forms", "import", str(path), "--user", "monitor", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def source_key(world):
    return f"source{world['sources']['patrol'].pk}"


def test_a_kobo_csv_makes_each_record_once_even_imported_twice(tmp_path, place_key, source_key):
    data = _kobo_csv([_incident_row(1, place_key("op03"), source=source_key),
                      _incident_row(2, place_key("op04"), source=source_key)])
    out, _err = _run(tmp_path, "kobo.csv", data, "--form", "incident_report")
    assert "2 accepted" in out
    again, _err = _run(tmp_path, "kobo.csv", data, "--form", "incident_report")
    assert "2 already received" in again
    assert Incident.objects.filter(external_id__startswith=f"uuid:{UUID}").count() == 2
    assert Delivery.objects.filter(channel="kobo").count() == 4


def test_the_same_instance_over_openrosa_then_in_an_export_is_one_record(tmp_path, phone, password, xforms,
                                                                         place_key, source_key):
    xml, instance_id = fill(xforms["incident_report"], {
        "/data/place": place_key("op03"), "/data/occurred": "2020-11-21T10:15:00.000+04:00",
        "/data/source": source_key, "/data/source_reliability": "C", "/data/credibility": "3",
        "/data/incident_type": "shelling", "/data/sub_type": "artillery"}, instance_id=f"uuid:{UUID}7")
    assert submit(phone, xml, "monitor", password).status_code == 201
    # Kobo exports every field of the instance under its XML path, and its own columns beside them.
    data = parse(xml).data
    row = {f"casualties/{k}": v for k, v in data.pop("casualties").items()}
    row.update({k: v for k, v in data.items()})
    row.update({"meta/instanceID": instance_id, "_uuid": instance_id[5:], "_id": "7", "__version__": "vX"})
    out, err = _run(tmp_path, "kobo.csv", _kobo_csv([row]), "--form", "incident_report")
    assert "1 already received" in out, err
    assert Incident.objects.filter(external_id=instance_id).count() == 1
    submission = FieldSubmission.objects.get(instance_id=instance_id)
    assert sorted(submission.deliveries.values_list("channel", flat=True)) == ["kobo", "openrosa"]


def test_dry_run_writes_nothing(tmp_path, place_key, source_key):
    out, _err = _run(tmp_path, "kobo.csv", _kobo_csv([_incident_row(1, place_key("op03"), source=source_key)]),
                     "--form", "incident_report", "--dry-run")
    assert out.startswith("dry run, nothing written: 1 rows read: 1 accepted")
    assert not FieldSubmission.objects.exists() and not Incident.objects.filter(external_id__startswith="uuid:5b0f")


def test_bad_rows_are_kept_for_review_with_their_line(tmp_path, place_key, source_key):
    rows = [_incident_row(1, "PO-NOWHERE", source=source_key),
            _incident_row(2, place_key("op03"), source=source_key, weapon_calibre="82")]
    out, err = _run(tmp_path, "kobo.csv", _kobo_csv(rows), "--form", "incident_report")
    assert "2 in review" in out
    assert "kobo.csv:2:" in err and "PO-NOWHERE" in err
    assert "kobo.csv:3:" in err and "weapon_calibre" in err
    assert FieldSubmission.objects.filter(state=State.REVIEW).count() == 2


def test_a_truncated_export_keeps_what_arrived_for_review(tmp_path, place_key, source_key):
    data = _kobo_csv([_incident_row(1, place_key("op03"), source=source_key),
                      _incident_row(2, place_key("op04"), source=source_key)])
    cut = data[: data.rindex(b'"uuid:')] + b'"uuid:' + f"{UUID}2".encode() + b'"\n'
    out, err = _run(tmp_path, "kobo.csv", cut, "--form", "incident_report")
    assert "1 accepted" in out and "1 in review" in out and "cut short" in err
    held = FieldSubmission.objects.get(instance_id=f"uuid:{UUID}2")
    assert held.state == State.REVIEW and "cut short" in held.reason


def test_kobo_xlsx_with_a_repeat_sheet_registers_the_household(tmp_path, place_key, users):
    workbook = Workbook()
    main = workbook.active
    main.title = "returnee_registration"
    main.append(["registered_on", "destination", "vulnerabilities", "meta/instanceID", "_uuid", "_index"])
    main.append(["2020-11-20", place_key("stepanakert"), "elderly", f"uuid:{UUID}9", f"{UUID}9", "1"])
    members = workbook.create_sheet("member")
    members.append(["member/name", "member/sex", "member/birth_year", "member/relationship", "_parent_index"])
    members.append(["Анна Петросян", "F", "1950", "head", "1"])
    members.append(["Арам Петросян", "M", "1980", "child", "1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(buffer.getvalue())
    out = io.StringIO()
    call_command("forms", "import", str(path), "--form", "returnee_registration", "--user", "returns_officer",
                 stdout=out, stderr=io.StringIO())
    assert "1 accepted" in out.getvalue()
    household = Household.objects.get(pk=FieldSubmission.objects.get(instance_id=f"uuid:{UUID}9").record_id)
    assert household.size == 2 and household.vulnerabilities == ["elderly"]


def test_an_odk_central_csv_is_read_by_its_own_headers(tmp_path, place_key, source_key):
    row = {k.replace("/", "-"): v for k, v in _incident_row(3, place_key("op03"), source=source_key).items()
           if not k.startswith("_")}
    row["KEY"] = row.pop("meta-instanceID")
    header = list(row)
    data = (",".join(header) + "\n" + ",".join(row[h] for h in header) + "\n").encode()
    out, err = _run(tmp_path, "central.csv", data, "--form", "incident_report", "--from", "odk-central")
    assert "1 accepted" in out, err
    assert Incident.objects.get(external_id=f"uuid:{UUID}3").injured_civilian == 1
    assert Delivery.objects.get().channel == "odk-central"


def test_an_unreadable_file_is_refused_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="cannot be opened"):
        _run(tmp_path, "kobo.xlsx", b"PK\x03\x04 cut", "--form", "incident_report")


def _central_zip(files: dict[str, str]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


CENTRAL_SYSTEM = "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits"


def _central_registration(place: str, members: str) -> bytes:
    """ODK Central's "CSV (zip)" of the registration form: the main CSV and the repeat's, joined by PARENT_KEY."""
    main = (f"SubmissionDate,registered_on,origin,destination,vulnerabilities,meta-instanceID,{CENTRAL_SYSTEM},"
            "KEY,FormVersion\n"
            f"2020-11-20T09:00:00.000Z,2020-11-20,,{place},elderly,uuid:{UUID}7,5,clerk,0,0,,,collect:x,0,"
            f"uuid:{UUID}7,abc\n"
            f"2020-11-20T09:05:00.000Z,2020-11-20,,{place},,uuid:{UUID}8,5,clerk,0,0,,,collect:x,0,"
            f"uuid:{UUID}8,abc\n")
    return _central_zip({"returnee_registration.csv": main, "returnee_registration-member.csv": members,
                         "media/": ""})


def test_an_odk_central_csv_zip_joins_repeat_rows_by_parent_key(tmp_path, place_key):
    members = ("name,sex,birth_year,birth_month,birth_day,relationship,PARENT_KEY,KEY\n"
               f"Анна Петросян,F,1950,,,head,uuid:{UUID}7,uuid:{UUID}7/member[1]\n"
               f"Арам Петросян,M,1980,,,child,uuid:{UUID}7,uuid:{UUID}7/member[2]\n"
               f"Лусине Тестян,F,1975,,,head,uuid:{UUID}8,uuid:{UUID}8/member[1]\n")
    data = _central_registration(place_key("stepanakert"), members)
    for attempt in range(2):
        path = tmp_path / "returnee_registration.csv.zip"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        call_command("forms", "import", str(path), "--form", "returnee_registration", "--user", "returns_officer",
                     "--from", "odk-central", stdout=out, stderr=err)
        assert ("2 accepted" if attempt == 0 else "2 already received") in out.getvalue(), err.getvalue()
    first = Household.objects.get(pk=FieldSubmission.objects.get(instance_id=f"uuid:{UUID}7").record_id)
    second = Household.objects.get(pk=FieldSubmission.objects.get(instance_id=f"uuid:{UUID}8").record_id)
    assert (first.size, second.size) == (2, 1)
    assert first.vulnerabilities == ["elderly"]
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"odk-central"}


def test_a_central_zip_with_a_repeat_file_cut_short_holds_that_submission(tmp_path, place_key):
    members = ("name,sex,birth_year,birth_month,birth_day,relationship,PARENT_KEY,KEY\n"
               f"Анна Петросян,F,1950,,,head,uuid:{UUID}7,uuid:{UUID}7/member[1]\n"
               f"Лусине Тестян,F,1975,,,head,uuid:{UUID}8\n")
    path = tmp_path / "returnee_registration.csv.zip"
    path.write_bytes(_central_registration(place_key("stepanakert"), members))
    out = io.StringIO()
    call_command("forms", "import", str(path), "--form", "returnee_registration", "--user", "returns_officer",
                 "--from", "odk-central", stdout=out, stderr=io.StringIO())
    assert "1 accepted" in out.getvalue() and "1 in review" in out.getvalue()
    held = FieldSubmission.objects.get(instance_id=f"uuid:{UUID}8")
    assert held.state == State.REVIEW and "cut short" in held.reason and "member.csv" in held.reason
    with pytest.raises(CommandError, match="zip"):
        _run(tmp_path, "broken.csv.zip", _central_registration("x", members)[:200], "--form", "incident_report")


def _registrations(place: str, n: int) -> bytes:
    main = "registered_on,destination,meta-instanceID,KEY\n" + "".join(
        f"2020-11-20,{place},uuid:{UUID}{i},uuid:{UUID}{i}\n" for i in range(n))
    members = "name,sex,birth_year,relationship,PARENT_KEY\n" + "".join(
        f"Арам Тестян {i},M,1980,head,uuid:{UUID}{i}\n" for i in range(n))
    return _central_zip({"returnee_registration.csv": main, "returnee_registration-member.csv": members})


def test_a_chunked_import_audits_each_record_made_and_none_rolled_back(tmp_path, place_key, monkeypatch):
    """Chunks of two rows; the third row's save writes its household and then breaks a rule: it is rolled back,
    kept for review, and no audit event names the household that was never kept."""
    from django.core.exceptions import ValidationError

    from peaceops.core import audit
    from peaceops.core.models.audit import AuditAction, AuditEvent
    from peaceops.fieldforms import exports
    from peaceops.fieldforms.catalogue import forms
    from peaceops.fieldforms.catalogue.registration import save_registration

    def save(values, received):
        household = save_registration(values, received)
        if received.instance_id.endswith(f"{UUID}2"):
            raise ValidationError("a rule broken after the household was written")
        return household

    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    form = forms()["returnee_registration"]
    bulk = form.bulk
    object.__setattr__(form, "save", save)  # a frozen dataclass, cached for the process: restored below
    object.__setattr__(form, "bulk", None)  # the one-at-a-time door (forms without a bulk saver, edits)
    try:
        path = tmp_path / "returnee_registration.csv.zip"
        path.write_bytes(_registrations(place_key("stepanakert"), 5))
        out, err = io.StringIO(), io.StringIO()
        call_command("forms", "import", str(path), "--form", "returnee_registration", "--user", "returns_officer",
                     "--from", "odk-central", stdout=out, stderr=err)
    finally:
        object.__setattr__(form, "save", save_registration)
        object.__setattr__(form, "bulk", bulk)
    assert "4 accepted" in out.getvalue() and "1 in review" in out.getvalue()
    assert f"{path.name}:4: " in err.getvalue() and "rule broken" in err.getvalue()
    kept = {str(pk) for pk in Household.objects.values_list("pk", flat=True)}
    assert len(kept) == 4
    audited = [pk for event in AuditEvent.objects.filter(action=AuditAction.BULK, model="returns.Household")
               for pk in event.detail.get("create", [])]
    # Three chunks; the rolled-back household in none of them (SQLite may give its id to the next one: count).
    assert sorted(audited) == sorted(kept)
    assert audit.verify().intact
