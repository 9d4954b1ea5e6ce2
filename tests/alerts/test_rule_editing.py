"""A coordinator edits, deactivates and reactivates alert rules — in the service, the pages, the API and the CLI.

An edit changes what the next event raises; a deactivated rule raises nothing until reactivated; a bad edit is
refused whole with a reason and changes nothing; every change is a version of the rule (people told included)
and an entry in the audit chain; roles that read the rules but do not set them are refused with 403."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from peaceops.alerts.models import Alert, AlertRule
from peaceops.alerts.services import rules
from peaceops.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts(world, file):
    """(place key, district id) of two settlements in different districts, as filed incidents place them."""
    first = file("martuni")
    for key, place in world["places"].items():
        if place.kind == "settlement" and place.parent_id and place.parent_id != first.district_id:
            other = file(key)
            if other.district_id and other.district_id != first.district_id:
                return ("martuni", first.district_id), (key, other.district_id)
    raise AssertionError("the test world must hold settlements in two districts for these tests to mean anything")


def _stored(rule: AlertRule) -> tuple:
    rule = AlertRule.objects.get(pk=rule.pk)
    return (rule.name, rule.kind, rule.conditions, rule.severity, rule.roles, rule.escalate_after, rule.active,
            sorted(rule.users.values_list("pk", flat=True)), rule.revision, rule.history.count())


# --- the service --------------------------------------------------------------------------------------------------

def test_a_district_rule_moved_to_another_district_fires_for_the_new_one_only(rule, file, two_districts,
                                                                              committed, users):
    (old_key, old_district), (new_key, new_district) = two_districts
    r = rule("ceasefire.violation", conditions={"district": old_district})
    with committed():
        file(old_key)
    assert Alert.objects.filter(rule=r).count() == 1
    rules.edit_rule(r, users["coordinator"], conditions={"district": new_district})
    with committed():
        file(old_key)
    assert Alert.objects.filter(rule=r).count() == 1  # the old district raises nothing now
    with committed():
        inside = file(new_key)
    latest = Alert.objects.filter(rule=r).first()
    assert Alert.objects.filter(rule=r).count() == 2 and latest.subject_id == str(inside.pk)
    assert latest.facts["district"] == new_district


def test_an_edit_changes_who_is_told_and_how(rule, file, users, committed):
    r = rule("ceasefire.violation", roles=["analyst"])
    rules.edit_rule(r, users["coordinator"], roles=[], users=[users["engineer"]], severity="critical")
    with committed():
        file()
    alert = Alert.objects.get()
    assert alert.severity == "critical" and alert.role_list == [] and list(alert.users.all()) == [users["engineer"]]
    assert Alert.objects.visible_to(users["engineer"]).filter(pk=alert.pk).exists()
    assert not Alert.objects.visible_to(users["analyst"]).filter(pk=alert.pk).exists()


def test_a_deactivated_rule_fires_nothing_and_reactivation_brings_it_back(rule, file, users, committed):
    r = rule("ceasefire.violation", email=True)
    other = rule("ceasefire.violation", name="still on")
    rules.deactivate_rule(r, users["coordinator"], reason="too noisy during the exercise")
    with committed():
        file()
    assert list(Alert.objects.values_list("rule", flat=True)) == [other.pk]  # the other rule still fires
    with pytest.raises(ValidationError, match="already inactive"):
        rules.deactivate_rule(r, users["coordinator"])
    rules.reactivate_rule(r, users["coordinator"])
    with committed():
        file()
    assert Alert.objects.filter(rule=r).count() == 1
    with pytest.raises(ValidationError, match="already active"):
        rules.reactivate_rule(r, users["coordinator"])
    reasons = list(r.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["deactivated: too noisy during the exercise", "reactivated"]


def test_a_deactivated_rules_open_alerts_stay_and_still_escalate(rule, file, users, committed):
    import datetime as dt

    from django.utils import timezone

    r = rule("ceasefire.violation", escalate_after=10)
    with committed():
        file()
    rules.deactivate_rule(r, users["coordinator"])
    assert rules.escalate(timezone.now() + dt.timedelta(minutes=11))["alerts"] == 1
    assert Alert.objects.get().escalated_at is not None


@pytest.mark.parametrize("changes, message", [
    ({"kind": "no.such_kind"}, "Unknown event"),
    ({"roles": ["general"]}, "Unknown roles"),
    ({"escalate_to": ["public_relations"]}, "Unknown roles"),
    ({"roles": []}, "Say who is told"),
    ({"name": "  "}, "Give the rule a name"),
    ({"conditions": ["district", 3]}, "JSON object"),
    ({"conditions": {"min_casualties": "many"}}, "is a number"),
    ({"conditions": {"district": {"id": 3}}}, "give a value or a list"),
    ({"severity": "apocalyptic"}, "Unknown severity"),
    ({"escalate_after": 0}, "at least 1"),
    ({"email": "yes"}, "true or false"),
    ({"active": False}, "not fields of an alert rule"),
    ({"created_by": None}, "not fields of an alert rule"),
])
def test_a_bad_edit_is_refused_with_its_reason_and_changes_nothing(rule, users, changes, message):
    r = rule("ceasefire.violation", roles=["analyst"], conditions={"district": 3})
    before = _stored(r)
    audited = AuditEvent.objects.count()
    # A valid change beside the bad one is not applied either: the edit is all or nothing.
    with pytest.raises(ValidationError, match=message):
        rules.edit_rule(r, users["coordinator"], **({"name": "renamed"} | changes))
    assert _stored(r) == before and AuditEvent.objects.count() == audited


def test_a_condition_the_matcher_cannot_compare_is_refused_at_creation_too(rule):
    """Before this check, {"min_casualties": "1"} was saved and every later violation broke the matching of
    every rule of its kind (a TypeError in the listener), not just this one."""
    with pytest.raises(ValidationError, match="is a number"):
        rule("ceasefire.casualties", conditions={"min_casualties": "1"})


def test_only_a_coordinator_changes_a_rule(rule, users):
    r = rule("ceasefire.violation")
    for role in ("analyst", "monitor", "admin"):
        with pytest.raises(ValidationError, match="Only a coordinator"):
            rules.edit_rule(r, users[role], name="mine")
        with pytest.raises(ValidationError, match="Only a coordinator"):
            rules.deactivate_rule(r, users[role])
    assert AlertRule.objects.get(pk=r.pk).active and AlertRule.objects.get(pk=r.pk).name == r.name


def test_every_change_is_a_version_with_its_people_and_an_audit_entry(rule, users):
    r = rule("ceasefire.violation", roles=["analyst"])
    versions = r.history.count()
    audited = AuditEvent.objects.filter(model="alerts.AlertRule", object_id=str(r.pk)).count()
    rules.edit_rule(r, users["coordinator"], users=[users["engineer"], users["analyst"]], escalate_after=15)
    assert r.history.count() == versions + 1  # one version for the edit, the people told included
    latest = r.history.order_by("-history_id").first()
    assert sorted(u.user.username for u in latest.users.all()) == ["analyst", "engineer"]
    assert latest.escalate_after == 15 and latest.history_change_reason == "edited: users, escalate_after"
    rules.edit_rule(r, users["coordinator"], escalate_after=15)  # nothing changes: no version, no entry
    assert r.history.count() == versions + 1
    rules.deactivate_rule(r, users["coordinator"])
    assert AuditEvent.objects.filter(model="alerts.AlertRule", object_id=str(r.pk)).count() == audited + 2


# --- the pages ----------------------------------------------------------------------------------------------------

def test_the_list_shows_active_and_inactive_rules_with_their_actions(rule, users, client_for):
    on = rule("ceasefire.violation", name="violations")
    off = rule("ceasefire.casualties", name="casualties")
    rules.deactivate_rule(off, users["coordinator"])
    page = client_for("coordinator").get("/alerts/rules/").content.decode()
    assert f'id="rule-{on.pk}" class="rule-active' in page and f'id="rule-{off.pk}" class="rule-inactive' in page
    assert f"/alerts/rules/{on.pk}/edit/" in page and f"/alerts/rules/{on.pk}/deactivate/" in page
    assert f"/alerts/rules/{off.pk}/reactivate/" in page
    only_inactive = client_for("coordinator").get("/alerts/rules/?show=inactive").content.decode()
    assert f'id="rule-{off.pk}"' in only_inactive and f'id="rule-{on.pk}"' not in only_inactive
    reader = client_for("analyst").get("/alerts/rules/").content.decode()
    assert f'id="rule-{on.pk}"' in reader and "/edit/" not in reader and "/deactivate/" not in reader


def test_the_edit_page_saves_through_the_service(rule, users, client_for):
    r = rule("ceasefire.violation", roles=["analyst"], conditions={"district": 7, "type": "shelling"})
    client = client_for("coordinator")
    form = client.get(f"/alerts/rules/{r.pk}/edit/").content.decode()
    assert 'name="district" value="7"' in form and "shelling" in form and f'value="{r.revision}"' in form
    response = client.post(f"/alerts/rules/{r.pk}/edit/", {
        "name": "district 9", "kind": "ceasefire.violation", "district": "9", "conditions": '{"type": "shelling"}',
        "severity": "critical", "roles": ["analyst", "coordinator"], "revision": r.revision})
    assert response.status_code == 302 and response["Location"] == f"/alerts/rules/{r.pk}/"
    r.refresh_from_db()
    assert (r.name, r.conditions, r.severity, r.role_list) == (
        "district 9", {"type": "shelling", "district": 9}, "critical", ["analyst", "coordinator"])
    detail = client.get(f"/alerts/rules/{r.pk}/").content.decode()
    assert 'id="rule-history"' in detail and "coordinator" in detail and "edited:" in detail


def test_a_bad_edit_on_the_page_says_why_and_changes_nothing(rule, client_for):
    r = rule("ceasefire.violation", roles=["analyst"])
    before = _stored(r)
    response = client_for("coordinator").post(f"/alerts/rules/{r.pk}/edit/", {
        "name": "nobody told", "kind": "ceasefire.violation", "severity": "warning", "revision": r.revision})
    assert response.status_code == 200 and "Say who is told" in response.content.decode()
    response = client_for("coordinator").post(f"/alerts/rules/{r.pk}/edit/", {
        "name": "bad json", "kind": "ceasefire.violation", "severity": "warning", "roles": ["analyst"],
        "conditions": "{district: 3", "revision": r.revision})
    assert response.status_code == 200 and "Not valid JSON" in response.content.decode()
    assert _stored(r) == before


def test_a_stale_edit_page_is_refused(rule, users, client_for):
    r = rule("ceasefire.violation", roles=["analyst"])
    seen = r.revision
    rules.edit_rule(r, users["coordinator2"], name="changed meanwhile")
    response = client_for("coordinator").post(f"/alerts/rules/{r.pk}/edit/", {
        "name": "mine", "kind": "ceasefire.violation", "severity": "warning", "roles": ["analyst"],
        "revision": seen})
    assert response.status_code == 409
    assert AlertRule.objects.get(pk=r.pk).name == "changed meanwhile"


def test_deactivation_asks_for_confirmation_then_posts(rule, client_for):
    r = rule("ceasefire.violation")
    client = client_for("coordinator")
    confirm = client.get(f"/alerts/rules/{r.pk}/deactivate/")
    assert confirm.status_code == 200 and 'id="rule-switch-form"' in confirm.content.decode()
    assert AlertRule.objects.get(pk=r.pk).active  # opening the confirmation changes nothing
    done = client.post(f"/alerts/rules/{r.pk}/deactivate/", {"reason": "exercise over", "revision": r.revision})
    assert done.status_code == 302 and not AlertRule.objects.get(pk=r.pk).active
    again = client.post(f"/alerts/rules/{r.pk}/deactivate/", follow=True)
    assert "already inactive" in again.content.decode()
    client.post(f"/alerts/rules/{r.pk}/reactivate/")
    assert AlertRule.objects.get(pk=r.pk).active


@pytest.mark.parametrize("role", ["analyst", "monitor", "returns_officer", "exchange_officer", "engineer"])
def test_readers_of_the_rules_get_403_on_every_change(rule, client_for, role):
    r = rule("ceasefire.violation")
    before = _stored(r)
    client = client_for(role)
    assert client.get(f"/alerts/rules/{r.pk}/").status_code == 200  # they read it
    for path in (f"/alerts/rules/{r.pk}/edit/", f"/alerts/rules/{r.pk}/deactivate/",
                 f"/alerts/rules/{r.pk}/reactivate/"):
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"name": "x", "kind": "ceasefire.violation", "roles": ["analyst"]}
                           ).status_code == 403, path
    assert _stored(r) == before


@pytest.mark.parametrize("role", ["public", "admin"])
def test_roles_without_the_rules_do_not_learn_they_exist(rule, client_for, api_for, role):
    r = rule("ceasefire.violation")
    assert client_for(role).get(f"/alerts/rules/{r.pk}/").status_code == 404
    assert client_for(role).get(f"/alerts/rules/{r.pk}/edit/").status_code == 404
    assert api_for(role).patch(f"/api/alert-rules/{r.pk}/", {"name": "x"}, format="json").status_code == 404


# --- the API ------------------------------------------------------------------------------------------------------

def test_patch_edits_a_rule_with_a_precondition(rule, api_for):
    r = rule("ceasefire.violation", roles=["analyst"])
    api = api_for("coordinator")
    url = f"/api/alert-rules/{r.pk}/"
    tag = api.get(url)["ETag"]
    assert api.patch(url, {"name": "blind"}, format="json").status_code == 428  # no If-Match, no revision
    response = api.patch(url, {"conditions": {"district": 4}, "users": ["engineer"], "escalate_after": 20},
                         format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["conditions"], body["users"], body["escalate_after"], body["roles"], body["name"]) == (
        {"district": 4}, ["engineer"], 20, ["analyst"], r.name)  # what was not sent stays
    assert api.patch(url, {"name": "stale"}, format="json", HTTP_IF_MATCH=tag).status_code == 412


def test_a_bad_patch_is_a_400_that_says_why_and_changes_nothing(rule, api_for):
    r = rule("ceasefire.violation", roles=["analyst"])
    before = _stored(r)
    api = api_for("coordinator")
    url = f"/api/alert-rules/{r.pk}/"
    for body, says in [({"kind": "nope"}, "Unknown event"), ({"roles": []}, "Say who is told"),
                       ({"severity": "loud"}, "severity"), ({"users": ["nobody-here"]}, "users"),
                       ({"active": False}, "deactivate"), ({"conditions": {"min_casualties": "x"}}, "number")]:
        response = api.patch(url, body, format="json", HTTP_IF_MATCH="*")
        assert response.status_code == 400 and says in json.dumps(response.json()), (body, response.content)
    assert _stored(r) == before


def test_api_deactivates_and_reactivates(rule, file, api_for, committed):
    r = rule("ceasefire.violation")
    api = api_for("coordinator")
    off = api.post(f"/api/alert-rules/{r.pk}/deactivate/", {"reason": "drill"}, format="json")
    assert off.status_code == 200 and off.json()["active"] is False
    assert api.post(f"/api/alert-rules/{r.pk}/deactivate/", {}, format="json").status_code == 400
    with committed():
        file()
    assert not Alert.objects.exists()
    assert [row["id"] for row in api.get("/api/alert-rules/?active=0").json()["results"]] == [r.pk]
    on = api.post(f"/api/alert-rules/{r.pk}/reactivate/", {}, format="json")
    assert on.status_code == 200 and on.json()["active"] is True


def test_api_readers_get_403(rule, api_for):
    r = rule("ceasefire.violation")
    api = api_for("analyst")
    assert api.get(f"/api/alert-rules/{r.pk}/").status_code == 200
    assert api.patch(f"/api/alert-rules/{r.pk}/", {"name": "x"}, format="json", HTTP_IF_MATCH="*").status_code == 403
    assert api.post(f"/api/alert-rules/{r.pk}/deactivate/", {}, format="json").status_code == 403
    assert api.post(f"/api/alert-rules/{r.pk}/reactivate/", {}, format="json").status_code == 403
    assert AlertRule.objects.get(pk=r.pk).active


# --- the command line ---------------------------------------------------------------------------------------------

def test_cli_edits_deactivates_and_reactivates(rule, users, capsys):
    r = rule("ceasefire.violation", roles=["analyst"])
    call_command("alerts", "rules", "edit", str(r.pk), "--conditions", '{"district": 5}', "--roles",
                 "analyst,coordinator", "--users", "engineer", "--severity", "critical", "--email",
                 "--escalate-after", "30", "--user", "coordinator", "--format", "json")
    shown = json.loads(capsys.readouterr().out)
    assert (shown["conditions"], shown["roles"], shown["users"], shown["severity"], shown["email"],
            shown["escalate_after"]) == ({"district": 5}, ["analyst", "coordinator"], ["engineer"], "critical",
                                         True, 30)
    latest = r.history.order_by("-history_id").first()
    assert latest.history_user == users["coordinator"]
    assert AuditEvent.objects.filter(model="alerts.AlertRule", object_id=str(r.pk)).last().actor == "coordinator"
    call_command("alerts", "rules", "edit", str(r.pk), "--escalate-after", "never", "--no-email")
    capsys.readouterr()
    r.refresh_from_db()
    assert r.escalate_after is None and r.email is False
    call_command("alerts", "rules", "deactivate", str(r.pk), "--reason", "drill")
    assert "inactive" in capsys.readouterr().out and not AlertRule.objects.get(pk=r.pk).active
    call_command("alerts", "rules", "--format", "json")
    assert json.loads(capsys.readouterr().out)[0]["active"] is False
    call_command("alerts", "rules", "reactivate", str(r.pk))
    assert AlertRule.objects.get(pk=r.pk).active


@pytest.mark.parametrize("args, says", [
    (["edit", "{pk}", "--kind", "no.such"], "Unknown event"),
    (["edit", "{pk}", "--roles", ""], "Say who is told"),
    (["edit", "{pk}", "--conditions", "{oops"], "not valid JSON"),
    (["edit", "{pk}", "--users", "ghost"], "no such user: ghost"),
    (["edit", "{pk}", "--escalate-after", "soon"], "whole minutes"),
    (["edit", "{pk}"], "nothing to change"),
    (["edit", "{pk}", "--name", "x", "--user", "analyst"], "Only a coordinator"),
    (["edit", "999999", "--name", "x"], "no alert rule 999999"),
    (["reactivate", "{pk}"], "already active"),
])
def test_cli_refuses_a_bad_change_clearly_and_changes_nothing(rule, args, says):
    r = rule("ceasefire.violation", roles=["analyst"])
    before = _stored(r)
    with pytest.raises(CommandError, match=says):
        call_command("alerts", "rules", *[a.replace("{pk}", str(r.pk)) for a in args])
    assert _stored(r) == before


def test_a_district_condition_reads_as_the_districts_name(client_for, world):
    district = world["places"]["d_martuni"]
    rule = AlertRule.objects.create(name="Martuni watch", kind="ceasefire.violation",
                                    conditions={"district": district.pk}, roles="analyst")
    page = client_for("coordinator").get(reverse("alerts:rule_detail", args=[rule.pk]),
                                         HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f"district={district.pk}" not in page and "Мартунинский / Ходжавендский район" in page
