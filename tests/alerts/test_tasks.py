"""Tasks from an incident, a tracing request, a facility or an alert: open → accepted → done / declined with a
reason; overdue tasks escalate; a referral records its consent basis and what was shared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from peaceops.alerts.models import Alert, Task
from peaceops.alerts.services import rules, work
from peaceops.core.models import AuditEvent, Organisation

pytestmark = pytest.mark.django_db


def _due(hours=4):
    return timezone.now() + dt.timedelta(hours=hours)


def test_a_task_from_an_incident_runs_open_accepted_done(file, users):
    incident = file()
    task = work.open_task(users["analyst"], kind="investigate", title="Look at the crater",
                          owner=users["analyst"], due_at=_due(), subject=("incident", incident.pk))
    assert (task.state, task.link, task.subject_model) == ("open", f"/ceasefire/incidents/{incident.pk}/",
                                                            "ceasefire.incident")
    with pytest.raises(ValidationError, match="owner"):
        work.accept(task, users["coordinator"])
    with pytest.raises(ValidationError):
        work.complete(task, users["analyst"])  # accept first
    work.accept(task, users["analyst"])
    task = work.complete(task, users["analyst"], "two craters, 120 mm")
    assert task.state == "done" and task.closed_at and task.outcome == "two craters, 120 mm"
    events = AuditEvent.objects.filter(model="alerts.Task", object_id=str(task.pk))
    assert events.count() == 3 and not any("crater" in e.object_repr for e in events)  # named by id only


def test_declining_needs_a_reason(users):
    task = work.open_task(users["analyst"], kind="patrol", title="Patrol", owner=users["analyst"],
                          due_at=_due())
    with pytest.raises(ValidationError, match="why"):
        work.decline(task, users["analyst"], " ")
    task = work.decline(task, users["analyst"], "no patrol free before tomorrow")
    assert (task.state, task.decline_reason) == ("declined", "no patrol free before tomorrow")
    with pytest.raises(ValidationError):
        work.accept(task, users["analyst"])


def test_a_subject_the_officer_cannot_see_or_that_does_not_exist_is_refused(users):
    with pytest.raises(ValidationError, match="officer"):  # coordinators read, they do not open tasks
        work.open_task(users["coordinator"], kind="investigate", title="x", owner=users["analyst"], due_at=_due())
    with pytest.raises(ValidationError):
        work.open_task(users["analyst"], kind="investigate", title="x", owner=users["analyst"], due_at=_due(),
                       subject=("incident", 999999))
    with pytest.raises(ValidationError):  # a tracing request is the exchange officers' alone
        work.open_task(users["analyst"], kind="investigate", title="x", owner=users["analyst"], due_at=_due(),
                       subject=("tracing", 1))
    with pytest.raises(ValidationError, match="owner"):
        work.open_task(users["analyst"], kind="investigate", title="x", owner=users["admin"], due_at=_due())


def test_a_referral_records_consent_basis_and_what_was_shared(users):
    from peaceops.exchanges.models import TracingRequest

    request = TracingRequest.objects.create(sought_name="Leyla Aliyeva", requested_by="x", contact="y",
                                            received_on=dt.date(2020, 12, 1))
    officer = users["exchange_officer"]
    task = work.open_task(officer, kind="refer_intermediary", title="Refer", owner=officer, due_at=_due(),
                          subject=("tracing", request.pk))
    work.accept(task, officer)
    with pytest.raises(ValidationError, match="referral"):
        work.complete(task, officer)  # not before the referral is recorded
    intermediary = Organisation.objects.get(acronym="RC")
    with pytest.raises(ValidationError, match="shared"):
        work.refer(task, officer, organisation=intermediary, consent_basis="family", shared="")
    with pytest.raises(ValidationError, match="consent"):
        work.refer(task, officer, organisation=intermediary, consent_basis="because", shared="the file")
    referral = work.refer(task, officer, organisation=intermediary, consent_basis="family",
                          shared="reference number and year of birth", consent_note="signed form")
    assert (referral.consent_basis, referral.shared, referral.referred_by) == (
        "family", "reference number and year of birth", officer)
    assert work.complete(task, officer).state == "done"


def test_only_case_holding_officers_refer(users):
    analyst = users["analyst"]
    task = work.open_task(analyst, kind="refer_agency", title="Refer", owner=analyst, due_at=_due())
    work.accept(task, analyst)
    with pytest.raises(ValidationError, match="cases"):
        work.refer(task, analyst, organisation=Organisation.objects.first(), consent_basis="consent", shared="x")


def test_overdue_tasks_escalate_once_to_owner_and_coordinators(users):
    task = work.open_task(users["analyst"], kind="patrol", title="Patrol", owner=users["engineer"],
                          due_at=timezone.now() - dt.timedelta(minutes=5))
    done = work.open_task(users["analyst"], kind="patrol", title="Patrol", owner=users["engineer"],
                          due_at=timezone.now() - dt.timedelta(minutes=5))
    work.decline(done, users["engineer"], "no longer needed")
    assert rules.escalate()["tasks"] == 1
    assert rules.escalate()["tasks"] == 0
    alert = Alert.objects.get(kind="alerts.task_overdue")
    assert alert.link == f"/alerts/tasks/{task.pk}/" and alert.role_list == ["coordinator"]
    assert Alert.objects.visible_to(users["engineer"]).filter(pk=alert.pk).exists()
    assert not Alert.objects.visible_to(users["analyst"]).filter(pk=alert.pk).exists()
    task.refresh_from_db()
    assert task.escalated_at


def test_tasks_are_visible_to_owner_opener_and_coordinators(users):
    task = work.open_task(users["analyst"], kind="investigate", title="x", owner=users["engineer"], due_at=_due())
    for role, sees in [("analyst", True), ("engineer", True), ("coordinator", True), ("returns_officer", False),
                       ("admin", False), ("public", False)]:
        assert Task.objects.visible_to(users[role]).filter(pk=task.pk).exists() is sees, role


def test_my_tasks_page_and_the_task_page_move_a_task(client_for, users):
    task = work.open_task(users["analyst"], kind="investigate", title="Look at the crater",
                          owner=users["analyst"], due_at=_due())
    page = client_for("analyst").get("/alerts/tasks/").content.decode()
    assert "Look at the crater" in page
    assert "Look at the crater" not in client_for("engineer").get("/alerts/tasks/").content.decode()
    assert client_for("returns_officer").get(f"/alerts/tasks/{task.pk}/").status_code == 404
    client_for("analyst").post(f"/alerts/tasks/{task.pk}/", {"action": "accept"})
    client_for("analyst").post(f"/alerts/tasks/{task.pk}/", {"action": "decline", "reason": "duplicate"})
    task.refresh_from_db()
    assert (task.state, task.decline_reason) == ("declined", "duplicate")


def test_opening_a_task_from_an_alert_on_the_web(client_for, users):
    alert = rules.raise_alert("ceasefire.violation", "warning", roles=["analyst"], link="/ceasefire/incidents/1/")
    response = client_for("analyst").post("/alerts/tasks/new/", {
        "kind": "patrol", "title": "Send a patrol", "owner": users["analyst"].pk,
        "due_at": "2030-01-01T10:00", "subject_kind": "alert", "subject_id": alert.pk})
    task = Task.objects.get()
    assert response.status_code == 302 and task.alert == alert and task.link == f"/alerts/{alert.pk}/"
    assert client_for("monitor").get("/alerts/tasks/new/").status_code == 403  # sees tasks, opens none
