"""Roles are Django groups; capabilities say what each role may do.

Each app declares its own capabilities in `<app>/capabilities.py` as CAPABILITIES = {"app.verb": {roles}};
`can(user, capability)` is the single check every view, endpoint, export and report goes through.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy as _

MONITOR = "monitor"
ANALYST = "analyst"
RETURNS_OFFICER = "returns_officer"
EXCHANGE_OFFICER = "exchange_officer"
ENGINEER = "engineer"
COORDINATOR = "coordinator"
PUBLIC = "public"
ADMIN = "admin"

ROLES: dict[str, object] = {
    MONITOR: _("Field monitor: files incidents, patrol and post logs, facility assessments; sees own submissions"),
    ANALYST: _("Analyst: reviews and verifies incidents, merges duplicates, grades sources"),
    RETURNS_OFFICER: _("Returns officer: corridors, convoys, household registry, movements"),
    EXCHANGE_OFFICER: _("Exchange officer: detention, missing and remains cases, lists, reconciliation, tracing"),
    ENGINEER: _("Engineer: facilities, damage assessments, works"),
    COORDINATOR: _("Coordinator: reads everything; approves and publishes the daily report"),
    PUBLIC: _("Public: published reports and aggregates only"),
    ADMIN: _("Administrator: users and configuration, not case contents"),
}
ROLE_LABELS = {
    MONITOR: _("Monitor"), ANALYST: _("Analyst"), RETURNS_OFFICER: _("Returns officer"),
    EXCHANGE_OFFICER: _("Exchange officer"), ENGINEER: _("Engineer"), COORDINATOR: _("Coordinator"),
    PUBLIC: _("Public"), ADMIN: _("Administrator"),
}

STAFF_ROLES = frozenset({MONITOR, ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER, COORDINATOR})
# Roles that read case files or the registry of people, or administer the accounts that do: granting one takes
# a second administrator's approval (peaceops.core.rolegrants), so no single administrator can read a case.
FOUR_EYES_ROLES = frozenset({ADMIN, COORDINATOR, EXCHANGE_OFFICER, RETURNS_OFFICER})


@cache
def capabilities() -> dict[str, frozenset[str]]:
    from peaceops.core.registry import collect

    merged: dict[str, frozenset[str]] = {}
    for name, roles in collect("capabilities", "CAPABILITIES"):
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"capability {name} names unknown roles {sorted(unknown)}")
        merged[name] = frozenset(roles)
    return merged


def roles_of(user) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_peaceops_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {ADMIN}
        user._peaceops_roles = cached
    return cached


def can(user, capability: str) -> bool:
    try:
        allowed = capabilities()[capability]
    except KeyError:
        raise KeyError(f"unknown capability {capability!r}; declare it in an app's capabilities.py") from None
    return bool(roles_of(user) & allowed)


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
