"""In a real browser: an alert raised while the analyst looks at any page shows in the top bar's counter without
a reload (htmx polls it), at 390 px too; acknowledging it brings the counter down."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _count(page) -> int:
    return int(page.get_attribute(".topbar .alert-counter", "data-count"))


def test_an_alert_appears_without_reload_and_is_acknowledged(browser_page, live_world):
    from peaceops.alerts.models import Alert
    from peaceops.alerts.services import rules

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "analyst")
    page.wait_for_selector(".topbar .alert-counter")
    before = _count(page)
    page.evaluate("window.__marker = 'not reloaded'")

    alert = rules.raise_alert("ceasefire.casualties", "critical", roles=["analyst"],
                              link="/ceasefire/incidents/1/", subject_model="ceasefire.incident", subject_id="1")
    expect(page.locator(".topbar .alert-counter")).to_have_attribute("data-count", str(before + 1), timeout=25000)
    assert page.evaluate("window.__marker") == "not reloaded"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing pushes the page wide

    page.goto(f"/alerts/{alert.pk}/")
    page.click("#ack-form button[type=submit]")
    page.wait_for_selector("#acknowledged-by")
    assert "analyst" in page.inner_text("#acknowledged-by")
    assert Alert.objects.get(pk=alert.pk).acknowledged_by.username == "analyst"
    expect(page.locator(".topbar .alert-counter")).to_have_attribute("data-count", str(before), timeout=25000)
