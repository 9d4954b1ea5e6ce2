"""Shared model machinery: UUIDs for records that travel, and the visible_to(user) pattern."""

from __future__ import annotations

import uuid

from django.db import models


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

    class Meta:
        abstract = True
