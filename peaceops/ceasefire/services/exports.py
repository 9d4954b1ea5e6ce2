"""Incident exports (ACLED, HXL): the reporting-day window and the audit event, written once for the page, the
API and the command line (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peaceops.ceasefire.formats import EXPORTERS
from peaceops.core import audit
from peaceops.core.models.audit import AuditAction
from peaceops.core.reporting import ReportingPeriod


def in_window(queryset: QuerySet, first: dt.date | None, last: dt.date | None) -> QuerySet:
    """Incidents from the start of reporting day `first` to the end of reporting day `last` (either open),
    as the counts define a day (the mission's cut-off)."""
    if first:
        queryset = queryset.filter(occurred_from__gte=ReportingPeriod.ending_on(first).start)
    if last:
        queryset = queryset.filter(occurred_from__lt=ReportingPeriod.ending_on(last).end)
    return queryset


def export_incidents(queryset: QuerySet, fmt: str, out: TextIO, *, actor: str, via: str = "",
                     detail: dict | None = None) -> int:
    """Write the incidents in `fmt` to `out` and record the export in the audit chain; returns how many."""
    if fmt not in EXPORTERS:
        raise ValidationError({"format": _("Unknown format; choose acled or hxl.")})
    count = EXPORTERS[fmt](queryset, out)
    audit.append(AuditAction.EXPORT, "ceasefire.Incident", "", f"{fmt} export ({via})" if via else f"{fmt} export",
                 {"count": count, **(detail or {})}, actor=actor)
    return count
