"""Movements (every arrival of every person) and the structures that make "returned as of D" instant.

Why three tables: `Movement` is the record (a person may travel twice). `Returnee` holds one row per *canonical*
person (after confirmed merges) with the time and destination of their first arrival — the deduplication.
Counting those rows for a date still means scanning up to a million index entries, so arrivals also maintain
tallies of first arrivals: per UTC day (`ReturnDayTally`) and per UTC minute (`ReturnMinuteTally`). A count
"before instant T" sums whole days before T's UTC day (≤ days × destinations rows) plus the minutes of that one
day before T (≤ 1,440 × destinations rows). Reporting periods end on a minute (PEACEOPS_DAY_CUTOFF is HH:MM), so
the sum is exact whatever the cut-off or time zone, and it stays a few hundred rows at any number of people.
`services.rebuild_tallies()` recomputes both from `Movement` if ever in doubt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.returns.models.base import ReturnsQuerySet


class MovementKind(models.TextChoices):
    RETURN = "return", _("return")
    DEPARTURE = "departure", _("departure")
    SECONDARY_DISPLACEMENT = "secondary", _("secondary displacement")


class Movement(models.Model):
    """One person's recorded movement. A return (an arrival home) by convoy has `convoy`; one without is
    self-organised, recorded at a checkpoint or a registration desk. Departures and secondary displacement are
    movements too, but only returns count in "returned as of D"."""

    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    convoy = models.ForeignKey("returns.Convoy", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="movements")
    household = models.ForeignKey("returns.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="movements")
    kind = models.CharField(_("movement"), max_length=10, choices=MovementKind.choices, default=MovementKind.RETURN,
                            db_default=MovementKind.RETURN)
    arrived_at = models.DateTimeField(_("arrival time"))
    destination = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("destination"))
    checkpoint = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    objects = ReturnsQuerySet.as_manager()

    AUDIT_REPR = False

    class Meta:
        ordering = ["-arrived_at", "id"]
        indexes = [models.Index(fields=["person", "arrived_at"]), models.Index(fields=["arrived_at"])]


class Returnee(models.Model):
    """First arrival of a canonical person: the registry of who has returned, each once."""

    person = models.OneToOneField("core.Person", on_delete=models.PROTECT, related_name="+")
    first_arrival_at = models.DateTimeField()
    destination = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    movement = models.ForeignKey(Movement, null=True, on_delete=models.SET_NULL, related_name="+")
    # The first arrival was not in an escorted convoy.
    self_organised = models.BooleanField(default=False, db_default=False)

    objects = ReturnsQuerySet.as_manager()

    AUDIT_REPR = False

    class Meta:
        indexes = [models.Index(fields=["first_arrival_at", "destination"])]


class ReturnDayTally(models.Model):
    day = models.DateField()  # UTC calendar day
    destination = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    count = models.IntegerField(default=0)
    self_organised = models.IntegerField(default=0, db_default=0)  # of `count`, first arrivals without a convoy

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "destination"], name="return_day_tally_unique")]


class ReturnMinuteTally(models.Model):
    minute = models.DateTimeField()  # UTC, truncated to the minute
    destination = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    count = models.IntegerField(default=0)
    self_organised = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["minute", "destination"], name="return_minute_tally_unique")]
