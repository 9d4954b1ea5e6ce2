"""`peaceops returns count --as-of D | plan | import | export-hxl | rebuild`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peaceops.core.context import acting_as
from peaceops.core.operation import operation_day
from peaceops.core.params import command_span, date_argument


class Command(BaseCommand):
    help = "Return of displaced people: counts, convoy planning, imports and HXL export."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        count = verbs.add_parser("count", help="people returned as of a day: total, then one line per settlement")
        count.add_argument("--as-of", type=date_argument, default=None, help="reporting day (default: today)")
        plan = verbs.add_parser("plan", help="plan a convoy from the waiting list")
        plan.add_argument("--date", type=date_argument, required=True)
        plan.add_argument("--buses", required=True, help="seats per bus, e.g. 40,40,3x45")
        plan.add_argument("--corridor", default=None, help="corridor name or id (default: the only one)")
        plan.add_argument("--escort", default="")
        imp = verbs.add_parser("import", help="import registrations or manifests (CSV, XLSX or HXL): good rows are "
                               "kept, bad rows reported as FILE:LINE: reason and quarantined (exit status 3) to be "
                               "fixed at /intake/")
        imp.add_argument("kind", choices=["registrations", "manifest"])
        imp.add_argument("path", type=Path)
        imp.add_argument("--convoy", type=int, help="manifest: the planned convoy to fill")
        imp.add_argument("--user", default=None, help="account the import is recorded under (default: the system)")
        exp = verbs.add_parser("export-hxl", help="counts per day and settlement as HXL CSV")
        exp.add_argument("--from", dest="first", type=date_argument, default=dt.date(2020, 11, 14))
        exp.add_argument("--to", dest="last", type=date_argument, default=None)
        exp.add_argument("--output", "-o", type=Path, default=None)
        verbs.add_parser("rebuild", help="recompute the returnee registry and tallies from the movements")
        dup = verbs.add_parser("duplicates", help="search the household registry for duplicate registrations")
        dup.add_argument("--threshold", type=float, default=None, help="lowest probability proposed (default 0.9)")

    def handle(self, *args, verb: str, **options):
        with acting_as("system:cli"):
            getattr(self, "_" + verb.replace("-", "_"))(**options)

    def _count(self, as_of, **_options):
        from peaceops.returns.services import returned_as_of

        count = returned_as_of(as_of or operation_day())
        self.stdout.write(f"total: {count.total}")
        for place, n in count.by_destination:
            self.stdout.write(f"{place.name}: {n}")
        self.stdout.write(f"last 24 hours: {count.last_24h}")

    def _plan(self, date, buses, corridor, escort, **_options):
        from peaceops.returns.forms import parse_buses
        from peaceops.returns.models import Corridor
        from peaceops.returns.services import plan_convoy
        from peaceops.returns.services.planning import reason_text

        corridors = Corridor.objects.all()
        if corridor:
            corridors = corridors.filter(pk=int(corridor)) if corridor.isdigit() else corridors.filter(name=corridor)
        if corridors.count() != 1:
            raise CommandError("name exactly one corridor with --corridor")
        try:
            result = plan_convoy(corridors.get(), date, parse_buses(buses), escort=escort)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"convoy {result.convoy.pk}: {result.people} people in {len(result.placed)} households, "
                          f"{result.seats} seats")
        for pk, code in result.unplaceable[:50]:
            self.stdout.write(f"not placed: household {pk}: {reason_text(code)}")
        if len(result.unplaceable) > 50:
            self.stdout.write(f"… and {len(result.unplaceable) - 50} more households not placed")

    def _import(self, kind, path, convoy, user, **_options):
        from peaceops.intake import cli
        from peaceops.returns.imports import SPECS

        extra = {"convoy": convoy} if convoy is not None else {}
        cli.run_file(self, SPECS[kind], path, cli.account(user), extra)

    def _export_hxl(self, first, last, output, **_options):
        from peaceops.returns.services.exporting import export_hxl

        last = last or operation_day()
        command_span(first, last)
        text = export_hxl(first, last)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"written to {output}")
        else:
            self.stdout.write(text, ending="")

    def _rebuild(self, **_options):
        from peaceops.returns.services import rebuild_tallies

        self.stdout.write(f"returnees: {rebuild_tallies()}")

    def _duplicates(self, threshold, **_options):
        from peaceops.returns.services.duplicates import find_duplicates

        try:
            result = find_duplicates(None, threshold, progress=lambda message: self.stderr.write(message))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(result.summary())
