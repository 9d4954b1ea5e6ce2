"""One date and number format per language on the pages (issue 17: "49118" beside "73,700", "Oct. 11, 2020"
beside ISO dates)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import translation

NBSP = "\u00a0"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_date_without_a_format_is_iso(language):
    with translation.override(language):
        text = Template("{{ d }} {{ t }}").render(Context({"d": dt.date(2020, 10, 11),
                                                          "t": dt.datetime(2020, 10, 11, 9, 5)}))
    assert text == "2020-10-11 2020-10-11 09:05"


@pytest.mark.django_db
def test_dashboard_figures_are_grouped_in_the_language(client_for, monkeypatch):
    from peaceops.returns import dashboard
    from peaceops.returns.services.counting import ReturnedCount

    monkeypatch.setattr(dashboard, "returned_as_of", lambda day: ReturnedCount(day=day, end=None, total=48_983, last_24h=1_204))
    client = client_for("coordinator")
    english = client.get("/dashboard/").content.decode()
    assert "48,983" in english and re.search(r">\s*48983\s*<", english) is None
    client.cookies["django_language"] = "ru"
    russian = client.get("/dashboard/").content.decode()
    assert f"48{NBSP}983" in russian
