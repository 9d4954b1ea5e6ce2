"""`peaceops serve`: serve the web UI and API with Waitress (a production WSGI server; static files via
WhiteNoise). `--dev` uses Django's auto-reloading development server instead."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve PeaceOps over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--dev", action="store_true", help="Django's development server with auto-reload.")

    def handle(self, *args, port, host, threads, dev, **options):
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        from waitress import serve

        from peaceops.wsgi import application

        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="PeaceOps")
