"""A reconciliation run and the officer's decision on each proposed pair."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.exchanges.models.common import CaseQuerySet


class Reconciliation(models.Model):
    """List against list (`right_list`) or list against the case files (`right_list` empty)."""

    left_list = models.ForeignKey("exchanges.PartyList", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("list"))
    right_list = models.ForeignKey("exchanges.PartyList", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("against list"))
    threshold = models.FloatField(_("lowest probability proposed"))
    engine = models.CharField(_("matching engine"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("reconciliation")

    def __str__(self) -> str:
        against = self.right_list or _("case files")
        return f"{self.left_list} ↔ {against}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:reconciliation_detail", args=[self.pk])

    @property
    def engine_label(self) -> str:
        """The engine as a sentence in the reader's language names it: the stored name is a record of which
        engine ran, in English whatever the language ("linkage engine (Splink)" sat inside Russian sentences)."""
        from peaceops.exchanges.matching import ENGINE_NAME

        return str(_("record-linkage engine (Splink)")) if self.engine == ENGINE_NAME else self.engine


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class OfficerDecision(models.Model):
    """What every proposal an officer decides shares (a reconciliation pair, a tracing match, a DNA match report,
    an ante-mortem / post-mortem candidate): its status and who decided it when. `decide` is the one way those
    fields change; the caller saves and writes the audit event."""

    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices,
                              default=DecisionStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def decide(self, status: str, user, note: str = "") -> None:
        """Set the decision (not saved); back to proposed clears who and when, the note and what to undo."""
        proposed = status == DecisionStatus.PROPOSED
        self.status = status
        self.decided_by, self.decided_at = (None, None) if proposed else (user, timezone.now())
        if hasattr(self, "note"):
            field = self._meta.get_field("note")
            assert isinstance(field, models.Field)  # a column of the model, not a relation
            self.note = note[:field.max_length]
        if proposed and hasattr(self, "undo"):
            self.undo: dict = {}


class NotedDecision(OfficerDecision):
    """A decision with the officer's note."""

    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True


class MatchDecision(NotedDecision):
    """A proposed pair with its probability and reasons; only an officer confirms or rejects it."""

    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.PROTECT, related_name="decisions")
    left_entry = models.ForeignKey("exchanges.PartyListEntry", on_delete=models.PROTECT, related_name="+")
    right_entry = models.ForeignKey("exchanges.PartyListEntry", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    right_person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text=_("The person of a case file, when reconciling "
                                                                   "against the case files."))
    probability = models.FloatField(_("probability"))
    reasons = models.JSONField(_("reasons"), default=list)
    # What a confirmation changed (entries linked, names added, person created), so that it can be reopened.
    undo = models.JSONField(default=dict, blank=True, editable=False)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("match decision")
        indexes = [models.Index(fields=["reconciliation", "status"])]

    def __str__(self) -> str:
        return f"{self.left_entry_id} ↔ {self.right_entry_id or self.right_person_id} ({self.probability:.0%})"
