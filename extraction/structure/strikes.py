"""Options struck out: where a form says "delete as applicable", a question printed with its
options ("Yes / No", "Immune / Not immune") is answered by striking through the options that do
not apply. The option left standing is the answer, reported as a selected mark of shape "kept"
whose option is its words.

A stroke through a word is told from the word's own print by its length: one row of ink through
the word's middle from its first letter to its last, which letters do not make (a letter's bar
stops at its own edge, and the next letter stands apart), and which stops near the word (a rule
the word stands on runs on far past it). A letter's bar ("t", "H") spans that letter, so a short
word counts as struck only when the stroke runs on past it; and a group is answered only when
every option is plainly struck or plainly standing and the standing words are one run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from extraction.structure.types import SelectionMark
from extraction.types import Box, Word, rows_left_to_right, union_box

# The rows of a word's box (as shares of its height from the top) a strike passes through.
STRIKE_BAND = (0.25, 0.85)
# A struck option's stroke covers this share of its width or more; a standing one's at most
# the second: between the two, a group says nothing.
STRUCK_SHARE = 0.7
STANDING_SHARE = 0.45
# A word narrower than this many text heights is struck only by a stroke running on past it by
# the second at least.
SHORT_WORD = 1.3
OVERRUN = 0.15
# A stroke running on this many text heights past either end of a word is a rule, not a strike.
RULE_OVERRUN = 1.0
# Gaps in a stroke (a pen skipping, a scan's speckle) closed, in text heights; and how far up or
# down a stroke may step along its length, in text heights.
STROKE_GAP = 0.12
STROKE_SLOPE = 0.1
# An option stands at most this many text heights after the slash before it; the words of one
# option ("Not immune") at most the second apart, and at most this many words long.
OPTION_GAP = 2.0
WORD_GAP = 0.7
OPTION_WORDS = 3
# How sure an answer left standing is: a stroke is a plain mark, but a word may be misread.
KEPT_CONFIDENCE = 0.85
SLASHES = "/|"


@dataclass(frozen=True)
class Piece:
    """A word, or a part of one between slashes ("Yes/No" read as one word); ``text`` "" for
    the slash itself."""

    text: str
    box: Box


def kept_marks(ink: np.ndarray, words: Sequence[Word], height: float) -> tuple[SelectionMark, ...]:
    """A selected mark for each group of options split by slashes in which some options are
    struck through and the rest, one run of words, stand: those words are its option. ``ink``
    is the page's ink mask (255 on 0)."""
    if ink.size == 0 or not words:
        return ()
    closed = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, np.ones((1, max(2, round(STROKE_GAP * height))), np.uint8)
    )
    # A stroke on a page left a little skewed steps from one row of pixels to the next.
    closed = cv2.dilate(closed, np.ones((max(3, round(STROKE_SLOPE * height)), 1), np.uint8))
    marks = []
    for group in option_groups(words, height):
        calls = [_struck(closed, piece.box, height) for piece in group]
        if None in calls or all(calls) or not any(calls):
            continue  # an option neither plainly struck nor plainly standing, or no choice made
        standing = [index for index, is_struck in enumerate(calls) if not is_struck]
        if standing != list(range(standing[0], standing[-1] + 1)):
            continue  # two options left standing apart: no one answer
        kept = [group[index] for index in standing]
        box = union_box([piece.box for piece in kept])
        option = " / ".join(piece.text for piece in kept)
        marks.append(SelectionMark(box, "kept", True, option, box, KEPT_CONFIDENCE))
    return tuple(marks)


def _struck(ink: np.ndarray, box: Box, height: float) -> bool | None:
    """True when a stroke runs through the word in ``box``, False when plainly none does, None
    when it cannot be told: a stroke half across it, or across a short word ("it", "No") that
    it does not run past (the bar of a "t" or an "H" spans its letter)."""
    share, overrun = strike_share(ink, box, height)
    if share <= STANDING_SHARE:
        return False
    if share < STRUCK_SHARE:
        return None
    if box[2] - box[0] < SHORT_WORD * height and overrun < OVERRUN * height:
        return None
    return True


def strike_share(ink: np.ndarray, box: Box, height: float) -> tuple[float, int]:
    """The longest row of ink through the middle band of ``box`` as a share of its width
    (clipped to the box), and how many pixels that row runs on past the box on its longer side.
    A row running on far past either end is a rule, not counted."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return 0.0, 0
    reach = round(RULE_OVERRUN * height)
    left, right = max(0, x0 - reach), min(ink.shape[1], x1 + reach)
    top = y0 + round(STRIKE_BAND[0] * (y1 - y0))
    bottom = max(top + 1, y0 + round(STRIKE_BAND[1] * (y1 - y0)))
    best, best_overrun = 0.0, 0
    for row in ink[top:bottom, left:right] > 0:
        for start, end in _runs(row):
            start, end = start + left, end + left
            if x0 - start >= reach or end - x1 >= reach:
                continue  # running on far past the word: a rule it stands on or by
            share = (min(end, x1) - max(start, x0)) / (x1 - x0)
            if share > best:
                best, best_overrun = share, max(0, x0 - start, end - x1)
    return best, best_overrun


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    """The (start, end) of each run of True in ``row``, end exclusive."""
    padded = np.concatenate(([False], row, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def option_groups(words: Sequence[Word], height: float) -> list[list[Piece]]:
    """The runs of two or more options printed in words on one text line, split by slashes
    ("Yes / No", "Had it / immune / Not immune"). An option is the words between two slashes
    (up to ``OPTION_WORDS``, each close to the last); the first reaches back from its slash to
    a wide gap or to the question's "?" or ":"."""
    groups = []
    # Rows, not OCR's lines: the structure is found before lines are trusted.
    for row in rows_left_to_right(words):
        pieces = [piece for word in row for piece in _pieces(word)]
        groups += _groups_of_line(pieces, height)
    return [group for group in groups if all(_wordlike(option.text) for option in group)]


def _groups_of_line(pieces: list[Piece], height: float) -> list[list[Piece]]:
    groups: list[list[list[Piece]]] = []
    group: list[list[Piece]] = []
    for index, piece in enumerate(pieces):
        if piece.text:
            continue
        # A slash: the option before it, then the one after it.
        before = _words_before(pieces, index, height) if not group else group[-1]
        after = _words_after(pieces, index, height)
        if not before or not after:
            if len(group) >= 2:
                groups.append(group)
            group = []
            continue
        group = group or [before]
        group.append(after)
    if len(group) >= 2:
        groups.append(group)
    return [
        [Piece(" ".join(p.text for p in option), union_box([p.box for p in option])) for option in g]
        for g in groups
    ]


def _words_before(pieces: list[Piece], slash: int, height: float) -> list[Piece]:
    """The words of the option before the slash at ``slash``."""
    taken: list[Piece] = []
    for piece in reversed(pieces[:slash]):
        if not piece.text or len(taken) == OPTION_WORDS:
            break
        if taken and (taken[0].box[0] - piece.box[2] > WORD_GAP * height or piece.text.endswith(("?", ":"))):
            break
        taken.insert(0, piece)
    return taken


def _words_after(pieces: list[Piece], slash: int, height: float) -> list[Piece]:
    """The words of the option after the slash at ``slash``, up to the next slash."""
    taken: list[Piece] = []
    edge = pieces[slash].box[2] if slash + 1 < len(pieces) else 0
    for piece in pieces[slash + 1 :]:
        if not piece.text or len(taken) == OPTION_WORDS:
            break
        gap = piece.box[0] - (taken[-1].box[2] if taken else edge)
        if gap > (WORD_GAP if taken else OPTION_GAP) * height:
            break
        taken.append(piece)
    return taken


def _wordlike(text: str) -> bool:
    """An option is printed in words: letters, no digits ("P/0992/01" is a number)."""
    return any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text)


def _pieces(word: Word) -> list[Piece]:
    """A word cut at its slashes, each part's box its share of the word's width by characters,
    and a piece with no text for each slash (its box the slash's share)."""
    text = word.text
    if not any(ch in SLASHES for ch in text):
        return [Piece(text, word.box)]
    x0, y0, x1, y1 = word.box
    per_char = (x1 - x0) / max(1, len(text))
    pieces, start = [], 0
    for index, ch in enumerate([*text, "/"]):
        if ch not in SLASHES:
            continue
        if text[start:index].strip():
            pieces.append(
                Piece(text[start:index], (round(x0 + start * per_char), y0, round(x0 + index * per_char), y1))
            )
        if index < len(text):
            pieces.append(
                Piece("", (round(x0 + index * per_char), y0, round(x0 + (index + 1) * per_char), y1))
            )
        start = index + 1
    return pieces
