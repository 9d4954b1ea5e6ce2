"""Filing, validation and the verification workflow: reported → under review → verified/unconfirmed/refuted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from peaceops.ceasefire import services
from peaceops.ceasefire.models import Incident, Status, VerificationStep
from peaceops.core.models import AuditEvent, SourceReport
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db


def test_filing_derives_coordinates_and_district_from_the_place(file, world):
    incident = file("martuni")
    assert incident.status == Status.REPORTED
    assert incident.latitude == world["places"]["martuni"].latitude
    assert incident.district == world["places"]["d_martuni"]
    assert incident.sources.count() == 1
    assert incident.steps.get().action == "filed"


def test_direction_and_distance_from_a_settlement_resolve_to_approximate_coordinates(file, world):
    incident = file("martuni", bearing="NE", distance_km=Decimal("2"))
    martuni = world["places"]["martuni"]
    assert incident.latitude > martuni.latitude and incident.longitude > martuni.longitude
    assert abs(float(incident.latitude) - float(martuni.latitude) - 0.0127) < 0.001  # 2 km·cos45° ≈ 1.41 km north
    assert "north-east of Martuni" in incident.location_label


def test_coordinates_only_take_the_district_of_the_nearest_place(file, world):
    incident = file(None, latitude=Decimal("39.53"), longitude=Decimal("47.02"))  # next to Hadrut
    assert incident.district == world["places"]["d_hadrut"]


@pytest.mark.parametrize("fields, field", [
    ({"occurred_to": local(2020, 12, 12, 9)}, "occurred_to"),  # end before start (start is 10:00)
    ({"latitude": Decimal("55.75"), "longitude": Decimal("37.61")}, "latitude"),  # Moscow: outside the region
    ({"killed_civilian": -1}, "killed_civilian"),
    ({"sub_type": "sniper"}, "sub_type"),  # sniper fire is not a kind of shelling
    ({"bearing": "NE"}, "distance_km"),
    ({"alleged_party_code": "armenian-side"}, "alleged_by"),
])
def test_bad_input_is_a_field_error_and_nothing_is_written(file, world, fields, field):
    if "alleged_party_code" in fields:
        fields = {"alleged_party": world["parties"][fields.pop("alleged_party_code")]}
    before = (Incident.objects.count(), SourceReport.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        file("martuni", **fields)
    assert field in exc.value.message_dict
    assert (Incident.objects.count(), SourceReport.objects.count(), AuditEvent.objects.count()) == before


def test_no_place_and_no_coordinates_is_refused(file):
    with pytest.raises(ValidationError) as exc:
        file(None)
    assert "place" in exc.value.message_dict


def test_unknown_place_name_is_a_field_error_with_suggestions():
    with pytest.raises(ValidationError) as exc:
        services.resolve_place("Martunni-xyz")
    assert "place" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.resolve_place("Новосибирск")
    assert services.resolve_place("Ходжавенд").name == "Martuni / Khojavend"


def test_without_a_source_nothing_is_filed(world, users):
    with pytest.raises(ValidationError) as exc:
        services.file_incident(users["monitor"], {"occurred_from": local(2020, 12, 12), "incident_type": "shelling",
                                                  "sub_type": "mortar", "place": world["places"]["hadrut"]}, [])
    assert "sources" in exc.value.message_dict
    assert not Incident.objects.exists()


def test_claim_verify_with_rationale_each_step_audited(file, users):
    incident = file()
    analyst = users["analyst"]
    incident = services.claim(incident, analyst)
    assert incident.status == Status.UNDER_REVIEW and incident.claimed_by == analyst
    incident = services.verify(incident, analyst, "Crater seen by the patrol; the post heard the rounds.")
    assert incident.status == Status.VERIFIED
    steps = list(incident.steps.values_list("action", "from_status", "to_status", "rationale"))
    assert [s[0] for s in steps] == ["filed", "claimed", "verified"]
    assert steps[-1][3].startswith("Crater")
    audited = AuditEvent.objects.filter(model="ceasefire.VerificationStep").count()
    assert audited == 3
    assert AuditEvent.objects.filter(model="ceasefire.Incident", object_id=str(incident.pk),
                                     action="update").count() >= 2
    assert incident.history.count() >= 3  # filed, claimed, verified versions


@pytest.mark.parametrize("outcome", [Status.UNCONFIRMED, Status.REFUTED])
def test_other_outcomes(file, users, outcome):
    incident = services.claim(file(), users["analyst"])
    incident = services.decide(incident, users["analyst"], outcome, "Only one source; the post saw nothing.")
    assert incident.status == outcome


def test_decision_without_rationale_is_refused_and_nothing_changes(file, users):
    incident = services.claim(file(), users["analyst"])
    with pytest.raises(ValidationError) as exc:
        services.verify(incident, users["analyst"], "   ")
    assert "rationale" in exc.value.message_dict
    incident.refresh_from_db()
    assert incident.status == Status.UNDER_REVIEW
    assert VerificationStep.objects.filter(incident=incident).count() == 2


def test_a_claimed_incident_shows_who_works_on_it_and_others_cannot_take_or_decide_it(file, users, django_user_model):
    from django.contrib.auth.models import Group

    from peaceops.core.rolegrants import sanctioned

    other = django_user_model.objects.create(username="analyst2")
    with sanctioned():  # roles change only through the four-eyes service; a test grants directly
        other.groups.add(Group.objects.get(name="analyst"))
    incident = services.claim(file(), users["analyst"])
    with pytest.raises(ValidationError, match="analyst is already reviewing"):
        services.claim(incident, other)
    with pytest.raises(ValidationError, match="analyst is reviewing"):
        services.verify(incident, other, "looks right")


def test_deciding_without_claiming_is_refused(file, users):
    with pytest.raises(ValidationError, match="Claim the incident"):
        services.verify(file(), users["analyst"], "fine")


def test_unconfirmed_can_be_reopened_but_verified_cannot(file, users):
    analyst = users["analyst"]
    incident = services.mark_unconfirmed(services.claim(file(), analyst), analyst, "single source")
    assert services.claim(incident, analyst).status == Status.UNDER_REVIEW
    incident = services.verify(incident, analyst, "second source came in")
    with pytest.raises(ValidationError):
        services.claim(incident, analyst)


def test_nothing_is_ever_deleted(file, users):
    from django.db.models import ProtectedError

    incident = file()
    with pytest.raises(ProtectedError):  # its workflow steps protect it
        incident.delete()
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_window_constraint_holds_in_the_database_too(file):
    incident = file()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(occurred_to=incident.occurred_from - dt.timedelta(hours=1))
