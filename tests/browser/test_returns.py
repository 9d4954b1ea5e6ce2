"""In a real browser: plan a convoy, dispatch it, pass every checkpoint, arrive — and the returned-as-of figure
rises by the manifest's head count."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(live_world):
    from peaceops.core.models import Place
    from peaceops.returns import services
    from peaceops.scenario.gazetteer_data import ALL_PLACES, CORRIDOR_ORDER

    places = {k: Place.objects.get(name=ALL_PLACES[k][0]) for k in CORRIDOR_ORDER + ["stepanakert"]}
    services.create_corridor("Browser corridor", [places[k] for k in CORRIDOR_ORDER],
                             at=timezone.now() - dt.timedelta(days=2))
    for size in (3, 2):
        services.register_household([services.MemberSpec(name=f"Անի Մելքոնյան {i}") for i in range(size)],
                                    places["stepanakert"], registered_on=timezone.localdate() - dt.timedelta(days=1))


def _total(page) -> int:
    page.goto("/returns/")
    return int(page.get_attribute("#returned-total", "data-total"))


def test_plan_dispatch_pass_arrive_raises_the_count(browser_page, waiting):
    page = browser_page
    login(page, "returns_officer")
    before = _total(page)

    page.goto("/returns/convoys/plan/")
    page.select_option("#id_corridor", label="Browser corridor")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_buses", "4, 4")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#convoy-status")
    heads = int(page.inner_text("#head-count"))
    assert heads == 5  # both households, never split across the two 4-seat buses

    page.click("#dispatch-form button[type=submit]")
    page.wait_for_selector("#pass-form")
    for _ in range(4):  # Goris, Kornidzor, Berdzor / Lachin, Shushi / Shusha, in order
        page.fill("#pass-form input[name=checked_by]", "Sgt Petrov")
        page.click("#pass-form button[type=submit]")
        page.wait_for_load_state()
    page.click("#arrive-form button[type=submit]")
    page.wait_for_selector("text=Arrival recorded")
    assert "arrived" in page.inner_text("#convoy-status")

    assert _total(page) == before + heads


def test_household_list_reads_on_a_phone_without_sideways_scrolling(browser_page, waiting):
    """At 390 px each household is a card of labelled lines: the destination and state are on screen, not in a
    table scrolled sideways (they were cut off at the screen's edge, the Russian column heads the widest)."""
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "returns_officer")
    for language in ("en", "ru"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
        page.goto("/returns/households/?state=waiting")
        table = page.locator("main table").first
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
        destination = table.locator("tbody tr").first.locator("td").nth(3)
        box = destination.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        label = destination.evaluate("td => getComputedStyle(td, '::before').content")
        assert ("Destination" if language == "en" else "Место назначения") in label


def test_a_duplicate_proposal_reads_on_a_phone_without_sideways_scrolling(browser_page, live_world):
    """At 390 px a proposal's two registrations and its reasons are cards of labelled lines (both tables ran off
    the screen's edge: registration B, the weight and the verdict were out of sight)."""
    from django.contrib.auth.models import User

    from peaceops.core.models import Place
    from peaceops.returns import services
    from peaceops.returns.services import duplicates
    from peaceops.scenario.gazetteer_data import ALL_PLACES

    place = Place.objects.get(name=ALL_PLACES["stepanakert"][0])
    for members in ([("Արմեն Պետրոսյան", "M"), ("Անահիտ Պետրոսյան", "F")], [("Армен Петросян", "M")]):
        services.register_household([services.MemberSpec(name=name, sex=sex, birth_year=1980, birth_month=5,
                                                         birth_day=12 if sex == "M" else 3)
                                     for name, sex in members], place, registered_on=dt.date(2020, 11, 12))
    assert duplicates.find_duplicates(User.objects.get(username="returns_officer")).created >= 1
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "returns_officer")
    for language, weight in (("en", "Weight"), ("ru", "Вес")):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
        page.goto("/returns/duplicates/")
        tables = page.locator("main section.duplicate table")
        assert tables.count() >= 2
        for table in tables.all():
            assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), language
        cell = page.locator("main table.reasons tbody tr").first.locator("td").nth(4)
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        assert weight in cell.evaluate("td => getComputedStyle(td, '::before').content")
