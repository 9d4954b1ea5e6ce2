"""`peaceops ceasefire export|import|counts`: the same services as the web UI and the API."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from peaceops.ceasefire import counts, formats, imports
from peaceops.ceasefire.models import Incident
from peaceops.ceasefire.services import exports
from peaceops.core.params import command_span, date_argument
from peaceops.intake import cli


class Command(BaseCommand):
    help = "Ceasefire incidents: export (ACLED/HXL CSV on stdout), import, counts per reporting day."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        export = sub.add_parser("export", help="Write incidents as CSV to stdout.")
        export.add_argument("--format", choices=sorted(formats.EXPORTERS), default="acled")
        export.add_argument("--from", dest="first", type=date_argument)
        export.add_argument("--to", dest="last", type=date_argument)
        imp = sub.add_parser("import", help="Import an ACLED or HXL CSV file: good rows are kept, rows already known "
                             "skipped, bad rows reported as FILE:LINE: reason and quarantined (exit status 3) "
                             "to be fixed at /intake/.")
        imp.add_argument("--format", choices=sorted(formats.EXPORTERS), required=True)
        imp.add_argument("--user", default="analyst", help="Account the incidents are filed under.")
        imp.add_argument("file")
        reopen = sub.add_parser("reopen", help="Reopen a verified or refuted incident on new evidence (the earlier "
                                "decision stays in its history).")
        reopen.add_argument("incident", type=int)
        reopen.add_argument("--reason", required=True)
        reopen.add_argument("--source", required=True, help="Name of the source of the new evidence.")
        reopen.add_argument("--summary", required=True, help="What the source now reports.")
        reopen.add_argument("--user", default="analyst", help="Account the reopening is recorded under.")
        cnt = sub.add_parser("counts", help="Violations per reporting day (lower bounds).")
        cnt.add_argument("--from", dest="first", type=date_argument, required=True)
        cnt.add_argument("--to", dest="last", type=date_argument, required=True)

    def handle(self, *args, verb, **options):
        return getattr(self, f"do_{verb}")(**options)

    def do_export(self, format, first, last, **options):
        qs = exports.in_window(Incident.objects.filter(merged_into__isnull=True), first, last)
        n = exports.export_incidents(qs, format, self.stdout, actor="system:cli", via="CLI")
        self.stderr.write(f"{n} incidents exported.")

    def do_import(self, format, file, user, **options):
        cli.run_file(self, imports.SPECS[format], file, cli.account(user))

    def do_reopen(self, incident, reason, source, summary, user, **options):
        from django.core.exceptions import ValidationError

        from peaceops.ceasefire import services
        from peaceops.core.models import Source
        from peaceops.core.roles import can

        account = cli.account(user)
        if not can(account, "ceasefire.review"):
            raise CommandError(f"{user} may not review ceasefire incidents.")
        found = Incident.objects.filter(pk=incident).first()
        origin = Source.objects.filter(name=source).first()
        if found is None or origin is None:
            raise CommandError("No such incident." if found is None else f"No source is called {source!r}.")
        try:
            services.reopen(found, account, reason, [(origin, summary)])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stderr.write(f"Incident {incident} reopened for review.")

    def do_counts(self, first, last, **options):
        command_span(first, last)
        totals = counts.daily_totals(first, last)
        self.stdout.write("day,violations_at_least,change,running_total")
        previous = counts.daily_totals(first - dt.timedelta(days=1), first - dt.timedelta(days=1))
        before = next(iter(previous.values()))
        running = counts.running_total(first - dt.timedelta(days=1))
        for day, n in sorted(totals.items()):
            running += n
            self.stdout.write(f"{day.isoformat()},{n},{n - before:+d},{running}")
            before = n
