"""Weighing the second reader's reading of a value against tesseract's (``extraction.second_look``).

When both readings agree (spacing, case, a number's punctuation and the way a date is written
aside) the value stands, and a one-line value flagged for nothing but tesseract's low confidence
in its ink is no longer flagged if the second reader is sure of the same reading: two
recognizers of different making read the ink alike (a value of several lines keeps its flag:
agreement does not show it whole). A doubt of the field's that one reading raises and the other
does not counts against the one that raises it. A list number the crop took in ("2) Metoprolol")
is no disagreement, but a line read as an item later than its place in the value flags the items
before it as missing.

When they disagree the field is flagged with both readings in its reason, and the second reading
is taken only when it passes the field's check where tesseract's did not (or is far more
confident) and is confident: very sure, or fairly sure with every word a known word where
tesseract's were not, or fairly sure where tesseract was guessing (of known words, or of a name
or a number), or fairly sure of a value whose check is strict. Where both readings are digits
alone, a second reading that passes the check is taken at a lower confidence and whatever
tesseract's. Where the readings differ only in punctuation, the second is taken when every mark
it changes is one tesseract gets wrong (an abbreviation's full stop added, a stray mark left
out: ``extraction.punctuation_readings``). A taken reading is always flagged, so a clerk sees
every value changed; the only flag lifted is that of ink both readers read alike.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.doctypes import FieldSpec
from extraction.layout import similarity, spelling
from extraction.lexicon import ENGLISH, known_share
from extraction.normalize import AFTER_A_NAME, normalize
from extraction.page_view import BARE_LIST_MARK, LIST_MARK, LIST_NUMBER, strip_list_mark
from extraction.punctuation_readings import second_marks_better
from extraction.readings_agree import alike, digits_alone, same_value, spaced_for_check
from extraction.second_reader import Reading
from extraction.types import FieldResult
from extraction.validate import TITLES, check_value, doubts_about

# A one-line value flagged only for tesseract's low confidence in its ink is no longer flagged
# when the second reader reads it alike at least this sure. On 120 tuning documents (seeds 7978,
# 7979) 53 of 55 values so read alike were right at any confidence; the two wrong ones were a
# list missing a line (lists keep their flag) and a date that fails its check (flagged later).
CONFIRM_CONFIDENCE = 0.9

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
# Words before that colon this like (difflib's ratio of their letters) tesseract's first words of
# the value are the value's own words, read by both.
OWN_HEAD_LIKENESS = 0.7
TAKE_CHECKED = 0.85
# Where both readings are digits alone and differ, on handwritten tuning documents (seed 7850,
# 33 single-line values) the second reader was right 30 times and tesseract never (it drops a
# written number's first digits, "3" for "133", and confuses 2/9, 0/9), down to readings of
# 0.64: one that passes the field's check at this confidence is taken, flagged, whatever
# tesseract's confidence.
TAKE_DIGITS = 0.6

# Where the readings differ only in punctuation, a second reading this sure is taken when each
# mark it changes is one tesseract gets wrong (``extraction.punctuation_readings``). Of 43 such
# disagreements on names and text of tuning documents (rounds 31-35, the rule's own examples),
# the second reader was right in all 18 it takes; of the 25 left, tesseract in 20, neither in 4.
TAKE_MARKS = 0.9
MARKED_KINDS = ("text", "person")
# The vocabularies a reading's words are looked up in, per kind of field (with its own lexicons).
KNOWN_WORDS: dict[str, tuple[str, ...]] = {"person": ("names",), "text": (ENGLISH,)}


def compare(spec: FieldSpec, result: FieldResult, reading: Reading, place: int = 1) -> FieldResult:
    """The field after weighing the second reading against tesseract's (see the module doc).
    ``place`` is the line's place in its value (1 for a value of one line)."""
    if BARE_LIST_MARK.match(reading.text.strip()):
        return result  # the crop's item number alone: the second reader read none of the value
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
        again = re.sub(r"(?<=\d)\s+(?=\d)", "", again)  # a gap between written digits is no space
    first_problem = check_value(spec, result.value)
    # A doubt of the field's (a count lost before "tablet") that one reading raises and the other
    # does not counts against the reading that raises it, where both pass the check (a reading
    # that fails it is no measure: "341 1" raises no doubt of a phone's, nor is one).
    first_doubts, again_doubts = set(doubts_about(spec, result.value)), set(doubts_about(spec, again))
    again_passes = check_value(spec, again) is None
    passes = again_passes and (first_problem is not None or again_doubts <= first_doubts)
    known = reading.confidence >= TAKE_KNOWN and _words_known(spec, again, result.value)
    over_a_guess = (
        result.confidence < TESSERACT_GUESSING
        and reading.confidence >= TAKE_KNOWN
        and (spec.kind in GUESS_KINDS or (not _strictly_checked(spec) and all_known(spec, again)))
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
    marks = (
        spec.kind in MARKED_KINDS
        and reading.confidence >= TAKE_MARKS
        and second_marks_better(result.value, again)
    )
    take = (
        passes
        and (sure or (digits and reading.confidence >= TAKE_DIGITS))
        and not _opens_with_a_label(again, result.value)
        and doubtful
    ) or (marks and again_passes)
    both = (
        f"tesseract read {result.value!r} ({result.confidence:.2f}), "
        f"the second reader {again!r} ({reading.confidence:.2f})"
    )
    if not take:
        merged = _word_by_word(spec, result, again, reading)
        if (
            merged is not None
            and check_value(spec, merged) is None
            and set(doubts_about(spec, merged)) <= first_doubts
        ):
            taken = replace(result, value=merged, confidence=min(reading.confidence, 0.79))
            taken.flag(f"put together word by word, each word the one a word list holds: {both}")
            return taken
        flagged = replace(result)
        flagged.flag(f"readings disagree: {both}")
        return flagged
    if spec.kind == "person":
        again = _capitals_kept(again, result.value)
    taken = replace(result, value=again, confidence=min(reading.confidence, 0.79))
    taken.flag(f"read again by the second reader: {both}")
    return taken


def _word_by_word(spec: FieldSpec, result: FieldResult, again: str, reading: Reading) -> str | None:
    """The two readings put together word by word, when they hold as many words and the second
    reader is fairly sure and surer than tesseract: each word tesseract read as no known word
    of the field's vocabularies (``vocabularies_for``) taken from the second reading where that
    reads a known one, every other word as tesseract read it ("Metaproll 50 mg" and
    "Metoprolol 50 me" make "Metoprolol 50 mg"); a word with a digit in either reading is
    always tesseract's. None unless a word was taken and every word of the result is known."""
    vocabularies = vocabularies_for(spec)
    first, second = result.value.split(), again.split()
    if (
        not vocabularies
        or len(first) != len(second)
        or reading.confidence < TAKE_KNOWN
        or reading.confidence <= result.confidence
    ):
        return None
    words = []
    for mine, theirs in zip(first, second, strict=True):
        # Only a word of letters stands in for a word of letters: a number read as a letter
        # ("Type Z diabetes" for "Type 2") is no known word's place.
        letters = not any(ch.isdigit() for ch in mine + theirs) and any(ch.isalpha() for ch in mine)
        better = (
            letters and known_share(theirs, vocabularies) == 1.0 and known_share(mine, vocabularies) < 1.0
        )
        words.append(theirs if better else mine)
    # A word taken is known where tesseract's was not, so it differs from it.
    merged = " ".join(words)
    return merged if words != first and all_known(spec, merged) else None


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
    # Tesseract read the same words first with the colon misread ("Spirenclactene!" for
    # "Spironolactone:"): the colon is the value's own; a label is print tesseract did not read.
    if similarity(spelling(" ".join(first.split()[: len(words)])), spelling(head)) >= OWN_HEAD_LIKENESS:
        return False
    return any(ch.isalpha() for ch in head)


def vocabularies_for(spec: FieldSpec) -> tuple[str, ...]:
    """The lexicons the field's words are expected in: names for a person; the field's lexicons
    and English for free text; none for other kinds."""
    vocabularies = KNOWN_WORDS.get(spec.kind)
    return () if vocabularies is None else (*vocabularies, *spec.lexicons)


def _words_known(spec: FieldSpec, again: str, first: str) -> bool:
    """Whether every word of the second reading is a known word of the field's vocabularies
    and tesseract's reading has fewer: a real word read where tesseract read letters of no word."""
    return all_known(spec, again) and not all_known(spec, first)


def all_known(spec: FieldSpec, text: str) -> bool:
    """Whether every word of ``text`` is a known word of the field's vocabularies
    (``vocabularies_for``; none: no), a person's name read without its title and credentials."""
    vocabularies = vocabularies_for(spec)
    if spec.kind == "person":
        text = _name_words(text)
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
