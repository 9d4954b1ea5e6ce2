"""The access page: role changes waiting for a second administrator, and every recent change, for admins to
decide and coordinators to watch (peaceops.core.rolegrants holds the rules)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.core import credentials, rolegrants
from peaceops.core.forms import RoleChangeForm, RoleDecisionForm
from peaceops.core.models import RoleChange, RoleChangeStatus
from peaceops.core.permissions import require
from peaceops.core.roles import FOUR_EYES_ROLES, ROLE_LABELS, can

RECENT_DAYS = 30


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require("core.view_role_changes", "core.manage_roles")
def access_page(request):
    form = RoleChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = rolegrants.request_change(request.user, data["user"], data["role"], data["kind"],
                                               data["reason"])
        except ValidationError as exc:
            for field, errors in exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            if change.status == RoleChangeStatus.PENDING:
                messages.success(request, _("Requested. The role applies once another administrator approves."))
            else:
                messages.success(request, _("Done: %(change)s.") % {"change": change.get_kind_display()})
            return redirect("core:access")
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    changes = RoleChange.objects.select_related("user", "requested_by", "decided_by")
    holders = (User.objects.filter(groups__name__in=FOUR_EYES_ROLES, is_active=True)
               .prefetch_related("groups").distinct().order_by("username"))
    pending = list(changes.filter(status=RoleChangeStatus.PENDING).order_by("requested_at"))
    for change in pending:  # the approver sees when an administrator knows the account's password
        change.password_setter = credentials.password_set_by_someone_else(change.user)
    return render(request, "core/access.html", {
        "pending": pending,
        "recent": changes.exclude(status=RoleChangeStatus.PENDING).filter(requested_at__gte=since)[:200],
        "holders": [(user, [ROLE_LABELS.get(g.name, g.name) for g in user.groups.all() if g.name in FOUR_EYES_ROLES])
                    for user in holders],
        "form": form, "decision_form": RoleDecisionForm(), "can_manage": can(request.user, "core.manage_roles"),
        "recent_days": RECENT_DAYS,
    }, status=400 if request.method == "POST" else 200)


@require("core.view_role_changes", "core.manage_roles")
@require_POST
def decide(request, pk: int, decision: str):
    if decision not in ("approve", "refuse"):
        raise Http404
    form = RoleDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if decision == "approve":
            rolegrants.approve(request.user, pk, note)
            messages.success(request, _("Approved: the role applies now."))
        else:
            change = rolegrants.refuse(request.user, pk, note)
            messages.success(request, _("Withdrawn.") if change.status == RoleChangeStatus.WITHDRAWN
                             else _("Refused: the role is not granted."))
    except RoleChange.DoesNotExist:
        messages.error(request, _("There is no such request."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("core:access")
