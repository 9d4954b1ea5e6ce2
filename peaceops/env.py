"""Typed readers for settings that come from the environment; a bad value fails loudly at start-up."""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    pass


def envstr(name: str, default: str) -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = envstr(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of yes/no/true/false/1/0, not {value!r}")


def envint(name: str, default: str) -> int:
    value = envstr(name, default)
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def envdate(name: str, default: str) -> str:
    """An ISO date (YYYY-MM-DD), kept as text so settings stay plain strings."""
    import datetime as dt

    value = envstr(name, default).strip()
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]
