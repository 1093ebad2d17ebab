"""Where a label with no colon ends on the line it shares with its value.

A form may print a label and set its value after it on the same line with nothing but space
between them, and OCR then gives one line: "Telephone  +63 2 7175 8796", "Refills 2",
"Sig. Take 1 tablet", "Hepatitis B Yes". Each function here reads one sign that the label ends
before a word (a gap wide for the print, a label read exactly and set apart, a full stop after
an abbreviated label, a value of a date's or a count's shape, one closing answer) and gives the
index of the value's first word, or None when the sign is not there. ``extraction.keys`` tries
them in turn.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Sequence

from extraction.label_shapes import value_kind
from extraction.layout import SURE_CONFIDENCE
from extraction.phrases import JOINING_WORDS, best_phrase, opens_asking, whole_phrase_score
from extraction.types import Word
from extraction.validate import IMMUNITY, YES_NO

# A known label or heading is read with at least this similarity to count as a key.
KEY_MIN_SCORE = 0.84

# At most this many words before a colon make a label; more is a sentence with a colon in it.
MAX_KEY_WORDS = 10

# Values whose shape alone ends the label before them when no colon or gap does (a phone number
# does not: a clinic header's "Tel (708) 499-5190" then competed with the patient's phone).
SHAPED_VALUES = ("date",)
# So does a number, alone or with one short word after it ("Refills 2 times", "Age 45"): no
# label ends in a number.
COUNT_VALUE = re.compile(r"\d+(?:[.,]\d+)?(?: [A-Za-z]{1,6}\.?)?")

# A gap this many line heights wide, and this many times the line's usual space, sets a label
# apart from its value.
WIDE_GAP_HEIGHTS = 0.9
WIDE_GAP_SPACES = 1.8

# Marks OCR makes of dust in such a gap: no separator a form prints ("/", "&" and "-" are).
GAP_SPECKS = "§~`'‘’•°*^¨"

# A label with no colon and no wide gap after it is one only when read this well and set off
# from its value by this many times the line's other spaces.
SPACED_LABEL_SCORE = 0.95
SPACED_LABEL_GAP = 1.3
# A space is about a third of a word's height: a gap of six tenths of it is wider than one.
SPACED_LABEL_HEIGHTS = 0.6
# A form that sets this many of a page's labels before their values on one line with no colon
# sets its labels so throughout: there a known label read exactly, then words set at least a
# usual space after it (``INLINE_FORM_GAP`` of the line's median space), is a label and its
# value. A value opening with a label's word ("Allergies to penicillin") is a form's that sets
# its labels otherwise: over their values, or with colons.
INLINE_FORM_LABELS = 3
INLINE_FORM_GAP = 1.0

# A value written in after a printed label, by hand or in a larger face: each of its words stands
# this many times taller than the label's tallest.
WRITTEN_TALLER = 1.1
# Handwriting reads less surely than print: a value written in holds a word read below this.
WRITTEN_CONFIDENCE = 0.9
# Marks that reach above the capitals and below the line: a word holding one is not measured.
BRACKETS = "()[]{}|/"

# The answers a label may be followed by, a space apart, on its own line.
ANSWERS = frozenset(answer.upper() for answer in (*YES_NO, *IMMUNITY, "Y", "N"))


def answer_index(words: tuple[Word, ...]) -> int | None:
    """The index where a line's one closing answer starts ("Yes", "No", "Immune", "Not immune"),
    after at least one word that is no answer; None when the line closes with two answers (a
    question's printed options, "Smoker? Yes No") or with none."""
    for size in (2, 1):
        if len(words) <= size:
            continue
        tail = " ".join(w.text for w in words[-size:]).upper()
        if tail in ANSWERS:
            before = words[-size - 1].text.upper().strip("?:.")
            if before in ANSWERS or before in ("NOT", "/"):
                return None
            return len(words) - size
    return None


def label_then_value(words: tuple[Word, ...], gap_at: int, vocabulary: tuple[str, ...]) -> bool:
    """True when the words before the gap read as a known label and those after it do not go on
    with it: a label of two words set a little apart ("Pt.  name") is one label, while "Refills
    5" is a label and its value; nor do words opening with one that joins them on to the
    label's (``JOINING_WORDS``), nor words that read as a label or heading themselves: two
    headings side by side, the slash between them lost in the gap ("NEXT OF KIN / INSURANCE")."""
    head = _label_score(text_of(words[:gap_at]), vocabulary)
    if head < KEY_MIN_SCORE:
        return False
    rest = words[gap_at:]
    if _no_value_of_it(rest, vocabulary):
        return False
    if any(ch.isdigit() for w in rest for ch in w.text):
        return True
    return whole_phrase_score(text_of(words), vocabulary) < head


def _label_score(text: str, vocabulary: tuple[str, ...]) -> float:
    """How well ``text`` reads as a label whole, or as a question or request asking for one
    ("Please list any medical conditions you have": its value follows a wide gap as a label's
    does, its question mark or colon left out)."""
    whole = whole_phrase_score(text, vocabulary)
    return max(whole, best_phrase(text, vocabulary)[1]) if opens_asking(text) else whole


def shaped_value_index(words: tuple[Word, ...], vocabulary: tuple[str, ...]) -> int | None:
    """The index where a line's words after a known label are wholly a value of SHAPED_VALUES (a
    date) or a COUNT_VALUE, among its first MAX_KEY_WORDS words; None when no such split reads so,
    or when the whole line reads as a label at least as well ("Address line 1")."""
    if not any(has_digits(w.text) for w in words):
        # A date has digits. Most lines have none, and every tail tried would fill the date
        # parser's cache, which assigning the fields relies on.
        return None
    for end in range(1, min(MAX_KEY_WORDS, len(words) - 1) + 1):
        tail = text_of(words[end:])
        if value_kind(tail) in SHAPED_VALUES or COUNT_VALUE.fullmatch(tail):
            head = whole_phrase_score(text_of(words[:end]), vocabulary)
            if head >= KEY_MIN_SCORE and head > whole_phrase_score(text_of(words), vocabulary):
                return end
    return None


def spaced_label_index(
    words: tuple[Word, ...], vocabulary: tuple[str, ...], gap_share: float = SPACED_LABEL_GAP
) -> int | None:
    """The index of the first word after a known label read exactly (SPACED_LABEL_SCORE) and set
    apart from it by a gap ``gap_share`` times the line's other spaces or wider (on a line of
    two words, with no other space to go by, SPACED_LABEL_HEIGHTS of the shorter word's height),
    among the first MAX_KEY_WORDS words; None when the whole line reads as a label at least as
    well ("Name of patient"), or when the gap is no wider than a space ("Allergies to
    penicillin", "Weight loss": a value opening with a label's word), or when the word after it
    joins on to it (``JOINING_WORDS``) or the words after it read as a label or heading
    themselves (``_reads_as_print``). On a form known to set its labels so
    (``INLINE_FORM_GAP``), a space's width is enough."""
    solid = [w for w in words if w.text.strip(GAP_SPECKS)]
    if len(solid) == 2:
        label, value = solid
        apart = value.box[0] - label.box[2] >= SPACED_LABEL_HEIGHTS * min(label.height, value.height)
        head = whole_phrase_score(label.text, vocabulary)
        # Set this far apart, a bracket never closed opens the value ("Varicella  (MMUNE").
        whole = whole_phrase_score(text_of(solid), vocabulary, cut_hints=False)
        known = head >= SPACED_LABEL_SCORE and head > whole
        # A letterhead's "Tel (814) 284-2795" is set so too, and is no field's (see SHAPED_VALUES).
        shaped = value_kind(value.text) == "phone"
        joined = _no_value_of_it((value,), vocabulary)
        return (
            words.index(value)
            if apart and known and not shaped and not joined and any(ch.isalnum() for ch in label.text)
            else None
        )
    if len(solid) < 3:
        return None
    gaps = [b.box[0] - a.box[2] for a, b in itertools.pairwise(solid)]
    whole = whole_phrase_score(text_of(solid), vocabulary, cut_hints=False)
    for end in range(1, min(MAX_KEY_WORDS, len(solid) - 1) + 1):
        if not any(ch.isalnum() or ch == "#" for ch in solid[end - 1].text):
            continue  # "Insurance / Billing": a label does not end in the mark joining two
        if _no_value_of_it(solid[end:], vocabulary):
            continue
        head = whole_phrase_score(text_of(solid[:end]), vocabulary)
        if head < SPACED_LABEL_SCORE or head <= whole:
            continue
        others = gaps[: end - 1] + gaps[end:]
        if gaps[end - 1] >= gap_share * statistics.median(others):
            return words.index(solid[end])
    return None


def _no_value_of_it(rest: Sequence[Word], vocabulary: tuple[str, ...]) -> bool:
    """True when the words after a label are no value of it: they open with a word joining
    them on to it (``JOINING_WORDS``) or read as a label or heading themselves."""
    return (bool(rest) and _joins_on(rest[0])) or _reads_as_print(text_of(rest), vocabulary)


def _joins_on(word: Word) -> bool:
    """True for "and", "or", "nor", "&" or "of": what follows goes on from the words before."""
    return word.text.lower() in JOINING_WORDS


def _reads_as_print(text: str, vocabulary: tuple[str, ...]) -> bool:
    """True for words after a label that read as a label or heading themselves: two printed
    side by side ("NEXT OF KIN / INSURANCE", its slash lost in the gap), never a label and its
    value."""
    return whole_phrase_score(text, vocabulary) >= KEY_MIN_SCORE


def abbreviation_index(words: tuple[Word, ...], vocabulary: tuple[str, ...]) -> int | None:
    """The index of a word ending in a full stop that closes a known label (of three letters
    or more, or a two-letter abbreviation the vocabulary has as such: "Pt."), among a line's
    first three words, with words after it."""
    for index, word in enumerate(words[: min(3, len(words) - 1)]):
        if word.text.endswith(".") and not word.text.endswith(".."):
            score = _abbreviated_label_score(words[: index + 1], vocabulary)
            if score is None:
                return None
            # "Tel. no. (520) 210-0039": the label goes on while it still reads as one ("Tel No")
            # as well as it did; a word that only costs it ("Signed by. Dr Ann Lee": a title)
            # opens the value.
            end = index
            while end + 1 < len(words):
                longer = _abbreviated_label_score(words[: end + 2], vocabulary)
                if longer is None or longer < score:
                    break
                end, score = end + 1, longer
            return end if end + 1 < len(words) else None
    return None


def _abbreviated_label_score(words: Sequence[Word], vocabulary: tuple[str, ...]) -> float | None:
    """How well ``words`` read as a known label (of three letters or more, or a two-letter
    abbreviation the vocabulary has as such: "Pt."), or None when they do not."""
    head = text_of(words).rstrip(".")
    letters = sum(ch.isalpha() for ch in head)
    score = whole_phrase_score(head, vocabulary)
    return score if (letters >= 3 and score >= 0.95) or (letters == 2 and score == 1.0) else None


def wide_gap_index(words: tuple[Word, ...]) -> int | None:
    """The index of the first word after a gap far wider than the line's spaces between words
    (a label and its value set apart), among the first MAX_KEY_WORDS words. The gap is
    measured against the print of the words before it where that is smaller than the line's
    (its text height, its spaces): a value written by hand after a printed label is taller
    and more widely spaced than the print, and the space left after the label is the print's."""
    # A speck read in the gap ("FULL NAME § Jessica") is part of the gap, not a word.
    solid = [(i, w) for i, w in enumerate(words) if w.text.strip(GAP_SPECKS)]
    if len(solid) < 2:
        return None
    gaps = [b.box[0] - a.box[2] for (_, a), (_, b) in itertools.pairwise(solid)]
    line_height = statistics.median(w.height for _, w in solid)
    for index, gap in enumerate(gaps[:MAX_KEY_WORDS], start=1):
        others = gaps[: index - 1] + gaps[index:]
        before = statistics.median(w.height for _, w in solid[:index])
        after = statistics.median(w.height for _, w in solid[index:])
        # Spaces grow with the type: a value set larger than its label spaces its words wider.
        usual = statistics.median(others) * min(1.0, before / after) if others else 0.0
        if index > 1:
            usual = min(usual, statistics.median(gaps[: index - 1]))
        height = min(line_height, before)
        if gap >= WIDE_GAP_HEIGHTS * height and gap >= WIDE_GAP_SPACES * usual:
            return solid[index - 1][0] + 1
    return None


def taller_value_index(words: tuple[Word, ...], vocabulary: tuple[str, ...]) -> int | None:
    """The index of the first word after a known label where the rest of the line is written
    taller than the label's print (each word WRITTEN_TALLER times the label's tallest word, whose
    box holds the print's ascenders and descenders; marks such as a dash are not measured): a
    value filled in by hand after a printed label, no colon and no gap wider than handwriting's
    own spaces ("Pt. name  Jerome Santos"): the label's words read surely, one of the value's
    less so (WRITTEN_CONFIDENCE). Of the splits that read so, the one whose label reads best
    (the longer on a tie). None when none does, when the whole line reads as a label at least
    as well, when the rest reads as a label too ("Prescriber's signature"), or when it opens
    with a word joining it on to the label (``JOINING_WORDS``: "Name  of patient", its
    "f" and "p" reaching higher and lower than the print of "Name")."""
    whole: float | None = None  # read only for a line whose heights split: most lines are print
    found: list[tuple[float, int]] = []
    for end in range(1, min(MAX_KEY_WORDS, len(words) - 1) + 1):
        label = [w.height for w in words[:end] if _measured(w)]
        rest = [w.height for w in words[end:] if _measured(w)]
        if not label or not rest or min(rest) < WRITTEN_TALLER * max(label):
            continue
        if _joins_on(words[end]):
            continue
        if any(w.confidence < SURE_CONFIDENCE for w in words[:end]):
            break  # a label is print, read surely; a word written in and misread is none ("Dated")
        if all(w.confidence >= WRITTEN_CONFIDENCE for w in words[end:]):
            continue  # print as sure as the label's: a title's larger word ("Patient Questionnaire")
        head = whole_phrase_score(text_of(words[:end]), vocabulary)
        if whole is None:
            whole = whole_phrase_score(text_of(words), vocabulary)
        if head >= KEY_MIN_SCORE and head > whole:
            found.append((head, end))
    if not found:
        return None
    end = max(found)[1]
    return None if _reads_as_print(text_of(words[end:]), vocabulary) else end


def _measured(word: Word) -> bool:
    """True for a word whose height tells its print's size: one with a letter or digit and no
    bracket or bar, which reach above the capitals and below the line ("(970)-642-4224")."""
    return any(ch.isalnum() for ch in word.text) and not any(ch in BRACKETS for ch in word.text)


def text_of(words: Iterable[Word]) -> str:
    return " ".join(w.text for w in words)


def has_digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def ends_in_a_number(words: tuple[Word, ...], vocabulary: tuple[str, ...]) -> bool:
    """True when the last of a label's words is a group of three digits or more and the label
    reads as well without it: a value's first group ("097402 54685"), never a label's number
    ("Address line 1", "Medication 2")."""
    if not re.fullmatch(r"\d{3,}", words[-1].text):
        return False
    return whole_phrase_score(text_of(words[:-1]), vocabulary) >= whole_phrase_score(
        text_of(words), vocabulary
    )
