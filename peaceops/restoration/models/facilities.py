"""Life-support facilities: what they are, where, whom they serve and what they depend on."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models import Place
from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class Sector(models.TextChoices):
    WATER = "water", _("water supply")
    ELECTRICITY = "electricity", _("electricity")
    GAS = "gas", _("gas")
    HEATING = "heating", _("heating")
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    ROAD = "road", _("road")
    BRIDGE = "bridge", _("bridge")
    TELECOM = "telecom", _("telecommunications")


# The services whose population coverage the region totals report.
LIFE_SUPPORT = (Sector.WATER, Sector.ELECTRICITY, Sector.GAS, Sector.HEATING)


class FacilityKind(models.TextChoices):
    WATER_SOURCE = "water_source", _("water source")
    PUMPING_STATION = "pumping_station", _("pumping station")
    WATER_NETWORK = "water_network", _("water network")
    SUBSTATION = "substation", _("electrical substation")
    POWER_LINE = "power_line", _("power line")
    GAS_PIPELINE = "gas_pipeline", _("gas pipeline")
    GAS_STATION = "gas_station", _("gas distribution station")
    HEATING_PLANT = "heating_plant", _("heating plant")
    HOSPITAL = "hospital", _("hospital")
    CLINIC = "clinic", _("clinic")
    SCHOOL = "school", _("school")
    ROAD = "road", _("road")
    BRIDGE = "bridge", _("bridge")
    TELECOM = "telecom", _("telecommunications site")


KIND_SECTOR: dict[str, str] = {
    FacilityKind.WATER_SOURCE: Sector.WATER, FacilityKind.PUMPING_STATION: Sector.WATER,
    FacilityKind.WATER_NETWORK: Sector.WATER, FacilityKind.SUBSTATION: Sector.ELECTRICITY,
    FacilityKind.POWER_LINE: Sector.ELECTRICITY, FacilityKind.GAS_PIPELINE: Sector.GAS,
    FacilityKind.GAS_STATION: Sector.GAS, FacilityKind.HEATING_PLANT: Sector.HEATING,
    FacilityKind.HOSPITAL: Sector.HEALTH, FacilityKind.CLINIC: Sector.HEALTH, FacilityKind.SCHOOL: Sector.EDUCATION,
    FacilityKind.ROAD: Sector.ROAD, FacilityKind.BRIDGE: Sector.BRIDGE, FacilityKind.TELECOM: Sector.TELECOM,
}


class FacilityQuerySet(VisibleQuerySet):
    view_capability = "restoration.view"


class Facility(TravellingRecord):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    # Stored (derived from kind on save) so that lists and counts group by sector in the database.
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, editable=False, db_index=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("place"))
    capacity = models.DecimalField(_("capacity"), max_digits=12, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(0)])
    capacity_unit = models.CharField(_("capacity unit"), max_length=30, blank=True,
                                     help_text=_("e.g. MVA, m³/day, beds, pupils"))
    settlements = models.ManyToManyField(Place, related_name="served_by", blank=True,
                                         verbose_name=_("settlements served"))
    population_served = models.PositiveIntegerField(_("population served"), null=True, blank=True)
    depends_on = models.ManyToManyField("self", symmetrical=False, related_name="dependants", blank=True,
                                        verbose_name=_("depends on"),
                                        help_text=_("Facilities this one cannot work without (e.g. the substation "
                                                    "feeding a pumping station)."))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["sector", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.sector = KIND_SECTOR.get(self.kind, "")
        super().save(*args, **kwargs)
