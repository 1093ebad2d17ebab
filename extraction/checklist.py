"""A list answered by ticking, under the field's label ("Medical history (check all that
apply):"): the conditions a form prints with a box each, in one or more columns, or one
condition a row answered in Yes / No boxes. The value is the ticked options (the conditions
answered Yes), one per line, in reading order (row by row, left to right).

A list of boxes is three or more boxes, each with its option printed right of it, in rows that
follow the label without a wide gap, each row's first box with nothing printed left of it (a
box after a question is that question's answer: "Do you smoke? [ ] Yes [ ] No"). Rows of
answers are two or more rows, each a condition printed left of two or three boxes one of which
says Yes. What a clerk must check is flagged: a faint box, a row answered twice or not at all,
an option with no box read beside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from extraction.checklist_grids import (
    first_half_heading,
    grids_headed_alike,
    names_something,
    row_left_unread,
)
from extraction.choices import option_words
from extraction.doctypes import FieldSpec
from extraction.keys import Key
from extraction.label_shapes import ANSWER_WORDS
from extraction.layouts.rows import boxed_marks, rows_of_marks
from extraction.page_view import OTHER_LINE_NOTE, Candidate, PageView, written_after_other_label
from extraction.structure import SelectionMark
from extraction.structure.answer_groups import answer_groups
from extraction.structure.geometry import overlap_area
from extraction.types import Box, Word, mostly_inside, on_one_row

# Fewer boxes than this are a question's answers, not a list to tick.
MIN_CHECKLIST_MARKS = 3
# The first row of boxes starts at most this many text heights under the label; each next row
# at most this many under the one before.
FIRST_ROW_GAP = 2.5
ROW_GAP = 2.5
# Options that answer a question: a row of them is a question's, not the list's.
QUESTION_ANSWERS = ANSWER_WORDS | {"no", "n"}
# The opposite of each answer a Yes / No column is headed with.
OTHER_ANSWER = {"yes": "no", "y": "no", "no": "yes", "n": "yes"}
# Said of a grid one of whose answer columns was known only as the other's opposite.
INFERRED_NOTE = "a column's header was not read, its answer taken as the other column's opposite: check"
# Rows of a condition answered in boxes: at least this many, each of at most this many boxes
# (Yes, No, Not sure).
MIN_QUESTION_ROWS = 2
MAX_ANSWER_BOXES = 3
# Boxes of one answer column stand this many text heights across of each other at most.
COLUMN_SPREAD = 1.5
# Boxes whose confidence is under this are faint: the clerk checks which are ticked.
FAINT_MARK = 0.7
FAINT_NOTE = "a box is faint: check which are ticked"
UNREAD_ROW_NOTE = "a ticked row of the grid was read as no condition: check which conditions are ticked"
CUT_NOTE = "the conditions were read up to a question among them, ticked ones follow: check which are ticked"
UNBOXED_NOTE = "an option of the list has no box read beside it: check which are ticked"
LOST_ROW_NOTE = "a row of the grid has no answer boxes read: check which conditions are ticked"
# Answer cells of a ruled grid follow a key that stands in none of its cells: the grid's column
# of questions was not found, and with it whether halves of the grid stand beside it.
UNGRIDDED_NOTE = "the grid's column of conditions was not found: check the whole list, and any half beside it"


def is_list_field(spec: FieldSpec) -> bool:
    """Fields whose value is a list a form may ask for as boxes to tick."""
    return spec.kind == "text" and spec.multiline


def checklist_candidate(spec: FieldSpec, key: Key, view: PageView, score: float) -> Candidate | None:
    """The ticked options of the checklist under (or beside) ``key``, or the conditions
    answered Yes in the rows of Yes / No boxes under it; None when neither follows the key."""
    if view.structure is None or not is_list_field(spec):
        return None
    first_half = first_half_heading(key, view)
    if first_half is not None:
        # The heading of a grid's second half: the grid is read from its first half's heading.
        key = first_half
    grids = grids_headed_alike(key, view)
    rows = _rows_after(key, view, grids)
    listed = _listed(rows, key, view)
    boxes = _boxes_candidate(spec, key, view, score, listed) if listed else None
    if boxes is not None:
        return boxes
    # Too few boxes with options for a list: rows of Yes / No boxes may follow all the same (a
    # letter of the heading taken for a box, "o" of "or", made it look like a list's first box).
    answered, inferred, doubt = _answered(rows, key, view, in_grid=bool(grids))
    if grids and doubt is None and row_left_unread(rows, view):
        doubt = LOST_ROW_NOTE
    if not grids and doubt is None and any(m.shape == "cell" for row in rows for m in row):
        doubt = UNGRIDDED_NOTE
    if len(answered) >= MIN_QUESTION_ROWS:
        found = _answers_candidate(spec, key, score, answered, inferred)
        return replace(found, note=doubt) if doubt else found
    return None


def _boxes_candidate(
    spec: FieldSpec, key: Key, view: PageView, score: float, rows: list[list[SelectionMark]]
) -> Candidate | None:
    """The ticked options of a list of boxes each with its option."""
    marks = [mark for row in rows for mark in row]
    if len(marks) < MIN_CHECKLIST_MARKS:
        return None
    options = {id(mark): option_words(mark, row, view) for row in rows for mark in row}
    if sum(bool(words) for words in options.values()) < MIN_CHECKLIST_MARKS:
        return None
    ticked = [_as_written(options[id(mark)]) for mark in marks if mark.selected and options[id(mark)]]
    left = min(row[0].box[0] for row in rows) - view.height
    written = view.written_on_other_line(left, max(mark.box[3] for mark in rows[-1]))
    if written:
        ticked.append(written)
    note = FAINT_NOTE if min(mark.confidence for mark in marks) < FAINT_MARK else None
    note = note or (OTHER_LINE_NOTE if written else None)
    if _unboxed_words(rows, options, view):
        note = UNBOXED_NOTE
    if any(mark.selected and not options[id(mark)] for mark in marks):
        note = "a box is ticked but its option was not read"
    return Candidate(spec.name, key.page, tuple(ticked), "checklist", score, (key,), note=note)


def _as_written(option: tuple[Word, ...]) -> tuple[Word, ...]:
    """A ticked option as the list's item: for an "Other:" / "Other (specify):" box with
    something written after its colon ("Other: Gout"), what is written; any other option whole."""
    return written_after_other_label(option) or option


def _answers_candidate(
    spec: FieldSpec,
    key: Key,
    score: float,
    answered: list[tuple[tuple[Word, ...], list[SelectionMark]]],
    inferred: bool,
) -> Candidate:
    """The conditions whose Yes box is ticked, of rows "Condition  [ ] Yes  [ ] No";
    ``inferred``: a column's answer was taken as the other's opposite (``_the_other_answers``)."""
    yes = [words for words, row in answered if _ticked_answer(row) == "yes"]
    note = None
    # A row's one tick outside the Yes column answers no, whatever its column's header reads.
    if not any(mark.option == "yes" for _words, row in answered for mark in row):
        note = "no Yes column was read: check which conditions are ticked"
    elif any(m.selected and m.option not in QUESTION_ANSWERS for _words, row in answered for m in row):
        note = "a box is ticked in a column whose answer was not read: check which conditions are ticked"
    elif any(sum(mark.selected for mark in row) != 1 for _words, row in answered):
        note = "a condition's row has no answer, or two, ticked: check it"
    elif min(m.confidence for _words, row in answered for m in row) < FAINT_MARK:
        note = FAINT_NOTE
    elif inferred:
        note = INFERRED_NOTE
    return Candidate(spec.name, key.page, tuple(yes), "checklist", score, (key,), note=note)


def _rows_after(key: Key, view: PageView, grids: list[Box]) -> list[list[SelectionMark]]:
    """The rows of boxes that follow the key: on its row right of it, or starting just under
    it, each next row close under the one before; top to bottom, each left to right. A key
    heading a ruled grid reads the grid's rows, then those of the grids set beside it under
    the same heading (a long grid printed in halves side by side): ``grids``, their outlines."""
    structure = view.structure
    assert structure is not None
    if grids:
        rows = [row for table in grids for row in _rows_below(key, view, _marks_in(table, view), table)]
    else:
        rows = _rows_below(key, view, boxed_marks(structure), None)
    return [group for row in rows for group in answer_groups(row, view.page.words, structure)]


def _rows_below(
    key: Key, view: PageView, marks: list[SelectionMark], table: Box | None
) -> list[list[SelectionMark]]:
    height = view.height
    left = (table[0] if table else key.box[0]) - height
    top = table[1] if table else key.box[1] - 0.5 * height
    candidates = [m for m in marks if m.box[0] >= left and m.box[1] >= top]
    rows = sorted(rows_of_marks(candidates), key=lambda row: min(m.box[1] for m in row))
    taken: list[list[SelectionMark]] = []
    bottom = float(key.box[3] if table is None else max(key.box[3], table[1]))
    for row in rows:
        beside_key = not taken and on_one_row(row[0].box, key.box) and row[0].box[0] >= key.box[2]
        gap = row[0].box[1] - bottom
        if table is None and not beside_key and gap > (ROW_GAP if taken else FIRST_ROW_GAP) * height:
            break
        taken.append(row)
        bottom = max(m.box[3] for m in row)
    return taken


def _marks_in(table: Box, view: PageView) -> list[SelectionMark]:
    assert view.structure is not None
    return [m for m in boxed_marks(view.structure) if mostly_inside(m.box, table)]


def _listed(rows: list[list[SelectionMark]], key: Key, view: PageView) -> list[list[SelectionMark]]:
    """The first rows that are a list of boxes: each row's first box with nothing printed
    left of it, no Yes / No among the options. Once a list has begun, a row whose first box
    has words left of it that are no label still belongs to it when it starts right of the
    list's left edge: the box before those words was not found (``_unboxed_words`` flags it)."""
    listed: list[list[SelectionMark]] = []
    for row in rows:
        beside_key = not listed and on_one_row(row[0].box, key.box)
        left_words = _words_left_of(row[0], key, view, beside_key)
        if _answers_a_question(row, view):
            break
        if left_words and not (
            listed
            and row[0].box[0] > min(r[0].box[0] for r in listed) + view.height
            and not _labels_a_field(left_words, view)
        ):
            break
        listed.append(row)
    return listed


def _answered(
    rows: list[list[SelectionMark]], key: Key, view: PageView, in_grid: bool
) -> tuple[list[tuple[tuple[Word, ...], list[SelectionMark]]], bool, str | None]:
    """The first rows that each answer a condition printed left of them in Yes / No boxes:
    the condition's words and the row's boxes, each box's option set to its column's answer
    (the boxes of such rows stand in columns, so a box whose option OCR misread answers as the
    rest of its column do). A question ("Do you smoke?") or another field's label ("Measles")
    ends the rows; inside a ruled grid such rows are passed over (their marks still tell the
    answer columns) and a row whose answer is unknown stays, to be flagged. Also says whether
    a column's answer was inferred from the other column of its rows (``_the_other_answers``),
    and what leaves the rows in doubt: a ticked row of a grid passed over as no condition, or
    conditions ticked after the question that ended the rows (a grid read as none)."""
    asked, questions = [], []
    doubt = None
    for index, row in enumerate(rows):
        words = _words_left_of(row[0], key, view, False, _table_of(row[0], view) if in_grid else None)
        if not names_something(words) or len(row) > MAX_ANSWER_BOXES:
            if not in_grid:
                break
            # A grid's row read as no question: left empty (a short group's last row) it says
            # nothing; ticked, its answer is lost, and the clerk is told.
            if any(mark.selected for mark in row):
                doubt = UNREAD_ROW_NOTE
            continue
        if _asks_a_question(words, view, known_only=in_grid):
            if in_grid:
                questions.append(row)  # the grid asks other questions among the conditions
                continue
            if _a_condition_ticked(rows[index + 1 :], key, view):
                doubt = CUT_NOTE
            break
        asked.append((words, row))
    # Every row of a grid answers in its columns, the questions' rows too.
    voters = [row for _words, row in asked] + questions
    columns = _columns([m for row in voters for m in row], view.height)
    votes: dict[int, Counter[str]] = {}
    for row in voters:
        for mark in row:
            answer = _answer_of(mark, row, view)
            if answer in QUESTION_ANSWERS:
                votes.setdefault(columns[id(mark)], Counter())[answer] += 1
    answer_of = {column: counts.most_common(1)[0][0] for column, counts in votes.items()}
    inferred = _the_other_answers(voters, columns, answer_of)
    answer_of.update(inferred)
    answered = []
    for words, row in asked:
        answers = [answer_of.get(columns[id(mark)], "") for mark in row]
        answering = any(a in QUESTION_ANSWERS for a in answers)
        unanswered = "yes" not in answers and (not answered or not answering)
        if unanswered and not in_grid:
            break  # in a grid the row is the grid's still: its answer unknown, it is flagged
        # A row among answered rows with boxes in their answer columns but no Yes box lost
        # that box to the page's damage: it stays a row, its answer unknown unless its other
        # box is ticked, and the rows under it are still read.
        answered.append((words, [replace(m, option=a) for m, a in zip(row, answers, strict=True)]))
    return answered, bool(inferred), doubt


def _a_condition_ticked(rows: list[list[SelectionMark]], key: Key, view: PageView) -> bool:
    """True when one of ``rows`` has a box ticked beside a condition (words that are no
    question and no field's label): the rows go on past the question that ended them."""
    for row in rows:
        words = _words_left_of(row[0], key, view, False)
        if (
            any(mark.selected for mark in row)
            and names_something(words)
            and not _asks_a_question(words, view)
        ):
            return True
    return False


def _asks_a_question(words: tuple[Word, ...], view: PageView, known_only: bool = False) -> bool:
    """True when a row's ``words`` (naming something) ask a question ("Do you smoke?") or are
    another field's label ("Measles"), not a condition of the list."""
    return words[-1].text.endswith("?") or _labels_a_field(words, view, known_only=known_only)


def _the_other_answers(
    rows: list[list[SelectionMark]], columns: dict[int, int], answer_of: dict[int, str]
) -> dict[int, str]:
    """Answer columns whose header was not read (OCR took it into the column of boxes under it),
    in rows of two boxes whose other column answers Yes or No: the other answer."""
    found: dict[int, str] = {}
    for row in rows:
        if len(row) != 2:
            continue
        first, second = (columns[id(mark)] for mark in row)
        for mine, other in ((first, second), (second, first)):
            known = answer_of.get(other, "")
            if mine not in answer_of and mine not in found and known in OTHER_ANSWER:
                found[mine] = OTHER_ANSWER[known]
    return found


def _labels_a_field(words: tuple[Word, ...], view: PageView, known_only: bool = False) -> bool:
    """True when the words are on a line that reads as a label: another field's question
    ("Measles / MMR"), not a condition of the list. With ``known_only`` the label must be one of
    the document's wordings: the first column of a grid reads as a column of labels of no
    known wording, one condition a cell."""
    ids = {id(word) for word in words}
    for line in view.page.lines:
        if not view.is_key_line(line) or not any(id(w) in ids for w in line.words):
            continue
        key = view.key_on(line)
        if not known_only or (key is not None and key.known):
            return True
    return False


def _columns(marks: list[SelectionMark], height: float) -> dict[int, int]:
    """Each mark's column: marks whose centres stand within ``COLUMN_SPREAD`` text heights
    across of the column's first are one column."""
    starts: list[float] = []
    column = {}
    for mark in sorted(marks, key=lambda m: m.box[0] + m.box[2]):
        centre = (mark.box[0] + mark.box[2]) / 2
        if not starts or centre - starts[-1] > COLUMN_SPREAD * height:
            starts.append(centre)
        column[id(mark)] = len(starts) - 1
    return column


def _ticked_answer(row: list[SelectionMark]) -> str | None:
    """The answer ticked in a row ("yes", "no"...), None when none or several are."""
    ticked = [mark for mark in row if mark.selected]
    return ticked[0].option or None if len(ticked) == 1 else None


def _answer_of(mark: SelectionMark, row: list[SelectionMark], view: PageView) -> str:
    """The answer a box stands for, lower case ("yes" for "Y"): its option, or for a cell of an
    answer grid its column's header."""
    word = " ".join(w.text for w in option_words(mark, row, view)).strip(" .:").casefold()
    return "yes" if word == "y" else word


def _unboxed_words(
    rows: list[list[SelectionMark]], options: dict[int, tuple[Word, ...]], view: PageView
) -> bool:
    """True when a word of letters stands among the list's rows that is no box's option: a
    box the page's damage hid, whose tick nobody read."""
    taken = [word.box for words in options.values() for word in words]
    taken += [mark.box for row in rows for mark in row]
    left = min(row[0].box[0] for row in rows)
    for row in rows:
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


def _words_left_of(
    mark: SelectionMark, key: Key, view: PageView, beside_key: bool, table: Box | None = None
) -> tuple[Word, ...]:
    """The words printed on the mark's row left of it, from the key's left edge on (from the
    left edge of ``table``, the grid the mark is in, when given), but for the key itself when
    the row is the key's; left to right."""
    left = table[0] if table is not None else key.box[0] - view.height
    assert view.structure is not None
    # A question asked after another on the same row starts where the other's boxes end.
    before = [
        m.box[2] for m in view.structure.marks if m.box[2] <= mark.box[0] and on_one_row(m.box, mark.box)
    ]
    left = max([left, *before])
    return tuple(
        sorted(
            (
                word
                for line in view.page.lines
                for word in line.words
                if on_one_row(word.box, mark.box)
                and left <= word.box[0]
                and word.box[2] <= mark.box[0]
                and not (beside_key and line is key.line)
            ),
            key=lambda w: w.box[0],
        )
    )


def _table_of(mark: SelectionMark, view: PageView) -> Box | None:
    """The outline of the table ``mark`` stands in (a cell of it, or a box in one), if any."""
    assert view.structure is not None
    cell = view.structure.cell_at(mark.box)
    return view.structure.tables[cell.table].box if cell is not None else None


def _answers_a_question(row: list[SelectionMark], view: PageView) -> bool:
    """True for a row of boxes whose options answer a question ("Yes", "No"): the words beside
    a box, or over its column (a grid's "YES | NO" header, where the damage left the row's
    question unread)."""
    return any(
        mark.option.strip(" .:").casefold() in QUESTION_ANSWERS
        or _answer_of(mark, row, view) in QUESTION_ANSWERS
        for mark in row
    )
