"""Shared model machinery: UUIDs for records that travel, and the visible_to(user) pattern."""

from __future__ import annotations

import uuid

from concurrency.fields import AutoIncVersionField
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisibleQuerySet(models.QuerySet):
    """Every view, endpoint, export and report narrows a queryset through visible_to(user).

    Subclasses override `visible_to`; the default lets through what the role map allows for the model's app.
    """

    view_capability: str = ""

    def visible_to(self, user):
        from peaceops.core.roles import can

        if self.view_capability and can(user, self.view_capability):
            return self
        return self.none()


class TravellingRecord(models.Model):
    """A record that moves between systems carries a UUID besides its database id."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (peaceops.core.versioning): each save bumps it, and a save from a copy read before
    # someone else's save fails instead of overwriting their change.
    revision = AutoIncVersionField(_("revision"), help_text=_("Bumped by every change; a stale write is refused."))

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from peaceops.core import versioning

        expected = versioning.expected_revision(self)
        if expected is not None:  # inside `expecting`: the write must apply to the revision the user saw
            self.revision = expected
        if kwargs.get("update_fields") is not None:  # a partial save still counts as a change
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)
        versioning.saved(self)


def in_active_language(text: str, russian: str) -> str:
    """A reference record's name as the reader reads: its Russian name on a Russian page when it has one.

    Parties, organisations and sources are named by the mission in its working languages (English and
    Russian); people and places are not (places have aliases per language, people their names as written)."""
    from django.utils.translation import get_language

    return russian if russian and (get_language() or "").startswith("ru") else text
