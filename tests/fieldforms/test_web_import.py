"""Importing a KoboToolbox / ODK Central export from the Field forms page: the same import as `peaceops forms
import`, filed under the uploader, its report (counts and each problem's line) shown once; large files by the
worker; only the forms the user may submit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from peaceops.ceasefire.models import Incident
from peaceops.fieldforms.models import Delivery, FieldSubmission
from tests.fieldforms.test_exports import UUID, _incident_row, _kobo_csv

pytestmark = pytest.mark.django_db
PAGE = "/field-forms/import/"


@pytest.fixture
def export(world, place_key):
    source = f"source{world['sources']['patrol'].pk}"
    good = [_incident_row(n, place_key("op03"), source=source) for n in (1, 2)]
    no_id = {**_incident_row(3, place_key("op04"), source=source), "meta/instanceID": "", "_uuid": ""}
    return _kobo_csv([good[0], no_id, good[1]])


def _post(client, data: bytes, name: str = "kobo.csv", **fields):
    return client.post(PAGE, {"form_id": "incident_report", "channel": "kobo",
                              "file": SimpleUploadedFile(name, data, "text/csv"), **fields})


def test_an_export_uploaded_makes_its_records_and_the_page_reports_each_problem_line(client_for, export, users):
    client = client_for("monitor")
    response = _post(client, export)
    assert response.status_code == 302 and response["Location"] == PAGE
    page = client.get(PAGE).content.decode()
    assert "Import of kobo.csv" in page and "3 rows read" in page
    assert "<strong>2</strong> made a record" in page and "<strong>1</strong> skipped (no instance id)" in page
    assert "<td class=\"num\">3</td><td>No instance id" in page  # line 3 of the file: the header is line 1
    incidents = Incident.objects.filter(external_id__startswith=f"uuid:{UUID}")
    assert incidents.count() == 2
    assert set(FieldSubmission.objects.values_list("submitted_by", flat=True)) == {users["monitor"].pk}
    assert "Import of kobo.csv" not in client.get(PAGE).content.decode()  # the report is shown once
    # The same file again: each row only delivered again, never a second record.
    _post(client, export)
    again = client.get(PAGE).content.decode()
    assert "<strong>2</strong> already received (nothing new)" in again
    assert incidents.count() == 2 and Delivery.objects.filter(channel="kobo").count() == 4


def test_check_only_writes_nothing(client_for, export):
    client = client_for("monitor")
    _post(client, export, dry_run="on")
    page = client.get(PAGE).content.decode()
    assert "Check of kobo.csv: nothing was written" in page and "<strong>2</strong> would make a record" in page
    assert not Incident.objects.filter(external_id__startswith=f"uuid:{UUID}").exists()
    assert not FieldSubmission.objects.exists()


def test_a_file_that_cannot_be_read_is_said_and_writes_nothing(client_for):
    client = client_for("monitor")
    _post(client, b"\xff\xfe\x00broken")
    page = client.get(PAGE).content.decode()
    assert "File not imported" in page and "not UTF-8" in page
    assert not FieldSubmission.objects.exists()


def test_only_the_forms_the_role_may_submit_are_offered(client_for, export):
    client = client_for("monitor")
    page = client.get(PAGE).content.decode()
    assert 'value="incident_report"' in page and 'value="returnee_registration"' not in page
    refused = _post(client, export, form_id="returnee_registration")
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not FieldSubmission.objects.exists()


@pytest.mark.parametrize("role, status", [("coordinator", 404), ("public", 404)])
def test_roles_without_field_forms_do_not_reach_the_page(client_for, role, status):
    assert client_for(role).get(PAGE).status_code == status


def test_the_field_forms_page_links_the_import(client_for):
    assert f'href="{PAGE}"' in client_for("returns_officer").get("/field-forms/").content.decode()


def test_a_large_export_is_imported_by_the_worker_and_its_report_shows_when_done(client_for, export, settings,
                                                                                  monkeypatch, tmp_path):
    settings.PEACEOPS_IMPORT_INLINE_BYTES, settings.PEACEOPS_IMPORT_DIR = 10, str(tmp_path)
    client = client_for("monitor")
    _post(client, export)
    page = client.get(PAGE).content.decode()
    assert "being imported in the background" in page and not FieldSubmission.objects.exists()
    polled = client.get(PAGE + "status")
    assert polled.status_code == 200 and "HX-Refresh" not in polled.headers
    stored = list(Path(settings.PEACEOPS_IMPORT_DIR).iterdir())
    assert len(stored) == 1
    # The worker command as `peaceops serve` runs it (its connection recycling would end the test's transaction).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert client.get(PAGE + "status").headers["HX-Refresh"] == "true"
    done = client.get(PAGE).content.decode()
    assert "<strong>2</strong> made a record" in done and "being imported" not in done
    assert Incident.objects.filter(external_id__startswith=f"uuid:{UUID}").count() == 2
    assert not stored[0].exists()  # the upload's copy is removed once read
