"""Service status per settlement as of a date, dependencies included, and the region totals."""

from __future__ import annotations

import datetime as dt

from peaceops.restoration.models import Work
from peaceops.restoration.services import status, works
from peaceops.restoration.services.assessments import record_assessment
from tests.restoration.conftest import D

DAY = dt.timedelta(days=1)


def _row(snap, place):
    return next(s for s in snap.settlements if s.place == place)


def test_never_assessed_facilities_count_as_working(grid):
    snap = status.snapshot(D)
    row = _row(snap, grid["town"])
    assert {s: st.level for s, st in row.services.items()} == {
        "electricity": "full", "health": "full", "water": "full", "gas": "full"}


def test_a_clinic_fed_by_a_substation_that_is_down_is_not_functioning(grid):
    record_assessment(grid["substation"], D, "Eng. A", 4, 0)
    record_assessment(grid["clinic"], D, "Eng. A", 0, 100)  # the clinic itself is intact
    snap = status.snapshot(D)
    assert snap.facilities[grid["clinic"].pk].own == 100
    assert snap.facilities[grid["clinic"].pk].effective == 0
    assert snap.facilities[grid["clinic"].pk].blocked_by == (grid["substation"].pk,)
    row = _row(snap, grid["town"])
    assert row.services["health"].level == "none"
    assert row.services["electricity"].level == "none"
    # Water runs through the pump, which needs the substation too: two links away.
    assert row.services["water"].level == "none"
    assert row.services["gas"].level == "full"


def test_partial_supply_propagates_as_partial(grid):
    record_assessment(grid["substation"], D, "Eng. A", 2, 50)
    row = _row(status.snapshot(D), grid["town"])
    assert row.services["health"].level == "partial"
    assert row.services["health"].percent == 50


def test_as_of_dates_follow_assessments_and_completed_works(grid, org):
    record_assessment(grid["substation"], D, "Eng. A", 4, 0)
    work = works.save_work(Work(organisation=org, activity="Replace transformer", facility=grid["substation"],
                                planned_start=D, planned_end=D + 5 * DAY))
    works.start_work(work, D + DAY)
    works.complete_work(work, D + 3 * DAY)
    engine = status.StatusEngine()
    assert _row(engine.snapshot(D - DAY), grid["town"]).services["electricity"].level == "full"  # before damage
    assert _row(engine.snapshot(D), grid["town"]).services["electricity"].level == "none"
    assert _row(engine.snapshot(D + 2 * DAY), grid["town"]).services["electricity"].level == "none"
    after = _row(engine.snapshot(D + 3 * DAY), grid["town"])
    assert after.services["electricity"].level == "full"
    assert after.services["health"].level == "full"
    # A later assessment overrides the completion again.
    record_assessment(grid["substation"], D + 6 * DAY, "Eng. B", 1, 60)
    assert _row(status.snapshot(D + 6 * DAY), grid["town"]).services["electricity"].level == "partial"
    assert _row(status.snapshot(D + 5 * DAY), grid["town"]).services["electricity"].level == "full"


def test_ongoing_work_does_not_restore(grid, org):
    record_assessment(grid["substation"], D, "Eng. A", 4, 0)
    work = works.save_work(Work(organisation=org, activity="Repair", facility=grid["substation"]))
    works.start_work(work, D)
    works.report_progress(work, 90)
    assert _row(status.snapshot(D + DAY), grid["town"]).services["electricity"].level == "none"


def test_region_totals_count_people_and_change_since_previous_day(grid, world, org):
    shushi = world["places"]["shushi"]
    record_assessment(grid["gas"], D - DAY, "Eng. A", 3, 0)
    record_assessment(grid["gas"], D, "Eng. A", 1, 40)
    today, yesterday = status.with_previous_day(D)
    population = grid["town"].population + shushi.population
    assert yesterday.totals["gas"].none == population
    assert yesterday.totals["gas"].served == 0
    assert today.totals["gas"].partial == population
    assert today.totals["gas"].served - yesterday.totals["gas"].served == population
    assert today.totals["electricity"].full == grid["town"].population
    assert set(today.totals) == {"water", "electricity", "gas", "heating"}


def test_redundant_end_facilities_make_a_service_partial_when_one_is_down(grid, world):
    from peaceops.restoration.models import Facility
    from peaceops.restoration.services.facilities import save_facility

    second = save_facility(Facility(name="Substation South", kind="substation", place=grid["town"]),
                           settlements=[grid["town"]], depends_on=[])
    record_assessment(second, D, "Eng. A", 4, 0)
    row = _row(status.snapshot(D), grid["town"])
    assert row.services["electricity"].level == "partial"
