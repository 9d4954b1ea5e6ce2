"""The OpenRosa server as ODK Collect uses it: form list, download, submission, authentication, and what a
submission becomes (a record, the same record again, an edit, a conflict, or a review with its reason)."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree

from peaceops.ceasefire.models import Incident
from peaceops.core.models import AuditEvent
from peaceops.fieldforms.models import Delivery, FieldSubmission, State
from peaceops.returns.models import Household
from tests.fieldforms.collect import basic, fill, submit

pytestmark = pytest.mark.django_db
FORMLIST = "{http://openrosa.org/xforms/xformsList}"


def _listed(response) -> dict[str, dict]:
    root = etree.fromstring(response.content)
    return {x.findtext(f"{FORMLIST}formID"): {child.tag.split("}")[1]: child.text for child in x}
            for x in root.findall(f"{FORMLIST}xform")}


def _message(response) -> str:
    return etree.fromstring(response.content).findtext("{http://openrosa.org/http/response}message")


def test_form_list_names_only_the_forms_the_role_may_submit(phone, password, xforms):
    response = phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("monitor", password))
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    listed = _listed(response)
    assert set(listed) == {"incident_report", "observation_post_log", "patrol_log", "facility_assessment"}
    entry = listed["incident_report"]
    assert entry["hash"] == "md5:" + hashlib.md5(xforms["incident_report"].encode()).hexdigest()
    assert entry["downloadUrl"].startswith("https://") and entry["version"]
    download = phone.get(entry["downloadUrl"].split("testserver", 1)[1], secure=True,
                         HTTP_AUTHORIZATION=basic("monitor", password))
    assert download.status_code == 200
    assert "md5:" + hashlib.md5(download.content).hexdigest() == entry["hash"]
    officer = phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("returns_officer", password))
    assert set(_listed(officer)) == {"returnee_registration"}
    refused = phone.get("/openrosa/forms/returnee_registration/form.xml", secure=True,
                        HTTP_AUTHORIZATION=basic("monitor", password))
    assert refused.status_code == 404


def test_collect_is_challenged_then_signs_in_with_basic(phone, password):
    response = phone.get("/openrosa/formList", secure=True)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    assert response["X-OpenRosa-Version"] == "1.0"
    wrong = phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("monitor", "not-it"))
    assert wrong.status_code == 401


def test_basic_over_plain_http_is_refused(phone, password):
    response = phone.get("/openrosa/formList", HTTP_AUTHORIZATION=basic("monitor", password))
    assert response.status_code == 403
    assert "https" in _message(response)


def test_roles_with_a_second_factor_are_told_to_use_the_web(phone, password):
    response = phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("exchange_officer", password))
    assert response.status_code == 403
    assert "one-time code" in _message(response)


def test_failed_sign_ins_are_throttled_like_the_web_login(phone, password, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    statuses = [phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("monitor", "guess")).status_code
                for _attempt in range(3)]
    assert statuses == [401, 401, 429]  # the failure that reaches the limit locks, as on the web
    locked = phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("monitor", password))
    assert locked.status_code == 429
    assert locked["X-OpenRosa-Version"] == "1.0"


def test_head_tells_collect_how_much_it_may_send(phone, password, settings):
    response = phone.head("/openrosa/submission", secure=True, HTTP_AUTHORIZATION=basic("monitor", password))
    assert response.status_code == 204
    assert response["X-OpenRosa-Accept-Content-Length"] == str(settings.PEACEOPS_OPENROSA_MAX_BYTES)
    assert response["X-OpenRosa-Version"] == "1.0"


def test_incident_round_trip_from_the_forms_own_binds(phone, password, xforms, users, place_key):
    xml, instance_id = fill(xforms["incident_report"], {
        "/data/place": place_key("op03"), "/data/incident_type": "shelling", "/data/sub_type": "mortar",
        "/data/casualties/injured_civilian": "2", "/data/source_reliability": "B", "/data/credibility": "2",
        "/data/photo": "crater.jpg"})
    photo = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    response = submit(phone, xml, "monitor", password, {"crater.jpg": photo})
    assert response.status_code == 201, _message(response)
    assert 'nature="submit_success"' in response.content.decode()
    incident = Incident.objects.get(external_id=instance_id)
    assert (incident.incident_type, incident.sub_type, incident.injured_civilian) == ("shelling", "mortar", 2)
    assert incident.reported_by == users["monitor"] and incident.status == "reported"
    report = incident.sources.get()
    assert (report.reliability, report.credibility) == ("B", 2)
    assert incident.attachments.get().filename == "crater.jpg"
    submission = FieldSubmission.objects.get(instance_id=instance_id)
    assert (submission.state, submission.record_id) == (State.ACCEPTED, str(incident.pk))
    accepted = AuditEvent.objects.filter(model="fieldforms.FieldSubmission", action="decision",
                                         detail__outcome="accepted").get()
    assert accepted.detail["instance_id"] == instance_id and accepted.actor == "monitor"


def test_registration_round_trip_with_a_member_per_repeat(phone, password, xforms, place_key):
    xml, instance_id = fill(xforms["returnee_registration"], {
        "/data/destination": place_key("stepanakert"), "/data/vulnerabilities": "elderly medical"},
        repeats={"member": 3})
    response = submit(phone, xml, "returns_officer", password)
    assert response.status_code == 201, _message(response)
    household = Household.objects.get(pk=FieldSubmission.objects.get(instance_id=instance_id).record_id)
    assert household.size == 3 and household.members.count() == 3
    assert household.vulnerabilities == ["elderly", "medical"]


def test_an_identical_resubmission_is_a_success_that_stores_nothing_new(phone, password, xforms, place_key):
    xml, instance_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    assert submit(phone, xml, "monitor", password).status_code == 201
    again = submit(phone, xml, "monitor", password)
    assert again.status_code == 201
    assert Incident.objects.filter(external_id=instance_id).count() == 1
    assert FieldSubmission.objects.filter(instance_id=instance_id).count() == 1
    assert Delivery.objects.filter(submission__instance_id=instance_id).count() == 2


def test_same_instance_id_with_other_content_is_a_conflict_and_both_are_kept(phone, password, xforms, place_key):
    xml, instance_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    assert submit(phone, xml, "monitor", password).status_code == 201
    other, _same = fill(xforms["incident_report"], {"/data/place": place_key("op03"), "/data/notes": "changed"},
                        instance_id=instance_id)
    response = submit(phone, other, "monitor", password)
    assert response.status_code == 409
    states = sorted(FieldSubmission.objects.filter(instance_id=instance_id).values_list("state", flat=True))
    assert states == [State.ACCEPTED, State.CONFLICT]
    assert Incident.objects.filter(external_id=instance_id).count() == 1


def test_an_edit_with_deprecated_id_updates_the_record_and_keeps_its_history(phone, password, xforms, place_key):
    xml, first_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    assert submit(phone, xml, "monitor", password).status_code == 201
    incident = Incident.objects.get(external_id=first_id)
    edited, edit_id = fill(xforms["incident_report"], {"/data/place": place_key("op03"),
                                                        "/data/casualties/killed_military": "1"},
                           deprecated_id=first_id)
    response = submit(phone, edited, "monitor", password)
    assert response.status_code == 201, _message(response)
    incident.refresh_from_db()
    assert incident.killed_military == 1
    assert Incident.objects.filter(external_id__in=[first_id, edit_id]).count() == 1
    assert incident.history.count() == 2
    assert FieldSubmission.objects.get(instance_id=edit_id).record_id == str(incident.pk)


def test_a_role_that_may_not_submit_the_form_is_refused_and_only_the_audit_keeps_it(phone, password, xforms,
                                                                                   place_key):
    xml, instance_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    response = submit(phone, xml, "returns_officer", password)
    assert response.status_code == 403
    assert not FieldSubmission.objects.exists()
    assert not Incident.objects.filter(external_id=instance_id).exists()
    refused = AuditEvent.objects.get(model="fieldforms.FieldSubmission", detail__outcome="refused")
    assert refused.detail["instance_id"] == instance_id


def test_a_request_without_the_instance_is_told_what_is_missing(phone, password):
    response = submit(phone, None, "monitor", password, {"photo.jpg": b"\xff\xd8\xff\xe0"})
    assert response.status_code == 400
    assert "xml_submission_file" in _message(response)


def test_malformed_xml_is_answered_400_and_still_kept_for_review(phone, password):
    response = submit(phone, b"<data id='incident_report'><occurred>2020-11-21", "monitor", password)
    assert response.status_code == 400
    kept = FieldSubmission.objects.get()
    assert kept.state == State.REVIEW and "well-formed" in kept.reason
    assert kept.received_xml.startswith("<data")


def test_an_unknown_form_is_kept_for_review(phone, password):
    xml = (b"<data id='checkpoint_census' version='1'><count>4</count>"
           b"<meta><instanceID>uuid:5b0f0c1e-0000-4000-8000-000000000001</instanceID></meta></data>")
    response = submit(phone, xml, "monitor", password)
    assert response.status_code == 202
    assert "checkpoint_census" in FieldSubmission.objects.get().reason


@pytest.mark.parametrize(("values", "words"), [
    ({"/data/location": "55.75 37.61 0 0"}, "outside the operating region"),
    ({"/data/occurred": "2099-01-01T10:00:00.000+04:00"}, "in the future"),
    ({"/data/place": "PO-NOWHERE"}, "not a place in the gazetteer"),
    ({"/data/incident_type": "drone", "/data/sub_type": "mortar"}, "is not a kind of"),
])
def test_a_submission_that_breaks_a_rule_waits_in_review_with_the_reason(phone, password, xforms, values, words):
    xml, instance_id = fill(xforms["incident_report"], values)
    response = submit(phone, xml, "monitor", password)
    assert response.status_code == 202
    assert words in _message(response)
    kept = FieldSubmission.objects.get(instance_id=instance_id)
    assert kept.state == State.REVIEW and words in kept.reason
    assert not Incident.objects.filter(external_id=instance_id).exists()


def test_a_refused_attachment_keeps_the_instance_for_review(phone, password, xforms, place_key, settings):
    settings.PEACEOPS_OPENROSA_ATTACHMENT_MAX_BYTES = 1000
    xml, instance_id = fill(xforms["incident_report"], {"/data/place": place_key("op03"),
                                                         "/data/photo": "big.jpg"})
    response = submit(phone, xml, "monitor", password, {"big.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 5000,
                                                         "page.html": b"<html><script>x()</script></html>"})
    assert response.status_code == 202
    kept = FieldSubmission.objects.get(instance_id=instance_id)
    assert set(kept.refused_files) == {"big.jpg", "page.html"}
    assert "at most" in kept.reason and kept.attachments.count() == 0


def test_an_older_version_is_accepted_when_its_fields_map(phone, password, xforms, place_key):
    xml, instance_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    old = xml.replace(b'version="', b'version="old', 1)
    assert submit(phone, old, "monitor", password).status_code == 201
    unmapped, other_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    unmapped = unmapped.replace(b'version="', b'version="old', 1).replace(b"<weapons/>",
                                                                          b"<weapon_calibre>82</weapon_calibre>")
    response = submit(phone, unmapped, "monitor", password)
    assert response.status_code == 202
    assert "weapon_calibre" in FieldSubmission.objects.get(instance_id=other_id).reason


def test_a_remembered_password_stops_working_when_it_is_changed(phone, password, users):
    assert phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("monitor", password)).status_code \
        == 200
    monitor = users["monitor"]
    monitor.set_password("a-new-passphrase-for-tests")
    monitor.save()
    assert phone.get("/openrosa/formList", secure=True,
                     HTTP_AUTHORIZATION=basic("monitor", password)).status_code == 401
    assert phone.get("/openrosa/formList", secure=True,
                     HTTP_AUTHORIZATION=basic("monitor", "a-new-passphrase-for-tests")).status_code == 200
    monitor.is_active = False
    monitor.save()
    assert phone.get("/openrosa/formList", secure=True,
                     HTTP_AUTHORIZATION=basic("monitor", "a-new-passphrase-for-tests")).status_code == 401


def test_a_lock_out_stops_a_password_remembered_before_it(phone, password, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    assert phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("monitor", password)).status_code \
        == 200  # now remembered
    for _attempt in range(3):  # someone else guesses at the same account from the same address
        phone.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=basic("monitor", "guess"))
    assert phone.get("/openrosa/formList", secure=True,
                     HTTP_AUTHORIZATION=basic("monitor", password)).status_code == 429
