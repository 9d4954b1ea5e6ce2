"""The public sees published versions only: figures recorded after the last published sitrep (a convoy, a
registration, a facility's status) do not reach any public page, API answer or file until the next one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from peaceops.reports import services as reports
from peaceops.restoration.services.assessments import record_assessment
from peaceops.returns import services
from tests.returns.conftest import at, run_to_arrival

DAY = dt.date(2020, 11, 22)
NEXT = DAY + dt.timedelta(days=1)


def _convoy(corridor, household, sizes, day: dt.date, hour: int):
    for size in sizes:
        household(size, destination="stepanakert", registered=(day - dt.timedelta(days=3)).isoformat())
    convoy = services.plan_convoy(corridor, day, [60]).convoy
    run_to_arrival(convoy, at(day.isoformat(), hour))
    return convoy


def _publish(users, day: dt.date):
    coordinator = users["coordinator"]
    draft = reports.start_draft(day, coordinator, "" if not reports.latest_published(day) else "correction")
    second = users["coordinator2"]  # four eyes: the drafter neither approves nor publishes
    return reports.publish(reports.approve(draft, second), second, confirmed=True)


def _without_tokens(text: str) -> str:
    # Every rendering carries a fresh CSRF token; nothing else may differ.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"', "", text)


def _public_surfaces(client_for, api_for) -> dict[str, str]:
    anonymous, public = Client(), client_for("public")
    api = api_for("public")
    return {
        "home (anonymous)": _without_tokens(anonymous.get("/").content.decode()),
        "home (public role)": _without_tokens(public.get("/").content.decode()),
        "returned page (public role)": _without_tokens(public.get(f"/returns/?as_of={NEXT}").content.decode()),
        "returned chart (public role)": public.get(f"/returns/returned/chart.svg?as_of={NEXT}").content.decode(),
        "returned API (public role)": api.get(f"/api/returns/returned-as-of/?as_of={NEXT}").content.decode(),
        "public sitreps API": anonymous.get("/api/public/sitreps/").content.decode(),
        "public HXL": anonymous.get("/reports/public/sitreps.hxl.csv").content.decode(),
        "public sitrep page": _without_tokens(anonymous.get(f"/reports/public/{DAY}/").content.decode()),
        "public Markdown": anonymous.get(f"/reports/public/{DAY}/download.md").content.decode(),
    }


@pytest.mark.django_db
def test_nothing_public_before_the_first_publication(corridor, household, grid, client_for, api_for):
    _convoy(corridor, household, [12, 9], DAY, 10)
    home = Client().get("/").content.decode()
    assert "Nothing has been published yet" in home
    assert "Life-support services" not in home and "55,200" not in home
    page = client_for("public").get(f"/returns/?as_of={DAY}").content.decode()
    assert "Nothing has been published yet" in page and 'data-total="21"' not in page and ">21<" not in page
    data = api_for("public").get(f"/api/returns/returned-as-of/?as_of={DAY}").json()
    assert data["total"] is None and data["published_day"] is None and data["by_destination"] == []
    # Working roles still read the live count.
    assert 'data-total="21"' in client_for("coordinator").get(f"/returns/?as_of={DAY}").content.decode()


@pytest.mark.django_db
def test_public_views_move_only_on_publication(corridor, household, grid, users, client_for, api_for):
    _convoy(corridor, household, [12, 9], DAY, 10)
    _publish(users, DAY)
    before = _public_surfaces(client_for, api_for)
    assert 'data-total="21"' in before["returned page (public role)"]
    assert "Life-support services in the region" in before["home (anonymous)"]

    # After the publication: a convoy arrives minutes later on the same day and another the next day, a
    # household registers, and the substation goes down.
    _convoy(corridor, household, [7, 6], DAY, 23)
    _convoy(corridor, household, [8], NEXT, 11)
    household(5, registered=NEXT.isoformat())
    record_assessment(grid["substation"], DAY, "Eng. A", 4, 0)
    record_assessment(grid["substation"], NEXT, "Eng. A", 4, 0)

    after = _public_surfaces(client_for, api_for)
    for surface, text in before.items():
        assert after[surface] == text, f"{surface} moved before any publication"
    assert 'data-total="42"' in client_for("coordinator").get(f"/returns/?as_of={NEXT}").content.decode()

    _publish(users, NEXT)
    moved = _public_surfaces(client_for, api_for)
    assert 'data-total="42"' in moved["returned page (public role)"]
    assert api_for("public").get(f"/api/returns/returned-as-of/?as_of={NEXT}").json()["total"] == 42
    assert f"{NEXT.isoformat()}," in moved["public HXL"]
    # Asked about the earlier day, the public role still gets that day's published figure.
    assert api_for("public").get(f"/api/returns/returned-as-of/?as_of={DAY}").json()["total"] == 21
