"""`peaceops restoration status --as-of D`, `peaceops restoration export-hxl works|status`, `peaceops restoration
import FILE`, `peaceops restoration land-release [--first D] [--last D]` (figures and every area's balance),
`peaceops restoration release AREA_CODE --date D --method M --m2 N --team T`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peaceops.core import hxl as core_hxl
from peaceops.core.operation import operation_day
from peaceops.core.params import date_argument
from peaceops.intake import cli
from peaceops.restoration import imports
from peaceops.restoration.models import HazardousArea, ReleaseMethod, Sector
from peaceops.restoration.services import hxl, land_release, status


class Command(BaseCommand):
    help = "Life-support services per settlement, 3W works in HXL, work imports."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        st = sub.add_parser("status", help="Which services function per settlement, and region totals.")
        st.add_argument("--as-of", dest="as_of", type=date_argument, help="YYYY-MM-DD (default: today, local time)")
        ex = sub.add_parser("export-hxl", help="Write the 3W works or the service status as HXL CSV.")
        ex.add_argument("what", choices=["works", "status"])
        ex.add_argument("--as-of", dest="as_of", type=date_argument, help="for status: YYYY-MM-DD (default: today)")
        ex.add_argument("--output", "-o", help="file to write (default: standard output)")
        im = sub.add_parser("import", help="Import works from a CSV, XLSX or HXL file: good rows are kept, bad rows "
                            "reported as FILE:LINE: reason and quarantined (exit status 3) to be fixed at /intake/.")
        im.add_argument("path")
        im.add_argument("--user", default=None, help="Account the import is recorded under (default: the system).")
        lr = sub.add_parser("land-release", help="Land released by method, handed over, accidents, victims and "
                            "risk-education reach over a span (default: the week to today), and each area's balance.")
        lr.add_argument("--first", type=date_argument, help="YYYY-MM-DD (default: six days before --last)")
        lr.add_argument("--last", type=date_argument, help="YYYY-MM-DD (default: today, local time)")
        rl = sub.add_parser("release", help="Record land released from a hazardous area (refused beyond what "
                            "remains).")
        rl.add_argument("area", help="the area's code, e.g. HA-001")
        rl.add_argument("--date", type=date_argument, required=True)
        rl.add_argument("--method", choices=ReleaseMethod.values, required=True)
        rl.add_argument("--m2", required=True, help="area released in m²")
        rl.add_argument("--team", required=True)

    def handle(self, *args, verb, **options):
        if verb == "status":
            self._status(options.get("as_of") or operation_day())
        elif verb == "export-hxl":
            day = options.get("as_of") or operation_day()
            rows = hxl.works_rows() if options["what"] == "works" else hxl.status_rows(day)
            columns = hxl.WORKS_COLUMNS if options["what"] == "works" else hxl.STATUS_COLUMNS
            text = core_hxl.hxl_text(columns, rows)
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"{len(rows)} rows written to {options['output']}")
            else:
                self.stdout.write(text, ending="")
        elif verb == "land-release":
            last = options.get("last") or operation_day()
            self._land_release(options.get("first") or last - dt.timedelta(days=6), last)
        elif verb == "release":
            self._release(options)
        else:
            cli.run_file(self, imports.WORKS_SPEC, options["path"], cli.account(options.get("user")))

    def _land_release(self, first: dt.date, last: dt.date) -> None:
        f = land_release.figures(first, last)
        self.stdout.write(f"Land release {first.isoformat()} to {last.isoformat()}")
        for method in ReleaseMethod.values:
            self.stdout.write(f"{method}_m2\t{f.by_method[method]}")
        self.stdout.write(f"released_m2\t{f.released_m2}\nhanded_over_m2\t{f.handed_over_m2}")
        self.stdout.write(f"accidents\t{f.accidents}\nkilled\t{f.killed}\ninjured\t{f.injured}")
        self.stdout.write(f"risk_education_sessions\t{f.sessions}\nreached\t{f.reached}\t"
                          + " ".join(f"{g}={n}" for g, n in f.reach.items()))
        self.stdout.write("")
        self.stdout.write("area\tstatus\tsize_m2\treleased_m2\tremaining_m2\thanded_over_m2")
        areas = list(HazardousArea.objects.order_by("code"))
        balances = land_release.balances(areas)
        for area in areas:
            b = balances[area.pk]
            size = "-" if b.estimated_m2 is None else b.estimated_m2
            remaining = "-" if b.remaining_m2 is None else b.remaining_m2
            self.stdout.write(f"{area.code}\t{area.status}\t{size}\t{b.released_m2}\t{remaining}\t"
                              f"{b.handed_over_m2}")

    def _release(self, options) -> None:
        area = HazardousArea.objects.filter(code=options["area"]).first()
        if area is None:
            raise CommandError(f"No hazardous area with the code {options['area']}.")
        try:
            release = land_release.record_release(area, options["date"], options["method"], options["m2"],
                                                  options["team"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        area.refresh_from_db()
        remaining = land_release.balance(area).remaining_m2
        self.stdout.write(f"{release}: {release.area_m2} m² released; {remaining} m² remain; status {area.status}")

    def _status(self, day: dt.date) -> None:
        today, yesterday = status.with_previous_day(day)
        sectors = [s for s in Sector.values if any(s in row.services for row in today.settlements)]
        marks = {status.FULL: "yes", status.PARTIAL: "partly", status.NONE: "no"}
        self.stdout.write(f"Life-support services as of {day.isoformat()} (change since {yesterday.as_of})")
        self.stdout.write("\t".join(["settlement", "population", *sectors]))
        for row in today.settlements:
            cells = [marks[row.services[s].level] if s in row.services else "-" for s in sectors]
            self.stdout.write("\t".join([row.place.name, str(row.population), *cells]))
        self.stdout.write("")
        self.stdout.write("region\tpeople with service\tof which partially\twithout\tchange since previous day")
        for sector, total in today.totals.items():
            change = total.served - yesterday.totals[sector].served
            self.stdout.write(f"{sector}\t{total.served}\t{total.partial}\t{total.none}\t{change:+d}")
