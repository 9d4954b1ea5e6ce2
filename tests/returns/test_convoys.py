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
