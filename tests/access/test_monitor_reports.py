"""A monitor sees the items of information they recorded, not other monitors' (DESIGN: "see own submissions");
analysts and coordinators see all. On the web and in the API alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from peaceops.core import services
from peaceops.core.models import Source, SourceReport
from tests.access.conftest import make_account, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_monitors_reports(users):
    other = make_account("monitor2", "monitor")
    patrol = Source.objects.get(kind="patrol")
    when = timezone.now() - dt.timedelta(hours=1)
    mine = services.report_information(patrol, when, "Own report: shots heard near post 7", user=users["monitor"])
    theirs = services.report_information(patrol, when, "Other monitor: informant Synthetic Name met at the well",
                                         user=other)
    return patrol, mine, theirs, other


def test_the_api_lists_and_reads_only_a_monitor_s_own_reports(api_for, two_monitors_reports):
    _patrol, mine, theirs, _other = two_monitors_reports
    monitor = api_for("monitor")
    ids = {row["id"] for row in monitor.get("/api/source-reports/").json()["results"]}
    assert mine.pk in ids and theirs.pk not in ids
    assert monitor.get(f"/api/source-reports/{theirs.pk}/").status_code == 404
    assert monitor.get(f"/api/source-reports/{mine.pk}/").json()["reported_by"] is not None
    for role in ("analyst", "coordinator"):
        seen = {row["id"] for row in api_for(role).get("/api/source-reports/").json()["results"]}
        assert {mine.pk, theirs.pk} <= seen, role


def test_the_source_page_shows_a_monitor_only_their_own_reports(client_for, two_monitors_reports):
    patrol, _mine, _theirs, other = two_monitors_reports
    page = client_for("monitor").get(f"/sources/{patrol.pk}/").content.decode()
    assert "Own report" in page and "Synthetic Name" not in page
    assert "Synthetic Name" in signed_in(other).get(f"/sources/{patrol.pk}/").content.decode()
    assert "Synthetic Name" in client_for("analyst").get(f"/sources/{patrol.pk}/").content.decode()


def test_what_a_monitor_records_is_theirs(api_for, client_for, users):
    patrol = Source.objects.get(kind="patrol")
    created = api_for("monitor").post("/api/source-reports/", {
        "source": patrol.pk, "received_at": "2020-12-12T08:00:00Z", "summary": "Convoy passed"}, format="json")
    assert created.status_code == 201
    assert SourceReport.objects.get(pk=created.json()["id"]).reported_by == users["monitor"]
    client_for("monitor").post(f"/sources/{patrol.pk}/", {"received_at": "2020-12-12 09:00",
                                                           "summary": "Second convoy passed", "reference": ""})
    assert SourceReport.objects.get(summary="Second convoy passed").reported_by == users["monitor"]
