"""Playwright against Debian's Chromium (never a downloaded browser), driving a live server."""

from __future__ import annotations

import os

import pytest

CHROMIUM = os.environ.get("PEACEOPS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def _browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable beside it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, live_server, live_world):
    context = _browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Asia/Yerevan")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def login(page, role: str, password: str = "peaceops-demo") -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", role)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
