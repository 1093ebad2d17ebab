"""Keys on a page: the printed labels and headings that values hang off, whatever the layout.

A key is found by how it is set, not by where one remembered form puts it:
- a run of words at the start of a line ending in ':' or '?' ("Date of birth:", "Insured?");
- a whole line (or cell) that reads as a known label or heading ("Birth Date" over its value,
  "PATIENT NAME" in a box's corner, "In Case of Emergency").
- a known label sharing its line with its value, no colon between them (where it ends:
  ``extraction.label_ends``).
Which field a key belongs to is decided later, by its words (see ``extraction.assign``); here a
key only knows its text, where it is, and which section heading it stands under.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from extraction.colon_keys import SPECKS, colon_index, reads_as_unknown_label
from extraction.label_ends import (
    INLINE_FORM_GAP,
    INLINE_FORM_LABELS,
    KEY_MIN_SCORE,
    MAX_KEY_WORDS,
    abbreviation_index,
    answer_index,
    ends_in_a_number,
    has_digits,
    label_then_value,
    shaped_value_index,
    spaced_label_index,
    taller_value_index,
    text_of,
    wide_gap_index,
)
from extraction.label_shapes import is_negative_answer, is_number_label, speaks_as_the_form
from extraction.label_words import all_label_words, named_first
from extraction.layout import is_sure_text
from extraction.phrases import (
    BRACKETED,
    best_phrase,
    capital_acronym_score,
    key_token,
    opens_asking,
    question_words,
    whole_phrase_score,
)
from extraction.types import Box, Line, PageText, Word, on_one_row, union_box
from extraction.word_breaks import respaced

# What sets apart the names a caption lists ("Drug, dose, frequency", "Drug / strength").
NAME_SEPARATORS = (",", "/")
# Print on a heading's row this long (letters and digits) is another column's: a speck is shorter.
MIN_PRINT_CHARACTERS = 2
NAME_LIST_SPLIT = re.compile(r"\s*[,/]\s*|\s+and\s+")
# A request to whoever fills the form in opens with this word ("Please list them").
REQUEST = re.compile(r"\(?please\b", re.IGNORECASE)
# A question's or an item's number before its first word: "3.", "12)", "(4)", "Q5.", "7"; after
# a "Q" its digits may be read as their look-alike letters ("Ql." for "Q1.", "QlO").
ITEM_NUMBER_WORD = re.compile(r"\(?(?:Q[\dlIO|]{1,2}|\d{1,2})[.):,]?")
# A label narrowed by words after it ("Member ID on your insurance card", "Weight in kg"): a
# preposition, then a determiner or a unit. "of" binds a label's own words ("Name of patient"),
# and a value may open with a label's word before one ("Allergy to penicillin").
QUALIFIER = re.compile(
    r"\s+(?:on|in|at|for|from|to|with|by)\s+(?:(?:your|the|a|an|this|our|their)\s.*|kg|cm|lbs?|inches|pounds)$",
    re.IGNORECASE,
)
# A form's labels set beside their values start at a few left edges: a label of that kind starts
# within this many of its line's heights of another's edge (skew moves an edge a little); a
# title stands apart.
LABEL_EDGE_HEIGHTS = 1.0
# A line with digits reads as a label only when it reads as one this well with them folded.
MISREAD_LABEL_SCORE = 0.95


@dataclass(frozen=True)
class Key:
    """A printed label or heading: the words ``start`` to ``end`` of ``line`` on page ``page``
    (``start`` 1 past a question's number: "3. What is your date of birth?")."""

    page: int
    line: Line
    end: int
    colon: bool
    known: bool
    """True when its words read as one of the document's label or heading wordings."""
    start: int = 0

    @cached_property
    def words(self) -> tuple[Word, ...]:
        return self.line.words[self.start : self.end]

    @property
    def beside_its_value(self) -> bool:
        """True for a known label with its value after it on its line and no colon between."""
        return self.known and not self.colon and self.end < len(self.line.words)

    @property
    def rest(self) -> tuple[Word, ...]:
        """The words after the key on its line: a value printed beside it, if any."""
        return self.line.words[self.end :]

    @cached_property
    def text(self) -> str:
        """Its words, with words a lost space ran together parted ("Your height in cm" for
        "Yourheightincm"): what it is read against labels as."""
        return respaced(" ".join(w.text for w in self.words)).rstrip(":?; " + SPECKS).strip()

    @cached_property
    def box(self) -> Box:
        box = union_box([w.box for w in self.words])
        assert box is not None, "a key holds at least one word"
        return box

    @cached_property
    def whole_line(self) -> bool:
        """True when nothing but marks of the form follows the key on its line: the bracket
        opening a boxed phone number ("Phone number: (   ) "), an underline read as a word."""
        return not any(ch.isalnum() for w in self.rest for ch in w.text)


def _print_after_a_label(text: str) -> bool:
    """True for words a form prints after a label, never its value: a request ("Please list
    them") or a hint in brackets ("(circle one)", "(street, city, state, ZIP)")."""
    return REQUEST.match(text) is not None or BRACKETED.fullmatch(text.strip()) is not None


def split_at_inline_keys(page: PageText, vocabulary: tuple[str, ...]) -> PageText:
    """The page with each line cut before a known label that follows a value on the same line
    ("Name: Lena Fischer Date: 03/04/2024", two columns too close to be told apart by the gap)."""
    lines: list[Line] = []
    for line in page.lines:
        lines += _cut_at_keys(line, vocabulary)
    return replace(page, lines=tuple(lines))


def _cut_at_keys(line: Line, vocabulary: tuple[str, ...]) -> list[Line]:
    """The line cut before each known label ending in a colon that follows a value. The label
    starts at the widest gap among the words that may begin it: "Beacon Health Plan  Effective
    date:" reads as the label "Health plan" from "Health" on, but the next column starts at
    "Effective"."""
    words = line.words
    for index in range(2, len(words)):
        if not words[index].text.endswith(":"):
            continue
        starts = [
            start for start in range(max(2, index - 3), index + 1) if colon_index(words[:start]) is not None
        ]
        known = [
            start
            for start in starts
            if best_phrase(" ".join(w.text for w in words[start : index + 1]), vocabulary)[1] >= 0.9
        ]
        if not known:
            continue
        start = max(
            (s for s in starts if s >= known[0]),
            key=lambda s: (words[s].box[0] - words[s - 1].box[2], s == known[0]),
        )
        return [Line(words[:start]), *_cut_at_keys(Line(words[start:]), vocabulary)]
    return [line]


def find_keys(page: PageText, vocabulary: tuple[str, ...], colon_only: tuple[str, ...] = ()) -> list[Key]:
    """Every key on ``page``, in reading order. ``vocabulary`` holds every label and heading
    wording of the document type (field labels, section headings, labels of no field); those
    in ``colon_only`` (a value's first word too: "Use") are keys with their colon or alone on
    their line, never a line's first word set apart from the rest by a gap."""
    inline = tuple(wording for wording in vocabulary if wording not in colon_only)
    found = [(line, _key_of(page.index, line, vocabulary, inline)) for line in page.lines]
    beside = [key for _, key in found if key is not None and key.beside_its_value]
    if len(beside) >= INLINE_FORM_LABELS:
        # The form sets its labels before their values, no colon: a label a space from its value.
        edges = tuple(key.line.words[0].box[0] for key in beside)
        found = [(line, key or _inline_key(page.index, line, inline, edges)) for line, key in found]
    return [_over_more_names(key, vocabulary) for _, key in found if key is not None]


def _inline_key(page: int, line: Line, inline: tuple[str, ...], edges: tuple[int, ...]) -> Key | None:
    """The key ``line`` opens with on a form that sets its labels before their values with no
    colon: a known label read exactly, then its value at least a usual space after it, opening
    as a value does with a capital or a digit (a sentence goes on in small letters: "Allergies
    to penicillin" under a label is a value), on a line not all in capitals and starting at a
    left edge of the form's other such labels (``edges``): a title is set apart ("PATIENT FACE
    SHEET", "Patient Face Sheet" centred over the form)."""
    if not _at_an_edge(line, edges):
        return None
    start = 1 if _numbered(line.words) else 0
    end = spaced_label_index(line.words[start:], inline, INLINE_FORM_GAP)
    if end is None or text_of(line.words).isupper():
        return None
    opening = line.words[start + end].text[:1]
    if not (opening.isupper() or opening.isdigit()):
        return None
    return Key(page, line, start + end, colon=False, known=True, start=start)


def _at_an_edge(line: Line, edges: tuple[int, ...]) -> bool:
    """True when ``line`` starts within a line's height of one of ``edges`` (left x)."""
    left = line.words[0].box[0]
    height = max(w.height for w in line.words)
    return any(abs(left - edge) <= LABEL_EDGE_HEIGHTS * height for edge in edges)


def _over_more_names(key: Key, vocabulary: tuple[str, ...]) -> Key:
    """The key over its whole line when, after a comma or slash, the line goes on only with
    more labels' wordings, each set apart so ("Drug (approved name), dose, frequency"): one
    caption naming all that its value holds, never a label with a value beside it."""
    if key.colon or key.whole_line or not key.words[-1].text.endswith(NAME_SEPARATORS):
        return key
    names = [name.strip() for name in NAME_LIST_SPLIT.split(text_of(key.rest))]
    if not all(name and best_phrase(name, vocabulary)[1] >= KEY_MIN_SCORE for name in names):
        return key
    return replace(key, end=len(key.line.words))


def _key_of(page: int, line: Line, vocabulary: tuple[str, ...], inline: tuple[str, ...]) -> Key | None:
    """The key ``line`` opens with: read against ``vocabulary`` before a colon and as a whole
    line, against ``inline`` (without the colon-only labels) where the label shares its line
    with what follows it and no colon ends it."""
    start = 1 if _numbered(line.words) else 0
    words = line.words[start:]

    def key(end: int, colon: bool, known: bool) -> Key:
        if not colon and end > 1 and ends_in_a_number(words[:end], vocabulary):
            # "Emergency contact phone 097402  54685": the value's own gap ended the label.
            end -= 1
        return Key(page, line, start + end, colon, known, start)

    colon_at = colon_index(words)
    if colon_at is not None:
        text = " ".join(w.text for w in words[: colon_at + 1])
        known = best_phrase(text, vocabulary)[1] >= KEY_MIN_SCORE
        if known or reads_as_unknown_label(words, colon_at):
            # A request or a hint after the label is printed with it ("Any allergies? Please
            # list them", "Where do you live? (street, city, ZIP)"), never its value.
            end = len(words) if _print_after_a_label(text_of(words[colon_at + 1 :])) else colon_at + 1
            return key(end, colon=True, known=known)
    dot_at = abbreviation_index(words, inline)
    if dot_at is not None:
        # "Sig. Take 1 tablet": a known label abbreviated with a full stop (or its colon read
        # as one) opens its value like a colon.
        return key(dot_at + 1, colon=True, known=True)
    if named_first(words, vocabulary):
        # A heading or label in two languages: the words after the slash are its own, however
        # far a gap or a label's shape sets them off.
        return key(len(words), colon=False, known=True)
    gap_at = wide_gap_index(words)
    if gap_at is not None and label_then_value(words, gap_at, inline):
        # A known label, then a wide gap, then its value: OCR joined the two into one line.
        return key(gap_at, colon=False, known=True)
    shaped_at = shaped_value_index(words, inline)
    if shaped_at is not None:
        # "Visit date 09/11/2021": a known label, then a date a space after it (its colon
        # lost): the value's own shape tells where the label ends.
        return key(shaped_at, colon=False, known=True)
    apart_at = spaced_label_index(words, inline)
    if apart_at is not None:
        # "Telephone  +63 2 7175 8796": a label read exactly, its value a little further off
        # than the line's spaces (a value filled in after a printed label, no colon). Whether
        # the label really ends there is left in doubt by the value's evidence (too small a gap).
        return key(apart_at, colon=False, known=True)
    taller_at = taller_value_index(words, inline)
    if taller_at is not None:
        # "Pt. name  Jerome Santos": a printed label, then a value written in by hand, taller.
        return key(taller_at, colon=False, known=True)
    answer_at = answer_index(words)
    if answer_at is not None:
        # "Hepatitis B Yes": a known label and one answer after it, set a space apart; unless
        # the line with it reads as a label at least as well ("Contact no": a number's label).
        head = whole_phrase_score(text_of(words[:answer_at]), inline)
        if head >= KEY_MIN_SCORE and head > whole_phrase_score(text_of(words), vocabulary):
            return key(answer_at, colon=False, known=True)
    # A line that is a label or heading as a whole: the value is under it, or it opens a section.
    text = text_of(words)
    if len(words) > MAX_KEY_WORDS or (has_digits(text) and not _misread_label(text, vocabulary)):
        return None
    if is_negative_answer(text):
        return None
    if all_label_words(words, vocabulary) or any(
        _reads_as_label(reading, vocabulary) for reading in _readings(text)
    ):
        return key(len(words), colon=False, known=True)
    if is_number_label(text) or speaks_as_the_form(text):
        return key(len(words), colon=False, known=False)
    return None


def _readings(text: str) -> tuple[str, ...]:
    """A line's text as read, then with words a lost space ran together parted ("Your
    heightincm" -> "Your height in cm"), when that changes it."""
    parted = respaced(text)
    return (text,) if parted == text else (text, parted)


def _reads_as_label(text: str, vocabulary: tuple[str, ...]) -> bool:
    """True for a line's text that is a label or heading as a whole, asks for one in words of
    its own, or is one narrowed by a phrase after it."""
    return (
        whole_phrase_score(text, vocabulary) >= KEY_MIN_SCORE
        or _asks_for_a_label(text, vocabulary)
        or _qualified_label(text, vocabulary)
    )


def _numbered(words: tuple[Word, ...]) -> bool:
    """True when a line opens with a question's or an item's number before a word with a
    capital ("3.", "12)", "Q4.", "(5)"), as questionnaires number them; a number with no mark
    after it only before a question or a request ("7 Do you smoke?", "5 Your address", its
    full stop lost): "12 Oak Street" is an address."""
    if len(words) < 2 or not words[1].text[:1].isupper() or not ITEM_NUMBER_WORD.fullmatch(words[0].text):
        return False
    return (
        not words[0].text.isdigit()
        or words[-1].text.rstrip(SPECKS).endswith("?")
        or opens_asking(text_of(words[1:]))
    )


def asks(key: Key) -> bool:
    """True for a key put as a question or a request ("Do you smoke?", "Your date of birth",
    "Please list your medications"): print that asks for a value, never one."""
    words = key.text.split()
    return key.line.words[key.end - 1].text.rstrip(SPECKS).endswith("?") or (
        bool(words) and key_token(words[0]) in question_words()
    )


def opens_what_follows(key: Key) -> bool:
    """True for a question ("What is your phone number?") or a numbered item ("2) Your date
    of birth"): print answered after it, never a caption of the line written on above it."""
    return key.start > 0 or key.line.words[key.end - 1].text.rstrip(SPECKS).endswith("?")


def _asks_for_a_label(text: str, vocabulary: tuple[str, ...]) -> bool:
    """True for a line that asks for a label's value in words of its own, its question mark
    or colon left out ("Please print your full name", "Name of your health plan"): it opens
    with a question's or a request's words and reads as a label after them."""
    return opens_asking(text) and best_phrase(text, vocabulary)[1] >= KEY_MIN_SCORE


def _qualified_label(text: str, vocabulary: tuple[str, ...]) -> bool:
    """True for a line that is a label, or a label asked for, narrowed by a phrase after it
    (``QUALIFIER``: "Expiration date on your insurance card", "Your height in cm"), the label
    of two words or more (one word so narrowed is as often a value: "Allergy to the dye")."""
    qualifier = QUALIFIER.search(text)
    head = text[: qualifier.start()] if qualifier is not None else ""
    if len(head.split()) < 2:
        return False
    return whole_phrase_score(head, vocabulary) >= KEY_MIN_SCORE or _asks_for_a_label(head, vocabulary)


def _misread_label(text: str, vocabulary: tuple[str, ...]) -> bool:
    """True for a line with letters whose digits are look-alikes of letters and that, read
    with them as letters, is a label word for word ("M1" for "M.I."), or for one in capitals
    and digits that reads so as an acronym ("0.0.8." for "D.O.B."); other lines with digits
    are values."""
    digits = {ch for ch in text if ch.isdigit()}
    return (
        any(ch.isalpha() for ch in text)
        and digits <= set("015")
        and whole_phrase_score(text, vocabulary) >= MISREAD_LABEL_SCORE
    ) or capital_acronym_score(text, vocabulary) > 0


def typical_height(page: PageText) -> float:
    """The median height of the page's confidently read lines: the unit every gap is measured
    in (noise read as text is small and unsure, and left out)."""
    heights = [line.height for line in page.lines if is_sure_text(line.text, line.confidence)]
    heights = heights or [line.height for line in page.lines]
    return float(statistics.median(heights)) if heights else 20.0


def section_of(key_box: Box, headings: list[Key], printed: Sequence[Line] = ()) -> Key | None:
    """The heading a box stands under: the nearest heading above it that starts left of its end
    (a heading spans the columns under it); of headings set side by side on one row (panels
    across the page, each with its title), the one starting nearest left of the box. With the
    page's ``printed`` lines, a heading with print on its row after its end, starting
    before the box ends, spans no further: it heads its own column ("Next of kin" in a panel's
    corner, the next panel's "Registration date" level with it, or that panel's own title,
    however misread)."""
    above = [
        h
        for h in headings
        if h.box[3] <= key_box[1] + 2 and h.box[0] <= key_box[2] and not _cut_short(h, key_box, printed)
    ]
    if not above:
        return None
    nearest = max(above, key=lambda h: h.box[3])
    return max((h for h in above if on_one_row(h.box, nearest.box)), key=lambda h: h.box[0])


def _cut_short(heading: Key, box: Box, printed: Sequence[Line]) -> bool:
    """True when print of two letters or digits or more stands on ``heading``'s row, starting
    after the heading ends and before ``box`` does: the heading's span ends before the box."""
    return any(
        heading.box[2] < item.box[0] < box[2]
        and on_one_row(item.box, heading.box)
        and sum(ch.isalnum() for ch in item.text) >= MIN_PRINT_CHARACTERS
        for item in printed
    )
