"""The gazetteer: one real place, many names."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet
from peaceops.core.text import detect_script, place_key


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region / district")
    SETTLEMENT = "settlement", _("settlement")
    CHECKPOINT = "checkpoint", _("checkpoint")
    OBSERVATION_POST = "observation_post", _("observation post")
    CROSSING = "crossing", _("crossing")
    FACILITY_SITE = "facility_site", _("facility site")
    ROAD_SEGMENT = "road_segment", _("road segment")


class PlaceQuerySet(VisibleQuerySet):
    view_capability = "core.view_gazetteer"


# A place's name in the active language. Its reader (peaceops.core.placenames) reads this model's aliases, so the
# core hands it in when it starts (CoreConfig.ready) rather than the model importing it; until then, the name.
_local_name: Callable[[Place], str] | None = None


def name_places_with(namer: Callable[[Place], str]) -> None:
    global _local_name
    _local_name = namer


class Place(TravellingRecord):
    """Canonical name is neutral: where the parties use different names it shows both ("Shushi / Shusha")."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.SETTLEMENT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    pcode = models.CharField(_("P-code"), max_length=30, blank=True, db_index=True)
    population = models.PositiveIntegerField(_("pre-conflict population"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        # A P-code identifies one place (OCHA's common operational datasets): two places with one P-code would
        # split every figure joined on it.
        constraints = [models.UniqueConstraint(
            fields=["pcode"], condition=~models.Q(pcode=""), name="place_pcode_once",
            violation_error_message=_("Another place already has this P-code."))]

    def __str__(self) -> str:
        return _local_name(self) if _local_name is not None else self.name

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def ancestors(self) -> list[Place]:
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain

    def district(self) -> Place | None:
        """The nearest enclosing region: what counts per district group by."""
        if self.kind == PlaceKind.REGION:
            return self
        return next((p for p in self.ancestors() if p.kind == PlaceKind.REGION), None)


class AliasLanguage(models.TextChoices):
    HY = "hy", _("Armenian")
    AZ = "az", _("Azerbaijani")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    OTHER = "other", _("other")


class AliasKind(models.TextChoices):
    OFFICIAL = "official", _("official name")
    CONVENTIONAL = "conventional", _("conventional / exonym")
    TRANSLITERATION = "transliteration", _("transliteration variant")
    HISTORICAL = "historical", _("historical name")


class PlaceAlias(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name as written"), max_length=200)
    language = models.CharField(_("language"), max_length=5, choices=AliasLanguage.choices)
    script = models.CharField(_("script"), max_length=4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=AliasKind.choices, default=AliasKind.OFFICIAL)
    # The match key survives a change of script and common transliteration habits.
    key = models.CharField(max_length=200, db_index=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "name"]
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")
        constraints = [models.UniqueConstraint(fields=["place", "name", "language"], name="unique_alias_per_place")]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def save(self, *args, **kwargs) -> None:
        self.script = detect_script(self.name)
        self.key = place_key(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        key = place_key(self.name or "")
        if not key:
            raise ValidationError({"name": _("An alias needs at least one letter or digit.")})
        clash = (
            PlaceAlias.objects.filter(key=key)
            .exclude(place_id=self.place_id)
            .select_related("place")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {"name": _("“%(name)s” would be ambiguous: it already names %(other)s.")
                 % {"name": self.name, "other": clash.place.name}}
            )
