"""Possible duplicate registrations in the household registry: pairs the linkage engine proposes and the
returns officer's decision on each. Only a confirmed pair merges the two identity records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.returns.models.base import ReturnsQuerySet


class DuplicateStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class DuplicateProposal(models.Model):
    """One pair of registry persons, stored once: `left` always has the smaller id, so a re-run finds the pair
    again instead of adding it twice (a unique constraint makes the database hold to that too)."""

    left = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    right = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("possible duplicate"))
    probability = models.FloatField(_("probability"))
    # Per-field reasons as the engine gave them: field, level, weight, agrees, left, right.
    explanation = models.JSONField(_("reasons"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=DuplicateStatus.choices,
                              default=DuplicateStatus.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    survivor = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("kept record"),
                                 help_text=_("On confirmation: the earlier registration, which the other now "
                                             "points to."))
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    AUDIT_REPR = False  # sensitive: the audit log names the pair by ids only

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("possible duplicate registration")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(left__lt=F("right")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="duplicate_queue")]

    def __str__(self) -> str:
        return f"{self.left_id} ↔ {self.right_id} ({self.probability:.0%})"
