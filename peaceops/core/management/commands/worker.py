"""`peaceops worker`: django-tasks' database worker with a heartbeat, and a loop that survives a locked database.

django-tasks-db's own `db_worker` ends with a traceback when SQLite stays locked past the busy timeout while it
starts its claim transaction; this one waits and tries again, and says so in its heartbeat. Run it under a
supervisor (`peaceops serve` does; systemd in production, docs/deployment.md)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from peaceops.core import priority
from peaceops.core.supervision import Heartbeat, logger


class HeartbeatWorker(Worker):
    def __init__(self, *args, heartbeat: Heartbeat, **kwargs):
        super().__init__(*args, **kwargs)
        self.heartbeat = heartbeat

    def run(self) -> None:
        self.heartbeat.state = "idle"
        while self.running:
            try:
                return super().run()
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                # Another process held the write lock past the busy timeout: wait, do not die.
                logger.warning("database locked; the worker tries again")
                self.heartbeat.note = f"database locked at {timezone.now().isoformat()}"
                time.sleep(max(self.interval, 1))

    def run_task(self, db_task_result) -> None:
        self.heartbeat.state, self.heartbeat.task = "running", db_task_result.task_path
        self.heartbeat.task_started = timezone.now().isoformat()
        self.heartbeat.beat()
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.state, self.heartbeat.task, self.heartbeat.task_started = "idle", "", None
            self.heartbeat.beat()


class Command(DbWorkerCommand):
    help = "Run the background-job worker (django-tasks' database worker) with a heartbeat for /health/."

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        priority.lower_to(settings.PEACEOPS_WORKER_NICE)  # before the heartbeat's thread, which inherits it
        heartbeat = Heartbeat().start()
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id or get_random_string(32),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [], heartbeat=heartbeat)
        worker.configure_signals()
        try:
            worker.run()
        finally:
            heartbeat.stop()
