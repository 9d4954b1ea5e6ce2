"""Field submissions as received, whatever became of them, and every delivery of each.

One FieldSubmission per distinct content of an instance id: an identical resubmission only counts another
Delivery; a different content under the same instance id is a second FieldSubmission in state "conflict".
Nothing here is ever deleted: a rejected submission stays, with who rejected it and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class State(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REVIEW = "review", _("in review")
    CONFLICT = "conflict", _("conflict")
    REJECTED = "rejected", _("rejected")


class Channel(models.TextChoices):
    OPENROSA = "openrosa", _("OpenRosa (ODK Collect, Enketo)")
    KOBO = "kobo", _("KoboToolbox export")
    ODK_CENTRAL = "odk-central", _("ODK Central export")
    BROWSER = "browser", _("browser, offline entry")


class FieldSubmissionQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        from peaceops.core.roles import can
        from peaceops.fieldforms.catalogue import forms

        if not getattr(user, "is_authenticated", False):
            return self.none()
        readable = [form_id for form_id, form in forms().items() if can(user, form.view_capability)]
        # A form that is not (or no longer) shipped is read by whoever reads any form's submissions.
        if readable:
            return self.filter(models.Q(form_id__in=readable) | ~models.Q(form_id__in=list(forms())))
        return self.none()


class FieldSubmission(TravellingRecord):
    instance_id = models.CharField(_("instance id"), max_length=100, db_index=True)
    deprecated_id = models.CharField(_("edits instance"), max_length=100, blank=True)
    form_id = models.CharField(_("form"), max_length=100, blank=True)
    form_version = models.CharField(_("form version"), max_length=100, blank=True)
    received_xml = models.TextField(_("as received"))
    # What the instance says (services.content_digest): the same filling from any channel matches it.
    sha256 = models.CharField(max_length=64)
    # A reviewer's correction; blank while the instance is as received (then `received_xml` is the instance:
    # an export's 100,000 instances are stored once, not twice).
    xml = models.TextField(_("instance"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REVIEW)
    reason = models.TextField(_("reason"), blank=True)
    record_model = models.CharField(max_length=100, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("submitted by"))
    received_at = models.DateTimeField(_("received"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    attachments = models.ManyToManyField("core.Attachment", related_name="+", blank=True)
    # Files that came with it and were refused (too large, active content): name -> why. The instance is kept.
    refused_files = models.JSONField(default=dict, blank=True)
    # `received_xml` never changes after it arrives: its versions would only repeat it.
    history = HistoricalRecords(excluded_fields=["updated_at", "received_xml"])

    AUDIT_REPR = False  # an instance may name a person: the audit chain names it by id only

    objects = FieldSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("field submission")
        constraints = [models.UniqueConstraint(fields=["instance_id", "sha256"], name="fieldforms_content_once")]
        indexes = [models.Index(fields=["state", "received_at"], name="fieldforms_queue_idx")]

    def __str__(self) -> str:
        return f"{self.form_id or '?'} {self.instance_id}"

    @property
    def instance_xml(self) -> str:
        """The instance as it stands: a reviewer's correction, or else as received."""
        return self.xml or self.received_xml

    @property
    def record_url(self) -> str:
        from django.urls import NoReverseMatch, reverse

        names = {"ceasefire.Incident": "ceasefire:incident_detail", "returns.Household": "returns:household_detail"}
        if not self.record_id or self.record_model not in names:
            return ""
        try:
            return reverse(names[self.record_model], args=[self.record_id])
        except NoReverseMatch:
            return ""


class Delivery(models.Model):
    """Each time a channel delivered an instance: Collect retries, Kobo re-exports; counted, never doubled."""

    submission = models.ForeignKey(FieldSubmission, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("delivery")
