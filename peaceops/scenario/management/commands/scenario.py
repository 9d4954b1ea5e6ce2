"""`peaceops scenario load [--scale N] [--seed S] [--reset]`: build the deterministic demo world."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from peaceops.scenario import world as scenario


class Command(BaseCommand):
    help = "Build the demo scenario (Nagorno-Karabakh, 10 November – 31 December 2020; synthetic people)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help="Load the scenario into the database named by DATABASE_URL.")
        load.add_argument("--scale", type=float, default=1.0,
                          help="Multiplier for people and events (1 = the calibrated demo; 150 ≈ 1,000,000 people).")
        load.add_argument("--seed", type=int, default=20201110)
        load.add_argument("--reset", action="store_true", help="Empty the database first (all data is lost).")

    def handle(self, *args, verb, scale, seed, reset, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        try:
            world = scenario.load(scale=scale, seed=seed,
                                  progress=lambda label: self.stderr.write(f"  building {label}…"))
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        figures = ", ".join(f"{value} {name}" for name, value in world.summary.items())
        return f"Scenario loaded (scale {scale}, seed {seed}) in {time.monotonic() - started:.1f} s" + (
            f": {figures}" if figures else "") + "."
