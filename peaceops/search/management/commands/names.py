"""`peaceops names reindex [--scope person|list_entry|tracing]`: rebuild the name search keys from the names."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from peaceops.search import services


class Command(BaseCommand):
    help = "Name search: rebuild the keys that let a name be found in any script."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        reindex = verbs.add_parser("reindex", help="rebuild the keys from the names as stored (after a bulk load "
                                   "that bypassed the application, or a change of normalisation)")
        reindex.add_argument("--scope", choices=[services.PERSON, services.LIST_ENTRY, services.TRACING],
                             default=None, help="one kind of record only (default: all)")

    def handle(self, *args, verb: str, scope: str | None = None, **options):
        with transaction.atomic():
            written = services.rebuild(scope)
        return ", ".join(f"{name}: {count} keys" for name, count in written.items())
