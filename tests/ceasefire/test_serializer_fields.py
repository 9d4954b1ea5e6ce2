"""IncidentSerializer's fields are copied from a per-class template per instance: shallow copies for plain fields,
DRF's deep copy for fields holding fields. Validation and output are those of deep-copied fields."""

from __future__ import annotations

import copy
import threading

import pytest
from rest_framework import fields as drf_fields
from rest_framework.test import APIRequestFactory

from peaceops.ceasefire import serializers as module
from peaceops.ceasefire.serializers import IncidentSerializer
from peaceops.core.models import Source

pytestmark = pytest.mark.django_db


def _payloads(source_pk):
    good = {"occurred_from": "2020-11-20T10:00:00+04:00", "incident_type": "shelling", "sub_type": "artillery",
            "place_name": "Hadrut", "notes": "x", "sources_in": [{"source": source_pk, "summary": "Seen"}]}
    return [
        good,
        {**good, "bearing": "NE", "distance_km": "2.5", "killed_civilian": 1},
        {**good, "occurred_to": "2020-11-20T09:00:00+04:00"},  # refused by the service, not here
        {**good, "place_name": "Novosibirsk"},
        {**good, "incident_type": "nonsense", "bearing": "XX", "killed_military": -1, "distance_km": "abc"},
        {**good, "sources_in": [{"source": 987654}]},
        {**good, "sources_in": []},  # refused by the service
        {k: v for k, v in good.items() if k != "sources_in"},
        {"notes": 5},
    ]


def _outcome(users, data):
    request = APIRequestFactory().post("/api/ceasefire/incidents/")
    request.user = users["monitor"]
    serializer = IncidentSerializer(data=data, context={"request": request})
    valid = serializer.is_valid()
    return valid, serializer.errors, dict(serializer.validated_data) if valid else None


def test_validation_is_that_of_deep_copied_fields(users, monkeypatch):
    payloads = _payloads(Source.objects.first().pk)
    now = [_outcome(users, data) for data in payloads]
    monkeypatch.setattr(module, "fresh_fields", lambda template: copy.deepcopy(template))
    before = [_outcome(users, data) for data in payloads]
    assert now == before
    assert [valid for valid, _e, _d in now] == [True, True, True, False, False, False, True, False, False]


def test_an_instance_gets_its_fields_without_rebuilding_them(monkeypatch):
    assert IncidentSerializer().fields  # builds the template
    built = []
    original = drf_fields.Field.__init__

    def counting(self, *args, **kwargs):
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(drf_fields.Field, "__init__", counting)
    fields = IncidentSerializer().fields
    assert len(fields) > 40
    assert len(built) <= 6, built  # the nested sources_in and steps only (deep-copied with their children)


def test_each_instance_has_its_own_bound_fields_and_the_template_stays_unbound():
    one, two = IncidentSerializer(), IncidentSerializer()
    for name in one.fields:
        assert one.fields[name] is not two.fields[name]
        assert one.fields[name].parent is one and two.fields[name].parent is two
    template = IncidentSerializer._fields_template
    assert all(field.parent is None and field.field_name is None for field in template.values())
    assert one.fields["sources_in"].child is not two.fields["sources_in"].child
    assert one.fields["sources_in"].child.parent is one.fields["sources_in"]


def test_instances_built_in_threads_bind_their_own_fields():
    seen, errors = [], []

    def build():
        try:
            for _ in range(50):
                serializer = IncidentSerializer()
                assert all(field.parent is serializer for field in serializer.fields.values())
            seen.append(True)
        except AssertionError as exc:  # pragma: no cover - the failure is reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(seen) == 4


def test_a_validator_added_to_one_instances_field_stays_there():
    one, two = IncidentSerializer(), IncidentSerializer()
    one.fields["notes"].validators.append(lambda value: None)
    assert len(two.fields["notes"].validators) == len(one.fields["notes"].validators) - 1
    assert len(IncidentSerializer().fields["notes"].validators) == len(two.fields["notes"].validators)
