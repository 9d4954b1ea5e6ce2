"""Land release (IMAS 07.11): releases per area by method, the status and remaining m² they give, QA and
handover, accidents and victims, risk education, the link from ceasefire mine/UXO incidents, and every
inconsistent input refused with a clear message and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from peaceops.core.models import Organisation
from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    HazardousArea,
    LandRelease,
    MineAccident,
    OrdnanceCount,
    RiskEducationSession,
)
from peaceops.restoration.services import land_release, mine_action
from tests.restoration.conftest import D

SQUARE = {"type": "Polygon", "coordinates": [[[46.75, 39.75], [46.77, 39.75], [46.77, 39.77], [46.75, 39.77],
                                              [46.75, 39.75]]]}


@pytest.fixture
def area(world):
    return mine_action.save_hazardous_area(HazardousArea(
        code="HA-T1", name="Test field", status="suspected", hazard="mines", geometry=SQUARE,
        place=world["places"]["shushi"], estimated_area_m2=Decimal(10000), reported_on=D))


def _release(area, method, m2, day=D, **kw):
    return land_release.record_release(area, day, method, m2, "Survey team 1", **kw)


def test_releases_by_method_give_remaining_and_status(area):
    _release(area, "cancellation", 4000)
    b = land_release.balance(area)
    assert (b.cancelled_m2, b.released_m2, b.remaining_m2) == (4000, 4000, 6000)
    area.refresh_from_db()
    assert area.status == "suspected"
    _release(area, "reduction", 1000, D + dt.timedelta(days=1))
    _release(area, "clearance", 2000, D + dt.timedelta(days=2))
    area.refresh_from_db()
    assert area.status == "confirmed"  # clearance found the hazard: a confirmed hazardous area
    _release(area, "clearance", 3000, D + dt.timedelta(days=3))
    area.refresh_from_db()
    b = land_release.balance(area)
    assert (b.cancelled_m2, b.reduced_m2, b.cleared_m2, b.remaining_m2) == (4000, 1000, 5000, 0)
    assert area.status == "cleared"
    assert land_release.balance(area, as_of=D).released_m2 == 4000
    assert land_release.balances([area])[area.pk].released_m2 == 10000


@pytest.mark.parametrize(("methods", "status"), [(["cancellation"], "cancelled"),
                                                 (["cancellation", "reduction"], "released")])
def test_fully_released_by_survey_is_cancelled_or_released(area, methods, status):
    share = Decimal(10000) / len(methods)
    for method in methods:
        _release(area, method, share)
    area.refresh_from_db()
    assert area.status == status


def test_releasing_more_than_remains_is_refused(area):
    _release(area, "cancellation", 9000)
    with pytest.raises(ValidationError, match=r"Only 1,000 m² of HA-T1 remain to be released; 1,500 m² is more"):
        _release(area, "clearance", 1500)
    assert LandRelease.objects.count() == 1


@pytest.mark.parametrize("m2", [0, -5, "nan"])
def test_zero_or_negative_release_is_refused(area, m2):
    with pytest.raises(ValidationError, match="more than 0 m²|number of m²"):
        _release(area, "clearance", m2)
    assert not LandRelease.objects.exists()


def test_zero_area_release_is_refused_by_the_database_too(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        LandRelease.objects.create(area=area, date=D, method="clearance", area_m2=0, team="t")


@pytest.mark.parametrize("size", [0, -100])
def test_zero_or_negative_area_size_is_refused(world, size):
    with pytest.raises(ValidationError, match="more than 0 m²"):
        mine_action.save_hazardous_area(HazardousArea(code="HA-Z", name="z", geometry=SQUARE, reported_on=D,
                                                      estimated_area_m2=Decimal(size)))
    assert not HazardousArea.objects.exists()


def test_area_cannot_shrink_below_what_is_released(area):
    _release(area, "clearance", 6000)
    area.estimated_area_m2 = Decimal(5000)
    with pytest.raises(ValidationError, match="6,000 m² of this area have already been released"):
        mine_action.save_hazardous_area(area)


def test_release_needs_a_known_size_unknown_method_and_a_team(world):
    spot = mine_action.save_hazardous_area(HazardousArea(
        code="HA-P", name="spot", geometry={"type": "Point", "coordinates": [46.76, 39.76]}, reported_on=D))
    with pytest.raises(ValidationError, match="Give the size of HA-P"):
        _release(spot, "clearance", 10)
    with pytest.raises(ValidationError) as exc:
        land_release.record_release(spot, D, "magic", 10, " ")
    assert set(exc.value.message_dict) >= {"method", "team"}


def test_dates_in_order(area, org):
    with pytest.raises(ValidationError, match="before the area was reported"):
        _release(area, "clearance", 10, D - dt.timedelta(days=1))
    task = mine_action.save_task(ClearanceTask(code="AC-T", kind="area", organisation=org, hazardous_area=area,
                                               start=D + dt.timedelta(days=5)))
    with pytest.raises(ValidationError, match="before task AC-T started"):
        _release(area, "clearance", 10, D + dt.timedelta(days=2), task=task)
    other = mine_action.save_task(ClearanceTask(code="AC-O", kind="area", organisation=org, start=D))
    with pytest.raises(ValidationError, match="works on another area"):
        _release(area, "clearance", 10, D, task=other)
    release = _release(area, "clearance", 10, D + dt.timedelta(days=5), task=task)
    with pytest.raises(ValidationError, match="before the land was released"):
        land_release.record_qa(release, D + dt.timedelta(days=4), "passed", "QA officer")
    land_release.record_qa(release, D + dt.timedelta(days=7), "passed", "QA officer")
    with pytest.raises(ValidationError, match="before the quality assurance inspection"):
        land_release.hand_over(release, D + dt.timedelta(days=6), "Village council")


def test_land_counts_as_handed_over_only_after_qa_and_handover(area):
    release = _release(area, "clearance", 3000)
    with pytest.raises(ValidationError, match="only after it passes quality assurance"):
        land_release.hand_over(release, D, "Village council")
    land_release.record_qa(release, D + dt.timedelta(days=1), "failed", "QA officer")
    with pytest.raises(ValidationError, match="only after it passes quality assurance"):
        land_release.hand_over(release, D + dt.timedelta(days=1), "Village council")
    assert land_release.balance(area).handed_over_m2 == 0
    land_release.record_qa(release, D + dt.timedelta(days=2), "passed", "QA officer")
    assert land_release.balance(area).handed_over_m2 == 0  # passed, not yet handed over
    land_release.hand_over(release, D + dt.timedelta(days=3), "Village council")
    b = land_release.balance(area)
    assert (b.handed_over_m2, b.awaiting_handover_m2) == (3000, 0)
    with pytest.raises(ValidationError, match="already handed over"):
        land_release.hand_over(release, D + dt.timedelta(days=4), "Someone else")
    with pytest.raises(ValidationError, match="inspection is closed"):
        land_release.record_qa(release, D + dt.timedelta(days=4), "failed", "QA officer")
    assert land_release.figures(D, D + dt.timedelta(days=6)).handed_over_m2 == 3000
    assert release.history.count() == 4  # created, failed QA, passed QA, handover: each version kept


def test_more_destroyed_than_found_is_refused(org):
    task = mine_action.save_task(ClearanceTask(code="AC-9", kind="area", organisation=org, start=D))
    with pytest.raises(ValidationError, match="3 destroyed but only 2 found"):
        mine_action.record_daily_report(task, D, 100, ordnance={"ap_mine": (2, 3)})
    assert not ClearanceReport.objects.exists()
    report = mine_action.record_daily_report(task, D, 100, ordnance={"ap_mine": (2, 2)})
    with pytest.raises(IntegrityError), transaction.atomic():
        OrdnanceCount.objects.create(report=report, ordnance_type="at_mine", found=1, destroyed=2)


def test_accident_victims_and_link_by_point_in_polygon_then_by_place(area, world):
    inside = land_release.save_accident(MineAccident(
        date=D, latitude=Decimal("39.76"), longitude=Decimal("46.76"), device="ap_mine", activity="farming",
        killed_men=1, injured_boys=2, injured_women=1))
    assert inside.area == area and (inside.killed, inside.injured) == (1, 3)
    outside = land_release.save_accident(MineAccident(date=D, latitude=Decimal("39.90"),
                                                      longitude=Decimal("46.90"), device="submunition"))
    assert outside.area is None
    by_place = land_release.save_accident(MineAccident(date=D, place=world["places"]["shushi"],
                                                       device="projectile", injured_girls=1))
    assert by_place.area == area
    f = land_release.figures(D, D)
    assert (f.accidents, f.killed, f.injured) == (3, 1, 4)
    assert f.victims_by_group == {"girls": (0, 1), "boys": (0, 2), "women": (0, 1), "men": (1, 0)}


def test_bad_accidents_are_refused(world):
    with pytest.raises(ValidationError, match="Say where"):
        land_release.save_accident(MineAccident(date=D, device="ap_mine"))
    with pytest.raises(ValidationError, match="both latitude and longitude"):
        land_release.save_accident(MineAccident(date=D, device="ap_mine", latitude=Decimal("39.7")))
    with pytest.raises(ValidationError, match="cannot be negative"):
        land_release.save_accident(MineAccident(date=D, device="ap_mine", place=world["places"]["shushi"],
                                                killed_men=-1))
    assert not MineAccident.objects.exists()


def test_risk_education_reach(world):
    org = Organisation.objects.get(acronym="PK ENG")
    land_release.save_session(RiskEducationSession(date=D, place=world["places"]["shushi"], venue="School no. 2",
                                                   organisation=org, girls=12, boys=15, women=3, men=1))
    land_release.save_session(RiskEducationSession(date=D + dt.timedelta(days=1),
                                                   place=world["places"]["stepanakert"], women=20, men=18))
    f = land_release.figures(D, D + dt.timedelta(days=1))
    assert (f.sessions, f.reached, f.reach) == (2, 69, {"girls": 12, "boys": 15, "women": 23, "men": 19})
    with pytest.raises(ValidationError, match="A session reaches someone"):
        land_release.save_session(RiskEducationSession(date=D, place=world["places"]["shushi"]))
    with pytest.raises(ValidationError, match="cannot be negative"):
        land_release.save_session(RiskEducationSession(date=D, place=world["places"]["shushi"], girls=-2, boys=5))
    assert RiskEducationSession.objects.count() == 2


def test_weekly_figures_by_method(area):
    _release(area, "cancellation", 1000, D)
    _release(area, "reduction", 500, D + dt.timedelta(days=3))
    _release(area, "clearance", 250, D + dt.timedelta(days=8))
    first, last = land_release.week_ending(D + dt.timedelta(days=6))
    f = land_release.figures(first, last)
    assert f.by_method == {"cancellation": 1000, "reduction": 500, "clearance": 0}
    assert f.released_m2 == 1500


def test_point_in_polygon_with_a_hole():
    ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    polygon = {"type": "Polygon", "coordinates": [ring, hole]}
    assert land_release.contains(polygon, 2, 2)
    assert not land_release.contains(polygon, 5, 5)
    assert not land_release.contains(polygon, 11, 5)
    assert not land_release.contains({"type": "Point", "coordinates": [1, 1]}, 1, 1)


def test_ceasefire_mine_incident_links_to_the_area_it_lies_in(area, world, users):
    from peaceops.ceasefire import services
    from tests.ceasefire.conftest import local

    def incident(**fields):
        when = local(2020, 11, 25, 10)
        data = {"occurred_from": when, "occurred_to": when + dt.timedelta(minutes=5), "incident_type": "mine_uxo",
                "sub_type": "mine_explosion", "time_precision": "minute", **fields}
        return services.file_incident(users["monitor"], data, [(world["sources"]["observation_post"], "test")])

    inside = incident(latitude=Decimal("39.760000"), longitude=Decimal("46.760000"))
    at_place = incident(place=world["places"]["shushi"])
    elsewhere = incident(latitude=Decimal("39.900000"), longitude=Decimal("46.900000"))
    shelling = incident(latitude=Decimal("39.760000"), longitude=Decimal("46.760000"), incident_type="shelling",
                        sub_type="mortar")
    assert land_release.area_of_incident(inside) == area
    assert land_release.area_of_incident(at_place) == area
    assert land_release.area_of_incident(elsewhere) is None
    linked = land_release.incidents_in_area(area)
    assert {i.pk for i in linked} == {inside.pk, at_place.pk}
    assert shelling.pk not in {i.pk for i in linked}


def test_command_line_release_and_figures(area):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("restoration", "release", "HA-T1", "--date", D.isoformat(), "--method", "cancellation",
                 "--m2", "2500", "--team", "NTS team", stdout=out)
    assert "7500" in out.getvalue() and "suspected" in out.getvalue()
    with pytest.raises(CommandError, match="Only 7,500 m² of HA-T1 remain"):
        call_command("restoration", "release", "HA-T1", "--date", D.isoformat(), "--method", "clearance",
                     "--m2", "8000", "--team", "Team", stdout=StringIO())
    out = StringIO()
    call_command("restoration", "land-release", "--first", D.isoformat(), "--last", D.isoformat(), stdout=out)
    assert "cancellation_m2\t2500" in out.getvalue() and "HA-T1\tsuspected\t10000.0\t2500" in out.getvalue()
