"""`peaceops intake list` and `peaceops intake run KIND FILE`: imports from the command line."""

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import priority
from peaceops.intake import cli
from peaceops.intake.models import ImportBatch
from peaceops.intake.registry import importers


class Command(BaseCommand):
    help = ("Import CSV, XLSX or HXL files through the importers the modules declare. Good rows are kept; each bad "
            "row is reported as FILE:LINE: reason and quarantined (exit status 3) to be fixed at /intake/.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("list", help="List the importers.")
        run = sub.add_parser("run", help="Import FILE with importer KIND.")
        run.add_argument("kind")
        run.add_argument("file")
        run.add_argument("--user", required=True, help="The account the import is recorded under.")
        run.add_argument("--param", action="append", metavar="NAME=VALUE",
                         help="A value the importer needs besides the file (e.g. convoy=12); repeatable.")
        resume = sub.add_parser("resume", help="Go on with an interrupted import from its last committed row.")
        resume.add_argument("batch", type=int)
        for importing in (run, resume):
            priority.add_nice_argument(importing)
        show = sub.add_parser("show", help="An import's progress, warnings and quarantined rows.")
        show.add_argument("batch", type=int)

    def handle(self, *args, verb, **options):
        specs = importers()
        if verb == "list":
            for key, spec in sorted(specs.items()):
                params = "".join(f" [--param {name}=…]" for name, _label in spec.parameters)
                self.stdout.write(f"{key}\t{spec.label}\t" + ", ".join(
                    c.name + ("*" if c.required else "") for c in spec.columns) + params)
            return
        if verb in ("run", "resume"):
            priority.lower_to(options["nice"])
        if verb in ("resume", "show"):
            batch = ImportBatch.objects.filter(pk=options["batch"]).first()
            if batch is None:
                raise CommandError(f"No import {options['batch']}.")
            if verb == "show":
                self.stdout.write(f"import {batch.pk}: {batch.kind} {batch.filename}, {batch.get_status_display()}, "
                                  f"{batch.rows_read} of {batch.rows_total or '?'} rows read")
                cli.report(self, batch, exit_on_quarantine=False)
                return
            cli.resume_batch(self, batch)
            return
        spec = specs.get(options["kind"])
        if spec is None:
            raise CommandError(f"No importer “{options['kind']}”. Known: {', '.join(sorted(specs)) or 'none'}.")
        user = cli.account(options["user"])
        cli.run_file(self, spec, options["file"], user, cli.parse_params(options.get("param")))
