"""Option answers: the ticked box of the checkboxes after a key, a word ringed on the form, or
the ticked cell of an answer grid (which answers its column's header)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from extraction.cells import column_header_over
from extraction.doctypes import FieldSpec
from extraction.keys import Key
from extraction.layouts.rows import boxed_marks
from extraction.line_beside import WORD_SPACE
from extraction.page_view import Candidate, PageView
from extraction.structure.geometry import at_the_start, overlap_area
from extraction.structure.types import ANSWERED_IN_WORDS
from extraction.types import Box, Word, mostly_inside, on_one_row

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extraction.structure import Cell, PageStructure, SelectionMark

# A table of this many rows or more is a grid of questions, one a row under a header row.
GRID_ROWS = 3
# Said of a grid row answered by the one box of it found ticked.
ONE_BOX_NOTE = "one box of the row was read: check the answer"
# Said of a grid row whose one box found is empty, answered by its other answer cell.
OTHER_CELL_NOTE = "only the row's empty box was read: the answer is the other column's, check it"
# Kinds of field a checkbox group answers: a choice among a few printed options.
OPTION_KINDS = ("yesno", "immunity", "integer")
# A grid column's header cell stands at most this many line heights above a cell of it.
HEADER_CELL_REACH = 12.0
# A header row with no rules between its columns is read in a band this many line heights high.
HEADER_BAND = 1.4
# A word this many line heights tall or more is no option's print.
OPTION_MAX_HEIGHTS = 2.0
# Glyphs a box, a tick, a cross or a circle is read as ("MNo", "OYes", "[Not", "CINo", "KY").
MARK_GLYPHS = frozenset("MWOQCDKLVXxvIl1|0([{&@®©¥")
# The option of a ticked box is looked for this many text heights right of it at most.
OPTION_REGION_HEIGHTS = 8.0
# The first box to tick of a question stands within this many line heights after it (a tab).
OPTIONS_REACH = 8.0


def grid_cell(box: Box, structure: PageStructure) -> Cell | None:
    """The cell holding ``box`` when it is a cell of a ruled grid (a table of ``GRID_ROWS`` rows
    or more), else None."""
    cell = structure.cell_at(box)
    return cell if cell is not None and structure.tables[cell.table].rows >= GRID_ROWS else None


def lone_grid_answer(
    spec: FieldSpec, key: Key, view: PageView, marks: list[SelectionMark], score: float
) -> Candidate | None:
    """The answer of a question in a ruled grid's row where only one box of the row was found:
    a grid row answers in a cell of each answer column, so the page's damage hid the others.
    A ticked box's column tells the answer; an empty box's, the row's other answer cell
    (``_the_other_cell``). Flagged either way; None otherwise."""
    if len(marks) != 1 or view.structure is None:
        return None
    if grid_cell(key.box, view.structure) is None:
        return None
    if not marks[0].selected:
        return _the_other_cell(spec, key, view, marks[0], score)
    found = option_candidate(spec, key, view, marks, score)
    return replace(found, note=found.note or ONE_BOX_NOTE)


def _the_other_cell(
    spec: FieldSpec, key: Key, view: PageView, empty: SelectionMark, score: float
) -> Candidate | None:
    """Where the one box found in a grid row of two answer columns is empty: the answer of the
    row's other answer cell, whose ticked box the tick's ink hid from the box finder (a tick
    running out of its box). Flagged; None unless the row has exactly one other answer cell."""
    structure = view.structure
    assert structure is not None
    own = grid_cell(empty.box, structure)
    if own is None:
        return None
    others = [
        cell
        for cell in structure.cells
        if cell.table == own.table and cell.row == own.row and cell.col not in (0, own.col)
    ]
    if len(others) != 1:
        return None
    header = _first_row_words(replace(empty, box=others[0].box), view)
    if not header:
        return None
    return Candidate(
        spec.name,
        key.page,
        (header,),
        "option",
        score,
        (key,),
        note=OTHER_CELL_NOTE,
        header_box=others[0].box,
    )


def option_candidate(
    spec: FieldSpec, key: Key, view: PageView, marks: list[SelectionMark], score: float
) -> Candidate:
    options = [option_words(mark, marks, view) for mark in marks]
    ticked = [i for i, mark in enumerate(marks) if mark.selected]
    said = [repr(" ".join(w.text for w in options[i])) for i in range(len(marks))]
    note = None
    if len(ticked) > 1:
        note = f"{len(ticked)} boxes ticked: " + ", ".join(said[i] for i in ticked)
    elif not ticked:
        note = "no box ticked: " + ", ".join(said)
    elif not options[ticked[0]]:
        note = "a box is ticked but its option was not read"
    elif min(m.confidence for m in marks) < 0.7:
        note = "a box is faint: check which one is ticked"
    words = options[ticked[0]] if len(ticked) == 1 else ()
    header = None
    if len(ticked) == 1:
        # Where to read the option again should what was read beside the box not answer the
        # field: nothing read, or a word run into the box ("KRY" for a ticked box and "Y").
        mark = marks[ticked[0]]
        header = (_header_cell(mark, view) if not words else None) or _option_region(mark, marks, view)
    return Candidate(
        spec.name, key.page, (words,) if words else (), "option", score, (key,), note=note, header_box=header
    )


def _first_row_words(mark: SelectionMark, view: PageView) -> tuple[Word, ...]:
    """The words of the cell heading the column of the ruled grid ``mark`` stands in (a cell of
    the grid, or a box in one): the nearest cell above in the same grid, in line with the mark's
    cell on both sides, that holds no mark and some words; () when the mark is in no grid or
    that cell holds more than a few words. Every answer cell of such a grid holds a mark, ticked
    or not, so the first one without is the header, however many rows down the mark is."""
    structure = view.structure
    if structure is None:
        return ()
    own = structure.cell_at(mark.box)
    if own is None or own.row == 0:
        return ()
    height = view.height
    above = [
        cell
        for cell in structure.cells
        if cell.table == own.table and cell.row < own.row and _in_line(cell.box, own.box, height)
    ]
    for cell in sorted(above, key=lambda cell: -cell.row):
        if _holds_a_mark(cell.box, structure):
            continue
        words = tuple(sorted(view.page.words_in(cell.box), key=lambda w: w.box[0]))
        if words:  # an empty one is an answer cell whose mark the page's damage hid
            # "Had it / immune": a slash between two wordings is no word of the header.
            spoken = [w for w in words if any(ch.isalnum() for ch in w.text)]
            return words if len(spoken) <= 3 else ()
    return ()


def _header_cell(mark: SelectionMark, view: PageView) -> Box | None:
    """The cell heading the grid column ``mark`` stands in (the mark is a cell of the grid, or
    a checkbox in one): the nearest cell above as wide and in line with it that holds no mark,
    within ``HEADER_CELL_REACH`` line heights."""
    structure = view.structure
    if structure is None:
        return None
    own = mark if mark.shape == "cell" else structure.cell_at(mark.box)
    if own is None:
        return None
    column, height = own.box, view.height
    above = [
        cell.box
        for cell in structure.cells
        if cell.box[3] <= column[1] + 2
        and column[1] - cell.box[3] <= HEADER_CELL_REACH * height
        and _in_line(cell.box, column, height)
    ]
    top = column[1]
    for box in sorted(above, key=lambda box: -box[3]):
        if not _holds_a_mark(box, structure):
            return box
        top = min(top, box[1])
    if _crossed_above(column, top, structure.cells, height):
        return None
    # A header row with no rules between its columns: that row's cell, across the column, or
    # else the band right over the column's first answer cell.
    spanning = [
        cell.box
        for cell in structure.cells
        if 0 <= top - cell.box[3] <= height
        and cell.box[0] <= column[0] + height
        and cell.box[2] >= column[2] - height
    ]
    if spanning:
        row = max(spanning, key=lambda box: box[3])
        return (column[0], row[1], column[2], row[3])
    return (column[0], max(0, int(top - HEADER_BAND * height)), column[2], top - 1)


def _in_line(box: Box, column: Box, height: float) -> bool:
    """True when ``box`` starts and ends within a line height of where ``column`` does."""
    return abs(box[0] - column[0]) <= height and abs(box[2] - column[2]) <= height


def _holds_a_mark(box: Box, structure: PageStructure) -> bool:
    """True when a mark stands in ``box`` or is that cell itself (an answer cell)."""
    return any(mostly_inside(m.box, box) or m.box == box for m in structure.marks)


def _crossed_above(column: Box, top: int, cells: Sequence[Cell], height: float) -> bool:
    """True when the row right above ``top`` is ruled into cells that reach past one side of the
    column and end inside it on the other: a row of another grid (another question's options),
    whose print heads nothing here. A header row with no rules between its columns is one cell
    spanning the column whole (for the table's last column, to its edge); a header cell split
    inside it stays within it."""
    return any(
        0 <= top - cell.box[3] <= height
        and (
            (cell.box[0] < column[0] - height and column[0] + height < cell.box[2] < column[2] - height)
            or (cell.box[2] > column[2] + height and column[0] + height < cell.box[0] < column[2] - height)
        )
        for cell in cells
    )


def _option_region(mark: SelectionMark, row: list[SelectionMark], view: PageView) -> Box | None:
    """Where the option of a ticked box is printed when OCR read nothing there (a row of
    boxes each with one digit beside it is often read as "OO"): right of the box, up to the
    next box of its row or ``OPTION_REGION_HEIGHTS`` text heights; for a ring, inside it."""
    if mark.shape in ANSWERED_IN_WORDS:  # a ring whole, with paper round it, to be painted out
        pad = round(0.3 * view.height)
        x0, y0, x1, y1 = mark.box
        return (max(0, x0 - pad), max(0, y0 - pad), x1 + pad, y1 + pad)
    if mark.shape not in ("square", "circle"):
        return None
    height = view.height
    limit = mark.box[2] + OPTION_REGION_HEIGHTS * height
    right = min((m.box[0] for m in row if m.box[0] > mark.box[2]), default=limit)
    top, bottom = mark.box[1] - 0.3 * height, mark.box[3] + 0.3 * height
    return (mark.box[2] + 1, max(0, int(top)), int(min(right, limit)) - 1, int(bottom))


def option_words(mark: SelectionMark, row: list[SelectionMark], view: PageView) -> tuple[Word, ...]:
    """The words printed right of ``mark``, up to the next mark of its row or a wide gap. A
    word OCR ran into the box ("L1Yes") loses the characters that lie over the box. A cell of
    an answer grid answers its column's header."""
    if mark.shape == "cell":
        return _column_header(mark, view)
    if mark.shape == "ring":
        return tuple(view.page.words_in(mark.box))
    if mark.shape == "kept":  # maybe a part of a word ("Yes" of "Yes/Ne"): the mark's own reading
        under = [w for w in view.page.words if overlap_area(w.box, mark.box) > 0]
        sure = min((w.confidence for w in under), default=mark.confidence)
        return (Word(mark.option, sure, mark.box, under[0].line if under else 0),)
    right = min((m.box[0] for m in row if m.box[0] > mark.box[2]), default=view.page.width)
    cell = grid_cell(mark.box, view.structure) if view.structure is not None else None
    if cell is not None:
        # A box in a cell of a grid: its option is in its cell or heads its column, never the
        # print of the next cell (the next box, missed, read as "oO").
        right = min(right, cell.box[2])
    level = sorted(
        (
            w
            for line in view.page.lines
            for w in line.words
            if w.box[2] > mark.box[2]
            and w.box[0] < right
            and on_one_row(w.box, mark.box)
            # A word read from the next box on into its option ("O1") is that box's option.
            and not any(other is not mark and at_the_start(other.box, w.box[0]) for other in row)
            # An option is a line of print: a "word" rows tall is a column of boxes OCR read
            # as letters ("Oss" down a grid's Yes column).
            and w.box[3] - w.box[1] <= OPTION_MAX_HEIGHTS * view.height
        ),
        key=lambda w: w.box[0],
    )
    taken: list[Word] = []
    edge = mark.box[2]
    # Only a word run into the box is trimmed, by the row's letter width.
    letter = _letter_width(mark, view) if any(w.box[0] < mark.box[2] for w in level) else None
    for word in level:
        if word.box[0] - edge > 2 * view.height:
            break
        taken.append(_trim_over(word, mark.box, letter))
        edge = word.box[2]
    found = tuple(w for w in taken if w.text)
    return found or _column_header(mark, view)


def _column_header(mark: SelectionMark, view: PageView) -> tuple[Word, ...]:
    """A mark with no words beside it answers the column it stands in ("Yes" | "No" over a
    grid of boxes): the words of the first row's cell of its column when it stands in a ruled
    grid, else the nearest short line above it, across its middle."""
    ruled = _first_row_words(mark, view)
    if ruled:
        return ruled
    boxes = [m.box for m in view.structure.marks] if view.structure is not None else []
    nearest = column_header_over(mark.box, boxes, view.page.lines, view.height)
    if nearest is None:
        return ()
    name = _name_over(nearest.words, mark, view.height)
    if len(name) > 3 or any(ch.isdigit() for w in name for ch in w.text):
        return ()
    if _beside_a_mark(name, view):
        # The option of another row's box ("Immune" ticked one question up), not a header.
        return ()
    return name


def _name_over(words: Sequence[Word], mark: SelectionMark, height: float) -> tuple[Word, ...]:
    """Of a header line, the name of the column ``mark`` stands in: a line may name columns side
    by side ("Immune   Not immune"), each name apart from the next by more than a space
    (``WORD_SPACE``); the one nearest the mark's middle."""
    names: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.box[0]):
        if names and word.box[0] - names[-1][-1].box[2] <= WORD_SPACE * height:
            names[-1].append(word)
        else:
            names.append([word])
    middle = (mark.box[0] + mark.box[2]) / 2
    return tuple(min(names, key=lambda name: max(name[0].box[0] - middle, middle - name[-1].box[2], 0)))


def _beside_a_mark(words: Sequence[Word], view: PageView) -> bool:
    """True when a checkbox or circle stands just left of one of ``words`` on its row: they are
    the option printed beside that box."""
    if view.structure is None:
        return False
    return any(
        mark.shape in ("square", "circle")
        and on_one_row(mark.box, word.box)
        and 0 <= word.box[0] - mark.box[2] <= 2 * view.height
        for mark in view.structure.marks
        for word in words
    )


def _letter_width(mark: SelectionMark, view: PageView) -> float | None:
    """How wide a letter of the print on ``mark``'s row is: the median of its words' widths
    per character, words of three characters or more clear of every mark; None without any."""
    marks = [m.box for m in view.structure.marks] if view.structure is not None else []
    widths = sorted(
        (w.box[2] - w.box[0]) / len(w.text)
        for w in view.page.words
        if len(w.text) >= 3 and on_one_row(w.box, mark.box) and not any(overlap_area(w.box, m) for m in marks)
    )
    return widths[len(widths) // 2] if widths else None


def _trim_over(word: Word, box: Box, letter: float | None = None) -> Word:
    """``word`` without the characters read from the part of it that lies over ``box``, as
    many as the box's share of the word's width. Tesseract may box a word from the mark's edge
    and read none of the mark ("Acid" boxed with its ticked box): a word opening in no glyph a
    box is read as (``MARK_GLYPHS``) whose text fits the part clear of the box, in letters
    ``letter`` wide, keeps every character."""
    over = min(word.box[2], box[2]) - word.box[0]
    if over <= 0:
        return word
    width = max(1, word.box[2] - word.box[0])
    cut = round(len(word.text) * over / width)
    if (
        letter is not None
        and word.text[0] not in MARK_GLYPHS
        and len(word.text) <= (width - over) / letter + 0.5
    ):
        cut = 0
    return replace(word, text=word.text[cut:], box=(box[2], word.box[1], word.box[2], word.box[3]))


def asks_with_boxes(key: Key, view: PageView) -> bool:
    """True for a key with two or more boxes to tick right after it on its row, within a few
    line heights ("Do you have health insurance?  [ ] Y  [x] N"): a question whose options are
    print, however well its words read as another field's label."""
    if view.structure is None:
        return False
    middle = (key.box[1] + key.box[3]) / 2
    starts = sorted(
        m.box[0] - key.box[2]
        for m in boxed_marks(view.structure)
        if m.box[0] >= key.box[2] - 0.2 * view.height and m.box[1] <= middle <= m.box[3]
    )
    return len(starts) >= 2 and starts[0] <= OPTIONS_REACH * view.height
