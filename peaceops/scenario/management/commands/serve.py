"""`peaceops serve`: serve the web UI and API on the given address (static files through WhiteNoise)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve PeaceOps over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
