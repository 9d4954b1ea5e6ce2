import datetime as dt

from django.test import override_settings

from peaceops.core import mission
from peaceops.core.models import Person
from peaceops.returns import services
from peaceops.returns.models import Returnee
from tests.returns.conftest import at, run_to_arrival


def _trip(corridor, households, arrival):
    convoy = services.create_convoy(corridor, arrival.date(), [50])
    for hh in households:
        hh.refresh_from_db()  # the previous trip moved it on (arrival): edit the stored household, not a stale copy
        hh.state = "waiting"
        hh.save()
        services.add_household_to_convoy(convoy, hh)
    run_to_arrival(convoy, arrival)
    return convoy


def test_as_of_counts_by_destination_and_last_24h(corridor, household):
    a, b = household(3), household(2, destination="shushi")
    _trip(corridor, [a], at("2020-11-20", 15))
    _trip(corridor, [b], at("2020-11-21", 15))
    count = services.returned_as_of(dt.date(2020, 11, 21))
    assert count.total == 5 and count.last_24h == 2
    assert {p.name: n for p, n in count.by_destination} == {"Stepanakert / Khankendi": 3, "Shushi / Shusha": 2}
    assert services.returned_as_of(dt.date(2020, 11, 20)).total == 3
    assert services.returned_as_of(dt.date(2020, 11, 19)).total == 0


def test_second_trip_counts_once(corridor, household):
    a = household(3)
    _trip(corridor, [a], at("2020-11-20", 15))
    _trip(corridor, [a], at("2020-11-25", 15))
    assert services.returned_as_of(dt.date(2020, 11, 30)).total == 3
    assert services.returned_as_of(dt.date(2020, 11, 25)).last_24h == 0


def test_merged_duplicate_counts_once_and_keeps_earliest(corridor, household):
    a, b = household(1), household(1)
    _trip(corridor, [a], at("2020-11-20", 15))
    _trip(corridor, [b], at("2020-11-18", 15))
    assert services.returned_as_of(dt.date(2020, 11, 30)).total == 2
    survivor, duplicate = a.head, b.head
    duplicate.merged_into = survivor  # linkage confirmed: the same person registered twice
    duplicate.save()
    assert services.returned_as_of(dt.date(2020, 11, 30)).total == 1
    assert services.returned_as_of(dt.date(2020, 11, 18)).total == 1  # the earlier arrival is the one kept
    assert Returnee.objects.get().person_id == survivor.pk
    # arrivals after the merge: the duplicate record maps to the survivor
    _trip(corridor, [b], at("2020-11-26", 15))
    assert services.returned_as_of(dt.date(2020, 11, 30)).total == 1
    assert services.rebuild_tallies() == 1
    assert services.returned_as_of(dt.date(2020, 11, 30)).total == 1


def test_an_undone_merge_counts_both_people_again_without_a_rebuild(corridor, household, users):
    from peaceops.core import identity

    a, b = household(1), household(1)
    _trip(corridor, [a], at("2020-11-20", 15))
    _trip(corridor, [b], at("2020-11-18", 15))
    identity.confirm_same_person(b.head, a.head, users["returns_officer"], "same passport number")
    assert services.returned_as_of(dt.date(2020, 11, 30)).total == 1
    identity.separate(b.head, users["returns_officer"], "the passport was misread: two people")
    assert services.returned_as_of(dt.date(2020, 11, 30)).total == 2
    assert services.returned_as_of(dt.date(2020, 11, 18)).total == 1  # b on its own arrival day
    assert services.returned_as_of(dt.date(2020, 11, 20)).last_24h == 1  # a counted again on the 20th
    assert sorted(Returnee.objects.values_list("person_id", flat=True)) == sorted([a.head.pk, b.head.pk])
    figures = [(d, services.returned_as_of(d).total) for d in (dt.date(2020, 11, 18), dt.date(2020, 11, 30))]
    services.rebuild_tallies()  # what a full rebuild would say: the same
    assert figures == [(d, services.returned_as_of(d).total) for d, _n in figures]


def test_local_day_boundary_utc_plus_4(corridor, household):
    a, b = household(2), household(3)
    # 23:30 local on the 20th is 19:30 UTC on the 20th; 00:30 local on the 21st is 20:30 UTC on the 20th
    _trip(corridor, [a], at("2020-11-20", 23, 30))
    _trip(corridor, [b], at("2020-11-21", 0, 30))
    assert services.returned_as_of(dt.date(2020, 11, 20)).total == 2
    assert services.returned_as_of(dt.date(2020, 11, 21)).total == 5
    rows = services.daily_first_arrivals(dt.date(2020, 11, 20), dt.date(2020, 11, 21))
    assert rows == [(dt.date(2020, 11, 20), 2, 2), (dt.date(2020, 11, 21), 3, 5)]


@override_settings(PEACEOPS_DAY_CUTOFF="19:30")
def test_day_cutoff_is_honoured(corridor, household):
    a, b = household(2), household(3)
    _trip(corridor, [a], at("2020-11-20", 19, 29))
    _trip(corridor, [b], at("2020-11-20", 19, 30))  # exactly at the cut-off: next day
    assert services.returned_as_of(dt.date(2020, 11, 20)).total == 2
    assert services.returned_as_of(dt.date(2020, 11, 21)).total == 5


def test_rebuild_matches_incremental(corridor, household):
    _trip(corridor, [household(2), household(4)], at("2020-11-20", 15))
    _trip(corridor, [household(1)], at("2020-11-22", 3))
    before = [services.returned_as_of(dt.date(2020, 11, d)).total for d in (19, 20, 21, 22)]
    services.rebuild_tallies()
    assert [services.returned_as_of(dt.date(2020, 11, d)).total for d in (19, 20, 21, 22)] == before == [0, 6, 6, 7]
    assert Person.objects.count() >= 7


def test_daily_series_matches_the_as_of_count_in_a_fixed_number_of_queries(corridor, household,
                                                                           django_assert_max_num_queries):
    # Arrivals on both sides of the local-midnight cut-off (20:00 UTC) and on a day with none before it.
    _trip(corridor, [household(2)], at("2020-11-18", 9))
    _trip(corridor, [household(3)], at("2020-11-20", 23, 30))
    _trip(corridor, [household(4)], at("2020-11-21", 0, 30))
    _trip(corridor, [household(1)], at("2020-11-24", 17))
    first, last = dt.date(2020, 11, 16), dt.date(2020, 11, 25)
    mission.current()  # the mission's reporting rules are read once per process, not per count
    with django_assert_max_num_queries(2):
        rows = services.daily_first_arrivals(first, last)
    expected, previous = [], services.returned_as_of(first - dt.timedelta(days=1)).total
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        total = services.returned_as_of(day).total
        expected.append((day, total - previous, total))
        previous = total
    assert rows == expected
    assert rows[-1][2] == 10 and [r[1] for r in rows if r[1]] == [2, 3, 4, 1]
    assert len(services.daily_first_arrivals(dt.date(2020, 11, 10), dt.date(2021, 3, 1))) == 112


def test_as_of_agrees_with_the_returnee_registry_in_three_queries(corridor, household, django_assert_max_num_queries):
    # Arrivals either side of UTC midnight and of the local cut-off, so the 24 hours before a period's end span
    # the day tally and two days' minute tallies.
    _trip(corridor, [household(2)], at("2020-11-18", 9))
    _trip(corridor, [household(3, destination="shushi")], at("2020-11-20", 23, 30))
    _trip(corridor, [household(4)], at("2020-11-21", 0, 30))
    _trip(corridor, [household(1, destination="shushi")], at("2020-11-21", 19, 59))
    _trip(corridor, [household(5)], at("2020-11-22", 20, 1))
    mission.current()  # the mission's reporting rules are read once per process, not per count
    from peaceops.core.reporting import ReportingPeriod

    for n in range(16, 26):
        day = dt.date(2020, 11, n)
        end = ReportingPeriod.ending_on(day).end
        with django_assert_max_num_queries(3):  # two tallies (both instants at once) and the places
            count = services.returned_as_of(day)
        arrived = Returnee.objects.filter(first_arrival_at__lt=end)
        assert count.total == arrived.count()
        assert count.last_24h == arrived.filter(first_arrival_at__gte=end - dt.timedelta(hours=24)).count()
        by_place = {p.pk: n for p, n in count.by_destination}
        assert by_place == {d: arrived.filter(destination_id=d).count()
                            for d in arrived.values_list("destination_id", flat=True).distinct()}
    assert services.returned_as_of(dt.date(2020, 11, 25)).total == 15
