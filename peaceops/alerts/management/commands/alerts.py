"""`peaceops alerts list [--open] [--format json] | escalate | kinds | rules [edit|deactivate|reactivate ID]`."""

from __future__ import annotations

import argparse
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


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _edits(options: dict) -> dict:
    """The fields `rules edit` was given, as the service takes them."""
    from django.contrib.auth import get_user_model

    changes = {}
    for key in ("name", "kind", "severity"):
        if options.get(key) is not None:
            changes[key] = options[key]
    for key in ("email", "webhook"):
        if options.get(key) is not None:
            changes[key] = options[key]
    for key in ("roles", "escalate_to"):
        if options.get(key) is not None:
            changes[key] = _names(options[key])
    if options.get("conditions") is not None:
        try:
            changes["conditions"] = json.loads(options["conditions"] or "{}")
        except ValueError:
            raise CommandError(f"--conditions is not valid JSON: {options['conditions']!r}") from None
    if options.get("users") is not None:
        names = _names(options["users"])
        people = list(get_user_model().objects.filter(username__in=names))
        missing = sorted(set(names) - {p.username for p in people})
        if missing:
            raise CommandError(f"no such user: {', '.join(missing)}")
        changes["users"] = people
    if options.get("escalate_after") is not None:
        value = options["escalate_after"].strip().lower()
        if value in ("never", "none", ""):
            changes["escalate_after"] = None
        elif value.isdigit() and int(value) >= 1:
            changes["escalate_after"] = int(value)
        else:
            raise CommandError(f"--escalate-after takes whole minutes (at least 1) or \"never\", not {value!r}")
    return changes


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
        rules = verbs.add_parser("rules", help="the alert rules; `rules edit|deactivate|reactivate ID` changes one")
        rules.add_argument("--format", choices=["text", "json"], default="text")
        changes = rules.add_subparsers(dest="rule_verb", required=False)
        edit = changes.add_parser("edit", help="change the fields given, checked as a new rule is; prints the rule")
        edit.add_argument("id", type=int)
        edit.add_argument("--name")
        edit.add_argument("--kind", help="an event kind (`peaceops alerts kinds`)")
        edit.add_argument("--conditions", help='JSON object on the event\'s facts, e.g. \'{"district": 12}\'; '
                                               '"{}" for none')
        edit.add_argument("--severity", help="info, warning or critical")
        edit.add_argument("--roles", help="comma-separated roles told (replaces the list)")
        edit.add_argument("--users", help="comma-separated user names told (replaces the list; \"\" for none)")
        edit.add_argument("--email", action=argparse.BooleanOptionalAction, default=None)
        edit.add_argument("--webhook", action=argparse.BooleanOptionalAction, default=None)
        edit.add_argument("--escalate-after", dest="escalate_after",
                          help="minutes before an unacknowledged alert escalates; \"never\" for no escalation")
        edit.add_argument("--escalate-to", dest="escalate_to", help="comma-separated roles (replaces the list)")
        for name, doing in (("deactivate", "raises nothing until reactivated"), ("reactivate", "raises alerts again")):
            switch = changes.add_parser(name, help=f"the rule {doing}; prints the rule")
            switch.add_argument("id", type=int)
            switch.add_argument("--reason", default="", help="kept in the rule's history")
        for verb in changes.choices.values():
            verb.add_argument("--user", default=None,
                              help="the coordinator account the change is recorded under (default: the system)")
            verb.add_argument("--format", choices=["text", "json"], default=argparse.SUPPRESS)
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

    def _rules(self, format, rule_verb=None, **options):
        from peaceops.alerts.models import AlertRule
        from peaceops.alerts.serializers import RuleSerializer

        if rule_verb:
            rules = [self._change_rule(rule_verb, **options)]
        else:
            rules = AlertRule.objects.prefetch_related("users")
        rows = RuleSerializer(rules, many=True).data
        if format == "json":
            self.stdout.write(json.dumps(rows if not rule_verb else rows[0], ensure_ascii=False, indent=1,
                                         default=str))
            return
        for row in rows:
            state = "active" if row["active"] else "inactive"
            self.stdout.write(f"{row['id']}\t{state}\t{row['kind']}\t{row['severity']}\t{row['name']}\t"
                              f"{','.join(row['roles'])}\t{json.dumps(row['conditions'])}")

    def _change_rule(self, rule_verb, id, user=None, **options):
        from django.core.exceptions import ValidationError

        from peaceops.alerts.models import AlertRule
        from peaceops.alerts.services import rules

        rule = AlertRule.objects.filter(pk=id).first()
        if rule is None:
            raise CommandError(f"no alert rule {id}")
        account = _account(user)
        try:
            with acting_as(account.get_username() if account else "system:cli"):
                if rule_verb == "edit":
                    changes = _edits(options)
                    if not changes:
                        raise CommandError("nothing to change: give at least one of --name, --kind, --conditions, "
                                           "--severity, --roles, --users, --email/--no-email, "
                                           "--webhook/--no-webhook, --escalate-after, --escalate-to")
                    return rules.edit_rule(rule, account, **changes)
                return rules.set_rule_active(rule, rule_verb == "reactivate", account, options.get("reason", ""))
        except ValidationError as exc:
            raise CommandError(f"rule {id} unchanged: {' '.join(exc.messages)}") from None

    def _kinds(self, format, **_options):
        from peaceops.core.events import event_kinds

        kinds = {k: str(v) for k, v in sorted(event_kinds().items())}
        if format == "json":
            self.stdout.write(json.dumps(kinds, ensure_ascii=False, indent=1))
            return
        for kind, label in kinds.items():
            self.stdout.write(f"{kind}\t{label}")
