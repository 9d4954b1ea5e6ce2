"""In a real browser: the operational map draws everything from this server alone (no request leaves it), with
the line of contact, the areas of responsibility, patrol tracks, incidents on a time slider and as a heat map,
"which posts could have seen this", and an analyst drawing a new line."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
LOCAL = ZoneInfo("Asia/Yerevan")


def _demo_layers():
    from django.contrib.auth.models import User

    from peaceops.ceasefire import scenario, services
    from peaceops.ceasefire.models import Patrol, PatrolStop
    from peaceops.core.models import Place, Source

    class World:
        summary: dict = {}
        users: dict = {}

    scenario.build_map_layers(World())
    monitor = User.objects.get(username="monitor")
    source = Source.objects.filter(kind="observation_post").first()
    for day, name in [(12, "Martuni"), (20, "Hadrut"), (28, "Martuni")]:
        when = dt.datetime(2020, 12, day, 10, tzinfo=LOCAL)
        place = Place.objects.filter(name__startswith=name, kind="settlement").first()
        services.file_incident(monitor, {"occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20),
                                         "incident_type": "shelling", "sub_type": "mortar",
                                         "time_precision": "minute", "place": place}, [(source, "test")])
    patrol = Patrol.objects.create(route_name="Martuni district route", started_at=dt.datetime(2020, 12, 1, 9,
                                                                                              tzinfo=LOCAL),
                                   created_by=monitor)
    for order, name in enumerate(["Stepanakert", "Martuni"], 1):
        PatrolStop.objects.create(patrol=patrol, order=order,
                                  place=Place.objects.filter(name__startswith=name, kind="settlement").first())


def test_the_map_makes_no_outside_request_and_shows_the_operational_layers(browser_page, live_server):
    from peaceops.ceasefire.models import MapFeature

    _demo_layers()
    page = browser_page
    own = urlparse(live_server.url).netloc
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        host = urlparse(url).netloc
        if url.startswith(("data:", "blob:")) or host == own or host.split(":")[0] in ("localhost", "127.0.0.1"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.context.route("**/*", guard)
    login(page, "analyst")
    page.goto("/map/")
    page.wait_for_selector("#map[data-ready=true]")
    # The operational layers are drawn: two sections of the line, three areas, one patrol track.
    assert page.locator("path.shape-line_of_contact").count() == 2
    assert page.locator("path.shape-areas_of_responsibility").count() == 3
    assert page.locator("path.shape-patrol_tracks").count() == 1
    assert page.locator(".map-district").count() >= 3  # the offline base layer's district names
    # The opening view is the area of operations: the line of contact lies inside the map's box.
    box = page.locator("#map").bounding_box()
    for path in page.locator("path.shape-line_of_contact").all():
        b = path.bounding_box()
        assert box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1
    # The time slider: all three incidents, then only the last seven days up to 20 December.
    assert page.get_attribute("#map", "data-incidents-shown") == "3"
    page.select_option("#map-window", "7")
    page.fill("#map-day", "8")  # the slider runs from 12 December: day 8 is the 20th
    page.dispatch_event("#map-day", "input")
    assert page.get_attribute("#map", "data-incidents-shown") == "1"
    assert "2020-12-14 – 2020-12-20" in page.inner_text("#map-day-label")
    page.select_option("#map-window", "0")
    # The heat map is drawn on a canvas of our own.
    page.check("label:has-text('heat map') input")
    page.wait_for_selector("canvas.map-heat")
    # Which posts could have seen a point: click beside the line in the Martuni district.
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5)  # an empty spot
    page.wait_for_selector("#map-posts:not([hidden])")
    # …and beside a post: that post is among those that could have seen it.
    page.locator("path.marker-observation_posts").nth(10).dispatch_event("click")
    page.click(".leaflet-popup button:has-text('Which posts could have seen this?')")
    page.wait_for_selector("#map-posts li a:has-text('Observation post')")
    # An incident's popup asks the same question for its point.
    page.keyboard.press("Escape")
    page.locator("path.marker-ceasefire_incidents").first.dispatch_event("click")
    page.click(".leaflet-popup button:has-text('Which posts could have seen this?')")
    page.wait_for_selector("#map-posts h2")
    page.keyboard.press("Escape")
    # An analyst draws a new line: three clicks, a name, Finish.
    page.on("dialog", lambda dialog: dialog.accept("Section drawn in the browser")
            if dialog.type == "prompt" else dialog.accept())
    page.click("button[data-draw=line_of_contact]")
    for x, y in [(200, 150), (260, 190), (320, 230)]:
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.click("button[data-action=finish]")
    page.wait_for_selector(".map-message:has-text('Saved')")
    drawn = MapFeature.objects.get(name="Section drawn in the browser")
    assert len(drawn.geometry["coordinates"]) == 3 and drawn.history.count() == 1
    assert page.locator("path.shape-line_of_contact").count() == 3
    assert outside == [], outside
