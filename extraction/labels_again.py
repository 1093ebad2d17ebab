"""A second look at labels: unsure short lines read again on their own when a field's label is
nowhere on the document.

The page pass misreads a label now and then as it misreads a value: a fax's stretched rows turn
"D.O.B." into "D.O0.B.", a blurred "EXPIRY DATE" reads "EPRVOATE". Its field is then left blank
as if the form had no such field. A line the page pass read unsurely, short as labels are, is
read again alone (by the caller's ``LineReader``: the second reader, told the missing fields'
label wordings); where the second reading is a missing field's label and the first was not, the
line is replaced and the fields are read again. Values found this way are flagged with both
readings of the label.

``extraction.unsure_labels`` reads a page's unsure labels again before any field is found, with
tesseract, and only lines shaped as labels (a colon, a short line set apart). This pass comes after,
only when fields are left with no label, and asks the second reader, which reads blurred and faxed
print that tesseract misreads a second time alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from extraction.doctypes import DocumentType, FieldSpec
from extraction.errors import ExtractionError
from extraction.fields import RegionReader, extract_fields
from extraction.label_ends import KEY_MIN_SCORE
from extraction.options import Options
from extraction.phrases import best_phrase
from extraction.second_reader import read_crop
from extraction.second_readings import better_second_readings
from extraction.structure import PageStructure
from extraction.structure.geometry import grow, overlap_area
from extraction.types import Box, FieldResult, Line, PageText, Word
from extraction.unsure_labels import label_crop
from extraction.word_decoding import Expected

# Reads the line in a box of a page again, told the label wordings it may hold: its words (boxes
# in page pixels), none when it holds no text or the reader failed.
LineReader = Callable[[int, Box, tuple[str, ...]], list[Word]]

# A line whose weakest word was read less surely than this may be a misread label.
UNSURE_LINE = 0.75
# Labels are short: a line of more words than this (a label and its value at most) is not read again.
MAX_LINE_WORDS = 6
# A misread label still reads this much like its wording ("EPRVOATE" 0.67 like "Expiry date",
# "D.O0.B." 0.40 like "DOB"); a line less like every missing field's label is most often a value
# (a name, an address line) and is not worth the second reader's call.
MIN_LIKENESS = 0.4
# At most this many lines a document are read again, the likeliest labels first.
MAX_LINES = 10


@dataclass(frozen=True)
class LabelReadAgain:
    """A line of a page read again as a missing field's label: the page pass's text and the new."""

    page: int
    first: str
    again: str


def missing_fields(fields: dict[str, FieldResult]) -> list[str]:
    """The fields left blank with no place on the page: their label was found nowhere."""
    return [name for name, field in fields.items() if not field.value and field.box is None]


def read_labels_again(
    doc_type: DocumentType,
    missing: Sequence[str],
    fields: dict[str, FieldResult],
    pages: list[PageText],
    read_line: LineReader,
) -> tuple[list[PageText], list[LabelReadAgain]]:
    """``pages`` with the unsure short lines that, read again, are a label of a ``missing``
    field (and were not as first read, but somewhat like one: ``MIN_LIKENESS``) replaced by
    their second reading; what was replaced. Lines holding a found value are left alone."""
    wordings = tuple(label for name in missing for label in doc_type.field(name).labels)
    if not wordings:
        return pages, []
    taken = [(f.page, f.box) for f in fields.values() if f.value and f.box is not None]
    unsure = [
        (likeness, page.index, line, label)
        for page in pages
        for line in page.lines
        if _may_be_a_label(label := _label_part(line))
        and not any(p == page.index and overlap_area(box, label.box) > 0 for p, box in taken)
        # Read as a label already (another reason left its field blank), or too unlike any and
        # not shaped as one either.
        and (likeness := best_phrase(label.text, wordings)[1]) < KEY_MIN_SCORE
        and (likeness >= MIN_LIKENESS or _ends_as_a_label(label))
    ]
    unsure.sort(key=lambda item: -item[0])
    replaced: dict[tuple[int, Box], Line] = {}
    found = []
    for _likeness, index, line, label in unsure[:MAX_LINES]:
        words = read_line(index, label_crop(label.box), wordings)
        if not words:
            continue
        again = Line(tuple(words))
        if best_phrase(again.text, wordings)[1] >= KEY_MIN_SCORE:
            # The value read after the label on its line stays as the page pass read it.
            replaced[(index, line.box)] = Line(again.words + line.words[len(label.words) :])
            found.append(LabelReadAgain(index, label.text, again.text))
    if not replaced:
        return pages, []
    return [_with_lines(page, replaced) for page in pages], found


def with_missing_labels_read_again(
    doc_type: DocumentType,
    fields: dict[str, FieldResult],
    pages: list[PageText],
    images: Sequence[np.ndarray],
    structures: Sequence[PageStructure],
    reread: RegionReader,
    options: Options,
) -> tuple[dict[str, FieldResult], list[PageText]]:
    """The fields and pages after the unsure short lines were read again for the labels of the
    fields left with no label: a missing field the new reading fills takes its value, flagged
    with both readings of its label (a value another field held is flagged on both, as after
    the sparse pass); the pages are the new ones when any field was filled."""
    missing = missing_fields(fields)
    read_line = second_reader_lines(images, None if options.second_reader else reread)
    again_pages, again = read_labels_again(doc_type, missing, fields, pages, read_line)
    if not again:
        return fields, pages
    third = extract_fields(doc_type, again_pages, options.review_confidence, reread, structures)
    filled = {name: third[name] for name in missing if third[name].value}
    if not filled:
        return fields, pages
    fields = {**fields, **better_second_readings(doc_type, fields, {**fields, **filled})}
    for name in filled:
        fields[name].flag(_label_read_again(doc_type.field(name), again))
    return fields, again_pages


def _label_read_again(spec: FieldSpec, again: list[LabelReadAgain]) -> str:
    """The reason of a value found under a label read again: how the label read both times."""
    line = max(again, key=lambda a: best_phrase(a.again, spec.labels)[1])
    return f"its label was found only when read again: {line.first!r} at first, {line.again!r} then"


def _label_part(line: Line) -> Line:
    """The words of ``line`` up to its first that ends in a colon ("D.O.B.:" of "D.O.B.: 02/06/1963"):
    a label with its value on the line; the whole line when none does."""
    for index, word in enumerate(line.words[:-1]):
        if word.text.endswith(":"):
            return Line(line.words[: index + 1])
    return line


def _ends_as_a_label(line: Line) -> bool:
    """True for print that ends as labels and questions do, in a colon or a question mark, however
    unlike every wording its letters were read ("Auld:" for "Address:")."""
    return line.text.rstrip().endswith((":", "?"))


def _may_be_a_label(line: Line) -> bool:
    """A short line read unsurely, with letters (a letter misread as a digit counts: "0.0.B:"
    for "D.O.B.:"): perhaps a misread label."""
    return (
        line.confidence < UNSURE_LINE
        and len(line.words) <= MAX_LINE_WORDS
        and any(ch.isalpha() for ch in line.text)
        and sum(ch.isalnum() for ch in line.text) >= 2
    )


def _with_lines(page: PageText, replaced: dict[tuple[int, Box], Line]) -> PageText:
    lines = tuple(replaced.get((page.index, line.box), line) for line in page.lines)
    return replace(page, lines=lines)


def second_reader_lines(images: Sequence[np.ndarray], fallback: RegionReader | None = None) -> LineReader:
    """A ``LineReader`` over the pages' ``images``: ``read_box`` told the label wordings. With
    ``fallback`` (the second reader turned off), tesseract reads the box again instead."""

    def read(page: int, box: Box, wordings: tuple[str, ...]) -> list[Word]:
        if fallback is not None:
            return fallback(page, box, "line")
        return read_box(images[page], box, wordings)

    return read


def read_box(image: np.ndarray, box: Box, answers: tuple[str, ...] = ()) -> list[Word]:
    """The second reader (``read_crop``) on ``box`` of a page's ``image`` as one line, its reading
    snapped to one of ``answers`` where its own column probabilities support that, the words laid
    out over the box by their letters; none when the box holds no text or the reader fails."""
    x0, y0, x1, y1 = grow(box, 0, image.shape)
    if x1 <= x0 or y1 <= y0:
        return []
    try:
        reading = read_crop(image[y0:y1, x0:x1], expected=Expected(answers=answers))
    except ExtractionError:
        return []
    return [] if reading is None else spread_over(reading.text, reading.confidence, (x0, y0, x1, y1))


def spread_over(text: str, confidence: float, box: Box) -> list[Word]:
    """The words of ``text`` laid over ``box`` in proportion to their letters (a space counted as
    one): a reading given as text alone, placed where it was read."""
    x0, y0, x1, y1 = box
    unit = (x1 - x0) / max(1, len(text))
    words, start = [], 0
    for token in text.split(" "):
        if token:
            left = x0 + round(start * unit)
            words.append(Word(token, confidence, (left, y0, left + max(1, round(len(token) * unit)), y1)))
        start += len(token) + 1
    return words
