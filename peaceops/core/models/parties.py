"""Parties (sides and actors, with neutral labels) and organisations (who does what)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet, in_active_language


class PartyKind(models.TextChoices):
    CONFLICT_PARTY = "conflict_party", _("party to the conflict")
    PEACEKEEPING_FORCE = "peacekeeping_force", _("peacekeeping force")
    INTERMEDIARY = "intermediary", _("neutral intermediary")
    AGENCY = "agency", _("agency")
    NGO = "ngo", _("non-governmental organisation")
    UNKNOWN = "unknown", _("unknown / unidentified")


class PartyQuerySet(VisibleQuerySet):
    view_capability = "core.view_reference"


class Party(TravellingRecord):
    """A side or actor. An incident's responsible party is only ever *as alleged by a source*."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("neutral label"), max_length=120, unique=True)
    label_ru = models.CharField(_("neutral label in Russian"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "label"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return in_active_language(self.label, self.label_ru)


class OrganisationQuerySet(VisibleQuerySet):
    view_capability = "core.view_reference"


class Organisation(TravellingRecord):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("party"), help_text=_("The side or actor this organisation belongs to, if any."),
    )
    sector = models.CharField(_("sector"), max_length=80, blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.acronym or self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_ru)
