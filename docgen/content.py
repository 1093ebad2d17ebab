"""Filled-in values drawn apart from the form they are written on.

A family's ``draw(rng, dpi)`` takes one random stream for everything. A clinic, though, prints one
form and fills it in again and again. Inside ``filled_from(content_rng)`` the functions that draw a
document's values (names, dates, medicines, blanks) take them from ``content_rng``, while the form
itself (fonts, labels, positions, rules) keeps coming from the family's ``rng``: the same form
seed then gives the same form with other values each time.
"""

from __future__ import annotations

import copy
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

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


class FormRandom(random.Random):
    """A random stream for a form's own choices that content cannot shift.

    A family draws its layout from one stream, and a loop over the values (one row per
    medicine) takes more or fewer draws from it, which would change every choice after it: the
    same form would come out in another font. Here each line of code that draws gets a stream of
    its own, seeded by the form and the line, so its n-th draw is the same on every copy of the
    form whatever was drawn elsewhere.
    """

    def __init__(self, seed: str) -> None:
        self._form_seed = seed
        self._streams: dict[tuple[str, int], random.Random] = {}
        super().__init__(seed)

    def _stream(self) -> random.Random:
        frame = sys._getframe(2)
        while frame.f_code.co_filename in (random.__file__, __file__):
            frame = frame.f_back  # type: ignore[assignment]
        key = (Path(frame.f_code.co_filename).name, frame.f_lineno)
        if key not in self._streams:
            self._streams[key] = random.Random(f"{self._form_seed}:{key[0]}:{key[1]}")
        return self._streams[key]

    def __deepcopy__(self, memo: dict[int, object]) -> FormRandom:
        """A twin that draws, line by line, what this stream would draw from here on."""
        twin = FormRandom(self._form_seed)
        twin.setstate(self.getstate())
        twin._streams = {key: copy.deepcopy(stream, memo) for key, stream in self._streams.items()}
        return twin

    def random(self) -> float:
        return self._stream().random()

    def getrandbits(self, k: int) -> int:
        return self._stream().getrandbits(k)
