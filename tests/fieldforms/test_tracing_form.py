"""The tracing request as a field form: shipped as an XLSForm (pyxform converts it), taken in from Kobo/Central
exports only — never offered to ODK Collect or the offline page, since its submitters sign in with a second factor —
readable by exchange officers and coordinators only, and every read of one in the review queue audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from pyxform.xls2xform import convert

from peaceops.core.models import AuditEvent
from peaceops.exchanges.models import TracingRequest
from peaceops.fieldforms import services
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.models import Channel, FieldSubmission, State
from tests.fieldforms.collect import fill

pytestmark = pytest.mark.django_db
ID = "uuid:7c1d2e3f-0000-4000-8000-0000000000{:02d}"


def _kobo_csv(rows: list[dict]) -> bytes:
    header = list(dict.fromkeys(k for row in rows for k in row))
    lines = [",".join(f'"{h}"' for h in header)] + [",".join(f'"{r.get(h, "")}"' for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _row(n: int, **extra) -> dict:
    return {"sought/sought_name": "Ануш Тестова", "sought/sought_father_name": "Грачья",
            "sought/sought_birth_date": "1961", "sought/sought_sex": "F",
            "requester/requested_by": "Synthetic Relative", "requester/relationship": "daughter",
            "requester/contact": "+000 0000 0000", "received_on": "2020-11-20",
            "meta/instanceID": ID.format(n), "_uuid": ID.format(n)[5:], **extra}


def test_the_form_converts_with_pyxform_in_both_languages():
    built = forms()["tracing_request"].built()
    xform = convert(xlsform=built.xlsx_bytes(), file_type=".xlsx", form_name="data", validate=False).xform
    assert 'id="tracing_request"' in xform and "sought_name" in xform
    assert "jr:itext" in xform and 'lang="Russian (ru)"' in xform
    assert forms()["tracing_request"].field_paths() >= {"sought/sought_name", "requester/contact", "received_on"}


def test_imported_from_an_export_it_becomes_a_tracing_request_once(tmp_path):
    path = tmp_path / "tracing.csv"
    path.write_bytes(_kobo_csv([_row(1), _row(2, **{"sought/sought_birth_date": "sixties"})]))
    for _attempt in range(2):
        out, err = io.StringIO(), io.StringIO()
        call_command("forms", "import", str(path), "--form", "tracing_request", "--user", "exchange_officer",
                     stdout=out, stderr=err)
    assert TracingRequest.objects.filter(sought_name="Ануш Тестова").count() == 1
    review = FieldSubmission.objects.get(instance_id=ID.format(2))
    assert review.state == State.REVIEW and "sought_birth_date" in review.reason
    assert "Ануш" not in err.getvalue()  # what the command prints names no one


def test_never_offered_to_collect_or_the_offline_page(client_for, users, xforms):
    officer = client_for("exchange_officer")
    page = officer.get("/field-forms/")
    assert "tracing_request" in page.content.decode()  # the XLSForm, to upload to Kobo or Central
    assert officer.get("/field-forms/offline/tracing_request/").status_code == 404
    xml, instance_id = fill(xforms["tracing_request"], {"/data/sought/sought_name": "Test Person",
                                                        "/data/requester/requested_by": "Test Relative",
                                                        "/data/requester/contact": "x",
                                                        "/data/received_on": "2020-11-20"})
    refused = services.receive(xml, user=users["exchange_officer"], channel=Channel.OPENROSA)
    assert refused.status == 403 and "export" in refused.message
    assert not FieldSubmission.objects.filter(instance_id=instance_id).exists()


def test_only_exchange_staff_read_them_and_each_read_is_audited(client_for, users, tmp_path):
    path = tmp_path / "tracing.csv"
    path.write_bytes(_kobo_csv([_row(3, **{"received_on": "2099-01-01"})]))
    call_command("forms", "import", str(path), "--form", "tracing_request", "--user", "exchange_officer",
                 stdout=io.StringIO(), stderr=io.StringIO())
    waiting = FieldSubmission.objects.get(instance_id=ID.format(3))
    assert waiting.state == State.REVIEW
    for role in ("analyst", "returns_officer", "engineer"):
        assert client_for(role).get(f"/field-forms/submissions/{waiting.pk}/").status_code == 404
        assert ID.format(3) not in client_for(role).get("/field-forms/submissions/").content.decode()
    reads = AuditEvent.objects.filter(action="read", model="fieldforms.FieldSubmission")
    before = reads.count()
    officer = client_for("exchange_officer")
    assert ID.format(3) in officer.get("/field-forms/submissions/").content.decode()
    assert officer.get(f"/field-forms/submissions/{waiting.pk}/").status_code == 200
    assert client_for("coordinator").get(f"/field-forms/submissions/{waiting.pk}/").status_code == 200
    assert reads.count() == before + 3
