"""The incident list API builds its rows from column values (peaceops.ceasefire.rows) for speed: every row must
be what IncidentSerializer writes, in each language, and every change to what a row shows must show at once."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from peaceops.ceasefire import rows, services
from peaceops.ceasefire.models import Incident
from peaceops.ceasefire.serializers import IncidentSerializer
from peaceops.core.models import SourceReport
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db


def _serialized(ids: list[int]) -> list[dict]:
    """What the serializer writes for these incidents, over the same prefetches the viewset reads."""
    items = Prefetch("sources", SourceReport.objects.select_related("source").order_by("-received_at", "id"))
    queryset = (Incident.objects.filter(pk__in=ids).select_related("claimed_by", "reported_by", "place", "district")
                .prefetch_related(items, "steps__actor"))
    by_id = {i.pk: i for i in queryset}
    return json.loads(JSONRenderer().render(IncidentSerializer([by_id[i] for i in ids], many=True).data))


@pytest.fixture
def varied(file, users, world):
    """Incidents showing every kind of value: bearing and distance, coordinates only, several graded sources,
    party statements, a claim, a decision, a merge, casualties and counts."""
    plain = file("martuni", local(2020, 12, 12, 10))
    bearing = file("martuni", local(2020, 12, 13, 9), bearing="NE", distance_km=Decimal("2.5"), killed_civilian=1,
                   rounds=12, weapons="mortar 82 mm", notes="Сообщение поста")
    coordinates = file(None, local(2020, 12, 14, 8), latitude=Decimal("39.815000"), longitude=Decimal("46.752000"))
    services.attach_source(bearing, users["analyst"], world["sources"]["patrol"], "Seen by the patrol", "B", 2)
    party = next(s for s in world["sources"].values() if s.kind == "party_statement")
    services.attach_source(bearing, users["analyst"], party, "Party statement", "", None)
    services.claim(bearing, users["analyst"])
    services.decide(Incident.objects.get(pk=bearing.pk), users["analyst"], "verified", "Two origins agree.")
    twin = file("martuni", local(2020, 12, 12, 10))
    services.merge(Incident.objects.get(pk=plain.pk), [twin], users["analyst"], "Same event.")
    return [plain, bearing, coordinates, twin]


def test_the_builder_covers_the_serializer():
    assert rows.available(), "IncidentSerializer shows a field peaceops.ceasefire.rows does not build"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_list_rows_equal_the_serializer(api_for, varied, language):
    response = api_for("analyst").get("/api/ceasefire/incidents/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    listed = response.json()["results"]
    ids = [row["id"] for row in listed]
    assert set(ids) >= {i.pk for i in varied}
    with translation.override(language):
        assert listed == _serialized(ids)
    by_id = {row["id"]: row for row in listed}
    assert by_id[varied[1].pk]["corroboration"]["sources"] == 3
    assert len(by_id[varied[1].pk]["steps"]) >= 3


def test_filters_ordering_and_pages_are_the_views(api_for, varied):
    analyst = api_for("analyst")
    got = analyst.get("/api/ceasefire/incidents/?ordering=-occurred_from&page_size=2").json()["results"]
    # Two incidents share a start time: PostgreSQL may return them either way, so compare the times, not the ids.
    starts = dict(Incident.objects.values_list("id", "occurred_from"))
    listed = [starts[r["id"]] for r in got]
    assert listed == sorted(starts.values(), reverse=True)[:len(got)]
    merged = analyst.get(f"/api/ceasefire/incidents/?merged_into={varied[0].pk}").json()
    assert [r["id"] for r in merged["results"]] == [varied[3].pk] and merged["count"] == 1


def test_monitor_lists_only_own(api_for, file, users):
    mine = file("martuni", user="monitor")
    listed = api_for("monitor").get("/api/ceasefire/incidents/").json()["results"]
    assert [r["id"] for r in listed] == list(
        Incident.objects.visible_to(users["monitor"]).values_list("id", flat=True)) and mine.pk in {
        r["id"] for r in listed}


def test_every_change_shows_in_the_next_list(api_for, file, users, world):
    """A new source item, a new step, a changed grade and an edited field each show in the very next page."""
    incident = file("martuni", local(2020, 12, 15, 10))
    analyst = api_for("analyst")

    def row():
        shown = next(r for r in analyst.get("/api/ceasefire/incidents/").json()["results"] if r["id"] == incident.pk)
        assert shown == _serialized([incident.pk])[0]
        return shown

    before = row()
    services.attach_source(incident, users["analyst"], world["sources"]["patrol"], "Patrol saw craters", "A", 2)
    after = row()
    assert len(after["sources"]) == len(before["sources"]) + 1 and after["corroboration"] != before["corroboration"]
    assert after["corroboration"]["confirmed"] and after["steps"][-1]["action"] != before["steps"][-1]["action"]
    report = SourceReport.objects.get(summary="Patrol saw craters")
    report.summary, report.reliability = "Patrol saw fresh craters", "E"
    report.save()
    edited = row()
    assert "Patrol saw fresh craters" in [s["summary"] for s in edited["sources"]]
    assert edited["corroboration"]["reliable"] == after["corroboration"]["reliable"] - 1
    source = world["sources"]["patrol"]
    source.name = "Patrol (renamed)"
    source.save()
    assert "Patrol (renamed)" in [s["source"] for s in row()["sources"]]
    Incident.objects.filter(pk=incident.pk).update(notes="Corrected note")
    assert row()["notes"] == "Corrected note"


def test_the_endpoint_lists_through_the_builder(api_for, varied, monkeypatch):
    """The page comes from the builder, never from the serializer."""
    def refuse(self, instance):
        raise AssertionError("the incident list serialized a model instance")

    monkeypatch.setattr(IncidentSerializer, "to_representation", refuse)
    response = api_for("analyst").get("/api/ceasefire/incidents/")
    assert response.status_code == 200 and len(response.json()["results"]) >= len(varied)


@pytest.mark.parametrize("extra", [{}, {"bearing": "NE", "distance_km": "2.5", "killed_civilian": 1,
                                       "notes": "Сообщение поста", "weapons": "mortar 82 mm"}])
def test_the_filing_answer_is_the_serializers(api_for, world, extra):
    """A filing answers with the new record's row (rows.incident_rows), which must be what the serializer writes
    for the stored record, write-only fields left out."""
    body = {"occurred_from": "2020-12-12T10:00:00+04:00", "place_name": "Hadrut", "incident_type": "shelling",
            "sub_type": "artillery", "sources_in": [{"source": world["sources"]["patrol"].pk, "summary": "Seen"}],
            **extra}
    response = api_for("monitor").post("/api/ceasefire/incidents/", body, format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer == _serialized([answer["id"]])[0]
    assert answer["steps"][0]["action"] == "filed" and answer["sources"][0]["summary"] == "Seen"
