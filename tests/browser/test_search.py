"""In a real browser: a name typed in Latin finds people written in Armenian and Cyrillic, and the list shows
each name as written with a marked transliteration, at desktop and phone widths, in English and Russian.

Screenshots go to $PEACEOPS_SCREENSHOTS (default: the pytest temporary directory) to be looked at."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def registered(live_world):
    from peaceops.core.models import Place
    from peaceops.returns import services

    stepanakert = Place.objects.get(name="Stepanakert / Khankendi")
    for names in (["Արամ Հովհաննիսյան", "Անի Հովհաննիսյան"], ["Оганесян Карен"], ["Elçin Hüseynov"]):
        services.register_household([services.MemberSpec(name=n) for n in names], stepanakert,
                                    registered_on=timezone.localdate() - dt.timedelta(days=1))


@pytest.mark.parametrize("width", [1366, 390])
def test_a_latin_query_finds_every_script_and_names_are_transliterated(browser_page, registered, width, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "coordinator")
    page.goto("/people/?q=Hovhannisyan")
    rows = page.locator("tbody tr")
    assert rows.count() == 3  # Արամ and Անի Հովհաննիսյան, and Оганесян Карен by sound
    text = page.inner_text("tbody")
    assert "Aram Hovhannisyan" in text and "Oganesyan Karen" in text
    assert page.locator(".name-translit").first.get_attribute("title")
    out = Path(os.environ.get("PEACEOPS_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"people-search-en-{width}.png"), full_page=True)
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": page.url}])
    page.goto("/people/?q=Huseynov")
    assert "Элчин Гусейнов" in page.inner_text("tbody")
    page.screenshot(path=str(out / f"people-search-ru-{width}.png"), full_page=True)
