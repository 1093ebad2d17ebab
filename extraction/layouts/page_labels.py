"""The labels of a new page, wherever its form put them: what a learned layout's areas must not read.

A learned layout finds the form's print by where it stood on the learned copy. A form that
flows (a longer answer pushes a cell along, a row packs two fields where the learned copy had
one) moves a label to where the layout expects a value. The generic key finder reads labels by
their words, wherever they stand: each of them ends a value read from a learned area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from functools import lru_cache

from extraction.doctypes import DocumentType
from extraction.keys import find_keys, split_at_inline_keys
from extraction.layout import spelling
from extraction.layouts.anchors import spelled_words
from extraction.types import Box, PageText, Word


def labels_on(page: PageText, doc_type: DocumentType, printed: Set[str]) -> dict[Box, str]:
    """The words of ``page`` that read as one of ``doc_type``'s label or heading wordings (its
    known keys, lines cut before a label that follows a value), by box, spelled. Every word of
    such a label is one the form prints (``printed``, spelled) or a word of the type's labels:
    "Atlas Insurance Company" reads as a label, but "Atlas" is neither, and it is a value."""
    vocabulary = doc_type.vocabulary
    words = printed | _label_words(vocabulary)
    split = split_at_inline_keys(page, vocabulary)
    labels = {}
    for key in find_keys(split, vocabulary, doc_type.colon_labels):
        spelled = {word.box: spelling(word.text) for word in key.words}
        if key.known and all(text in words for text in spelled.values() if len(text) >= 2):
            labels.update(spelled)
    return labels


@lru_cache(maxsize=8)
def _label_words(vocabulary: tuple[str, ...]) -> frozenset[str]:
    return spelled_words(vocabulary)


def up_to_a_label(line: Sequence[Word], labels: Mapping[Box, str]) -> list[Word]:
    """The words of a value's line up to the first label that follows a word of no label: the
    learned area reached past its value into the next label and its value ("7084 Forest Pl,
    Baltimore, MD  Home phone 704-552-1534", the next copy setting the phone beside the
    address). Labels before the value are kept (the caller leaves the form's print out)."""
    for index, word in enumerate(line):
        if word.box in labels and any(w.box not in labels for w in line[:index]):
            return list(line[:index])
    return list(line)
