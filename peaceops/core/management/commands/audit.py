"""`peaceops audit verify`: recompute the audit hash chain and name the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import audit


class Command(BaseCommand):
    help = "Audit chain tools."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="Check that no audit event was altered, removed or reordered.")

    def handle(self, *args, verb, **options):
        report = audit.verify()
        if not report.intact:
            raise CommandError(str(report), returncode=2)
        self.stdout.write(str(report))
