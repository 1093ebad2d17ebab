"""A second look by another recognizer at values tesseract read without confidence.

Tesseract reads handwritten values badly and says so with low word confidences. Such a value's
ink (``extraction.value_crop``) is read again by the second reader (``extraction.second_reader``,
a neural line recognizer), its words read against the field's vocabularies (a misread word
becomes the listed word its ink nearly reads: ``extraction.word_decoding``); a value of several
lines is read line by line, and a blank of a kind with a strict check (a date, a phone, a
number) is read where tesseract found no words. The two readings are weighed in
``extraction.weigh_readings``: where they agree a value flagged only for tesseract's doubt in its
ink may lose its flag; where they disagree the field is flagged with both, and the second reading
taken only where it is the likelier (passes the check where tesseract's did not, is far surer,
reads known words...). A value read surely that raises one of its field's doubts (a count lost,
"take tab daily") is read again too. A choice's value that is none of its answers ("WNUNE") is
read again as the answer its ink most likely shows. A taken reading is always flagged, so a
clerk sees every value this step changed; the only flag it lifts is that of ink both readers
read alike.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Set
from dataclasses import replace

import numpy as np

from extraction.doctypes import DocumentType, FieldSpec
from extraction.errors import ExtractionError
from extraction.layout import similarity
from extraction.normalize import normalize
from extraction.part_values import composed_from_parts, fill_parts
from extraction.readings_agree import letters
from extraction.second_reader import Reading, read_crop
from extraction.stray_phones import phones_out_of_lists
from extraction.types import BLANK_DOUBT, Box, FieldResult, Line, PageText, Word, mostly_inside, on_one_row
from extraction.validate import IMMUNITY, YES_NO, check_value, doubts_about
from extraction.value_crop import ink_within, value_crop
from extraction.weigh_readings import (
    STRICT_KINDS,
    TAKE_CHECKED,
    TAKE_CONFIDENCE,
    all_known,
    compare,
    vocabularies_for,
)
from extraction.word_decoding import Expected, NumberShape

CropReader = Callable[[np.ndarray, "str | None", Expected], "Reading | None"]

# A page row with this many times the letters of the value's line holds more than the line.
ROW_EXCESS = 1.5
# A value's line is the page's line whose letters are at least this like its own (difflib's
# ratio): the value may hold a word corrected against a word list ("alcoho]" taken as "alcohol").
LINE_READ_AS = 0.8
# Kinds of values whose parts are read again one by one: names and addresses.
PART_KINDS = ("person", "text")
# Kinds read as one line of free text, digits or a date: choices (yes/no, immune) are not.
LOOK_KINDS = ("text", "person", "date", "phone", "integer", "identifier")
# A value whose confidence is below this is read again: the engine flags below 0.80, and a value
# tesseract read at 0.80-0.90 is still often a confident misreading of handwriting.
LOOK_BELOW = 0.90
# Values of these kinds are read again even when tesseract was sure of them: one digit misread
# passes every check, and only a second reader at least as sure that reads it otherwise tells.
DIGIT_KINDS = ("date", "phone", "integer", "identifier")
# The characters a value of these kinds is written with: the reader may read no others.
KIND_SYMBOLS: dict[str, str] = {"integer": "0123456789"}
# Lexicons that hold every word a field's lines are written with (the words of dosing
# directions), not only some of them as a list of names does.
LINE_LEXICONS = ("directions",)
# The words of a date written with its month in words (the C locale's English names), and the
# symbols its numbers and a phone's are written with.
MONTH_WORDS = (*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept")
DATE_SYMBOLS = "0123456789/-.,"
# The shapes of a date written in digits (day, month and year in either order, or the year first),
# its parts joined by one separator each time: a written "/" read as a "1" ("716/2023") is read
# in the likeliest of them the recognizer's columns support.
DATE_SHAPES = (
    NumberShape(((1, 2), (1, 2), (4, 4)), "/-."),
    NumberShape(((1, 2), (1, 2), (2, 2)), "/-."),
    NumberShape(((4, 4), (1, 2), (1, 2)), "/-."),
)
PHONE_SYMBOLS = "0123456789()+-."
# The answers a choice is written with: its value is one of them.
ANSWERS: dict[str, tuple[str, ...]] = {"yesno": YES_NO, "immunity": IMMUNITY}


def second_look(
    doc_type: DocumentType,
    fields: dict[str, FieldResult],
    images: list[np.ndarray],
    pages: list[PageText] | None = None,
    reader: CropReader = read_crop,
    left_blank: Set[str] = frozenset(),
) -> dict[str, FieldResult]:
    """``fields`` with every unsure value read again from its crop, a value of several lines
    line by line (their boxes come from ``pages``, the OCR the fields were found in), and a
    phone number read again at either end of a list's value taken out of it
    (``extraction.stray_phones``). A blank of a field named in ``left_blank`` (a learned
    layout left it out: the form prints something else there) is not read."""
    for spec in doc_type.fields:
        result = fields.get(spec.name)
        if result is None or (result.box is None and not result.spots):
            continue
        if composed_from_parts(result):
            # Read as one crop, the parts' places give the page's order, not the field's.
            fields[spec.name] = _look_at_parts(spec, result, images[result.page], reader)
            continue
        image = images[result.page]
        if _blank_to_read(spec, result):
            if spec.name not in left_blank:
                fields[spec.name] = _read_blank(spec, result, image, reader)
            continue
        if _answer_to_read(spec, result):
            reading = _read(reader, image, result.box, None, expected_for(spec))
            if reading is not None:
                fields[spec.name] = _take_answer(spec, result, reading)
            continue
        if not _wanted(spec, result):
            continue
        if "\n" not in result.value:
            reading = _read(reader, image, result.box, KIND_SYMBOLS.get(spec.kind), expected_for(spec))
            # A value tesseract was sure of is weighed only against a reading as sure.
            if reading is not None and (_unsure(spec, result) or reading.confidence >= result.confidence):
                fields[spec.name] = compare(spec, result, reading)
        elif pages is not None:
            fields[spec.name] = _look_at_lines(spec, result, image, pages[result.page], reader)
    # Read again, a line that opened a list for fitting no field's shape may be a phone number.
    return phones_out_of_lists(doc_type, fields)


def _look_at_parts(
    spec: FieldSpec, result: FieldResult, image: np.ndarray, reader: CropReader
) -> FieldResult:
    """A value put together from its parts with each unsure part weighed against its own second
    reading (as a value of the field's kind, with the field's vocabularies: a given name as a
    name, a town against the places), put together again in the field's order; flagged, naming
    the parts read otherwise, when any is."""
    read = {piece.name: piece.value for piece in result.parts}
    if spec.kind not in PART_KINDS or fill_parts(spec.parts_format, read) != result.value:
        # A phone's part read alone is no phone to check; a value with a part not read in a
        # box of its own (a street of two lines) cannot be put together again from its boxes.
        return result
    changed = []
    for piece in result.parts:
        part_spec = _part_spec(spec, piece.name)
        part = FieldResult(piece.value, piece.confidence, False, page=result.page, box=piece.box)
        if not _wanted(part_spec, part):
            continue
        reading = _read(reader, image, piece.box, KIND_SYMBOLS.get(part_spec.kind), expected_for(part_spec))
        if reading is None or not (_unsure(part_spec, part) or reading.confidence >= part.confidence):
            continue
        weighed = compare(part_spec, part, reading)
        if weighed.value and weighed.value != piece.value:
            read[piece.name] = weighed.value
            changed.append(f"{piece.value!r} as {weighed.value!r}")
    if not changed:
        return result
    parts = tuple(replace(piece, value=read[piece.name]) for piece in result.parts)
    again = replace(result, value=fill_parts(spec.parts_format, read), parts=parts)
    again.flag(f"parts read again by the second reader: {', '.join(changed)}")
    return again


def _part_spec(spec: FieldSpec, part: str) -> FieldSpec:
    """A part of ``spec`` as a one-line field of free text (a given name alone is no full name,
    an area code no phone number), read against the field's vocabularies (a name's parts
    against the names)."""
    lexicons = (*vocabularies_for(spec), *spec.lexicons) if spec.kind == "person" else spec.lexicons
    return FieldSpec(
        name=f"{spec.name}.{part}", label=f"{spec.label}: {part}", labels=(part,), lexicons=lexicons
    )


def _read(
    reader: CropReader, image: np.ndarray, box: Box, symbols: str | None, expected: Expected
) -> Reading | None:
    """The second reading of the value written in ``box`` in ``symbols`` (None: any), read as
    ``expected``, or None (no ink, or the reader failed: the first reading then stands, with
    whatever flags it has)."""
    crop = value_crop(image, box)
    if crop is None:
        return None
    try:
        return reader(crop, symbols, expected)
    except ExtractionError:
        return None


def _look_at_lines(
    spec: FieldSpec, result: FieldResult, image: np.ndarray, page: PageText, reader: CropReader
) -> FieldResult:
    """A value of several lines with each unsure line weighed against its own second reading
    (see ``compare``); left alone when its lines cannot be told apart on the page."""
    lines = result.value.split("\n")
    rows = _rows_of(lines, page, result.box)
    if rows is None:
        return result
    looked, problems, line_spec = list(lines), [], one_line(spec)
    for index, row in enumerate(rows):
        sure = row.confidence >= LOOK_BELOW and not doubts_about(line_spec, lines[index])
        if sure or _holds_more(row, lines[index]):
            continue
        reading = _read(reader, image, row.box, None, expected_for(spec))
        if reading is None:
            continue
        first = FieldResult(lines[index], row.confidence, needs_review=False)
        line = compare(line_spec, first, reading, place=index + 1)
        looked[index] = line.value
        if line.reason:
            problems.append(f"line {index + 1}: {line.reason}")
    if not problems:
        return result
    value = "\n".join(looked)
    if value != result.value and check_value(spec, value) and not check_value(spec, result.value):
        # A line taken that breaks a check the first reading passed: that reading stands, flagged.
        value = result.value
    confidence = result.confidence if value == result.value else min(result.confidence, 0.79)
    changed = replace(result, value=value, confidence=confidence)
    changed.flag("; ".join(problems))
    return changed


def _rows_of(lines: list[str], page: PageText, box: Box) -> list[Line] | None:
    """The page's rows of the value's ``lines``, one each, or None when they cannot be told: the
    lines inside its box, else those with most of their text in it (a glyph OCR joined to a
    line stands outside); of either, when more, those reading as the value's lines (another
    field's lines between the value's, directions under each medicine, lie in its box too)."""
    for whole in (True, False):
        rows = value_rows(page, box, whole)
        if len(rows) != len(lines):
            rows = [row for row in rows if letters(row.text) in {letters(line) for line in lines}]
        if len(rows) == len(lines):
            return rows
    return _lines_reading_as(lines, page, box)


def _lines_reading_as(lines: list[str], page: PageText, box: Box) -> list[Line] | None:
    """For each of the value's ``lines``, the OCR line in its box that reads as it, or None when
    one has none: a stray mark in the box (a tall letter's tail read as a line of its own)
    runs two rows together, but each line of the value is still a line of the page."""
    inside = [Line(words) for line in page.lines if (words := _words_inside(line, box))]
    found = []
    for line in lines:
        # The value's line as read, or corrected a letter or two against a word list.
        scored = [(similarity(letters(row.text), letters(line)), index) for index, row in enumerate(inside)]
        score, index = max(scored, default=(0.0, -1))
        if score < LINE_READ_AS or index in found:
            return None
        found.append(index)
    return [inside[index] for index in found]


def _holds_more(row: Line, line: str) -> bool:
    """True when the page's row holds far more than the value's line: other print too (the
    options of a checklist between the ticked ones), so its reading is not the line's."""
    return len(letters(row.text)) > ROW_EXCESS * len(letters(line)) + 2


def value_rows(page: PageText, box: Box, whole: bool = True) -> list[Line]:
    """The OCR lines of ``page`` inside a value's ``box`` (``whole``: lines mostly inside it; else
    lines most of whose text is in it), those of one row made one line, top to bottom; of each,
    only the words inside the box (not a label printed before the value on its line, "Sig."
    before "Use 1 tablet", nor a glyph OCR joined to it: the line's second reading would take
    them in)."""
    inside = sorted(
        (
            Line(words)
            for line in page.lines
            if (words := _words_inside(line, box))
            and (
                mostly_inside(line.box, box)
                if whole
                else 2 * sum(len(w.text) for w in words) >= len(line.text.replace(" ", ""))
            )
        ),
        key=lambda found: found.box[1],
    )
    rows: list[list[Line]] = []
    for line in inside:
        if rows and on_one_row(rows[-1][-1].box, line.box):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [Line(tuple(word for line in row for word in line.words)) for row in rows]


def _words_inside(line: Line, box: Box) -> tuple[Word, ...]:
    """The words of ``line`` mostly inside ``box``."""
    return tuple(w for w in line.words if mostly_inside(w.box, box))


def one_line(spec: FieldSpec) -> FieldSpec:
    """The field as a single line of it is checked: same kind and line pattern, and the doubts
    of a whole value left out (``FieldSpec.whole_doubts``)."""
    doubts = tuple(doubt for doubt in spec.doubts if doubt[0] not in spec.whole_doubts)
    return replace(spec, multiline=False, doubts=doubts)


def _blank_to_read(spec: FieldSpec, result: FieldResult) -> bool:
    """A blank of a kind whose check is strict or whose answers are few, or a list of known
    words (allergies, medicines): handwriting tesseract found no words in may stand in its box
    (its unreadable words') or its spots."""
    return not result.value and (spec.kind in STRICT_KINDS or spec.kind in ANSWERS or spec.known_words)


def _read_blank(spec: FieldSpec, result: FieldResult, image: np.ndarray, reader: CropReader) -> FieldResult:
    """The blank filled from the first of its box and its spots (``FieldResult.spots``) whose
    second reading passes: a strict kind's check, a choice's answers, or known words read very
    surely."""
    places = [result.box] if result.box is not None and spec.kind in STRICT_KINDS else []
    # In a spot, the writing's box, not the spot's paper; a spot of bare paper is not read.
    places += [ink for spot in result.spots if (ink := ink_within(image, spot)) is not None]
    expected = expected_for(spec) if spec.kind in ANSWERS or spec.known_words else Expected()
    for place in places:
        reading = _read(reader, image, place, KIND_SYMBOLS.get(spec.kind), expected)
        filled = None if reading is None else _fill_blank(spec, result, reading, place)
        if filled is not None:
            return filled
    return result


def _fill_blank(spec: FieldSpec, result: FieldResult, reading: Reading, place: Box) -> FieldResult | None:
    """The blank filled with the second reading of ``place`` when that passes the field's strict
    check (or is one of a choice's answers) and is sure enough, flagged; None otherwise (a label
    read as a value never passes a date's, a phone's or a number's check)."""
    again, _ = normalize(spec, [reading.text])
    answers = ANSWERS.get(spec.kind)
    if spec.kind in STRICT_KINDS or answers:
        passes = again in answers if answers else bool(again) and check_value(spec, again) is None
        sure = reading.confidence >= TAKE_CHECKED
    else:
        # Words have no check to pass: only a very sure reading of known words is taken.
        passes = bool(again) and check_value(spec, again) is None and all_known(spec, again)
        sure = reading.confidence >= TAKE_CONFIDENCE
    if not passes or not sure:
        return None
    # Not blank after all: the doubt that it may be goes; every other doubt stays.
    filled = replace(
        result.without_doubt(BLANK_DOUBT), value=again, confidence=min(reading.confidence, 0.79), box=place
    )
    filled.flag(f"tesseract read nothing, the second reader {again!r} ({reading.confidence:.2f})")
    return filled


def expected_for(spec: FieldSpec) -> Expected:
    """What the field's line is expected to hold: one of its answers for a choice; month names
    and numbers for a date; numbers for a phone; else words of its vocabularies
    (``vocabularies_for``) and its units ("mcg" is a dose's unit, not the English "meg")."""
    if spec.kind in ANSWERS:
        return Expected(answers=ANSWERS[spec.kind])
    if spec.kind == "date":
        return Expected(words=MONTH_WORDS, number_symbols=DATE_SYMBOLS, shapes=DATE_SHAPES)
    if spec.kind == "phone":
        return Expected(number_symbols=PHONE_SYMBOLS)
    if spec.kind == "person":
        return Expected(lexicons=vocabularies_for(spec), common=("common_names",))
    if set(spec.lexicons) & set(LINE_LEXICONS):
        # Every word of such a line is in the field's lexicons: an English word of no such
        # list ("cop", "dally") is read as one of its words ("cap", "daily") its ink nearly reads.
        return Expected(lexicons=vocabularies_for(spec), words=spec.units, common=spec.lexicons)
    return Expected(lexicons=vocabularies_for(spec), words=spec.units)


def _answer_to_read(spec: FieldSpec, result: FieldResult) -> bool:
    """A choice's value that is none of its answers and holds no whole answer ("WNUNE" for a
    written "IMMUNE", "Ne" for "No"): its ink is read again as the likeliest answer. A value
    holding two answers ("Yes [No", options printed beside a box) is left alone."""
    answers = ANSWERS.get(spec.kind)
    if not answers or not result.value or check_value(spec, result.value) is None:
        return False
    words = result.value.casefold().split()
    return not any(
        answer.casefold().split() == words[i : i + len(answer.split())]
        for answer in answers
        for i in range(len(words))
    )


def _take_answer(spec: FieldSpec, result: FieldResult, reading: Reading) -> FieldResult:
    """The choice read as the answer its ink most likely shows, flagged with both readings; left
    as it was when the second reading is no answer either."""
    if reading.text not in ANSWERS[spec.kind]:
        return result
    taken = replace(result, value=reading.text, confidence=min(reading.confidence, 0.79))
    taken.flag(f"tesseract read {result.value!r}; read again as the answer its ink most likely shows")
    return taken


def _wanted(spec: FieldSpec, result: FieldResult) -> bool:
    """A value of a kind read as a line, read without confidence or raising one of its field's
    doubts (tesseract may read a line surely and still lose a count: "take tablet daily"), or
    of a kind written in digits."""
    return (
        spec.kind in LOOK_KINDS and bool(result.value) and (_unsure(spec, result) or spec.kind in DIGIT_KINDS)
    )


def _unsure(spec: FieldSpec, result: FieldResult) -> bool:
    return result.confidence < LOOK_BELOW or bool(doubts_about(spec, result.value))
