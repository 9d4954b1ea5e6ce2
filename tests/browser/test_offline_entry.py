"""In Chromium: a monitor with no network files incidents on the offline page; they wait in the browser ("waiting
to send"), survive a reload served by the service worker from its cache, and are sent when the link returns —
each exactly once, even when the browser sends them all again. One breaking a rule waits in the review queue.

Playwright's offline switch does not reach a service worker's own requests (microsoft/playwright#2311): with
PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS (tests/browser/conftest.py) the worker's requests are routed
through the context, and `_offline` aborts them as a dropped link would."""

from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PAGE = "/field-forms/offline/incident_report/"


def _offline(context, aborted: list):
    def handler(route):
        if route.request.service_worker is not None:
            aborted.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()
    context.set_offline(True)
    context.route("**/*", handler)
    return handler


def _online(context, handler):
    context.unroute("**/*", handler)
    context.set_offline(False)


def _fill(page, when: str, injured: str) -> None:
    page.fill("#f-occurred", when)
    page.select_option("#f-place", index=1)
    page.select_option("#f-incident_type", "shelling")
    page.select_option("#f-sub_type", "mortar")
    page.fill("#f-casualties-injured_civilian", injured)
    page.select_option("#f-source", index=1)
    page.fill("#f-notes", "Heard from the post; synthetic test entry.")
    page.click("#offline-form button[type=submit]")


def _waiting(page) -> int:
    return int(page.text_content("#outbox-count"))


def test_incidents_filed_offline_are_sent_once_when_the_link_returns(browser_page):
    from peaceops.ceasefire.models import Incident
    from peaceops.fieldforms.models import Delivery, FieldSubmission, State

    page = browser_page
    context = page.context
    page.set_viewport_size({"width": 390, "height": 844})  # monitors file from phones
    login(page, "monitor")
    page.goto(PAGE)
    # The page put itself and its files in the cache, and the worker controls it.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => caches.open('peaceops-offline-v1').then(c => c.match(location.pathname))"
                           ".then(r => !!r)")
    before = Incident.objects.count()

    aborted: list = []
    handler = _offline(context, aborted)
    assert page.evaluate("() => navigator.onLine") is False
    _fill(page, "2020-12-12T10:30", "1")
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '1'")
    _fill(page, "2020-12-12T11:45", "2")
    _fill(page, "2031-01-01T09:00", "0")  # a date in the future: a rule it breaks, found by the server
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '3'")
    assert "Waiting to send" in page.text_content("#outbox")
    kept = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('peaceops.offline.v1.'))"
                         ".map(k => localStorage.getItem(k))")
    assert len(kept) == 1 and kept[0].count('"id":"uuid:') == 3

    response = page.reload()  # still no network: the worker answers from its cache
    assert response is not None and response.from_service_worker
    assert aborted, "the worker's request to the network was not cut"
    assert _waiting(page) == 3
    assert "offline" in page.text_content("#link-state")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "fieldforms-offline-390.png"), full_page=True)
    assert Incident.objects.count() == before
    assert not FieldSubmission.objects.exists()

    _online(context, handler)
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '0'", timeout=30000)
    assert Incident.objects.count() == before + 2
    browser = FieldSubmission.objects.filter(deliveries__channel="browser").distinct()
    assert browser.filter(state=State.ACCEPTED).count() == 2
    review = browser.get(state=State.REVIEW)
    assert "future" in review.reason
    ids = [s.instance_id for s in browser]
    assert Incident.objects.filter(external_id__in=ids).count() == 2
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(SHOTS / "fieldforms-offline-sent-1366.png"), full_page=True)

    # The answers were lost: the browser still holds all three and sends them again. Nothing new is made.
    key = page.evaluate("() => Object.keys(localStorage).find(k => k.startsWith('peaceops.offline.v1.'))")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, kept[0]])
    page.reload()
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '0'", timeout=30000)
    assert Incident.objects.count() == before + 2
    assert FieldSubmission.objects.filter(instance_id__in=ids).count() == 3
    assert Delivery.objects.filter(channel="browser").count() == 6
