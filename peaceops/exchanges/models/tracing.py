"""Tracing requests from families, and what the system found for them (shown to officers only)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord
from peaceops.exchanges.models.common import CaseQuerySet
from peaceops.exchanges.models.reconciliation import OfficerDecision


class TracingStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class TracingRequest(TravellingRecord):
    sought_name = models.CharField(_("name of the person sought, as written"), max_length=300)
    sought_father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    sought_birth_date = models.CharField(_("birth date (YYYY, YYYY-MM or YYYY-MM-DD)"), max_length=10, blank=True)
    sought_birth_place = models.CharField(_("birthplace"), max_length=200, blank=True)
    sought_sex = models.CharField(_("sex"), max_length=1, blank=True,
                                  choices=[("F", _("female")), ("M", _("male"))])
    requested_by = models.CharField(_("requested by"), max_length=200)
    relationship = models.CharField(_("relationship to the person sought"), max_length=100, blank=True)
    contact = models.CharField(_("how to reach the requester"), max_length=300)
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=10, choices=TracingStatus.choices, default=TracingStatus.OPEN)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("tracing request")

    def __str__(self) -> str:
        return str(_("Tracing request")) + f" #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:tracing_detail", args=[self.pk])


class TracingMatch(OfficerDecision):
    request = models.ForeignKey(TracingRequest, on_delete=models.PROTECT, related_name="matches")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    found_in = models.CharField(_("found in"), max_length=200)
    probability = models.FloatField(_("probability"))
    reasons = models.JSONField(_("reasons"), default=list)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="one_tracing_match_per_person")]
