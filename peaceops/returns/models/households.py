"""Households on the waiting list of people who want to go home."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord
from peaceops.returns.models.base import ReturnsQuerySet


class Vulnerability(models.TextChoices):
    ELDERLY = "elderly", _("elderly")
    DISABLED = "disabled", _("disabled")
    PREGNANT = "pregnant", _("pregnant")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("unaccompanied child")
    MEDICAL = "medical", _("medical")


class SeatNeed(models.TextChoices):
    """What a person needs of the vehicle: planning seats them only where it can be given."""

    STRETCHER = "stretcher", _("stretcher")
    WHEELCHAIR = "wheelchair", _("wheelchair")
    CARER = "carer", _("a carer beside")


# Needs that make a household go first in the planning queue: every need and every seat need.
def needs_labels(needs, seat_needs=()) -> list[str]:
    labels = {**dict(Vulnerability.choices), **dict(SeatNeed.choices)}
    return [str(labels.get(v, v)) for v in [*needs, *seat_needs]]


class HouseholdState(models.TextChoices):
    WAITING = "waiting", _("waiting")
    ASSIGNED = "assigned", _("on a convoy manifest")
    RETURNED = "returned", _("returned")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Household(TravellingRecord):
    reference = models.CharField(_("reference"), max_length=60, blank=True, db_index=True,
                                 help_text=_("The registering office's own number, if any; imports match on it."))
    head = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("head"))
    origin = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("current location"))
    destination = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("intended destination"))
    # The union of the members' needs (and any recorded for the household as a whole before needs were per
    # person), kept by the services so lists and the queue read one column.
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    # Denormalised so planning 100,000 households reads two integers per row and never counts members.
    is_vulnerable = models.BooleanField(_("vulnerable"), default=False)
    size = models.PositiveSmallIntegerField(_("members"), default=0)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    state = models.CharField(_("state"), max_length=12, choices=HouseholdState.choices,
                             default=HouseholdState.WAITING)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    AUDIT_REPR = False  # sensitive: the audit log names households by id only

    class Meta:
        ordering = ["registered_on", "id"]
        verbose_name = _("household")
        # The planning queue: waiting households, vulnerable first, then by registration date.
        # The households list (API and page) in its own order, vulnerable first: a page is read from the index
        # rather than by sorting every household (PostgreSQL, 17,764 households: 3.3 ms to 0.35 ms at page 20).
        indexes = [models.Index(fields=["state", "-is_vulnerable", "registered_on", "id"], name="household_queue"),
                   models.Index(fields=["-is_vulnerable", "registered_on", "id"], name="household_list")]
        # The office's own number names one household: a retried registration or import must not add a second.
        constraints = [models.UniqueConstraint(
            fields=["reference"], condition=~models.Q(reference=""), name="household_reference_once",
            violation_error_message=_("A household with this reference is already registered."))]

    def __str__(self) -> str:
        return str(_("Household")) + f" {self.reference or self.pk}"

    def vulnerability_labels(self) -> list[str]:
        labels = dict(Vulnerability.choices)
        return [str(labels.get(v, v)) for v in self.vulnerabilities]


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(_("relationship to head"), max_length=60, blank=True)
    needs = models.JSONField(_("needs"), default=list, blank=True,
                             help_text=_("medical, elderly, disabled, unaccompanied child, pregnant"))
    seat_needs = models.JSONField(_("seat needs"), default=list, blank=True,
                                  help_text=_("stretcher, wheelchair, a carer beside"))
    carer = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("carer"),
                              help_text=_("The person who sits beside them; travels on the same vehicle."))
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    class Meta:
        ordering = ["household", "id"]
        constraints = [models.UniqueConstraint(fields=["household", "person"], name="member_once_per_household")]

    def __str__(self) -> str:
        return f"{self.household} · {self.person_id}"

    def needs_labels(self) -> list[str]:
        return needs_labels(self.needs, self.seat_needs)
