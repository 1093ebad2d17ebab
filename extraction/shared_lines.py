"""One label, two fields' values on its line: "Emergency contact (name / phone): Jane Smith
(555) 987-6543". The field that took the label takes the words of its own shape (the phone);
the other field the label names, left without a value, takes the words before them, flagged.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.doctypes import DocumentType, FieldSpec
from extraction.page_view import Candidate
from extraction.types import Word
from extraction.validate import WORD, check_value

SHARED_LINE_NOTE = "read from a line the label gives two values: check which is which"
# What parts two values written on one line ("Jane Smith / (555) 987-6543").
_SEPARATORS = " ,;:/-"


def split_shared_lines(
    doc_type: DocumentType, chosen: dict[str, Candidate], scored: list[tuple[float, int, Candidate]]
) -> dict[str, Candidate]:
    """``chosen`` with each field that found no value given the words of a shared line: a
    candidate of it (best first in ``scored``) read the same one line from the same key as a
    field that took that key, whose own shape (its ``pattern``) ends the line; what stands
    before that shape holds a word, is of another kind and passes this field's check."""
    result = dict(chosen)
    for _score, _index, candidate in scored:
        field = candidate.field
        if (field in result and result[field].words) or len(candidate.lines) != 1 or not candidate.keys:
            continue
        owner = _owner_of_keys(candidate, result)
        if owner is None or owner.lines != candidate.lines:
            continue
        split = _own_shape_from(doc_type.field(owner.field), list(owner.lines[0]))
        if split is None:
            continue
        before, shaped = split
        text = " ".join(w.text for w in before).strip(_SEPARATORS)
        spec = doc_type.field(field)
        # Two values of one kind, or a part of the value's own shape ("(02)" before "9337 9274"),
        # are no two fields' values.
        if spec.kind == doc_type.field(owner.field).kind or not WORD.search(text):
            continue
        if check_value(spec, text) is not None:
            continue
        result[field] = replace(candidate, lines=(tuple(before),), note=SHARED_LINE_NOTE)
        result[owner.field] = replace(owner, lines=(tuple(shaped),))
    return result


def _owner_of_keys(candidate: Candidate, chosen: dict[str, Candidate]) -> Candidate | None:
    """The chosen candidate of another field that took ``candidate``'s keys."""
    keys = {id(k) for k in candidate.keys}
    for other in chosen.values():
        if other.field != candidate.field and keys <= {id(k) for k in other.keys}:
            return other
    return None


def _own_shape_from(spec: FieldSpec, words: list[Word]) -> tuple[list[Word], list[Word]] | None:
    """The line's words parted before the longest run at its end that is wholly of the field's
    shape (``spec.pattern``), with words before it, each part without the marks that parted
    them ("/"); None when there is no such run."""
    if not spec.pattern:
        return None
    for start in range(1, len(words)):
        tail = " ".join(w.text for w in words[start:]).strip(_SEPARATORS)
        if re.fullmatch(spec.pattern, tail):
            shaped = [w for w in words[start:] if w.text.strip(_SEPARATORS)]
            before = words[:start]
            while before and not before[-1].text.strip(_SEPARATORS):
                before.pop()
            return before, shaped
    return None
