"""The daily situation report: one row per version of the report for a day.

A draft is rendered from live data; approval freezes its content; publication records the SHA-256 of the
content in the audit chain, after which the row never changes again. A correction is a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class SitrepStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")


class Classification(models.TextChoices):
    """How the full (internal) report is handled; the public view of a published version is always public."""

    UNCLASSIFIED = "unclassified", _("Unclassified")
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")


class ImmutableSitrep(ValidationError):
    """Raised on any attempt to change or delete a published report (or the content of an approved one)."""


class SitrepQuerySet(VisibleQuerySet):
    view_capability = "reports.view_sitrep"

    def visible_to(self, user):
        from peaceops.core.roles import can

        # Working roles read drafts; everyone else, logged in or not, sees published versions only.
        if can(user, self.view_capability):
            return self
        return self.filter(status=SitrepStatus.PUBLISHED)

    def published(self):
        return self.filter(status=SitrepStatus.PUBLISHED)

    def update(self, **kwargs):
        if self.filter(status=SitrepStatus.PUBLISHED).exists():
            raise ImmutableSitrep(_("A published sitrep cannot be changed; issue a correction instead."))
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=SitrepStatus.PUBLISHED).exists():
            raise ImmutableSitrep(_("A published sitrep cannot be deleted."))
        return super().delete()


class Sitrep(TravellingRecord):
    day = models.DateField(_("day"), db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=SitrepStatus.choices, default=SitrepStatus.DRAFT)
    # The rendered sections as JSON, frozen at approval (empty while a draft: drafts render from live data).
    content = models.JSONField(_("content"), default=dict, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the published content"), max_length=64, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections", verbose_name=_("corrects"))
    change_note = models.TextField(_("what changed and why"), blank=True)
    # Figures that differ from the version this one corrects: [{section, key, label, old, new}, ...].
    changes = models.JSONField(_("changes from the previous version"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    # The marking every rendering of the full report carries; frozen into the content at approval.
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices,
                                      default=Classification.RESTRICTED)
    distribution = models.CharField(_("distribution"), max_length=300, blank=True,
                                    help_text=_("Who may receive the full report, e.g. \"Mission leadership; "
                                                "the parties' liaison officers\"."))

    history = HistoricalRecords()
    objects = SitrepQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-version"]
        constraints = [models.UniqueConstraint(fields=["day", "version"], name="reports_sitrep_day_version")]
        verbose_name = _("sitrep")

    def __str__(self) -> str:
        return f"Sitrep {self.day.isoformat()} v{self.version} ({self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == SitrepStatus.PUBLISHED

    @property
    def is_frozen(self) -> bool:
        return self.status != SitrepStatus.DRAFT

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Sitrep.objects.filter(pk=self.pk).values(
                "status", "content", "classification", "distribution").first()
            if stored and stored["status"] == SitrepStatus.PUBLISHED:
                raise ImmutableSitrep(_("A published sitrep cannot be changed; issue a correction instead."))
            if stored and stored["status"] == SitrepStatus.APPROVED and stored["content"] != self.content:
                raise ImmutableSitrep(_("The content of an approved sitrep is frozen."))
            if stored and stored["status"] == SitrepStatus.APPROVED and (
                    stored["classification"], stored["distribution"]) != (self.classification, self.distribution):
                raise ImmutableSitrep(_("The marking of an approved sitrep is frozen."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Sitrep.objects.filter(pk=self.pk, status=SitrepStatus.PUBLISHED).exists():
            raise ImmutableSitrep(_("A published sitrep cannot be deleted."))
        return super().delete(*args, **kwargs)


class SectionNarrative(models.Model):
    """A section's narrative paragraph in one version of the report, written by staff beside the generated
    figures. It can change while the version is a draft (every change kept in its history, with who and when);
    approval copies it into the frozen content, and from then on the row never changes."""

    sitrep = models.ForeignKey(Sitrep, on_delete=models.PROTECT, related_name="narratives",
                               verbose_name=_("sitrep"))
    section = models.CharField(_("section"), max_length=40)
    text = models.TextField(_("narrative"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("written by"))
    written_at = models.DateTimeField(_("written at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["sitrep", "section"]
        constraints = [models.UniqueConstraint(fields=["sitrep", "section"], name="reports_narrative_once")]
        verbose_name = _("section narrative")

    def __str__(self) -> str:
        return f"{self.sitrep} · {self.section}"

    def save(self, *args, **kwargs):
        if Sitrep.objects.filter(pk=self.sitrep_id).exclude(status=SitrepStatus.DRAFT).exists():
            raise ImmutableSitrep(_("The narratives of an approved or published sitrep are frozen."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Sitrep.objects.filter(pk=self.sitrep_id).exclude(status=SitrepStatus.DRAFT).exists():
            raise ImmutableSitrep(_("The narratives of an approved or published sitrep are frozen."))
        return super().delete(*args, **kwargs)


class StoredChart(models.Model):
    """A drawn sitrep chart, keyed by the SHA-256 of everything it was drawn from (curve, size, language,
    drawing version), so a frozen version's charts are drawn once, at approval, and read back by every process.

    Derived data rather than a record: rows are written with bulk_create, which keeps them out of the audit
    chain, and a row is never changed (other input gives another key)."""

    key = models.CharField(max_length=64, unique=True)
    svg = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"chart {self.key[:12]}"
