"""Print the page pass left unread (``extraction.unread_ink``), read again: in sparse mode, then
what sparse mode could not read either, one row at a time as a line."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from extraction.layout import group_lines
from extraction.ocr import add_sparse_reading, read_already, read_region, sparse_words
from extraction.options import Options
from extraction.types import Box, PageText, Word
from extraction.unread_ink import unread_runs

# Rows of print left unread by both passes read again one at a time as a line: at most this many,
# and of what they read only words at least this sure (a stain or a stamp reads as letters too,
# unsurely).
MAX_LINE_READS = 6
MIN_LINE_CONFIDENCE = 0.5
# ... those standing at least this many text heights from any word read on their row (a column
# gap is wider; a space between words is narrower).
APART_HEIGHTS = 1.5


def with_unread_rows(
    image: np.ndarray, page: PageText, dpi: int, options: Options
) -> tuple[PageText, list[Word] | None]:
    """The page's text with the rows of print the page pass left unread (see
    ``extraction.unread_ink``) read in sparse mode: a block page segmentation dropped (the
    lower half of a photographed questionnaire) holds labels whose fields would be missed
    without a word of why. Only words on those rows are taken, the short values beside their
    labels included, and the rows sparse mode left unread too are read as lines
    (``_left_rows_read_as_lines``); the rest of the page stays as the page pass read it. Also
    returns the whole page's sparse reading when one was made (see ``sparse_words``), None when
    not, so a later sparse pass over the page need not read it again."""
    words = [w for line in page.lines for w in line.words]
    runs = unread_runs(image, words, options.text_height)
    if not runs:
        return page, None
    reach = options.text_height / 2
    rows = [(0, round(run[1] - reach), page.width, round(run[3] + reach)) for run in runs]
    sparse = sparse_words(image, dpi, options)
    merged = add_sparse_reading(image, page, dpi, options, within=rows, read=sparse)
    if merged is not page:  # the sparse pass added words: what is left unread is looked for again
        runs = unread_runs(image, [w for line in merged.lines for w in line.words], options.text_height)
    return _left_rows_read_as_lines(image, merged, runs, dpi, options), sparse


def _left_rows_read_as_lines(
    image: np.ndarray, page: PageText, left: list[Box], dpi: int, options: Options
) -> PageText:
    """``page`` with the rows of print ``left`` unread by it (``unread_runs``, largest first),
    which the sparse pass left unread too, read one at a time as a line: a blurred bold label
    standing alone ("Directions:" over a list) is a line to tesseract's line mode, and nothing
    in sparse mode. At most ``MAX_LINE_READS`` rows; only words as sure as
    ``MIN_LINE_CONFIDENCE`` are added, where no word stands."""
    known = [w for line in page.lines for w in line.words]
    runs = [run for run in left if _stands_apart(run, known, options)][:MAX_LINE_READS]
    if not runs:
        return page
    reach = round(options.text_height / 2)
    offset = 1 + max((w.line for w in known), default=0)
    added: list[Word] = []
    for number, (x0, y0, x1, y1) in enumerate(runs):
        box = (x0 - reach, y0 - reach, x1 + reach, y1 + reach)
        for word in read_region(image, box, dpi, options, "line", ruled=False):
            if word.confidence >= MIN_LINE_CONFIDENCE and not read_already(word, known):
                added.append(Word(word.text, word.confidence, word.box, offset + number))
    if not added:
        return page
    return PageText(page.index, tuple(group_lines(known + added)), page.width, page.height)


def _stands_apart(run: Box, words: Sequence[Word], options: Options) -> bool:
    """True when no word stands on ``run``'s row within ``APART_HEIGHTS`` text heights of it: ink
    right beside a word read is most often that word's own letters outside a box tesseract drew
    too small, and read on its own would come back as the word a second time."""
    reach = APART_HEIGHTS * options.text_height
    x0, y0, x1, y1 = run
    return not any(
        w.box[1] < y1 and y0 < w.box[3] and w.box[0] < x1 + reach and x0 - reach < w.box[2] for w in words
    )
