"""`peaceops forms submissions`: one entry per instance id, with the channels that delivered it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from tests.fieldforms.collect import fill, submit

pytestmark = pytest.mark.django_db


def _listing(*args) -> list[dict]:
    out = io.StringIO()
    call_command("forms", "submissions", "--format", "json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_one_entry_per_instance_id_with_delivery_counts(phone, password, xforms, place_key):
    xml, accepted_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    submit(phone, xml, "monitor", password)
    submit(phone, xml, "monitor", password)
    other, _same = fill(xforms["incident_report"], {"/data/place": place_key("op03"), "/data/notes": "x"},
                        instance_id=accepted_id)
    submit(phone, other, "monitor", password)
    broken, review_id = fill(xforms["incident_report"], {"/data/place": "PO-NOWHERE"})
    submit(phone, broken, "monitor", password)
    rows = {row["instance_id"]: row for row in _listing()}
    assert set(rows) == {accepted_id, review_id}
    assert rows[accepted_id]["channels"] == {"openrosa": 3}
    assert rows[accepted_id]["state"] == "conflict" and rows[accepted_id]["record"].startswith("ceasefire.Incident:")
    assert rows[review_id]["state"] == "in review" and "PO-NOWHERE" in rows[review_id]["reason"]
    assert [r["instance_id"] for r in _listing("--state", "review")] == [review_id]
    assert _listing("--form", "returnee_registration") == []


def test_text_format_names_state_and_record(phone, password, xforms, place_key):
    xml, instance_id = fill(xforms["incident_report"], {"/data/place": place_key("op03")})
    submit(phone, xml, "monitor", password)
    out = io.StringIO()
    call_command("forms", "submissions", stdout=out, stderr=io.StringIO())
    line = out.getvalue().strip()
    assert line.startswith(instance_id) and "\taccepted\t" in line and "openrosa×1" in line
