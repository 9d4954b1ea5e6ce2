"""The review queue: reasons listed, correct & accept makes the record, reject keeps it; who may see and decide."""

from __future__ import annotations

import pytest

from peaceops.ceasefire.models import Incident
from peaceops.fieldforms.models import FieldSubmission, State
from tests.fieldforms.collect import fill, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(phone, password, xforms):
    xml, instance_id = fill(xforms["incident_report"], {"/data/place": "PO-NOWHERE"})
    assert submit(phone, xml, "monitor", password).status_code == 202
    return FieldSubmission.objects.get(instance_id=instance_id)


def test_the_queue_lists_what_waits_with_its_reason(client_for, waiting):
    page = client_for("analyst").get("/field-forms/submissions/")
    assert page.status_code == 200
    assert waiting.instance_id in page.content.decode() and "PO-NOWHERE" in page.content.decode()


def test_correct_and_accept_makes_the_record(client_for, waiting, place_key):
    corrected = waiting.instance_xml.replace("PO-NOWHERE", place_key("op03"))
    response = client_for("analyst").post(f"/field-forms/submissions/{waiting.pk}/",
                                          {"action": "accept", "xml": corrected})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == State.ACCEPTED and waiting.decided_by.username == "analyst"
    incident = Incident.objects.get(pk=waiting.record_id)
    assert incident.external_id == waiting.instance_id and incident.reported_by.username == "monitor"
    assert waiting.received_xml != waiting.xml  # what the phone sent is kept beside the correction


def test_accepting_without_the_fix_says_why_and_changes_nothing(client_for, waiting):
    response = client_for("analyst").post(f"/field-forms/submissions/{waiting.pk}/", {"action": "accept"})
    assert response.status_code == 200 and "PO-NOWHERE" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == State.REVIEW and not Incident.objects.filter(external_id=waiting.instance_id).exists()


def test_reject_keeps_the_submission_with_the_reason(client_for, waiting):
    client_for("analyst").post(f"/field-forms/submissions/{waiting.pk}/", {"action": "reject",
                                                                            "reason": "test entry"})
    waiting.refresh_from_db()
    assert (waiting.state, waiting.reason) == (State.REJECTED, "test entry")


def test_coordinators_read_the_queue_but_do_not_decide(client_for, waiting):
    coordinator = client_for("coordinator")
    assert coordinator.get(f"/field-forms/submissions/{waiting.pk}/").status_code == 200
    assert coordinator.post(f"/field-forms/submissions/{waiting.pk}/", {"action": "reject",
                                                                         "reason": "x"}).status_code == 403


def test_reviewers_see_only_the_forms_they_review(client_for, waiting):
    assert client_for("returns_officer").get(f"/field-forms/submissions/{waiting.pk}/").status_code == 404
    assert client_for("monitor").get("/field-forms/submissions/").status_code == 404


def test_the_forms_page_offers_each_form_the_role_may_submit(client_for):
    page = client_for("monitor").get("/field-forms/")
    assert page.status_code == 200 and "incident_report" in page.content.decode()
    assert "returnee_registration" not in page.content.decode()
    download = client_for("monitor").get("/field-forms/forms/incident_report.xlsx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert client_for("monitor").get("/field-forms/forms/returnee_registration.xlsx").status_code == 404
