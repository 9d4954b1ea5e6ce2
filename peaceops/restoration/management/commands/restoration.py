"""`peaceops restoration status --as-of D`, `peaceops restoration export-hxl works|status`, `peaceops restoration
import FILE`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand

from peaceops.core.operation import operation_day
from peaceops.core.params import date_argument
from peaceops.intake import cli
from peaceops.restoration import imports
from peaceops.restoration.models import Sector
from peaceops.restoration.services import hxl, status


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

    def handle(self, *args, verb, **options):
        if verb == "status":
            self._status(options.get("as_of") or operation_day())
        elif verb == "export-hxl":
            day = options.get("as_of") or operation_day()
            rows = hxl.works_rows() if options["what"] == "works" else hxl.status_rows(day)
            text = hxl.to_csv(rows)
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"{len(rows) - 2} rows written to {options['output']}")
            else:
                self.stdout.write(text, ending="")
        else:
            cli.run_file(self, imports.WORKS_SPEC, options["path"], cli.account(options.get("user")))

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
