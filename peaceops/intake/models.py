"""Import batches and the quarantine of rows that could not be taken, kept until someone fixes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class ImportBatchQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        from peaceops.core.roles import can
        from peaceops.intake.registry import importers

        if not user.is_authenticated:
            return self.none()
        kinds = [key for key, spec in importers().items() if can(user, spec.capability)]
        return self.filter(kind__in=kinds)


class ImportBatch(TravellingRecord):
    kind = models.CharField(_("kind"), max_length=80)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    rows_read = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)  # already in the system (same source id)
    parameters = models.JSONField(default=dict, blank=True)  # values the import needed besides the file
    file_error = models.TextField(blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def open_rows(self):
        return self.quarantined_rows.filter(resolved_at__isnull=True)


class QuarantinedRow(models.Model):
    """A row that failed validation: its values as read, the line it came from, and every reason."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="quarantined_rows")
    line = models.PositiveIntegerField(_("line"))
    values = models.JSONField(_("values"))
    errors = models.JSONField(_("errors"), default=list)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    AUDIT_REPR = False  # a rejected row's errors may quote a person's name: the audit chain names it by id

    class Meta:
        ordering = ["batch", "line"]
        verbose_name = _("quarantined row")

    def __str__(self) -> str:
        return f"line {self.line}: {'; '.join(self.errors)}"
