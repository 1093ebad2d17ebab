"""A word whose case stands out from its line's."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.letter_case import odd_case_word
from extraction.types import FieldResult
from extraction.validate import validate_fields


@pytest.mark.parametrize(
    ("value", "odd"),
    [
        ("No Known allergies", "Known"),  # a capital K inside small words
        ("53 Prospect dr, albany, NY", "Prospect"),
        ("Pacific coast Health Plan", "coast"),  # a small c among capitals
        ("Tree nuts\nNo Pets allowed", "Pets"),  # each line on its own
        ("Peanuts, shellfish, Pollen", None),  # each item opens after its comma
        ("Meloxicam, Take 1 capsule everyday", None),
        ("Tab Carvedilol 12.5 mg", None),  # a drug's name takes a capital anywhere
        ("2 Cap with meals", "Cap"),  # a dose form, listed with drugs, is a plain word
        ("2531 Grove Lane\nWashington, District of Columbia, 20035", None),  # "of" says nothing
        ("Pieter van Houten Clinic", None),
        ("Blue Cross of California", None),
        ("Take 1 tablet by mouth at bedtime", None),
        ("Nuts Known", None),  # no inner word of small letters to go by
        ("4 Elm St. NW, Washington, DC 20001", None),  # capitals only: acronyms
        ("Hypertension Type 2", None),  # "T" has no small letter of its shape
        ("Evergreen Health tnsurance", "tnsurance"),  # a capital I read as a small t
        ("Apex Dental lnsurance", "lnsurance"),
        ("Flat 1A, 181 12th Cross, Indiranagar", None),  # written on to its number
        ("Take 1 Tablet daily", None),  # a plain word of directions, small among capitals
        ("Grand Valley Health", None),
        ("United ASSurance", "ASSurance"),  # small s read as capitals inside a word
        ("Pioneer Insurance COmpany", "COmpany"),
        ("USAir Medical Plan", None),  # an inner capital of its own shape: written so
        ("Covered HMOs and PPOs", None),  # a plural of capitals
        ("McKesson Health", None),
    ],
)
def test_a_word_in_a_case_its_line_does_not_use_is_found(value: str, odd: str | None) -> None:
    assert odd_case_word(value) == odd


def test_a_text_field_with_such_a_word_is_flagged_and_a_name_is_left_to_its_own_check() -> None:
    spec = get_document_type("patient_details")
    fields = {f.name: FieldResult("", 0.0, False) for f in spec.fields}
    fields["allergies"] = FieldResult("No Known allergies", 0.95, False)
    fields["patient_name"] = FieldResult("Sean Kelly", 0.95, False)
    validate_fields(spec, fields)
    assert fields["allergies"].needs_review and "'Known'" in (fields["allergies"].reason or "")
    assert not fields["patient_name"].needs_review
