"""Shared pieces of the exchanges models: the access rule for case files."""

from __future__ import annotations

from peaceops.core.models.base import VisibleQuerySet


class CaseQuerySet(VisibleQuerySet):
    """Case files, lists and everything derived from them: exchange officers and coordinators only."""

    view_capability = "exchanges.view_cases"
