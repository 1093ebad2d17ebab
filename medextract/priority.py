"""Background extraction yields the CPU to the people waiting on the app.

The engine's processes (the sandbox child, and the tesseract and poppler it starts) run at a lower
CPU priority than the web server that answers clerks: a clerk's rerun takes the core it needs at
once, and extraction uses whatever is left. On an otherwise idle machine nothing is left out: a
lower priority only matters when something else wants the CPU, so the pool reads as fast as before.

Why ``nice`` 10 with ``SCHED_BATCH``, and not ``SCHED_IDLE``: under the Linux scheduler a nice-10
task weighs 110 against 1024 for a nice-0 one, so a clerk's rerun competing with an engine for a
core gets about 90 % of it, while extraction still moves on a machine busy with other nice-0 work.
``SCHED_IDLE`` (weight 3) would all but stop extraction there, and a document would then fail on its
time budget (``MEDEXTRACT_DOC_TIMEOUT``) through no fault of its own. ``SCHED_BATCH`` alone keeps
the nice-0 weight (it only tells the scheduler the task is CPU-bound: no wakeup preemption, longer
slices), so it is added to the lower nice, not used instead of it.

MEDEXTRACT_ENGINE_NICE sets the niceness (0-19, default 10); 0 leaves the engine at the server's
priority and policy.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

NICE_ENV = "MEDEXTRACT_ENGINE_NICE"
DEFAULT_NICE = 10
MAX_NICE = 19


def engine_niceness() -> int:
    """MEDEXTRACT_ENGINE_NICE as a niceness in 0..19; the default (10) when unset or not a whole
    number, clamped into range otherwise."""
    raw = os.environ.get(NICE_ENV, "").strip()
    try:
        value = int(raw) if raw else DEFAULT_NICE
    except ValueError:
        return DEFAULT_NICE
    return min(MAX_NICE, max(0, value))


def _threads() -> list[int]:
    """This process's thread ids: on Linux a niceness and a policy belong to one thread each."""
    tasks = Path("/proc/self/task")
    if not tasks.is_dir():
        return [0]
    return [int(entry.name) for entry in tasks.iterdir() if entry.name.isdigit()]


def yield_to_interactive(niceness: int | None = None) -> int:
    """Lower this process's CPU priority to ``niceness`` (default :func:`engine_niceness`) and
    mark it a batch task; returns the niceness applied (0: left as it was).

    Call it first thing in a process that does background work only: every thread it already has
    is lowered, and the threads and programs it starts later inherit the priority. Never raises
    the priority (an unprivileged process cannot), and never fails the caller: a system without
    ``SCHED_BATCH`` keeps the niceness alone.
    """
    target = engine_niceness() if niceness is None else min(MAX_NICE, max(0, niceness))
    if target <= 0:
        return 0
    batch = getattr(os, "SCHED_BATCH", None)
    for tid in _threads():
        with contextlib.suppress(OSError):  # a thread that just ended
            if os.getpriority(os.PRIO_PROCESS, tid) < target:
                os.setpriority(os.PRIO_PROCESS, tid, target)
        if batch is not None:
            with contextlib.suppress(OSError):
                os.sched_setscheduler(tid, batch, os.sched_param(0))
    return target
