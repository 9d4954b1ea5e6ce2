"""Operational layers drawn and edited on the map: the line of contact and the areas of responsibility.

Geometry is plain GeoJSON (no GeoDjango): a LineString or MultiLineString for a line of contact, a Polygon for
an area of responsibility. A feature is never deleted: it is retired, and every change keeps a version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class FeatureKind(models.TextChoices):
    LINE_OF_CONTACT = "line_of_contact", _("Line of contact")
    AREA_OF_RESPONSIBILITY = "area_of_responsibility", _("Area of responsibility")


class MapFeatureQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        from peaceops.core.roles import can

        # Operational geography, not case contents: every role that sees the map sees it.
        return self if can(user, "core.view_map") else self.none()

    def current(self):
        return self.filter(retired_at=None)


class MapFeature(TravellingRecord):
    kind = models.CharField(_("layer"), max_length=32, choices=FeatureKind.choices)
    name = models.CharField(_("name"), max_length=120)
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    notes = models.TextField(_("notes"), blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MapFeatureQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("map feature")
        verbose_name_plural = _("map features")
        indexes = [models.Index(fields=["kind", "retired_at"], name="cf_mapfeature_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
