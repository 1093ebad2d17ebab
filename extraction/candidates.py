"""Where a value may be, whatever the layout: candidates for each field, from keys and shapes.

For a key (see ``extraction.keys``) a value may sit beside it on its line or row, under it in
its column (down to the next key), inside the key's cell, or be the ticked option of the
checkboxes after it. A table whose header row names medicine columns gives its cells. A value
with no label may be recognised by its shape (a doctor's name, medicine lines) or by its kind
among the unlabelled lines of a section. Each candidate carries what supports it; which one a
field takes is decided for all fields at once in ``extraction.assign``.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from extraction.cells import header_above
from extraction.columns import ALIGN_HEIGHTS, LabelColumn
from extraction.doctypes import DocumentType, FieldSpec
from extraction.doses import repair_doses
from extraction.keys import Key, best_phrase, phrase_score, section_of
from extraction.layout import SURE_CONFIDENCE
from extraction.types import Box, Line, PageText, Word, mostly_inside, on_one_row, union_box

if TYPE_CHECKING:
    from extraction.structure import PageStructure, SelectionMark

# A key's words are this similar to one of a field's labels for the key to count as the field's.
LABEL_MIN_SCORE = 0.8
# A value printed beside its label sits within this many line heights of it.
BESIDE_MAX_GAP = 8.0
# Options of a checkbox group lie on the key's row or on the row just under it.
OPTIONS_BELOW = 1.8
# Kinds of field a checkbox group answers: a choice among a few printed options.
OPTION_KINDS = ("yesno", "immunity", "integer")
# Lines of one value written over its caption may stand this many line heights apart (the first
# sits within one line of the caption).
ABOVE_GAP = 1.6
# A value's next line set flush under its last may stand this many line heights below it.
ALIGNED_GAP = 1.3
# Lines of one value inside its cell may stand this many line heights apart.
IN_CELL_GAP = 2.5
# A table's rows follow each other within this many line heights.
TABLE_ROW_GAP = 2.6
# An unsure line under this share of the typical line height is noise, never a value's line.
NOISE_HEIGHT_SHARE = 0.6
# A line this much taller than the page's text and at most 2 characters long is a glyph (the Rx
# mark, a logo), never a value.
GLYPH_HEIGHT_RATIO = 1.6
# A grid column's header cell stands at most this many line heights above a cell of it.
HEADER_CELL_REACH = 12.0
# A header row with no rules between its columns is read in a band this many line heights high.
HEADER_BAND = 1.4
# The option of a ticked box is looked for this many text heights right of it at most.
OPTION_REGION_HEIGHTS = 8.0
HEADING_VALUE_NOTE = "read under a heading: check it is the value and not the section's print"
# A medicine line OCR misread beyond repair still reads as a name, a number and a short word.
ROUGH_DOSE_LINE = re.compile(r"^[A-Za-z][A-Za-z .()/-]*[A-Za-z)] \S*\d\S* ?[A-Za-z]{1,4}\.?$")
# List numbering and bullets are layout, not part of a medicine or a direction.
LIST_MARK = re.compile(r"^(?:\(?\d{1,2}[.)]|#\d{1,2}\.?|[•*·▪-])\s+")
BARE_LIST_MARK = re.compile(r"^(?:\(?\d{1,2}[.)]|#\d{1,2}\.?|[•*·▪-])$")


@dataclass(frozen=True)
class Candidate:
    """A possible value of ``field``: its lines of words, and what supports it."""

    field: str
    page: int
    lines: tuple[tuple[Word, ...], ...]
    how: str
    """beside, below, cell, option, table, repeated, section, find, find_lines, in_section."""
    label_score: float = 0.0
    keys: tuple[Key, ...] = ()
    trusted: bool = False
    """Unlabelled, but recognised by a shape that is trusted on any form."""
    note: str | None = None
    header_box: Box | None = None
    """For a ticked cell of an answer grid whose column header OCR did not read ("Y" | "N"):
    the header's cell; for a ticked box whose option beside it OCR did not read: that place.
    Read again on its own."""

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line]

    @property
    def texts(self) -> list[str]:
        """The value's lines, without list numbering; a line of a list that is its number
        alone ("1)" read apart from its medicine) is no line of the value."""
        texts = [" ".join(w.text for w in line) for line in self.lines]
        if len(texts) > 1:
            texts = [t for t in texts if not BARE_LIST_MARK.match(t.strip())]
        return [strip_list_mark(t) for t in texts]

    @property
    def labelled(self) -> bool:
        return bool(self.keys) and self.how not in ("find", "find_lines", "in_section")


def strip_list_mark(text: str) -> str:
    """A value line without its list numbering or bullet, and without a colon or semicolon at
    its end (a value never ends in one: a speck after "100 mg" is read as one)."""
    return LIST_MARK.sub("", text.strip()).rstrip(":;").rstrip()


@dataclass
class PageView:
    """One page as the candidate finders see it: lines, structure, keys and the line height."""

    page: PageText
    structure: PageStructure | None
    height: float
    keys: list[Key]
    headings: list[Key] = field(default_factory=list)
    """Keys that open a section: known wordings on a line of their own, no colon."""
    labels_under_values: bool = False
    """The form prints each label under its value (a caption under the line written on)."""
    label_columns: list[LabelColumn] = field(default_factory=list)
    """Columns of labels whose values stand in a column of their own (see extraction.columns)."""

    def __post_init__(self) -> None:
        self._key_lines = {id(k.line) for k in self.keys}

    def is_key_line(self, line: Line) -> bool:
        return id(line) in self._key_lines

    def key_on(self, line: Line) -> Key | None:
        return next((k for k in self.keys if k.line is line), None)


def labelled_candidates(spec: FieldSpec, view: PageView, doc_type: DocumentType) -> list[Candidate]:
    """The candidates of ``spec`` from every key on the page that reads as one of its labels."""
    found = []
    for key in view.keys:
        score = _label_score(spec, key, view, doc_type)
        if score >= LABEL_MIN_SCORE:
            found += _values_of_key(spec, key, view, score, "beside", "below")
        section = (
            phrase_score(key.text, best_phrase(key.text, spec.section_labels)[0])
            if spec.section_labels
            else 0
        )
        if section >= LABEL_MIN_SCORE and not key.colon:
            found += _values_of_key(spec, key, view, section, "section")
    return found


def _label_score(spec: FieldSpec, key: Key, view: PageView, doc_type: DocumentType) -> float:
    """How well ``key`` reads as one of the field's labels, in its section.

    Under a heading that belongs to another field of the same kind ("Home phone" under "In Case
    of Emergency" is the contact's phone) the key is that field's rather than this one's; under
    this field's own heading, a plain label of its kind reads as its own.
    """
    score = best_phrase(key.text, spec.labels)[1] if spec.labels else 0.0
    heading = section_of(key.box, view.headings)
    if heading is None:
        return score
    for other in doc_type.fields:
        if other is spec or other.kind != spec.kind or not other.section_labels:
            continue
        if best_phrase(heading.text, other.section_labels)[1] >= LABEL_MIN_SCORE:
            return score - 0.2
    if spec.section_labels and best_phrase(heading.text, spec.section_labels)[1] >= LABEL_MIN_SCORE:
        kin = [o for o in doc_type.fields if o.kind == spec.kind and o is not spec]
        same_kind = max((best_phrase(key.text, o.labels)[1] for o in kin), default=0.0)
        score = max(score, min(1.0, same_kind + 0.02))
    return score


def _values_of_key(spec: FieldSpec, key: Key, view: PageView, score: float, *hows: str) -> list[Candidate]:
    marks = _option_marks(key, view) if spec.kind in OPTION_KINDS else []
    # Boxes to tick come two or more to a question; a ring round a word is an answer alone.
    if len(marks) >= 2 or any(m.shape == "ring" for m in marks):
        return [_option_candidate(spec, key, view, marks, score)]
    found = []
    if "beside" in hows:
        beside = _beside(spec, key, view)
        if beside:
            found.append(Candidate(spec.name, key.page, beside, "beside", score, (key,)))
    if view.labels_under_values and key.whole_line and not found and "section" not in hows:
        above = lines_above(key, view, spec.max_lines)
        return [Candidate(spec.name, key.page, tuple(ln.words for ln in above), "above", score, (key,))]
    below = _below(
        spec, key.box, view, spec.max_first_gap, spec.max_lines, _value_cell(key, view), after_colon=key.colon
    )
    if found and below and below[0].words in found[0].lines:
        below = []  # the lines under the key go on the value beside it: no second reading
    if below or not found:
        how = "section" if "section" in hows else "below"
        # Under a heading that reads as the field's label ("MEDICAL HISTORY") and is ruled off
        # from what follows (a section bar), the first lines may be the section's own print (a
        # grid's header row) rather than the value.
        ruled_off = (
            how == "below" and below and key in view.headings and _rule_between(key.box, below[0].box, view)
        )
        note = HEADING_VALUE_NOTE if ruled_off else None
        found.append(
            Candidate(spec.name, key.page, tuple(ln.words for ln in below), how, score, (key,), note=note)
        )
    return found


def _rule_between(upper: Box, lower: Box, view: PageView) -> bool:
    """True when a horizontal rule runs between two boxes, across both."""
    if view.structure is None:
        return False
    return any(
        rule.orientation == "horizontal"
        and upper[3] - 2 <= rule.box[1]
        and rule.box[3] <= lower[1] + 2
        and rule.box[0] <= min(upper[2], lower[2])
        and rule.box[2] >= max(upper[0], lower[0])
        for rule in view.structure.rules
    )


def lines_above(key: Key, view: PageView, limit: int = 1) -> list[Line]:
    """The lines just above ``key`` in its column, nearest last, up to a key or a gap."""
    taken: list[Line] = []
    top = key.box[1]
    while len(taken) < limit:
        above = [
            ln
            for ln in view.page.lines
            if ln.box[3] <= top + 0.3 * view.height
            and top - ln.box[3] <= (1.0 if not taken else ABOVE_GAP) * view.height
            and _overlaps(ln.box, key.box)
            and ln not in taken
        ]
        nearest = max(above, key=lambda ln: ln.box[3], default=None)
        if nearest is None or view.is_key_line(nearest):
            break
        taken.append(nearest)
        top = nearest.box[1]
    return taken[::-1]


def gap_above(key: Key, view: PageView) -> float | None:
    """How far the nearest non-key line above ``key`` in its column is (None: none within a line)."""
    above = lines_above(key, view)
    return key.box[1] - above[0].box[3] if above else None


def gap_below(key: Key, view: PageView) -> float | None:
    """How far the nearest non-key line under ``key`` in its column is (None: none within a line)."""
    below = [
        ln
        for ln in view.page.lines
        if ln.box[1] >= key.box[3] - 0.3 * view.height
        and ln.box[1] - key.box[3] <= 1.0 * view.height
        and _overlaps(ln.box, key.box)
    ]
    nearest = min(below, key=lambda ln: ln.box[1], default=None)
    return None if nearest is None or view.is_key_line(nearest) else nearest.box[1] - key.box[3]


def _cell_under(cell: Box, line: Box, view: PageView) -> Box | None:
    """The cell holding ``line`` when it lies right under ``cell`` with the same sides."""
    below = _cell_of(line, view)
    height = view.height
    if (
        below is None
        or abs(below[0] - cell[0]) > height
        or abs(below[2] - cell[2]) > height
        or not 0 <= below[1] - cell[3] <= height
    ):
        return None
    return below


def _value_cell(key: Key, view: PageView) -> Box | None:
    """The key's cell when its value may be inside it (a label in a cell's corner); None when
    the key fills its cell alone, so the value is in the cell under it."""
    cell = _cell_of(key.box, view)
    if cell is None:
        return None
    others = [ln for ln in view.page.lines if ln is not key.line and mostly_inside(ln.box, cell)]
    return cell if others else None


def cell_beside(box: Box, view: PageView) -> Box | None:
    """The cell right of the one holding ``box`` on its row (a label's value cell), or None."""
    own = _cell_of(box, view)
    if own is None or view.structure is None:
        return None
    row = [
        cell.box
        for cell in view.structure.cells
        if 0 <= cell.box[0] - own[2] <= view.height and on_one_row(cell.box, own)
    ]
    return min(row, key=lambda cell: cell[0], default=None)


def _in_ruled_row_under(above: Line, line: Line, view: PageView) -> bool:
    """True when ``line`` stands in the cell right under the cell of ``above``, as wide."""
    cell = _cell_of(above.box, view)
    return cell is not None and _cell_under(cell, line.box, view) is not None


def _cell_of(box: Box, view: PageView) -> Box | None:
    if view.structure is None:
        return None
    cell = view.structure.cell_at(box)
    return cell.box if cell else None


def _beside(spec: FieldSpec, key: Key, view: PageView) -> tuple[tuple[Word, ...], ...]:
    """The value on the key's own line, else on a line level with it just to its right; for a
    multi-line field, with the lines under that first one."""
    words = list(key.rest)
    if not _has_text(words):
        words = _line_beside(key, view)
    if not _has_text(words):
        return ()
    lines: list[tuple[Word, ...]] = [tuple(words)]
    if spec.max_lines > 1:
        first = union_box([w.box for w in words])
        assert first is not None
        column = (min(first[0], key.box[0]) if key.colon and not key.rest else first[0], *first[1:])
        key_cell = _cell_of(key.box, view)
        cell = _cell_of(first, view) or (key_cell if key_cell and mostly_inside(first, key_cell) else None)
        more = _below(spec, column, view, spec.max_gap, spec.max_lines - 1, cell)
        lines += [ln.words for ln in more]
    return tuple(lines)


def _line_beside(key: Key, view: PageView) -> list[Word]:
    """A line level with the key and just right of it (a value on an underline is often read as
    a line of its own); a line starting where nearby keys start belongs to their column."""
    if not key.whole_line:
        return []
    reach = key.box[2] + BESIDE_MAX_GAP * view.height
    column = next((c for c in view.label_columns if c.holds(key.box, view.height)), None)
    if column is not None:
        reach = max(reach, column.value_x + ALIGN_HEIGHTS * view.height)
    level = [
        line
        for line in view.page.lines
        if key.box[2] - 2 <= line.box[0] <= reach
        and line is not key.line
        and on_one_row(line.box, key.box)
        and not view.is_key_line(line)
    ]
    key_edges = [
        k.box[0] for k in view.keys if k is not key and abs(k.box[1] - key.box[1]) <= 8 * view.height
    ]
    level = [
        ln
        for ln in level
        if all(abs(ln.box[0] - edge) > view.height for edge in key_edges)
        or (column is not None and column.starts_value(ln.box, view.height))
    ]
    if not level:
        return []
    # Beside a label wrapped over lines ("STREET" / "ADDRESS"), the value starts level with its
    # first line: of the lines level with the label, the top row's leftmost.
    top = min(ln.box[1] for ln in level)
    first_row = [ln for ln in level if ln.box[1] - top < 0.5 * view.height]
    return list(min(first_row, key=lambda ln: ln.box[0]).words)


def _below(
    spec: FieldSpec,
    column: Box,
    view: PageView,
    first_gap: float,
    limit: int,
    cell: Box | None,
    after_colon: bool = False,
) -> list[Line]:
    """Value lines under ``column``: overlapping it, in order, until a key, a wide gap, the
    edge of the cell the key is in, or ``limit`` lines. Right under a label that ends in a
    colon (``after_colon``), a first line that only reads like a label without one ("Harbor
    Insurance Company" under "Name of Insurance Company:") is its value."""
    height = view.height
    taken: list[Line] = []
    bottom = column[3]
    for line in _lines_under(column, view):
        if line.box[1] < column[1]:
            continue  # starts above the value: a label beside it, wrapped over two lines
        allowed = first_gap if not taken else spec.max_gap
        if abs(line.box[0] - (taken[-1].box[0] if taken else column[0])) <= 0.6 * height:
            allowed = max(allowed, ALIGNED_GAP)  # set flush under the value's line: its next line
        if cell is not None and mostly_inside(line.box, cell):
            allowed = max(allowed, IN_CELL_GAP)  # a cell holds its value, however spaced
        elif cell is None and taken and _in_ruled_row_under(taken[-1], line, view):
            allowed = max(allowed, IN_CELL_GAP)  # a list goes on in the ruled row under its line
        key = view.key_on(line) if view.is_key_line(line) else None
        # Right under a label, a line that only reads like a label is its value when the label
        # above ends in a colon, or when it reads like this same field's label: one field's
        # labels do not stack ("Blue Insurance Company" under "Insurance company").
        is_value = (
            not taken
            and key is not None
            and not key.colon
            and key not in view.headings  # a section heading is print under any label
            and (after_colon or best_phrase(key.text, spec.labels)[1] >= LABEL_MIN_SCORE)
            and not _line_beside(key, view)  # a label with its own value beside it
        )
        if line.box[1] - bottom > allowed * height or (key and not is_value) or _beside_a_key(line, view):
            break
        if cell is not None and not mostly_inside(line.box, cell):
            # A list written in a ruled area goes on in the cell under this one, as wide.
            cell = _cell_under(cell, line.box, view)
            if cell is None:
                break
        if _is_glyph(line, height) or _is_noise(line, height):
            continue
        taken.append(line)
        bottom = line.box[3]
        if len(taken) >= limit:
            break
    return taken


def _beside_a_key(line: Line, view: PageView) -> bool:
    """True for a line that starts a row with a label alone on its line to its left: that
    label's value. The label ends in a colon or stands in a column of labels; a line that only
    reads like a label ("Blue Insurance Company") may be a value of its own row."""
    return any(
        k.whole_line
        and k.box[2] <= line.box[0]
        and abs(k.box[1] - line.box[1]) <= 0.5 * view.height
        and (k.colon or any(c.holds(k.box, view.height) for c in view.label_columns))
        for k in view.keys
    )


def _option_marks(key: Key, view: PageView) -> list[SelectionMark]:
    """The checkboxes answering ``key``: on its row right of it, else on the row just under it."""
    if view.structure is None or not view.structure.marks:
        return []
    marks = view.structure.marks
    row = [m for m in marks if m.box[0] >= key.box[2] - 2 and on_one_row(m.box, key.line.box)]
    if row:
        return sorted(row, key=lambda m: m.box[0])
    top = key.box[3]
    under = [
        m
        for m in marks
        if top - 2 <= m.box[1] <= top + OPTIONS_BELOW * view.height and m.box[0] >= key.box[0] - view.height
    ]
    if not under:
        return []
    first = min(under, key=lambda m: m.box[1])
    return sorted((m for m in under if on_one_row(m.box, first.box)), key=lambda m: m.box[0])


def _option_candidate(
    spec: FieldSpec, key: Key, view: PageView, marks: list[SelectionMark], score: float
) -> Candidate:
    options = [_option_words(mark, marks, view) for mark in marks]
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
    if len(ticked) == 1 and not words:
        mark = marks[ticked[0]]
        header = _header_cell(mark, view) or _option_region(mark, marks, view)
    return Candidate(
        spec.name, key.page, (words,) if words else (), "option", score, (key,), note=note, header_box=header
    )


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
        and abs(cell.box[0] - column[0]) <= height
        and abs(cell.box[2] - column[2]) <= height
    ]
    top = column[1]
    for box in sorted(above, key=lambda box: -box[3]):
        if not any(mostly_inside(m.box, box) or m.box == box for m in structure.marks):
            return box
        top = min(top, box[1])
    # A header row with no rules between its columns: the band right over the column's first
    # answer cell.
    return (column[0], max(0, int(top - HEADER_BAND * height)), column[2], top - 1)


def _option_region(mark: SelectionMark, row: list[SelectionMark], view: PageView) -> Box | None:
    """Where the option of a ticked box is printed when OCR read nothing there (a row of
    boxes each with one digit beside it is often read as "OO"): right of the box, up to the
    next box of its row or ``OPTION_REGION_HEIGHTS`` text heights."""
    if mark.shape not in ("square", "circle"):
        return None
    height = view.height
    limit = mark.box[2] + OPTION_REGION_HEIGHTS * height
    right = min((m.box[0] for m in row if m.box[0] > mark.box[2]), default=limit)
    top, bottom = mark.box[1] - 0.3 * height, mark.box[3] + 0.3 * height
    return (mark.box[2] + 1, max(0, int(top)), int(min(right, limit)) - 1, int(bottom))


def _option_words(mark: SelectionMark, row: list[SelectionMark], view: PageView) -> tuple[Word, ...]:
    """The words printed right of ``mark``, up to the next mark of its row or a wide gap. A
    word OCR ran into the box ("L1Yes") loses the characters that lie over the box. A cell of
    an answer grid answers its column's header."""
    if mark.shape == "cell":
        return _column_header(mark, view)
    if mark.shape == "ring":
        return tuple(w for line in view.page.lines for w in line.words if mostly_inside(w.box, mark.box))
    right = min((m.box[0] for m in row if m.box[0] > mark.box[2]), default=view.page.width)
    level = sorted(
        (
            w
            for line in view.page.lines
            for w in line.words
            if w.box[2] > mark.box[2] and w.box[0] < right and on_one_row(w.box, mark.box)
        ),
        key=lambda w: w.box[0],
    )
    taken: list[Word] = []
    edge = mark.box[2]
    for word in level:
        if word.box[0] - edge > 2 * view.height:
            break
        taken.append(_trim_over(word, mark.box))
        edge = word.box[2]
    found = tuple(w for w in taken if w.text)
    return found or _column_header(mark, view)


def _column_header(mark: SelectionMark, view: PageView) -> tuple[Word, ...]:
    """A mark with no words beside it answers the column it stands in ("Yes" | "No" over a
    grid of boxes): the nearest short line above it, across its middle."""
    nearest = header_above(mark.box, view.page.lines, view.height)
    if nearest is None or len(nearest.words) > 3 or any(ch.isdigit() for ch in nearest.text):
        return ()
    return nearest.words


def _trim_over(word: Word, box: Box) -> Word:
    """``word`` without the characters read from the part of it that lies over ``box``."""
    over = min(word.box[2], box[2]) - word.box[0]
    if over <= 0:
        return word
    width = max(1, word.box[2] - word.box[0])
    cut = round(len(word.text) * over / width)
    return replace(word, text=word.text[cut:], box=(box[2], word.box[1], word.box[2], word.box[3]))


def table_candidates(doc_type: DocumentType, view: PageView) -> list[Candidate]:
    """Candidates from a table whose header row names the document's table columns: each field
    with ``table_columns`` gets, per row, the text of its columns joined (Medicine + Dose)."""
    if not doc_type.table_columns:
        return []
    header = _table_header(doc_type, view)
    if len(header) < 2:
        return []
    rows = _table_rows(header, view)
    found = []
    for spec in doc_type.fields:
        if not spec.table_columns or not any(name in header for name in spec.table_columns):
            continue
        lines = []
        for row in rows:
            words = [w for name in spec.table_columns for w in row.get(name, ())]
            if _has_text(words):
                lines.append(tuple(words))
        keys = tuple(header[name][0] for name in spec.table_columns if name in header)
        score = min(header[name][1] for name in spec.table_columns if name in header)
        ragged = any(_ragged(rows, name, view.height) for name in spec.table_columns)
        note = "a line starts right of its column's edge: its first word may be unread" if ragged else None
        found.append(Candidate(spec.name, view.page.index, tuple(lines), "table", score, keys, note=note))
    return found


def _table_header(doc_type: DocumentType, view: PageView) -> dict[str, tuple[Key, float]]:
    """The first row of keys naming two or more table columns: column name -> (key, score)."""
    for key in view.keys:
        if not key.whole_line:
            continue
        row = [k for k in view.keys if k.whole_line and on_one_row(k.box, key.box)]
        named: dict[str, tuple[Key, float]] = {}
        for k in row:
            column, score = max(
                ((name, best_phrase(k.text, words)[1]) for name, words in doc_type.table_columns.items()),
                key=lambda pair: pair[1],
            )
            if score >= LABEL_MIN_SCORE and score > named.get(column, (k, 0.0))[1]:
                named[column] = (k, score)
        if len(named) >= 2:
            return named
    return {}


def _table_rows(header: dict[str, tuple[Key, float]], view: PageView) -> list[dict[str, list[Word]]]:
    """The table's rows under its header: each word goes to the column whose header it sits
    under; a row with nothing in the first column continues the row above (a wrapped cell)."""
    named = sorted(((_column_start(k.box, view), name) for name, (k, _) in header.items()))
    # Header cells of no known column ("Days", "Qty") still end the column before them; their
    # own cells are left out.
    others = [
        (start, "")
        for line in view.page.lines
        if any(on_one_row(line.box, k.box) for k, _ in header.values())
        and all(abs((start := _column_start(line.box, view)) - x) > view.height for x, _ in named)
    ]
    columns = sorted(named + others)
    starts = [x for x, _ in columns]
    top = max(k.box[3] for k, _ in header.values())
    lines = sorted(
        (ln for ln in view.page.lines if ln.box[1] >= top - 2 and ln.box[2] > starts[0]),
        key=lambda ln: ln.box[1],
    )
    rows: list[dict[str, list[Word]]] = []
    row_box: Box | None = None
    bottom = top
    for line in lines:
        if view.is_key_line(line) or line.box[1] - bottom > TABLE_ROW_GAP * view.height:
            break
        if row_box is None or not on_one_row(line.box, row_box):
            if rows and not any(rows[-1].values()):
                rows.pop()
            rows.append({})
            row_box = line.box
        for word in line.words:
            centre = (word.box[0] + word.box[2]) / 2
            index = max((i for i, start in enumerate(starts) if centre >= start), default=0)
            if columns[index][1]:
                rows[-1].setdefault(columns[index][1], []).append(word)
        bottom = max(bottom, line.box[3])
    first = named[0][1]
    merged: list[dict[str, list[Word]]] = []
    for row in rows:
        if merged and first not in row:
            for name, words in row.items():
                merged[-1].setdefault(name, []).extend(words)
        else:
            merged.append(row)
    return merged


def _ragged(rows: list[dict[str, list[Word]]], column: str, height: float) -> bool:
    """True when most of the column's cells start at one edge and one starts well right of it:
    OCR lost its first word (a lone "1" beside a cell's border)."""
    starts = [row[column][0].box[0] for row in rows if row.get(column)]
    if len(starts) < 2:
        return False
    edge = min(starts)
    aligned = sum(start - edge <= 0.3 * height for start in starts)
    return 2 * aligned >= len(starts) and aligned >= 2 and max(starts) - edge > 0.8 * height


def _column_start(header: Box, view: PageView) -> float:
    """Where the column under a header starts: its cell's left border in a ruled table (a header
    may be centred over its column), else a line height left of the header."""
    cell = _cell_of(header, view)
    return cell[0] if cell is not None else header[0] - view.height


def repeated_candidates(spec: FieldSpec, view: PageView) -> list[Candidate]:
    """A label printed once per item ("Sig:" under each medicine): every occurrence's value,
    in reading order, as the lines of one multi-line value."""
    if spec.max_lines < 2:
        return []
    keys = [k for k in view.keys if k.colon and best_phrase(k.text, spec.labels)[1] >= 0.9]
    if len(keys) < 2:
        return []
    lines = [k.rest for k in keys if _has_text(k.rest)]
    score = min(best_phrase(k.text, spec.labels)[1] for k in keys)
    return [Candidate(spec.name, view.page.index, tuple(lines), "repeated", score, tuple(keys))]


def find_candidates(spec: FieldSpec, view: PageView, free: set[tuple[int, Box]]) -> list[Candidate]:
    """Unlabelled values recognised by their shape, among lines no other field took."""
    if spec.page is not None and spec.page != view.page.index:
        return []
    lines = [ln for ln in _lines_in_region(view.page, spec.region) if not view.is_key_line(ln)]
    lines = [ln for ln in lines if all((view.page.index, w.box) in free for w in ln.words)]
    found = []
    if spec.find:
        pattern = re.compile(spec.find)
        for line in lines:
            if _under_a_key(line, view):
                continue
            match = pattern.search(strip_list_mark(line.text))
            if match:
                words = _words_of_span(line, strip_list_mark(line.text), match.start(), match.end())
                found.append(Candidate(spec.name, view.page.index, (tuple(words),), "find"))
    shape = spec.line_pattern if spec.find_lines else spec.shape
    if shape:
        pattern = re.compile(shape)
        # A dose misread by a confusable glyph ("75 mq") keeps its line's shape.
        shaped = [ln for ln in lines if pattern.match(_as_dose_line(strip_list_mark(ln.text), spec))]
        strict = shaped[: spec.max_lines]
        if spec.dose_lines:
            shaped = _with_rough_neighbours(shaped, lines, view)
        shaped = shaped[: spec.max_lines]
        if shaped:
            checked = spec.find_lines  # lines the field's own check holds them to
            trusted = checked and shaped == strict and not _shaped_run_broken(shaped, lines, view)
            words = tuple(ln.words for ln in shaped)
            found.append(Candidate(spec.name, view.page.index, words, "find_lines", trusted=trusted))
    return found


def _as_dose_line(text: str, spec: FieldSpec) -> str:
    return repair_doses(text, spec.units)[0] if spec.dose_lines else text


def _with_rough_neighbours(shaped: list[Line], lines: list[Line], view: PageView) -> list[Line]:
    """The shaped lines with the lines of their list OCR misread too badly to keep the shape
    ("Losartan 25 my" among "Cetirizine 5 mg" lines): set flush with the list, at its pitch,
    and still a name, a number and a short word. A run grown so is never trusted, so the value
    is flagged."""
    if not shaped:
        return shaped
    run = sorted(shaped, key=lambda ln: ln.box[1])
    left = statistics.median(ln.box[0] for ln in run)
    pitch = 2.2 * view.height
    grown = True
    while grown:
        grown = False
        for line in lines:
            if line in run or not ROUGH_DOSE_LINE.match(strip_list_mark(line.text)):
                continue
            if abs(line.box[0] - left) > 0.6 * view.height:
                continue
            above = 0 < run[0].box[1] - line.box[1] <= pitch
            below = 0 < line.box[1] - run[-1].box[1] <= pitch
            if above or below:
                run = sorted([*run, line], key=lambda ln: ln.box[1])
                grown = True
    return run


def _shaped_run_broken(shaped: list[Line], free: list[Line], view: PageView) -> bool:
    """True when a free line among, just before or just after the shaped lines is not shaped
    like them: a line OCR misread ("Lialda 24 . gram") may belong to the value, and the clerk
    must look."""
    top, bottom = shaped[0].box[1], shaped[-1].box[3]
    for line in free:
        if line in shaped or _is_glyph(line, view.height) or _is_noise(line, view.height):
            continue
        between = top < line.box[1] < bottom
        near = 0 <= line.box[1] - bottom <= 1.5 * view.height or 0 <= top - line.box[3] <= 1.5 * view.height
        if between or (near and any(ch.isdigit() for ch in line.text)):
            return True
    return False


def section_lines(view: PageView, headings: Iterable[str]) -> list[Line]:
    """The unlabelled lines under a heading reading as one of ``headings``, in its column, down
    to the next key."""
    heads = [k for k in view.keys if not k.colon and best_phrase(k.text, headings)[1] >= LABEL_MIN_SCORE]
    lines = []
    for head in heads:
        column = (head.box[0], head.box[1], head.box[2], head.box[3])
        lines += _below_any(column, view)
    return lines


def _lines_under(column: Box, view: PageView) -> list[Line]:
    """The page's lines under ``column`` and overlapping it, top first."""
    under = (ln for ln in view.page.lines if _starts_below(ln.box, column[3], view.height))
    return sorted((ln for ln in under if _overlaps(ln.box, column)), key=lambda ln: ln.box[1])


def _below_any(column: Box, view: PageView) -> list[Line]:
    height = view.height
    taken: list[Line] = []
    bottom = column[3]
    for line in _lines_under(column, view):
        if line.box[1] - bottom > 2.2 * height or view.is_key_line(line):
            break
        if not (_is_glyph(line, height) or _is_noise(line, height)):
            taken.append(line)
            bottom = line.box[3]
    return taken


def _under_a_key(line: Line, view: PageView) -> bool:
    """True when the nearest line above ``line`` in its column is a key: another field's value."""
    above = [ln for ln in view.page.lines if ln.box[3] <= line.box[1] + 2 and _overlaps(ln.box, line.box)]
    if not above:
        return False
    nearest = max(above, key=lambda ln: ln.box[3])
    key = view.key_on(nearest)
    return key is not None and key.whole_line and line.box[1] - nearest.box[3] < 2 * view.height


def region_pixels(page: PageText, region: tuple[float, float, float, float]) -> tuple[float, ...]:
    """A region given in page fractions (x0, y0, x1, y1), in the page's pixels."""
    return (region[0] * page.width, region[1] * page.height, region[2] * page.width, region[3] * page.height)


def _lines_in_region(page: PageText, region: tuple[float, float, float, float]) -> list[Line]:
    x0, y0, x1, y1 = region_pixels(page, region)
    return [
        ln
        for ln in page.lines
        if ln.box[2] >= x0 and ln.box[0] <= x1 and ln.box[1] >= y0 - 1 and ln.box[3] <= y1 + 1
    ]


def _words_of_span(line: Line, text: str, start: int, end: int) -> list[Word]:
    """The words of ``line`` overlapping characters [start, end) of ``text`` (the line's text,
    perhaps without its list mark, which only ever drops whole leading words)."""
    dropped = len(line.text) - len(text)
    words, offset = [], 0
    for word in line.words:
        w_start, w_end = offset - dropped, offset - dropped + len(word.text)
        if w_end > start and w_start < end:
            words.append(word)
        offset += len(word.text) + 1
    return words


def _has_text(words: Iterable[Word]) -> bool:
    return any(any(ch.isalnum() for ch in w.text) for w in words)


def _overlaps(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0


def _grow(box: Box, by: int) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _starts_below(box: Box, bottom: int, line_height: float) -> bool:
    """True when a line lies under ``bottom``: its top within 0.3 line heights above it, or its
    middle below it (a label's box made tall by a "?" reaches into the answer under it)."""
    return box[1] >= bottom - line_height * 0.3 or (box[1] + box[3]) / 2 >= bottom


def _is_noise(line: Line, height: float) -> bool:
    """Noise read as text ("eit" at 0.25): far smaller than the print and unsure."""
    return line.height < NOISE_HEIGHT_SHARE * height and line.confidence < SURE_CONFIDENCE


def _is_glyph(line: Line, height: float) -> bool:
    return len(line.text.replace(" ", "")) <= 2 and line.height > GLYPH_HEIGHT_RATIO * height
