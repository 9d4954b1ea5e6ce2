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
    page.click("button:has-text('Log out')")
    # Four eyes: a second coordinator approves and publishes what the first drafted.
    login(page, "coordinator2")
    page.goto("/reports/sitrep/2020-11-21/")
    page.click("button:has-text('Approve')")
    page.wait_for_selector("text=approved; its content is now frozen")
    page.click(".actions a:has-text('Publish')")
    page.check("input[name=confirm]")
    page.click("button:has-text('Publish now')")
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


def test_four_eyes_the_drafter_is_refused_a_second_coordinator_signs(browser_page, providers):
    """The coordinator who drafts the report is not offered its approval (and is refused when posting it anyway);
    an officer writes a section's narrative; a second coordinator approves, and a confirmation page shows what
    the public will see before anything is published."""
    from peaceops.reports.models import Sitrep

    page = browser_page
    login(page, "coordinator")
    page.goto("/reports/sitrep/2020-11-21/")
    page.click("button:has-text('Start a draft')")
    page.select_option("#classification", "confidential")
    page.fill("#distribution", "Mission leadership")
    page.click("button:has-text('Save marking')")
    page.wait_for_selector("text=Classification and distribution saved.")
    assert "CONFIDENTIAL · Distribution: Mission leadership" in page.inner_text("#sitrep-marking")
    assert page.locator("button:has-text('Approve')").count() == 0
    assert "another coordinator approves it" in page.inner_text("#four-eyes")
    # Posting the approval anyway (a stale page, a crafted form) is refused with the reason.
    draft = Sitrep.objects.get(day="2020-11-21")
    page.evaluate("""(pk) => { const f = document.createElement('form'); f.method = 'post';
        f.action = `/reports/versions/${pk}/approve/`;
        const t = document.querySelector('input[name=csrfmiddlewaretoken]').cloneNode();
        f.appendChild(t); document.body.appendChild(f); f.submit(); }""", draft.pk)
    page.wait_for_selector("text=Four eyes: you drafted this version")
    assert Sitrep.objects.get(pk=draft.pk).status == "draft"
    page.click("button:has-text('Log out')")

    login(page, "returns_officer")
    page.goto("/reports/sitrep/2020-11-21/")
    page.fill("#narrative-returns", "Convoys ran on time <despite> the snow.")
    page.click("#sitrep-returns button:has-text('Save narrative')")
    page.wait_for_selector("text=Narrative saved.")
    assert "Written by returns_officer" in page.inner_text("#sitrep-returns .narrative")
    assert page.locator("#narrative-ceasefire").count() == 0  # not the returns officer's section
    page.click("button:has-text('Log out')")

    login(page, "coordinator2")
    page.goto("/reports/sitrep/2020-11-21/")
    page.click("button:has-text('Approve')")
    page.wait_for_selector("text=approved; its content is now frozen")
    page.click(".actions a:has-text('Publish')")
    page.wait_for_url("**/versions/*/publish/")
    confirm = page.inner_text("#confirm-publication")
    assert "can never be changed" in confirm and "CONFIDENTIAL" in confirm
    preview = page.inner_text(".sitrep")
    assert "PUBLIC · Distribution: unrestricted" in preview
    assert "Convoys ran on time <despite> the snow." in page.inner_text("#sitrep-returns .narrative")
    assert Sitrep.objects.get(pk=draft.pk).status == "approved"  # nothing public yet
    page.check("input[name=confirm]")
    page.click("button:has-text('Publish now')")
    page.wait_for_selector("text=Version 1 published.")
    page.click("button:has-text('Log out')")

    page.goto("/reports/public/2020-11-21/")
    assert "Convoys ran on time <despite> the snow." in page.inner_text("#sitrep-returns")
    assert "returns_officer" not in page.inner_text("main")
