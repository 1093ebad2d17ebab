"""Comb boxes (one character a box) read again on their own, one line a comb: the page pass
reads the characters of spaced boxes, each standing alone, as noise or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from extraction.errors import ToolFailedError
from extraction.layout import reading_order
from extraction.ocr import read_region
from extraction.options import Options
from extraction.structure import COMB_REACH
from extraction.types import Box, Line, PageText, Word, centre_inside, mean_confidence

# A comb's own reading that reads more of its characters than the page's may be this much less
# sure on average and still be taken.
COMB_CONFIDENCE_FOR_A_CHARACTER = 0.1


def combs_read_again(
    image: np.ndarray, text: PageText, combs: Sequence[Box], dpi: int, options: Options
) -> PageText:
    """The page's text with each comb read again on its own as one line, when that reading is
    the better one (``_better_comb_reading``): the page pass reads the characters of spaced
    boxes, one standing alone in each, as noise ("1G", "Oj\\3") far more often than a one-line
    reading of the comb (walls painted out)."""
    lines = list(text.lines)
    # The crop's line numbers are its own: a later regrouping of the page's words by line
    # (extraction.ocr.add_sparse_reading) would join the reading to the page's first lines.
    fresh = 1 + max((w.line for line in lines for w in line.words), default=0)
    for comb in combs:
        x0, y0, x1, y1 = comb
        reach = round(COMB_REACH * (y1 - y0))
        inside = [
            w for line in lines for w in line.words if centre_inside(w.box, (x0 - reach, y0, x1 + reach, y1))
        ]
        try:
            again = read_region(image, (x0 - reach, y0 - 4, x1 + reach, y1 + 4), dpi, options, "line")
        except ToolFailedError:
            continue
        if not _better_comb_reading(again, inside):
            continue
        gone = set(map(id, inside))
        lines = [Line(kept) for line in lines if (kept := tuple(w for w in line.words if id(w) not in gone))]
        # Back into the line of the label beside it ("DOB" left of the boxes), or a line of its own.
        level = [i for i, line in enumerate(lines) if line.box[1] <= (y0 + y1) / 2 <= line.box[3]]
        number = lines[level[0]].words[0].line if level else fresh
        fresh += not level
        again = [Word(w.text, w.confidence, w.box, number) for w in again]
        if level:
            lines[level[0]] = Line(tuple(sorted((*lines[level[0]].words, *again), key=lambda w: w.x0)))
        else:
            lines.append(Line(tuple(again)))
    lines.sort(key=reading_order)
    return replace(text, lines=tuple(lines))


def _better_comb_reading(again: Sequence[Word], inside: Sequence[Word]) -> bool:
    """Whether a comb's reading on its own is better than the page's: surer, or reading more of
    the comb's characters and nearly as sure. A box holds one character standing alone, which the
    page pass drops as noise ("04/05/19" for the eight boxes of "04/05/1962") more often than it
    misreads it; a character the page pass left out is worth a little confidence."""
    if not again:
        return False
    surer = mean_confidence(again) > mean_confidence(inside)
    nearly_as_sure = mean_confidence(again) >= mean_confidence(inside) - COMB_CONFIDENCE_FOR_A_CHARACTER
    return surer or (nearly_as_sure and _characters(again) > _characters(inside))


def _characters(words: Sequence[Word]) -> int:
    return sum(ch.isalnum() for w in words for ch in w.text)
