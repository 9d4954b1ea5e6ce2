"""Core's dashboard sections: real counts only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.models import AuditHead, Place, SourceReport
from peaceops.core.models.places import PlaceKind
from peaceops.core.roles import can


def gazetteer_section(request) -> list[dict]:
    if not can(request.user, "core.view_gazetteer"):
        return []
    places = Place.objects.visible_to(request.user)
    rows = [
        (_("Settlements"), places.filter(kind=PlaceKind.SETTLEMENT).count(),
         reverse("core:place_list") + "?kind=settlement"),
        (_("Observation posts"), places.filter(kind=PlaceKind.OBSERVATION_POST).count(),
         reverse("core:place_list") + "?kind=observation_post"),
        (_("Checkpoints"), places.filter(kind=PlaceKind.CHECKPOINT).count(),
         reverse("core:place_list") + "?kind=checkpoint"),
    ]
    return [{"key": "gazetteer", "title": _("Gazetteer"), "url": reverse("core:place_list"),
             "template": "core/_section_figures.html", "data": rows}]


def sources_section(request) -> list[dict]:
    if not can(request.user, "core.grade_sources"):
        return []
    ungraded = SourceReport.objects.visible_to(request.user).filter(graded_at__isnull=True).count()
    return [{"key": "sources", "title": _("Information to grade"), "url": reverse("core:source_list"),
             "template": "core/_section_figures.html", "data": [(_("Items not yet graded"), ungraded, reverse("core:source_list") + "#to-grade")]}]


def audit_section(request) -> list[dict]:
    if not can(request.user, "core.view_audit"):
        return []
    head = AuditHead.objects.filter(pk=1).first()
    return [{"key": "audit", "title": _("Audit chain"), "url": reverse("core:audit_list"),
             "template": "core/_section_figures.html",
             "data": [(_("Events recorded"), head.count if head else 0, reverse("core:audit_list") + "?verify=1")]}]


def access_section(request) -> list[dict]:
    """Role changes are an alert for every administrator and coordinator: who may now read case files."""
    if not can(request.user, "core.view_role_changes"):
        return []
    import datetime as dt

    from django.utils import timezone

    from peaceops.core.models import RoleChange, RoleChangeStatus

    url = reverse("core:access")
    waiting = RoleChange.objects.filter(status=RoleChangeStatus.PENDING).count()
    week = RoleChange.objects.filter(status=RoleChangeStatus.APPLIED,
                                     decided_at__gte=timezone.now() - dt.timedelta(days=7)).count()
    return [{"key": "access", "title": _("Access and roles"), "url": url, "template": "core/_section_figures.html",
             "data": [(_("Role requests waiting"), waiting, url + "#pending"),
                      (_("Role changes, last 7 days"), week, url)]}]


SECTIONS = [access_section, gazetteer_section, sources_section, audit_section]
