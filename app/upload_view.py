"""The Upload page's progress as small pure functions: each document's page count, how long the
engine should take over it, and how far it is. No Streamlit here (pages/upload.py draws them).

The estimate is the document's pages times the engine's recent seconds per page
(``metrics.seconds_per_page``, else ``metrics.DEFAULT_SECONDS_PER_PAGE``). A document being read
has been at it since the worker took it (its ``updated_at``: the worker's take is its last change),
so its bar is the time spent over the time expected, never full before the engine is done.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from medextract import lifecycle

NEARLY_DONE = 0.95  # the most a bar shows before the engine has finished


def pages_text(pages: int | None) -> str:
    """ "1 page", "3 pages", or that they are not counted yet (the worker counts them)."""
    if not pages:
        return "pages not counted yet"
    return "1 page" if pages == 1 else f"{pages} pages"


def duration_text(seconds: float) -> str:
    """ "about 4 s", "about 2 min": rounded up, never "0 s"."""
    if seconds < 90:
        return f"about {max(1, math.ceil(seconds))} s"
    return f"about {math.ceil(seconds / 60)} min"


def estimate_seconds(pages: int | None, per_page: float) -> float:
    """The engine's expected time for a document: its pages (one when not counted) times ``per_page``."""
    return max(1, pages or 1) * per_page


def progress_of(doc: Any, now: datetime, per_page: float) -> tuple[float, str] | None:
    """(fraction 0-1, text) of a document the engine has not finished (None once it has): its
    page count and the time it should take or has left."""
    if lifecycle.extraction_finished(doc.status):
        return None
    expected = estimate_seconds(doc.pages, per_page)
    pages = pages_text(doc.pages)
    if doc.status == lifecycle.QUEUED:
        return 0.0, f"{pages} · {duration_text(expected)} to read once the engine starts on it"
    spent = max(0.0, (now - doc.updated_at).total_seconds()) if doc.updated_at else 0.0
    if spent >= expected:
        return NEARLY_DONE, f"{pages} · being read, longer than the usual {duration_text(expected)}"
    return min(spent / expected, NEARLY_DONE), f"{pages} · being read, {duration_text(expected - spent)} left"


def overall_text(docs: Iterable[Any], now: datetime, per_page: float, slots: int) -> str | None:
    """ "2 of 5 documents read · about 8 s of reading left": for the whole list (the engine reads
    ``slots`` documents at once); None when every one is done."""
    shown = list(docs)
    waiting = [d for d in shown if not lifecycle.extraction_finished(d.status)]
    if not waiting:
        return None
    lefts = []
    for doc in waiting:
        expected = estimate_seconds(doc.pages, per_page)
        spent = 0.0
        if doc.status == lifecycle.EXTRACTING and doc.updated_at:
            spent = max(0.0, (now - doc.updated_at).total_seconds())
        lefts.append(max(expected - spent, 0.0))
    # Shared among the slots, but no sooner than the longest document alone.
    left = max(sum(lefts) / max(1, slots), max(lefts))
    done = len(shown) - len(waiting)
    return f"{done} of {len(shown)} documents read · {duration_text(left)} of reading left"
