"""How a form's dates and phones are written, learned from the clerk's correction of one; and
how the office writes a value the form asks for in parts.

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
from extraction.part_values import composed_from_parts, fill_parts
from extraction.types import FieldResult

# Kinds whose separators a form may print and the office may write otherwise.
SHAPED_KINDS = ("date", "phone")
# What may stand between the parts of a value as the office writes it: no letter or digit, so
# a learned way of writing holds no patient's words.
PART_SEPARATORS = re.compile(r"[\s,;:/.()#-]*")


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


def learn_part_formats(
    doc_type: DocumentType, result_fields: Mapping[str, FieldResult], verified: Mapping[str, str]
) -> dict[str, str]:
    """For each value put together from its parts on the learned copy whose verified value holds
    every part read, word for word, in another way of writing than the field's (a comma before
    the ZIP: "Washington, District of Columbia, 20047"): the verified value with each part
    written ``{part}``, as ``DocumentType`` writes a field's ``parts_format``. Only separators
    are kept (``PART_SEPARATORS``); a part misread on the learned copy teaches nothing."""
    formats = {}
    for spec in doc_type.fields:
        field, value = result_fields.get(spec.name), verified.get(spec.name, "")
        if not spec.part_specs or field is None or not field.parts or not value:
            continue
        read = {piece.name: piece.value for piece in field.parts}
        template = _written_with_parts(value, read)
        if template is not None and fill_parts(template, read) != fill_parts(spec.parts_format, read):
            formats[spec.name] = template
    return formats


def _written_with_parts(value: str, parts: Mapping[str, str]) -> str | None:
    """``value`` with each of ``parts`` (found once each, the longest first) written ``{name}``;
    None when a part is not found once, or what is left is more than separators."""
    template = value
    for name, part in sorted(parts.items(), key=lambda item: -len(item[1])):
        if not part or template.count(part) != 1:
            return None
        template = template.replace(part, "{" + name + "}")
    if not PART_SEPARATORS.fullmatch(re.sub(r"{\w+}", "", template)):
        return None
    return template


def in_learned_part_formats(
    fields: dict[str, FieldResult], part_formats: Mapping[str, str], doc_type: DocumentType
) -> dict[str, FieldResult]:
    """``fields`` with each value put together from its parts written as the learned copy's
    clerk wrote it (``part_formats``), when the value is still the parts in the field's own way
    of writing; its flags stay as they were."""
    for name, template in part_formats.items():
        field = fields.get(name)
        if field is None or not field.parts or not composed_from_parts(field):
            continue
        read = {piece.name: piece.value for piece in field.parts}
        if fill_parts(doc_type.field(name).parts_format, read) == field.value:
            field.value = fill_parts(template, read)
    return fields
