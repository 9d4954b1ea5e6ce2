"""Natural keys are unique, so a retried import or registration cannot create a record twice; migrations that add
the constraints stop on existing duplicates, naming them, instead of choosing or deleting rows."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from peaceops.core import services as core_services
from peaceops.core.migration_checks import DuplicatesFound, refuse_duplicates
from peaceops.core.models import Place

pytestmark = pytest.mark.django_db


def _household(world, reference: str, name: str = "Армен Петросян"):
    from peaceops.returns import services

    return services.register_household([services.MemberSpec(name=name, sex="M", birth_year=1960)],
                                       world["places"]["stepanakert"], reference=reference)


def test_a_household_reference_is_registered_once(world, api_for):
    _household(world, "REG-1")
    with pytest.raises(ValidationError, match="REG-1 is already registered"):
        _household(world, "REG-1", "Другой человек")
    _household(world, "")  # households without a reference are not keyed
    _household(world, "", "Ещё один")
    response = api_for("returns_officer").post("/api/returns/households/", {
        "members": [{"name": "Анна Саркисян", "sex": "F", "birth_year": 1970}], "destination": "Ханкенди",
        "reference": "REG-1"}, format="json")
    assert response.status_code == 400 and "REG-1" in str(response.json())


def test_the_database_refuses_a_second_household_with_one_reference(world):
    from peaceops.returns.models import Household

    first = _household(world, "REG-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.bulk_create([Household(head=first.head, destination=first.destination, reference="REG-2")])


def test_an_incident_source_id_is_recorded_once(world, users):
    from peaceops.ceasefire import services

    when = dt.datetime(2020, 12, 12, 10, tzinfo=dt.UTC)
    fields = {"occurred_from": when, "occurred_to": when, "incident_type": "shelling", "sub_type": "mortar",
              "time_precision": "minute", "place": world["places"]["martuni"], "external_id": "ARM1001"}
    services.file_incident(users["analyst"], dict(fields), [(world["sources"]["patrol"], "seen")])
    with pytest.raises(ValidationError, match="source id is already recorded"):
        services.file_incident(users["analyst"], dict(fields), [(world["sources"]["patrol"], "seen")])


def test_a_work_source_id_and_a_place_pcode_are_held_once(world):
    from peaceops.core.models import Organisation
    from peaceops.restoration.models import Facility, Work
    from peaceops.restoration.services import facilities, works

    town = world["places"]["stepanakert"]
    pump = facilities.save_facility(Facility(name="Pump 3", kind="pumping_station", place=town), settlements=[town])
    power = Organisation.objects.get(acronym="POWER")
    works.save_work(Work(organisation=power, activity="Feeder", facility=pump, external_id="3W-17"))
    with pytest.raises(ValidationError, match="source id already exists"):
        works.save_work(Work(organisation=power, activity="Feeder again", facility=pump, external_id="3W-17"))
    core_services.save_place(Place(name="Coded hamlet", kind="settlement", pcode="AZ-TEST-1"))
    with pytest.raises(ValidationError, match="already has this P-code"):
        core_services.save_place(Place(name="Other hamlet", kind="settlement", pcode="AZ-TEST-1"))


def test_a_list_entry_reference_is_unique_within_its_list_only(world):
    from peaceops.exchanges.models import PartyList, PartyListEntry

    party = world["parties"]["armenian-side"]
    lists = [PartyList.objects.create(party=party, kind="detainees", received_on=dt.date(2020, 11, 20),
                                      title=f"List {i}") for i in range(2)]
    PartyListEntry.objects.create(party_list=lists[0], line=2, reference="P-1", full_name="Name One")
    PartyListEntry.objects.create(party_list=lists[1], line=2, reference="P-1", full_name="Name One")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyListEntry.objects.create(party_list=lists[0], line=3, reference="P-1", full_name="Name Two")


def test_the_migration_check_names_every_duplicate_and_changes_nothing(world):
    """The check each constraint migration runs first (here on a field that is not keyed, to have duplicates)."""
    from peaceops.returns.models import Household

    a, b = _household(world, "M-1"), _household(world, "M-2", "Второй")
    c = _household(world, "M-3", "Третий")
    Household.objects.filter(pk__in=[a.pk, b.pk]).update(notes="same note")
    check = refuse_duplicates("returns", "household", ("notes",), skip_blank="notes", advice="Resolve them.")
    with pytest.raises(DuplicatesFound) as error:
        check(apps, None)
    message = str(error.value)
    assert "notes='same note'" in message and f"ids {a.pk}, {b.pk}" in message and str(c.pk) not in message
    assert "Nothing was changed" in message and "Resolve them." in message
    assert Household.objects.filter(pk__in=[a.pk, b.pk, c.pk]).count() == 3
    Household.objects.filter(pk=b.pk).update(notes="")
    check(apps, None)  # resolved: the migration goes on
