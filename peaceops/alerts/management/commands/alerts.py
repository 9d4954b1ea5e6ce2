"""`peaceops alerts list [--open] [--format json] | escalate | check | rules`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from peaceops.core.context import acting_as


def _account(name: str | None):
    from django.contrib.auth import get_user_model

    if not name:
        return None
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise CommandError(f"no such user: {name}")
    return user


class Command(BaseCommand):
    help = "Alerts: list them, escalate the unacknowledged and overdue (for a supervisor's cron), list rules."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="alerts, newest first")
        listing.add_argument("--open", action="store_true", help="only those nobody has acknowledged")
        listing.add_argument("--user", default=None, help="only those addressed to this account")
        listing.add_argument("--limit", type=int, default=200)
        listing.add_argument("--format", choices=["text", "json"], default="text")
        verbs.add_parser("escalate", help="run the periodic checks (overdue convoys, …), escalate unacknowledged "
                                          "alerts and overdue tasks; prints what it did")
        rules = verbs.add_parser("rules", help="the alert rules")
        rules.add_argument("--format", choices=["text", "json"], default="text")
        kinds = verbs.add_parser("kinds", help="every event kind a rule may name")
        kinds.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, verb: str, **options):
        with acting_as("system:cli"):
            getattr(self, "_" + verb)(**options)

    def _list(self, open, user, limit, format, **_options):
        from peaceops.alerts.models import Alert
        from peaceops.alerts.serializers import AlertSerializer

        alerts = Alert.objects.select_related("rule", "acknowledged_by")
        account = _account(user)
        if account is not None:
            alerts = alerts.visible_to(account)
        if open:
            alerts = alerts.open()
        rows = AlertSerializer(alerts[:limit], many=True).data
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
            return
        for row in rows:
            subject = row["subject"]["link"] if row["subject"] else ""
            self.stdout.write(f"{row['id']}\t{row['created']}\t{row['severity']}\t{row['kind']}\t"
                              f"{row['acknowledged_by'] or '-'}\t{subject}")

    def _escalate(self, **_options):
        from peaceops.alerts.tasks import run_checks

        outcome = run_checks()
        self.stdout.write(f"periodic checks raised: {outcome['checks']}; alerts escalated: {outcome['alerts']}; "
                          f"overdue tasks escalated: {outcome['tasks']}")

    def _rules(self, format, **_options):
        from peaceops.alerts.models import AlertRule
        from peaceops.alerts.serializers import RuleSerializer

        rows = RuleSerializer(AlertRule.objects.prefetch_related("users"), many=True).data
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
            return
        for row in rows:
            self.stdout.write(f"{row['id']}\t{row['kind']}\t{row['severity']}\t{row['name']}\t"
                              f"{','.join(row['roles'])}\t{json.dumps(row['conditions'])}")

    def _kinds(self, format, **_options):
        from peaceops.core.events import event_kinds

        kinds = {k: str(v) for k, v in sorted(event_kinds().items())}
        if format == "json":
            self.stdout.write(json.dumps(kinds, ensure_ascii=False, indent=1))
            return
        for kind, label in kinds.items():
            self.stdout.write(f"{kind}\t{label}")
