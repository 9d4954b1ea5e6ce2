"""Exchange events and the handover of each person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord
from peaceops.exchanges.models.common import CaseQuerySet


class EventKind(models.TextChoices):
    ALL_FOR_ALL = "all_for_all", _("all for all")
    N_FOR_M = "n_for_m", _("N for M")


class EventSubject(models.TextChoices):
    DETAINEES = "detainees", _("detainees and prisoners")
    REMAINS = "remains", _("remains")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("being prepared")
    COMPLETED = "completed", _("completed")


class ExchangeEvent(TravellingRecord):
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    subject = models.CharField(_("exchange of"), max_length=10, choices=EventSubject.choices,
                               default=EventSubject.DETAINEES)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    date = models.DateField(_("date"))
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place"))
    place_text = models.CharField(_("place (as described)"), max_length=200, blank=True)
    intermediary = models.ForeignKey("core.Party", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("intermediary"))
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("exchange event")

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.date:%Y-%m-%d} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:event_detail", args=[self.pk])


class Handover(models.Model):
    """One person on an event's roster; `handed_at` is filled when the handover is witnessed."""

    event = models.ForeignKey(ExchangeEvent, on_delete=models.PROTECT, related_name="handovers")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="handovers")
    from_party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("from party"))
    to_party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("to party"))
    witnessed_by = models.CharField(_("witnessed by"), max_length=200, blank=True)
    handed_at = models.DateTimeField(_("time of handover"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("handover")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="one_handover_per_person_event")]

    def __str__(self) -> str:
        return f"{self.person} {self.from_party} → {self.to_party}"
