"""Every importer declared by the installed apps (`<app>/imports.py: IMPORTERS`), by key."""

from __future__ import annotations

from peaceops.core.registry import collect


def importers() -> dict:
    return {spec.key: spec for spec in collect("imports", "IMPORTERS")}
