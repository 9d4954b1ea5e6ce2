"""Sources of information and the Admiralty grading of each item they give us."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet, in_active_language


class SourceKind(models.TextChoices):
    PATROL = "patrol", _("patrol")
    OBSERVATION_POST = "observation_post", _("observation post")
    PARTY_STATEMENT = "party_statement", _("party statement")
    MEDIA = "media", _("media")
    HOTLINE = "hotline", _("hotline")
    FIELD_FORM = "field_form", _("field form")
    INTERMEDIARY = "intermediary", _("neutral intermediary")
    OTHER = "other", _("other")


class Reliability(models.TextChoices):
    """Admiralty code, source reliability."""

    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — reliability cannot be judged")


class Credibility(models.IntegerChoices):
    """Admiralty code, information credibility."""

    CONFIRMED = 1, _("1 — confirmed by other sources")
    PROBABLY_TRUE = 2, _("2 — probably true")
    POSSIBLY_TRUE = 3, _("3 — possibly true")
    DOUBTFUL = 4, _("4 — doubtful")
    IMPROBABLE = 5, _("5 — improbable")
    CANNOT_JUDGE = 6, _("6 — truth cannot be judged")


class SourceQuerySet(VisibleQuerySet):
    view_capability = "core.view_sources"


class Source(TravellingRecord):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    reliability = models.CharField(
        _("reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    party = models.ForeignKey(
        "core.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="sources",
        verbose_name=_("party"), help_text=_("Whose statement this is, for party statements."),
    )
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    url = models.URLField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")

    def __str__(self) -> str:
        return in_active_language(self.name, self.name_ru)


class SourceReportQuerySet(VisibleQuerySet):
    """Analysts and coordinators see every item; a monitor sees the items they recorded (DESIGN: "see own
    submissions") — a field report can name the informant, the patrol and where they stood."""

    view_capability = "core.view_sources"

    def visible_to(self, user):
        from peaceops.core.roles import can

        if can(user, "core.view_all_source_reports"):
            return self
        if can(user, "core.view_sources") and getattr(user, "pk", None):
            return self.filter(reported_by=user)
        return self.none()


class SourceReport(TravellingRecord):
    """One item of information from a source, graded A1–F6. Modules cite these as their evidence."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="reports", verbose_name=_("source"))
    received_at = models.DateTimeField(_("received at"))
    summary = models.TextField(_("summary"))
    reference = models.CharField(_("reference"), max_length=200, blank=True,
                                 help_text=_("The source's own id, address or bulletin number."))
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices)
    credibility = models.PositiveSmallIntegerField(
        _("credibility"), choices=Credibility.choices, default=Credibility.CANNOT_JUDGE
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    grading_note = models.TextField(_("grading note"), blank=True)
    history = HistoricalRecords()

    objects = SourceReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("source report")

    def __str__(self) -> str:
        return f"{self.source} {self.grade} — {self.summary[:60]}"

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"
