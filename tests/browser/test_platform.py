"""Smoke test of the platform in a real browser: log in, search the gazetteer in another script, see the map."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_login_search_by_armenian_alias_and_see_markers_on_the_map(browser_page):
    page = browser_page
    login(page, "analyst")
    page.click("text=Gazetteer")
    page.fill("input[name=q]", "Ստեփանակերտ")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("text=Stepanakert / Khankendi")
    assert "resolves to" in page.inner_text(".resolution")

    page.click("nav >> text=Map")
    page.wait_for_selector("#map[data-ready=true]")
    markers = page.locator("path.leaflet-interactive")
    assert markers.count() >= 20  # settlements, checkpoints and the 23 observation posts
    assert page.locator(".map-label", has_text="Shushi / Shusha").count() == 1
