"""`peaceops roles list|grant|revoke`: the server operator's view of roles, and direct changes for bootstrapping.

The web access page is where roles change (four eyes). This command is for whoever runs the server — who holds
the database anyway — to make the first administrators (after `createsuperuser`) and to recover when too few
administrators remain. Every change is in the audit chain, attributed to the operating-system account."""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peaceops.core import rolegrants
from peaceops.core.models import RoleChange, RoleChangeKind, RoleChangeStatus
from peaceops.core.roles import ROLES


class Command(BaseCommand):
    help = "List roles and waiting role requests; grant or remove a role directly (server operator only)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "grant", "revoke"])
        parser.add_argument("username", nargs="?")
        parser.add_argument("role", nargs="?", choices=sorted(ROLES))
        parser.add_argument("--reason", default="", help="why (written to the audit chain); required to change")

    def handle(self, *args, action, username=None, role=None, reason="", **options):
        User = get_user_model()
        if action == "list":
            for user in User.objects.filter(is_active=True).prefetch_related("groups").order_by("username"):
                names = sorted(g.name for g in user.groups.all()) + (["superuser"] if user.is_superuser else [])
                self.stdout.write(f"{user.username}: {', '.join(names) or '-'}")
            waiting = RoleChange.objects.filter(status=RoleChangeStatus.PENDING).select_related("user")
            for change in waiting:
                self.stdout.write(f"waiting: {change.role} for {change.user.username} "
                                  f"(asked by {change.requested_by.username if change.requested_by else '-'})")
            return ""
        if not (username and role and reason.strip()):
            raise CommandError("Give a user name, a role and --reason.")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        operator = getpass.getuser()
        try:
            if action == "grant":
                rolegrants.grant_by_operator(user, role, reason.strip(), operator)
            else:
                rolegrants.change_by_operator(user, role, RoleChangeKind.REVOKE, reason.strip(), operator)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return f"{username}: role {role} {'granted' if action == 'grant' else 'removed'} (audited)."
