"""Batch work yields the processors to the people waiting at a screen.

On a small server (the two cores the load target is measured on) the web requests of a busy operations room keep
the processors nearly busy by themselves, so an import or a duplicate search running at the same priority
stretches every page's wait (bench/RESULTS.md, "## Load", during an import). The background worker and the
command-line imports therefore run at a lower scheduling priority, a higher `nice` value: the kernel serves the
web server first and gives the batch job whatever is left, which on an otherwise idle machine is everything."""

from __future__ import annotations

import os

MOST = 19  # the lowest priority Linux knows


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
    return niceness()
