"""Collects what each PeaceOps app contributes by convention (capabilities, navigation, map layers, ...)."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps


@cache
def collect(module_name: str, attribute: str) -> tuple:
    """Concatenate `<app>.<module_name>.<attribute>` over the installed PeaceOps apps, in app order.

    A module that lacks the attribute contributes nothing (optional hooks such as `sitrep.LATEST_DAY`)."""
    items: list = []
    for config in apps.get_app_configs():
        if not config.name.startswith("peaceops."):
            continue
        try:
            module = import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module_name}":
                raise
            continue
        value = getattr(module, attribute, ())
        items.extend(value.items() if isinstance(value, dict) else value)
    return tuple(items)
