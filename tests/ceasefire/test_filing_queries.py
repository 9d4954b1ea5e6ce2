"""What filing an incident through the API sends to the database: the gazetteer's index checked in one statement,
the place read with its parents (the district needs no further read), the alert rules' conditions in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peaceops.alerts.models import Alert
from peaceops.alerts.services import rules
from peaceops.ceasefire.models import Incident
from peaceops.core import mission
from peaceops.core.models import Place, Source

pytestmark = pytest.mark.django_db

# 27 before (2026-12-04): two stamp aggregates, the place, then its parent and grandparent inside the transaction,
# and the active rules with their people.
FILING_QUERIES = 23


def _incident(source):
    return {"occurred_from": "2020-11-20T10:00:00+04:00", "incident_type": "shelling", "sub_type": "artillery",
            "place_name": "Hadrut", "notes": "Pinned cost", "sources_in": [{"source": source, "summary": "Seen"}]}


def test_filing_sends_the_pinned_queries_and_stores_the_district_of_its_place(api_for, users,
                                                                            django_capture_on_commit_callbacks):
    rules.create_rule("casualties only", "ceasefire.violation", conditions={"min_casualties": 1},
                      roles=["analyst"], user=users["coordinator"])
    monitor, source = api_for("monitor"), Source.objects.first().pk
    assert monitor.post("/api/ceasefire/incidents/", _incident(source), format="json").status_code == 201
    mission.current()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = monitor.post("/api/ceasefire/incidents/", _incident(source), format="json")
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == FILING_QUERIES, "\n".join(s[:120] for s in sql)
    assert sum('"alerts_alertrule"' in s for s in sql) == 1
    incident = Incident.objects.get(pk=response.json()["id"])
    hadrut = Place.objects.get(name="Hadrut")
    assert incident.place_id == hadrut.pk and incident.district_id == hadrut.district().pk
    assert not Alert.objects.exists()


def test_a_rule_made_between_two_filings_hears_the_second(api_for, users, django_capture_on_commit_callbacks):
    monitor, source = api_for("monitor"), Source.objects.first().pk
    with django_capture_on_commit_callbacks(execute=True):
        first = monitor.post("/api/ceasefire/incidents/", _incident(source), format="json").json()["id"]
    made = rules.create_rule("every violation", "ceasefire.violation", roles=["analyst"], user=users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        second = monitor.post("/api/ceasefire/incidents/", _incident(source), format="json").json()["id"]
    assert list(Alert.objects.values_list("rule_id", "subject_id")) == [(made.pk, str(second))]
    assert first != second


def test_a_place_added_after_a_filing_is_the_nearest_for_the_next(world, users):
    """Without a place, the district is the nearest located place's: the located places are kept per process
    only while the gazetteer's stamp stands."""
    from peaceops.ceasefire import services
    from tests.ceasefire.conftest import local

    hadrut = world["places"]["hadrut"]
    lat, lon = float(hadrut.latitude) + 0.02, float(hadrut.longitude) + 0.02
    when = local(2020, 12, 12, 10)

    def filed():
        return services.file_incident(users["monitor"], {
            "occurred_from": when, "occurred_to": when, "incident_type": "shelling", "sub_type": "mortar",
            "latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}"}, [(world["sources"]["patrol"], "seen")])

    assert filed().district_id == hadrut.district().pk
    region = Place.objects.create(name="Test region", kind="region")
    Place.objects.create(name="Test hamlet", kind="settlement", parent=region, latitude=f"{lat:.6f}",
                         longitude=f"{lon:.6f}")
    assert filed().district_id == region.pk
