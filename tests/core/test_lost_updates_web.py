"""Lost updates on the web: two people open the same form; the second to save must not silently overwrite the
first. A stale form answers 409 naming who changed the record and when, with the user's input kept."""

import datetime as dt
import threading

import pytest
from concurrency.exceptions import RecordModifiedError
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client

from peaceops.core.context import acting_as
from peaceops.core.models import Place, Source, SourceReport
from peaceops.core.rolegrants import sanctioned
from tests.core.forms_in_pages import page_form

pytestmark = pytest.mark.django_db


def colleague(role: str, name: str) -> Client:
    user = User.objects.create_user(name, password="not-used-in-tests")
    with sanctioned():  # roles change only through the four-eyes service; a test grants directly
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def test_a_stale_record_write_is_refused_at_the_model(db):
    place = Place.objects.create(name="Model hamlet", kind="settlement", population=10)
    mine, theirs = Place.objects.get(pk=place.pk), Place.objects.get(pk=place.pk)
    theirs.population = 20
    theirs.save()
    mine.population = 30
    with pytest.raises(RecordModifiedError), transaction.atomic():
        mine.save()
    assert Place.objects.get(pk=place.pk).population == 20


def test_a_stale_place_form_gets_409_with_who_and_when_and_the_input_kept(client_for):
    place = Place.objects.create(name="Contested hamlet", kind="settlement", population=100)
    first, second = client_for("analyst"), colleague("analyst", "analyst-two")
    url = f"/places/{place.pk}/edit/"
    mine, theirs = page_form(first.get(url).content), page_form(second.get(url).content)
    assert mine["revision"] == [str(place.revision)]

    theirs["population"] = ["250"]
    assert second.post(url, theirs).status_code == 302
    mine["notes"] = ["Checked on the ground on 21 November."]
    response = first.post(url, mine)

    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by analyst-two at" in page and "Nothing was saved" in page
    assert "Checked on the ground on 21 November." in page  # the user's input is still in the form
    stored = Place.objects.get(pk=place.pk)
    assert (stored.population, stored.notes) == (250, "")
    # The returned form carries the current revision: saving it again applies the input, knowingly.
    again = page_form(response.content)
    assert again["revision"] == [str(stored.revision)]
    assert first.post(url, again).status_code == 302
    assert Place.objects.get(pk=place.pk).notes == "Checked on the ground on 21 November."


def test_a_form_without_a_revision_still_saves(client_for):
    """Pages opened before this change (or scripts) carry no revision: they save as before."""
    place = Place.objects.create(name="Old page hamlet", kind="settlement")
    data = page_form(client_for("analyst").get(f"/places/{place.pk}/edit/").content)
    del data["revision"]
    data["population"] = ["7"]
    assert client_for("analyst").post(f"/places/{place.pk}/edit/", data).status_code == 302


def test_a_stale_grade_gets_409(client_for):
    source = Source.objects.first()
    report = SourceReport.objects.create(source=source, received_at=dt.datetime(2020, 11, 21, tzinfo=dt.UTC),
                                         summary="Shelling heard near Martuni")
    url = f"/information/{report.pk}/grade/"
    first, second = client_for("analyst"), colleague("analyst", "analyst-three")
    mine, theirs = page_form(first.get(url).content), page_form(second.get(url).content)
    theirs.update(reliability=["B"], credibility=["2"])
    assert second.post(url, theirs).status_code == 302
    mine.update(reliability=["E"], credibility=["5"], note=["hearsay"])
    response = first.post(url, mine)
    assert response.status_code == 409 and b"analyst-three" in response.content and b"hearsay" in response.content
    assert SourceReport.objects.get(pk=report.pk).grade == "B2"


def test_a_stale_facility_form_gets_409(client_for, world):
    from peaceops.restoration.models import Facility
    from peaceops.restoration.services.facilities import save_facility

    town = world["places"]["stepanakert"]
    facility = save_facility(Facility(name="Pump 7", kind="pumping_station", place=town), settlements=[town])
    url = f"/restoration/facilities/{facility.pk}/edit/"
    first, second = client_for("engineer"), colleague("engineer", "engineer-two")
    mine, theirs = page_form(first.get(url).content), page_form(second.get(url).content)
    theirs["population_served"] = ["1200"]
    assert second.post(url, theirs).status_code == 302
    mine["notes"] = ["new impeller fitted"]
    response = first.post(url, mine)
    assert response.status_code == 409 and b"engineer-two" in response.content
    assert b"new impeller fitted" in response.content
    assert Facility.objects.get(pk=facility.pk).population_served == 1200


def test_a_stale_action_button_gets_the_conflict_page(client_for, world, users):
    """Lifecycle steps (here: an analyst's decision on an incident) post the revision too."""
    from peaceops.ceasefire import services
    from peaceops.ceasefire.models import Incident

    when = dt.datetime(2020, 12, 12, 10, tzinfo=dt.UTC)
    incident = services.file_incident(users["monitor"], {
        "occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20), "incident_type": "shelling",
        "sub_type": "mortar", "time_precision": "minute", "place": world["places"]["martuni"]},
        [(world["sources"]["observation_post"], "test report")])
    services.claim(Incident.objects.get(pk=incident.pk), users["analyst"])
    analyst = client_for("analyst")
    decision = page_form(analyst.get(f"/ceasefire/incidents/{incident.pk}/").content, action_contains="/decide/")
    with acting_as("analyst-two"):  # the record moves on meanwhile (here: its direction is corrected)
        other = Incident.objects.get(pk=incident.pk)
        other.bearing = "N"
        other.save()
    decision.update(outcome=["verified"], rationale=["two posts heard it"])
    response = analyst.post(f"/ceasefire/incidents/{incident.pk}/decide/", decision)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Changed by someone else" in page and "changed by analyst-two at" in page
    assert "two posts heard it" in page
    assert Incident.objects.get(pk=incident.pk).status == "under_review"
    # Applying the input to the current version works.
    assert analyst.post(f"/ceasefire/incidents/{incident.pk}/decide/", page_form(page)).status_code == 302
    assert Incident.objects.get(pk=incident.pk).status == "verified"


def test_a_write_landing_between_the_check_and_the_save_is_refused(client_for, monkeypatch):
    """The other user's save lands after this request checked the revision but before it writes: the write
    applies only to the revision the user saw, so it is refused rather than overwriting."""
    from django.db.models import F

    from peaceops.core import services

    place = Place.objects.create(name="Interleaved hamlet", kind="settlement", population=1)
    url = f"/places/{place.pk}/edit/"
    client = client_for("analyst")
    form = page_form(client.get(url).content)
    save_place = services.save_place

    def other_user_writes_first(p):
        Place.objects.filter(pk=p.pk).update(population=77, revision=F("revision") + 1)
        return save_place(p)

    monkeypatch.setattr(services, "save_place", other_user_writes_first)
    form["population"] = ["5"]
    assert client.post(url, form).status_code == 409
    # (The simulated write shares the refused request's transaction here, so it is rolled back with it.)
    assert Place.objects.get(pk=place.pk).population != 5


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the in-memory SQLite test database is shared-cache: "
                    "a second writer fails at once with 'table is locked' instead of waiting; the interleaving "
                    "test above covers SQLite")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_revision_let_exactly_one_through(live_world):
    """Both users submit the form they opened at the same revision at the same moment: one is saved, the other
    gets 409 — never both (the row is locked and the update applies only to the revision the user saw)."""
    from peaceops.core.roles import ANALYST

    place = Place.objects.create(name="Race hamlet", kind="settlement", population=1)
    url = f"/places/{place.pk}/edit/"
    clients = [colleague(ANALYST, f"racer-{i}") for i in range(2)]
    forms = [page_form(c.get(url).content) for c in clients]
    for i, form in enumerate(forms):
        form["population"] = [str(100 + i)]
    statuses: list[int] = []
    start = threading.Barrier(2)

    def submit(client, form):
        try:
            start.wait()
            statuses.append(client.post(url, form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, forms)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [302, 409]
    assert Place.objects.get(pk=place.pk).population in (100, 101)
