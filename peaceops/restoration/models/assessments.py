"""Damage assessments: the state of a facility on a date, as an assessor found it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models import Attachment
from peaceops.core.models.base import TravellingRecord, VisibleQuerySet
from peaceops.core.roles import COORDINATOR, can, has_role
from peaceops.restoration.models.facilities import Facility

PERCENT_MESSAGE = _("A percentage is between 0 and 100.")


class Severity(models.IntegerChoices):
    """A fixed five-step scale so that assessments by different people compare."""

    NONE = 0, _("0 — no damage")
    LIGHT = 1, _("1 — light damage")
    MODERATE = 2, _("2 — moderate damage")
    SEVERE = 3, _("3 — severe damage")
    DESTROYED = 4, _("4 — destroyed")


class AssessmentQuerySet(VisibleQuerySet):
    view_capability = "restoration.view_assessments"

    def visible_to(self, user):
        if not can(user, self.view_capability):
            return self.none()
        # Monitors file assessments in the field and see only their own submissions (DESIGN.md).
        if can(user, "restoration.edit") or has_role(user, COORDINATOR):
            return self
        return self.filter(submitted_by=user)


class DamageAssessment(TravellingRecord):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="assessments",
                                 verbose_name=_("facility"))
    date = models.DateField(_("date"))
    assessor = models.CharField(_("assessor"), max_length=200)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    functionality = models.PositiveSmallIntegerField(
        _("functionality %"), validators=[MinValueValidator(0, PERCENT_MESSAGE), MaxValueValidator(100, PERCENT_MESSAGE)],
        help_text=_("How much of its normal service the facility delivers, 0–100."))
    needs = models.TextField(_("needs"), blank=True)
    photos = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("photos"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("submitted by"))
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("damage assessment")
        constraints = [models.CheckConstraint(condition=models.Q(functionality__lte=100),
                                              name="assessment_functionality_0_100")]

    def __str__(self) -> str:
        return f"{self.facility} · {self.date}"
