"""Mine action in the IMSMA spirit: hazardous areas, clearance tasks and their daily reports."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models import Organisation, Place
from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class MineActionQuerySet(VisibleQuerySet):
    view_capability = "restoration.view"


class HazardStatus(models.TextChoices):
    SUSPECTED = "suspected", _("suspected hazardous area")
    CONFIRMED = "confirmed", _("confirmed hazardous area")
    CLEARED = "cleared", _("cleared")
    CANCELLED = "cancelled", _("cancelled by survey")


class HazardType(models.TextChoices):
    MINES = "mines", _("mines")
    UXO = "uxo", _("unexploded ordnance")
    CLUSTER = "cluster", _("cluster munitions")
    MIXED = "mixed", _("mixed contamination")


class HazardousArea(TravellingRecord):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=HazardStatus.choices,
                              default=HazardStatus.SUSPECTED)
    hazard = models.CharField(_("contamination"), max_length=10, choices=HazardType.choices, default=HazardType.UXO)
    # GeoJSON geometry: {"type": "Point", "coordinates": [lon, lat]} or a Polygon whose rings close.
    geometry = models.JSONField(_("geometry"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="hazardous_areas",
                              verbose_name=_("nearest place"))
    estimated_area_m2 = models.DecimalField(_("estimated area (m²)"), max_digits=14, decimal_places=1, null=True,
                                            blank=True, validators=[MinValueValidator(0)])
    reported_on = models.DateField(_("reported on"))
    history = HistoricalRecords()

    objects = MineActionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("hazardous area")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TaskKind(models.TextChoices):
    AREA = "area", _("area clearance")
    ROUTE = "route", _("route (road) clearance")
    EOD = "eod", _("explosive ordnance disposal spot task")
    SURVEY = "survey", _("non-technical survey")


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    SUSPENDED = "suspended", _("suspended")
    COMPLETED = "completed", _("completed")


class ClearanceTask(TravellingRecord):
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clearance_tasks",
                                     verbose_name=_("organisation"))
    hazardous_area = models.ForeignKey(HazardousArea, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="tasks", verbose_name=_("hazardous area"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place / road segment"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PLANNED)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MineActionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("clearance task")

    def __str__(self) -> str:
        return f"{self.code} ({self.get_kind_display()})"


class ClearanceReport(TravellingRecord):
    """One task's work on one day; totals per day add these up."""

    task = models.ForeignKey(ClearanceTask, on_delete=models.PROTECT, related_name="reports", verbose_name=_("task"))
    date = models.DateField(_("date"))
    area_cleared_m2 = models.DecimalField(_("area cleared (m²)"), max_digits=14, decimal_places=1,
                                          default=Decimal(0), validators=[MinValueValidator(0)])
    road_cleared_km = models.DecimalField(_("road cleared (km)"), max_digits=8, decimal_places=2,
                                          default=Decimal(0), validators=[MinValueValidator(0)])
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = MineActionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "task__code"]
        verbose_name = _("daily clearance report")
        constraints = [models.UniqueConstraint(fields=["task", "date"], name="one_clearance_report_per_task_day")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.date}"


class OrdnanceType(models.TextChoices):
    AP_MINE = "ap_mine", _("anti-personnel mine")
    AT_MINE = "at_mine", _("anti-tank mine")
    SUBMUNITION = "submunition", _("cluster submunition")
    PROJECTILE = "projectile", _("artillery projectile")
    MORTAR = "mortar", _("mortar bomb")
    ROCKET = "rocket", _("rocket")
    GRENADE = "grenade", _("grenade")
    SMALL_ARMS = "small_arms", _("small-arms ammunition")
    OTHER = "other", _("other explosive ordnance")


class OrdnanceCount(models.Model):
    report = models.ForeignKey(ClearanceReport, on_delete=models.CASCADE, related_name="ordnance",
                               verbose_name=_("report"))
    ordnance_type = models.CharField(_("type"), max_length=12, choices=OrdnanceType.choices)
    found = models.PositiveIntegerField(_("found"), default=0)
    destroyed = models.PositiveIntegerField(_("destroyed"), default=0)

    class Meta:
        verbose_name = _("explosive ordnance count")
        constraints = [models.UniqueConstraint(fields=["report", "ordnance_type"], name="one_count_per_type")]

    def __str__(self) -> str:
        return f"{self.get_ordnance_type_display()}: {self.found}/{self.destroyed}"
