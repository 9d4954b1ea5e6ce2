"""`peaceops intake list` and `peaceops intake run KIND FILE`: imports from the command line."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from peaceops.core.context import acting_as
from peaceops.intake import tabular
from peaceops.intake.registry import importers


class Command(BaseCommand):
    help = "Import CSV, XLSX or HXL files through the importers the modules declare."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("list", help="List the importers.")
        run = sub.add_parser("run", help="Import FILE with importer KIND.")
        run.add_argument("kind")
        run.add_argument("file")
        run.add_argument("--user", required=True, help="The account the import is recorded under.")

    def handle(self, *args, verb, **options):
        specs = importers()
        if verb == "list":
            for key, spec in sorted(specs.items()):
                self.stdout.write(f"{key}\t{spec.label}\t" + ", ".join(
                    c.name + ("*" if c.required else "") for c in spec.columns))
            return
        spec = specs.get(options["kind"])
        if spec is None:
            raise CommandError(f"No importer “{options['kind']}”. Known: {', '.join(sorted(specs)) or 'none'}.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No account “{options['user']}”.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        with acting_as(user.username):
            batch = tabular.run_import(spec, path.read_bytes(), path.name, user)
        if batch.file_error:
            raise CommandError(batch.file_error)
        for row in batch.quarantined_rows.all():
            self.stderr.write(f"{path.name}:{row.line}: {'; '.join(row.errors)}")
        self.stdout.write(f"{batch.rows_saved} imported, {batch.rows_quarantined} quarantined of "
                          f"{batch.rows_read} rows (batch {batch.pk}).")
        if batch.rows_quarantined:
            raise CommandError("Some rows were quarantined; fix them in the web UI or the file.", returncode=3)
