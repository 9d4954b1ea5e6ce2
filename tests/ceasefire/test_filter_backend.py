"""The filter backend skips django-filter's filter set when a request names none of its filters (CPU on every
list page), and filters exactly as before when it does; the schema still documents the filters."""

from __future__ import annotations

import pytest
from django_filters.rest_framework import DjangoFilterBackend

pytestmark = pytest.mark.django_db


def test_no_filter_parameter_builds_no_filter_set(api_for, monkeypatch):
    built = []
    original = DjangoFilterBackend.get_filterset

    def counting(self, *args, **kwargs):
        built.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DjangoFilterBackend, "get_filterset", counting)
    api = api_for("analyst")
    assert api.get("/api/ceasefire/incidents/?page=1").status_code == 200 and built == []
    assert api.get("/api/ceasefire/incidents/?status=verified").status_code == 200 and built == [1]


def test_filters_still_filter_and_refuse_bad_values(api_for, file):
    reported = file("martuni")
    api = api_for("analyst")
    assert [r["id"] for r in api.get("/api/ceasefire/incidents/?status=reported").json()["results"]] == [reported.pk]
    assert api.get("/api/ceasefire/incidents/?status=verified").json()["results"] == []
    assert api.get("/api/ceasefire/incidents/?place=not-a-number").status_code == 400


def test_the_schema_still_lists_the_filters(api_for):
    schema = api_for("analyst").get("/api/schema/?format=json").json()
    names = {p["name"] for p in schema["paths"]["/api/ceasefire/incidents/"]["get"]["parameters"]}
    assert {"status", "incident_type", "place", "merged_into"} <= names
