"""Filled-in values drawn apart from the form they are written on.

A family's ``draw(rng, dpi)`` takes one random stream for everything. A clinic, though, prints one
form and fills it in again and again. Inside ``filled_from(content_rng)`` the functions that draw a
document's values (names, dates, medicines, blanks) take them from ``content_rng``, while the form
itself (fonts, labels, positions, rules) keeps coming from the family's ``rng``: the same form
seed then gives the same form with other values each time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CONTENT: ContextVar[random.Random | None] = ContextVar("docgen_content", default=None)


@contextmanager
def filled_from(content_rng: random.Random) -> Iterator[None]:
    """Draw every filled-in value inside this block from ``content_rng``."""
    token = _CONTENT.set(content_rng)
    try:
        yield
    finally:
        _CONTENT.reset(token)


def content(rng: random.Random) -> random.Random:
    """The stream to draw filled-in values from: the one ``filled_from`` set, else ``rng``."""
    return _CONTENT.get() or rng
