"""Works in the 3W way: who (organisation) does what (activity) where (facility) and when."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models import Organisation
from peaceops.core.models.base import TravellingRecord, VisibleQuerySet
from peaceops.restoration.models.facilities import Facility

PERCENT_MESSAGE = _("A percentage is between 0 and 100.")


class WorkStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    SUSPENDED = "suspended", _("suspended")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class WorkQuerySet(VisibleQuerySet):
    view_capability = "restoration.view"


class Work(TravellingRecord):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="restoration_works",
                                     verbose_name=_("organisation"))
    activity = models.CharField(_("activity"), max_length=200)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="works", verbose_name=_("facility"))
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.PLANNED)
    percent_complete = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("% complete"), default=0, validators=[MinValueValidator(0, PERCENT_MESSAGE), MaxValueValidator(100, PERCENT_MESSAGE)])
    resources = models.TextField(_("resources"), blank=True, help_text=_("People, machines, materials."))
    # What the facility delivers once the work is done; a partial repair restores it only in part.
    restores_to = models.PositiveSmallIntegerField(
        _("functionality when completed %"), default=100,
        validators=[MinValueValidator(0, PERCENT_MESSAGE), MaxValueValidator(100, PERCENT_MESSAGE)])
    external_id = models.CharField(_("source id"), max_length=100, blank=True, db_index=True,
                                   help_text=_("The id the work has in the file it was imported from."))
    history = HistoricalRecords()

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "-id"]
        verbose_name = _("work")
        constraints = [
            # Re-imports of a 3W file update the work with the file's id; a second work with the same id would be
            # a duplicate the next import could not tell apart.
            models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                    name="work_external_id_once",
                                    violation_error_message=_("A work with this source id already exists.")),
            models.CheckConstraint(condition=models.Q(percent_complete__lte=100), name="work_percent_0_100",
                                   violation_error_message=_("Percentage complete must be between 0 and 100.")),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True) | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")), name="work_actual_end_after_start",
                violation_error_message=_("The work cannot finish before it starts.")),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True) | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")), name="work_planned_end_after_start",
                violation_error_message=_("The planned end is before the planned start.")),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.facility}"
