"""In a real browser: a monitor pastes a wire story; its claims appear with their sentences highlighted and
their verdicts, and the claims list shows them with the contradiction to an earlier report."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

EARLIER = ("Published: 2020-11-22\nOutlet: First wire\n\nIn total, more than 11,000 people have returned since "
           "November 14, the Defence Ministry spokesman said.")
PASTED = ("Title: Returns continue\nOutlet: Second wire\n\nSTEPANAKERT, November 23 (Second wire) - Some 9,000 "
          "people have returned since November 14, according to the peacekeeping contingent's headquarters. "
          "About 1,700 refugees came back on Monday in 40 buses.")


@pytest.fixture
def earlier_report(live_world):
    from django.contrib.auth.models import User

    from peaceops.sources.services.ingest import ingest

    return ingest(EARLIER.encode(), "earlier.txt", User.objects.get(username="analyst")).document


def test_monitor_pastes_a_report_and_sees_claims_and_verdicts(browser_page, earlier_report):
    page = browser_page
    login(page, "monitor")
    page.goto("/open-sources/")
    page.click("text=Add a report")
    page.fill("#id_text", PASTED)
    page.fill("#id_published", "2020-11-23")
    page.fill("#id_grade", "B2")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/open-sources/documents/*/")
    assert page.locator("h1").text_content() == "Returns continue"
    assert "B2" in page.locator("dl.facts").text_content()
    claims = page.locator(".claim")
    assert claims.count() == 3
    text = page.locator(".claims, main").first.text_content()
    assert "about 9,000" in text and "about 1,700" in text and "40" in text
    # With no returns registered in this world, the figures are inconsistent with the registry.
    assert page.locator(".claim .badge.bad", has_text="inconsistent").count() >= 2
    assert page.locator(".report-text mark").count() == 2
    assert page.locator(".claim", has_text="9,000").locator("text=Contradicts claim").count() == 1

    page.click(".report-text mark >> nth=0")  # a highlighted sentence leads to its claim
    assert "#claim-" in page.url
    page.goto("/open-sources/?contradicted=1")
    rows = page.locator("table.claims tbody tr")
    assert rows.count() == 2
    assert page.locator("table.claims", has_text="contradicts #").count() == 1
