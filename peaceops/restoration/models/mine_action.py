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
    # Fully released with no m² cleared: cancelled and reduced by survey, or reduced only.
    RELEASED = "released", _("released by survey")


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
        constraints = [models.UniqueConstraint(fields=["report", "ordnance_type"], name="one_count_per_type"),
                       models.CheckConstraint(condition=models.Q(destroyed__lte=models.F("found")),
                                              name="ordnance_destroyed_not_above_found",
                                              violation_error_message=_("More items destroyed than found."))]

    def __str__(self) -> str:
        return f"{self.get_ordnance_type_display()}: {self.found}/{self.destroyed}"


# --- Land release (IMAS 07.11): how much of each hazardous area has been released, how, and handed over ---


class ReleaseMethod(models.TextChoices):
    CANCELLATION = "cancellation", _("cancelled (non-technical survey)")
    REDUCTION = "reduction", _("reduced (technical survey)")
    CLEARANCE = "clearance", _("cleared")


class QAResult(models.TextChoices):
    PENDING = "", _("not yet inspected")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")


class LandRelease(TravellingRecord):
    """Land released from one hazardous area on one day by one method. The area's remaining m² and its status
    follow from these records (services.mine_action.area_balance); released land counts as handed over only once
    quality assurance has passed and the handover is recorded."""

    area = models.ForeignKey(HazardousArea, on_delete=models.PROTECT, related_name="releases",
                             verbose_name=_("hazardous area"))
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=12, choices=ReleaseMethod.choices)
    area_m2 = models.DecimalField(_("area released (m²)"), max_digits=14, decimal_places=1)
    team = models.CharField(_("team"), max_length=120)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="land_releases", verbose_name=_("organisation"))
    task = models.ForeignKey(ClearanceTask, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="releases", verbose_name=_("task"))
    notes = models.TextField(_("notes"), blank=True)
    qa_date = models.DateField(_("quality assurance inspection on"), null=True, blank=True)
    qa_result = models.CharField(_("quality assurance result"), max_length=8, choices=QAResult.choices, blank=True)
    qa_inspector = models.CharField(_("inspected by"), max_length=120, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    handed_over_to = models.CharField(_("handed over to"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MineActionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("land release")
        constraints = [models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="land_release_area_positive",
                                              violation_error_message=_("The area released must be more than "
                                                                        "0 m²."))]

    def __str__(self) -> str:
        return f"{self.area.code} · {self.date} · {self.get_method_display()}"

    @property
    def handed_over(self) -> bool:
        return self.handed_over_on is not None


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class MineAccident(TravellingRecord):
    """A mine or ERW accident and its victims, counted by sex, age group and outcome (no names)."""

    date = models.DateField(_("date"))
    area = models.ForeignKey(HazardousArea, null=True, blank=True, on_delete=models.PROTECT, related_name="accidents",
                             verbose_name=_("hazardous area"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    device = models.CharField(_("device"), max_length=12, choices=OrdnanceType.choices)
    activity = models.CharField(_("activity at the time"), max_length=200, blank=True,
                                help_text=_("e.g. farming, herding, collecting wood, travelling, demining"))
    killed_girls = _count(_("killed, girls"))
    killed_boys = _count(_("killed, boys"))
    killed_women = _count(_("killed, women"))
    killed_men = _count(_("killed, men"))
    injured_girls = _count(_("injured, girls"))
    injured_boys = _count(_("injured, boys"))
    injured_women = _count(_("injured, women"))
    injured_men = _count(_("injured, men"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MineActionQuerySet.as_manager()

    GROUPS = ("girls", "boys", "women", "men")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("mine / ERW accident")

    def __str__(self) -> str:
        return f"{self.date} · {self.get_device_display()}"

    @property
    def killed(self) -> int:
        return sum(getattr(self, f"killed_{g}") for g in self.GROUPS)

    @property
    def injured(self) -> int:
        return sum(getattr(self, f"injured_{g}") for g in self.GROUPS)

    @property
    def where(self) -> str:
        if self.place_id:
            return str(self.place)
        if self.latitude is not None:
            return f"{self.latitude}, {self.longitude}"
        return str(self.area) if self.area_id else ""


class RiskEducationSession(TravellingRecord):
    """An explosive ordnance risk education session and whom it reached, by sex and age group."""

    date = models.DateField(_("date"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("e.g. school no. 2, market"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    area = models.ForeignKey(HazardousArea, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="risk_education", verbose_name=_("hazardous area nearby"))
    girls = _count(_("girls"))
    boys = _count(_("boys"))
    women = _count(_("women"))
    men = _count(_("men"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MineActionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("risk education session")

    def __str__(self) -> str:
        return f"{self.date} · {self.place}"

    @property
    def participants(self) -> int:
        return self.girls + self.boys + self.women + self.men
