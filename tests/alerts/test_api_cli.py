"""`peaceops alerts list [--open] --format json`, `peaceops tasks list [--user U] [--state S] --format json`, and
the same under /api/alerts/ and /api/tasks/."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from peaceops.alerts.services import rules, work

pytestmark = pytest.mark.django_db

ALERT_KEYS = {"id", "rule", "severity", "created", "acknowledged_by", "subject", "kind"}


@pytest.fixture
def two_alerts(rule, users):
    r = rule("ceasefire.violation", roles=["analyst"])
    first = rules.raise_alert("ceasefire.violation", "warning", roles=["analyst"], rule=r,
                              link="/ceasefire/incidents/5/", subject_model="ceasefire.incident", subject_id="5")
    second = rules.raise_alert("returns.corridor_closed", "critical", roles=["returns_officer"])
    rules.acknowledge(second, users["returns_officer"])
    return first, second


def test_alerts_list_command_json(two_alerts, capsys):
    first, second = two_alerts
    call_command("alerts", "list", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [second.pk, first.pk] and ALERT_KEYS <= set(rows[0])
    assert rows[1]["subject"] == {"model": "ceasefire.incident", "id": "5", "link": "/ceasefire/incidents/5/"}
    assert rows[1]["rule"]["name"] == "rule ceasefire.violation" and rows[0]["acknowledged_by"] == "returns_officer"
    call_command("alerts", "list", "--open", "--format", "json")
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [first.pk]


def test_alerts_api_is_narrowed_to_recipients_and_acknowledges(two_alerts, api_for):
    first, second = two_alerts
    rows = api_for("analyst").get("/api/alerts/").json()["results"]
    assert [r["id"] for r in rows] == [first.pk] and ALERT_KEYS <= set(rows[0])
    assert [r["id"] for r in api_for("coordinator").get("/api/alerts/?open=1").json()["results"]] == [first.pk]
    assert api_for("returns_officer").get(f"/api/alerts/{first.pk}/").status_code == 404
    assert api_for("public").get("/api/alerts/").status_code == 404
    response = api_for("analyst").post(f"/api/alerts/{first.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["acknowledged_by"] == "analyst"
    assert api_for("analyst").post(f"/api/alerts/{first.pk}/acknowledge/").status_code == 400


def test_tasks_list_command_and_api(users, capsys, api_for):
    due = timezone.now() + dt.timedelta(hours=2)
    a = work.open_task(users["returns_officer"], kind="investigate", title="A", owner=users["analyst"], due_at=due)
    b = work.open_task(users["returns_officer"], kind="patrol", title="B", owner=users["engineer"], due_at=due)
    work.accept(b, users["engineer"])
    call_command("tasks", "list", "--user", "engineer", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["state"], r["owner"]) for r in rows] == [(b.pk, "accepted", "engineer")]
    call_command("tasks", "list", "--state", "open", "--format", "json")
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [a.pk]
    assert [r["id"] for r in api_for("coordinator").get("/api/tasks/?state=accepted").json()["results"]] == [b.pk]
    assert [r["id"] for r in api_for("analyst").get("/api/tasks/").json()["results"]] == [a.pk]
    assert api_for("coordinator").get("/api/tasks/?state=nonsense").status_code == 400


def test_tasks_api_opens_and_moves_a_task(users, api_for, file):
    incident = file()
    response = api_for("analyst").post("/api/tasks/", {
        "kind": "investigate", "title": "Check", "owner": "analyst", "due_at": "2030-01-01T10:00:00Z",
        "subject_kind": "incident", "subject_id": incident.pk}, format="json")
    assert response.status_code == 201, response.content
    task = response.json()
    assert task["subject"]["link"] == f"/ceasefire/incidents/{incident.pk}/" and task["state"] == "open"
    assert api_for("analyst").post(f"/api/tasks/{task['id']}/accept/").json()["state"] == "accepted"
    declined = api_for("analyst").post(f"/api/tasks/{task['id']}/decline/", {"reason": ""}, format="json")
    assert declined.status_code == 400
    done = api_for("analyst").post(f"/api/tasks/{task['id']}/done/", {"outcome": "fine"}, format="json")
    assert done.json()["state"] == "done"
    assert api_for("monitor").post("/api/tasks/", {}, format="json").status_code == 403


def test_rules_api_is_for_coordinators(api_for):
    body = {"name": "closed", "kind": "returns.corridor_closed", "roles": ["returns_officer"], "severity": "critical"}
    assert api_for("analyst").post("/api/alert-rules/", body, format="json").status_code == 403  # reads, not sets
    assert api_for("public").post("/api/alert-rules/", body, format="json").status_code == 404
    response = api_for("coordinator").post("/api/alert-rules/", body, format="json")
    assert response.status_code == 201 and response.json()["roles"] == ["returns_officer"]
    bad = api_for("coordinator").post("/api/alert-rules/", {**body, "kind": "nope"}, format="json")
    assert bad.status_code == 400


def test_alert_pages(two_alerts, client_for):
    first, _second = two_alerts
    assert client_for("analyst").get("/alerts/count/").content.decode().count('data-count="1"') == 1
    page = client_for("analyst").get(f"/alerts/{first.pk}/").content.decode()
    assert "ack-form" in page
    client_for("analyst").post(f"/alerts/{first.pk}/")
    first.refresh_from_db()
    assert first.acknowledged_by.username == "analyst"
    assert client_for("engineer").get(f"/alerts/{first.pk}/").status_code == 404
    dashboard = client_for("analyst").get("/dashboard/").content.decode()
    assert 'id="section-alerts"' in dashboard and "/alerts/count/" in dashboard
    rules_page = client_for("coordinator").post("/alerts/rules/", {
        "name": "district", "kind": "ceasefire.violation", "district": "12", "severity": "warning",
        "roles": ["analyst"]})
    assert rules_page.status_code == 302
    from peaceops.alerts.models import AlertRule

    assert AlertRule.objects.get(name="district").conditions == {"district": 12}
    readable = client_for("analyst").get("/alerts/rules/")  # every working role reads the rules; only
    assert readable.status_code == 200 and 'id="rule-form"' not in readable.content.decode()  # coordinators set
    assert client_for("public").get("/alerts/rules/").status_code == 404
