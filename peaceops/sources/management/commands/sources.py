"""`peaceops sources read FILE… --format json`, `sources ingest FILE… --user U [--grade B2]`,
`sources check [--as-of D] --format json|text`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peaceops.core.context import acting_as
from peaceops.core.params import date_option
from peaceops.core.roles import can
from peaceops.intake.cli import account
from peaceops.sources.extraction import PlaceIndex
from peaceops.sources.models import Claim
from peaceops.sources.reading import UnreadableReport
from peaceops.sources.services import check, ingest, output, reading

FAILED_EXIT = 3


def _bytes(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise UnreadableReport(f"No file at {path}.")
    return file.read_bytes()


class Command(BaseCommand):
    help = "Open-source reports: read and extract claims, ingest them, cross-check them against the registry."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        rd = sub.add_parser("read", help="Read reports and print their claims; writes nothing.")
        rd.add_argument("files", nargs="+")
        rd.add_argument("--format", choices=["json"], default="json")
        rd.add_argument("--published", type=date_option, help="the reports' date, YYYY-MM-DD (for datelines without a year)")
        ing = sub.add_parser("ingest", help="Store reports and their claims (the same file twice is one document).")
        ing.add_argument("files", nargs="+")
        ing.add_argument("--user", required=True, help="the account the documents are recorded under")
        ing.add_argument("--grade", help="Admiralty grade of the documents, e.g. B2")
        ing.add_argument("--published", type=date_option, help="the reports' date, YYYY-MM-DD")
        ing.add_argument("--outlet", default="", help="who published them, when the files do not say")
        ck = sub.add_parser("check", help="Cross-check the claims against the registry and each other.")
        ck.add_argument("--as-of", dest="as_of", type=date_option, help="only the claims about this day (YYYY-MM-DD)")
        ck.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, verb, **options):
        getattr(self, f"_{verb}")(**options)

    def _read(self, files, published=None, **_options):
        places = PlaceIndex.from_gazetteer()
        period = reading.operation_period()
        results, failed = [], 0
        for path in files:
            try:
                result = reading.read(_bytes(path), Path(path).name, published=published, places=places,
                                      period=period).as_json()
                result["file"] = path
            except UnreadableReport as exc:
                failed += 1
                result = {"file": path, "title": None, "outlet": None, "published": None, "language": None,
                          "claims": [], "notes": [str(exc)], "error": str(exc)}
            results.append(result)
        self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        if failed and failed == len(files):
            raise CommandError(f"{failed} of {len(files)} files could not be read.", returncode=FAILED_EXIT)

    def _ingest(self, files, user, grade=None, published=None, outlet="", **_options):
        account_user = account(user)
        if not can(account_user, "sources.ingest"):
            raise CommandError(f"The account “{user}” may not ingest open-source reports.")
        places = PlaceIndex.from_gazetteer()
        failed = 0
        with acting_as(account_user.username):
            for path in files:
                try:
                    done = ingest.ingest(_bytes(path), Path(path).name, account_user, grade=grade,
                                         published=published, outlet=outlet, places=places)
                except (UnreadableReport, ValidationError) as exc:
                    failed += 1
                    message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                    self.stderr.write(f"{path}: {message}")
                    continue
                doc = done.document
                if done.created:
                    self.stdout.write(f"{path}: document {doc.pk}, {doc.claims.count()} claims "
                                      f"({doc.report.source.name}, {doc.report.grade}).")
                else:
                    self.stdout.write(f"{path}: already ingested as document {doc.pk}; nothing changed.")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not ingested.", returncode=FAILED_EXIT)

    def _check(self, as_of=None, format="text", **_options):
        day = as_of
        with acting_as("system:cli sources check"):
            check.run()
        claims = Claim.objects.standing().order_by("as_of", "document_id", "start", "id")
        if day:
            claims = claims.filter(as_of=day)
        rows = [output.checked_json(c) for c in output.checked_claims(claims)]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            claim = row["claim"]
            contra = (" Contradicts claim " + ", ".join(f"#{i}" for i in row["contradicts"]) + ".") \
                if row["contradicts"] else ""
            self.stdout.write(f"#{claim['id']} [{row['verdict']}] {row['reason']} "
                              f"({claim['attributed_to'] or claim['source']}, source {claim['source']} "
                              f"{claim['grade']}).{contra}")
        self.stdout.write(f"{len(rows)} claims checked.")
