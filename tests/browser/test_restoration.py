"""In a real browser: an engineer records a completed work on a substation; the settlement's electricity, down
the day before, turns to functioning on the service status page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

DAY = dt.date(2020, 11, 21)


@pytest.fixture
def substation(live_world):
    from peaceops.core.models import Place
    from peaceops.restoration.models import Facility
    from peaceops.restoration.services.assessments import record_assessment
    from peaceops.restoration.services.facilities import save_facility

    town = Place.objects.get(name="Martuni / Khojavend")
    facility = save_facility(Facility(name="Martuni test substation", kind="substation", place=town),
                             settlements=[town], depends_on=[])
    record_assessment(facility, DAY - dt.timedelta(days=1), "Engineer team 1", 4, 0)
    return facility


def _electricity_level(page) -> str:
    row = page.locator("#settlement-status tr[data-settlement='Martuni / Khojavend']")
    return row.locator("[data-level]").first.get_attribute("data-level")


def test_completed_work_on_a_substation_restores_electricity(browser_page, substation):
    page = browser_page
    login(page, "engineer")
    page.goto(f"/restoration/?as_of={DAY.isoformat()}")
    assert _electricity_level(page) == "none"

    page.click("nav >> text=Facilities")
    page.click("text=Martuni test substation")
    page.click("text=New work")
    page.select_option("#id_organisation", label="POWER")
    page.fill("#id_activity", "Replace transformer")
    page.select_option("#id_status", "completed")
    page.fill("#id_actual_start", "2020-11-20")
    page.fill("#id_actual_end", DAY.isoformat())
    page.fill("#id_percent_complete", "100")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_selector("#work-status")
    assert "completed" in page.inner_text("#work-status")

    page.goto(f"/restoration/?as_of={DAY.isoformat()}")
    assert _electricity_level(page) == "full"
    row = page.locator("#settlement-status tr[data-settlement='Martuni / Khojavend']")
    assert "functioning" in row.inner_text() and "↑" in row.inner_text()
    assert page.locator("#region-totals").inner_text().count("+5700") == 1
