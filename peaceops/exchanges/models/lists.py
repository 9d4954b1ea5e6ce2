"""Each party's lists, imported with the names exactly as the party wrote them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord
from peaceops.core.text import detect_script
from peaceops.exchanges.models.common import CaseQuerySet


class ListKind(models.TextChoices):
    WE_HOLD = "we_hold", _("persons we hold")
    YOU_HOLD = "you_hold", _("persons we believe you hold")
    OUR_MISSING = "our_missing", _("our missing")
    REMAINS = "remains", _("remains we hold")


class PartyList(TravellingRecord):
    party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    kind = models.CharField(_("kind"), max_length=12, choices=ListKind.choices)
    title = models.CharField(_("title"), max_length=200)
    received_on = models.DateField(_("received on"))
    received_via = models.ForeignKey("core.Party", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("received via"))
    source_file = models.CharField(_("file"), max_length=255, blank=True)
    # Set by the import on the list it returns (not stored): its LineErrors, rows kept with a field read in part.
    warnings: list[Any]
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("party list")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.party} — {self.get_kind_display()} ({self.received_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:list_detail", args=[self.pk])


class PartyListEntry(models.Model):
    """One row of a party's list. `raw` keeps the row as it arrived; `person` is set when a match is confirmed."""

    party_list = models.ForeignKey(PartyList, on_delete=models.PROTECT, related_name="entries")
    line = models.PositiveIntegerField(_("line"))
    reference = models.CharField(_("party's reference"), max_length=80, blank=True)
    full_name = models.CharField(_("name as written"), max_length=300)
    script = models.CharField(_("script"), max_length=4, editable=False)
    father_name = models.CharField(_("father's name as written"), max_length=200, blank=True)
    birth_date = models.CharField(_("birth date as written"), max_length=10, blank=True)
    birth_place = models.CharField(_("birthplace as written"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    raw = models.JSONField(_("row as received"), default=dict)
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="list_entries")
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("list entry")
        ordering = ["party_list", "line"]
        # A row of a list is one person: the party's reference (and the line) name it once within its list.
        constraints = [
            models.UniqueConstraint(fields=["party_list", "reference"], condition=~models.Q(reference=""),
                                    name="list_entry_reference_once_per_list",
                                    violation_error_message=_("This list already has an entry with this reference.")),
            models.UniqueConstraint(fields=["party_list", "line"], name="list_entry_line_once_per_list"),
        ]
        indexes = [models.Index(fields=["party_list", "line"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.script = detect_script(self.full_name)
        super().save(*args, **kwargs)
