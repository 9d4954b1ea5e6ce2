"""`peaceops tasks list [--user U] [--state S] [--format json]`."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peaceops.core.context import acting_as


class Command(BaseCommand):
    help = "Tasks and referrals opened from incidents, tracing requests, facilities and alerts."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="tasks by due time")
        listing.add_argument("--user", default=None, help="only tasks this account owns")
        listing.add_argument("--state", default=None, help="open, accepted, done, declined, or live (open or "
                                                            "accepted)")
        listing.add_argument("--limit", type=int, default=500)
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, verb: str, **options):
        with acting_as("system:cli"):
            getattr(self, "_" + verb)(**options)

    def _list(self, user, state, limit, format, **_options):
        from peaceops.alerts.api import filter_tasks
        from peaceops.alerts.models import Task
        from peaceops.alerts.serializers import TaskSerializer

        try:
            tasks = filter_tasks(Task.objects.select_related("owner", "created_by"), user, state)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        rows = TaskSerializer(tasks[:limit], many=True).data
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
            return
        for row in rows:
            self.stdout.write(f"{row['id']}\t{row['due_at']}\t{row['state']}\t{row['kind']}\t{row['owner']}\t"
                              f"{row['title']}")
