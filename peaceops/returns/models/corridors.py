"""Corridors: an ordered road of checkpoints whose status (open / restricted / closed) has a kept history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord
from peaceops.returns.models.base import ReturnsQuerySet


class CorridorStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESTRICTED = "restricted", _("restricted")
    CLOSED = "closed", _("closed")


class Corridor(TravellingRecord):
    name = models.CharField(_("name"), max_length=200, unique=True)
    # Denormalised from the latest status change so lists and the map need no subquery.
    status = models.CharField(_("status"), max_length=12, choices=CorridorStatus.choices,
                              default=CorridorStatus.OPEN)
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("corridor")

    def __str__(self) -> str:
        return self.name

    def ordered_checkpoints(self) -> list[CorridorCheckpoint]:
        return list(self.checkpoints.select_related("place").order_by("position"))

    def status_at(self, instant: dt.datetime) -> CorridorStatusChange | None:
        """The status in force at `instant` (the latest change at or before it), so back-dated runs are judged
        by the corridor as it was then."""
        return self.status_changes.filter(at__lte=instant).order_by("-at", "-id").first()


class CorridorCheckpoint(models.Model):
    corridor = models.ForeignKey(Corridor, on_delete=models.CASCADE, related_name="checkpoints")
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    position = models.PositiveSmallIntegerField(_("position"))
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    class Meta:
        ordering = ["corridor", "position"]
        constraints = [models.UniqueConstraint(fields=["corridor", "position"], name="checkpoint_position_unique")]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.place}"  # the place as the reader calls it (its alias in their language)


class CorridorStatusChange(models.Model):
    corridor = models.ForeignKey(Corridor, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=CorridorStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("from"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = ReturnsQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["corridor", "at"])]

    def __str__(self) -> str:
        return f"{self.corridor}: {self.get_status_display()}"
