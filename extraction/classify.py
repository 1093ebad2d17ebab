"""Tell which document type a set of pages is, from the whole vocabulary of each type.

A type's evidence is its fields (one point each when any wording of the field's label is
printed as a label on the pages, or when the field is a list whose lines are found by their
shape, as the field's unlabelled reading finds them) and its keywords (their own weights);
words of other documents that mention the same things (a receipt's "Total", a visit note's
"Assessment") count against it. The best type wins only if it is clearly found and clearly
ahead; otherwise the answer is "unknown", never a guess.
"""

from __future__ import annotations

import re

from extraction.doctypes import DocumentType, FieldSpec
from extraction.joined_values import split_joined_values
from extraction.keys import find_keys, typical_height
from extraction.layout import match_label
from extraction.lexicon import is_known
from extraction.page_view import apart_from_glyphs, strip_list_mark
from extraction.phrases import best_phrase
from extraction.types import UNKNOWN_TYPE, Line, PageText

MIN_SCORE = 0.25
MIN_LEAD = 0.1
PHRASE_MIN_SCORE = 0.85
# A list field with no label printed is found by this many lines of its shape: one dosing line
# may be a sentence of a letter or a note ("take 1 tablet daily"), a list of them is a list.
MIN_SHAPED_LINES = 2


def type_score(doc_type: DocumentType, pages: list[PageText], glyphs_apart: list[PageText]) -> float:
    """The weighted share (0..1) of the type's fields and keywords present on the pages, less
    the share of other documents' words found. ``glyphs_apart`` are the pages with each tall
    glyph on a line of its own (``page_view.apart_from_glyphs``), the same for every type."""
    keys = [key.text for page in pages for key in find_keys(page, doc_type.vocabulary)]
    lines = [line for page in pages for line in page.lines]
    # Medicine and directions written on one line ("Tab. X 500 mg - 1 tab BD") are two lines, and
    # so are a tall glyph and the line OCR ran it into ("R (1) Amoxicillin 5 ml": the Rx sign).
    value_lines = [line for page in glyphs_apart for line in split_joined_values(page, doc_type).lines]
    fields_found = sum(
        1.0
        for spec in doc_type.fields
        if any(best_phrase(key, spec.all_labels)[1] >= PHRASE_MIN_SCORE for key in keys)
        or _lines_of_its_shape(spec, value_lines)
    )
    keywords = sum(w for phrase, w in doc_type.keywords.items() if _printed(phrase, lines))
    against = sum(w for phrase, w in doc_type.not_keywords.items() if _printed(phrase, lines))
    total = len(doc_type.fields) + sum(doc_type.keywords.values())
    return max(0.0, (fields_found + keywords - against) / total)


def _lines_of_its_shape(spec: FieldSpec, lines: list[Line]) -> bool:
    """True when MIN_SHAPED_LINES of the lines, list marks left out, have the shape by which the
    field's unlabelled lines are found (a medicine with its dose, a line of directions), or one
    does and opens with a word of the field's lexicons: "Amoxicillin suspension 5 ml" alone on
    a pad is a medicine, where one dosing line may be a letter's."""
    if not spec.unlabelled_shape:
        return False
    pattern = re.compile(spec.unlabelled_shape)
    shaped = [text for line in lines if pattern.match(text := strip_list_mark(line.text))]
    return len(shaped) >= MIN_SHAPED_LINES or any(_opens_with_a_listed_word(text, spec) for text in shaped)


def _opens_with_a_listed_word(text: str, spec: FieldSpec) -> bool:
    """True when ``text``'s first word is a word of the field's lexicons ("Amoxicillin")."""
    words = text.split()
    return bool(spec.lexicons and words) and is_known(words[0].strip(".,:;"), spec.lexicons)


def _printed(phrase: str, lines: list) -> bool:
    return any(match_label(line, phrase, PHRASE_MIN_SCORE) for line in lines)


def classify(pages: list[PageText], types: dict[str, DocumentType]) -> tuple[str, float]:
    """The best type's name and its score, or ("unknown", best score) when not clear-cut."""
    glyphs_apart = [apart_from_glyphs(page, typical_height(page)) for page in pages]
    scores = sorted(((type_score(t, pages, glyphs_apart), name) for name, t in types.items()), reverse=True)
    if not scores:
        return UNKNOWN_TYPE, 0.0
    best_score, best = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best_score < MIN_SCORE or best_score - runner_up < MIN_LEAD:
        return UNKNOWN_TYPE, best_score
    return best, best_score
