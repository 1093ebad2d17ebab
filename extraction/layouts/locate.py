"""Finding a verified value on the page it was read from: by its spelling, line by line, or in
parts standing in boxes of their own (the surname before the given names; town, state and
postcode in cells). Learning takes each value's place from here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from extraction.layouts.rows import rows_of_lines
from extraction.types import Box, PageText, union_box

# A value found on the page by its spelling must be at least this close to the verified text.
LOCATE_SIMILARITY = 0.75
# The parts of one value stand within this many of their lines' heights of each other.
PART_REACH = 6
# What parts a value: a comma or semicolon, a new line, a space.
PART_SEPARATOR = re.compile(r"(\s*[,;]\s*|\s*\n\s*|\s+)")


@dataclass(frozen=True)
class Place:
    """Where a verified value sits: its page, the box of each of its lines, and all of them."""

    page: int
    lines: tuple[Box, ...]
    joints: tuple[str, ...] = ()
    """When the value stands in parts (``lines`` then holds each part's box): what comes
    between consecutive parts in the verified value."""

    @property
    def box(self) -> Box:
        box = union_box(list(self.lines))
        assert box is not None
        return box


def part_places(value: str, pages: Sequence[PageText]) -> Place | None:
    """Where the value stands in parts, each part a run of its words standing on one line of
    its own (the given name in one box and the surname in another, in either order; the town,
    state and postcode in three cells), each the run spelled best (the longer of two spelled
    alike) within ``PART_REACH`` of the parts found before it (the clinic's own town printed in
    its letterhead is no part of the patient's address); None when a part is found nowhere, or
    in two places."""
    pieces = PART_SEPARATOR.split(value.strip())
    words, separators = pieces[::2], pieces[1::2]
    boxes: list[Box] = []
    joints: list[str] = []
    page: int | None = None
    start = 0
    while start < len(words):
        runs = []
        for end in range(start + 1, len(words) + 1):
            if any("\n" in separators[k] for k in range(start, end - 1)):
                break  # a part never runs over two lines of the value
            search = pages if page is None else [pages[page]]
            near = _near_parts(boxes, search[0].width) if boxes else None
            found = _spelled_best(" ".join(words[start:end]), search, near, single_lines=True)
            if found is not None and not any(overlaps(found[2], box) for box in boxes):
                runs.append((round(found[0], 2), end, found[1], found[2]))
        if not runs:
            return None
        # The run spelled best, the longer of two spelled alike: "San Diego, CA" is found
        # fairly well in the cell "San Diego", but the state stands in a cell of its own.
        _ratio, end, page, box = max(runs)
        boxes.append(box)
        if start:
            joints.append(separators[start - 1])
        start = end
    return Place(page, tuple(boxes), tuple(joints)) if page is not None else None


def _near_parts(boxes: Sequence[Box], width: int) -> Box:
    """The band across the page within ``PART_REACH`` lines above and below the parts found."""
    box = union_box(list(boxes))
    assert box is not None
    reach = PART_REACH * min(b[3] - b[1] for b in boxes)
    return (0, round(box[1] - reach), width, round(box[3] + reach))


def locate_value(value: str, pages: Sequence[PageText]) -> tuple[int, Box] | None:
    """The page and box of the words spelling ``value`` (each of its lines), or None."""
    found = locate_lines(value, pages)
    if found is None:
        return None
    box = union_box(found[1])
    return (found[0], box) if box is not None else None


def locate_lines(
    value: str, pages: Sequence[PageText], within: tuple[int, Box] | None = None
) -> tuple[int, list[Box]] | None:
    """The page and the box of each line of ``value`` found by its spelling (inside ``within``
    when given), or None when no line is found."""
    boxes: list[Box] = []
    page_found: int | None = within[0] if within else None
    for text in (line for line in value.splitlines() if line.strip()):
        search = pages if page_found is None else [pages[page_found]]
        best = _best_window(text, search, within[1] if within else None)
        if best is None:
            continue
        page_found, box = best
        boxes.append(box)
    return (page_found, boxes) if boxes and page_found is not None else None


def _best_window(
    text: str, pages: Sequence[PageText], within: Box | None = None, *, single_lines: bool = False
) -> tuple[int, Box] | None:
    """The page and box of the words spelling ``text`` best (see ``_spelled_best``)."""
    found = _spelled_best(text, pages, within, single_lines=single_lines)
    return (found[1], found[2]) if found is not None else None


def _spelled_best(
    text: str, pages: Sequence[PageText], within: Box | None = None, *, single_lines: bool = False
) -> tuple[float, int, Box] | None:
    """How well, on which page and where the words spelling ``text`` best stand (the share of
    its letters and digits read alike); None when nothing spells it, or when two places spell
    it equally well and ``within`` does not say which: a short value (a refill count "2", a
    date signed twice) may also stand elsewhere on the page, and learning the wrong place would
    read another field there on every copy. The cells of a table row are one row, unless
    ``single_lines``."""
    target = spelling_with_digits(text)
    size = len(text.split())
    found: list[tuple[float, int, Box]] = []
    for page in pages:
        # The cells of a table row are one row: a medicine and its dose in two columns is found whole.
        rows = (
            [line.words for line in page.lines]
            if single_lines
            else rows_of_lines((line.words, line.box) for line in page.lines)
        )
        for words in rows:
            if within is not None and not overlaps(union_box([w.box for w in words]) or words[0].box, within):
                continue
            for length in range(max(1, size - 1), size + 2):
                for start in range(0, max(0, len(words) - length) + 1):
                    window = words[start : start + length]
                    if not window:
                        continue
                    read = spelling_with_digits(" ".join(w.text for w in window))
                    ratio = SequenceMatcher(None, target, read).ratio()
                    if ratio >= LOCATE_SIMILARITY:
                        found.append((ratio, page.index, union_box([w.box for w in window]) or window[0].box))
    if not found:
        return None
    ratio, page_index, box = max(found, key=lambda f: f[0])
    elsewhere = any(
        other >= ratio and (page != page_index or not overlaps(place, box)) for other, page, place in found
    )
    if elsewhere and within is None:
        return None
    return ratio, page_index, box


def spelling_with_digits(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def overlaps(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
