"""The words labels are made of: which words a document type's labels and headings hold, a line
made only of them, and a line naming a label or heading then the same in another language."""

from __future__ import annotations

import itertools
from functools import lru_cache

from extraction.label_ends import KEY_MIN_SCORE, has_digits, text_of
from extraction.label_shapes import MAX_UNKNOWN_KEY_WORDS
from extraction.phrases import key_token, whole_phrase_score
from extraction.types import Word


def all_label_words(words: tuple[Word, ...], vocabulary: tuple[str, ...]) -> bool:
    """True for a line made only of the words labels and headings are made of ("INSURANCE
    INFORMATION", "Patient Details"): a heading of this form's own wording, never a value.
    Words of three letters or fewer ("No", "of") tell nothing either way."""
    tokens = [key_token(w.text) for w in words]
    long = [t for t in tokens if len(t) >= 4]
    if not long or len(tokens) > MAX_UNKNOWN_KEY_WORDS + 1:
        return False
    known = sum(t in label_words(vocabulary) for t in long)
    letters = [ch for ch in text_of(words) if ch.isalpha()]
    # Set in capitals like the form's labels, half its words a label's: a label of its own.
    capitals = all(ch.isupper() for ch in letters) and 2 * known >= len(long)
    return known == len(long) or capitals


@lru_cache(maxsize=16)
def label_words(vocabulary: tuple[str, ...]) -> frozenset[str]:
    """Every word of the vocabulary's labels and headings, as labels are compared (``key_token``)."""
    return frozenset(key_token(w) for phrase in vocabulary for w in phrase.split())


def named_first(words: tuple[Word, ...], vocabulary: tuple[str, ...]) -> bool:
    """True for a line naming a label or heading, then the same in other words after a slash
    set apart ("Health History / Antecedentes médicos", "Emergency Contact Information /
    Contacto de emergencia"): a bilingual form prints its headings and labels so."""
    first = tuple(itertools.takewhile(lambda w: not w.text.startswith("/"), words))
    if not first or len(first) == len(words) or has_digits(text_of(words)):
        return False
    return whole_phrase_score(text_of(first), vocabulary) >= KEY_MIN_SCORE or all_label_words(
        first, vocabulary
    )
