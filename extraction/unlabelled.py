"""Unlabelled values: lines recognised by their shape (a doctor's name, medicine lines) among
the lines no other field took, and the unlabelled lines under a section heading."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

from extraction.doctypes import FieldSpec
from extraction.doses import repair_doses
from extraction.lexicon import resembles_listed
from extraction.page_view import (
    COMMA_ITEM_NUMBER,
    LABEL_MIN_SCORE,
    LIST_NUMBER,
    OTHER_LINE_GAP,
    OTHER_LINE_NOTE,
    Candidate,
    PageView,
    is_glyph,
    is_noise,
    lines_under,
    overlaps,
    strip_list_mark,
)
from extraction.phrases import best_phrase
from extraction.types import Box, Line, PageText, Word, on_one_row

# A medicine line OCR misread beyond repair still reads as a name, a number and a short word;
# the number may be glued to the name by a speck read as a mark ("Losartan.100 mg").
ROUGH_DOSE_LINE = re.compile(r"^[A-Za-z][A-Za-z .()/-]*[A-Za-z)](?: |[.,:;'`])\S*\d\S* ?[A-Za-z]{1,4}\.?$")
# How like a listed name (edit distance over length) the first word of a rough dose line must be
# for the line to open a medicine list no line of which kept its shape.
RESEMBLES_A_NAME = 0.7
# A list with a line of directions under each item sets its items this many times the pitch of
# its lines apart, at most (two lines each, and room between).
ITEM_WITH_DIRECTIONS = 3.0
# An amount written by hand and read as letters ("Ww" for "25", "IOOU" for "1000") is this
# many characters at most.
ROUGH_AMOUNT_LETTERS = 5
# A medicine's line is its name and a few words (dose, unit, form): no more words than this.
ROUGH_ITEM_WORDS = 5
# The lines of a section's unlabelled block are at most this many text heights apart.
SECTION_GAP = 2.2
# A line ending at most this many text heights left of a value found by its shape, on its row,
# may be the value's label, misread ("poB" for "DOB" beside a date).
LABEL_REACH = 4.0
UNREAD_LABEL_NOTE = "a word just left of it may be its label, misread: check which field it is"


def find_candidates(spec: FieldSpec, view: PageView, free: set[tuple[int, Box]]) -> list[Candidate]:
    """Unlabelled values recognised by their shape, among lines no other field took."""
    if spec.page is not None and spec.page != view.page.index:
        return []
    lines = [ln for ln in _lines_in_region(view.page, spec.region) if not view.is_key_line(ln)]
    lines = [ln for ln in lines if all((view.page.index, w.box) in free for w in ln.words)]
    lines = [ln for ln in lines if not _option_left_empty(ln, view)]
    found = []
    if spec.find:
        pattern = re.compile(spec.find)
        for line in lines:
            if _under_a_key(line, view):
                continue
            text = strip_list_mark(line.text)
            match = pattern.search(text)
            if match and not after_a_word(text[: match.start()]):
                words = _words_of_span(line, text, match.start(), match.end())
                note = UNREAD_LABEL_NOTE if _after_a_line(line, view) else None
                found.append(Candidate(spec.name, view.page.index, (tuple(words),), "find", note=note))
    shape = spec.unlabelled_shape
    if shape:
        pattern = re.compile(shape)
        # A dose misread by a confusable glyph ("75 mq") keeps its line's shape.
        shaped = [ln for ln in lines if pattern.match(_as_dose_line(strip_list_mark(ln.text), spec))]
        strict = shaped[: spec.max_lines]
        if spec.dose_lines:
            shaped = _with_rough_neighbours(shaped or _rough_run(lines, view, spec), lines, view, spec)
        shaped = shaped[: spec.max_lines]
        if shaped:
            checked = spec.find_lines  # lines the field's own check holds them to
            trusted = checked and shaped == strict and not _shaped_run_broken(shaped, lines, view)
            words = tuple(ln.words for ln in shaped)
            written = _written_after(shaped, view, free) if spec.find_lines else ()
            note = OTHER_LINE_NOTE if written else None
            words = (*words, written) if written else words
            found.append(
                Candidate(
                    spec.name,
                    view.page.index,
                    words,
                    "find_lines",
                    trusted=trusted and not written,
                    note=note,
                )
            )
    return found


def _written_after(shaped: list[Line], view: PageView, free: set[tuple[int, Box]]) -> tuple[Word, ...]:
    """What is written on the "Other:" line under a list of shaped lines, if no field took it."""
    start = min(ln.box[0] for ln in shaped)
    bottom = max(ln.box[3] for ln in shaped)
    # The list goes on down its options left unticked.
    unticked = sorted(
        (ln for ln in view.page.lines if abs(ln.box[0] - start) <= view.height and ln.box[1] > bottom),
        key=lambda ln: ln.box[1],
    )
    for line in unticked:
        if line.box[1] - bottom > OTHER_LINE_GAP * view.height or not _option_left_empty(line, view):
            break
        bottom = line.box[3]
    written = view.written_on_other_line(start - 2 * view.height, bottom)
    return written if all((view.page.index, w.box) in free for w in written) else ()


def _option_left_empty(line: Line, view: PageView) -> bool:
    """True for a line on the row of a box left empty (``PageStructure.beside_an_empty_box``)."""
    return view.structure is not None and view.structure.beside_an_empty_box(line.box, view.page)


def _after_a_line(line: Line, view: PageView) -> bool:
    """True when a line that reads as no label ends on ``line``'s row, at most LABEL_REACH text
    heights left of it: the value's own label, unread as one, or a value beside another label."""
    return any(
        other is not line
        and on_one_row(other.box, line.box)
        and 0 <= line.box[0] - other.box[2] <= LABEL_REACH * view.height
        and not view.is_key_line(other)
        for other in view.page.lines
    )


def after_a_word(before: str) -> bool:
    """True when what stands before a found value on its line ends in a word: the value is that
    word's ("Printed Jan 13, 2020 12:23", "Fax received 03/04/2021"), a label of no field. A
    place and a comma before it date a letter ("Springfield, 12 May 2020")."""
    before = before.rstrip()
    return bool(before) and before[-1].isalnum()


def _as_dose_line(text: str, spec: FieldSpec) -> str:
    return repair_doses(COMMA_ITEM_NUMBER.sub("", text), spec.units)[0] if spec.dose_lines else text


def _with_rough_neighbours(
    shaped: list[Line], lines: list[Line], view: PageView, spec: FieldSpec
) -> list[Line]:
    """The shaped lines with the lines of their list OCR misread too badly to keep the shape
    ("Losartan 25 my" among "Cetirizine 5 mg" lines): set flush with the list, at its pitch,
    and still a name, a number and a short word; or, with a line of directions between items,
    a line whose word at the list's edge still resembles a listed name ("CipreFlexacin WU NG":
    handwritten doses read as letters), from that word on. A run grown so is never trusted, so
    the value is flagged."""
    if not shaped:
        return shaped
    run = sorted(shaped, key=lambda ln: ln.box[1])
    taken = {id(ln) for ln in run}
    left = statistics.median(ln.box[0] for ln in run)
    pitch = 2.2 * view.height
    grown = True
    while grown:
        grown = False
        for line in lines:
            if id(line) in taken:
                continue
            item, reach = line, pitch
            if not ROUGH_DOSE_LINE.match(strip_list_mark(line.text)):
                item, reach = _led_by_a_name(line, left, view.height, spec), ITEM_WITH_DIRECTIONS * pitch
            if item is None or abs(item.box[0] - left) > 0.6 * view.height:
                continue
            above = 0 < run[0].box[1] - item.box[1] <= reach
            below = 0 < item.box[1] - run[-1].box[1] <= reach
            # Flush with the list between two of its items, it is the item between them.
            inside = run[0].box[1] < item.box[1] < run[-1].box[1]
            # A numbered list with lines between its items (directions under each medicine)
            # has no pitch of its own: the next item is the one numbered next.
            number, last = _item_number(line, lines, view.height), _item_number(run[-1], lines, view.height)
            next_item = number is not None and last is not None and number == last + 1
            if above or below or inside or (next_item and item.box[1] > run[-1].box[1]):
                run = sorted([*run, item], key=lambda ln: ln.box[1])
                taken.add(id(line))
                grown = True
    return run


def _led_by_a_name(line: Line, left: float, height: float, spec: FieldSpec) -> Line | None:
    """``line`` from its word standing at the list's left edge on, when that word resembles a
    listed name (a glyph or bullet read before it is left out) and a medicine's few words follow
    it, not a sentence ("Methotrexate - Take 2 capsule ...": directions naming their medicine);
    None otherwise."""
    for index, word in enumerate(line.words):
        if abs(word.box[0] - left) > 0.6 * height:
            continue
        item = line.words[index:]
        return Line(item) if len(item) <= ROUGH_ITEM_WORDS and _like_a_listed_name(word, spec) else None
    return None


def _like_a_listed_name(word: Word, spec: FieldSpec) -> bool:
    """Whether the letters ``word`` opens with resemble a name of the field's lexicons."""
    name = re.match(r"[A-Za-z]+", word.text)
    return name is not None and resembles_listed(name.group(0), spec.lexicons, RESEMBLES_A_NAME)


def _rough_run(lines: list[Line], view: PageView, spec: FieldSpec) -> list[Line]:
    """When no line keeps a medicine's shape, the first rough dose line whose name still
    resembles a listed one ("Sectealine 5° wi," for "Sertraline 50 mg": handwriting or heavy
    damage misread every line of the list); `_with_rough_neighbours` grows it into its list.
    Lines found so are never trusted: the value is flagged, and read again by the second look."""
    for line in sorted(lines, key=lambda ln: ln.box[1]):
        text = strip_list_mark(line.text).rstrip(".,;:'` ")
        if not _rough_item(text, spec) or is_glyph(line, view.height):
            continue
        # The name is the first word, or the second after a list number misread as letters
        # ("th) Sertraline 50 re" for "(1) Sertraline 50 mg").
        for index, word in enumerate(line.words[:2]):
            if _like_a_listed_name(word, spec):
                return [Line(line.words[index:])]
    return []


def _rough_item(text: str, spec: FieldSpec) -> bool:
    """Whether ``text`` still reads as a medicine's line: a name, a number and a short word; or a
    name, one short word and one of the field's units, the number written by hand and read as
    letters ("Spironclactone Ww MG" for "Spironolactone 25 mg")."""
    if ROUGH_DOSE_LINE.match(text):
        return True
    words = text.split()
    units = {unit.lower() for unit in spec.units}
    return len(words) == 3 and len(words[1]) <= ROUGH_AMOUNT_LETTERS and words[2].lower() in units


def _item_number(line: Line, lines: list[Line], height: float) -> int | None:
    """The number a list prints before ``line`` ("2." opening the line, or alone just left of
    it on its row), None when it is not numbered."""
    opening = LIST_NUMBER.match(line.text)
    if opening:
        return int(opening.group(1))
    for other in lines:
        if other is line or not on_one_row(other.box, line.box):
            continue
        alone = LIST_NUMBER.fullmatch(other.text.strip() + " ")
        if alone and 0 <= line.box[0] - other.box[2] <= 4 * height:
            return int(alone.group(1))
    return None


def _shaped_run_broken(shaped: list[Line], free: list[Line], view: PageView) -> bool:
    """True when a free line among, just before or just after the shaped lines is not shaped
    like them: a line OCR misread ("Lialda 24 . gram") may belong to the value, and the clerk
    must look."""
    top, bottom = shaped[0].box[1], shaped[-1].box[3]
    for line in free:
        if line in shaped or is_glyph(line, view.height) or is_noise(line, view.height):
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


def _below_any(column: Box, view: PageView) -> list[Line]:
    """The lines under ``column`` down to the next key or a gap wider than ``SECTION_GAP``
    heights of the text above it: the page's, or the taller hand a line above was written in
    (a hand twice the print's size is spaced as widely)."""
    height = view.height
    taken: list[Line] = []
    bottom, above = column[3], height
    for line in lines_under(column, view):
        if line.box[1] - bottom > SECTION_GAP * above or view.is_key_line(line):
            break
        if not (is_glyph(line, height) or is_noise(line, height)):
            taken.append(line)
            # The writing's height is its words' median: one letter's tail does not count.
            bottom, above = line.box[3], max(height, statistics.median(w.height for w in line.words))
    return taken


def _under_a_key(line: Line, view: PageView) -> bool:
    """True when the nearest line above ``line`` in its column is a key: another field's value."""
    above = [ln for ln in view.page.lines if ln.box[3] <= line.box[1] + 2 and overlaps(ln.box, line.box)]
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
