"""The audit chain: every change and sensitive read is an event; tampering is detected and named."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from peaceops.core import audit
from peaceops.core.models import AuditEvent, Person, PersonName, Place

pytestmark = pytest.mark.django_db


def test_the_loaded_world_has_an_intact_chain():
    report = audit.verify()
    assert report.intact and report.count == AuditEvent.objects.count() > 0
    assert str(report) == f"{report.count} events, chain intact"


def test_create_update_delete_each_append_an_event():
    before = AuditEvent.objects.count()
    place = Place.objects.create(name="Test hamlet", kind="settlement")
    place.population = 10
    place.save()
    place.delete()
    actions = list(AuditEvent.objects.order_by("-id")[:3].values_list("action", flat=True))
    assert actions == ["delete", "update", "create"]
    assert AuditEvent.objects.count() == before + 3
    assert audit.verify().intact


def test_sensitive_records_are_not_copied_into_the_audit_log():
    person = Person.objects.create(sex="M")
    PersonName.objects.create(person=person, full_name="Synthetic Testname")
    assert not AuditEvent.objects.filter(object_repr__icontains="Testname").exists()


def test_altered_row_is_named_and_the_command_fails(capsys):
    Place.objects.create(name="Tamper target", kind="settlement")
    victim = AuditEvent.objects.order_by("id")[5]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET actor = %s WHERE id = %s", ["intruder", victim.pk])
    report = audit.verify()
    assert not report.intact and report.first_broken_id == victim.pk
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    assert f"#{victim.pk}" in str(error.value) and error.value.returncode == 2


def test_removed_row_is_detected():
    victim = AuditEvent.objects.order_by("id")[3]
    following = AuditEvent.objects.filter(id__gt=victim.pk).order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
    report = audit.verify()
    assert not report.intact and report.first_broken_id == following.pk


def test_removing_the_newest_events_is_detected_through_the_chain_head():
    Place.objects.create(name="Last words", kind="settlement")
    last = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    assert not audit.verify().intact


def test_reading_a_person_is_audited_with_who_read_it(client_for):
    person = Person.objects.create(sex="F", birth_year=1990)
    PersonName.objects.create(person=person, full_name="Լուսինե Հակոբյան", is_primary=True)
    client_for("coordinator").get(f"/people/{person.pk}/")
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.actor, event.model, event.object_id) == (
        "read", "coordinator", "core.Person", str(person.pk))
    api_for_reads = AuditEvent.objects.filter(action="read").count()
    client_for("coordinator").get("/people/")
    assert AuditEvent.objects.filter(action="read").count() == api_for_reads + 1


def test_api_changes_are_attributed_to_the_token_user(api_for):
    client = api_for("analyst")
    goris = Place.objects.get(name="Goris")
    response = client.post(f"/api/places/{goris.pk}/aliases/", {"name": "Goris town", "language": "en"},
                           format="json")
    assert response.status_code == 201
    event = AuditEvent.objects.filter(model="core.PlaceAlias", action="create").order_by("-id").first()
    assert event.actor == "analyst" and event.request_id
