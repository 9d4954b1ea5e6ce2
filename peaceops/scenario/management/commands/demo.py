"""`peaceops demo`: migrate, load the scenario if the database is empty, print the accounts, serve the UI."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from peaceops.core.roles import ROLE_LABELS
from peaceops.scenario import world as scenario


class Command(BaseCommand):
    help = "Run the demo: SQLite (or DATABASE_URL), the scenario loaded, the web UI served on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything but do not serve.")

    def handle(self, *args, port, host, scale, no_serve, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if scenario.is_loaded():
            self.stdout.write("Scenario already loaded; keeping the existing data.")
        else:
            self.stdout.write("Loading the demo scenario…")
            call_command("scenario", "load", "--scale", str(scale), stdout=self.stdout, stderr=self.stderr)
        scenario.ensure_demo_users()
        self.stdout.write("")
        self.stdout.write(f"PeaceOps is at http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs/)")
        self.stdout.write(f"Demo accounts (password for all: {scenario.DEMO_PASSWORD}):")
        for role, label in ROLE_LABELS.items():
            self.stdout.write(f"  {role:<17} {label}")
        for username, role in scenario.EXTRA_DEMO_USERS.items():
            self.stdout.write(f"  {username:<17} {ROLE_LABELS[role]} (the second signature on the sitrep)")
        if not os.environ.get("PEACEOPS_OPERATION_DAY"):
            # The demo world ends on 31 December 2020: its pages open on that day, not on today's empty date.
            settings.PEACEOPS_OPERATION_DAY = scenario.SCENARIO_END.isoformat()
            os.environ["PEACEOPS_OPERATION_DAY"] = settings.PEACEOPS_OPERATION_DAY  # the worker, a reloader
            self.stdout.write(f"Operation day: {settings.PEACEOPS_OPERATION_DAY}, the demo world's last day "
                              "(PEACEOPS_OPERATION_DAY chooses another; every dated page has a date control).")
        if "PEACEOPS_2FA_ROLES" not in os.environ:
            # Visitors to the demo have no authenticator enrolled for these shared accounts.
            settings.PEACEOPS_2FA_ROLES = frozenset()
            self.stdout.write("Second factor off in the demo (in production exchange officers and administrators "
                              "confirm a one-time code; PEACEOPS_2FA_ROLES=exchange_officer,admin turns it on).")
        self.stdout.flush()
        if not no_serve:
            call_command("serve", "--host", host, "--port", str(port))
