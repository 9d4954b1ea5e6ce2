"""Escorted convoys: vehicles with seats, a manifest of households and persons, cargo, and the run itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord
from peaceops.returns.models.base import ReturnsQuerySet


class ConvoyStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DISPATCHED = "dispatched", _("dispatched")
    ARRIVED = "arrived", _("arrived")
    TURNED_BACK = "turned_back", _("turned back")


ACTIVE_STATUSES = (ConvoyStatus.PLANNED, ConvoyStatus.DISPATCHED)


class Convoy(TravellingRecord):
    corridor = models.ForeignKey("returns.Corridor", on_delete=models.PROTECT, related_name="convoys",
                                 verbose_name=_("corridor"))
    date = models.DateField(_("date"))
    escort = models.CharField(_("escort"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ConvoyStatus.choices,
                              default=ConvoyStatus.PLANNED)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    turned_back_at = models.DateTimeField(_("turned back at"), null=True, blank=True)
    turn_back_reason = models.CharField(_("reason for turning back"), max_length=300, blank=True)
    destination = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("where the convoy ends"),
                                    help_text=_("Used for people whose household names no destination."))
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("convoy")
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return str(_("Convoy")) + f" {self.date:%Y-%m-%d} #{self.pk}"

    @property
    def seats(self) -> int:
        return sum(v.seats for v in self.vehicles.all())

    @property
    def head_count(self) -> int:
        return self.manifest.count()


class Vehicle(models.Model):
    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="vehicles")
    label = models.CharField(_("vehicle"), max_length=60)
    seats = models.PositiveSmallIntegerField(_("seats"), default=0)  # 0: a cargo truck
    # What the vehicle can give beyond a seat: stretcher places (an ambulance), wheelchair spaces (an accessible
    # bus), and an escort for unaccompanied children aboard.
    stretchers = models.PositiveSmallIntegerField(_("stretcher places"), default=0)
    wheelchair_spaces = models.PositiveSmallIntegerField(_("wheelchair spaces"), default=0)
    child_escort = models.BooleanField(_("escort for unaccompanied children"), default=False)
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    class Meta:
        ordering = ["convoy", "id"]

    def __str__(self) -> str:
        return self.label

    def equipment(self) -> list[str]:
        parts = []
        if self.stretchers:
            parts.append(_("%(n)d stretcher places") % {"n": self.stretchers})
        if self.wheelchair_spaces:
            parts.append(_("%(n)d wheelchair spaces") % {"n": self.wheelchair_spaces})
        if self.child_escort:
            parts.append(str(_("child escort")))
        return parts


class ManifestEntry(models.Model):
    """One person on one convoy. `active` is true while the convoy is planned or on the road; a partial unique
    index on it makes the database itself refuse a person on two live manifests."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="manifest")
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.SET_NULL, related_name="manifest")
    household = models.ForeignKey("returns.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="manifest_entries")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    AUDIT_REPR = False

    class Meta:
        ordering = ["convoy", "vehicle", "household", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(active=True), name="person_on_one_live_manifest"),
            models.UniqueConstraint(fields=["convoy", "person"], name="person_once_per_convoy"),
        ]


class CargoLine(models.Model):
    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="cargo")
    description = models.CharField(_("what"), max_length=200)
    quantity = models.DecimalField(_("how much"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30, default="t")
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.description}: {self.quantity} {self.unit}"


class CheckpointPassage(models.Model):
    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="passages")
    checkpoint = models.ForeignKey("returns.CorridorCheckpoint", on_delete=models.PROTECT, related_name="passages")
    passed_at = models.DateTimeField(_("time"))
    head_count = models.PositiveIntegerField(_("head count"))
    checked_by = models.CharField(_("checked by"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # The head count checked against the manifest: people on it when the count was taken. A difference holds the
    # convoy's arrival until an officer resolves it (who was not on the bus, who was added).
    manifest_count = models.PositiveIntegerField(_("on the manifest"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("discrepancy resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("resolved by"))
    resolution = models.TextField(_("resolution"), blank=True)
    # Person ids taken off the manifest (not on the bus) and put on it (travelling unlisted); ids only.
    absent = models.JSONField(_("not on the bus"), default=list, blank=True)
    added = models.JSONField(_("added to the manifest"), default=list, blank=True)
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    AUDIT_REPR = False

    @property
    def discrepancy(self) -> int:
        """Counted minus manifest (0 when they agree or the manifest was not known)."""
        return 0 if self.manifest_count is None else self.head_count - self.manifest_count

    @property
    def unresolved(self) -> bool:
        return bool(self.discrepancy) and self.resolved_at is None

    class Meta:
        ordering = ["convoy", "passed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["convoy", "checkpoint"], name="pass_checkpoint_once")]
