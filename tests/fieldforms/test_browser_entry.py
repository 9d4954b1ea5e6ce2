"""Offline entry in the browser, the server's half: the page drawn from the form's own rows, and an entry the page
kept and sent later received through the same door as an ODK Collect submission (channel `browser`): once per
instance id, a broken rule kept for review, a conflict answered 409, a role's forms only."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from peaceops.ceasefire.models import Incident
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.models import Delivery, FieldSubmission, State

pytestmark = pytest.mark.django_db
SEND = "/field-forms/offline/{}/send"


def _when(hours_ago: int = 2) -> str:
    return timezone.localtime(timezone.now() - dt.timedelta(hours=hours_ago)).isoformat(timespec="seconds")


@pytest.fixture
def entry(world, place_key):
    def make(**values):
        source = world["sources"]["patrol"]
        base = {"occurred": _when(), "place": place_key(next(iter(world["places"]))), "time_precision": "hour",
                "location_precision": "near", "incident_type": "shelling", "sub_type": "mortar",
                "source": f"source{source.pk}", "source_reliability": "B", "credibility": "2",
                "casualties/killed_civilian": "0", "casualties/injured_civilian": "1"}
        base.update(values)
        return {"instance_id": f"uuid:{uuid.uuid4()}", "version": forms()["incident_report"].built().version,
                "values": {k: v for k, v in base.items() if v is not None}}
    return make


def _send(client, payload, form_id="incident_report"):
    return client.post(SEND.format(form_id), json.dumps(payload), content_type="application/json")


def test_the_page_is_drawn_from_the_form_rows_for_roles_that_file(client_for):
    page = client_for("monitor").get("/field-forms/offline/incident_report/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="casualties/killed_civilian"' in html and 'name="occurred"' in html
    assert 'data-narrows="f-sub_type"' in html and "<optgroup" in html  # type → sub-type, as the XLSForm cascades
    assert 'name="photo"' not in html  # photos are left to Collect
    assert "fieldforms/offline.js" in html and "<script>" not in html  # CSP: no inline script
    assert client_for("monitor").get("/field-forms/offline/observation_post_log/").status_code == 200
    # least privilege: an engineer downloads forms but files no incidents; an analyst keeps no post logs
    assert client_for("engineer").get("/field-forms/offline/incident_report/").status_code == 404
    assert client_for("analyst").get("/field-forms/offline/observation_post_log/").status_code == 404
    assert client_for("monitor").get("/field-forms/offline/returnee_registration/").status_code == 404


def test_worker_and_session_endpoints(client_for, client):
    monitor = client_for("monitor")
    worker = monitor.get("/field-forms/offline/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert "addEventListener(\"fetch\"" in worker.content.decode()
    session = monitor.get("/field-forms/offline/session").json()
    assert session["csrf"] and str(session["user"]) == monitor.session["_auth_user_id"]
    assert client.get("/field-forms/offline/session").status_code == 302  # signed out: to the login page


def test_an_entry_sent_twice_makes_one_incident(client_for, entry):
    monitor = client_for("monitor")
    payload = entry()
    first = _send(monitor, payload)
    assert first.status_code == 201, first.json()
    assert first.json()["record_url"].startswith("/ceasefire/")
    again = _send(monitor, payload)  # the answer was lost; the page sends it again
    assert again.status_code == 201
    assert Incident.objects.filter(external_id=payload["instance_id"]).count() == 1
    submission = FieldSubmission.objects.get(instance_id=payload["instance_id"])
    assert submission.state == State.ACCEPTED
    assert list(Delivery.objects.filter(submission=submission).values_list("channel", flat=True)) == \
        ["browser", "browser"]
    incident = Incident.objects.get(external_id=payload["instance_id"])
    assert incident.injured_civilian == 1 and incident.sub_type == "mortar"


def test_a_broken_rule_waits_in_the_review_queue(client_for, entry):
    monitor = client_for("monitor")
    payload = entry(occurred=_when(hours_ago=-48))  # two days ahead: a wrong clock
    response = _send(monitor, payload)
    assert response.status_code == 202
    assert "future" in response.json()["message"]
    submission = FieldSubmission.objects.get(instance_id=payload["instance_id"])
    assert submission.state == State.REVIEW
    assert not Incident.objects.filter(external_id=payload["instance_id"]).exists()
    queue = client_for("analyst").get("/field-forms/submissions/")
    assert payload["instance_id"] in queue.content.decode()


def test_other_content_under_the_same_id_is_a_conflict_kept_for_review(client_for, entry):
    monitor = client_for("monitor")
    payload = entry()
    assert _send(monitor, payload).status_code == 201
    payload["values"]["casualties/injured_civilian"] = "3"
    assert _send(monitor, payload).status_code == 409
    assert FieldSubmission.objects.filter(instance_id=payload["instance_id"]).count() == 2
    assert Incident.objects.filter(external_id=payload["instance_id"]).count() == 1


def test_a_field_the_form_lacks_is_kept_for_review(client_for, entry):
    payload = entry(casualties_total="4")
    response = _send(client_for("monitor"), payload)
    assert response.status_code == 202
    assert "casualties_total" in FieldSubmission.objects.get(instance_id=payload["instance_id"]).reason


def test_an_older_page_whose_fields_map_is_accepted(client_for, entry):
    payload = entry()
    payload["version"] = "0ld0ld0ld0ld"
    assert _send(client_for("monitor"), payload).status_code == 201


@pytest.mark.parametrize("bad", [
    {"instance_id": "42", "values": {"notes": "x"}},
    {"instance_id": f"uuid:{uuid.uuid4()}", "values": {"meta/instanceID": "uuid:other"}},
    {"instance_id": f"uuid:{uuid.uuid4()}", "values": {"<script>": "x"}},
    {"instance_id": f"uuid:{uuid.uuid4()}", "values": ["notes"]},
    [1, 2],
])
def test_what_the_page_cannot_have_made_is_a_clear_400(client_for, bad):
    response = _send(client_for("monitor"), bad)
    assert response.status_code == 400 and response.json()["message"]
    assert not FieldSubmission.objects.exists()


def test_a_role_that_may_not_submit_the_form_is_refused_and_nothing_kept(client_for, world, place_key):
    payload = {"instance_id": f"uuid:{uuid.uuid4()}", "version": "",
               "values": {"post": place_key(next(iter(world["places"]))), "shift_start": _when(5),
                          "shift_end": _when(1)}}
    analyst = client_for("analyst")  # files incidents, keeps no post logs
    assert _send(analyst, payload, "observation_post_log").status_code == 403
    assert not FieldSubmission.objects.exists()
    assert _send(client_for("engineer"), payload, "incident_report").status_code == 403


def test_sending_needs_the_csrf_token_and_a_session(users, entry):
    client = Client(enforce_csrf_checks=True)
    assert _send(client, entry()).status_code == 403  # signed out, no token: refused before anything is read
    client.force_login(users["monitor"])
    assert _send(client, entry()).status_code == 403
    token = client.get("/field-forms/offline/session").json()["csrf"]
    payload = entry()
    response = client.post(SEND.format("incident_report"), json.dumps(payload), content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert not FieldSubmission.objects.exclude(instance_id=payload["instance_id"]).exists()
