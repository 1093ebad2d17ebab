"""The separators between a phone number's characters as the page shows them.

OCR splits and joins a number's words by the gaps it sees, and drops a thin dash now and then:
"(474) -344-4032" for "(474)-344-4032", "031551 4944" for "031 551 4944", "(877) 941 0451"
for "(877) 941-0451". The digits are right, so no check of the value's shape notices. The page
still shows where the writer put dashes and spaces: each character of a printed number is a
piece of ink of about the digits' height, a dash a short flat piece at their middle, a space a
gap wider than letters keep. Two readings of the page are held against the value: the gaps
between the words OCR read (a dash between two words that neither holds; a gap read as a space
no wider than one read inside a word), and, where the pieces of ink can be matched one to one
with the value's characters, the separator between each two. A difference flags the value.
Where neither can tell (digits touching on a fax, handwriting spaced unevenly), nothing is said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np

from extraction.structure.ink import components
from extraction.types import Box, FieldResult, PageText, Word, on_one_row, union_box

# A character's ink is at least this share of the tallest pieces' height (a digit, a
# parenthesis, a plus sign's upright)...
GLYPH_SHARE = 0.55
# ... a dash at most this share high, at least this share wide, lying between these shares of
# the digits' height from their top (an underline or a baseline dot lies lower).
DASH_HEIGHT = 0.3
DASH_WIDTH = 0.18
DASH_BAND = (0.25, 0.8)
# Between two characters, a gap under this share of the digits' height holds no space; one over
# this share holds one (a typed space is about half the height; letters keep a fifth or less).
NO_SPACE = 0.22
SPACE = 0.5
# ... and a space is also wider than this many times the number's usual gap.
WIDER_THAN_USUAL = 2.5
# A character wider than this share of the digits' height is two run together (a dash touching
# a digit): the pieces cannot be matched to the value's characters.
MAX_WIDTH = 0.8
# A piece of ink smaller than this share of the digits' height both ways is a speck.
SPECK = 0.15
# A crop whose darkest and lightest pixels differ less than this holds no print.
MIN_CONTRAST = 40
# Characters a printed phone number is written with that stand as pieces of their own.
_GLYPHS = frozenset("0123456789()+")
_SEPARATORS = frozenset(" -.")


@dataclass(frozen=True)
class _Piece:
    x0: int
    y0: int
    x1: int
    y1: int


@dataclass(frozen=True)
class _Gap:
    """What lies between two characters: a mark ("-", "" for none, None when it cannot be told),
    and whether a space is before it and after it (no mark: one space, before)."""

    mark: str | None
    space_before: bool | None
    space_after: bool | None = None


def separators_differ(image: np.ndarray, words: Sequence[Word], value: str) -> str | None:
    """A sentence naming how the page's separators differ from ``value``'s, for a phone number
    whose ``words`` (one row) OCR read on the gray page ``image``; None when they agree or
    cannot be told. Two ways of seeing are tried: the gaps between the words OCR read (a
    space read between words that touch, a dash between words that was not read), then the
    gaps between the characters' pieces of ink where they match the value's one to one."""
    if not value or not words or any(c not in _GLYPHS and c not in _SEPARATORS for c in value):
        return None
    row = sorted(words, key=lambda w: w.box[0])
    around = union_box([w.box for w in row])
    assert around is not None
    pieces = _joined_over_each_other(_pieces(image, around))
    glyphs, dashes, height = _glyphs_and_dashes(pieces)
    if height == 0:
        return None
    return _between_words(row, value, pieces, height) or _between_characters(glyphs, dashes, height, value)


def _between_words(row: list[Word], value: str, pieces: list[_Piece], height: int) -> str | None:
    """Where the value's parts are the words OCR read: a dash between two words that neither
    word nor the value holds, or spacing read unevenly (a gap read as a space no wider than
    one OCR read inside a word: one of the two readings of the page's spacing is wrong)."""
    parts = value.split()
    if len(parts) != len(row) or len(row) < 2:
        return None
    for (left, right), (first, second) in zip(pairwise(row), pairwise(parts), strict=True):
        dashed = any(_is_dash_between(piece, left.box[2], right.box[0], height) for piece in pieces)
        if dashed and not first.endswith("-") and not second.startswith("-"):
            return f"a dash on the page was not read between {first!r} and {second!r}"
    spaces = [right.box[0] - left.box[2] for left, right in pairwise(row)]
    inside = [gap for word in row for gap in _gaps_inside(word, pieces, height)]
    if inside and min(spaces) <= max(inside):
        return "a gap read as a space is no wider than one read inside a word: check the spaces"
    return None


def _gaps_inside(word: Word, pieces: list[_Piece], height: int) -> list[int]:
    """The gaps between the pieces of ink inside ``word``'s box, specks left out."""
    x0, y0, x1, y1 = word.box
    inside = sorted(
        (
            p
            for p in pieces
            if x0 <= (p.x0 + p.x1) / 2 <= x1
            and y0 <= (p.y0 + p.y1) / 2 <= y1
            and max(p.x1 - p.x0, p.y1 - p.y0) >= SPECK * height
        ),
        key=lambda p: p.x0,
    )
    return [right.x0 - left.x1 for left, right in pairwise(inside)]


def _between_characters(glyphs: list[_Piece], dashes: list[_Piece], height: int, value: str) -> str | None:
    """The first separator between two characters that differs from the value's, where the
    pieces of ink match the value's characters one to one and none is two run together."""
    characters = [c for c in value if c in _GLYPHS]
    if len(glyphs) != len(characters) or any(g.x1 - g.x0 > MAX_WIDTH * height for g in glyphs):
        return None
    gaps = [right.x0 - left.x1 for left, right in pairwise(glyphs)]
    usual = float(np.median(gaps)) if gaps else 0.0
    for index, (left, right) in enumerate(pairwise(glyphs)):
        written = _written_gap(value, index)
        if written is None:
            continue
        problem = _difference(written, _seen_gap(left, right, dashes, height, usual))
        if problem:
            return f"{problem} between {characters[index]!r} and {characters[index + 1]!r}"
    return None


def _pieces(image: np.ndarray, box: Box) -> list[_Piece]:
    """The pieces of ink in ``box`` and a little round it, in the page's coordinates."""
    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 4)
    left, top = max(0, x0 - pad), max(0, y0 - pad)
    crop = image[top : y1 + pad, left : x1 + pad]
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    if crop.size == 0 or int(crop.max()) - int(crop.min()) < MIN_CONTRAST:
        return []
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, _labels, stats, _ = components(ink)
    return [
        _Piece(int(x) + left, int(y) + top, int(x + w) + left, int(y + h) + top)
        for x, y, w, h, _area in stats[1:count]
    ]


def _glyphs_and_dashes(pieces: list[_Piece]) -> tuple[list[_Piece], list[_Piece], int]:
    """The pieces that are characters, those that are dashes, left to right, and the
    characters' usual height."""
    if not pieces:
        return [], [], 0
    tallest = sorted((p.y1 - p.y0 for p in pieces), reverse=True)
    top = tallest[min(2, len(tallest) - 1)]
    glyphs = [p for p in pieces if p.y1 - p.y0 >= GLYPH_SHARE * top]
    if not glyphs:
        return [], [], 0
    height = int(np.median([g.y1 - g.y0 for g in glyphs]))
    band_top = int(np.median([g.y0 for g in glyphs]))
    dashes = sorted(
        (p for p in pieces if _is_dash(p, height, band_top)),
        key=lambda p: p.x0,
    )
    return glyphs, dashes, height


def _joined_over_each_other(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces, those over each other made one (a digit's stroke broken by a fax)."""
    joined: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: p.x0):
        last = joined[-1] if joined else None
        overlap = min(last.x1, piece.x1) - piece.x0 if last is not None else 0
        if last is not None and overlap > 0.5 * min(last.x1 - last.x0, piece.x1 - piece.x0):
            joined[-1] = _Piece(
                last.x0, min(last.y0, piece.y0), max(last.x1, piece.x1), max(last.y1, piece.y1)
            )
        else:
            joined.append(piece)
    return joined


def _dash_sized(piece: _Piece, height: int) -> bool:
    """A flat piece wider than high, of a dash's size beside characters ``height`` high."""
    width, depth = piece.x1 - piece.x0, piece.y1 - piece.y0
    return depth <= DASH_HEIGHT * height and width >= DASH_WIDTH * height and width > depth


def _is_dash_between(piece: _Piece, left: int, right: int, height: int) -> bool:
    """A piece of a dash's size lying between ``left`` and ``right``."""
    return piece.x0 >= left - 1 and piece.x1 <= right + 1 and _dash_sized(piece, height)


def _is_dash(piece: _Piece, height: int, band_top: int) -> bool:
    """A piece of a dash's size at the characters' middle (``band_top``: their top)."""
    middle = (piece.y0 + piece.y1) / 2 - band_top
    return _dash_sized(piece, height) and DASH_BAND[0] * height <= middle <= DASH_BAND[1] * height


def _written_gap(value: str, index: int) -> _Gap | None:
    """What ``value`` writes between its ``index``-th character and the next; None for a full
    stop, a mark too small to tell from a speck."""
    at = [i for i, c in enumerate(value) if c in _GLYPHS]
    between = value[at[index] + 1 : at[index + 1]]
    if "." in between:
        return None
    mark = "-" if "-" in between else ""
    if not mark:
        return _Gap("", " " in between)
    before, _, after = between.partition("-")
    return _Gap("-", " " in before, " " in after)


def _seen_gap(left: _Piece, right: _Piece, dashes: list[_Piece], height: int, usual: float) -> _Gap:
    """What the page shows between two characters: a dash between them, or none where they
    stand too close for one (a faint dash may be lost to the scan: room for one says nothing),
    or too close to call (mark None); and each gap as a space (True), no space (False) or too
    close to call (None). ``usual`` is the number's median gap between characters: handwriting
    spaced widely throughout shows no space by a wide gap alone."""
    dash = next((d for d in dashes if d.x0 >= left.x1 - 1 and d.x1 <= right.x0 + 1), None)
    gap = right.x0 - left.x1
    if dash is None:
        return _Gap("" if gap < NO_SPACE * height else None, _spaced(gap, height, usual))
    return _Gap("-", _spaced(dash.x0 - left.x1, height, usual), _spaced(right.x0 - dash.x1, height, usual))


def _spaced(gap: int, height: int, usual: float) -> bool | None:
    if gap < NO_SPACE * height:
        return False
    if gap > SPACE * height and gap > WIDER_THAN_USUAL * usual:
        return True
    return None


def _difference(written: _Gap, seen: _Gap) -> str | None:
    if seen.mark and not written.mark:
        return "a dash on the page was not read"
    if written.mark and seen.mark == "":
        return "a dash was read where the page shows none"
    if seen.mark is None and written.mark:
        return None  # the value's spaces are around a dash the page's gap cannot place
    for wrote, saw in ((written.space_before, seen.space_before), (written.space_after, seen.space_after)):
        if saw is None or wrote is None or wrote == saw:
            continue
        return "a space was read where the page shows none" if wrote else "a space on the page was not read"
    return None


def flag_phone_separators(
    kinds: dict[str, str], fields: dict[str, FieldResult], images: list[np.ndarray], pages: list[PageText]
) -> dict[str, FieldResult]:
    """``fields`` with every unflagged phone number (``kinds``: field name to kind) flagged
    where the page's separators differ from its value's; returns the dict."""
    for name, result in fields.items():
        if kinds.get(name) != "phone" or result.needs_review or not result.value or result.box is None:
            continue
        words = pages[result.page].words_in(result.box)
        if not words or not all(on_one_row(word.box, words[0].box) for word in words):
            continue
        problem = separators_differ(images[result.page], words, result.value)
        if problem:
            result.flag(f"{problem}: check the number as written")
    return fields
