"""What the returns pages, API and command line read from a person's typing: places named in any script
(through the gazetteer) and vehicle lists ("40, 2x45, 4+2s"). One parser for all three (issue 18)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peaceops.core import gazetteer
from peaceops.returns.services.planning import Bus


def resolve_place(text: str, kinds: tuple[str, ...]):
    try:
        return gazetteer.resolve(text, kinds=kinds).place
    except (gazetteer.PlaceNotFound, gazetteer.PlaceAmbiguous) as exc:
        raise ValidationError(str(exc)) from None


def parse_bus(part: str) -> Bus:
    """"45" → a plain bus; "4+2s" → 4 seats and 2 stretcher places; "30+2w+e" → 30 seats, 2 wheelchair spaces
    and an escort for unaccompanied children."""
    seats, *extras = [p.strip() for p in str(part).lower().split("+")]
    stretchers = spaces = 0
    escort = False
    for extra in extras:
        if extra in {"e", "escort"}:
            escort = True
        elif extra[-1:] in {"s", "w"} and (extra[:-1] or "1").isdigit():
            if extra[-1] == "s":
                stretchers += int(extra[:-1] or 1)
            else:
                spaces += int(extra[:-1] or 1)
        else:
            raise ValueError(extra)
    return Bus(int(seats), stretchers, spaces, escort)


def parse_buses(text: str) -> list[Bus]:
    """"40, 40, 2x45, 4+2s" → [40, 40, 45, 45, an ambulance of 4 seats and 2 stretcher places]."""
    buses: list[Bus] = []
    for part in text.replace(";", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        count, _sep, spec = part.rpartition("x")
        try:
            buses.extend([parse_bus(spec)] * (int(count) if count else 1))
        except ValueError:
            raise ValidationError(_("Write the vehicles as seat counts, e.g. “40, 40, 3x45, 4+2s, 30+2w+e”.")) from None
    if not buses or any(b.seats <= 0 for b in buses):
        raise ValidationError(_("Give at least one bus, each with a positive number of seats."))
    return buses
