"""Observation-post logs and patrols: the mission's own eyes on the line of contact and the corridor."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet
from peaceops.core.models.places import PlaceKind


class FieldQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        from peaceops.core.roles import can

        if can(user, "ceasefire.view_all"):
            return self
        if can(user, "ceasefire.log"):
            return self.filter(created_by=user)
        return self.none()


class ObservationPostLog(TravellingRecord):
    post = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("post"),
                             limit_choices_to={"kind": PlaceKind.OBSERVATION_POST})
    shift_start = models.DateTimeField(_("shift start"))
    shift_end = models.DateTimeField(_("shift end"))
    manned = models.BooleanField(_("manned"), default=True)
    personnel = models.PositiveSmallIntegerField(_("personnel on duty"), default=0)
    observations = models.TextField(_("observations"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = FieldQuerySet.as_manager()

    class Meta:
        ordering = ["-shift_start", "post__name"]
        verbose_name = _("observation post log entry")
        verbose_name_plural = _("observation post log")
        indexes = [models.Index(fields=["shift_start", "post"], name="cf_postlog_idx")]

    def __str__(self) -> str:
        return f"{self.post} {self.shift_start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.shift_start and self.shift_end and self.shift_end < self.shift_start:
            raise ValidationError({"shift_end": _("The shift ends before it starts.")})
        if self.post_id and self.post.kind != PlaceKind.OBSERVATION_POST:
            raise ValidationError({"post": _("%(place)s is not an observation post.") % {"place": self.post}})


class Patrol(TravellingRecord):
    route_name = models.CharField(_("route"), max_length=120)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    team = models.CharField(_("team"), max_length=120, blank=True)
    distance_km = models.DecimalField(_("distance (km)"), max_digits=6, decimal_places=1, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    findings = models.TextField(_("findings"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = FieldQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("patrol")
        indexes = [models.Index(fields=["started_at"], name="cf_patrol_idx")]

    def __str__(self) -> str:
        return f"{self.route_name} {self.started_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": _("The patrol ends before it starts.")})

    @property
    def route(self) -> list:
        return [stop.place for stop in self.stops.all()]


class PatrolStop(models.Model):
    """The route is the ordered list of places a patrol passed."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField()
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["patrol", "order"]
        constraints = [models.UniqueConstraint(fields=["patrol", "order"], name="cf_patrol_stop_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.place}"
