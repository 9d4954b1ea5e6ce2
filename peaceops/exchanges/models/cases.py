"""Case files: detention, missing person, remains. Each refers to a core Person (remains once identified)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord
from peaceops.exchanges.models.common import CaseQuerySet


class DetentionKind(models.TextChoices):
    POW = "pow", _("prisoner of war")
    CIVILIAN = "civilian", _("civilian detainee")


class DetentionStatus(models.TextChoices):
    HELD = "held", _("held")
    EXCHANGED = "exchanged", _("exchanged")
    RELEASED = "released", _("released")
    DECEASED = "deceased", _("died in detention")


class DetentionCase(TravellingRecord):
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="detention_cases",
                               verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=10, choices=DetentionKind.choices)
    holding_party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("holding party"))
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place of detention"))
    place_text = models.CharField(_("place as reported"), max_length=200, blank=True)
    detained_on = models.DateField(_("detained on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DetentionStatus.choices,
                              default=DetentionStatus.HELD)
    released_on = models.DateField(_("released or exchanged on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("detention case")
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(_("Detention")) + f" #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:case_detail", args=["detention", self.pk])

    def clean(self) -> None:
        if self.released_on and self.detained_on and self.released_on < self.detained_on:
            raise ValidationError({"released_on": _("Release cannot come before detention.")})


class IntermediaryVisit(models.Model):
    """A visit by the neutral intermediary to a detained person, with what it found."""

    case = models.ForeignKey(DetentionCase, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("visited by"))
    findings = models.TextField(_("findings"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = _("intermediary visit")


class MissingStatus(models.TextChoices):
    OPEN = "open", _("open")
    FOUND_ALIVE = "found_alive", _("found alive")
    FOUND_DECEASED = "found_deceased", _("found deceased")
    CLOSED = "closed", _("closed")


class MissingCase(TravellingRecord):
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="missing_cases",
                               verbose_name=_("person"))
    reported_by = models.CharField(_("reported by"), max_length=200)
    reported_by_party = models.ForeignKey("core.Party", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("reporting party"))
    reported_on = models.DateField(_("reported on"))
    last_seen_place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("last seen at"))
    last_seen_text = models.CharField(_("last seen (as reported)"), max_length=200, blank=True)
    last_seen_on = models.DateField(_("last seen on"), null=True, blank=True)
    circumstances = models.TextField(_("circumstances"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MissingStatus.choices, default=MissingStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("missing person case")
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(_("Missing")) + f" #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:case_detail", args=["missing", self.pk])

    def clean(self) -> None:
        if self.last_seen_on and self.reported_on and self.last_seen_on > self.reported_on:
            raise ValidationError({"last_seen_on": _("A person cannot be last seen after being reported missing.")})
        if self.status != MissingStatus.OPEN and not self.closed_on:
            raise ValidationError({"closed_on": _("A resolved case needs the date it was resolved.")})


class Condition(models.TextChoices):
    COMPLETE = "complete", _("complete")
    PARTIAL = "partial", _("partial")
    FRAGMENTARY = "fragmentary", _("fragmentary")


class Identification(models.TextChoices):
    UNIDENTIFIED = "unidentified", _("unidentified")
    PRESUMPTIVE = "presumptive", _("presumptively identified")
    IDENTIFIED = "identified", _("identified")


class IdentificationMethod(models.TextChoices):
    DOCUMENTS = "documents", _("documents")
    VISUAL = "visual", _("visual recognition")
    DNA = "dna", _("DNA")


# Identification moves forward only; a correction is a new version with its reason in the history.
_NEXT_STATUS: dict[str, set[str]] = {
    Identification.UNIDENTIFIED: {Identification.PRESUMPTIVE, Identification.IDENTIFIED},
    Identification.PRESUMPTIVE: {Identification.IDENTIFIED}, Identification.IDENTIFIED: set()}


class RemainsCase(TravellingRecord):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    # Unidentified remains have no identity yet; the Person is attached at (presumptive) identification.
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="remains_cases", verbose_name=_("person"))
    recovered_on = models.DateField(_("recovered on"))
    recovered_place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("recovered at"))
    recovered_place_text = models.CharField(_("recovered at (as reported)"), max_length=200, blank=True)
    recovered_by = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("recovered by"))
    condition = models.CharField(_("condition"), max_length=12, choices=Condition.choices,
                                 default=Condition.COMPLETE)
    holding_party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("held by"))
    received_on = models.DateField(_("received by holding party on"), null=True, blank=True)
    dna_required = models.BooleanField(_("DNA identification needed"), default=False)
    identification_status = models.CharField(_("identification"), max_length=12, choices=Identification.choices,
                                             default=Identification.UNIDENTIFIED)
    identification_method = models.CharField(_("method"), max_length=10, choices=IdentificationMethod.choices,
                                             blank=True)
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    handed_over_to = models.CharField(_("handed over to"), max_length=200, blank=True,
                                      help_text=_("The family or authority that received the remains."))
    handed_over_to_party = models.ForeignKey("core.Party", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+", verbose_name=_("handed over to party"))
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("remains case")
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(_("Remains")) + f" {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:case_detail", args=["remains", self.pk])

    @staticmethod
    def may_move(old: str, new: str) -> bool:
        return old == new or new in _NEXT_STATUS[old]

    def clean(self) -> None:
        errors = {}
        if self.identification_status != Identification.UNIDENTIFIED:
            if not self.identification_method:
                errors["identification_method"] = _("Say how the remains were identified.")
            if not self.person_id:
                errors["identification_status"] = _("An identification names a person.")
            if not self.identified_on:
                errors["identified_on"] = _("Give the date of identification.")
        if self.handed_over_on and self.identification_status == Identification.UNIDENTIFIED:
            errors["handed_over_on"] = _("Unidentified remains cannot be handed over to a family.")
        if self.handed_over_on and not (self.handed_over_to or self.handed_over_to_party_id):
            errors["handed_over_to"] = _("Say to whom the remains were handed over.")
        if errors:
            raise ValidationError(errors)


__all__ = [
    "Condition",
    "DetentionCase",
    "DetentionKind",
    "DetentionStatus",
    "Identification",
    "IdentificationMethod",
    "IntermediaryVisit",
    "MissingCase",
    "MissingStatus",
    "RemainsCase",
]
