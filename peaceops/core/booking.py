"""Booking background work by name, so a service never imports a task module.

A task module (`<app>/tasks.py`) imports the services it runs, as a view does; a service that must book work for
later (a webhook to deliver, a matching job to run) would otherwise import the task module back. Each app's
`tasks.py` names the tasks services may book in `BOOKABLE = {"app.name": task}`, and the service calls
`book("app.name", *args)`. An unknown name is a programming error (KeyError), never a silent no-op."""

from __future__ import annotations

import datetime as dt

from peaceops.core.registry import collect


def book(name: str, *args, run_after: dt.datetime | None = None):
    """Enqueue the task `name` with `args` (at `run_after`, else as soon as a worker is free); its result."""
    job = dict(collect("tasks", "BOOKABLE"))[name]
    return (job.using(run_after=run_after) if run_after else job).enqueue(*args)
