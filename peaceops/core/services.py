"""Business rules of the core registry; views, API, commands and imports all call these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import gazetteer
from peaceops.core.models import Place, PlaceAlias, Source, SourceReport


@transaction.atomic
def add_alias(place: Place, name: str, language: str, kind: str = "official") -> PlaceAlias:
    """Add a name for `place`; refuses a name that already means another place."""
    alias = PlaceAlias(place=place, name=name.strip(), language=language, kind=kind)
    alias.full_clean()
    alias.save()
    gazetteer.invalidate()
    return alias


@transaction.atomic
def save_place(place: Place) -> Place:
    place.full_clean()
    place.save()
    gazetteer.invalidate()
    return place


@transaction.atomic
def report_information(source: Source, received_at, summary: str, reference: str = "", user=None) -> SourceReport:
    """Record an item of information; it starts with the source's standing reliability and credibility 6."""
    report = SourceReport(source=source, received_at=received_at, summary=summary.strip(), reference=reference,
                          reliability=source.reliability,
                          reported_by=user if getattr(user, "pk", None) else None)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def grade(report: SourceReport, reliability: str, credibility: int, user, note: str = "") -> SourceReport:
    """Grade an item with the Admiralty code (A–F, 1–6)."""
    if reliability not in "ABCDEF" or len(reliability) != 1:
        raise ValidationError({"reliability": _("Reliability is a letter from A to F.")})
    if credibility not in range(1, 7):
        raise ValidationError({"credibility": _("Credibility is a number from 1 to 6.")})
    report.reliability = reliability
    report.credibility = credibility
    report.graded_by = user
    report.graded_at = timezone.now()
    report.grading_note = note
    report.save()
    return report
