"""How many threads the engine may use for one document: this machine's cores, shared among the
documents a process reads at once.

One engine alone reads a document's pages (or a lone page's two halves) on every core; once every
slot of a pool is reading, each engine gets one core, since a second thread would only contend
with a sibling process for it (measured on 2 cores: two workers 1.15x one, each with two threads).
The share is taken when a document is claimed and kept until it is done, so a lone upload in an
idle app is read as fast as before, and a batch keeps every core busy without oversubscribing it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class CoreShare:
    """Counts the documents being read and hands each its share of ``cores`` (at least one)."""

    def __init__(self, cores: int | None = None) -> None:
        self.cores = cores if cores is not None and cores > 0 else available_cores()
        self._reading = 0
        self._lock = threading.Lock()

    @contextmanager
    def reading(self) -> Iterator[int]:
        """While one more document is read: the engine threads it may use."""
        with self._lock:
            self._reading += 1
            share = max(1, self.cores // self._reading)
        try:
            yield share
        finally:
            with self._lock:
                self._reading -= 1
