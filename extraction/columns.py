"""Label columns: forms that print their labels down the left and the values in a column of
their own, far to the right ("PATIENT ........ Megan Gray").

Such a form shows itself by its keys: two or more labels alone on their line, their left edges
aligned, each with a line level with it to its right, those lines' left edges aligned too. The
value column's edge tells how far a value may sit from its label, however wide the gap; and a
line in the label column whose row reaches the same value edge is a label too, even one of no
wording we know ("HOSPITAL NO"), so it is never read as the value of the label above it.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from extraction.keys import KEY_MIN_SCORE, Key
from extraction.label_shapes import MAX_UNKNOWN_KEY_WORDS
from extraction.phrases import whole_phrase_score
from extraction.types import Box, Line, PageText, Word, on_one_row

# Left edges this many line heights apart are one column's.
ALIGN_HEIGHTS = 0.6
# A label column runs one of its rows (the median pitch of its labels, at most MAX_PITCH_HEIGHTS
# line heights: two labels a page apart say nothing of a row's height) and this many line heights
# more past its first and last label: a value of two lines sets the next label a line further
# down than the column's pitch.
REACH_HEIGHTS = 1.5
MAX_PITCH_HEIGHTS = 3.0
# A column needs this many labels with a value at its value edge to count.
MIN_ROWS = 2
# A label and its value at the value edge stand at least this many line heights apart.
SPACE_HEIGHTS = 0.3
# A line that reads this well as a known label, whole, is never cut at a value edge.
WHOLE_LABEL_SCORE = 0.95
# A value hangs under its label (or under its own line above) when its top is at most this many
# line heights under it, its left edge at most HANG_ALIGN_HEIGHTS from the one above's.
HANG_GAP_HEIGHTS = 1.5
HANG_ALIGN_HEIGHTS = 1.5

T = TypeVar("T")


@dataclass(frozen=True)
class LabelColumn:
    """A column of labels at ``label_x`` whose values start at ``value_x``, rows ``top``..``bottom``."""

    label_x: int
    value_x: int
    top: int
    bottom: int
    pitch: float = 0.0
    """The median distance from one of its labels to the next."""

    def holds(self, box: Box, height: float) -> bool:
        """True when ``box`` starts in this column's label edge and within its rows."""
        reach = min(self.pitch, MAX_PITCH_HEIGHTS * height) + REACH_HEIGHTS * height
        return abs(box[0] - self.label_x) <= ALIGN_HEIGHTS * height and (
            self.top - reach <= box[1] <= self.bottom + reach
        )

    def starts_value(self, box: Box, height: float) -> bool:
        return abs(box[0] - self.value_x) <= ALIGN_HEIGHTS * height


def find_label_columns(page: PageText, keys: Sequence[Key], height: float) -> list[LabelColumn]:
    """The page's label columns (see the module's docstring), left to right."""
    key_lines = {id(k.line) for k in keys}
    pairs = []
    for key in keys:
        if key.whole_line:
            neighbour = row_neighbour(key.line, page, key_lines)
            if neighbour is not None and not hangs_under_a_label(neighbour, page, key_lines, height):
                pairs.append((key.box, neighbour.box))
    columns = []
    for group in _aligned(pairs, height, lambda pair: pair[0][0]):
        for rows in _aligned(group, height, lambda pair: pair[1][0]):
            if len(rows) >= MIN_ROWS:
                tops = sorted(p[0][1] for p in rows)
                columns.append(
                    LabelColumn(
                        label_x=round(statistics.median(p[0][0] for p in rows)),
                        value_x=round(statistics.median(p[1][0] for p in rows)),
                        top=min(p[0][1] for p in rows),
                        bottom=max(p[0][3] for p in rows),
                        pitch=statistics.median(b - a for a, b in itertools.pairwise(tops)),
                    )
                )
    return sorted(columns, key=lambda c: c.label_x)


def column_keys(
    page: PageText, keys: Sequence[Key], columns: Sequence[LabelColumn], height: float
) -> list[Key]:
    """Lines of no known wording that stand in a label column with a value at its value edge:
    short, without digits, set where the column's labels are. Each such label carries the
    column on (its rows reach past it), so a run of them below the last known label ("WARD"
    under "ADDR") is found whole and none is read as the value of the label above it."""
    key_lines = {id(k.line) for k in keys}
    found: list[Key] = []
    columns = list(columns)
    while True:
        more = []
        for line in page.lines:
            if id(line) in key_lines or not _label_shaped(line):
                continue
            at = next((i for i, c in enumerate(columns) if c.holds(line.box, height)), None)
            if at is None:
                continue
            neighbour = row_neighbour(line, page, key_lines)
            if neighbour is not None and columns[at].starts_value(neighbour.box, height):
                more.append(Key(page.index, line, len(line.words), colon=False, known=False))
                key_lines.add(id(line))
                column = columns[at]
                columns[at] = replace(
                    column, top=min(column.top, line.box[1]), bottom=max(column.bottom, line.box[3])
                )
        if not more:
            return found
        found += more


def row_neighbour(line: Line, page: PageText, skip: set[int]) -> Line | None:
    """The nearest line level with ``line`` to its right, unless it is one of ``skip``."""
    right = [
        other
        for other in page.lines
        if other is not line and other.box[0] >= line.box[2] - 2 and on_one_row(other.box, line.box)
    ]
    nearest = min(right, key=lambda other: other.box[0], default=None)
    return None if nearest is None or id(nearest) in skip else nearest


def hangs_under_a_label(line: Line, page: PageText, key_lines: set[int], height: float) -> bool:
    """True when ``line`` is the value of a label over it: right under a label (``key_lines``
    holds their lines' ``id``), or under a line that is, each set flush under the one above.
    Panels side by side set one panel's values level with the next panel's labels ("Known
    allergies" over "Wheat, milk", level with "Mailing address" far to its left): such a line
    is no value of a label on its row."""
    current = line
    for _ in range(len(page.lines)):
        above = _line_right_over(current, page, height)
        if above is None:
            return False
        if id(above) in key_lines:
            return True
        current = above
    return False


def _line_right_over(line: Line, page: PageText, height: float) -> Line | None:
    """The nearest line over ``line``, overlapping it, its left edge near ``line``'s and its foot
    within ``HANG_GAP_HEIGHTS`` line heights of ``line``'s top; None if there is none."""
    over = [
        other
        for other in page.lines
        if other is not line
        and other.box[3] <= line.box[1] + 2
        and line.box[1] - other.box[3] <= HANG_GAP_HEIGHTS * height
        and abs(other.box[0] - line.box[0]) <= HANG_ALIGN_HEIGHTS * height
        and min(other.box[2], line.box[2]) > max(other.box[0], line.box[0])
    ]
    return max(over, key=lambda other: other.box[3], default=None)


def _label_shaped(line: Line) -> bool:
    text = line.text
    return (
        len(line.words) <= MAX_UNKNOWN_KEY_WORDS
        and not any(ch.isdigit() for ch in text)
        and text[:1].isupper()
    )


def _aligned(items: list[T], height: float, edge: Callable[[T], int]) -> list[list[T]]:
    """``items`` in runs whose ``edge`` values lie within ALIGN_HEIGHTS of the run's first."""
    runs: list[list[T]] = []
    for item in sorted(items, key=edge):
        if runs and edge(item) - edge(runs[-1][0]) <= ALIGN_HEIGHTS * height:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


# Marks that bind the words on either side of them into one phrase ("Insurance / Billing",
# "Town/ City", "Allergies & reactions"): no value starts right after one.
PHRASE_JOINERS = ("/", "&", "+")


def split_at_value_edges(
    page: PageText, columns: Sequence[LabelColumn], height: float, vocabulary: tuple[str, ...] = ()
) -> PageText:
    """``page`` with every line that starts in a label column and runs on into its value column
    cut in two there: OCR joins a label and its value across a wide gap into one line, or
    across a mere space where a long label ("STREET ADDRESS") fills its column. ``vocabulary``
    holds the labels known: a cut at a space needs the words before it to read as one."""
    lines: list[Line] = []
    for line in page.lines:
        column = next((c for c in columns if c.holds(line.box, height)), None)
        cut = _value_start(line, column, height, vocabulary) if column is not None else None
        lines += [Line(line.words[:cut]), Line(line.words[cut:])] if cut else [line]
    if len(lines) == len(page.lines):
        return page
    return replace(page, lines=tuple(lines))


def _value_start(line: Line, column: LabelColumn, height: float, vocabulary: tuple[str, ...]) -> int | None:
    """The index of the word of ``line`` that starts at the column's value edge after a gap: a
    wide one, or a space after words that read as a known label and no longer do with the
    word after them."""
    words = line.words
    if vocabulary and whole_phrase_score(line.text, vocabulary) >= WHOLE_LABEL_SCORE:
        # The line is a known label whole ("Have you had the Hepatitis Bvaccination?", a
        # space OCR lost widening the gap before the glued word): no value starts inside it.
        return None
    for index in range(1, len(words)):
        gap = words[index].box[0] - words[index - 1].box[2]
        if not column.starts_value(words[index].box, height) or gap < SPACE_HEIGHTS * height:
            continue
        if words[index - 1].text.endswith(PHRASE_JOINERS) or words[index].text.startswith(PHRASE_JOINERS):
            continue  # a slash binds the words round it: "Insurance / Billing" is one heading
        if gap >= height or _label_ends_at(words, index, vocabulary):
            return index
    return None


def _label_ends_at(words: tuple[Word, ...], index: int, vocabulary: tuple[str, ...]) -> bool:
    if not vocabulary:
        return False
    head = whole_phrase_score(" ".join(w.text for w in words[:index]), vocabulary)
    longer = whole_phrase_score(" ".join(w.text for w in words[: index + 1]), vocabulary)
    return head >= KEY_MIN_SCORE and head > longer
