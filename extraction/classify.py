"""Tell which document type a set of pages is, from the words printed on them.

Each type's evidence is its field labels (weight 1 each) and its keywords (their own weights);
a type's score is the share of its evidence found on the pages. The best type wins only if it
is clearly found and clearly ahead; otherwise the answer is "unknown", never a guess.
"""

from __future__ import annotations

from extraction.doctypes import DocumentType
from extraction.layout import match_label
from extraction.types import UNKNOWN_TYPE, PageText

MIN_SCORE = 0.3
MIN_LEAD = 0.15
PHRASE_MIN_SCORE = 0.85


def type_score(doc_type: DocumentType, pages: list[PageText]) -> float:
    """The weighted share (0..1) of the type's labels and keywords present on the pages."""
    evidence = {label: 1.0 for spec in doc_type.fields for label in spec.labels[:1]}
    evidence.update(doc_type.keywords)
    lines = [line for page in pages for line in page.lines]
    found = sum(
        weight
        for phrase, weight in evidence.items()
        if any(match_label(line, phrase, PHRASE_MIN_SCORE) for line in lines)
    )
    return found / sum(evidence.values())


def classify(pages: list[PageText], types: dict[str, DocumentType]) -> tuple[str, float]:
    """The best type's name and its score, or ("unknown", best score) when not clear-cut."""
    scores = sorted(((type_score(t, pages), name) for name, t in types.items()), reverse=True)
    if not scores:
        return UNKNOWN_TYPE, 0.0
    best_score, best = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best_score < MIN_SCORE or best_score - runner_up < MIN_LEAD:
        return UNKNOWN_TYPE, best_score
    return best, best_score
