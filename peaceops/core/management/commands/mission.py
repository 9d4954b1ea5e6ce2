"""`peaceops mission show|list|set|new|activate`: the mission's dates, area and reporting rules
(peaceops.core.mission), for an administrator at the console."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peaceops.core import mission
from peaceops.core.context import acting_as
from peaceops.core.models import Mission, Party
from peaceops.core.params import date_option


def _values(options) -> dict:
    values = {}
    for name in mission.FIELDS:
        value = options.get(name)
        if value is not None:
            values[name] = value
    if options.get("bounds"):
        try:
            south, west, north, east = (part.strip() for part in options["bounds"].split(","))
        except ValueError:
            raise CommandError("--bounds takes south,west,north,east") from None
        values.update(south=south, west=west, north=north, east=east)
    return values


def _describe(record) -> dict:
    return {"id": record.pk, "name": record.name, "active": record.active,
            "ceasefire_start": record.ceasefire_start.isoformat(),
            "first_return_day": record.first_return_day.isoformat() if record.first_return_day else None,
            "bounds": [float(record.south), float(record.west), float(record.north), float(record.east)],
            "day_cutoff": record.day_cutoff or None, "small_cell": record.small_cell,
            "time_zone": record.time_zone or None,
            "parties": sorted(record.parties.values_list("code", flat=True)) if record.pk else []}


class Command(BaseCommand):
    help = "The mission this installation serves: dates, area of operations, reporting rules."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("show", help="the active mission as JSON (with the settings' values where it has none)")
        sub.add_parser("list", help="every mission on this installation")
        for verb, text in (("set", "change a mission (default: the active one)"), ("new", "describe a mission")):
            p = sub.add_parser(verb, help=text)
            if verb == "set":
                p.add_argument("--id", type=int, help="the mission to change")
            p.add_argument("--name")
            p.add_argument("--ceasefire-start", dest="ceasefire_start", type=date_option)
            p.add_argument("--first-return-day", dest="first_return_day", type=date_option)
            p.add_argument("--bounds", help="south,west,north,east in degrees")
            p.add_argument("--day-cutoff", dest="day_cutoff", help="HH:MM local time")
            p.add_argument("--small-cell", dest="small_cell", type=int)
            p.add_argument("--time-zone", dest="time_zone")
            p.add_argument("--parties", help="party codes, comma-separated")
        act = sub.add_parser("activate", help="make a mission the one every page uses")
        act.add_argument("id", type=int)

    def handle(self, *args, verb, **options):
        with acting_as("system:cli"):
            return getattr(self, f"_{verb}")(**options)

    def _show(self, **_options):
        current = mission.current()
        data = _describe(current)
        data.update(first_return_day=mission.first_return_day().isoformat(), day_cutoff=mission.day_cutoff(),
                    small_cell=mission.small_cell(), time_zone=mission.time_zone_name(),
                    configured=current.pk is not None)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _list(self, **_options):
        for record in Mission.objects.all():
            mark = "*" if record.active else " "
            self.stdout.write(f"{mark} {record.pk:>3}  {record.ceasefire_start}  {record.name}")

    def _parties(self, codes: str | None):
        if codes is None:
            return None
        wanted = [code.strip() for code in codes.split(",") if code.strip()]
        found = list(Party.objects.filter(code__in=wanted))
        missing = sorted(set(wanted) - {p.code for p in found})
        if missing:
            raise CommandError(f"unknown party code(s): {', '.join(missing)}")
        return found

    def _write(self, record, options) -> None:
        try:
            mission.save(record, _values(options), parties=self._parties(options.get("parties")))
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(f"nothing changed — {problems}") from None
        self.stdout.write(f"mission {record.pk} saved: {record.name}")

    def _set(self, id=None, **options):
        record = Mission.objects.filter(pk=id).first() if id else Mission.objects.filter(active=True).first()
        if record is None:
            raise CommandError("no such mission" if id else "no active mission: describe one with `mission new`")
        self._write(record, options)

    def _new(self, **options):
        self._write(Mission(), options)

    def _activate(self, id, **_options):
        record = Mission.objects.filter(pk=id).first()
        if record is None:
            raise CommandError(f"no mission {id}")
        mission.activate(record)
        self.stdout.write(f"mission {record.pk} is active: {record.name}")
