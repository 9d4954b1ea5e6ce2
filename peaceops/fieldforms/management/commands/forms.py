"""`peaceops forms export --out DIR` and `peaceops forms submissions`: the field forms and what they brought."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import priority
from peaceops.core.params import date_argument
from peaceops.fieldforms import services
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.xlsform import to_xform


class Command(BaseCommand):
    help = ("Field forms for ODK Collect / KoboToolbox: export the XLSForms PeaceOps ships, or list the submissions "
            "received (one entry per instance id).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        export = sub.add_parser("export", help="Write every form as FORM_ID.xlsx (and its XForm, FORM_ID.xml).")
        export.add_argument("--out", required=True, help="The directory to write to (made if missing).")
        export.add_argument("--form", action="append", help="Only this form id; repeatable.")
        imports = sub.add_parser("import", help="Import a KoboToolbox (CSV/XLSX) or ODK Central (CSV, .csv.zip) export of a "
                                                "shipped form; each row once, whichever channel brought it first.")
        imports.add_argument("file")
        imports.add_argument("--form", required=True, help="The form id the export was collected with.")
        imports.add_argument("--user", required=True, help="The account the records are filed under.")
        imports.add_argument("--from", dest="channel", default="kobo", choices=["kobo", "odk-central"])
        imports.add_argument("--dry-run", action="store_true", help="Check every row; write nothing.")
        priority.add_nice_argument(imports)
        pull = sub.add_parser("pull", help="Import a form's submissions straight from an ODK Central server (pyodk); "
                                           "the account from PEACEOPS_CENTRAL_URL/_USER/_PASSWORD.")
        pull.add_argument("--form", required=True, help="The PeaceOps form id the data was collected with.")
        pull.add_argument("--project", required=True, type=int, help="The Central project's number.")
        pull.add_argument("--central-form", default="", help="The form's id on Central, when not the same.")
        pull.add_argument("--since", type=date_argument, help="Only submissions received since this day "
                                                                   "(YYYY-MM-DD); pulling everything again is "
                                                                   "harmless, only slower.")
        pull.add_argument("--user", required=True, help="The account the records are filed under.")
        pull.add_argument("--dry-run", action="store_true", help="Check every row; write nothing.")
        priority.add_nice_argument(pull)
        listing = sub.add_parser("submissions", help="What arrived, one entry per instance id.")
        listing.add_argument("--form", default="", help="Only this form id.")
        listing.add_argument("--state", default="", choices=["", "accepted", "review", "in_review", "in review",
                                                              "conflict", "rejected"])
        listing.add_argument("--format", default="text", choices=["text", "json"])

    def handle(self, *args, verb, **options):
        if verb == "export":
            return self.export(Path(options["out"]), options.get("form"))
        if verb in ("import", "pull"):
            priority.lower_to(options["nice"])
            return self.import_file(options) if verb == "import" else self.pull(options)
        rows = services.summaries(form_id=options["form"], state=options["state"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            channels = ", ".join(f"{name}×{n}" for name, n in sorted(row["channels"].items()))
            line = f"{row['instance_id']}\t{row['form_id'] or '?'}\t{row['received']}\t{row['state']}\t{channels}"
            line += f"\t{row['record']}" if row["record"] else ""
            line += f"\t{row['reason']}" if row["reason"] else ""
            self.stdout.write(line)
        self.stderr.write(f"{len(rows)} instance ids.")

    def export(self, out: Path, only: list[str] | None) -> None:
        catalogue = forms()
        unknown = sorted(set(only or ()) - set(catalogue))
        if unknown:
            raise CommandError(f"No form {', '.join(unknown)}. Known: {', '.join(sorted(catalogue))}.")
        out.mkdir(parents=True, exist_ok=True)
        for form_id, form in catalogue.items():
            if only and form_id not in only:
                continue
            built = form.built()
            data = built.xlsx_bytes()
            (out / f"{form_id}.xlsx").write_bytes(data)
            (out / f"{form_id}.xml").write_text(to_xform(data), encoding="utf-8")
            self.stdout.write(f"{out / (form_id + '.xlsx')}\tversion {built.version}")

    def _form(self, form_id: str):
        form = forms().get(form_id)
        if form is None:
            raise CommandError(f"No form {form_id}. Known: {', '.join(sorted(forms()))}.")
        return form

    def import_file(self, options) -> None:
        form = self._form(options["form"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        self._import(form, path.read_bytes(), path.name, options["channel"], options)

    def pull(self, options) -> None:
        from django.conf import settings

        from peaceops.fieldforms.central import CentralError, download
        from peaceops.intake.cli import account

        form = self._form(options["form"])
        account(options["user"])  # an unknown account is said before Central is asked
        central_form = options["central_form"] or form.form_id
        try:
            data = download(settings.PEACEOPS_CENTRAL_URL, settings.PEACEOPS_CENTRAL_USER,
                            settings.PEACEOPS_CENTRAL_PASSWORD, options["project"], central_form, options["since"])
        except CentralError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"{len(data)} bytes from Central (project {options['project']}, form {central_form}).")
        self._import(form, data, f"{central_form}.csv.zip", "odk-central", options)

    def _import(self, form, data: bytes, name: str, channel: str, options) -> None:
        from peaceops.core.context import acting_as
        from peaceops.fieldforms.exports import ExportError, import_export
        from peaceops.intake.cli import account

        user = account(options["user"])
        with acting_as(user.get_username()):
            try:
                report = import_export(form, data, name, user, channel=channel, dry_run=options["dry_run"],
                                       progress=lambda n: n % 1000 or self.stderr.write(f"{n} rows read"))
            except ExportError as exc:
                raise CommandError(f"{name}: {exc}") from None
        for line, problem in report.problems:
            self.stderr.write(f"{name}:{line}: {problem}")
        counts = ", ".join(f"{n} {state}" for state, n in sorted(report.outcomes.items()))
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report.read} rows read: {counts or 'nothing to import'}.")
