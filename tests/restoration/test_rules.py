"""Works lifecycle, mine-action totals and every kind of bad input: a clear error and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from peaceops.core import mission
from peaceops.core.models import Organisation
from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    Facility,
    HazardousArea,
    OrdnanceCount,
    Work,
    WorkStatus,
)
from peaceops.restoration.services import facilities, mine_action, works
from tests.restoration.conftest import D


def _work(grid, org, **kw) -> Work:
    return Work(organisation=org, activity="Repair", facility=grid["substation"], **kw)


def test_lifecycle_planned_ongoing_suspended_completed(grid, org):
    work = works.save_work(_work(grid, org, planned_start=D, planned_end=D + dt.timedelta(days=4)))
    assert work.status == WorkStatus.PLANNED
    works.start_work(work, D)
    works.report_progress(work, 40)
    works.suspend_work(work)
    with pytest.raises(ValidationError, match="planned or ongoing"):
        works.report_progress(work, 50)
    works.resume_work(work)
    works.complete_work(work, D + dt.timedelta(days=3))
    work.refresh_from_db()
    assert (work.status, work.percent_complete, work.actual_start, work.actual_end) == (
        WorkStatus.COMPLETED, 100, D, D + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="cannot go from"):
        works.cancel_work(work)
    assert work.history.count() == 6


@pytest.mark.parametrize(("status", "offered"), [
    (WorkStatus.PLANNED, {"start", "progress", "complete", "cancel"}),
    (WorkStatus.ONGOING, {"progress", "suspend", "complete", "cancel"}),
    (WorkStatus.SUSPENDED, {"resume", "cancel"}),
    (WorkStatus.COMPLETED, set()), (WorkStatus.CANCELLED, set())])
def test_the_steps_offered_follow_the_one_lifecycle_table(status, offered):
    """Issue 18: the page's and the API's steps come from the service's TRANSITIONS, not a copy of it."""
    assert works.steps_open(Work(status=status)) == offered


def test_a_step_by_name_needs_its_date_and_a_known_name(grid, org):
    work = works.save_work(_work(grid, org))
    with pytest.raises(ValidationError, match="Give the date"):
        works.take_step(work, "start")
    with pytest.raises(ValidationError, match="Not a step"):
        works.take_step(work, "demolish", day=D)
    assert works.take_step(work, "start", day=D).status == WorkStatus.ONGOING
    with pytest.raises(ValidationError, match="cannot go from"):
        works.take_step(work, "resume")


def test_completion_before_start_is_refused_and_nothing_changes(grid, org):
    work = works.save_work(_work(grid, org))
    works.start_work(work, D)
    with pytest.raises(ValidationError, match="cannot finish before it starts"):
        works.complete_work(work, D - dt.timedelta(days=1))
    work.refresh_from_db()
    assert work.status == WorkStatus.ONGOING and work.actual_end is None


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_percent_outside_0_100_is_refused(grid, org, percent):
    with pytest.raises(ValidationError, match="between 0 and 100"):
        works.save_work(_work(grid, org, status="ongoing", actual_start=D, percent_complete=percent))
    assert not Work.objects.exists()


def test_completed_work_needs_end_and_100_percent(grid, org):
    with pytest.raises(ValidationError) as exc:
        works.save_work(_work(grid, org, status="completed", actual_start=D, percent_complete=50))
    assert set(exc.value.message_dict) == {"actual_end", "percent_complete"}


def test_dependency_cycle_is_refused(grid):
    with pytest.raises(ValidationError, match="circle: Substation North → Pumping station East → "
                                             "Substation North"):
        facilities.save_facility(grid["substation"], depends_on=[grid["pump"]])
    assert not grid["substation"].depends_on.exists()
    with pytest.raises(ValidationError, match="circle"):
        facilities.save_facility(grid["pump"], depends_on=[grid["network"]])  # three links
    assert list(grid["pump"].depends_on.all()) == [grid["substation"]]


def test_self_dependency_is_a_cycle(grid):
    with pytest.raises(ValidationError, match="circle"):
        facilities.save_facility(grid["gas"], depends_on=[grid["gas"]])


def test_facility_serving_an_unknown_settlement_is_refused(world):
    with pytest.raises(ValidationError, match="No place in the gazetteer is called “Atlantis”"):
        facilities.resolve_settlements(["Stepanakert", "Atlantis"])
    checkpoint = world["places"]["cp_goris"]
    with pytest.raises(ValidationError, match="Not a settlement"):
        facilities.save_facility(Facility(name="X", kind="road", place=checkpoint), settlements=[checkpoint])
    assert not Facility.objects.filter(name="X").exists()
    # Any script resolves: Armenian and Russian names of the same town.
    assert facilities.resolve_settlements(["Ստեփանակերտ", "Ханкенди"]) == [world["places"]["stepanakert"]] * 2


OPEN_RING = {"type": "Polygon", "coordinates": [[[46.7, 39.7], [46.8, 39.7], [46.8, 39.8], [46.7, 39.8]]]}


@pytest.mark.parametrize("geometry, message", [
    (OPEN_RING, "does not close"),
    ({"type": "Polygon", "coordinates": [[[46.7, 39.7], [46.8, 39.7], [46.7, 39.7]]]}, "at least four"),
    ({"type": "Point", "coordinates": [200, 39.8]}, "outside the globe"),
    ({"type": "LineString", "coordinates": []}, "Point or Polygon"),
])
def test_bad_geometry_is_refused(world, geometry, message):
    area = HazardousArea(code="HA-X", name="x", geometry=geometry, reported_on=D)
    with pytest.raises(ValidationError, match=message):
        mine_action.save_hazardous_area(area)
    assert not HazardousArea.objects.exists()


def test_closed_polygon_and_point_are_accepted(world):
    ring = OPEN_RING["coordinates"][0] + [OPEN_RING["coordinates"][0][0]]
    area = mine_action.save_hazardous_area(HazardousArea(
        code="HA-1", name="field", geometry={"type": "Polygon", "coordinates": [ring]}, reported_on=D))
    assert area.geometry["coordinates"][0][0] == area.geometry["coordinates"][0][-1]
    point = mine_action.save_hazardous_area(HazardousArea(
        code="HA-2", name="rocket", geometry={"type": "Point", "coordinates": ["46.75", "39.81"]}, reported_on=D))
    assert point.geometry == {"type": "Point", "coordinates": [46.75, 39.81]}


@pytest.fixture
def tasks(world):
    org = Organisation.objects.get(acronym="PK ENG")
    return (mine_action.save_task(ClearanceTask(code="RC-1", kind="route", organisation=org, start=D)),
            mine_action.save_task(ClearanceTask(code="AC-1", kind="area", organisation=org, start=D)))


def test_mine_action_daily_totals(tasks):
    route, area = tasks
    mine_action.record_daily_report(route, D, 0, Decimal("3.5"), {"projectile": (4, 4), "mortar": (1, 0)})
    mine_action.record_daily_report(area, D, mine_action.to_m2("1.2", "ha"), 0, {"projectile": (2, 2)})
    mine_action.record_daily_report(area, D + dt.timedelta(days=1), 5000, 0, {"ap_mine": (1, 1)})
    day = mine_action.totals(D, D)
    assert (day.area_m2, day.area_ha, day.road_km) == (Decimal(12000), Decimal("1.20"), Decimal("3.5"))
    assert (day.found, day.destroyed) == (7, 6)
    assert day.by_type == {"mortar": (1, 0), "projectile": (6, 6)}
    both = mine_action.daily_totals(D - dt.timedelta(days=1), D + dt.timedelta(days=1))
    assert [t.found for t in both] == [0, 7, 1]
    assert [(t.first_day, t.area_m2, t.road_km, t.destroyed, t.by_type) for t in both] == [
        (t.first_day, t.area_m2, t.road_km, t.destroyed, t.by_type)
        for t in (mine_action.totals(d, d) for d in (D - dt.timedelta(days=1), D, D + dt.timedelta(days=1)))]
    assert mine_action.totals(D, D + dt.timedelta(days=1)).area_m2 == Decimal(17000)


def test_bad_clearance_reports_are_refused(tasks):
    route, _area = tasks
    mine_action.record_daily_report(route, D, 0, 1)
    for args, message in [((route, D, 0, 1), "already has a report"),
                          ((route, D + dt.timedelta(days=1), -5, 0), "cannot be negative"),
                          ((route, D - dt.timedelta(days=1), 0, 1), "before the task started"),
                          ((route, D + dt.timedelta(days=2), 0, 1, {"nuke": (1, 1)}), "Unknown ordnance")]:
        with pytest.raises(ValidationError, match=message):
            mine_action.record_daily_report(*args)
    assert ClearanceReport.objects.count() == 1 and not OrdnanceCount.objects.exists()
    with pytest.raises(ValidationError, match="m² or ha"):
        mine_action.to_m2(3, "acres")


def test_mine_action_daily_totals_take_two_queries_for_any_range(tasks, django_assert_max_num_queries):
    route, _area = tasks
    mine_action.record_daily_report(route, D, 0, Decimal("2"), {"projectile": (3, 1)})
    mission.current()  # the mission is read once per process, not per request
    with django_assert_max_num_queries(2):
        days = mine_action.daily_totals(D - dt.timedelta(days=90), D + dt.timedelta(days=30))
    assert len(days) == 121 and sum(t.found for t in days) == 3 and days[90].by_type == {"projectile": (3, 1)}
