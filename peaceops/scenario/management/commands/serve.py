"""`peaceops serve`: serve the web UI and API with Waitress (a production WSGI server; static files via
WhiteNoise) and run the background-job worker (django-tasks' `db_worker`) beside it. `--dev` uses Django's
auto-reloading development server instead."""

import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve PeaceOps over HTTP, with the background-job worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--dev", action="store_true", help="Django's development server with auto-reload.")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the worker (when `peaceops db_worker` runs elsewhere).")

    def handle(self, *args, port, host, threads, dev, no_worker, **options):
        # Long jobs (the registry's duplicate search) are queued in the database; without a worker they would wait.
        worker = None if no_worker else subprocess.Popen(
            [sys.executable, "-m", "peaceops.cli", "db_worker", "--no-reload"])
        # A plain SIGTERM (a service manager, a benchmark) ends the server through `finally`, worker included.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            if dev:
                call_command("runserver", f"{host}:{port}")
                return
            from waitress import serve

            from peaceops.wsgi import application

            self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
            self.stdout.flush()
            serve(application, host=host, port=port, threads=threads, ident="PeaceOps")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
