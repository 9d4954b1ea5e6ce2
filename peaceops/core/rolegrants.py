"""Role changes under four eyes: one administrator asks, a different one approves, only then the role applies.

A role is a Django group, and a group decides what an account may read. Granting a role in FOUR_EYES_ROLES
(the roles that read case files or people, and the administrator role itself) waits for a second
administrator, who is neither the requester nor the grantee; no administrator can grant a role to itself.
Other grants and every removal apply at once. Every step is written to the audit chain, naming who asked, who
approved, which role and whose account, and shows on the access page that administrators and coordinators
watch. A granted or removed role ends the account's sessions and API tokens (peaceops.core.credentials).

Group membership and permissions change only inside `sanctioned()` (this module, migrations, the demo scenario
and the operator's `peaceops roles` command); peaceops.core.accounts refuses any other change at the model
layer, so no admin page, API or script can go around this module.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit, credentials
from peaceops.core.models import RoleChange, RoleChangeKind, RoleChangeStatus
from peaceops.core.models.audit import AuditAction
from peaceops.core.roles import ADMIN, FOUR_EYES_ROLES, ROLE_LABELS, ROLES, can

_sanctioned: contextvars.ContextVar[bool] = contextvars.ContextVar("peaceops_role_change_sanctioned", default=False)


@contextmanager
def sanctioned():
    """Allow group and permission changes inside the block (this module and the operator's tools only)."""
    token = _sanctioned.set(True)
    try:
        yield
    finally:
        _sanctioned.reset(token)


def is_sanctioned() -> bool:
    return _sanctioned.get()


def _require_administrator(user) -> None:
    if not can(user, "core.manage_roles"):
        raise PermissionDenied(_("Only administrators change roles."))


def _label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def _record(change: RoleChange, what: str) -> None:
    audit.append(AuditAction.UPDATE, "auth.User", change.user_id,
                 f"{what}: role {change.role} for {change.user.get_username()}", {
                     "role_change": change.pk, "change": change.kind, "role": change.role,
                     "account": change.user.get_username(), "status": change.status,
                     "requested_by": change.requested_by.get_username() if change.requested_by else "",
                     "decided_by": change.decided_by.get_username() if change.decided_by else "",
                     "reason": change.reason, "decision_note": change.decision_note})


def _apply(change: RoleChange) -> None:
    group, _created = Group.objects.get_or_create(name=change.role)
    user = change.user
    with sanctioned():
        if change.kind == RoleChangeKind.GRANT:
            user.groups.add(group)
        else:
            user.groups.remove(group)
        staff = user.groups.filter(name=ADMIN).exists() or user.is_superuser
        if user.is_staff != staff:  # the admin site is for administrators only
            user.is_staff = staff
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_peaceops_roles", None)
    credentials.revoke(user, f"role {change.role} {'granted' if change.kind == RoleChangeKind.GRANT else 'removed'}")


@transaction.atomic
def request_change(requester, user: User, role: str, kind: str, reason: str) -> RoleChange:
    """Ask for a role to be granted or removed. Applies at once unless it is a grant of a four-eyes role."""
    _require_administrator(requester)
    errors = {}
    if role not in ROLES:
        errors["role"] = _("Choose one of the roles.")
    if kind not in RoleChangeKind.values:
        errors["kind"] = _("Choose grant or remove.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why: the second administrator and the audit log read it.")
    if errors:
        raise ValidationError(errors)
    holds = user.groups.filter(name=role).exists()
    if kind == RoleChangeKind.GRANT:
        if user.pk == requester.pk:
            raise ValidationError({"user": _("Nobody can grant a role to their own account; ask another "
                                             "administrator.")})
        if holds:
            raise ValidationError({"role": _("%(user)s already holds the role %(role)s.")
                                   % {"user": user.get_username(), "role": _label(role)}})
        if not user.is_active:
            raise ValidationError({"user": _("This account is deactivated.")})
    elif not holds:
        raise ValidationError({"role": _("%(user)s does not hold the role %(role)s.")
                               % {"user": user.get_username(), "role": _label(role)}})
    needs_second = kind == RoleChangeKind.GRANT and role in FOUR_EYES_ROLES
    try:
        with transaction.atomic():
            change = RoleChange.objects.create(user=user, role=role, kind=kind, reason=reason.strip(),
                                               requested_by=requester)
    except IntegrityError:
        raise ValidationError({"role": _("A request for this role and account is already waiting.")}) from None
    if needs_second:
        _record(change, "requested")
        return change
    change.status, change.decided_by, change.decided_at = RoleChangeStatus.APPLIED, requester, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    _apply(change)
    _record(change, "granted" if kind == RoleChangeKind.GRANT else "removed")
    return change


def _pending(change_id: int) -> RoleChange:
    # Lock the request's own row only (PostgreSQL refuses FOR UPDATE across the nullable requested_by join).
    change = RoleChange.objects.select_for_update(of=("self",)).select_related("user", "requested_by") \
        .get(pk=change_id)
    if change.status != RoleChangeStatus.PENDING:
        raise ValidationError(_("This request was already decided (%(status)s).")
                              % {"status": change.get_status_display()})
    return change


@transaction.atomic
def approve(approver, change_id: int, note: str = "") -> RoleChange:
    """The second administrator's approval: the role applies now."""
    _require_administrator(approver)
    change = _pending(change_id)
    if approver.pk == change.requested_by_id:
        raise ValidationError(_("A different administrator must approve a request you made."))
    if approver.pk == change.user_id:
        raise ValidationError(_("Nobody can approve a role for their own account."))
    if not change.user.is_active:
        raise ValidationError(_("This account is deactivated."))
    setter = credentials.password_set_by_someone_else(change.user)
    if setter:  # whoever set the password could sign in as the account once the role applies
        raise ValidationError(_("%(user)s's password was last set by %(setter)s, not by its holder. Ask the holder "
                                "to change it at /accounts/password/, then approve.")
                              % {"user": change.user.get_username(), "setter": setter})
    change.status, change.decided_by, change.decided_at = RoleChangeStatus.APPLIED, approver, timezone.now()
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _apply(change)
    _record(change, "granted")
    return change


@transaction.atomic
def refuse(decider, change_id: int, note: str = "") -> RoleChange:
    """Refuse someone else's request, or withdraw one's own; the role is not granted."""
    _require_administrator(decider)
    change = _pending(change_id)
    if decider.pk == change.user_id and decider.pk != change.requested_by_id:
        raise ValidationError(_("Nobody can decide a role for their own account."))
    withdrawn = decider.pk == change.requested_by_id
    change.status = RoleChangeStatus.WITHDRAWN if withdrawn else RoleChangeStatus.REFUSED
    change.decided_by, change.decided_at, change.decision_note = decider, timezone.now(), note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _record(change, "withdrawn" if withdrawn else "refused")
    return change


@transaction.atomic
def change_by_operator(user: User, role: str, kind: str, reason: str, operator: str) -> RoleChange:
    """The server operator's direct change (`peaceops roles grant|revoke`): for the first administrators, when no
    second one exists yet. Whoever runs commands on the server already holds the database; the chain records it."""
    if role not in ROLES:
        raise ValidationError({"role": _("Choose one of the roles.")})
    if (kind == RoleChangeKind.GRANT) == user.groups.filter(name=role).exists():
        raise ValidationError({"role": _("Nothing to change: %(user)s %(state)s the role %(role)s.") % {
            "user": user.get_username(), "role": _label(role),
            "state": _("already holds") if kind == RoleChangeKind.GRANT else _("does not hold")}})
    change = RoleChange.objects.create(user=user, role=role, kind=kind, reason=reason, requested_by=None,
                                       status=RoleChangeStatus.APPLIED, decided_at=timezone.now(),
                                       decision_note=f"changed on the server by {operator}")
    _apply(change)
    audit.append(AuditAction.UPDATE, "auth.User", user.pk, f"changed on the server: role {role} {kind} for "
                 f"{user.get_username()}", {"role_change": change.pk, "change": kind, "role": role,
                                           "account": user.get_username(), "operator": operator,
                                           "status": change.status, "reason": reason},
                 actor=f"system:cli ({operator})")
    return change


def grant_by_operator(user: User, role: str, reason: str, operator: str) -> RoleChange:
    return change_by_operator(user, role, RoleChangeKind.GRANT, reason, operator)
