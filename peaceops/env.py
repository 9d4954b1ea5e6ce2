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


def envint(name: str, default: str, minimum: int | None = None, maximum: int | None = None) -> int:
    value = envstr(name, default)
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = (f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more") \
            if minimum is not None else f"{maximum} or less"
        raise ConfigError(f"{name} must be {bounds}, not {value!r}")
    return number


def envfloat(name: str, default: str, minimum: float | None = None) -> float:
    value = envstr(name, default).strip()
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number such as 6 or 2.5, not {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")) or (minimum is not None and number < minimum):
        raise ConfigError(f"{name} must be a number of {minimum} or more, not {value!r}")
    return number


def envbounds(name: str, default: str) -> str:
    """south,west,north,east in degrees (a box with its south below its north and its west left of its east)."""
    value = envstr(name, default).strip()
    try:
        south, west, north, east = (float(part) for part in value.split(","))
    except ValueError:
        raise ConfigError(f"{name} must be south,west,north,east in degrees (such as 39.55,46.40,40.30,47.25), "
                          f"not {value!r}") from None
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise ConfigError(f"{name} must be south,west,north,east with south < north (-90 to 90) and west < east "
                          f"(-180 to 180), not {value!r}")
    return value


def envtime(name: str, default: str) -> str:
    """A local time of day as HH:MM, 00:00 to 24:00 (the end of the day), kept as text."""
    value = envstr(name, default).strip()
    hours, sep, minutes = value.partition(":")
    if not (sep and hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit() and len(minutes) == 2):
        raise ConfigError(f"{name} must be a time of day as HH:MM (such as 19:30 or 24:00), not {value!r}")
    if not (0 <= int(hours) <= 24 and 0 <= int(minutes) < 60) or (int(hours) == 24 and int(minutes)):
        raise ConfigError(f"{name} must be a time from 00:00 to 24:00, not {value!r}")
    return value


def envzone(name: str, default: str) -> str:
    """An IANA time zone name (Asia/Baku, Etc/GMT-4), checked against the zone database."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = envstr(name, default).strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} must be a time zone name such as Asia/Yerevan or Etc/GMT-4, not {value!r}") \
            from None
    return value


def envsize(name: str, default: str) -> str:
    """A memory size for DuckDB or Spark, such as 4GB, 512MB or 2g."""
    import re

    value = envstr(name, default).strip()
    if value and not re.fullmatch(r"\d+(\.\d+)?\s*([kKmMgGtT][iI]?[bB]?|[bB])", value):
        raise ConfigError(f"{name} must be a size such as 4GB or 512MB, not {value!r}")
    return value


def envdate(name: str, default: str) -> str:
    """An ISO date (YYYY-MM-DD), kept as text so settings stay plain strings."""
    import datetime as dt

    value = envstr(name, default).strip()
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
    return value


def envurl(name: str, default: str) -> str:
    """An absolute http(s) address with no query or fragment, kept without its trailing slash
    ("https://peaceops.example.org" or "https://example.org/peaceops")."""
    from urllib.parse import urlsplit

    value = envstr(name, default).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or parts.username or parts.password:
        raise ConfigError(f"{name} must be an absolute http:// or https:// address with no query, fragment or "
                          f"credentials (such as https://peaceops.example.org), not {value!r}")
    return value.rstrip("/")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]
