"""What every candidate finder shares: a ``Candidate`` (a possible value and what supports it),
the ``PageView`` a finder reads a page through, and the small helpers of lines and boxes they
all use (a line's cell, the lines under a box, noise and glyphs that are never a value)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from extraction.columns import LabelColumn
from extraction.keys import Key, section_of
from extraction.label_ends import text_of
from extraction.label_shapes import ANOTHER_ITEM
from extraction.layout import SURE_CONFIDENCE
from extraction.types import Box, Line, PageText, Word, mostly_inside, on_one_row, union_box

if TYPE_CHECKING:
    from extraction.structure import PageStructure

# A key's words are this similar to one of a field's labels for the key to count as the field's.
LABEL_MIN_SCORE = 0.8
# An unsure line under this share of the typical line height is noise, never a value's line.
NOISE_HEIGHT_SHARE = 0.6
# A line this much taller than the page's text and at most 2 characters long is a glyph (the Rx
# mark, a logo), never a value.
GLYPH_HEIGHT_RATIO = 1.6
# A word boxed this many line heights wide per character is no letters but a drawn stroke (a
# "W" is about one line height wide).
STROKE_WIDTH_RATIO = 2.5
# List numbering and bullets are layout, not part of a medicine or a direction: "1." "2)" "(3)"
# "#4", a lower-case roman numeral "ii." "(iv)" or letter "b)" "(c)", or a bullet. (A capital
# letter with a point is an initial: "J. Smith".)
_ROMAN = r"(?:x|x?(?:i{1,3}|iv|v|vi{1,3}|ix))"
_LIST_NUMBERING = rf"(?:\(?\d{{1,2}}[.)]|#\d{{1,2}}\.?|\(?{_ROMAN}[.)]|\(?[a-h]\)|[•*·▪-])"
LIST_MARK = re.compile(rf"^{_LIST_NUMBERING}\s+")
# Alone on its line an item number's point may be read as a comma ("2," for "2."): nothing
# else reads so. Inside a line a number and comma open an address ("12, rue de Rivoli").
BARE_LIST_MARK = re.compile(rf"^(?:{_LIST_NUMBERING}|\d{{1,2}},)$")
# A list's item number whose point was read as a comma ("2, Tab. Simvastatin 10 mg"): one only
# in a list of medicines with their doses; an address may open so ("12, rue de Rivoli").
COMMA_ITEM_NUMBER = re.compile(r"^\(?\d{1,2},\s+(?=[A-Za-z])")
# A line's opening item number in a list numbered in turn: its digits, then its point, bracket
# or a comma read for the point, or nothing (a lone "3" with its point lost), then a space or
# the line's end.
ITEM_OPENING = re.compile(r"^\(?(\d{1,2})([.),]?)(?:\s+|$)")
# A list's item number and the space after it, its full stop or bracket optional (OCR drops a
# lone "2." to "2"): which item a line is.
LIST_NUMBER = re.compile(r"\(?(\d{1,2})[.)]?\s")
# A section bar is at least this share of the page's print (or of its table) wide, and a shaded
# one at most this many lines tall (a shaded block holding a label and its value is no bar).
SECTION_BAR_SHARE = 0.8
BAR_LINES = 2.5
# Said of a list one of whose items was read from its "Other:" line.
OTHER_LINE_NOTE = 'an item was read from the list\'s "Other" line: check it'
# A list's "Other:" line starts at most this many text heights under its last item.
OTHER_LINE_GAP = 2.5


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
    the header's cell; for a ticked box: the place of its option, read again on its own when
    what OCR read there does not answer the field."""

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line]

    @property
    def value_lines(self) -> list[tuple[Word, ...]]:
        """The lines that hold the value: without a list's item numbers alone. In a list numbered
        in turn ("1, Atorvastatin", "2.", "3") a number alone is an item left empty, its point
        lost; elsewhere a line that is a number alone ("1)" read apart from its medicine, or "1"
        with its point lost, left of another line of the value on its row) is no line of it."""
        lines = list(self.lines)
        if len(lines) < 2:
            return lines
        if self._numbered_in_turn:
            return [line for line in lines if _holds_an_item(text_of(line))]
        return [line for line in lines if not _item_number_alone(line, lines)]

    @cached_property
    def _numbered_in_turn(self) -> bool:
        return numbered_in_turn([text_of(line) for line in self.lines])

    @property
    def value_words(self) -> list[Word]:
        return [w for line in self.value_lines for w in line]

    @property
    def texts(self) -> list[str]:
        """The value's lines (``value_lines``), without list numbering; in a list numbered in
        turn, a comma after an item's number is its point misread."""
        lines = [text_of(line) for line in self.value_lines]
        if self._numbered_in_turn:
            lines = [ITEM_OPENING.sub("", line, count=1) for line in lines]
        return [strip_list_mark(line) for line in lines]

    @property
    def labelled(self) -> bool:
        return bool(self.keys) and self.how not in ("find", "find_lines", "in_section")


def strip_list_mark(text: str) -> str:
    """A value line without its list numbering or bullet, and without a colon or semicolon at
    its end (a value never ends in one: a speck after "100 mg" is read as one). A list's items
    are words: before digits alone what looks like an item number is part of the number, the
    area code of "(02) 9337 9274"."""
    text = text.strip()
    unlisted = LIST_MARK.sub("", text)
    if any(ch.isalpha() for ch in unlisted) or not any(ch.isdigit() for ch in unlisted):
        text = unlisted
    return text.rstrip(":;").rstrip()


def numbered_in_turn(texts: list[str]) -> bool:
    """True when every one of two or more lines opens with a list's item number, in turn from
    the first ("1.", "2)", "3"), at least one of them marked as an item's number is (a point or
    a bracket): the lines are a numbered list, whatever OCR made of some of its points. Lines
    opening with bare numbers only are doses ("1 tablet daily", "2 tablets at night")."""
    openings = [ITEM_OPENING.match(text) for text in texts]
    if len(texts) < 2 or not all(openings):
        return False
    numbers = [int(match.group(1)) for match in openings if match]
    marked = any(match.group(2) in ".)" and match.group(2) for match in openings if match)
    return marked and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _holds_an_item(text: str) -> bool:
    """True for a line of a numbered list that holds more than its number."""
    return any(ch.isalnum() for ch in ITEM_OPENING.sub("", text, count=1))


def written_after_other_label(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The words written after the colon of the "Other:" / "Other (specify):" label ``words``
    open with (the colon among their first four words); empty when they open with no such label
    or nothing follows its colon."""
    if not ANOTHER_ITEM.match(text_of(words)):
        return ()
    colon = next((i for i, w in enumerate(words[:4]) if w.text.endswith(":")), None)
    return words[colon + 1 :] if colon is not None else ()


def _item_number_alone(line: tuple[Word, ...], lines: list[tuple[Word, ...]]) -> bool:
    """Whether ``line`` is a list's item number read apart from its item: "2." or "2)", or a
    bare number of one or two digits standing left of another of ``lines`` on its row."""
    text = text_of(line).strip()
    if BARE_LIST_MARK.match(text):
        return True
    if not re.fullmatch(r"\d{1,2}", text):
        return False
    box = union_box([w.box for w in line])
    return any(
        other is not line
        and bool(other)
        and on_one_row(box, (row := union_box([w.box for w in other])))
        and row[0] > box[2]
        for other in lines
    )


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
    no_field_titles: list[Key] = field(default_factory=list)
    """Keys titling a section of no field's ("Secondary insurance", "Family history:"; see
    ``extraction.label_scores.no_field_titles``)."""

    section_breaks: list[Key] = field(default_factory=list)
    """Keys over a section's rule that read exactly as a field's label ("Medical History",
    "Insurance"): labels still, they end the section above them."""
    note_width: float | None = None
    """How wide the characters of the notes printed under its labels are (see
    ``extraction.line_beside.label_notes``); None when fewer than two were found."""
    instructions: frozenset[int] = frozenset()
    """The ``id`` of each line, no label's, that reads as the form's instructions ("If none,
    write NONE"): print, which ends the value lines over it."""

    def __post_init__(self) -> None:
        self._key_lines = {id(k.line) for k in self.keys}
        # Each key's row lead, once: every field's label score asks for it (see ``row_lead``).
        self._row_leads: dict[int, tuple[Key, Key | None]] = {}
        # Each key's label score per field, once: both ways of reading the form's labels (above
        # or under their values) ask for them (see ``extraction.label_scores.label_score``).
        self.label_scores: dict[tuple[int, int, int], tuple[object, object, object, float]] = {}

    @property
    def sections(self) -> list[Key]:
        """The keys that end the section above them: the headings and the section breaks."""
        return [*self.headings, *self.section_breaks]

    def is_key_line(self, line: Line) -> bool:
        return id(line) in self._key_lines

    def row_lead(self, key: Key) -> Key | None:
        """The leftmost key on ``key``'s row left of it, in its panel: a key under another
        heading than ``key``'s opens a row of another panel of the form (panels side by side,
        each under its own title)."""
        known = self._row_leads.get(id(key))
        if known is not None and known[0] is key:
            return known[1]
        heading = section_of(key.box, self.headings)
        before = [
            k
            for k in self.keys
            if k.box[2] <= key.box[0]
            and on_one_row(k.box, key.box)
            and section_of(k.box, self.headings) is heading
        ]
        lead = min(before, key=lambda k: k.box[0], default=None)
        self._row_leads[id(key)] = (key, lead)
        return lead

    def key_on(self, line: Line) -> Key | None:
        return next((k for k in self.keys if k.line is line), None)

    def written_on_other_line(self, left: float, bottom: float) -> tuple[Word, ...]:
        """What is written on a list's "Other:" line starting right under its last item (whose
        bottom is ``bottom``), from the list's left edge ``left`` on: one more item, not printed
        among the options ("Other (specify): Losartan 50 mg"). Empty when no such line follows,
        or nothing is written after its label's colon."""
        below = sorted(
            (
                line
                for line in self.page.lines
                if line.box[0] >= left
                and -0.3 * self.height <= line.box[1] - bottom <= OTHER_LINE_GAP * self.height
            ),
            key=lambda line: line.box[1],
        )
        for line in below:
            if ANOTHER_ITEM.match(line.text):
                return written_after_other_label(line.words)
        return ()

    @cached_property
    def lines_but_strokes(self) -> tuple[Line, ...]:
        """The page's lines less drawn strokes read as text (a signature, ``is_stroke``) and what
        OCR read inside them."""
        strokes = [ln.box for ln in self.page.lines if is_stroke(ln, self.height)]
        if not strokes:
            return tuple(self.page.lines)
        return tuple(ln for ln in self.page.lines if not any(mostly_inside(ln.box, box) for box in strokes))

    @cached_property
    def section_bars(self) -> tuple[Box, ...]:
        """The shaded areas shaped like a section's bar: nearly as wide as the page's print
        (``SECTION_BAR_SHARE``) and not much taller than a line (``BAR_LINES``)."""
        if self.structure is None or not self.structure.shades or not self.page.lines:
            return ()
        lines = self.page.lines
        span = max(line.box[2] for line in lines) - min(line.box[0] for line in lines)
        return tuple(
            shade
            for shade in self.structure.shades
            if shade[2] - shade[0] >= SECTION_BAR_SHARE * span
            and shade[3] - shade[1] <= BAR_LINES * self.height
        )


def cell_of(box: Box, view: PageView) -> Box | None:
    if view.structure is None:
        return None
    cell = view.structure.cell_at(box)
    return cell.box if cell else None


def lines_under(column: Box, view: PageView) -> list[Line]:
    """The page's lines under ``column`` and overlapping it, top first."""
    under = (ln for ln in view.page.lines if _starts_below(ln.box, column[3], view.height))
    return sorted((ln for ln in under if overlaps(ln.box, column)), key=lambda ln: ln.box[1])


def has_text(words: Iterable[Word]) -> bool:
    return any(any(ch.isalnum() for ch in w.text) for w in words)


def overlaps(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0


def _grow(box: Box, by: int) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _starts_below(box: Box, bottom: int, line_height: float) -> bool:
    """True when a line lies under ``bottom``: its top within 0.3 line heights above it, or its
    middle below it (a label's box made tall by a "?" reaches into the answer under it)."""
    return box[1] >= bottom - line_height * 0.3 or (box[1] + box[3]) / 2 >= bottom


def is_noise(line: Line, height: float) -> bool:
    """Noise read as text ("eit" at 0.25): far smaller than the print and unsure."""
    return line.height < NOISE_HEIGHT_SHARE * height and line.confidence < SURE_CONFIDENCE


def is_stroke(line: Line, height: float) -> bool:
    """A drawn stroke read as text (a signature's flourish read "Oo Fe"): unsure, with a word
    whose box is wider per character than any printed or written letter is."""
    return line.confidence < SURE_CONFIDENCE and any(
        w.x1 - w.x0 > STROKE_WIDTH_RATIO * height * max(1, len(w.text)) for w in line.words
    )


def is_glyph(line: Line, height: float) -> bool:
    return len(line.text.replace(" ", "")) <= 2 and line.height > GLYPH_HEIGHT_RATIO * height


def apart_from_glyphs(page: PageText, height: float) -> PageText:
    """``page`` with a tall glyph that opens a line (the Rx sign, a big bullet, a logo's letter)
    set on a line of its own: tesseract runs it into the first line beside it ("R 1. Omeprazole
    10 mg"), which then reads as no medicine and no list item. The rest of the line is of the
    page's print (its words' median height under the glyph's): a title set large all along is
    no glyph and a line, while one word's box swollen by a scan's noise leaves the rest print."""
    lines: list[Line] = []
    for line in page.lines:
        first, rest = Line(line.words[:1]), line.words[1:]
        if (
            rest
            and is_glyph(first, height)
            and statistics.median(w.height for w in rest) <= GLYPH_HEIGHT_RATIO * height
        ):
            lines += [first, Line(rest)]
        else:
            lines.append(line)
    if len(lines) == len(page.lines):
        return page
    return replace(page, lines=tuple(lines))


def heads_its_cell(key: Key, view: PageView) -> bool:
    """True when ``key`` stands at the top of a ruled cell that holds text under it: a label in
    the corner of the box its value is written in, whatever the line above the box holds."""
    return _heads_cell(key.line, key.box, view)


def line_heads_its_cell(line: Line, view: PageView) -> bool:
    """True when ``line`` stands at the top of a ruled cell with other text under it."""
    return _heads_cell(line, line.box, view)


def _heads_cell(line: Line, box: Box, view: PageView) -> bool:
    if view.structure is None:
        return False
    cell = view.structure.cell_at(box)
    if cell is None:
        return False
    inside = [other for other in view.page.lines if other is not line and mostly_inside(other.box, cell.box)]
    return bool(inside) and all(ln.box[1] >= box[1] + 0.5 * view.height for ln in inside)


def others_in_cell(key: Key, page: PageText, cell: Box) -> list[Line]:
    """The lines of ``page`` in the cell ``key`` stands in, other than the key's own."""
    return [line for line in page.lines if line is not key.line and mostly_inside(line.box, cell)]


def on_section_bar(key: Key, view: PageView) -> bool:
    """True when ``key``'s line stands alone on one of the page's section bars (a shaded bar
    nearly as wide as the page's print and not much taller than a line): how forms set a
    section's heading ("INSURANCE / BILLING"), whose second word then reads as a value beside
    the first. Rows of a table shaded by turns look the same, so this only casts doubt."""
    return any(
        mostly_inside(key.line.box, bar) and not others_in_cell(key, view.page, bar)
        for bar in view.section_bars
    )
