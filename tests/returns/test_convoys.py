import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from peaceops.returns import services
from peaceops.returns.models import ConvoyStatus, HouseholdState, ManifestEntry, Movement, Returnee
from tests.returns.conftest import at, run_to_arrival

DAY = dt.date(2020, 11, 22)


@pytest.fixture
def planned(corridor, household):
    household(3)
    household(2, vulnerable=True)
    return services.plan_convoy(corridor, DAY, [40]).convoy


def test_full_run_planned_dispatched_checkpoints_arrived(planned):
    assert planned.status == ConvoyStatus.PLANNED
    new = run_to_arrival(planned, at("2020-11-22", 16))
    planned.refresh_from_db()
    assert planned.status == ConvoyStatus.ARRIVED and new == 5
    assert planned.passages.count() == 4  # Goris, Kornidzor, Berdzor/Lachin, Shushi/Shusha
    assert Movement.objects.filter(convoy=planned).count() == 5
    assert Returnee.objects.count() == 5
    assert not ManifestEntry.objects.filter(convoy=planned, active=True).exists()
    assert set(planned.manifest.values_list("household__state", flat=True)) == {HouseholdState.RETURNED}
    assert services.returned_as_of(DAY).total == 5


def test_dispatch_refused_when_corridor_closed(planned):
    services.set_corridor_status(planned.corridor, "closed", "rockfall near Berdzor", at=at("2020-11-22", 6))
    with pytest.raises(ValidationError, match="closed.*rockfall"):
        services.dispatch(planned, at=at("2020-11-22", 9))
    planned.refresh_from_db()
    assert planned.status == ConvoyStatus.PLANNED and planned.dispatched_at is None
    # reopened: the same dispatch goes through; status history is kept
    services.set_corridor_status(planned.corridor, "open", at=at("2020-11-22", 10))
    services.dispatch(planned, at=at("2020-11-22", 11))
    assert planned.corridor.status_changes.count() == 3


def test_closing_needs_a_reason(corridor):
    with pytest.raises(ValidationError):
        services.set_corridor_status(corridor, "closed", "")
    assert corridor.status_changes.count() == 1


def test_checkpoints_only_in_order(planned):
    services.dispatch(planned, at=at("2020-11-22", 8))
    checkpoints = planned.corridor.ordered_checkpoints()
    with pytest.raises(ValidationError, match="next is Goris checkpoint"):
        services.pass_checkpoint(planned, checkpoints[2], head_count=5, checked_by="x", at=at("2020-11-22", 9))
    assert not planned.passages.exists()
    services.pass_checkpoint(planned, checkpoints[1], head_count=5, checked_by="x", at=at("2020-11-22", 9))
    with pytest.raises(ValidationError, match="before"):
        services.pass_checkpoint(planned, checkpoints[2], head_count=5, checked_by="x", at=at("2020-11-22", 8, 30))
    with pytest.raises(ValidationError, match="not been passed"):
        services.arrive(planned, at=at("2020-11-22", 16))
    assert not Movement.objects.exists()


def test_arrival_before_departure_refused(planned):
    services.dispatch(planned, at=at("2020-11-22", 8))
    with pytest.raises(ValidationError, match="before the departure"):
        services.arrive(planned, at=at("2020-11-22", 7))
    assert not Movement.objects.exists()
    planned.refresh_from_db()
    assert planned.status == ConvoyStatus.DISPATCHED


def test_turn_back_puts_households_back_on_the_waiting_list(planned):
    services.dispatch(planned, at=at("2020-11-22", 8))
    services.turn_back(planned, "shelling reported ahead", at=at("2020-11-22", 10))
    planned.refresh_from_db()
    assert planned.status == ConvoyStatus.TURNED_BACK
    assert set(planned.manifest.values_list("household__state", flat=True)) == {HouseholdState.WAITING}
    assert not Movement.objects.exists()
    with pytest.raises(ValidationError):
        services.arrive(planned, at=at("2020-11-22", 12))
    # the households can be planned again
    assert services.plan_convoy(planned.corridor, DAY, [10]).people == 5


def test_person_on_two_manifests_refused(corridor, household, planned):
    other = services.create_convoy(corridor, DAY, [10])
    hh = planned.manifest.first().household
    hh.state = HouseholdState.WAITING  # pretend the registry lost track; the manifest constraint still holds
    hh.save()
    with pytest.raises(ValidationError, match="already on the manifest"):
        services.add_household_to_convoy(other, hh)
    assert not other.manifest.exists()


def test_manifest_over_seats_refused(corridor, household):
    convoy = services.create_convoy(corridor, DAY, [4])
    services.add_household_to_convoy(convoy, household(3))
    with pytest.raises(ValidationError, match="seats"):
        services.add_household_to_convoy(convoy, household(2))
    assert convoy.manifest.count() == 3
    # seats reduced by hand after the fact: dispatch refuses
    convoy.vehicles.update(seats=2)
    with pytest.raises(ValidationError, match="over the seats"):
        services.dispatch(convoy, at=at("2020-11-22", 8))


def test_manual_adjustment(corridor, household, planned):
    extra = household(1)
    services.add_household_to_convoy(planned, extra)
    assert planned.manifest.count() == 6
    services.remove_household_from_convoy(planned, extra)
    extra.refresh_from_db()
    assert extra.state == HouseholdState.WAITING and planned.manifest.count() == 5


def test_household_with_no_members_refused(world):
    with pytest.raises(ValidationError, match="at least one member"):
        services.register_household([], world["places"]["stepanakert"])


def test_cargo_only_convoy_runs_without_people(corridor):
    convoy = services.create_convoy(corridor, DAY, [0], escort="PK")
    services.add_cargo(convoy, "flour", "12.5", "t")
    assert run_to_arrival(convoy, at("2020-11-22", 15)) == 0
    convoy.refresh_from_db()
    assert convoy.status == ConvoyStatus.ARRIVED


def test_empty_convoy_not_dispatched(corridor):
    convoy = services.create_convoy(corridor, DAY, [10])
    with pytest.raises(ValidationError, match="neither people nor cargo"):
        services.dispatch(convoy, at=at("2020-11-22", 8))


def _bulk_event(model: str, note: str):
    from peaceops.core.models import AuditEvent

    return AuditEvent.objects.filter(action="bulk", model=model, object_repr=note).latest("id")


def test_arrival_writes_household_states_and_manifests_through_history_and_the_chain(planned):
    """Issue 18: the state changes of a convoy's households and manifest are not bare `.update()`s: each record
    gets a version in its history and its new digest in one chained event."""
    from peaceops.core.record_state import digest

    run_to_arrival(planned, at("2020-11-22", 16))
    households = {e.household for e in planned.manifest.select_related("household")}
    event = _bulk_event("returns.Household", f"arrived with convoy {planned.pk}")
    assert event.detail["states"] == {str(h.pk): digest(h) for h in households}
    for household in households:
        assert household.history.first().state == HouseholdState.RETURNED
    entries = list(ManifestEntry.objects.filter(convoy=planned))
    event = _bulk_event("returns.ManifestEntry", f"convoy {planned.pk} arrived")
    assert event.detail["states"] == {str(e.pk): digest(e) for e in entries}
    assert all(e.history.first().active is False for e in entries)


def test_turn_back_writes_household_states_through_history_and_the_chain(planned):
    from peaceops.core.record_state import digest

    services.dispatch(planned, at=at("2020-11-22", 8))
    revisions = {e.household_id: e.household.revision for e in planned.manifest.select_related("household")}
    services.turn_back(planned, "shelling reported ahead", at=at("2020-11-22", 10))
    households = {e.household for e in planned.manifest.select_related("household")}
    event = _bulk_event("returns.Household", f"convoy {planned.pk} turned back")
    assert event.detail["states"] == {str(h.pk): digest(h) for h in households}
    for household in households:
        assert household.revision == revisions[household.pk] + 1  # an open form of it is now stale
        assert household.history.first().state == HouseholdState.WAITING


def test_the_convoy_and_corridor_map_layers_cost_the_same_queries_for_one_convoy_or_many(
        corridor, household, client_for):
    """Issue 18: the GeoJSON is built in `returns.services.mapping` with a fixed number of queries (no query per
    convoy or corridor) and links from the URL conf."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = client_for("returns_officer")

    def layer(url):
        with CaptureQueriesContext(connection) as queries:
            features = client.get(url).json()["features"]
        return features, len(queries)

    goris, kornidzor = corridor.ordered_checkpoints()[1:3]

    def on_the_road():
        household(2)
        convoy = services.plan_convoy(corridor, DAY, [40]).convoy
        services.dispatch(convoy, at=at("2020-11-22", 8))
        services.pass_checkpoint(convoy, goris, head_count=2, checked_by="x", at=at("2020-11-22", 9))
        return convoy

    first = on_the_road()
    one, one_cost = layer("/returns/convoys.geojson")
    assert [f["properties"]["url"] for f in one] == [reverse("returns:convoy_detail", args=[first.pk])]
    assert "2 people" in one[0]["properties"]["summary"]
    for _ in range(3):
        on_the_road()
    services.pass_checkpoint(first, kornidzor, head_count=2, checked_by="x", at=at("2020-11-22", 10))
    many, many_cost = layer("/returns/convoys.geojson")
    assert len(many) == 4 and many_cost == one_cost
    seen = next(f for f in many if f["properties"]["url"].endswith(f"/{first.pk}/"))
    assert seen["geometry"]["coordinates"] == [float(kornidzor.place.longitude), float(kornidzor.place.latitude)]
    roads, road_cost = layer("/returns/corridors.geojson")
    services.create_corridor("A second road", [cp.place for cp in corridor.ordered_checkpoints()],
                             at=at("2020-11-13", 8))
    more_roads, more_road_cost = layer("/returns/corridors.geojson")
    assert len(more_roads) == len(roads) + 1 and more_road_cost == road_cost
    assert roads[0]["properties"]["url"] == reverse("returns:corridor_detail", args=[corridor.pk])


def test_planning_records_every_assigned_household_in_the_audit_chain(planned):
    """Issue 18, the one bulk state change kept as a queryset update: planning may place tens of thousands of
    households, so their new state goes to the chain as one event with each household's digest (what
    `verify --records` checks) and the manifest itself is their history, instead of one version per household."""
    from peaceops.core.record_state import digest

    households = {e.household for e in planned.manifest.select_related("household")}
    event = _bulk_event("returns.Household", f"assigned to convoy {planned.pk}")
    assert event.detail["states"] == {str(h.pk): digest(h) for h in households}
    assert {h.state for h in households} == {HouseholdState.ASSIGNED}


def test_arrival_with_a_carer_and_no_destination_anywhere_is_refused_with_a_reason(planned, world):
    """A carer (no household) on a convoy without a destination, whose last checkpoint names no district, has
    nowhere to land: the arrival is refused with what to do, and nothing is recorded (it was a database error)."""
    from peaceops.core.models import Person
    carer = Person.objects.create(sex="F", birth_year=1980)
    ManifestEntry.objects.create(convoy=planned, household=None, person=carer)
    type(planned).objects.filter(pk=planned.pk).update(destination=None)
    last = planned.corridor.ordered_checkpoints()[-1]
    type(last.place).objects.filter(pk=last.place_id).update(parent=None)
    planned.refresh_from_db()
    with pytest.raises(ValidationError, match="destination first: 1 person"):
        run_to_arrival(planned, at("2020-11-22", 16))
    assert not Movement.objects.filter(convoy=planned).exists()
