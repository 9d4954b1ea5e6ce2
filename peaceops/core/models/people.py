"""Identity records. Sensitive: only roles that need them see them, and every read is audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet
from peaceops.core.text import detect_script


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    UNKNOWN = "U", _("unknown")


class PersonQuerySet(VisibleQuerySet):
    """Coordinators see every identity record; other roles only those their own module holds.

    Each app declares in `people.py` PERSON_SCOPES = [(capability, callable() -> queryset of person ids)]:
    a returns officer sees household members, an exchange officer the persons in case files and lists —
    never each other's.
    """

    def visible_to(self, user):
        from functools import reduce
        from operator import or_

        from peaceops.core.registry import collect
        from peaceops.core.roles import can

        if not can(user, "core.view_persons"):
            return self.none()
        if can(user, "core.view_all_persons"):
            return self
        scopes = [models.Q(pk__in=ids()) for capability, ids in collect("people", "PERSON_SCOPES")
                  if can(user, capability)]
        return self.filter(reduce(or_, scopes)) if scopes else self.none()

    def current(self):
        """Persons neither merged into another nor withdrawn: what counts and lists use."""
        return self.filter(merged_into__isnull=True, withdrawn_at__isnull=True)


class Person(TravellingRecord):
    """A person, with a birth date as precise as the source gives it (year, year-month or full date)."""

    # Set by the exchanges' person creation on the instance it returns (not stored): a birth date read in part.
    warnings: list[str]

    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("birth day"), null=True, blank=True)
    birthplace_text = models.CharField(_("birthplace as written"), max_length=200, blank=True)
    birthplace = models.ForeignKey(
        "core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("birthplace"),
    )
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    # Only a human confirms that two records are the same person; the merged record points at the survivor.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    notes = models.TextField(_("notes"), blank=True)
    # A record found to stand for nobody (a confirmation that created it was reopened) is withdrawn, never
    # deleted: nothing about a person is hard-deleted, and its history stays readable.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why withdrawn"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        indexes = [models.Index(fields=["merged_into"])]

    def __str__(self) -> str:
        name = self.primary_name
        return name.full_name if name else f"person {self.uuid}"

    @property
    def primary_name(self) -> PersonName | None:
        names = list(self.names.all())
        return next((n for n in names if n.is_primary), names[0] if names else None)

    @property
    def birth_date_display(self) -> str:
        parts = [f"{self.birth_year:04d}" if self.birth_year else ""]
        if self.birth_month:
            parts.append(f"{self.birth_month:02d}")
            if self.birth_day:
                parts.append(f"{self.birth_day:02d}")
        return "-".join(p for p in parts if p)

    def clean(self) -> None:
        if self.birth_day and not self.birth_month:
            raise ValidationError(_("A birth day needs a birth month."))
        if self.birth_month and not self.birth_year:
            raise ValidationError(_("A birth month needs a birth year."))
        if self.birth_month and not 1 <= self.birth_month <= 12:
            raise ValidationError({"birth_month": _("Month must be 1–12.")})
        if self.birth_year:
            try:
                born = datetime.date(self.birth_year, self.birth_month or 1, self.birth_day or 1)
            except ValueError:
                raise ValidationError(_("That birth date does not exist.")) from None
            if born > timezone.localdate():
                raise ValidationError(_("A birth date cannot be in the future."))

    def canonical(self) -> Person:
        """Follow confirmed merges to the surviving record."""
        person, seen = self, set()
        while person.merged_into_id and person.pk not in seen:
            seen.add(person.pk)
            person = person.merged_into or person  # merged_into_id is set: the record it names
        return person


class CurrentNamesManager(models.Manager):
    """The default manager (and so `person.names`) leaves out withdrawn names: matching, search and pages read
    only the names that stand; `PersonName.all_names` still reads every one."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class PersonName(models.Model):
    """A name exactly as a source wrote it, with its script; linkage adds normalised keys.

    A name found wrong (the confirmation that added it was reopened) is withdrawn, never deleted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(_("name as written"), max_length=300)
    script = models.CharField(_("script"), max_length=4, editable=False)
    given = models.CharField(_("given name"), max_length=120, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=120, blank=True)
    surname = models.CharField(_("surname"), max_length=120, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    written_by = models.CharField(_("as written by"), max_length=200, blank=True,
                                  help_text=_("The list, document or party that wrote the name this way."))
    match_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CurrentNamesManager()
    all_names = models.Manager()

    class Meta:
        verbose_name = _("person name")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.script = detect_script(self.full_name)
        super().save(*args, **kwargs)


class PersonDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=60)
    number = models.CharField(_("number"), max_length=80)
    issued_by = models.CharField(_("issued by"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identity document")

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"
