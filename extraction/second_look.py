"""A second look by another recognizer at values tesseract read without confidence.

Tesseract reads handwritten values badly and says so with low word confidences. Such a value's
ink (``extraction.value_crop``) is read again by the second reader (``extraction.second_reader``,
a neural line recognizer), its words read against the field's vocabularies (a misread word
becomes the listed word its ink nearly reads: ``extraction.word_decoding``); a value of several
lines is read line by line, and a blank of a kind with a strict check (a date, a phone, a
number) is read where tesseract found no words. When both readings agree the value stands, and a
one-line value flagged for nothing but tesseract's low confidence in its ink is no longer
flagged if the second reader is sure of the same reading: two recognizers of different making
read the ink alike (a value of several lines keeps its flag: agreement does not show it whole).
A value read surely that raises one of its field's doubts (a count lost, "take tab daily") is
read again too, and a doubt one reading raises and the other does not counts against the one
that raises it. A list number the crop took in ("2) Metoprolol") is no disagreement, but a line
read as an item later than its place in the value flags the items before it as missing.
When they disagree the field is flagged with both readings in its reason, and the second reading is
taken only when it passes the field's check where tesseract's did not (or is far more
confident) and is confident: very sure, or fairly sure with every word a known word where
tesseract's were not, or fairly sure where tesseract was guessing (of known words, or of a name
or a number), or fairly sure of a value whose check is strict. Where both readings are
digits alone, a second reading that passes the check is taken at a lower confidence and
whatever tesseract's. A choice's value that is none of its answers ("WNUNE") is read again as
the answer its ink most likely shows. A taken reading is always flagged, so a clerk sees every
value this step changed; the only flag it lifts is that of ink both readers read alike.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Set
from dataclasses import replace

import numpy as np

from extraction.doctypes import DocumentType, FieldSpec
from extraction.errors import ExtractionError
from extraction.layout import spelling
from extraction.lexicon import ENGLISH, known_share
from extraction.normalize import AFTER_A_NAME, normalize
from extraction.page_view import LIST_MARK, LIST_NUMBER, strip_list_mark
from extraction.parts import composed_from_parts
from extraction.readings_agree import alike, digits_alone, letters, same_value, spaced_for_check
from extraction.second_reader import Reading, read_crop
from extraction.types import Box, FieldResult, Line, PageText, mostly_inside, on_one_row
from extraction.validate import IMMUNITY, TITLES, YES_NO, check_value, doubts_about
from extraction.value_crop import value_crop
from extraction.word_decoding import Expected, NumberShape

CropReader = Callable[[np.ndarray, "str | None", Expected], "Reading | None"]

# A page row with this many times the letters of the value's line holds more than the line.
ROW_EXCESS = 1.5
# Kinds read as one line of free text, digits or a date: choices (yes/no, immune) are not.
LOOK_KINDS = ("text", "person", "date", "phone", "integer", "identifier")
# A one-line value flagged only for tesseract's low confidence in its ink is no longer flagged
# when the second reader reads it alike at least this sure. On 120 tuning documents (seeds 7978,
# 7979) 53 of 55 values so read alike were right at any confidence; the two wrong ones were a
# list missing a line (lists keep their flag) and a date that fails its check (flagged later).
CONFIRM_CONFIDENCE = 0.9
# A value whose confidence is below this is read again: the engine flags below 0.80, and a value
# tesseract read at 0.80-0.90 is still often a confident misreading of handwriting.
LOOK_BELOW = 0.90
# The second reading must be at least this sure to replace tesseract's. Measured on 62
# handwritten value crops of tuning documents (seed 7504): readings at 0.95 or more were 91 %
# exact, those at 0.85-0.95 only 14 %.
TAKE_CONFIDENCE = 0.95
# A less sure second reading is taken when each of its words is a known word and tesseract's are
# not all. Where the two readings differed on 54 handwritten tuning documents (seeds 7561, 7563),
# a second reading of 0.80-0.95 that passed the check was right 3 times as often as tesseract's;
# this and TAKE_CHECKED raised handwritten fields exact from 30.4/28.7 % to 35.8/32.2 % there.
TAKE_KNOWN = 0.80
# Below this confidence tesseract is guessing at the ink (it flags below 0.80). A second reading
# at least TAKE_KNOWN sure that passes the check is then the likelier one: of free text when each
# of its words is a known word (tesseract's guess often is one too: "Cogs" for "Eggs"; a field
# whose lines have a pattern keeps TAKE_CHECKED), of kinds whose words no vocabulary can vouch
# for (GUESS_KINDS: a list of names, a census's surnames, holds too many words to tell a misread
# name from a name; a member number has none) whatever its words.
TESSERACT_GUESSING = 0.70
GUESS_KINDS = ("person", "identifier")
# Kinds whose check is strict (a date must parse, a phone have its digits), and fields whose lines
# have a pattern: a reading of one of them that passes it may be taken when less sure (0.85-0.95:
# 0.88 tried, 0.85 better).
STRICT_KINDS = ("date", "phone", "integer")
# A second reading opening with this many words or fewer and a colon took a label in with the
# value.
MAX_LABEL_HEAD_WORDS = 4
TAKE_CHECKED = 0.85
# Where both readings are digits alone and differ, on handwritten tuning documents (seed 7850,
# 33 single-line values) the second reader was right 30 times and tesseract never (it drops a
# written number's first digits, "3" for "133", and confuses 2/9, 0/9), down to readings of
# 0.64: one that passes the field's check at this confidence is taken, flagged, whatever
# tesseract's confidence.
TAKE_DIGITS = 0.6
# The characters a value of these kinds is written with: the reader may read no others.
KIND_SYMBOLS: dict[str, str] = {"integer": "0123456789"}
# Lexicons that hold every word a field's lines are written with (the words of dosing
# directions), not only some of them as a list of names does.
LINE_LEXICONS = ("directions",)
# The vocabularies a reading's words are looked up in, per kind of field (with its own lexicons).
KNOWN_WORDS: dict[str, tuple[str, ...]] = {"person": ("names",), "text": (ENGLISH,)}
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
    line by line (their boxes come from ``pages``, the OCR the fields were found in); returns
    the dict. A blank of a field named in ``left_blank`` (a learned layout left it out: the
    form prints something else there) is not read."""
    for spec in doc_type.fields:
        result = fields.get(spec.name)
        if result is None or result.box is None or composed_from_parts(result):
            continue
        image = images[result.page]
        if _blank_to_read(spec, result):
            if spec.name in left_blank:
                continue
            reading = _read(reader, image, result.box, KIND_SYMBOLS.get(spec.kind), Expected())
            if reading is not None:
                fields[spec.name] = _fill_blank(spec, result, reading)
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
            if reading is not None:
                fields[spec.name] = compare(spec, result, reading)
        elif pages is not None:
            fields[spec.name] = _look_at_lines(spec, result, image, pages[result.page], reader)
    return fields


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
    looked, problems = list(lines), []
    for index, row in enumerate(rows):
        sure = row.confidence >= LOOK_BELOW and not doubts_about(spec, lines[index])
        if sure or _holds_more(row, lines[index]):
            continue
        reading = _read(reader, image, row.box, None, expected_for(spec))
        if reading is None:
            continue
        first = FieldResult(lines[index], row.confidence, needs_review=False)
        line = compare(_one_line(spec), first, reading, place=index + 1)
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
    return None


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
            if (words := tuple(w for w in line.words if mostly_inside(w.box, box)))
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


def _one_line(spec: FieldSpec) -> FieldSpec:
    """The field as a single line of it is checked: same kind and line pattern."""
    return replace(spec, multiline=False)


def compare(spec: FieldSpec, result: FieldResult, reading: Reading, place: int = 1) -> FieldResult:
    """The field after weighing the second reading against tesseract's (see the module doc).
    ``place`` is the line's place in its value (1 for a value of one line)."""
    unlisted = _as_tesseract_listed(reading.text, result.value)
    if unlisted != reading.text:
        item = LIST_NUMBER.match(reading.text)
        if item is not None and int(item.group(1)) > place:
            # Item 2 of a numbered list as the value's first line: item 1 was not read.
            result = replace(result)
            result.flag(f"read as item {item.group(1)} of a numbered list: is an item before it missing?")
    again = spaced_for_check(spec, normalize(spec, [unlisted])[0])
    # The recognizer often drops the space between words ("JacobMiller") and reads a capital as
    # its small letter, and a crop may take in or leave out the punctuation round digits:
    # spacing, case, the punctuation of a number and the way a date is written are no
    # disagreement.
    if not again or same_value(spec, again, result.value):
        return _confirmed(spec, result, reading) if alike(again, result.value) else result
    digits = digits_alone(again, result.value)
    if digits and not any(ch.isspace() for ch in result.value):
        again = "".join(again.split())  # a gap between written digits is no space in the value
    first_problem = check_value(spec, result.value)
    # A doubt of the field's (a count lost before "tablet") that one reading raises and the other
    # does not counts against the reading that raises it.
    first_doubts, again_doubts = set(doubts_about(spec, result.value)), set(doubts_about(spec, again))
    passes = check_value(spec, again) is None and again_doubts <= first_doubts
    known = reading.confidence >= TAKE_KNOWN and _words_known(spec, again, result.value)
    over_a_guess = (
        result.confidence < TESSERACT_GUESSING
        and reading.confidence >= TAKE_KNOWN
        and (spec.kind in GUESS_KINDS or (not _strictly_checked(spec) and _all_known(spec, again)))
    )
    sure = (
        reading.confidence >= TAKE_CONFIDENCE
        or known
        or over_a_guess
        or (reading.confidence >= TAKE_CHECKED and _strictly_checked(spec))
    )
    # What tesseract read is doubtful: it fails the field's check, is far less sure, or holds a
    # word of no vocabulary where the surer second reading's words are all known ("Egys" 0.88
    # against "Eggs" 0.97).
    doubtful = (
        first_problem is not None
        or bool(first_doubts - again_doubts)
        or reading.confidence >= result.confidence + 0.25
        or digits
        or over_a_guess
        or (known and reading.confidence > result.confidence)
    )
    take = (
        passes
        and (sure or (digits and reading.confidence >= TAKE_DIGITS))
        and not _opens_with_a_label(again, result.value)
        and doubtful
    )
    both = (
        f"tesseract read {result.value!r} ({result.confidence:.2f}), "
        f"the second reader {again!r} ({reading.confidence:.2f})"
    )
    if not take:
        flagged = replace(result)
        flagged.flag(f"readings disagree: {both}")
        return flagged
    if spec.kind == "person":
        again = _capitals_kept(again, result.value)
    taken = replace(result, value=again, confidence=min(reading.confidence, 0.79))
    taken.flag(f"read again by the second reader: {both}")
    return taken


def _capitals_kept(again: str, first: str) -> str:
    """A name's second reading with the capital of each word tesseract read with one: the
    recognizer reads a written capital as its small letter ("Sophia reyes"), and a name's words
    are written with capitals (in free text tesseract too reads a small letter as a capital,
    "Latex", and its case is not trusted). Words are paired by place, when both readings have as
    many."""
    words, firsts = again.split(" "), first.split(" ")
    if len(words) != len(firsts):
        return again
    return " ".join(
        word[0].upper() + word[1:] if word[:1].islower() and theirs[:1].isupper() else word
        for word, theirs in zip(words, firsts, strict=True)
    )


def _strictly_checked(spec: FieldSpec) -> bool:
    """Whether the field's check holds a reading to a shape few misreadings keep: its kind's
    (a date, a phone, a number) or its lines' pattern (a medicine's name, dose and unit)."""
    return spec.kind in STRICT_KINDS or bool(spec.line_pattern)


def _as_tesseract_listed(again: str, first: str) -> str:
    """The second reading without the list number its crop took in ("2) Metoprolol 100 mg")
    when tesseract's reading has none: the engine reads a list's numbering as layout."""
    return strip_list_mark(again) if LIST_MARK.match(again) and not LIST_MARK.match(first) else again


def _confirmed(spec: FieldSpec, result: FieldResult, reading: Reading) -> FieldResult:
    """The one-line value read alike by both readers: a doubt of tesseract's confidence in its
    ink alone is lifted when the second reader is sure of the same reading
    (CONFIRM_CONFIDENCE); any other doubt stays. Agreement shows the ink was read right, not that
    a value of several lines is whole, so such a value keeps its flag."""
    if spec.multiline or not result.only_unsure_ink or reading.confidence < CONFIRM_CONFIDENCE:
        return result
    return replace(result, needs_review=False, reason=None, confidence=reading.confidence)


def _opens_with_a_label(again: str, first: str) -> bool:
    """True when the second reading starts with a few words and a colon that tesseract's reading
    has not ("LINE 1: 3690 Ridge Ave"): the crop took in print before the value, a label or a
    caption, whichever field's it is. A colon tesseract read after as many words is the value's
    own ("Fluticasone: take 2 capsule" read "Vluticusone: take 2 capsule")."""
    head, colon, _ = again.partition(":")
    words = head.split()
    if not colon or not words or len(words) > MAX_LABEL_HEAD_WORDS or first.startswith(head):
        return False
    first_head, first_colon, _ = first.partition(":")
    if first_colon and len(first_head.split()) == len(words):
        return False
    return any(ch.isalpha() for ch in head)


def _blank_to_read(spec: FieldSpec, result: FieldResult) -> bool:
    """A blank of a kind whose check is strict, with a box (its label's or its unreadable
    words'): handwriting tesseract found no words in may stand there."""
    return not result.value and spec.kind in STRICT_KINDS


def _fill_blank(spec: FieldSpec, result: FieldResult, reading: Reading) -> FieldResult:
    """The blank filled with the second reading when that passes the field's strict check and is
    sure enough; flagged either way (a label read as a value never passes a date's, a phone's
    or a number's check)."""
    again, _ = normalize(spec, [reading.text])
    if not again or check_value(spec, again) is not None or reading.confidence < TAKE_CHECKED:
        return result
    filled = replace(result, value=again, confidence=min(reading.confidence, 0.79))
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


def vocabularies_for(spec: FieldSpec) -> tuple[str, ...]:
    """The lexicons the field's words are expected in: names for a person; the field's lexicons
    and English for free text; none for other kinds."""
    vocabularies = KNOWN_WORDS.get(spec.kind)
    return () if vocabularies is None else (*vocabularies, *spec.lexicons)


def _words_known(spec: FieldSpec, again: str, first: str) -> bool:
    """Whether every word of the second reading is a known word of the field's vocabularies
    (``vocabularies_for``) and tesseract's reading has fewer: a real word read where tesseract
    read letters of no word."""
    vocabularies = vocabularies_for(spec)
    if not vocabularies:
        return False
    if spec.kind == "person":
        again, first = _name_words(again), _name_words(first)
    return known_share(again, vocabularies) == 1.0 and known_share(first, vocabularies) < 1.0


def _all_known(spec: FieldSpec, text: str) -> bool:
    """Whether every word of ``text`` is a known word of the field's vocabularies (none: no)."""
    vocabularies = vocabularies_for(spec)
    return bool(vocabularies) and known_share(text, vocabularies) == 1.0


def _name_words(text: str) -> str:
    """A person's name without its title, credentials and initials ("Dr. Ann Lee, MD" -> "Ann
    Lee"): words no list of names holds, and no sign of a misreading."""
    kept = [
        word
        for word in text.split()
        if len(letters := spelling(word)) > 1 and letters not in TITLES | AFTER_A_NAME
    ]
    return " ".join(kept)


def _wanted(spec: FieldSpec, result: FieldResult) -> bool:
    """A value of a kind read as a line, read without confidence or raising one of its field's
    doubts (tesseract may read a line surely and still lose a count: "take tablet daily")."""
    unsure = result.confidence < LOOK_BELOW or bool(doubts_about(spec, result.value))
    return spec.kind in LOOK_KINDS and bool(result.value) and unsure
