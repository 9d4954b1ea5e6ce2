"""What the linkage app stores: the operation's own model versions and the matching jobs run in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelVersion(models.Model):
    """m-probabilities re-estimated from officers' decisions (`peaceops.linkage.learning`). The active version is
    used by every matching job in place of the shipped model; with none active the shipped model is used."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    params = models.JSONField(_("parameters"))  # peaceops.linkage.params.ModelParams.as_json()
    labels = models.JSONField(_("labels used"), default=dict)  # per job kind: confirmed and rejected pairs
    notes = models.JSONField(_("notes"), default=list)
    active = models.BooleanField(_("in use"), default=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("linkage model version")
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="one_active_linkage_model")]

    def __str__(self) -> str:
        return str(_("model version")) + f" {self.pk}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class LinkageJob(models.Model):
    """One matching job (registry duplicate search, list reconciliation, tracing) run by the background worker,
    with the engine's progress as it goes."""

    kind = models.CharField(_("kind"), max_length=30)
    arguments = models.JSONField(_("arguments"), default=dict)
    backend = models.CharField(_("backend"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("matching job")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
