"""In a real browser: a phone's incident that named an unknown place waits in the review queue with the reason;
the analyst corrects the place and accepts, and the incident exists. Screenshots at desktop and phone widths."""

from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def waiting(live_world):
    from django.contrib.auth.models import User

    from peaceops.core.models import Place
    from peaceops.fieldforms import services
    from peaceops.fieldforms.catalogue import forms, place_key
    from tests.fieldforms.collect import fill

    monitor = User.objects.get(username="monitor")
    xform = forms()["incident_report"].built().xform
    xml, instance_id = fill(xform, {"/data/place": "PO-NOWHERE", "/data/incident_type": "shelling",
                                    "/data/sub_type": "mortar"})
    services.receive(xml, user=monitor)
    broken, _other = fill(xform, {"/data/location": "55.75 37.61 0 0"})
    services.receive(broken, user=monitor)
    op = Place.objects.filter(kind="observation_post").order_by("name").first()
    return instance_id, place_key(op)


def test_review_queue_correct_and_accept(browser_page, waiting):
    instance_id, good_place = waiting
    page = browser_page
    login(page, "analyst")
    page.goto("/field-forms/submissions/")
    assert "PO-NOWHERE" in page.text_content("#submissions")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(SHOTS / "fieldforms-queue-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "fieldforms-queue-390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click(f"#submissions tr:has-text('{instance_id}') a")
    page.screenshot(path=str(SHOTS / "fieldforms-submission-1366.png"), full_page=True)
    xml = page.input_value("#xml")
    page.fill("#xml", xml.replace("PO-NOWHERE", good_place))
    page.click("#accept button[type=submit]")
    page.wait_for_url("**/field-forms/submissions/")
    from peaceops.ceasefire.models import Incident

    assert Incident.objects.filter(external_id=instance_id).count() == 1
