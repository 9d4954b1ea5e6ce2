import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from peaceops.returns.models import HouseholdState, ManifestEntry
from peaceops.returns.services import plan_convoy
from peaceops.returns.services.planning import NO_SEATS, TOO_LARGE, assign

DAY = dt.date(2020, 11, 22)


def test_assign_first_fit_keeps_households_whole_and_reports_the_rest():
    placed, unplaceable = assign([(1, 3), (2, 4), (3, 2), (4, 9), (5, 1), (6, 3)], [5, 5])
    assert placed == [(1, 0), (2, 1), (3, 0), (5, 1)]
    assert unplaceable == [(4, TOO_LARGE), (6, NO_SEATS)]


def test_plan_respects_capacity_priority_and_never_splits(corridor, household):
    late_vulnerable = household(3, vulnerable=True, registered="2020-11-20")
    early = household(4, registered="2020-11-10")
    middle = household(2, registered="2020-11-15")
    big = household(7, registered="2020-11-01")
    last = household(2, registered="2020-11-21")
    result = plan_convoy(corridor, DAY, [5, 4])
    placed = {pk for pk, _ in result.placed}
    # vulnerable first (3 on bus 1), then by registration: early (4 on bus 2), middle (2: bus 1 has 2 left)
    assert placed == {late_vulnerable.pk, early.pk, middle.pk}
    assert dict(result.unplaceable) == {big.pk: TOO_LARGE, last.pk: NO_SEATS}
    manifest = ManifestEntry.objects.filter(convoy=result.convoy)
    assert manifest.count() == 9 == result.people
    for vehicle in result.convoy.vehicles.all():
        assert vehicle.manifest.count() <= vehicle.seats
    for hh in (late_vulnerable, early, middle):
        assert manifest.filter(household=hh).values("vehicle").distinct().count() == 1  # never split
        hh.refresh_from_db()
        assert hh.state == HouseholdState.ASSIGNED
    last.refresh_from_db()
    assert last.state == HouseholdState.WAITING


def test_planned_households_are_not_planned_twice(corridor, household):
    household(2)
    first = plan_convoy(corridor, DAY, [10])
    second = plan_convoy(corridor, DAY, [10])
    assert first.people == 2 and second.people == 0


def test_household_with_no_members_is_reported(corridor, household):
    empty = household(1)
    empty.members.all().delete()
    empty.size = 0
    empty.save()
    result = plan_convoy(corridor, DAY, [10])
    assert result.unplaceable == [(empty.pk, "no_members")]


def test_bad_buses_refused_nothing_written(corridor, household):
    household(2)
    with pytest.raises(ValidationError):
        plan_convoy(corridor, DAY, [10, 0])
    assert not corridor.convoys.exists()
