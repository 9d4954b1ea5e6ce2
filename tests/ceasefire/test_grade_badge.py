"""The grade an incident's page shows agrees with the analyst's decision (issue 17: an incident verified on one A2
report showed "6 — truth cannot be judged" beside "verified")."""

from __future__ import annotations

import re

import pytest

from peaceops.ceasefire import services
from peaceops.ceasefire.models import Status

pytestmark = pytest.mark.django_db


def _one_a2_report(file):
    incident = file()
    incident.sources.update(reliability="A", credibility=2)  # graded when filed: no analyst's grading since
    return incident


def _decided(incident, users, outcome):
    services.claim(incident, users["analyst"])
    return services.decide(incident, users["analyst"], outcome, "seen from two posts")


def test_verified_on_one_a2_report_shows_a2(file, users, client_for):
    incident = _decided(_one_a2_report(file), users, Status.VERIFIED)
    assert services.grade(incident).code == "A2"
    page = client_for("analyst").get(f"/ceasefire/incidents/{incident.pk}/").content.decode()
    badge = re.search(r'id="grade"[^>]*>([^<]*)<', page).group(1)
    assert badge == "grade A2: probably true"
    assert 'id="grade-help"' in page


def test_verified_on_an_ungraded_report_is_at_least_probably_true(file, users):
    incident = _decided(file(), users, Status.VERIFIED)
    assert services.grade(incident).credibility == 2


def test_unconfirmed_is_never_confirmed_and_refuted_is_improbable(file, users):
    incident = file()
    incident.credibility = 1  # corroborated by two origins
    incident.save()
    assert services.grade(_decided(incident, users, Status.UNCONFIRMED)).credibility == 2
    other = _one_a2_report(file)
    assert services.grade(_decided(other, users, Status.REFUTED)).credibility == 5


def test_reported_incident_keeps_its_sources_grade(file):
    incident = _one_a2_report(file)
    assert services.grade(incident).code == "A2"


def test_the_hxl_export_carries_the_grade_the_page_shows(file, users):
    """An analyst exporting to HXL read the stored credibility (6) for the incident its page grades A2."""
    import csv
    import io

    from peaceops.ceasefire import formats
    from peaceops.ceasefire.models import Incident

    incident = _decided(_one_a2_report(file), users, Status.VERIFIED)
    out = io.StringIO()
    formats.EXPORTERS["hxl"](Incident.objects.filter(pk=incident.pk), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[2][rows[1].index("#indicator+grade")] == "A2"
