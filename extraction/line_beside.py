"""The value beside a label: a line level with it just to its right, or at the start of the
ruled cell beside the label's (a value on an underline is often read as a line of its own).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from extraction.captions import caption_under, is_caption, lines_above
from extraction.cells_beside import cell_beside, cell_right_of
from extraction.columns import ALIGN_HEIGHTS
from extraction.keys import KEY_MIN_SCORE, Key, asks, opens_what_follows
from extraction.label_ends import has_digits
from extraction.page_view import PageView, cell_of, heads_its_cell, line_heads_its_cell
from extraction.phrases import key_token, whole_phrase_score
from extraction.structure import Cell, PageStructure
from extraction.types import Box, Line, PageText, Word, mostly_inside, on_one_row

# A value printed beside its label sits within this many line heights of it.
BESIDE_MAX_GAP = 8.0
# A value printed under its label starts on the next line: its top within this many line
# heights of the label's foot.
UNDER_MAX_GAP = 1.5
# A label this long (letters and digits) that a line beside it ends with names that line's value
# ("Insurance company"); shorter ones ("Tel") end too many words by chance.
MIN_NAMED_AFTER = 8
# A line starting within this many line heights after a label is its value, though a label under
# it starts at the same edge; further off, it may be a label of that column, its own unread.
NEAR_BESIDE_GAP = 2.0
# A value written under its label starts within this many line heights under it (a roomy cell).
UNDER_REACH = 2.5
# A line read as a label at least this well is one wherever it stands.
EXACT_LABEL_SCORE = 0.95
# A cell's caption is set this share of the height of what is written under it, or smaller.
CAPTION_TYPE_SHARE = 0.75
# The widest space between two words of one value, in line heights.
WORD_SPACE = 0.6
# A label's note in small type (``without_label_notes``) stands within this many line heights
# under it, set this share of the height or the character width of the value beside it or smaller.
NOTE_GAP = 0.6
NOTE_TYPE_SHARE = 0.8
# ... overlapping it by this many line heights at most (a tall label's box).
NOTE_OVERLAP = 0.3
# Under a label left blank, a line is a note where the form has this many notes under labels
# with values, and its characters are as wide as theirs (the median) to within this share.
MIN_NOTES_FOR_BLANKS = 2
NOTE_TYPE_SPREAD = 0.15
# Notes found under this share of the labels with a line flush under them make the form one
# that sets a note under every label.
NOTE_FORM_SHARE = 0.5
# A digit read between two letters of a word: a letter misread, in a note as anywhere.
_LETTER_LOOK_ALIKE_DIGITS = re.compile(r"(?<=[^\W\d_])\d(?=[^\W\d_])")


def _cell_on_key_row(key: Key, value_cell: Box | None, in_corner: bool, view: PageView) -> Box | None:
    """The ruled cell beside the key's when the two cells' tops are level and the key stands
    alone at the top of its own: where a value may be written low beside a small label."""
    if value_cell is None or in_corner:
        return None
    if abs(value_cell[1] - (cell_of(key.box, view) or value_cell)[1]) > view.height:
        return None
    return value_cell


def _first_in_cell(line: Line, cell: Box | None, view: PageView) -> bool:
    """True for a line at the first line of text of ``cell`` (None: no such cell)."""
    if cell is None or not mostly_inside(line.box, cell):
        return False
    return line.box[1] - cell[1] <= view.height + (line.box[3] - line.box[1])


def _named_after(line: Line, key: Key) -> bool:
    """True for a line that reads as a label only by ending in ``key``'s own words, or in one
    long word of them, after words of its own, with no colon: a value named after its label
    ("Atlas Insurance Company" beside "Insurance company", "Pilgrim Health Plan" beside "Health
    plan", "Guardian Care Insurance" beside "Insurance provider"); one field's labels do not
    stand side by side."""
    if line.text.rstrip().endswith(":"):
        return False
    ending = key_token(line.text)
    named = [(key_token(key.text), len(key.words)), *((key_token(w.text), 1) for w in key.words)]
    return any(
        len(words) >= MIN_NAMED_AFTER and ending.endswith(words) and len(line.words) > count
        for words, count in named
    )


def line_beside(key: Key, view: PageView) -> list[Word]:
    """A line level with the key and just right of it, or at the start of the ruled cell beside
    the key's (a value on an underline is often read as a line of its own); a line starting
    where nearby keys start belongs to their column."""
    if not key.whole_line:
        return []
    reach = key.box[2] + BESIDE_MAX_GAP * view.height
    # A form may set its values at two edges (two pairs a row, or one pair spanning the row):
    # every column of labels the key stands in says where a value of it may start.
    columns = [c for c in view.label_columns if c.holds(key.box, view.height)]
    if columns:
        reach = max(reach, *(c.value_x + ALIGN_HEIGHTS * view.height for c in columns))
    value_cell = cell_beside(key.box, view)
    in_corner = heads_its_cell(key, view)
    low_cell = _cell_on_key_row(key, value_cell, in_corner, view)
    if value_cell is not None:
        # A ruled value cell beside the label's holds its value however wide the label's cell.
        reach = max(reach, value_cell[2])
    own_cell = cell_of(key.box, view)
    if own_cell is not None and not in_corner and key.box[0] - own_cell[0] <= view.height:
        # A label opening a ruled cell of its row: the rest of the cell is its value's, however
        # far along the value was written.
        reach = max(reach, own_cell[2])
    level = [
        line
        for line in view.page.lines
        if key.box[2] - 2 <= line.box[0] <= reach
        and line is not key.line
        and (on_one_row(line.box, key.box) or _first_in_cell(line, low_cell, view))
        and (not view.is_key_line(line) or _named_after(line, key))
        # Beside a label in its cell's corner, a line in the next cell's corner with text under
        # it is that cell's label, however unknown its wording ("St." over "Oregon").
        and not (in_corner and line_heads_its_cell(line, view))
    ]
    # A line starting where a nearby key starts is in that key's column of labels: the value
    # under it, or a label of its own. A caption ("(Address)", or a small "Address" printed
    # right under the line written on) starts where the value over it starts: no column.
    near_keys = [
        k
        for k in view.keys
        if k is not key
        and abs(k.box[1] - key.box[1]) <= 8 * view.height
        and not is_caption(k)
        and not _captions_the_line_over(k, view)
    ]
    level = [
        ln
        for ln in level
        if all(
            k.line is ln  # a value named after the label (``_named_after``) is its own key
            or abs(ln.box[0] - k.box[0]) > view.height
            or caption_under(k, ln, view)
            or (not _over(k, ln, view.height) and ln.box[0] - key.box[2] <= NEAR_BESIDE_GAP * view.height)
            for k in near_keys
        )
        or any(column.starts_value(ln.box, view.height) for column in columns)
        # A line in the ruled cell beside the label's is that cell's value, wherever it starts,
        # unless a label of that cell claims it (the cell holds a label and its value).
        or (
            low_cell is not None
            and mostly_inside(ln.box, low_cell)
            and not any(mostly_inside(k.box, low_cell) for k in near_keys)
        )
    ]
    if not level:
        return []
    # Beside a label wrapped over lines ("STREET" / "ADDRESS"), the value starts level with its
    # first line: of the lines level with the label, the top row's leftmost.
    top = min(ln.box[1] for ln in level)
    first_row = [ln for ln in level if ln.box[1] - top < 0.5 * view.height]
    return list(min(first_row, key=lambda ln: ln.box[0]).words)


def without_values_beside_labels(
    keys: list[Key], vocabulary: tuple[str, ...], height: float, structure: PageStructure | None = None
) -> list[Key]:
    """``keys`` without the lines that stand where a value does, right beside a label closed by
    its colon with nothing after it on its line or in the ruled cell beside a label's cell, or
    right under such a label at its left edge (``_right_under``), with no colon of their own,
    that end in a label's words after words of no label: a name ending in a label's words
    ("Health plan: Blue Insurance Company", "Health plan | CIC Insurance", "Name of insurance
    company:" over "Atlas Health Insurance"). A label with a word of its own added
    ("Medications taken", "Known drug allergies") stays one wherever it stands. Nor does a line
    written under its cell's caption read as a label (``_written_under_a_caption``)."""
    cells = {id(key): structure.cell_at(key.box) for key in keys} if structure is not None else {}
    return [
        key
        for key in keys
        if not _written_under_a_caption(key, keys, cells)
        and (
            key.colon
            or not key.whole_line
            or not _named_like_a_label(key.text, vocabulary)
            or not any(_where_its_value_stands(key, label, height, structure) for label in keys)
        )
    ]


def _where_its_value_stands(key: Key, label: Key, height: float, structure: PageStructure | None) -> bool:
    """True when ``key`` stands where ``label``'s value does: right beside it on its row, the
    label closed by its colon or ``key`` in the ruled cell beside the label's; or, the label
    closed by its colon, right under it at its left edge, ``key`` asking for nothing."""
    if not label.whole_line:
        return False
    if on_one_row(label.box, key.box) and 0 < key.box[0] - label.box[2] <= BESIDE_MAX_GAP * height:
        return label.colon or _in_the_cell_beside(key.box, label.box, structure, height)
    return label.colon and _right_under(key.box, label.box, height) and not _asks(key)


def _asks(key: Key) -> bool:
    """True for a key that asks for a value or opens an item ("2) Your date of birth" under
    the question before it): print, never a value."""
    return asks(key) or opens_what_follows(key)


def _right_under(box: Box, label: Box, height: float) -> bool:
    """True when ``box`` starts under ``label``'s left edge (within a line's height) on the next
    line (its top within UNDER_MAX_GAP line heights of the label's foot): where a form that
    sets its values under their labels puts the value."""
    return abs(box[0] - label[0]) <= height and 0 <= box[1] - label[3] <= UNDER_MAX_GAP * height


def _written_under_a_caption(key: Key, keys: list[Key], cells: dict[int, Cell | None]) -> bool:
    """True when ``key``, a whole line with no colon, stands in a ruled cell under another key of
    that cell set in smaller type (``CAPTION_TYPE_SHARE`` of its height at most): the cell's
    caption and what was written in it, which reads like a label of its own ("St." over "MI",
    a state's code that reads as "M.I."). Two lines of one caption are set alike. ``cells``
    holds the ruled cell of each key (by ``id``), None for a key in none."""
    cell = cells.get(id(key))
    if key.colon or not key.whole_line or cell is None:
        return False
    height = key.box[3] - key.box[1]
    return any(
        other is not key
        and other.box[3] <= key.box[1]
        and other.box[3] - other.box[1] <= CAPTION_TYPE_SHARE * height
        and cells.get(id(other)) == cell
        for other in keys
    )


def _in_the_cell_beside(box: Box, label: Box, structure: PageStructure | None, height: float) -> bool:
    """True when ``box`` stands in the ruled cell right of the one holding ``label``."""
    beside = cell_right_of(label, structure, height)
    own = structure.cell_at(box) if structure is not None else None
    return beside is not None and own is not None and own.box == beside


def with_label_like_tails_joined(page: PageText, vocabulary: tuple[str, ...], height: float) -> PageText:
    """The page with each line that reads as a label, with no colon, and follows another line on
    its row a word's space after it joined to that line: OCR parted a value whose end reads
    like a label ("Harbor | Insurance Company"), and no label follows print a word's space
    after it without a colon."""
    lines = list(page.lines)
    for tail in page.lines:
        if ":" in tail.text or whole_phrase_score(tail.text, vocabulary) < KEY_MIN_SCORE:
            continue
        head = next(
            (
                line
                for line in lines
                if line is not tail
                and on_one_row(line.box, tail.box)
                and 0 <= tail.box[0] - line.box[2] <= WORD_SPACE * height
            ),
            None,
        )
        if head is not None and tail in lines:
            lines[lines.index(head)] = Line(head.words + tail.words)
            lines.remove(tail)
    return page if len(lines) == len(page.lines) else replace(page, lines=tuple(lines))


def _captions_the_line_over(key: Key, view: PageView) -> bool:
    """True for a key set in small type right under a line ("Address line 1" under the street
    written on its rule): that line's caption, which starts no column of labels."""
    small = key.box[3] - key.box[1] <= CAPTION_TYPE_SHARE * view.height
    return small and bool(lines_above(key, view))


def _named_like_a_label(text: str, vocabulary: tuple[str, ...]) -> bool:
    """Whether ``text`` is words that open no label followed by a label's words read exactly
    ("Atlas | Health Insurance"): how insurers and clinics name themselves. A word that opens a
    label makes the whole a longer label ("Emergency | Contact phone"); one only inside a label
    may name an insurer ("Guardian | Health Plan", though a form asks for a "Parent /
    Guardian")."""
    words = text.split()
    known = _first_label_words(vocabulary)
    for start in range(1, len(words)):
        if any(_bare(word) in known for word in words[:start]):
            return False
        if whole_phrase_score(" ".join(words[start:]), vocabulary) >= EXACT_LABEL_SCORE:
            return True
    return False


@cache
def _first_label_words(vocabulary: tuple[str, ...]) -> frozenset[str]:
    """The first word of each of the vocabulary's labels, lower case."""
    return frozenset(_bare(label.split()[0]) for label in vocabulary if label.split())


def _bare(word: str) -> str:
    """A word in lower case without the punctuation round it and a possessive's ending: the
    "Contact's phone" of a form is the "Contact phone" of the vocabulary."""
    bare = word.lower().strip(".,'’():?")
    return re.sub(r"['’]s$", "", bare)


def _over(key: Key, line: Line, height: float) -> bool:
    """Whether ``key`` is a label alone on its line standing right over ``line`` (within
    ``UNDER_REACH`` line heights): its value may be written under it. A label further up ("Date
    of visit" over a section's rows) has other lines for its value."""
    middle = (key.box[1] + key.box[3]) / 2
    return key.whole_line and middle < line.box[1] <= key.box[3] + UNDER_REACH * height


def without_label_notes(
    page: PageText, keys: list[Key], height: float, note_width: float | None = None
) -> tuple[PageText, float | None]:
    """``page`` without the notes printed in small type right under a label, flush with it and
    ending before the value beside the label (``label_notes``), and the median width of their
    characters (``label_note_width``; None for fewer than two notes)."""
    notes = label_notes(page, keys, height, note_width)
    if not notes:
        return page, None
    kept = replace(page, lines=tuple(line for line in page.lines if id(line) not in notes))
    return kept, label_note_width(notes.values())


def label_notes(
    page: PageText, keys: list[Key], height: float, note_width: float | None = None
) -> dict[int, Line]:
    """The notes printed in small type right under a label whose value stands beside it, flush
    with the label and ending before the value, by line id: the label in a second language
    ("Date of birth:" over "Fecha de nacimiento"), a hint ("as on your card"). They are the
    form's print, never a value; read as one, they ran into the value above or under them.
    Small type is lower or narrower than the value beside the label: a box's height alone says
    little (it holds a letter's tail or not). Where the form sets its notes so under two labels
    or more, any line flush under a label, left blank or not, is a note when its characters are
    as wide as theirs (the median) to within NOTE_TYPE_SPREAD: a note set only a little smaller
    than a value; where notes so found stand under most of the labels that have a line flush
    under them (NOTE_FORM_SHARE), every such line is one, whatever its type. ``note_width``
    is that median as found on the document's other pages (a form sets its notes one way on
    every page), for a page with too few labels to show it.
    Lines with digits are left (a value written small)."""
    keyed = {id(key.line) for key in keys}
    notes: dict[int, Line] = {}
    under: list[tuple[float, list[Line]]] = []  # each key's value edge and lines flush under it
    for key in keys:
        beside = [
            line
            for line in page.lines
            if id(line) not in keyed and on_one_row(line.box, key.box) and line.box[0] > key.box[2]
        ]
        value_x = min((line.box[0] for line in beside), default=key.box[2] if key.rest else page.width)
        flush = _lines_flush_under(key, page, keyed, height)
        under.append((value_x, flush))
        if not beside and not key.rest:
            continue
        # Measured against the value (a label's box may be tall: a mark read into it).
        row = beside or [key.line]
        row_height = max(line.box[3] - line.box[1] for line in row)
        row_width = max(_char_width(line) for line in row)
        for line in flush:
            lower = line.box[3] - line.box[1] <= NOTE_TYPE_SHARE * row_height
            narrower = _char_width(line) <= NOTE_TYPE_SHARE * row_width
            if (lower or narrower) and line.box[2] < value_x:
                notes[id(line)] = line
    width = note_width if len(notes) < MIN_NOTES_FOR_BLANKS else label_note_width(notes.values())
    if width is None:
        return notes
    for value_x, lines in under:
        for line in lines:
            if abs(_char_width(line) - width) <= NOTE_TYPE_SPREAD * width and line.box[2] < value_x:
                notes[id(line)] = line
    # A form that sets a note under most of its labels sets one under every label.
    if len(notes) >= NOTE_FORM_SHARE * sum(1 for _x, lines in under if lines):
        notes |= {id(line): line for value_x, lines in under for line in lines if line.box[2] < value_x}
    return notes


def label_note_width(notes: Iterable[Line]) -> float | None:
    """The median width of the characters of a form's label notes, None for fewer than
    MIN_NOTES_FOR_BLANKS notes: too few to tell the form's type for them."""
    widths = sorted(_char_width(line) for line in notes)
    return widths[len(widths) // 2] if len(widths) >= MIN_NOTES_FOR_BLANKS else None


def _char_width(line: Line) -> float:
    """How wide a line's characters are on average: its type's size, whatever its letters."""
    return (line.box[2] - line.box[0]) / max(1, len(line.text))


def _lines_flush_under(key: Key, page: PageText, keyed: set[int], height: float) -> list[Line]:
    """The lines without digits right under ``key``, set flush with it. The gap is measured from
    a line's height under the label's top at least: a label with no letter hanging below its
    line ("Chronic conditions:") has a box ending short of the others'. A digit between two
    letters is a letter misread ("Direcci6n"), no value's."""
    bottom = max(key.box[3], key.box[1] + height)
    return [
        line
        for line in page.lines
        if id(line) not in keyed
        and not has_digits(_LETTER_LOOK_ALIKE_DIGITS.sub("", line.text))
        and -NOTE_OVERLAP * height <= line.box[1] - bottom <= NOTE_GAP * height
        and abs(line.box[0] - key.box[0]) <= ALIGN_HEIGHTS * height
    ]
