"""`peaceops serve`: serve the web UI and API with Waitress (a production WSGI server; static files via
WhiteNoise) and keep the background-job worker (`peaceops worker`) running beside it: a worker that exits is
restarted, after 1, 2, 4 … up to 60 s when it keeps failing, and /health/ shows its heartbeat and restarts.
`--dev` uses Django's auto-reloading development server instead.

Waitress is one process, and Python runs one thread of it at a time: `--processes N` (default: one per core, up
to four) forks N servers that share one listening socket, so concurrent requests use every core. Behind a TLS
proxy (`BEHIND_PROXY=yes`) Waitress trusts the X-Forwarded-* headers named by TRUSTED_PROXY_HEADERS from
TRUSTED_PROXY only; without that it drops them, and every request would be redirected to https again."""

import gc
import os
import signal
import socket
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from peaceops.core.supervision import Supervisor


def waitress_options(threads: int) -> dict:
    options = {"threads": threads, "ident": "PeaceOps"}
    if settings.BEHIND_PROXY:
        options.update(trusted_proxy=settings.TRUSTED_PROXY, trusted_proxy_count=settings.TRUSTED_PROXY_COUNT,
                       trusted_proxy_headers=" ".join(settings.TRUSTED_PROXY_HEADERS))
    return options


class Command(BaseCommand):
    help = "Serve PeaceOps over HTTP, with the background-job worker under supervision."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8, help="Threads per server process.")
        parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 4),
                            help="Server processes sharing the port (default: one per core, up to four).")
        # A thread back from the database waits for the GIL until the running thread is made to let go: up to
        # Python's 5 ms switch interval, paid on every query of a request while other threads run Python.
        parser.add_argument("--switch-interval", type=float, default=1.0, metavar="MS",
                            help="How long a thread may hold the interpreter before another one waiting is let in "
                                 "(ms; Python's own default is 5).")
        parser.add_argument("--dev", action="store_true", help="Django's development server with auto-reload.")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the worker (when `peaceops worker` runs elsewhere).")

    def handle(self, *args, port, host, threads, processes, dev, no_worker, switch_interval=1.0, **options):
        from django.db import DatabaseError

        from peaceops.core.registry import collect

        # Periodic jobs that re-book themselves: each app's tasks.SCHEDULE (the audit chain's signed checkpoint,
        # off without a key and an anchor dir; the alerts app's periodic checks and escalation).
        for schedule in collect("tasks", "SCHEDULE"):
            try:
                schedule()
            except DatabaseError as exc:  # a database not migrated yet: serve all the same, and say so
                self.stderr.write(f"periodic job {schedule.__module__} not booked: {exc}")
        # Long jobs (imports, the registry's duplicate search) are queued in the database; without a worker they
        # would wait. The supervisor restarts it whenever it exits.
        worker = None if no_worker else Supervisor(
            [sys.executable, "-m", "peaceops.cli", "worker", "--no-reload"]).start()
        # A plain SIGTERM (a service manager, a benchmark) ends the server through `finally`, worker included.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        sys.setswitchinterval(switch_interval / 1000)
        try:
            if dev:
                call_command("runserver", f"{host}:{port}")
                return
            self._serve(host, port, threads, max(1, processes))
        finally:
            if worker is not None:
                worker.stop()

    def _serve(self, host: str, port: int, threads: int, processes: int) -> None:
        from waitress import serve

        from peaceops.wsgi import application

        sock = socket.create_server((host, port), backlog=1024)
        connections.close_all()  # each process opens its own database connections
        # The code and tables loaded so far live as long as the process: moved out of the collector's sight, they
        # are neither traversed by every collection nor copied into each forked child by it; collections of the
        # young generation come less often (a list page allocates tens of thousands of objects).
        gc.collect()
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
        options = waitress_options(threads)
        children = []
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:
                try:
                    serve(application, sockets=[sock], **options)
                finally:
                    os._exit(0)
            children.append(pid)
        self.stdout.write(f"Serving on http://{host}:{port}/ with {processes} process(es) (Ctrl-C to stop)")
        self.stdout.flush()
        try:
            serve(application, sockets=[sock], **options)
        finally:
            for pid in children:
                try:
                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
