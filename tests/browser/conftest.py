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
    # A service worker's own requests pass through the context's routes, so a test can cut its network too
    # (Playwright's offline switch alone does not reach them: microsoft/playwright#2311).
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, live_server, live_world):
    # Import every page's module before the browser's first request: on a loaded machine the first import of
    # the URL map (each app's views and API) took longer than a page load may.
    from django.urls import get_resolver

    assert get_resolver().url_patterns
    # Field forms are built from the database's lists and kept for seconds; each test's world has other ids.
    from peaceops.fieldforms.catalogue import forget_built

    forget_built()
    context = _browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Asia/Yerevan")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def login(page, role: str, password: str = "peaceops-demo") -> None:
    """Sign in as a persona; roles with a second factor enrol an authenticator or enter its current code."""
    page.goto("/accounts/login/")
    page.fill("#id_username", role)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/authenticator/" in page.url:
        enter_code(page, current_code(page.text_content("#otp-key")))
    elif "/accounts/code/" in page.url:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        enter_code(page, current_code(TOTPDevice.objects.get(user__username=role, confirmed=True).bin_key))
    page.wait_for_url("**/dashboard/")


def current_code(key: str | bytes) -> str:
    """What an authenticator app would show now, from the key as the page prints it (or the raw secret)."""
    import base64

    from django_otp.oath import totp

    if isinstance(key, str):
        compact = "".join(key.split())
        key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


def enter_code(page, code: str) -> None:
    page.fill("#id_code", code)
    page.click("form.stacked button[type=submit]")
