"""The document types' data (extraction/doctypes/*.toml) kept consistent with itself."""

from __future__ import annotations

import re

import pytest

from extraction.doctypes import get_document_type

# What follows a dosing verb in directions: a label followed by it must not read as directions.
DIRECTIONS_TAIL = "1 tablet twice daily"
SHAPED = [
    (name, spec)
    for name in ("prescription", "patient_details")
    for spec in get_document_type(name).fields
    if spec.shape
]


def test_some_field_has_a_shape_to_check() -> None:
    assert SHAPED


@pytest.mark.parametrize(("doc_type", "spec"), SHAPED, ids=[spec.name for _, spec in SHAPED])
def test_no_label_opens_a_line_of_its_own_field_s_shape(doc_type: str, spec: object) -> None:
    """A word that opens directions ("Use 1 tab as needed") is none of their plain labels: a
    line whose count OCR lost ("Use   tab as needed", a gap where the "1" was) would read as
    that label and a value beside it, and the lines under it would be taken in. Such a word is
    a label only with its colon (``colon_labels``)."""
    opening = [label for label in spec.labels if re.match(spec.shape, f"{label} {DIRECTIONS_TAIL}")]
    assert opening == [], f"{doc_type}.{spec.name}"


def test_a_colon_label_of_a_shaped_field_opens_a_line_of_its_shape() -> None:
    """The colon-only labels are there for that reason, and no other."""
    for _, spec in SHAPED:
        for label in spec.colon_labels:
            assert re.match(spec.shape, f"{label} {DIRECTIONS_TAIL}"), label
