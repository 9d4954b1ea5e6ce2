"""One error shape for the whole API (issue 18, item 4): whatever refuses a request — a serializer, a malformed
body, a bad parameter, a service's ValidationError or PermissionDenied — the body is a JSON object whose
`detail` is one readable sentence, with each field's messages as a list beside it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError

from peaceops.api.errors import exception_handler

INCIDENT = "/api/ceasefire/incidents/"


def _one_shape(body) -> dict:
    assert isinstance(body, dict), body
    assert isinstance(body["detail"], str) and body["detail"].strip(), body
    for key, value in body.items():
        if key != "detail":
            assert isinstance(value, (list, dict)), (key, body)
    return body


def _incident(world, **changes):
    body = {"occurred_from": "2020-12-12T10:00:00+04:00", "place_name": "Hadrut", "incident_type": "shelling",
            "sub_type": "artillery", "sources_in": [{"source": world["sources"]["patrol"].pk}]}
    return {**body, **changes}


def test_a_validation_error_and_a_parse_error_have_the_same_shape(api_for, world):
    monitor = api_for("monitor")
    invalid = monitor.post(INCIDENT, _incident(world, killed_civilian=-1), format="json")
    malformed = monitor.post(INCIDENT, "{not json", content_type="application/json")
    not_an_object = monitor.post(INCIDENT, "[]", content_type="application/json")
    assert (invalid.status_code, malformed.status_code, not_an_object.status_code) == (400, 400, 400)
    field = _one_shape(invalid.json())
    assert field["killed_civilian"] and "killed_civilian" in field["detail"]
    assert "JSON parse error" in _one_shape(malformed.json())["detail"]
    assert "must be a JSON object" in _one_shape(not_an_object.json())["detail"]
    assert set(_one_shape(malformed.json())) == set(_one_shape(not_an_object.json())) == {"detail"}


def test_a_bad_parameter_names_itself_in_the_same_shape(api_for, world):
    response = api_for("coordinator").get(f"{INCIDENT}counts/?from=soon&to=2020-12-13")
    body = _one_shape(response.json())
    assert response.status_code == 400 and body["from"] and "soon" in body["detail"]


def test_a_service_refusal_is_converted_once_for_every_view():
    listed = exception_handler(DjangoValidationError(["Already approved.", "Read it first."]), {})
    by_field = exception_handler(DjangoValidationError({"date": ["Give the date."]}), {})
    overall = exception_handler(DjangoValidationError({"__all__": ["Not both."], "to": ["Too late."]}), {})
    refused = exception_handler(DjangoPermissionDenied("Four eyes: someone else approves."), {})
    assert (listed.status_code, by_field.status_code, overall.status_code, refused.status_code) == (400, 400, 400, 403)
    assert listed.data == {"detail": "Already approved. Read it first."}
    assert by_field.data == {"detail": "date: Give the date.", "date": ["Give the date."]}
    assert overall.data == {"detail": "Not both. to: Too late.", "to": ["Too late."]}
    assert refused.data == {"detail": "Four eyes: someone else approves."}


@pytest.mark.parametrize("role, path", [("public", INCIDENT), ("monitor", f"{INCIDENT}999999/")])
def test_refusals_and_missing_records_read_the_same_way(api_for, world, role, path):
    _one_shape(api_for(role).get(path).json())
