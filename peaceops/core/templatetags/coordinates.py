"""`{% coordinates lat lon %}`: a point as "39.520000, 47.058800" in every interface language.

Localised decimals would print "39,520000, 47,058800" on a Russian page, where the decimal commas cannot be told
from the comma between the two numbers; GPS devices, maps and the field forms all take decimal points, so the
point is written the way it is typed into them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def _degrees(value) -> str | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return f"{number:.6f}" if number.is_finite() else None


@register.simple_tag
def coordinates(latitude, longitude) -> str:
    lat, lon = _degrees(latitude), _degrees(longitude)
    if lat is None or lon is None:
        return ""
    return f"{lat}, {lon}"
