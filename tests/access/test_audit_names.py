"""The audit chain names sensitive records by id only, for every action: administrators read the chain, and it
must not become a copy of the case files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from peaceops.core import audit
from peaceops.core.models import AuditEvent, Party, Person, PersonName, Place
from peaceops.exchanges.services.cases import open_detention_case
from peaceops.returns.services.households import MemberSpec, register_household

pytestmark = pytest.mark.django_db

RETURNEE = "Արմեն Սինթետիկյան"
DETAINEE = "Synthetic Detaineeson"


@pytest.fixture
def people():
    household = register_household([MemberSpec(name=RETURNEE, sex="M", birth_year=1970)],
                                   Place.objects.get(name="Stepanakert / Khankendi"),
                                   registered_on=dt.date(2020, 11, 15))
    detainee = Person.objects.create(sex="M", birth_year=1995)
    PersonName.objects.create(person=detainee, full_name=DETAINEE, is_primary=True)
    case = open_detention_case(detainee, kind="pow", holding_party=Party.objects.get(code="azerbaijani-side"))
    return household, detainee, case


def _chain_text() -> str:
    return "\n".join(f"{e.object_repr} {e.detail}" for e in AuditEvent.objects.all())


def test_reads_and_writes_of_people_and_cases_leave_no_name_in_the_chain(people, client_for, api_for):
    household, detainee, case = people
    returnee = household.members.get().person
    assert client_for("coordinator").get(f"/people/{detainee.pk}/").status_code == 200
    assert client_for("returns_officer").get(f"/people/{returnee.pk}/").status_code == 200
    assert api_for("exchange_officer").get(f"/api/exchanges/detention-cases/{case.pk}/").status_code == 200
    assert api_for("coordinator").get(f"/api/persons/{returnee.pk}/").status_code == 200
    name = detainee.names.get()
    name.full_name = DETAINEE + " Jr"
    name.save()
    text = _chain_text()
    assert DETAINEE not in text and RETURNEE not in text
    reads = AuditEvent.objects.filter(action="read", model="core.Person", object_id=str(detainee.pk))
    assert reads.exists() and all(event.object_repr == "" for event in reads)
    admin_page = client_for("admin").get("/audit/").content.decode()
    assert DETAINEE not in admin_page and RETURNEE not in admin_page
    listed = str(api_for("admin").get("/api/audit-events/").json())
    assert DETAINEE not in listed and RETURNEE not in listed


def test_every_model_that_holds_a_person_is_named_by_id_only(people):
    household, detainee, case = people
    for model in apps.get_models():
        holds_person = any(f.is_relation and f.concrete and f.related_model is Person for f in model._meta.fields)
        if holds_person or model._meta.app_label == "exchanges" or model in (Person, PersonName):
            assert audit.names_a_person(model), model._meta.label
    for instance in (detainee, detainee.names.get(), case, household, household.members.get()):
        assert audit.object_name(instance) == "", instance._meta.label
    place = Place.objects.get(name="Goris")
    assert audit.object_name(place) == "Goris"  # operational records keep their name


def test_events_written_before_stay_in_the_chain_but_are_not_displayed_with_a_name(people, client_for,
                                                                                    api_for):
    _household, detainee, _case = people
    old = audit.append("read", "core.Person", detainee.pk, DETAINEE, {"purpose": "view"}, actor="coordinator")
    assert AuditEvent.objects.get(pk=old.pk).object_repr == DETAINEE  # the chain is immutable
    assert audit.verify().intact
    assert DETAINEE not in client_for("admin").get("/audit/").content.decode()
    shown = api_for("admin").get(f"/api/audit-events/{old.pk}/").json()
    assert shown["object_repr"] == "" and shown["object_id"] == str(detainee.pk) and shown["hash"] == old.hash
