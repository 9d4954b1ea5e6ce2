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


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("file refused")


class ImportBatch(TravellingRecord):
    """One file imported: its progress is committed with each chunk of rows, so a killed import is resumed from
    the last committed chunk (`resume`), never repeated or half-counted."""

    kind = models.CharField(_("kind"), max_length=80)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    rows_read = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)  # already in the system (same source id)
    rows_warned = models.PositiveIntegerField(default=0)  # kept with a warning (e.g. the valid part of a date)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # data rows in the file, once counted
    parameters = models.JSONField(default=dict, blank=True)  # values the import needed besides the file
    file_error = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    stored_file = models.CharField(max_length=500, blank=True)  # the file as received, to resume from
    runner = models.CharField(max_length=120, blank=True)  # host:pid:token of the process importing it now
    progress_at = models.DateTimeField(null=True, blank=True)  # the last committed chunk
    finished_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_read / self.rows_total))


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


class RowWarning(models.Model):
    """A row that was imported with part of it left out or corrected, and why: its line and column."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="warnings")
    line = models.PositiveIntegerField(_("line"))
    column = models.CharField(_("column"), max_length=80)
    message = models.TextField(_("warning"))

    class Meta:
        ordering = ["batch", "line", "id"]
        verbose_name = _("row warning")

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"
