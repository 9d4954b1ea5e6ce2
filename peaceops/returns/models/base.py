"""The returns app's visibility rule: returns officers and coordinators see records, everyone else nothing."""

from __future__ import annotations

from peaceops.core.models.base import VisibleQuerySet


class ReturnsQuerySet(VisibleQuerySet):
    view_capability = "returns.view"
