"""A form's printed words (its anchors): what identifies a layout whatever was written on it.

An anchor is a word the form itself prints (a label, a heading, a column name, the clinic's
name), kept with its box. Anchors are what a learned layout stores of a page: never a value,
never a digit. Text is compared in a normalised spelling (letters only, lower case), so "DOB:"
on one copy and "dob" read through fax noise on another are one anchor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

from extraction.doctypes import DocumentType
from extraction.layout import spelling
from extraction.types import Box, PageText, Word, centre_inside
from extraction.validate import IMMUNITY, YES_NO

# Shorter words ("of", "Dr") are too common to tell one form from another.
MIN_ANCHOR_LETTERS = 2
# Two spellings of one printed word read through noise: "Patlent" for "Patient".
SIMILAR_SPELLING = 0.8
# rapidfuzz's Indel similarity bounds difflib's ratio from above (difflib's matching blocks are
# one common subsequence) and costs a hundredth: pairs under this never pass SIMILAR_SPELLING.
# It is taken a hair lower, as rapidfuzz rounds some pairs at exactly 0.8 out.
INDEL_CUTOFF = SIMILAR_SPELLING - 1e-6
# Words read less surely are mostly handwriting misread ("Reithcomycin" for a written
# "Azithromycin"): a value the verified ones cannot be matched to, not print.
MIN_ANCHOR_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Anchor:
    """One printed word of a form: its normalised text and its box on the page it was learned on."""

    text: str
    box: Box

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


def same_word(a: str, b: str) -> bool:
    """True when two normalised spellings are one printed word, allowing an OCR slip in a long one."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    if Indel.normalized_similarity(a, b) < INDEL_CUTOFF:  # most pairs stop here
        return False
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR_SPELLING


def same_text(a: str, b: str) -> bool:
    """True when two values read the same but for case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def page_words(page: PageText) -> list[Word]:
    """Every word of the page, in reading order."""
    return [word for line in page.lines for word in line.words]


def form_words(doc_type: DocumentType) -> frozenset[str]:
    """The words a form of ``doc_type`` prints whatever was filled in, in the anchors' spelling:
    its labels, column names, headings and instructions, and the answers it offers to tick."""
    return spelled_words(
        (*doc_type.vocabulary, *doc_type.keywords, *doc_type.instructions, *YES_NO, *IMMUNITY)
    )


def spelled_words(phrases: Iterable[str]) -> frozenset[str]:
    """The words of ``phrases`` in the anchors' spelling (``spelling``)."""
    return frozenset(word for phrase in phrases for word in map(spelling, phrase.split()) if word)


def anchors_of(
    words: Iterable[Word],
    values: Sequence[str],
    value_boxes: Sequence[Box],
    vocabulary: Set[str] = frozenset(),
) -> list[Anchor]:
    """The page's printed words, without anything that is or may be a patient's value.

    Dropped: words with a digit or an "@" (an e-mail address written in), words read less
    surely than MIN_ANCHOR_CONFIDENCE, words inside a value's box, words spelled like any word
    of ``values`` (the verified values of the document: a name printed twice is still a name),
    and words too short to tell forms apart. A word of ``vocabulary`` (``form_words``: the
    document type's own labels and answers) outside every value's box is kept even when a
    value repeats it: "No known allergies" makes the form's "ALLERGIES" no patient's word.
    """
    value_words = {spelling(token) for value in values for token in value.split()}
    value_words.discard("")
    value_words -= set(vocabulary)
    kept = []
    for word in words:
        text = spelling(word.text)
        if len(text) < MIN_ANCHOR_LETTERS or any(ch.isdigit() or ch == "@" for ch in word.text):
            continue
        if word.confidence < MIN_ANCHOR_CONFIDENCE:
            continue
        if any(centre_inside(word.box, box) for box in value_boxes):
            continue
        if any(same_word(text, value_word) for value_word in value_words):
            continue
        kept.append(Anchor(text, word.box))
    return kept
