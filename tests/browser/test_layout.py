"""Layout in a real browser (issue 17): the dashboard's figures stay inside their cards at desk widths in both
languages, and at phone width (390 px) every page fits the screen, the menu collapses, and the monitor's
incident list and form work in one column."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

STAFF = ["monitor", "analyst", "returns_officer", "exchange_officer", "engineer", "coordinator"]
PHONE = {"width": 390, "height": 844}

# Every figure of every card, measured: a value pushed past its card's edge, or clipped inside its own box.
FIGURES_OUTSIDE = """() => [...document.querySelectorAll('.card dl.facts dd')].filter(dd => {
  const card = dd.closest('.card').getBoundingClientRect(), box = dd.getBoundingClientRect();
  return box.right > card.right + 0.5 || box.left < card.left - 0.5 || dd.scrollWidth > dd.clientWidth + 1;
}).map(dd => dd.textContent.trim()).concat([...document.querySelectorAll('.card dl.facts dt')].filter(dt =>
  dt.getBoundingClientRect().width < 0.4 * dt.closest('dl').getBoundingClientRect().width  // a label crushed
).map(dt => dt.textContent.trim()))"""
# The demo world's largest figures with their change, and a long label, in every card.
WIDEN = """() => document.querySelectorAll('.card dl.facts').forEach(dl => {
  dl.querySelector('dt').textContent = 'Remains awaiting DNA identification by the forensic laboratory';
  dl.querySelectorAll('dd').forEach(dd => { (dd.querySelector('a') || dd).textContent = '148 983 (+12 345)'; });
})"""


def _language(page, code: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": code, "url": page.url}])


@pytest.mark.parametrize("role", STAFF)
def test_dashboard_figures_stay_inside_their_cards(browser_page, role):
    page = browser_page
    login(page, role)
    for language in ("en", "ru"):
        _language(page, language)
        for width in (1366, 1920):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(reverse("dashboard"))
            assert page.locator(".card dl.facts dd").count() > 0
            assert page.evaluate(FIGURES_OUTSIDE) == [], (language, width)
            page.evaluate(WIDEN)
            assert page.evaluate(FIGURES_OUTSIDE) == [], (language, width, "with wide figures")


def _page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_monitor_files_an_incident_from_a_phone(browser_page, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, "monitor")
    # The menu is folded behind its toggle and opens on a tap.
    assert not page.is_visible("nav.mainnav")
    page.click(".menu-toggle")
    assert page.is_visible("nav.mainnav") and page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    page.click("nav >> text=Incidents")
    assert _page_width(page) <= PHONE["width"]
    button = page.locator("text=File an incident").bounding_box()
    assert button and button["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"]
    page.click("text=File an incident")
    assert _page_width(page) <= PHONE["width"]
    # One column: every field starts at the same left edge and ends inside the screen.
    boxes = page.eval_on_selector_all(
        "form.stacked p > input:not([type=checkbox]):not([type=file]), form.stacked p > select, "
        "form.stacked p > textarea", "els => els.map(e => { const b = e.getBoundingClientRect();"
        " return [Math.round(b.left), Math.round(b.right)]; })")
    assert len(boxes) > 10
    assert len({left for left, _right in boxes}) == 1 and max(right for _l, right in boxes) <= PHONE["width"]
    page.fill("#id_occurred_from", "2020-12-12T10:30")
    page.fill("#id_place_name", "Martuni")
    page.select_option("#id_incident_type", "small_arms")
    page.select_option("#id_sub_type", "automatic")
    page.select_option("#id_source", label="Observation posts (daily log)")
    page.fill("#id_source_summary", "Automatic fire heard at night.")
    page.click("button:has-text('File incident')")
    page.wait_for_selector("text=Incident filed")
    assert _page_width(page) <= PHONE["width"]


@pytest.mark.parametrize("role", ["monitor", "coordinator"])
def test_every_menu_page_fits_a_phone(browser_page, role):
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, role)
    links = page.eval_on_selector_all("nav.mainnav a", "links => links.map(a => a.getAttribute('href'))")
    assert len(links) > 3
    wide = {}
    for language in ("en", "ru"):
        _language(page, language)
        for href in links:
            page.goto(href)
            if (width := _page_width(page)) > PHONE["width"]:
                wide[(language, href)] = width
    assert wide == {}


def test_skip_link_leads_past_the_menu(browser_page):
    page = browser_page
    login(page, "analyst")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"


FOCUSED = "() => document.activeElement && document.activeElement.id"


@pytest.mark.parametrize(("role", "address", "first"), [
    ("monitor", "/ceasefire/incidents/new/", "id_occurred_from"),
    ("analyst", "/accounts/password/", "id_old_password"),
])
def test_a_form_page_starts_on_its_first_field(browser_page, role, address, first):
    page = browser_page
    page.goto("/accounts/login/")
    assert page.evaluate(FOCUSED) == "id_username"  # the sign-in page, before anything else
    login(page, role)
    page.goto(address)
    assert page.evaluate(FOCUSED) == first, address


@pytest.mark.parametrize("address", ["/places/", "/parties/", "/sources/", "/audit/"])
def test_record_lists_become_labelled_cards_on_a_phone(browser_page, address):
    """A record list at 390 px shows each row as a card whose lines are labelled with the column headings, in
    the reader's language; no list scrolls sideways (the audit log's record and hash columns were off-screen)."""
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, "coordinator")
    for language, heading in (("en", "Kind"), ("ru", "Вид")):
        _language(page, language)
        page.goto(address)
        tables = page.locator("main table.stack-auto")
        assert tables.count() > 0
        for table in tables.all():
            assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), (language, address)
        labels = page.eval_on_selector_all(
            "main table.stack-auto tbody td[data-label]", "cells => cells.map(c => c.getAttribute('data-label'))")
        assert labels, (language, address)
        if address in ("/places/", "/parties/", "/sources/"):
            assert heading in labels, (language, address, sorted(set(labels)))
