"""Translated run notes without requiring Django: the engine also runs from plain scripts and benchmarks."""

from __future__ import annotations


def gettext(message: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext as django_gettext

            return django_gettext(message)
    except ImportError:  # pragma: no cover - Django is a dependency; this keeps the engine importable without it
        pass
    return message
