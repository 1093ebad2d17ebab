"""A list answered by ticking: the conditions a form prints with a box each under the field's
label ("Medical history (check all that apply):"), in one or more columns. The value is the
ticked options, one per line, in reading order (row by row, left to right).

A checklist is three or more boxes, each with its option printed right of it, in rows that
follow the label without a wide gap, each row's first box with no words left of it (a box
after a question is that question's answer: "Do you smoke? [ ] Yes [ ] No"). Options that
answer a question ("Yes", "No") end the list.
"""

from __future__ import annotations

from extraction.choices import option_words
from extraction.doctypes import FieldSpec
from extraction.keys import Key
from extraction.label_shapes import ANSWER_WORDS
from extraction.page_view import Candidate, PageView
from extraction.structure import SelectionMark
from extraction.structure.geometry import overlap_area
from extraction.types import Word, on_one_row

# Fewer boxes than this are a question's answers, not a list to tick.
MIN_CHECKLIST_MARKS = 3
# The first row of boxes starts at most this many text heights under the label; each next row
# at most this many under the one before.
FIRST_ROW_GAP = 2.5
ROW_GAP = 2.5
# Options that answer a question: a row of them is a question's, not the list's.
QUESTION_ANSWERS = ANSWER_WORDS | {"no", "n"}
# Boxes whose confidence is under this are faint: the clerk checks which are ticked.
FAINT_MARK = 0.7
FAINT_NOTE = "a box is faint: check which are ticked"
UNBOXED_NOTE = "an option of the list has no box read beside it: check which are ticked"


def is_list_field(spec: FieldSpec) -> bool:
    """Fields whose value is a list a form may ask for as boxes to tick."""
    return spec.kind == "text" and spec.multiline


def checklist_candidate(spec: FieldSpec, key: Key, view: PageView, score: float) -> Candidate | None:
    """The ticked options of the checklist under (or beside) ``key``; None when no checklist
    follows the key."""
    if view.structure is None or not is_list_field(spec):
        return None
    rows = _rows_after(key, view)
    marks = [mark for row in rows for mark in row]
    if len(marks) < MIN_CHECKLIST_MARKS:
        return None
    options = {id(mark): option_words(mark, row, view) for row in rows for mark in row}
    if sum(bool(words) for words in options.values()) < MIN_CHECKLIST_MARKS:
        return None
    ticked = [options[id(mark)] for mark in marks if mark.selected and options[id(mark)]]
    note = FAINT_NOTE if min(mark.confidence for mark in marks) < FAINT_MARK else None
    if _unboxed_words(rows, options, view):
        note = UNBOXED_NOTE
    if any(mark.selected and not options[id(mark)] for mark in marks):
        note = "a box is ticked but its option was not read"
    return Candidate(spec.name, key.page, tuple(ticked), "checklist", score, (key,), note=note)


def _rows_after(key: Key, view: PageView) -> list[list[SelectionMark]]:
    """The rows of boxes that follow the key as a list: on its row right of it, or starting
    just under it, each next row close under the one before, each row's first box with
    nothing printed left of it; top to bottom, each left to right."""
    assert view.structure is not None
    height = view.height
    left = key.box[0] - height
    candidates = [
        m
        for m in view.structure.marks
        if m.shape in ("square", "circle") and m.box[0] >= left and m.box[1] >= key.box[1] - 0.5 * height
    ]
    rows: list[list[SelectionMark]] = []
    for mark in sorted(candidates, key=lambda m: (m.box[1], m.box[0])):
        row = next((r for r in rows if on_one_row(r[0].box, mark.box)), None)
        if row is None:
            rows.append([mark])
        else:
            row.append(mark)
    taken: list[list[SelectionMark]] = []
    bottom = float(key.box[3])
    for row in rows:
        row.sort(key=lambda m: m.box[0])
        beside_key = not taken and on_one_row(row[0].box, key.box) and row[0].box[0] >= key.box[2]
        gap = row[0].box[1] - bottom
        if not beside_key and gap > (ROW_GAP if taken else FIRST_ROW_GAP) * height:
            break
        if not _opens_its_row(row[0], key, view, beside_key) or _answers_a_question(row):
            break
        taken.append(row)
        bottom = max(m.box[3] for m in row)
    return taken


def _unboxed_words(
    rows: list[list[SelectionMark]], options: dict[int, tuple[Word, ...]], view: PageView
) -> bool:
    """True when a word of letters stands among the list's rows that is no box's option: a
    box the page's damage hid, whose tick nobody read."""
    taken = [word.box for words in options.values() for word in words]
    taken += [mark.box for row in rows for mark in row]
    for row in rows:
        left = row[0].box[0]
        for line in view.page.lines:
            for word in line.words:
                if (
                    not any(overlap_area(word.box, box) > 0 for box in taken)
                    and word.box[0] >= left
                    and on_one_row(word.box, row[0].box)
                    and sum(ch.isalpha() for ch in word.text) >= 2
                ):
                    return True
    return False


def _opens_its_row(mark: SelectionMark, key: Key, view: PageView, beside_key: bool) -> bool:
    """True when nothing is printed left of the row's first box, but the key itself."""
    return not any(
        on_one_row(word.box, mark.box)
        and key.box[0] - view.height <= word.box[0]
        and word.box[2] <= mark.box[0]
        and not (beside_key and line is key.line)
        for line in view.page.lines
        for word in line.words
    )


def _answers_a_question(row: list[SelectionMark]) -> bool:
    """True for a row of boxes whose options answer a question ("Yes", "No")."""
    return any(mark.option.strip(" .:").casefold() in QUESTION_ANSWERS for mark in row)
