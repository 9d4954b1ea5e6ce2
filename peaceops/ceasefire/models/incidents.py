"""Incidents: what happened, when and where, who alleges whom, and how far the mission has verified it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.ceasefire import geo
from peaceops.ceasefire.taxonomy import SUBTYPE_CHOICES, VIOLATION_TYPES, IncidentType, subtypes_of
from peaceops.core.models.base import TravellingRecord, VisibleQuerySet
from peaceops.core.models.places import PlaceKind
from peaceops.core.models.sources import Credibility


class TimePrecision(models.TextChoices):
    MINUTE = "minute", _("to the minute")
    HOUR = "hour", _("within the hour")
    DAY = "day", _("on the day")
    WEEK = "week", _("within the week")
    MONTH = "month", _("within the month")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("exact (observed or measured)")
    NEAR = "near", _("near the named place (within a few km)")
    DISTRICT = "district", _("somewhere in the district")


class Status(models.TextChoices):
    REPORTED = "reported", _("reported")
    UNDER_REVIEW = "under_review", _("under review")
    VERIFIED = "verified", _("verified")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")
    REFUTED = "refuted", _("refuted")


class Bearing(models.TextChoices):
    N = "N", _("north")
    NE = "NE", _("north-east")
    E = "E", _("east")
    SE = "SE", _("south-east")
    S = "S", _("south")
    SW = "SW", _("south-west")
    W = "W", _("west")
    NW = "NW", _("north-west")


CASUALTY_FIELDS = ("killed_civilian", "killed_military", "killed_unknown",
                   "injured_civilian", "injured_military", "injured_unknown")


def location_text(place: str | None, bearing: str, distance_km, latitude, longitude) -> str:
    """Where an incident was, in the reader's language: "2.5 km north-east of <place>", the place, or the
    coordinates. `place` is the place's name as shown (None without a place); shared by the model and the API's
    list rows, which have only column values."""
    if place is not None and bearing and distance_km is not None:
        return _("%(km)s km %(bearing)s of %(place)s") % {
            "km": distance_km, "bearing": str(dict(Bearing.choices).get(bearing, bearing)), "place": place}
    if place is not None:
        return place
    return f"{latitude}, {longitude}"


class IncidentQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        from peaceops.core.roles import can

        if can(user, "ceasefire.view_all"):
            return self
        if can(user, "ceasefire.file"):
            return self.filter(reported_by=user)  # monitors see their own submissions
        return self.none()

    def counted(self):
        """What counts as a report: not refuted, not folded into another incident."""
        return self.filter(merged_into__isnull=True).exclude(status=Status.REFUTED)

    def violations(self):
        """What counts as a ceasefire violation: a counted report of a violation type (not a restriction on the
        monitors, damage or casualties reported on their own, or an event of another kind)."""
        return self.counted().filter(incident_type__in=sorted(VIOLATION_TYPES))


def _casualty(label):
    return models.IntegerField(label, default=0, validators=[MinValueValidator(0)])


class Incident(TravellingRecord):
    # The source's own id (e.g. an ACLED event_id_cnty) makes re-imports idempotent.
    external_id = models.CharField(_("external id"), max_length=80, blank=True, db_index=True)
    occurred_from = models.DateTimeField(_("from"))
    occurred_to = models.DateTimeField(_("to"))
    time_precision = models.CharField(_("time precision"), max_length=8, choices=TimePrecision.choices,
                                      default=TimePrecision.HOUR)
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place"))
    bearing = models.CharField(_("direction from the place"), max_length=2, choices=Bearing.choices, blank=True)
    distance_km = models.DecimalField(_("distance from the place (km)"), max_digits=5, decimal_places=1, null=True,
                                      blank=True, validators=[MinValueValidator(0)])
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_precision = models.CharField(_("location precision"), max_length=8, choices=LocationPrecision.choices,
                                          default=LocationPrecision.NEAR)
    # Denormalised from the place (or nearest place) so counts per district are one indexed GROUP BY.
    district = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"), editable=False)
    incident_type = models.CharField(_("type"), max_length=20, choices=IncidentType.choices)
    sub_type = models.CharField(_("sub-type"), max_length=30, choices=SUBTYPE_CHOICES)
    weapons = models.CharField(_("weapons"), max_length=200, blank=True)
    direction_of_fire = models.CharField(_("direction of fire"), max_length=200, blank=True,
                                         help_text=_("e.g. “from south-east towards north-west”"))
    alleged_party = models.ForeignKey("core.Party", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("party alleged responsible"))
    alleged_by = models.ForeignKey("core.Source", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("alleged by"))
    killed_civilian = _casualty(_("killed, civilian"))
    killed_military = _casualty(_("killed, military"))
    killed_unknown = _casualty(_("killed, status unknown"))
    injured_civilian = _casualty(_("injured, civilian"))
    injured_military = _casualty(_("injured, military"))
    injured_unknown = _casualty(_("injured, status unknown"))
    # OSCE-style counting within one incident: each explosion and each burst of fire heard or seen, and the
    # rounds where they could be told apart. Empty = not counted (not zero).
    explosions = models.PositiveIntegerField(_("explosions"), null=True, blank=True,
                                             help_text=_("Number of explosions observed, where counted."))
    bursts = models.PositiveIntegerField(_("bursts"), null=True, blank=True,
                                         help_text=_("Number of bursts of fire observed, where counted."))
    rounds = models.PositiveIntegerField(_("rounds"), null=True, blank=True,
                                         help_text=_("Number of rounds or shots, where known."))
    damage = models.TextField(_("damage"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField("core.SourceReport", related_name="ceasefire_incidents", blank=True,
                                     verbose_name=_("sources"))
    attachments = models.ManyToManyField("core.Attachment", related_name="+", blank=True)
    observed_by_post = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("observed by post"),
                                         limit_choices_to={"kind": PlaceKind.OBSERVATION_POST})
    observed_by_patrol = models.ForeignKey("ceasefire.Patrol", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="incidents", verbose_name=_("observed by patrol"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    credibility = models.PositiveSmallIntegerField(_("information credibility"), choices=Credibility.choices,
                                                   default=Credibility.CANNOT_JUDGE)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("under review by"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("filed by"))
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="duplicates", verbose_name=_("merged into"))
    # Local wall time of occurred_from, kept on save (`set_local_time`) so daily counts group by an index instead
    # of computing a reporting period per row. Independent of the day cut-off, which is applied when counting.
    local_date = models.DateField(null=True, editable=False)
    local_minute = models.PositiveSmallIntegerField(null=True, editable=False)  # minutes since local midnight
    history = HistoricalRecords(excluded_fields=["updated_at", "local_date", "local_minute"])

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_from", "-id"]
        verbose_name = _("incident")
        indexes = [
            # Counts per period/district/type read only this index; duplicate proposals range over its prefix.
            models.Index(fields=["occurred_from", "district", "incident_type", "status", "merged_into"],
                         name="cf_incident_count_idx"),
            models.Index(fields=["status", "occurred_from"], name="cf_incident_queue_idx"),
            # Daily counts: a range of local dates read in index order, grouped without a sort.
            models.Index(fields=["local_date", "district", "incident_type", "status", "merged_into", "local_minute"],
                         name="cf_incident_day_idx"),
        ]
        # The source's own event id (ACLED's event_id_cnty, another system's HXL #event+id) names one event; the
        # imports skip ids they hold, and this makes a retried or concurrent import unable to add it twice. Those
        # ids carry their system's prefix (ACLED's country code), so one namespace serves every source.
        constraints = [
            models.CheckConstraint(condition=Q(occurred_to__gte=models.F("occurred_from")),
                                   name="cf_incident_window_order"),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="cf_incident_external_id_once",
                violation_error_message=_("An incident with this source id is already recorded.")),
        ]

    def set_local_time(self) -> None:
        """Fill local_date/local_minute from occurred_from (bulk_create callers call this; save() does it)."""
        from peaceops.core.reporting import local_zone

        local = self.occurred_from.astimezone(local_zone())
        self.local_date, self.local_minute = local.date(), local.hour * 60 + local.minute

    def save(self, *args, **kwargs):
        self.set_local_time()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "occurred_from" in update_fields:
            kwargs["update_fields"] = {*update_fields, "local_date", "local_minute"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        where = str(self.place) if self.place_id else f"{self.latitude}, {self.longitude}"  # in the reader's language
        return f"{self.get_incident_type_display()} · {where} · {timezone.localtime(self.occurred_from):%Y-%m-%d %H:%M}"

    @property
    def killed(self) -> int:
        return self.killed_civilian + self.killed_military + self.killed_unknown

    @property
    def injured(self) -> int:
        return self.injured_civilian + self.injured_military + self.injured_unknown

    @property
    def location_label(self) -> str:
        return location_text(str(self.place) if self.place_id else None, self.bearing, self.distance_km,
                             self.latitude, self.longitude)

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.occurred_from and self.occurred_to and self.occurred_to < self.occurred_from:
            add("occurred_to", _("The end of the time window is before its start."))
        if self.incident_type and self.sub_type and self.sub_type not in subtypes_of(self.incident_type):
            add("sub_type", _("“%(sub)s” is not a kind of %(type)s.") % {
                "sub": self.sub_type, "type": self.get_incident_type_display()})
        for name in CASUALTY_FIELDS:
            value = getattr(self, name)
            if value is not None and value < 0:
                add(name, _("A casualty count cannot be below zero."))
        if (self.latitude is None) != (self.longitude is None):
            add("longitude" if self.latitude is not None else "latitude",
                _("Give both latitude and longitude, or neither."))
        elif self.latitude is not None and self.longitude is not None and not geo.in_region(float(self.latitude), float(self.longitude)):
            add("latitude", _("%(lat)s, %(lon)s is outside the operating region; are latitude and longitude "
                              "swapped?") % {"lat": self.latitude, "lon": self.longitude})
        if self.place_id is None and self.latitude is None:
            add("place", _("Say where: a place, coordinates, or a direction and distance from a place."))
        if (self.bearing == "") != (self.distance_km is None):
            add("distance_km" if self.bearing else "bearing",
                _("A direction needs a distance, and a distance needs a direction."))
        elif self.bearing and self.place_id is None:
            add("place", _("A direction and distance are measured from a place; name it."))
        if self.alleged_party_id and not self.alleged_by_id:
            add("alleged_by", _("Responsibility is only ever as alleged by a source: name who alleges it."))
        if self.observed_by_post and self.observed_by_post.kind != PlaceKind.OBSERVATION_POST:
            add("observed_by_post", _("%(place)s is not an observation post.") % {"place": self.observed_by_post})
        if errors:
            raise ValidationError(errors)


# Each step's action as a reader sees it ("filed", "claimed", ... stay stored in English).
STEP_LABELS = {"filed": _("filed"), "claimed": _("claimed for review"), "verified": _("verified"),
               "unconfirmed": _("unconfirmed"), "refuted": _("refuted"), "merged": _("merged"),
               "reopened": _("reopened with new evidence"), "source_added": _("source added")}
# The steps that decide (or undo a decision): the incident page lists them as its decision history.
DECISION_ACTIONS = ("verified", "unconfirmed", "refuted", "reopened")


class VerificationStep(models.Model):
    """One step of the workflow, with its rationale. Steps are only ever added, never changed or removed."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("action"), max_length=20)  # filed, claimed, verified, unconfirmed, refuted, merged
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    rationale = models.TextField(_("rationale"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("verification step")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '—'} → {self.to_status}"

    @property
    def action_label(self) -> str:
        """The step in the reader's language; `action` stays the stored English word."""
        return str(STEP_LABELS.get(self.action, self.action))
