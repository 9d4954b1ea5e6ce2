"""The API's integrity rules: ETag / If-Match against lost updates, Idempotency-Key against duplicated retries."""

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from rest_framework.test import APIClient

from peaceops.core.context import acting_as
from peaceops.core.models import IdempotencyKey, Place, Source
from peaceops.core.rolegrants import sanctioned

pytestmark = pytest.mark.django_db


def colleague_api(role: str, name: str) -> APIClient:
    user = User.objects.create_user(name, password="not-used-in-tests")
    with sanctioned():  # roles change only through the four-eyes service; a test grants directly
        user.groups.add(Group.objects.get(name=role))
    client = APIClient()
    client.force_authenticate(user)
    return client


# ------------------------------------------------------------------------------------------ If-Match

@pytest.fixture
def records(world):
    """One record behind each API update endpoint: (role that writes it, url, a change, the record)."""
    from peaceops.core.models import Organisation
    from peaceops.restoration.models import Facility, HazardousArea, Work
    from peaceops.restoration.services import facilities, mine_action, works

    town = world["places"]["stepanakert"]
    place = Place.objects.create(name="Api hamlet", kind="settlement")
    facility = facilities.save_facility(Facility(name="Pump 9", kind="pumping_station", place=town),
                                        settlements=[town])
    work = works.save_work(Work(organisation=Organisation.objects.get(acronym="POWER"), activity="Rewire",
                                facility=facility))
    area = mine_action.save_hazardous_area(HazardousArea(
        code="HA-API", name="Field by the road", place=town, hazard="mines", reported_on=dt.date(2020, 11, 20),
        geometry={"type": "Point", "coordinates": [46.75, 39.81]}))
    return {
        "place": ("analyst", f"/api/places/{place.pk}/", {"population": 321}, place),
        "facility": ("engineer", f"/api/restoration/facilities/{facility.pk}/", {"population_served": 900},
                     facility),
        "work": ("engineer", f"/api/restoration/works/{work.pk}/", {"activity": "Rewire the feeder"}, work),
        "area": ("engineer", f"/api/restoration/hazardous-areas/{area.pk}/", {"name": "Field east"}, area),
    }


@pytest.mark.parametrize("kind", ["place", "facility", "work", "area"])
def test_every_update_endpoint_needs_a_current_precondition(api_for, records, kind):
    role, url, change, record = records[kind]
    api = api_for(role)
    read = api.get(url)
    record.refresh_from_db()
    assert read.status_code == 200 and read["ETag"] == f'"{record.revision}"'
    tag = read["ETag"]

    blind = api.patch(url, change, format="json")
    assert blind.status_code == 428 and "If-Match" in blind.json()["detail"]

    with acting_as("someone-else"):  # another user's change lands first
        type(record).objects.get(pk=record.pk).save()

    stale = api.patch(url, change, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert stale.json()["changed_by"] == "someone-else" and "Nothing was saved" in stale.json()["detail"]
    assert stale["ETag"] != tag

    stale_body = api.patch(url, {**change, "revision": int(tag.strip('"'))}, format="json")
    assert stale_body.status_code == 409

    fresh = api.get(url)["ETag"]
    done = api.patch(url, change, format="json", HTTP_IF_MATCH=fresh)
    assert done.status_code == 200, done.content
    assert done["ETag"] == f'"{int(fresh.strip(chr(34))) + 1}"'
    assert api.patch(url, change, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_put_with_the_current_etag_saves_and_a_weak_tag_never_matches(api_for):
    place = Place.objects.create(name="Put hamlet", kind="settlement")
    api = api_for("analyst")
    tag = api.get(f"/api/places/{place.pk}/")["ETag"]
    body = {"name": "Put hamlet", "kind": "settlement", "population": 12}
    assert api.put(f"/api/places/{place.pk}/", body, format="json", HTTP_IF_MATCH=f"W/{tag}").status_code == 412
    assert api.put(f"/api/places/{place.pk}/", body, format="json", HTTP_IF_MATCH=tag).status_code == 200
    assert Place.objects.get(pk=place.pk).population == 12


def test_an_action_on_a_record_honours_if_match_when_sent(api_for, world, users):
    from peaceops.ceasefire import services
    from peaceops.ceasefire.models import Incident

    when = dt.datetime(2020, 12, 12, 10, tzinfo=dt.UTC)
    incident = services.file_incident(users["monitor"], {
        "occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20), "incident_type": "shelling",
        "sub_type": "mortar", "time_precision": "minute", "place": world["places"]["martuni"]},
        [(world["sources"]["observation_post"], "test report")])
    api = api_for("analyst")
    tag = api.get(f"/api/ceasefire/incidents/{incident.pk}/")["ETag"]
    with acting_as("analyst-two"):
        other = Incident.objects.get(pk=incident.pk)
        other.bearing = "N"
        other.save()
    url = f"/api/ceasefire/incidents/{incident.pk}/claim/"
    assert api.post(url, HTTP_IF_MATCH=tag).status_code == 412
    assert Incident.objects.get(pk=incident.pk).status == "reported"
    assert api.post(url).status_code == 200  # without If-Match an action runs (its service checks the state)


def test_a_write_landing_between_the_check_and_the_save_is_refused(api_for, monkeypatch):
    from django.db.models import F

    from peaceops.core import services

    place = Place.objects.create(name="Api interleaved", kind="settlement", population=1)
    api = api_for("analyst")
    tag = api.get(f"/api/places/{place.pk}/")["ETag"]
    monkeypatch.setattr("peaceops.core.api.PlaceViewSet.perform_update", lambda self, serializer: (
        Place.objects.filter(pk=place.pk).update(revision=F("revision") + 1), serializer.save()))
    del services  # the viewset saves through its serializer
    response = api.patch(f"/api/places/{place.pk}/", {"population": 5}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert Place.objects.get(pk=place.pk).population == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the in-memory SQLite test database is shared-cache: "
                    "a second writer fails at once with 'table is locked' instead of waiting; the interleaving "
                    "test above covers SQLite")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_patches_with_one_etag_let_exactly_one_through(live_world):
    place = Place.objects.create(name="Api race", kind="settlement", population=1)
    url = f"/api/places/{place.pk}/"
    clients = [colleague_api("analyst", f"api-racer-{i}") for i in range(2)]
    tag = clients[0].get(url)["ETag"]
    statuses: list[int] = []
    start = threading.Barrier(2)

    def patch(client, population):
        try:
            start.wait()
            statuses.append(client.patch(url, {"population": population}, format="json",
                                         HTTP_IF_MATCH=tag).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(c, 100 + i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 412]


# ---------------------------------------------------------------------------------------- Idempotency-Key

def _creates(world):
    patrol = Source.objects.get(kind="patrol")
    return {
        "place": ("analyst", "/api/places/", {"name": "Retry hamlet", "kind": "settlement"}),
        "source report": ("monitor", "/api/source-reports/", {
            "source": patrol.pk, "received_at": "2020-12-12T08:00:00Z", "summary": "Small-arms fire heard"}),
        "incident": ("monitor", "/api/ceasefire/incidents/", {
            "occurred_from": "2020-12-12T10:00:00+04:00", "place_name": "Hadrut", "incident_type": "shelling",
            "sub_type": "artillery", "sources_in": [{"source": patrol.pk, "summary": "Seen"}]}),
        "household": ("returns_officer", "/api/returns/households/", {
            "members": [{"name": "Армен Петросян", "sex": "M", "birth_year": 1960}], "destination": "Ханкенди"}),
        "missing case": ("exchange_officer", "/api/exchanges/missing-cases/", {
            "reported_by": "his mother", "reported_on": "2020-11-20", "last_seen_on": "2020-10-20",
            "person": {"name": "Давид Акопян", "sex": "M", "birth_date": "1987-11-20"}}),
        "facility": ("engineer", "/api/restoration/facilities/", {
            "name": "Retry mast", "kind": "telecom", "place": world["places"]["stepanakert"].pk,
            "settlements": ["Шуша"]}),
        "sitrep": ("coordinator", "/api/sitreps/", {"day": "2020-11-25"}),
    }


@pytest.mark.parametrize("kind", ["place", "source report", "incident", "household", "missing case", "facility",
                                  "sitrep"])
def test_a_retried_create_replays_the_first_answer_and_creates_once(api_for, world, kind):
    role, url, body = _creates(world)[kind]
    api = api_for(role)
    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=f"retry-{kind}")
    assert first.status_code == 201, first.content
    listed = api.get(url).json()
    count = listed["count"] if isinstance(listed, dict) and "count" in listed else len(listed)
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=f"retry-{kind}")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    listed = api.get(url).json()
    assert (listed["count"] if isinstance(listed, dict) and "count" in listed else len(listed)) == count


def test_the_same_key_with_another_body_is_refused(api_for):
    api = api_for("analyst")
    api.post("/api/places/", {"name": "Keyed hamlet", "kind": "settlement"}, format="json",
             HTTP_IDEMPOTENCY_KEY="k-1")
    other = api.post("/api/places/", {"name": "Another hamlet", "kind": "settlement"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    assert not Place.objects.filter(name="Another hamlet").exists()


def test_keys_are_scoped_per_user(api_for):
    body = {"name": "Shared key hamlet", "kind": "settlement"}
    first = api_for("analyst").post("/api/places/", body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    second = colleague_api("analyst", "analyst-key").post("/api/places/", {**body, "name": "Other user's hamlet"},
                                                          format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert first.status_code == second.status_code == 201 and first.json()["id"] != second.json()["id"]


def test_keys_expire_after_the_configured_time(api_for, settings):
    from django.utils import timezone

    api = api_for("analyst")
    body = {"name": "Expiring hamlet", "kind": "settlement"}
    first = api.post("/api/places/", body, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.filter(key="old").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    later = api.post("/api/places/", body, format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert later.status_code == 201 and later.json()["id"] != first.json()["id"]
    settings.PEACEOPS_IDEMPOTENCY_TTL_HOURS = 48
    api.post("/api/places/", {**body, "name": "Long kept"}, format="json", HTTP_IDEMPOTENCY_KEY="long")
    kept = IdempotencyKey.objects.get(key="long")
    assert dt.timedelta(hours=47) < kept.expires_at - kept.created_at <= dt.timedelta(hours=48)


def test_a_refused_create_is_replayed_as_refused_and_a_bad_key_is_named(api_for):
    api = api_for("analyst")
    bad = {"name": "", "kind": "settlement"}
    first = api.post("/api/places/", bad, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")
    assert first.status_code == 400
    assert api.post("/api/places/", bad, format="json", HTTP_IDEMPOTENCY_KEY="bad-1").json() == first.json()
    assert api.post("/api/places/", bad, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300).status_code == 400


def test_a_server_error_releases_the_key_so_the_retry_runs(api_for, monkeypatch):
    from peaceops.core.api import PlaceViewSet

    api = api_for("analyst")
    api.raise_request_exception = False
    original = PlaceViewSet.perform_create
    monkeypatch.setattr(PlaceViewSet, "perform_create", lambda self, s: 1 / 0)
    body = {"name": "Flaky hamlet", "kind": "settlement"}
    assert api.post("/api/places/", body, format="json", HTTP_IDEMPOTENCY_KEY="flaky").status_code == 500
    monkeypatch.setattr(PlaceViewSet, "perform_create", original)
    assert api.post("/api/places/", body, format="json", HTTP_IDEMPOTENCY_KEY="flaky").status_code == 201
