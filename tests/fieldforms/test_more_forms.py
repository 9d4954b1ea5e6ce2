"""The observation-post log, the patrol log (a geotrace) and the facility assessment (photos), end to end."""

from __future__ import annotations

import pytest

from peaceops.ceasefire.models import ObservationPostLog, Patrol
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.models import FieldSubmission, State
from peaceops.restoration.models import DamageAssessment, Facility
from tests.fieldforms.collect import fill, submit

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _record(instance_id: str):
    submission = FieldSubmission.objects.get(instance_id=instance_id)
    assert submission.state == State.ACCEPTED, submission.reason
    return submission.record_id


def test_post_log_round_trip(phone, password, xforms, place_key):
    xml, instance_id = fill(xforms["observation_post_log"], {"/data/post": place_key("op05"),
                                                             "/data/personnel": "4"})
    assert submit(phone, xml, "monitor", password).status_code == 201
    entry = ObservationPostLog.objects.get(pk=_record(instance_id))
    assert entry.post.pk and entry.personnel == 4 and entry.manned


def test_patrol_log_takes_its_route_from_the_geotrace(phone, password, xforms, world):
    stepanakert, shushi = world["places"]["stepanakert"], world["places"]["shushi"]
    track = f"{stepanakert.latitude} {stepanakert.longitude} 0 5;39.79 46.75 0 5;{shushi.latitude} {shushi.longitude} 0 5"
    xml, instance_id = fill(xforms["patrol_log"], {"/data/track": track, "/data/route_name": "Ring road"})
    response = submit(phone, xml, "monitor", password)
    assert response.status_code == 201, response.content.decode()
    patrol = Patrol.objects.get(pk=_record(instance_id))
    assert [stop.place for stop in patrol.stops.order_by("order")] == [stepanakert, shushi]
    assert 5 < float(patrol.distance_km) < 8


def test_a_track_outside_the_region_waits_for_review(phone, password, xforms):
    xml, instance_id = fill(xforms["patrol_log"], {"/data/track": "55.75 37.61 0 0;55.76 37.62 0 0"})
    assert submit(phone, xml, "monitor", password).status_code == 202
    assert "outside the operating region" in FieldSubmission.objects.get(instance_id=instance_id).reason


def test_facility_assessment_with_photos(phone, password, world):
    facility = Facility.objects.create(name="Synthetic pumping station", kind="pumping_station",
                                       place=world["places"]["stepanakert"])
    from peaceops.fieldforms.catalogue import forget_built

    forget_built()  # the facility was registered after the form was last built
    xform = forms()["facility_assessment"].built().xform
    xml, instance_id = fill(xform, {"/data/facility": f"facility{facility.pk}", "/data/severity": "2",
                                    "/data/functionality": "40", "/data/photo_1": "front.jpg",
                                    "/data/photo_2": "pump.jpg"})
    assert submit(phone, xml, "engineer", password, {"front.jpg": JPEG, "pump.jpg": JPEG + b"1"}).status_code == 201
    assessment = DamageAssessment.objects.get(pk=_record(instance_id))
    assert (assessment.severity, assessment.functionality, assessment.photos.count()) == (2, 40, 2)


def test_clearance_report_with_ordnance_per_repeat(phone, password):
    import datetime as dt

    from peaceops.core.models import Organisation
    from peaceops.fieldforms.catalogue import forget_built
    from peaceops.restoration.models import ClearanceReport, ClearanceTask
    from peaceops.restoration.services import mine_action

    task = mine_action.save_task(ClearanceTask(code="RC-9", kind="route", start=dt.date(2020, 11, 15),
                                               organisation=Organisation.objects.get(acronym="PK ENG")))
    forget_built()
    xform = forms()["clearance_report"].built().xform
    xml, instance_id = fill(xform, {"/data/task": f"task{task.pk}", "/data/road_cleared_km": "1.25",
                                    "/data/ordnance/ordnance_type": "projectile", "/data/ordnance/found": "2",
                                    "/data/ordnance/destroyed": "2"}, repeats={"ordnance": 2})
    assert submit(phone, xml, "engineer", password).status_code == 201
    report = ClearanceReport.objects.get(pk=_record(instance_id))
    assert float(report.road_cleared_km) == 1.25
    assert {(c.ordnance_type, c.found, c.destroyed) for c in report.ordnance.all()} == {("projectile", 4, 4)}
