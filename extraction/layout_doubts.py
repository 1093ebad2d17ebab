"""Doubts a value's place on its page leaves, beyond its own words: more printed beside a chosen
answer than the answer (a mark not read), a value run on from a label with no colon (a heading
read as a label and its value), a line further down that may belong to the value."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from extraction.assign import Assigned
from extraction.doctypes import FieldSpec
from extraction.layouts.rows import boxed_marks
from extraction.page_view import Candidate, PageView, is_glyph, is_noise
from extraction.types import Box, Word, mostly_inside, on_one_row, union_box

# A line set flush under a multi-line value, this many line heights below it at most, may be
# the value's next line spaced wider than the engine allows.
LEFT_UNDER_GAP = 2.5

# Print this many line heights or less after a text value on its row, that no label or other
# field claims, may be the rest of the value set apart by a wide gap.
ROW_GOES_ON_GAP = 3.0

# How far a row of print may still lean after deskewing (a photo's perspective), as a slope.
LEAN = 0.03

# Kinds of value whose own shape tells them from a label's words ("DOB 12/03/1980").
SHAPED_KINDS = ("date", "phone", "identifier", "integer")
# A value beside its label further than this many line heights from it may belong to another
# column of the form (a tilted photo lines rows up) when a line stands right under the label.
FAR_BESIDE_GAP = 2.0

# A word of this many letters or more, this many times as tall as wide, was read on its end.
ON_END_LETTERS = 4
ON_END_RATIO = 1.5

# The headers of a grid's answer columns ("Condition | Yes | No | Unsure").
ANSWER_HEADERS = frozenset({"yes", "no", "y", "n", "unsure", "unknown", "n/a"})

# A value closer than this many line heights to a label with no colon runs on from it as its
# words do ("INSURANCE BILLING"): a heading as likely as a label and its value.
RUN_ON_GAP = 0.8
# ... or than this many, when the value is set like its label (capitals, the same size): the gap
# a lost separator (" / ") leaves is about one line height.
SEPARATOR_GAP = 2.0
SAME_SIZE_SHARE = 0.15


def layout_doubts(
    spec: FieldSpec, chosen: Candidate | None, views: list[PageView], assigned: dict[str, Assigned]
) -> list[str]:
    """What the chosen value's place on its page leaves in doubt, beyond its own words."""
    if chosen is None or chosen.how == "checklist":
        return []  # a list of boxes reads every row of its own, its own way
    view = views[chosen.page]
    claimed = _claimed_by_others(chosen, assigned)
    doubts = []
    if _more_beside_the_answer(spec, chosen, view):
        doubts.append("more is printed beside the answer: a mark may not have been read")
    if _run_into_its_label(spec, chosen, view):
        doubts.append("read on from a label with no colon or gap: check where the label ends")
    if _line_left_under(spec, chosen, view, claimed):
        doubts.append("a line set under the value, further down, may belong to it")
    if _row_goes_on(spec, chosen, view, claimed):
        doubts.append("more is printed after the value on its row: check the value is whole")
    if _boxes_on_its_rows(spec, chosen, view):
        doubts.append("boxes to tick stand on the value's row: it may be a question asked, not the value")
    if _an_option_of_a_mark(chosen, view):
        doubts.append("printed beside a box or circle to tick: an option of the form, not a value")
    if _column_goes_on(chosen, view, claimed):
        doubts.append("the table's column goes on under the value: its other rows may belong to it")
    if _unclaimed_under_its_label(chosen, view, claimed):
        doubts.append("taken from far beside its label, while a line right under the label may be its value")
    if _read_on_end(chosen):
        doubts.append("its words were read standing on end (a turned part of the page): check their order")
    if _heading_over_its_label(chosen, view):
        doubts.append("taken from over its label, set as the label is: a heading? its value may be under it")
    if _under_a_header_of_answers(chosen, view):
        doubts.append("its label heads a column answered Yes / No: check which rows were answered Yes")
    return doubts


def _under_a_header_of_answers(chosen: Candidate, view: PageView) -> bool:
    """True for a value read under its label when the label's row goes on, right after it, with
    column headers that are answers ("Condition | Yes | No"): the lines under such a label are
    the questions of a grid, and which of them count is told by marks in the answer columns,
    not by the words."""
    if chosen.how not in ("below", "table") or not chosen.keys or not chosen.words:
        return False
    key = chosen.keys[0].box
    if min(w.box[1] for w in chosen.words) < key[3]:
        return False
    after = sorted(
        (
            w
            for line in view.page.lines
            for w in line.words
            if w.box[0] >= key[2] and _level_with(w.box, key, view.height)
        ),
        key=lambda w: w.box[0],
    )
    # The answers head the columns right after the label's ("Insurer ... Do you smoke? Yes No"
    # on one row is another question's answers).
    return len(after) >= 2 and all(w.text.strip(".,:;?").lower() in ANSWER_HEADERS for w in after[:2])


def _heading_over_its_label(chosen: Candidate, view: PageView) -> bool:
    """True for a value taken from the line over its label, on a page not read as printing
    labels under their values, that is set as a heading is: words of capitalised letters
    alone, as tall as the label's. A section's heading stands on its rule over the first
    label as a value written on its line stands over a caption; when the value under the
    label was not read, only its type tells the heading from a value."""
    if chosen.how != "above" or view.labels_under_values or not chosen.keys or not chosen.words:
        return False
    words = [w.text.strip(".,:;") for w in chosen.words]
    return all(w[:1].isupper() and w.isalpha() for w in words) and _as_tall(
        chosen.keys[0].words, chosen.words
    )


def _read_on_end(candidate: Candidate) -> bool:
    """True when most of the value's words of ``ON_END_LETTERS`` or more are taller than wide
    by ``ON_END_RATIO``: print running down the page, read as a line across it, in an order
    nothing vouches for. A word of four letters set upright is wider than tall."""
    long = [w for w in candidate.words if sum(ch.isalnum() for ch in w.text) >= ON_END_LETTERS]
    on_end = [w for w in long if w.box[3] - w.box[1] > ON_END_RATIO * (w.box[2] - w.box[0])]
    return bool(long) and 2 * len(on_end) > len(long)


def _more_beside_the_answer(spec: FieldSpec, candidate: Candidate, view: PageView) -> bool:
    """True when a choice answered in words beside its label is only part of what is printed
    on the label's row: the options of a question whose tick or circle was not read ("Immune
    Not immune  Not sure" with the ring round one lost), of which the word taken is merely the
    first. The row ends at the next label on it."""
    if spec.kind not in ("yesno", "immunity") or candidate.how != "beside" or not candidate.words:
        return False
    taken = set(candidate.words)
    value_box = union_box([w.box for w in taken])
    start = candidate.keys[0].box[2] if candidate.keys else value_box[0]
    for line in sorted(view.page.lines, key=lambda line: line.box[0]):
        if line.box[0] < start or not on_one_row(line.box, value_box):
            continue
        if view.is_key_line(line) and not taken & set(line.words):
            break
        if any(w not in taken and any(ch.isalnum() for ch in w.text) for w in line.words):
            return True
    return False


def _line_left_under(spec: FieldSpec, chosen: Candidate, view: PageView, claimed: set[Word]) -> bool:
    """True when a line of a multi-line value has, set flush under it, a line that no label,
    no other field and not the value itself claims: a list spaced wider than the value's gap
    allows (a double-spaced form), or an item wrapped onto a second line under a label printed
    again for each item, loses that line silently otherwise."""
    if spec.max_lines < 2 or not chosen.words or len(chosen.lines) >= spec.max_lines:
        return False
    own = set(chosen.words)
    return any(_orphan_under(list(line), own, claimed, view) for line in chosen.lines if line)


def _orphan_under(value_line: list[Word], own: set[Word], claimed: set[Word], view: PageView) -> bool:
    """True when the first line set flush under ``value_line`` is free print: not the value's
    own next line, no label's, no other field's."""
    left = min(w.box[0] for w in value_line)
    bottom = max(w.box[3] for w in value_line)
    height = view.height
    for line in sorted(view.page.lines, key=lambda line: line.box[1]):
        if line.box[1] <= bottom - 0.3 * height or abs(line.box[0] - left) > 0.6 * height:
            continue
        if line.box[1] - bottom > LEFT_UNDER_GAP * height:
            return False
        if is_glyph(line, height) or is_noise(line, height):
            continue
        # A line taken for a label only for standing in the form's column of labels (no colon,
        # no known wording: "Depression" under "Headaches" in a grid's first column) may be
        # the list's next item as well.
        key = view.key_on(line)
        labelled = key is not None and (key.known or key.colon)
        return not own & set(line.words) and not labelled and not claimed & set(line.words)
    return False


def _row_goes_on(spec: FieldSpec, chosen: Candidate, view: PageView, claimed: set[Word]) -> bool:
    """True when a line of a text value is followed on its row, a gap on, by print no label,
    no other field and not the value claims: the words of one line set apart by wide spaces
    ("Use 1 tablet   once daily   for 3 months") that OCR cut into pieces."""
    if spec.kind not in ("text", "person") or not chosen.words or chosen.how == "table":
        return False
    taken = claimed | set(chosen.words)
    height = view.height
    for value_line in (list(line) for line in chosen.lines if line):
        right = max(w.box[2] for w in value_line)
        row = union_box([w.box for w in value_line])
        for line in view.page.lines:
            gap = line.box[0] - right
            if not 0 <= gap <= ROW_GOES_ON_GAP * height or not on_one_row(line.box, row):
                continue
            if is_glyph(line, height) or is_noise(line, height) or view.is_key_line(line):
                continue
            if not taken & set(line.words) and any(ch.isalnum() for w in line.words for ch in w.text):
                return True
    return False


def _boxes_on_its_rows(spec: FieldSpec, chosen: Candidate, view: PageView) -> bool:
    """True when a line of a text value has boxes to tick after it on its row, with no other
    print between: such a line is a question or a condition of a list to tick ("Seizures  [ ] Y
    [x] N"), which the words alone do not answer. Boxes past another column's words on the row
    are that column's."""
    if spec.kind not in ("text", "person") or not chosen.words or view.structure is None:
        return False
    marks = boxed_marks(view.structure)
    words = view.page.words
    for line in (list(line) for line in chosen.lines if line):
        row = union_box([w.box for w in line])
        after = [m.box for m in marks if m.box[0] >= row[2] and _level_with(m.box, row, view.height)]
        # Print between the value and the nearest box stands between it and every box further on.
        if after and not _print_between(words, row, min(after), view.height):
            return True
    return False


def _an_option_of_a_mark(chosen: Candidate, view: PageView) -> bool:
    """True when the value's words are the option printed beside a checkbox or radio circle
    (right of it, on its row): the form's print, offered to be ticked, which an answer found by
    its marks reads, and no value read as text. An answer read from the marks is not asked."""
    if chosen.how == "option" or not chosen.words or view.structure is None:
        return False
    options = [m.option_box for m in boxed_marks(view.structure) if m.option_box is not None]
    return any(mostly_inside(w.box, option) for w in chosen.words for option in options)


def _print_between(words: Sequence[Word], row: Box, box: Box, height: float) -> bool:
    """True when a word stands level with ``row`` wholly between its end and ``box``."""
    return any(row[2] < w.box[0] and w.box[2] < box[0] and _level_with(w.box, row, height) for w in words)


def _unclaimed_under_its_label(chosen: Candidate, view: PageView, claimed: set[Word]) -> bool:
    """True for a value taken far right of a label alone on its line, when a line no label, no
    field and not the value claims stands right under the label: on a form whose labels stand
    over their values, that line is the value, and the far one another column's."""
    if chosen.how != "beside" or not chosen.keys or not chosen.words:
        return False
    key = chosen.keys[0]
    first = min(chosen.words, key=lambda w: w.box[0])
    if not key.whole_line or first.box[0] - key.box[2] <= FAR_BESIDE_GAP * view.height:
        return False
    taken = claimed | set(chosen.words)
    return any(
        0 <= line.box[1] - key.box[3] <= 0.5 * view.height
        and abs(line.box[0] - key.box[0]) <= view.height
        and not view.is_key_line(line)
        and not is_noise(line, view.height)
        and not taken & set(line.words)
        for line in view.page.lines
    )


def _column_goes_on(chosen: Candidate, view: PageView, claimed: set[Word]) -> bool:
    """True for a value read under a column's header cell in a ruled table when the column's
    cells further down hold print that no label, no field and not the value claims: the table's
    other rows (a list of medicines) read as one value's first line alone."""
    if chosen.how != "below" or not chosen.keys or not chosen.words or view.structure is None:
        return False
    header = view.structure.cell_at(chosen.keys[0].box)
    if header is None or any(mostly_inside(w.box, header.box) for w in chosen.words):
        return False  # a label in its box's corner, its value in the box: no column
    bottom = max(w.box[3] for w in chosen.words)
    width = header.box[2] - header.box[0]
    column = [
        cell.box
        for cell in view.structure.cells
        if cell.table == header.table
        and cell.box[1] >= bottom - 0.3 * view.height
        and _x_overlap(cell.box, header.box) >= 0.5 * min(width, cell.box[2] - cell.box[0])
    ]
    taken = claimed | set(chosen.words)
    return any(
        w not in taken and any(ch.isalnum() for ch in w.text) and mostly_inside(w.box, box)
        for box in column
        for line in view.page.lines
        if not view.is_key_line(line)
        for w in line.words
    )


def _x_overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0]))


def _level_with(box: Box, row: Box, height: float) -> bool:
    """True when ``box``, right of ``row``, stands level with it on a page that may still lean
    (a photo's perspective): centres apart by half a line height plus the lean over the gap."""
    rise = abs((box[1] + box[3]) - (row[1] + row[3])) / 2
    return rise <= 0.5 * height + LEAN * (box[0] - row[2])


def _claimed_by_others(chosen: Candidate, assigned: dict[str, Assigned]) -> set[Word]:
    """The words of every other field's chosen value."""
    return {
        w
        for other in assigned.values()
        if other.candidate is not None and other.candidate is not chosen
        for w in other.candidate.words
    }


def _run_into_its_label(spec: FieldSpec, chosen: Candidate, view: PageView) -> bool:
    """True for a value of words taken beside a label that has no colon and no gap before it: a
    phrase such as the heading "INSURANCE BILLING" reads as label and value alike, and only a
    value of its own shape (a date, a phone number) tells them apart."""
    if chosen.how != "beside" or not chosen.keys or chosen.keys[0].colon or not chosen.words:
        return False
    if spec.kind in SHAPED_KINDS or spec.kind in ("yesno", "immunity"):
        return False
    key, first = chosen.keys[0], min(chosen.words, key=lambda w: w.box[0])
    if not on_one_row(first.box, key.box):
        return False
    gap = first.box[0] - key.box[2]
    # A heading whose separator OCR lost ("INSURANCE / BILLING") is set apart by the gap the
    # separator left, its words in the label's own capitals and size.
    return gap < RUN_ON_GAP * view.height or (
        gap < SEPARATOR_GAP * view.height and _set_alike(key.words, chosen.words)
    )


def _set_alike(label: Sequence[Word], value: Sequence[Word]) -> bool:
    """True when a value is set as its label is: letters in capitals alone, no digit, words of
    the label's height (a value typed or written in is most often set otherwise)."""
    letters = [ch for w in (*label, *value) for ch in w.text if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters):
        return False
    if any(ch.isdigit() for w in value for ch in w.text):
        return False
    return _as_tall(label, value)


def _as_tall(label: Sequence[Word], value: Sequence[Word]) -> bool:
    """True when a value's words are as tall as its label's (medians, within SAME_SIZE_SHARE)."""
    label_height = statistics.median(w.height for w in label)
    value_height = statistics.median(w.height for w in value)
    return abs(value_height - label_height) <= SAME_SIZE_SHARE * label_height
