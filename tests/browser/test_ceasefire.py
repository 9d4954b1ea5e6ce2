"""In a real browser: a monitor files an incident, an analyst verifies it, the count and the map show it."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_monitor_files_analyst_verifies_count_and_map_show_it(browser_page, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    page = browser_page
    login(page, "monitor")
    page.click("nav >> text=Incidents")
    page.click("text=File an incident")
    page.fill("#id_occurred_from", "2020-12-12T10:30")
    page.fill("#id_place_name", "Гадрут")  # Hadrut, in Russian
    page.select_option("#id_incident_type", "small_arms")
    # Only the chosen type's sub-types stay selectable.
    offered = page.eval_on_selector_all("#id_sub_type optgroup:not([disabled])", "groups => groups.map(g => g.label)")
    assert offered == [page.eval_on_selector("#id_incident_type", "s => s.options[s.selectedIndex].text")]
    page.select_option("#id_sub_type", "automatic")
    page.select_option("#id_incident_type", "shelling")
    assert page.input_value("#id_sub_type") == ""  # a sub-type of another type is cleared, not sent
    page.select_option("#id_incident_type", "small_arms")
    page.select_option("#id_sub_type", "automatic")
    page.select_option("#id_source", label="Observation posts (daily log)")
    page.fill("#id_source_summary", "Bursts of automatic fire heard from OP-15.")
    page.click("button:has-text('File incident')")
    page.wait_for_selector("text=Incident filed")
    url = page.url
    assert "Hadrut" in page.inner_text("h1")

    page.context.clear_cookies()
    login(page, "analyst")
    page.goto(url)
    page.click("button[name=claim]")
    page.wait_for_selector("text=under review by analyst")
    page.select_option("#id_outcome", "verified")
    page.fill("#id_rationale", "Heard by two posts; shell casings found by the patrol.")
    page.click("button[name=decide]")
    page.wait_for_selector("text=Decision recorded")
    assert "verified" in page.inner_text("main .badge >> nth=0")

    page.goto("/ceasefire/counts/?day=2020-12-12")
    assert page.inner_text("#violations-today").strip() == "at least 1 violation"
    assert "Hadrut" in page.inner_text("#counts-table")

    page.goto("/map/")
    page.wait_for_selector("#map[data-ready=true]")
    marker = page.locator("path.marker-ceasefire_incidents")
    assert marker.count() == 1
    marker.dispatch_event("click")  # a settlement marker may lie on top of it
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert "Hadrut" in popup.inner_text() and "verified" in popup.inner_text()
