"""Flow monitoring at checkpoints (after IOM DTM's flow monitoring): how many people passed a checkpoint on a
reporting day outside escorted convoys, by direction, means of travel and purpose. Counts only — no names, no
person: a count cannot be deduplicated against the registry, so it is shown beside "returned as of D", never
added to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import VisibleQuerySet


class FlowQuerySet(VisibleQuerySet):
    view_capability = "returns.view_flows"


class FlowDirection(models.TextChoices):
    INCOMING = "in", _("incoming (towards the destination area)")
    OUTGOING = "out", _("outgoing (leaving the destination area)")


class FlowVehicle(models.TextChoices):
    ON_FOOT = "foot", _("on foot")
    CAR = "car", _("car")
    BUS = "bus", _("bus or minibus")
    TRUCK = "truck", _("truck")
    OTHER = "other", _("other")


class FlowPurpose(models.TextChoices):
    RETURN = "return", _("return home")
    DEPARTURE = "departure", _("departure")
    SECONDARY = "secondary", _("secondary displacement")
    VISIT = "visit", _("visit, short stay")
    WORK = "work", _("work or trade")
    OTHER = "other", _("other")


class FlowCount(models.Model):
    """People (and vehicles) counted at one checkpoint on one reporting day in one direction, by one means of
    travel, for one purpose. One row per combination: entering the day's sheet again replaces the row."""

    checkpoint = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("checkpoint"))
    day = models.DateField(_("reporting day"))
    direction = models.CharField(_("direction"), max_length=3, choices=FlowDirection.choices)
    vehicle = models.CharField(_("means of travel"), max_length=5, choices=FlowVehicle.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=FlowPurpose.choices)
    people = models.PositiveIntegerField(_("people"))
    vehicles = models.PositiveIntegerField(_("vehicles"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = FlowQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "checkpoint", "direction", "purpose", "vehicle"]
        verbose_name = _("flow count")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "day", "direction", "vehicle", "purpose"],
                                    name="flow_count_once"),
            models.CheckConstraint(condition=~Q(vehicle="foot") | Q(vehicles=0), name="flow_on_foot_no_vehicles"),
        ]
        indexes = [models.Index(fields=["day", "checkpoint"])]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.day} {self.direction}/{self.vehicle}/{self.purpose}: {self.people}"
