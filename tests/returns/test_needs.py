"""Issue 19 (2): needs per person, seat needs honoured by planning, buses grouped by destination — the
planning rules, the data migration, and the needs on the pages, the API, the command line and the import."""

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from peaceops.intake import tabular
from peaceops.returns import services
from peaceops.returns.forms import parse_buses, parse_member
from peaceops.returns.imports import REGISTRATION_SPEC
from peaceops.returns.models import Household, HouseholdMember, ManifestEntry
from peaceops.returns.services import MemberSpec, plan_convoy
from peaceops.returns.services.planning import (
    CARER_AWAY,
    NO_CARER,
    NO_ESCORT,
    NO_SEATS,
    NO_STRETCHER,
    Bus,
)

DAY = dt.date(2020, 11, 22)


@pytest.fixture
def family(world):
    """family([(name, needs, carer), ...], destination=..., registered=...) — needs as the form writes them."""
    counter = iter(range(1, 100000))

    def make(people, *, destination="stepanakert", registered="2020-11-12"):
        n = next(counter)
        members = [MemberSpec(name=f"Անուն{n} {name}", sex="F", birth_year=1950 + i, needs=needs.split(",")
                              if needs else (), carer=carer) for i, (name, needs, carer) in enumerate(people)]
        return services.register_household(members, world["places"][destination], reference=f"N{n}",
                                           registered_on=dt.date.fromisoformat(registered))

    return make


def _member(household, index=0):
    return household.members.order_by("id")[index]


def _vehicle_of(convoy, household):
    return set(ManifestEntry.objects.filter(convoy=convoy, household=household).values_list("vehicle__label",
                                                                                             flat=True))


# Planning rules -------------------------------------------------------------------------------------------------

def test_a_stretcher_case_never_goes_on_a_plain_bus(corridor, family):
    patient = family([("Patient", "medical,stretcher", 2), ("Daughter", "", None)])
    result = plan_convoy(corridor, DAY, [40, 40])
    assert dict(result.unplaceable) == {patient.pk: NO_STRETCHER}
    assert result.whom[patient.pk] == _member(patient).person_id  # which person, not just which household
    patient.refresh_from_db()
    assert patient.state == "waiting"


def test_a_stretcher_case_rides_the_ambulance_with_their_carer(corridor, family, household):
    plain = household(3)
    patient = family([("Patient", "stretcher", 2), ("Son", "", None)])
    result = plan_convoy(corridor, DAY, [40, Bus(2, stretchers=1)])
    assert not result.unplaceable
    assert _vehicle_of(result.convoy, patient) == {"Ambulance 2"}
    assert _vehicle_of(result.convoy, plain) == {"Bus 1"}  # the ambulance is not spent on a plain household
    # the stretcher place, not a seat: 2 people on 2 seats is within capacity and dispatch accepts it
    services.dispatch(result.convoy, at=dt.datetime(2020, 11, 22, 8, tzinfo=dt.UTC))


def test_a_wheelchair_user_takes_a_space_or_two_seats(corridor, family):
    first = family([("Rider", "wheelchair", None), ("Wife", "", None)])
    result = plan_convoy(corridor, DAY, [2])
    assert dict(result.unplaceable) == {first.pk: "too_large"}  # needs 3 seats on a bus with no space
    result = plan_convoy(corridor, DAY, [3])
    assert result.placed and result.people == 2


def test_a_wheelchair_space_saves_the_seats(corridor, family):
    family([("Rider", "wheelchair", None), ("Wife", "", None)])
    result = plan_convoy(corridor, DAY, [Bus(1, wheelchair_spaces=1)])
    assert result.people == 2 and not result.unplaceable


def test_a_carer_from_another_household_travels_on_the_same_vehicle(corridor, family, household):
    carer_home = family([("Neighbour", "", None)], registered="2020-11-20")
    cared = family([("Grandmother", "elderly", None)])
    HouseholdMember.objects.filter(pk=_member(cared).pk).update(seat_needs=["carer"],
                                                                carer=_member(carer_home).person)
    filler = household(4, registered="2020-11-15")
    result = plan_convoy(corridor, DAY, [4, 4])
    assert not result.unplaceable
    assert _vehicle_of(result.convoy, cared) == _vehicle_of(result.convoy, carer_home)
    assert _vehicle_of(result.convoy, filler) != _vehicle_of(result.convoy, cared)


def test_a_carer_from_no_household_gets_a_seat_beside(corridor, family, world):
    from peaceops.core.models import Person

    nurse = Person.objects.create(sex="F", birth_year=1980)
    cared = family([("Grandfather", "disabled", None)])
    HouseholdMember.objects.filter(pk=_member(cared).pk).update(seat_needs=["carer"], carer=nurse)
    result = plan_convoy(corridor, DAY, [2])
    carer_entry = ManifestEntry.objects.get(convoy=result.convoy, person=nurse)
    assert carer_entry.household_id is None and result.people == 2
    assert carer_entry.vehicle.label in _vehicle_of(result.convoy, cared)


def test_a_missing_or_absent_carer_is_reported_with_the_person(corridor, family, household):
    no_carer = family([("Alone", "", None)])
    HouseholdMember.objects.filter(pk=_member(no_carer).pk).update(seat_needs=["carer"])
    away_home = family([("Carer", "", None)])
    away = family([("Cared", "", None)])
    HouseholdMember.objects.filter(pk=_member(away).pk).update(seat_needs=["carer"], carer=_member(away_home).person)
    Household.objects.filter(pk=away_home.pk).update(state="returned")
    result = plan_convoy(corridor, DAY, [40])
    assert dict(result.unplaceable) == {no_carer.pk: NO_CARER, away.pk: CARER_AWAY}
    assert result.whom == {no_carer.pk: _member(no_carer).person_id, away.pk: _member(away).person_id}


def test_an_unaccompanied_child_travels_only_with_a_child_escort(corridor, family):
    child = family([("Child", "unaccompanied_child", None)])
    result = plan_convoy(corridor, DAY, [40])
    assert dict(result.unplaceable) == {child.pk: NO_ESCORT}
    assert result.whom[child.pk] == _member(child).person_id
    result = plan_convoy(corridor, DAY, [40, Bus(20, child_escort=True)])
    assert _vehicle_of(result.convoy, child) == {"Bus 2"}


def test_buses_are_grouped_by_destination(corridor, household):
    a1, b1 = household(2, destination="stepanakert"), household(2, destination="martuni")
    a2, b2 = household(2, destination="stepanakert"), household(2, destination="martuni")
    result = plan_convoy(corridor, DAY, [5, 5])
    assert _vehicle_of(result.convoy, a1) == _vehicle_of(result.convoy, a2)
    assert _vehicle_of(result.convoy, b1) == _vehicle_of(result.convoy, b2)
    assert _vehicle_of(result.convoy, a1) != _vehicle_of(result.convoy, b1)
    assert not result.mixed


def test_a_later_household_going_the_same_way_fills_the_bus_rather_than_mixing(corridor, household):
    a1, b1, a2 = household(2), household(2, destination="martuni"), household(2)
    result = plan_convoy(corridor, DAY, [4])
    assert {pk for pk, _v in result.placed} == {a1.pk, a2.pk} and dict(result.unplaceable) == {b1.pk: NO_SEATS}
    assert not result.mixed


def test_a_shared_bus_is_reported_when_unavoidable(corridor, household):
    household(2, destination="stepanakert")
    household(2, destination="martuni")
    result = plan_convoy(corridor, DAY, [4])
    assert result.people == 4 and list(result.mixed) == [0] and len(result.mixed[0]) == 2


def test_hand_adding_honours_needs_and_names_the_person(corridor, family):
    patient = family([("Patient", "stretcher", 2), ("Son", "", None)])
    convoy = services.create_convoy(corridor, DAY, [40])
    with pytest.raises(ValidationError) as refused:
        services.add_household_to_convoy(convoy, patient)
    assert "stretcher" in str(refused.value) and f"#{_member(patient).person_id}" in str(refused.value)
    assert not convoy.manifest.exists()


def test_needs_are_validated_at_registration(world):
    with pytest.raises(ValidationError, match="Unknown need: strecher"):
        services.register_household([MemberSpec(name="A B", needs=["strecher"])], world["places"]["stepanakert"])
    with pytest.raises(ValidationError, match="name the carer"):
        services.register_household([MemberSpec(name="A B", needs=["carer"])], world["places"]["stepanakert"])
    with pytest.raises(ValidationError, match="another member"):
        services.register_household([MemberSpec(name="A B", carer=1)], world["places"]["stepanakert"])
    household = services.register_household(
        [MemberSpec(name="A B", needs=["Elderly", "wheel chair"], carer=2), MemberSpec(name="C D")],
        world["places"]["stepanakert"])
    head = _member(household)
    assert (head.needs, head.seat_needs) == (["elderly"], ["carer", "wheelchair"])
    assert head.carer_id == _member(household, 1).person_id
    assert household.vulnerabilities == ["elderly"] and household.is_vulnerable


def test_bus_specs():
    assert parse_buses("40, 2x4+1s, 30+2w+e") == [Bus(40), Bus(4, 1), Bus(4, 1), Bus(30, 0, 2, True)]
    with pytest.raises(ValidationError):
        parse_buses("40+x")


def test_migration_gives_household_needs_to_the_members_they_concern(world):
    household = services.register_household(
        [MemberSpec(name="Head Man", sex="M", birth_year=1980), MemberSpec(name="Old Woman", sex="F", birth_year=1940),
         MemberSpec(name="Young Woman", sex="F", birth_year=1995), MemberSpec(name="Small Boy", sex="M",
                                                                               birth_year=2015)],
        world["places"]["stepanakert"], registered_on=dt.date(2020, 11, 12))
    old_list = ["elderly", "medical", "pregnant", "unaccompanied_child"]
    Household.objects.filter(pk=household.pk).update(vulnerabilities=old_list, is_vulnerable=True)
    HouseholdMember.objects.filter(household=household).update(needs=[])
    migration = importlib.import_module("peaceops.returns.migrations.0006_person_needs")
    migration.needs_to_members(apps, None)
    needs = [m.needs for m in household.members.order_by("id")]
    assert needs == [["medical"], ["elderly"], ["pregnant"], ["unaccompanied_child"]]
    household.refresh_from_db()
    assert household.vulnerabilities == old_list  # nothing lost


# Pages, API, command line, import ----------------------------------------------------------------------------

def test_registration_form_takes_needs_per_member(client_for, world):
    member = parse_member("Anahit; F; 1941; mother; elderly, wheelchair; 2", 1)
    assert (member.needs, member.seat_needs, member.carer) == (["elderly"], ["wheelchair"], 2)
    client = client_for("returns_officer")
    form = client.get("/returns/households/new/").content.decode()
    assert "stretcher" in form and "unaccompanied child" in form
    bad = client.post("/returns/households/new/", {"members": "Anahit Petrosyan; F; 1941; mother; strecher",
                                                    "destination": "Stepanakert"}).content.decode()
    assert "Line 1" in bad and "strecher" in bad
    response = client.post("/returns/households/new/", {
        "members": "Anahit Petrosyan; F; 1941; mother; elderly, wheelchair; 2\nAram Petrosyan; M; 1970; son",
        "destination": "Stepanakert"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "wheelchair" in page and "elderly" in page and "Aram Petrosyan" in page


def test_plan_page_manifest_and_printable_manifest_show_needs(client_for, corridor, family):
    patient = family([("Patient", "medical,stretcher", 2), ("Son", "", None)])
    family([("Boy", "unaccompanied_child", None)])
    client = client_for("returns_officer")
    plan = client.get("/returns/convoys/plan/").content.decode()
    assert 'id="waiting-needs"' in plan and "stretcher: 1 person" in plan
    response = client.post("/returns/convoys/plan/", {"corridor": corridor.pk, "date": "2020-11-23",
                                                      "buses": "40, 2+1s", "escort": "PK"})
    convoy = corridor.convoys.get()
    detail = client.get(response["Location"]).content.decode()
    assert "1 stretcher places" in detail and "stretcher" in detail
    boy = Household.objects.get(reference__startswith="N", size=1)
    assert f"person #{_member(boy).person_id}" in detail  # the unaccompanied child, not placed, by person
    printed = client.get(f"/returns/convoys/{convoy.pk}/manifest/").content.decode()
    assert "@media print" in printed and "Ambulance 2" in printed and "medical, stretcher" in printed
    assert "Son" in printed and str(patient) in printed
    assert client_for("analyst").get(f"/returns/convoys/{convoy.pk}/manifest/").status_code == 404


def test_api_needs_and_plan_with_vehicle_equipment(api_for, corridor, world):
    api = api_for("returns_officer")
    created = api.post("/api/returns/households/", {
        "members": [{"name": "Армен Петросян", "birth_year": 1940, "needs": ["elderly", "stretcher"], "carer": 2},
                    {"name": "Ани Петросян", "sex": "F"}], "destination": "Stepanakert"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    head, other = body["members"]
    assert head["seat_needs"] == ["carer", "stretcher"] and head["carer"] == other["person"]
    bad = api.post(f"/api/returns/households/{body['id']}/needs/", {"person": other["person"], "needs": ["xyz"]},
                   format="json")
    assert bad.status_code == 400 and "xyz" in str(bad.json())
    ok = api.post(f"/api/returns/households/{body['id']}/needs/", {"person": other["person"],
                                                                   "needs": ["pregnant"]}, format="json")
    assert ok.status_code == 200 and ok.json()["vulnerabilities"] == ["elderly", "pregnant"]
    refused = api_for("coordinator").post(f"/api/returns/households/{body['id']}/needs/",
                                          {"person": other["person"], "needs": []}, format="json")
    assert refused.status_code == 403
    data = api.post("/api/returns/convoys/plan/", {"corridor": corridor.pk, "date": "2020-11-24",
                                                   "buses": ["45"]}, format="json").json()
    assert data["unplaceable"][0]["code"] == NO_STRETCHER and data["unplaceable"][0]["person"] == head["person"]
    data = api.post("/api/returns/convoys/plan/", {"corridor": corridor.pk, "date": "2020-11-24",
                                                   "buses": ["45", "3+1s"]}, format="json").json()
    assert data["people"] == 2 and data["convoy"]["vehicles"][1]["stretchers"] == 1


def test_cli_needs_and_plan(corridor, family):
    child = family([("Child", "unaccompanied_child", None)])
    out = io.StringIO()
    call_command("returns", "needs", child.reference, stdout=out)
    assert "unaccompanied child" in out.getvalue()
    person = _member(child).person_id
    call_command("returns", "needs", child.reference, "--person", str(person), "--set", "elderly", stdout=out)
    assert _member(child).needs == ["elderly"]
    call_command("returns", "needs", child.reference, "--person", str(person), "--set", "unaccompanied_child",
                 stdout=out)
    out = io.StringIO()
    call_command("returns", "plan", "--date", "2020-11-24", "--buses", "40", stdout=out)
    assert f"household {child.pk} (person {person})" in out.getvalue() and "escort" in out.getvalue()


IMPORT = """household,name,sex,birth_date,relationship,destination,needs,carer
N-1,Anahit Sargsyan,F,1940,head,Stepanakert,"elderly, wheelchair",Aram Sargsyan
N-1,Aram Sargsyan,M,1970,son,Stepanakert,,
N-2,Mariam Grigoryan,F,1990,head,Stepanakert,strecher,
N-3,Lilit Hakobyan,F,1950,head,Stepanakert,carer,
N-3,Gor Hakobyan,M,1980,son,Stepanakert,,
N-3,Nune Hakobyan,F,1945,mother,Stepanakert,"medical, stretcher",Gor Hakobyan
N-4,Ani Avetisyan,F,2010,head,Stepanakert,unaccompanied child; pregnancy,
"""


def test_import_reads_needs_and_reports_dirty_values_by_line(db):
    batch = tabular.run_import(REGISTRATION_SPEC, IMPORT.encode(), "needs.csv", None)
    errors = {row.line: "; ".join(row.errors) for row in batch.quarantined_rows.all()}
    # the carer is listed after the person (line 2): refused with the reason; so is the unknown need and a
    # "carer" with no carer named
    assert set(errors) == {2, 4, 5}, errors
    assert "Aram Sargsyan" in errors[2] and "listed before" in errors[2]
    assert "strecher" in errors[4]
    assert "carer column" in errors[5]
    nune = HouseholdMember.objects.get(person__names__full_name="Nune Hakobyan")
    gor = HouseholdMember.objects.get(person__names__full_name="Gor Hakobyan")
    assert nune.seat_needs == ["carer", "stretcher"] and nune.carer_id == gor.person_id
    ani = Household.objects.get(reference="N-4")
    assert ani.vulnerabilities == ["pregnant", "unaccompanied_child"] and ani.is_vulnerable


def test_a_corrected_row_resubmitted_alone_takes_its_carer(db):
    from peaceops.returns.imports import save_registration_row

    row = {"household": "R-1", "name": "Gor Hakobyan", "destination": "Stepanakert", "vulnerabilities": "",
           "carer": ""}
    household = save_registration_row(row)
    with pytest.raises(Exception, match="listed before"):
        save_registration_row({**row, "name": "Nune Hakobyan", "vulnerabilities": "stretcher", "carer": "Nobody"})
    household = save_registration_row({**row, "name": "Nune Hakobyan", "vulnerabilities": "stretcher",
                                       "carer": "Gor Hakobyan"})
    nune = household.members.get(person__names__full_name="Nune Hakobyan")
    assert nune.seat_needs == ["carer", "stretcher"] and nune.carer_id == household.head_id
    household.refresh_from_db()
    assert household.is_vulnerable and household.size == 2
