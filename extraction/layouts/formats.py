"""How a form's dates and phones are written, learned from the clerk's correction of one.

A form that prints a date's separators between its boxes ("_ _ - _ _ - _ _ _ _") is read with
the form's separators, where the clerk writes the value as the office does ("10/09/1952"). When
the engine's reading of the learned document differed from the verified value in its
separators only, the layout keeps both shapes (digits written ``d``: no patient's value) and
writes every later reading of the first shape in the second.
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
    doc_type: DocumentType, read: Mapping[str, FieldResult], verified: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """For each date or phone the engine read with the verified digits in the verified groups
    but other separators: the shape it read and the shape the clerk verified."""
    formats = {}
    for spec in doc_type.fields:
        field, value = read.get(spec.name), verified.get(spec.name, "")
        if spec.kind not in SHAPED_KINDS or field is None or not value or field.value == value:
            continue
        if _digits(field.value) == _digits(value) and _groups(field.value) == _groups(value):
            formats[spec.name] = (shape(field.value), shape(value))
    return formats


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


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _groups(value: str) -> list[int]:
    return [len(g) for g in re.findall(r"\d+", value)]
