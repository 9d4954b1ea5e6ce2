"""Alert and task pages: thin over peaceops.alerts.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.alerts import forms
from peaceops.alerts.models import Alert, AlertRule, Severity, Task, TaskState
from peaceops.alerts.services import rules, work
from peaceops.core import versioning
from peaceops.core.events import event_kinds
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import ROLE_LABELS, can


@require("alerts.view")
def alert_list(request):
    alerts = Alert.objects.visible_to(request.user).select_related("acknowledged_by", "rule")
    only_open = request.GET.get("open") == "1"
    if only_open:
        alerts = alerts.open()
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        alerts = alerts.filter(severity=severity)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(request, "alerts/alert_list.html", {
        "page": page, "alerts": page.object_list, "only_open": only_open, "severity": severity,
        "severities": Severity.choices, "can_rules": can(request.user, "alerts.view_rules")})


@require("alerts.view")
def counter(request):
    count = Alert.objects.visible_to(request.user).open().count()
    return render(request, "alerts/_counter.html", {"count": count})


@require("alerts.view", "alerts.acknowledge")
def alert_detail(request, pk: int):
    alert = get_visible_or_404(Alert.objects, request.user, pk=pk)
    if request.method == "POST":
        try:
            rules.acknowledge(alert, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Alert acknowledged."))
        return redirect("alerts:alert_detail", pk=alert.pk)
    return render(request, "alerts/alert_detail.html", {
        "alert": alert, "roles": [ROLE_LABELS.get(r, r) for r in alert.role_list], "people": alert.users.all(),
        "tasks": Task.objects.visible_to(request.user).filter(alert=alert),
        "can_ack": can(request.user, "alerts.acknowledge") and not alert.acknowledged_at,
        "can_task": can(request.user, "alerts.open_task")})


@require("alerts.view_rules", "alerts.manage_rules")
def rule_list(request):
    can_manage = can(request.user, "alerts.manage_rules")
    form = forms.RuleForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rules.create_rule(data["name"], data["kind"], conditions=form.rule_conditions(),
                              severity=data["severity"], roles=data["roles"], users=list(data["users"]),
                              email=data["email"], webhook=data["webhook"], escalate_after=data["escalate_after"],
                              escalate_to=data["escalate_to"], user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("alerts:rule_list")
    rule_rows = AlertRule.objects.visible_to(request.user).prefetch_related("users")
    show = request.GET.get("show", "")
    if show in ("active", "inactive"):
        rule_rows = rule_rows.filter(active=show == "active")
    return render(request, "alerts/rule_list.html", {
        "rules": rule_rows, "form": form, "can_manage": can_manage, "show": show, "role_labels": ROLE_LABELS})


def _versions(rule: AlertRule) -> list[dict]:
    """The rule's saved versions, newest first, each with what it changed (people told included)."""
    versions = list(rule.history.select_related("history_user")
                    .order_by("-history_date", "-history_id")[:50])
    rows = []
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        changed = []
        if older is not None:
            changed = [str(getattr(AlertRule._meta.get_field(c.field), "verbose_name", c.field)) for c in newer.diff_against(
                older, excluded_fields=["revision", "updated_at"]).changes]
        rows.append({"version": newer, "changed": changed,
                     "people": sorted(str(u.user) for u in newer.users.all() if u.user_id)})
    return rows


@require("alerts.view_rules", "alerts.manage_rules")
def rule_detail(request, pk: int):
    rule = get_visible_or_404(AlertRule.objects.prefetch_related("users"), request.user, pk=pk)
    return render(request, "alerts/rule_detail.html", {
        "rule": rule, "roles": [ROLE_LABELS.get(r, r) for r in rule.role_list],
        "escalate_to": [ROLE_LABELS.get(r, r) for r in rule.escalate_role_list],
        "versions": _versions(rule), "alerts": Alert.objects.visible_to(request.user).filter(rule=rule)[:20],
        "kind_label": event_kinds().get(rule.kind, rule.kind),
        "can_manage": can(request.user, "alerts.manage_rules")})


@require("alerts.view_rules", "alerts.manage_rules", writer_only=True)
def rule_edit(request, pk: int):
    rule = get_visible_or_404(AlertRule.objects.prefetch_related("users"), request.user, pk=pk)
    form = forms.RuleEditForm(request.POST or None, record=rule)
    done = versioning.submit(request, form, rule, lambda: rules.edit_rule(rule, request.user, **form.changes()))
    if done.saved:
        messages.success(request, _("Rule saved."))
        return redirect("alerts:rule_detail", pk=rule.pk)
    return render(request, "alerts/rule_form.html", {"form": form, "rule": rule}, status=done.status)


def _switch(request, pk: int, active: bool):
    """GET: what (de)activating the rule means, and the button; POST: do it."""
    rule = get_visible_or_404(AlertRule.objects, request.user, pk=pk)
    form = forms.RuleActiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.expecting(rule, versioning.posted_revision(request)):
                rules.set_rule_active(rule, active, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Rule reactivated.") if active else _("Rule deactivated."))
        return redirect("alerts:rule_detail", pk=rule.pk)
    return render(request, "alerts/rule_switch.html", {"rule": rule, "form": form, "activate": active})


@require("alerts.view_rules", "alerts.manage_rules", writer_only=True)
def rule_deactivate(request, pk: int):
    return _switch(request, pk, active=False)


@require("alerts.view_rules", "alerts.manage_rules", writer_only=True)
def rule_reactivate(request, pk: int):
    return _switch(request, pk, active=True)


@require("alerts.view_tasks")
def my_tasks(request):
    tasks = Task.objects.filter(owner=request.user).select_related("created_by")
    show = request.GET.get("state", "live")
    tasks = tasks.live() if show == "live" else tasks.filter(state=show) if show in TaskState.values else tasks
    opened = Task.objects.filter(created_by=request.user).exclude(owner=request.user).live()\
        .select_related("owner")
    return render(request, "alerts/my_tasks.html", {
        "tasks": tasks, "opened": opened, "show": show, "states": TaskState.choices,
        "can_open": can(request.user, "alerts.open_task")})


@require("alerts.view_tasks", "alerts.open_task", writer_only=True)
def task_new(request):
    initial = {k: request.GET.get(k) for k in ("subject_kind", "subject_id", "kind", "title") if request.GET.get(k)}
    form = forms.TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        alert = None
        subject = (data["subject_kind"], data["subject_id"]) if data["subject_kind"] else None
        if data["subject_kind"] == "alert":
            alert, subject = get_visible_or_404(Alert.objects, request.user, pk=data["subject_id"]), None
        try:
            task = work.open_task(request.user, kind=data["kind"], title=data["title"], owner=data["owner"],
                                  due_at=data["due_at"], details=data["details"], subject=subject, alert=alert)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Task opened."))
            return redirect("alerts:task_detail", pk=task.pk)
    return render(request, "alerts/task_form.html", {"form": form})


@require("alerts.view_tasks", "alerts.view_tasks")
def task_detail(request, pk: int):
    task = get_visible_or_404(Task.objects.select_related("owner", "created_by", "alert"), request.user, pk=pk)
    decline_form = forms.DeclineForm(request.POST if request.POST.get("action") == "decline" else None)
    done_form = forms.DoneForm(request.POST if request.POST.get("action") == "done" else None)
    referral_form = forms.ReferralForm(request.POST if request.POST.get("action") == "refer" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                work.accept(task, request.user)
            elif action == "decline" and decline_form.is_valid():
                work.decline(task, request.user, decline_form.cleaned_data["reason"])
            elif action == "done" and done_form.is_valid():
                work.complete(task, request.user, done_form.cleaned_data["outcome"])
            elif action == "refer" and referral_form.is_valid():
                work.refer(task, request.user, **referral_form.cleaned_data)
            else:
                raise ValidationError(_("Check the form."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Task updated."))
            return redirect("alerts:task_detail", pk=task.pk)
    referral = getattr(task, "referral", None) if task.is_referral else None
    mine = task.owner_id == request.user.pk
    return render(request, "alerts/task_detail.html", {
        "task": task, "referral": referral, "mine": mine, "decline_form": decline_form, "done_form": done_form,
        "referral_form": referral_form, "can_refer": mine and task.is_referral and referral is None
        and task.state == TaskState.ACCEPTED and can(request.user, "alerts.refer")})
