"""In a real browser: a coordinator approves and publishes the sitrep; a logged-out visitor finds it on the
public page and downloads the figures as HXL."""

from __future__ import annotations

from pathlib import Path

import pytest

from peaceops.reports import content, exports
from tests.browser.conftest import login
from tests.reports import conftest as fixed

pytestmark = pytest.mark.browser


@pytest.fixture
def providers(monkeypatch):
    # The live server runs in this process, so the fixed world's providers reach it too.
    monkeypatch.setattr(content, "section_providers", lambda: fixed.SECTIONS)
    monkeypatch.setattr(content, "series_providers", lambda: fixed.SERIES)


def test_coordinator_publishes_and_the_public_downloads_hxl(browser_page, providers, tmp_path):
    page = browser_page
    page.goto("/")  # before the first publication the public sees no figure, and is told why
    assert "Nothing has been published yet" in page.inner_text("main")
    login(page, "coordinator")
    page.click("nav >> text=Sitrep")
    page.fill("input[name=date]", "2020-11-21")
    page.click("button:has-text('Open')")
    page.wait_for_url("**/reports/sitrep/2020-11-21/")
    assert "6,950" in page.inner_text("#sitrep-returns")
    page.click("button:has-text('Start a draft')")
    page.click("button:has-text('Approve')")
    page.wait_for_selector("text=approved; its content is now frozen")
    page.click("button:has-text('Publish')")
    page.wait_for_selector("text=Version 1 published.")
    assert "SHA-256" in page.inner_text(".sitrep")
    page.click("button:has-text('Log out')")

    page.goto("/")
    page.click("text=Situation report 21 November 2020")
    page.wait_for_url("**/reports/public/2020-11-21/")
    assert "6,950" in page.inner_text("#sitrep-returns")
    row = page.inner_text("tr[data-key='exchanges.remains_total']")
    assert "<5" in row and "3" not in row.replace("Remains handed over in total", "")
    assert page.locator("text=Internal notes").count() == 0
    # 6,947 beside the published total of 6,950 would give the hidden 3 back: both are withheld.
    destinations = page.inner_text("#sitrep-returns table.data")
    assert "6,947" not in destinations and "x" in destinations and "<5" in destinations
    assert "worked out by subtraction" in page.inner_text(".disclosure")
    with page.expect_download() as info:
        page.click("a:has-text('HXL CSV')")
    target = Path(tmp_path) / info.value.suggested_filename
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert exports.validate(text) == []
    assert "returns.returned_total,People returned in total,6950" in text
