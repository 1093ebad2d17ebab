"""How a form's dates and phones are written, learned from the clerk's correction of one.

A form that prints a date's separators between its boxes ("_ _ - _ _ - _ _ _ _") is read with
the form's separators, where the clerk writes the value as the office does ("10/09/1952"). When
the words where the verified value stands on the learned document (or the engine's reading of
it) have the verified groups of digits with other separators, the layout keeps both shapes
(digits written ``d``: no patient's value) and writes every later reading of the first shape in
the second.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from extraction.doctypes import DocumentType
from extraction.types import FieldResult

# Kinds whose separators a form may print and the office may write otherwise.
SHAPED_KINDS = ("date", "phone")


def shape(value: str) -> str:
    """``value`` with every digit written ``d``: "10-09-1952" is "dd-dd-dddd"."""
    return re.sub(r"\d", "d", value)


def learn_formats(
    doc_type: DocumentType, read: Mapping[str, str], verified: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """For each date or phone read (as the engine reads it, from where the verified value was
    found on the page) in the verified value's groups of digits but with other separators: the
    shape the page gives and the shape the clerk verified. A misread digit changes no shape."""
    formats = {}
    for spec in doc_type.fields:
        seen, value = read.get(spec.name, ""), verified.get(spec.name, "")
        if spec.kind not in SHAPED_KINDS or not seen or not value or shape(seen) == shape(value):
            continue
        written = _only_digits_and_separators(seen) and _only_digits_and_separators(value)
        if written and _groups(seen) == _groups(value) and _separators_printed(seen, value):
            formats[spec.name] = (shape(seen), shape(value))
    return formats


def _separators_printed(seen: str, value: str) -> bool:
    """True when the separators read differ from the verified ones as a form's print does from
    an office's writing: each that differs is another mark ("-" for "/"), or every one read is
    a mere space (boxes printed with nothing between them). A mark read lost or added beside
    one kept (") " for ")-") is a misreading of that copy, no way the form prints the value."""
    pairs = list(zip(_separators(seen), _separators(value), strict=True))
    if all(not read.strip() for read, _ in pairs):
        return True
    for read, verified in pairs:
        marks_read, marks_verified = read.replace(" ", ""), verified.replace(" ", "")
        if marks_read == marks_verified:
            continue
        if not marks_read or not marks_verified or set(marks_read) & set(marks_verified):
            return False
    return True


def _separators(value: str) -> list[str]:
    """What stands before, between and after the groups of digits of ``value``."""
    return re.split(r"\d+", value)


def in_learned_formats(
    fields: dict[str, FieldResult], formats: Mapping[str, tuple[str, str]]
) -> dict[str, FieldResult]:
    """``fields`` with each value read in a learned shape rewritten in the verified shape (its
    digits kept in order); its flags stay as they were."""
    for name, (read_shape, verified_shape) in formats.items():
        field = fields.get(name)
        if field is None or shape(field.value) != read_shape:
            continue
        digits = iter(_digits(field.value))
        field.value = "".join(next(digits) if c == "d" else c for c in verified_shape)
    return fields


def _only_digits_and_separators(value: str) -> bool:
    return bool(re.fullmatch(r"[\d\s/.()+-]+", value))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _groups(value: str) -> list[int]:
    return [len(g) for g in re.findall(r"\d+", value)]
