"""Print the page pass did not read: ink shaped like a row of letters that no word covers.

Tesseract's page segmentation now and then leaves out a whole block (the lower half of a
photographed questionnaire, whose faint table rules it took for a picture) or a word among
others ("company:" after "Name of insurance"). A field whose label is in such a block is not
found at all, and nothing tells the clerk why. That print is found on the image instead: pieces
of ink of a letter's size (or a word's, its letters run together) that no word's box covers, at
least ``MIN_PIECES`` letters of them in a row as close as the letters of words.
``extraction.ocr.with_unread_rows`` then reads the page again in sparse mode, which looks at
every piece of text on its own.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

import cv2
import numpy as np

from extraction.keys import typical_height
from extraction.structure.geometry import overlap_area
from extraction.structure.ink import (
    binary,
    components,
    ink_threshold,
    labelling_order,
    own_pixels,
    part_boxes,
    pixels_of,
)
from extraction.types import Box, FieldResult, PageText, Word

# A letter is between these many text heights tall (an "o" about half, a "g" or an "l" the
# whole), at most this many wide (joined handwriting makes wider pieces), and holds at least
# this share of a text height squared in ink (specks hold less).
MIN_PIECE_HEIGHT = 0.35
MAX_PIECE_HEIGHT = 2.0
MAX_PIECE_WIDTH = 4.0
MIN_PIECE_INK = 0.02
# A piece whose ink fills this share of its box is a dot, not a letter: a list's bullet, a
# filled mark (letters leave their counters and the room round their strokes).
SOLID_SHARE = 0.7
# Letters of a bold word, blurred, run together into one piece ("Emergency" of a defocused
# heading): a piece up to this many text heights wide and no taller than MAX_WORD_HEIGHT is a
# word of print, counted as a letter per text height of its width. A rule is thinner; a filled
# bar is solid (SOLID_SHARE).
MAX_WORD_WIDTH = 12.0
MAX_WORD_HEIGHT = 1.6
# A piece within this many text heights of a word's box belongs to that word (the word's box
# is tight round the ink tesseract read; antialiasing and a leaning letter reach past it).
WORD_MARGIN = 0.3
# Pieces closer than this many text heights across, and on one row, are letters of one run of
# words: a space is about half a height, widened by a colon or comma too small to count as a
# piece; a column gap (extraction.layout.COLUMN_GAP_HEIGHTS) is wider.
LETTER_REACH = 1.2
ROW_REACH = 0.2
# A run of at least this many pieces, this many text heights wide and at most this many tall,
# is print (one tick, a lone box or a stroke of a signature is not).
MIN_PIECES = 3
MIN_RUN_WIDTH = 1.5
MAX_RUN_HEIGHT = 3.0
# At most this many runs are returned (largest first): the caller only asks whether there are any,
# and a reader of them would want the biggest.
MAX_RUNS = 24


def unread_runs(image: np.ndarray, words: Sequence[Word], text_height: float) -> list[Box]:
    """The boxes of rows of letter-sized ink on ``image`` (grey, print dark) that no box of
    ``words`` covers, largest first, at most ``MAX_RUNS``; none on a page without ink."""
    found = _loose_pieces(image, words, text_height)
    if found is None:
        return []
    labels, stats, loose_indices = found
    loose = pixels_of(labels, stats, loose_indices).view(np.uint8) * np.uint8(255)
    if not loose.any():
        return []
    reach = cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(3, round(LETTER_REACH * text_height)), max(1, round(ROW_REACH * text_height)))
    )
    rows = cv2.dilate(loose, reach)
    # Only the rows' boxes and each row's own pixels are needed: outlines and a labelling of
    # each box cost a fraction of labelling the page.
    boxes, starts = part_boxes(rows)
    runs = []
    for (x, y, width, height), start in zip(boxes.tolist(), starts, strict=True):
        if width < MIN_RUN_WIDTH * text_height or height > MAX_RUN_HEIGHT * text_height:
            continue
        window = (slice(y, y + height), slice(x, x + width))
        row = own_pixels(rows[window], start - (x, y))
        pieces, _, piece_stats, _ = components(np.where(row, loose[window], 0).astype(np.uint8))
        if sum(_letters(piece_stats[piece][2], text_height) for piece in range(1, pieces)) >= MIN_PIECES:
            runs.append(((-width * height, labelling_order(x, y, row)), (x, y, x + width, y + height)))
    # Largest first; rows as large as each other in the order the page's labelling numbered them.
    return [box for _, box in sorted(runs)[:MAX_RUNS]]


def _letter_sized(
    width: np.ndarray,
    height: np.ndarray,
    ink: np.ndarray,
    text_height: float,
    tallest: float = MAX_PIECE_HEIGHT,
) -> np.ndarray:
    """Which pieces of ink (their widths, heights and ink pixels) are shaped like a letter (at
    most ``tallest`` text heights tall), joined handwriting or a word whose letters ran together
    (``MAX_WORD_WIDTH``)."""
    sized = (MIN_PIECE_HEIGHT * text_height <= height) & (height <= tallest * text_height)
    sized &= ink >= MIN_PIECE_INK * text_height * text_height
    word = (width <= MAX_WORD_WIDTH * text_height) & (height <= MAX_WORD_HEIGHT * text_height)
    word &= ink < SOLID_SHARE * width.astype(np.float64) * height
    return sized & ((width <= MAX_PIECE_WIDTH * text_height) | word)


def _letters(width: int, text_height: float) -> int:
    """How many letters a piece this wide counts for: one, or one per text height of a word
    whose letters ran together."""
    return 1 if width <= MAX_PIECE_WIDTH * text_height else int(width // text_height)


def _covered(shape: tuple[int, ...], words: Sequence[Word], margin: int) -> np.ndarray:
    """A mask of the page: 1 within ``margin`` pixels of a word's box."""
    covered = np.zeros(shape, np.uint8)
    for word in words:
        x0, y0, x1, y1 = word.box
        covered[max(0, y0 - margin) : y1 + margin, max(0, x0 - margin) : x1 + margin] = 1
    return covered


# The kinds of field whose value is words as read: a word of theirs left unread leaves the value
# whole-looking ("stings" of "Bee stings"). Values of a checked shape (dates, phones) are not.
WORD_KINDS = ("text", "person")
# Print left unread within this many text heights of a value's box, on its rows, may be a word of
# it: a space between words is about half a height.
BESIDE_REACH = 1.2
# Print left unread with its middle within this many text heights under a value's last line is
# the value's next line (lines of a list stand about one and a half heights apart), when it is
# at least this many text heights wide: a word (its letters maybe run together by a blur), not a
# tick or a stray mark.
UNDER_REACH = 1.8
MIN_UNDER_WIDTH = 1.5
# A word holds a capital or a letter with an ascender at least this many text heights tall; a
# list's bullet or asterisk before a value is no taller than a small letter.
WORD_PIECE_HEIGHT = 0.65
# A written letter with a tail ("g", "y") is up to this many text heights tall: the print's
# height is set by the page's typed words, and a hand writes larger.
HANDWRITTEN_LETTER_HEIGHT = 3.0
# A piece stands on a value's rows when its middle does or when it reaches this many text heights
# into them: a "g" or "y" hangs most of its ink below the line it belongs to.
ROW_SHARE_HEIGHTS = 0.5
# A word's box taller than this many text heights took in ink of another line (tesseract joined
# the end of one line and the next into one word): it says nothing of where its letters are, and
# the ink under it may be a value's unread word.
MAX_COVERING_HEIGHT = 3.0


def flag_unread_words(
    kinds: dict[str, str],
    fields: dict[str, FieldResult],
    images: list[np.ndarray],
    pages: list[PageText],
    marks: Sequence[Sequence[Box]] = (),
    lists: Set[str] = frozenset(),
) -> dict[str, FieldResult]:
    """``fields`` with every unflagged value of a word kind (``kinds``: field name to kind)
    flagged where letter-sized ink no word covers (``unread_pieces``: a letter, or a word whose
    letters a blur ran together) stands on its rows within BESIDE_REACH text heights of its
    box, left or right: a word of it OCR never read (the page pass dropped the line, and the
    sparse pass read only "stings" of "Bee stings"). Only a piece as tall as a capital and no
    taller than a letter of print shows a word (``_capital_sized``): a bullet or an asterisk
    before a value is none, nor is a stretch of a box's wall (a written letter's long tail only
    links the letters beside it); solid dots and the checkboxes in ``marks`` (each page's
    boxes) are not counted at all. A word whose box is taller than MAX_COVERING_HEIGHT text
    heights covers nothing (``_words_a_line_tall``). Each page is looked at once, and only when
    one of its values may be flagged. A value of several lines (a field named in ``lists``) is
    flagged too where such a word stands right under its last line, in its column: a line of
    it OCR never read ("Cats" under "Bee stings" on a blurred page)."""
    pieces_of: dict[int, tuple[float, list[Box]]] = {}
    for name, result in fields.items():
        if kinds.get(name) not in WORD_KINDS or result.needs_review or not result.value or result.box is None:
            continue
        if result.page not in pieces_of:
            page = pages[result.page]
            height = typical_height(page)
            boxes = marks[result.page] if result.page < len(marks) else ()
            pieces_of[result.page] = (
                height,
                [
                    piece
                    for piece in unread_pieces(images[result.page], _words_a_line_tall(page, height), height)
                    if not any(overlap_area(piece, box) > 0 for box in boxes)
                ],
            )
        height, pieces = pieces_of[result.page]
        if _word_beside(pieces, result.box, height):
            result.flag("print beside the value was not read: is a word of it missing?")
        elif name in lists and _word_under(pieces, result.box, height):
            result.flag("print right under the value was not read: is a line of it missing?")
    return fields


def _words_a_line_tall(page: PageText, height: float) -> list[Word]:
    """The words of ``page`` whose boxes are no taller than a line (``MAX_COVERING_HEIGHT``)."""
    return [word for word in page.words if word.box[3] - word.box[1] <= MAX_COVERING_HEIGHT * height]


def unread_pieces(image: np.ndarray, words: Sequence[Word], text_height: float) -> list[Box]:
    """The boxes of the letter-sized pieces of ink on ``image`` (grey, print dark) whose middle
    no box of ``words`` covers, solid dots left out (``SOLID_SHARE``), handwritten letters with a
    long tail counted (``HANDWRITTEN_LETTER_HEIGHT``); none on a page without ink."""
    found = _loose_pieces(image, words, text_height, HANDWRITTEN_LETTER_HEIGHT)
    if found is None:
        return []
    _labels, stats, loose_indices = found
    pieces = []
    for index in loose_indices:
        x, y, width, height, ink = stats[index]
        if ink < SOLID_SHARE * width * height:
            pieces.append((int(x), int(y), int(x + width), int(y + height)))
    return pieces


def _loose_pieces(
    image: np.ndarray, words: Sequence[Word], text_height: float, tallest: float = MAX_PIECE_HEIGHT
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The components of ``image``'s ink (their labels and stats) and the indices of those of a
    letter's size (``_letter_sized``, at most ``tallest`` text heights tall) whose middle no box
    of ``words`` covers; None on a page without ink."""
    threshold = ink_threshold(image)
    if threshold is None or text_height <= 0:
        return None
    _, labels, stats, centres = components(binary(image, threshold))
    covered = _covered(image.shape[:2], words, round(WORD_MARGIN * text_height))
    sized = _letter_sized(*(stats[1:, k] for k in (2, 3, 4)), text_height, tallest)
    middles = centres[1:].astype(np.int64)  # truncated, as int() truncates
    uncovered = covered[middles[:, 1], middles[:, 0]] == 0
    return labels, stats, np.flatnonzero(sized & uncovered) + 1


def _word_under(pieces: Sequence[Box], box: Box, height: float) -> bool:
    """True when a word's worth of ``pieces`` stands right under ``box``: their middles within
    UNDER_REACH text heights of its bottom, starting in its column (from a height left of it to
    its right edge), chained as ``_word_beside`` chains them from the leftmost, one of them as
    tall as a capital, the chain a word wide (``MIN_UNDER_WIDTH``)."""
    under = sorted(
        (
            p
            for p in pieces
            if box[3] < (p[1] + p[3]) / 2 <= box[3] + UNDER_REACH * height
            and box[0] - height <= p[0] <= box[2]
        ),
        key=lambda p: p[0],
    )
    if not under:
        return False
    chain, edge = [under[0]], under[0][2]
    for piece in under[1:]:
        if piece[0] - edge > BESIDE_REACH * height:
            break
        chain.append(piece)
        edge = max(edge, piece[2])
    wide = edge - chain[0][0] >= MIN_UNDER_WIDTH * height
    return wide and any(_capital_sized(p, height) for p in chain)


def _capital_sized(piece: Box, height: float) -> bool:
    """True for a piece as tall as a capital and no taller than a letter of print
    (``MAX_PIECE_HEIGHT``): it shows a word is there. A longer piece (a written "g"'s tail, a
    stretch of a box's wall or a rule's stub, as long) only links the letters beside it."""
    return WORD_PIECE_HEIGHT * height <= piece[3] - piece[1] <= MAX_PIECE_HEIGHT * height


def _on_rows(piece: Box, box: Box, height: float) -> bool:
    """True when ``piece`` stands on ``box``'s rows: its middle within them, or its ink reaching
    ROW_SHARE_HEIGHTS text heights into them (a letter hanging below the line)."""
    shared = min(piece[3], box[3]) - max(piece[1], box[1])
    return box[1] <= (piece[1] + piece[3]) / 2 <= box[3] or shared >= ROW_SHARE_HEIGHTS * height


def _word_beside(pieces: Sequence[Box], box: Box, height: float) -> bool:
    """True when a word's worth of ``pieces`` stands beside ``box`` on its rows (``_on_rows``):
    pieces reaching out past either edge of the box, chained outward, each within BESIDE_REACH
    heights of the last, one of them as tall as a capital (``_capital_sized``)."""
    reach = BESIDE_REACH * height
    row = [p for p in pieces if _on_rows(p, box, height)]
    left = sorted((p for p in row if p[0] < box[0]), key=lambda p: -p[2])
    right = sorted((p for p in row if p[2] > box[2]), key=lambda p: p[0])
    for side, edge in ((left, box[0]), (right, box[2])):
        chain: list[Box] = []
        for piece in side:
            gap = max(0, edge - piece[2] if side is left else piece[0] - edge)
            if gap > reach:
                break
            chain.append(piece)
            edge = min(edge, piece[0]) if side is left else max(edge, piece[2])
        if any(_capital_sized(p, height) for p in chain):
            return True
    return False
