"""Identification of the dead: ante-mortem data from families, post-mortem data from recoveries, DNA samples and
the laboratory's match reports, and the ante-mortem / post-mortem comparison. Exchange officers only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet
from peaceops.exchanges.models.reconciliation import NotedDecision


class IdentificationQuerySet(VisibleQuerySet):
    """The most sensitive records of the system (medical, dental, genetic): exchange officers only."""

    view_capability = "exchanges.view_identification"


SEX_ESTIMATES = [("F", _("female")), ("M", _("male")), ("U", _("undetermined"))]


def dental_set(text: str) -> set[str]:
    """Tooth numbers (FDI, 11–48) written as '11, 36 47' → {'11', '36', '47'}."""
    return {t for t in text.replace(";", ",").replace(" ", ",").split(",") if t.strip()}


def _check_dental(value: str) -> None:
    for tooth in dental_set(value):
        if not (tooth.isdigit() and len(tooth) == 2 and tooth[0] in "1234" and tooth[1] in "12345678"):
            raise ValidationError(_("%(tooth)s is not a tooth number (FDI: 11 to 48).") % {"tooth": tooth})


def _check_range(errors: dict, low, high, field: str) -> None:
    if low is not None and high is not None and low > high:
        errors[field] = _("The lower bound is above the upper bound.")


class FamilyContact(models.Model):
    """A relative of a missing person: who gave information or a sample, and whether they agree to share it."""

    missing_case = models.ForeignKey("exchanges.MissingCase", on_delete=models.PROTECT, related_name="family",
                                     verbose_name=_("missing person case"))
    name = models.CharField(_("name as written"), max_length=200)
    relationship = models.CharField(_("relationship to the missing person"), max_length=100)
    consent_to_share = models.BooleanField(_("consents to share data with the identification partners"),
                                           default=False)
    contact = models.CharField(_("contact details"), max_length=300, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    history = HistoricalRecords()

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        ordering = ["missing_case", "id"]
        verbose_name = _("family contact")

    def __str__(self) -> str:
        return str(_("Family contact")) + f" #{self.pk}"


class AnteMortem(models.Model):
    """What the family remembers of the person before disappearance."""

    missing_case = models.OneToOneField("exchanges.MissingCase", on_delete=models.PROTECT,
                                        related_name="ante_mortem", verbose_name=_("missing person case"))
    collected_from = models.ForeignKey(FamilyContact, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("collected from"))
    collected_on = models.DateField(_("collected on"))
    age_at_disappearance = models.PositiveSmallIntegerField(_("age when last seen"), null=True, blank=True)
    stature_cm = models.PositiveSmallIntegerField(_("stature (cm)"), null=True, blank=True)
    description = models.TextField(_("physical description"), blank=True,
                                   help_text=_("Build, hair, eyes, scars, tattoos, old fractures."))
    dental_missing = models.CharField(_("teeth missing in life (FDI numbers)"), max_length=200, blank=True,
                                      validators=[_check_dental])
    dental_notes = models.TextField(_("dental notes"), blank=True)
    medical = models.TextField(_("medical history"), blank=True)
    clothing = models.TextField(_("clothing when last seen"), blank=True)
    effects = models.TextField(_("personal effects"), blank=True)
    last_seen_latitude = models.FloatField(_("last seen: latitude"), null=True, blank=True)
    last_seen_longitude = models.FloatField(_("last seen: longitude"), null=True, blank=True)
    photographs = models.ManyToManyField("core.Attachment", blank=True, related_name="+",
                                         verbose_name=_("photographs"))
    history = HistoricalRecords()

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ante-mortem data")

    def __str__(self) -> str:
        return str(_("Ante-mortem data")) + f" #{self.pk}"

    def clean(self) -> None:
        relative = self.collected_from if self.collected_from_id else None
        if relative is not None and relative.missing_case_id != self.missing_case_id:
            raise ValidationError({"collected_from": _("This relative belongs to another case.")})


class RecoverySite(TravellingRecord):
    """A place where remains were recovered (a grave, a field, a building), with what was found there."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("recovery site")

    def __str__(self) -> str:
        return str(_("Recovery site")) + f" {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:site_detail", args=[self.pk])


class BodyPart(models.TextChoices):
    BODY = "body", _("body")
    PART = "part", _("body part")


class PostMortem(models.Model):
    """What the recovery and the examination found."""

    remains_case = models.OneToOneField("exchanges.RemainsCase", on_delete=models.PROTECT,
                                        related_name="post_mortem", verbose_name=_("remains case"))
    recovery_site = models.ForeignKey(RecoverySite, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="post_mortems", verbose_name=_("recovery site"))
    latitude = models.FloatField(_("recovery point: latitude"), null=True, blank=True)
    longitude = models.FloatField(_("recovery point: longitude"), null=True, blank=True)
    recovery_team = models.CharField(_("recovering team"), max_length=200, blank=True)
    body_or_part = models.CharField(_("body or part"), max_length=4, choices=BodyPart.choices,
                                    default=BodyPart.BODY)
    sex_estimate = models.CharField(_("sex (estimate)"), max_length=1, choices=SEX_ESTIMATES, default="U")
    age_min = models.PositiveSmallIntegerField(_("age estimate: from"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("age estimate: to"), null=True, blank=True)
    stature_min_cm = models.PositiveSmallIntegerField(_("stature estimate: from (cm)"), null=True, blank=True)
    stature_max_cm = models.PositiveSmallIntegerField(_("stature estimate: to (cm)"), null=True, blank=True)
    dental_missing = models.CharField(_("teeth lost before death (FDI numbers)"), max_length=200, blank=True,
                                      validators=[_check_dental])
    dental_notes = models.TextField(_("dental notes"), blank=True)
    clothing = models.TextField(_("clothing"), blank=True)
    effects = models.TextField(_("personal effects"), blank=True)
    examined_on = models.DateField(_("examined on"), null=True, blank=True)
    photographs = models.ManyToManyField("core.Attachment", blank=True, related_name="+",
                                         verbose_name=_("photographs"))
    history = HistoricalRecords()

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("post-mortem data")

    def __str__(self) -> str:
        return str(_("Post-mortem data")) + f" #{self.pk}"

    def clean(self) -> None:
        errors: dict = {}
        _check_range(errors, self.age_min, self.age_max, "age_max")
        _check_range(errors, self.stature_min_cm, self.stature_max_cm, "stature_max_cm")
        if errors:
            raise ValidationError(errors)


class SampleKind(models.TextChoices):
    REFERENCE = "reference", _("reference sample from a relative")
    REMAINS = "remains", _("sample from remains")


class DnaSample(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=SampleKind.choices)
    sample_id = models.CharField(_("sample id"), max_length=60, unique=True)
    laboratory = models.CharField(_("laboratory"), max_length=200)
    taken_on = models.DateField(_("taken on"))
    # A reference sample: the relative who gave it, for the missing person it refers to.
    donor = models.ForeignKey(FamilyContact, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="samples", verbose_name=_("given by"))
    missing_case = models.ForeignKey("exchanges.MissingCase", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="reference_samples", verbose_name=_("missing person case"))
    remains_case = models.ForeignKey("exchanges.RemainsCase", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="samples", verbose_name=_("remains case"))
    history = HistoricalRecords()

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        ordering = ["sample_id"]
        verbose_name = _("DNA sample")

    def __str__(self) -> str:
        return self.sample_id

    def clean(self) -> None:
        if self.kind == SampleKind.REFERENCE:
            if not (self.donor_id and self.missing_case_id) or self.remains_case_id:
                raise ValidationError(_("A reference sample names the relative who gave it and the missing "
                                        "person's case."))
            if self.donor is not None and self.donor.missing_case_id != self.missing_case_id:
                raise ValidationError({"donor": _("This relative belongs to another case.")})
        elif not self.remains_case_id or self.donor_id or self.missing_case_id:
            raise ValidationError(_("A sample from remains names the remains case only."))


class DnaMatch(NotedDecision):
    """A laboratory's report that a reference sample and a sample from remains match: a proposed identification
    that an officer confirms (the remains are then identified by DNA) or rejects."""

    reference_sample = models.ForeignKey(DnaSample, on_delete=models.PROTECT, related_name="+")
    remains_sample = models.ForeignKey(DnaSample, on_delete=models.PROTECT, related_name="+")
    likelihood_ratio = models.FloatField(_("likelihood ratio"))
    laboratory = models.CharField(_("laboratory"), max_length=200)
    reported_on = models.DateField(_("reported on"))
    undo = models.JSONField(default=dict, blank=True, editable=False)
    history = HistoricalRecords()

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("DNA match report")
        constraints = [models.UniqueConstraint(fields=["reference_sample", "remains_sample", "laboratory"],
                                               name="one_dna_match_per_pair_and_laboratory")]

    def __str__(self) -> str:
        return str(_("DNA match")) + f" #{self.pk}"


class AmPmCandidate(NotedDecision):
    """An open missing-person case and unidentified remains that agree on what is known of both, ranked by score
    with the reasons per field (the shape of the other proposals); the officer decides each pair."""

    missing_case = models.ForeignKey("exchanges.MissingCase", on_delete=models.PROTECT, related_name="+")
    remains_case = models.ForeignKey("exchanges.RemainsCase", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    history = HistoricalRecords()

    objects = IdentificationQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("ante-mortem / post-mortem candidate")
        constraints = [models.UniqueConstraint(fields=["missing_case", "remains_case"],
                                               name="one_ampm_candidate_per_pair")]

    def __str__(self) -> str:
        return str(_("AM/PM candidate")) + f" #{self.pk}"
