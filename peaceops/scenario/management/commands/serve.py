"""`peaceops serve`: serve the web UI and API with Waitress (a production WSGI server; static files via
WhiteNoise) and run the background-job worker (django-tasks' `db_worker`) beside it. `--dev` uses Django's
auto-reloading development server instead.

Waitress is one process, and Python runs one thread of it at a time: `--processes N` (default: one per core, up
to four) forks N servers that share one listening socket, so concurrent requests use every core."""

import os
import signal
import socket
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "Serve PeaceOps over HTTP, with the background-job worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8, help="Threads per server process.")
        parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 4),
                            help="Server processes sharing the port (default: one per core, up to four).")
        parser.add_argument("--dev", action="store_true", help="Django's development server with auto-reload.")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the worker (when `peaceops db_worker` runs elsewhere).")

    def handle(self, *args, port, host, threads, processes, dev, no_worker, **options):
        from peaceops.core.tasks import ensure_scheduled

        ensure_scheduled()  # the audit chain's periodic signed checkpoint (off without a key and an anchor dir)
        # Long jobs (the registry's duplicate search) are queued in the database; without a worker they would wait.
        worker = None if no_worker else subprocess.Popen(
            [sys.executable, "-m", "peaceops.cli", "db_worker", "--no-reload"])
        # A plain SIGTERM (a service manager, a benchmark) ends the server through `finally`, worker included.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            if dev:
                call_command("runserver", f"{host}:{port}")
                return
            self._serve(host, port, threads, max(1, processes))
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _serve(self, host: str, port: int, threads: int, processes: int) -> None:
        from waitress import serve

        from peaceops.wsgi import application

        sock = socket.create_server((host, port), backlog=1024)
        connections.close_all()  # each process opens its own database connections
        children = []
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:
                try:
                    serve(application, sockets=[sock], threads=threads, ident="PeaceOps")
                finally:
                    os._exit(0)
            children.append(pid)
        self.stdout.write(f"Serving on http://{host}:{port}/ with {processes} process(es) (Ctrl-C to stop)")
        self.stdout.flush()
        try:
            serve(application, sockets=[sock], threads=threads, ident="PeaceOps")
        finally:
            for pid in children:
                try:
                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
