"""In a real browser, the coordinator's morning: open the dashboard, open the sitrep for a day, follow a figure to
the records behind it and find the same number there."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

DAY = "2020-11-21"


@pytest.fixture
def returns_world(live_world):
    """The returns module's part of the demo world at a small scale (bulk-inserted: a few seconds)."""
    from peaceops.core.context import acting_as
    from peaceops.returns.scenario import build_returns
    from peaceops.scenario import world as scenario

    world = scenario.over_loaded_core(scale=0.02)
    with acting_as("system:scenario"):
        build_returns(world)
    return world


def test_coordinator_follows_a_sitrep_figure_to_the_records_behind_it(browser_page, returns_world):
    import datetime as dt

    from peaceops.returns.services import returned_as_of

    expected = returned_as_of(dt.date.fromisoformat(DAY)).total
    assert expected > 0
    page = browser_page
    login(page, "coordinator")
    assert page.locator("#section-sitrep").count() == 1  # the dashboard's report card

    page.click("nav >> text=Sitrep")
    page.fill("input[name=date]", DAY)
    page.click("button:has-text('Open')")
    page.wait_for_url(f"**/reports/sitrep/{DAY}/")
    overview = page.inner_text("#sitrep-overview")
    assert f"As of today {expected:,} people have returned" in overview
    row = page.locator("tr[data-key='returns.returns.total']")
    assert f"{expected:,}" in row.inner_text()

    row.locator("a").click()
    page.wait_for_url(f"**/returns/?as_of={DAY}")
    assert int(page.get_attribute("#returned-total", "data-total")) == expected
