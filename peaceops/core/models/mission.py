"""The mission this installation serves: its dates, its area and its reporting rules, as data an administrator
sets (issue 19: a mission is configuration, not code). Values left empty fall back to the installation's
settings (PEACEOPS_DAY_CUTOFF, PEACEOPS_SMALL_CELL, TIME_ZONE), read through `peaceops.core.mission`."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class MissionQuerySet(VisibleQuerySet):
    view_capability = "core.view_reference"


class Mission(TravellingRecord):
    name = models.CharField(_("name"), max_length=160)
    active = models.BooleanField(_("active"), default=False,
                                 help_text=_("The mission whose dates, area and rules every page uses."))
    ceasefire_start = models.DateField(_("ceasefire in force from"))
    first_return_day = models.DateField(_("first day of organised returns"), null=True, blank=True)
    south = models.DecimalField(_("south"), max_digits=8, decimal_places=5)
    west = models.DecimalField(_("west"), max_digits=8, decimal_places=5)
    north = models.DecimalField(_("north"), max_digits=8, decimal_places=5)
    east = models.DecimalField(_("east"), max_digits=8, decimal_places=5)
    day_cutoff = models.CharField(_("reporting day ends at"), max_length=5, blank=True,
                                  help_text=_("HH:MM local time; empty: the installation's setting."))
    small_cell = models.PositiveSmallIntegerField(
        _("smallest count of people published"), null=True, blank=True,
        help_text=_("Smaller counts are suppressed in public outputs; empty: the installation's setting."))
    time_zone = models.CharField(_("local time zone"), max_length=60, blank=True,
                                 help_text=_("An IANA zone such as Asia/Baku; empty: the installation's setting."))
    parties = models.ManyToManyField("core.Party", verbose_name=_("parties and actors"), blank=True,
                                     related_name="missions")
    history = HistoricalRecords()

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="one_active_mission")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from django.db import transaction

        from peaceops.core import mission

        super().save(*args, **kwargs)
        mission.saved()
        transaction.on_commit(mission.invalidate)

    def clean(self) -> None:
        errors = {}
        if None not in (self.south, self.north) and not -90 <= self.south < self.north <= 90:
            errors["north"] = _("South must lie below north, both between −90 and 90.")
        if None not in (self.west, self.east) and not -180 <= self.west < self.east <= 180:
            errors["east"] = _("West must lie left of east, both between −180 and 180.")
        if self.first_return_day and self.ceasefire_start and self.first_return_day < self.ceasefire_start:
            errors["first_return_day"] = _("Returns cannot start before the ceasefire.")
        if self.day_cutoff:
            try:
                hours, minutes = (int(part) for part in self.day_cutoff.split(":"))
                valid = 0 <= hours <= 24 and 0 <= minutes < 60 and not (hours == 24 and minutes)
            except ValueError:
                valid = False
            if not valid:
                errors["day_cutoff"] = _("A time from 00:00 to 24:00, such as 19:30.")
        if self.small_cell is not None and self.small_cell < 2:
            errors["small_cell"] = _("At least 2: a count of 1 names a person.")
        if self.time_zone:
            try:
                ZoneInfo(self.time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                errors["time_zone"] = _("Not a time zone name; use one such as Asia/Yerevan or Europe/Kyiv.")
        if errors:
            raise ValidationError(errors)
