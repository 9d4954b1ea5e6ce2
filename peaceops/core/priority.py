"""Batch work yields the processors to the people waiting at a screen.

On a small server (the two cores the load target is measured on) the web requests of a busy operations room keep
the processors nearly busy by themselves, so an import or a duplicate search running at the same priority
stretches every page's wait (bench/RESULTS.md, "## Load", during an import). The background worker and the
command-line imports therefore run at a lower scheduling priority, a higher `nice` value: the kernel serves the
web server first and gives the batch job whatever is left, which on an otherwise idle machine is everything.

A lower priority alone is not enough: Linux schedules each login session (an autogroup) and each service's cgroup
as a whole, so an import started from an administrator's shell competes with the web server as an equal however
nice it is, and its PostgreSQL connection's work is done at the database's priority. So a batch job also paces
itself (`pace`): between two chunks, while the processors are contended (Linux's CPU pressure, PSI), it waits
once to four times as long as the chunk took, the more the busier, handing the processors to the requests queued
behind it."""

from __future__ import annotations

import os
import time
from pathlib import Path

MOST = 19  # the lowest priority Linux knows
PRESSURE = Path("/proc/pressure/cpu")
BUSY = 0.10  # share of the last 10 s in which some task waited for a processor: above it, the machine is contended
MOST_PAUSE = 4.0  # at four times BUSY and above, a batch job works a fifth of the time
LONGEST_WAIT = 5.0  # seconds: a chunk that took long is not followed by a longer pause
_batch = False  # this process lowered its priority for batch work: it paces itself too


def niceness() -> int:
    """This thread's nice value (0 where the platform has none)."""
    return os.getpriority(os.PRIO_PROCESS, 0) if hasattr(os, "getpriority") else 0


def lower_to(value: int) -> int:
    """Lower the calling thread's priority to nice `value` (0-19) and return the value in force. Never raises the
    priority: only a privileged process may, and a batch job has no reason to. On Linux the value belongs to the
    thread and is inherited by the threads it starts, so call this first, before any thread is started."""
    if not hasattr(os, "nice"):
        return 0
    value = max(0, min(MOST, value))
    current = niceness()
    if value > current:
        os.nice(value - current)
    global _batch
    _batch = value > 0
    return niceness()


def add_nice_argument(parser) -> None:
    """The `--nice` option of a command that imports (`intake run` / `resume`, `forms import`); the command calls
    `lower_to(options["nice"])` before it starts."""
    from django.conf import settings

    parser.add_argument(
        "--nice", type=int, choices=range(MOST + 1), metavar="0-19", default=settings.PEACEOPS_IMPORT_NICE,
        help="Scheduling priority of the import (default %(default)s, PEACEOPS_IMPORT_NICE): the web server's users "
             "are served first, and an otherwise idle machine still gives the import every cycle. 0 runs it at the "
             "web server's priority, for a maintenance window.")


def cpu_pressure() -> float | None:
    """The share (0–1) of the last 10 seconds in which a runnable task waited for a processor, or None where the
    kernel does not say (not Linux, or PSI off)."""
    try:
        some = PRESSURE.read_text().split("\n", 1)[0]
        return float(some.split("avg10=", 1)[1].split()[0]) / 100
    except (OSError, IndexError, ValueError):
        return None


def pace(worked: float, *, pressure=cpu_pressure, sleep=time.sleep) -> float:
    """Called by a batch job between chunks with the seconds the last chunk took: in a process that lowered its
    priority (`lower_to`), while the processors are contended, wait that long times the contention over BUSY (1 to
    MOST_PAUSE times; at most LONGEST_WAIT). Returns the seconds waited. The web server never lowers its
    priority, so a small upload imported while its page waits is never slowed; `--nice 0` turns both off for a
    maintenance window. Never inside a transaction: the pause would hold its locks."""
    from django.db import connection

    if not _batch or worked <= 0 or connection.in_atomic_block:  # a pause inside a transaction holds its locks
        return 0.0
    contended = pressure()
    if contended is None or contended < BUSY:
        return 0.0
    wait = min(worked * min(MOST_PAUSE, contended / BUSY), LONGEST_WAIT)
    sleep(wait)
    return wait
