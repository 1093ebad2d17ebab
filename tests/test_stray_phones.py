"""A phone number read again at either end of a list's lines is no line of it
(extraction.stray_phones): text in, fields out, no OCR."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.stray_phones import phones_out_of_lists
from extraction.types import FieldResult

PATIENT = get_document_type("patient_details")
ADDRESS = "52 Adams Dr\nMadison, Wisconsin, 53717\nUnited States"


def _fields(address: str, phone: str = "", contact_phone: str = "(587) 207-6701") -> dict[str, FieldResult]:
    fields = {spec.name: FieldResult("", 0.0, needs_review=True) for spec in PATIENT.fields}
    fields["address"] = FieldResult(address, 0.9, needs_review=False, box=(200, 440, 600, 660))
    fields["phone_number"] = FieldResult(phone, 0.9 if phone else 0.0, needs_review=not phone)
    fields["emergency_contact_phone"] = FieldResult(contact_phone, 0.9 if contact_phone else 0.0, False)
    return fields


@pytest.mark.parametrize("phone_line", ["711-912-4077", "(711) 912-4077", "+254 775 295 920"])
def test_a_phone_opening_an_address_goes_to_the_phone_left_blank(phone_line: str) -> None:
    fields = phones_out_of_lists(PATIENT, _fields(f"{phone_line}\n{ADDRESS}"))
    assert fields["address"].value == ADDRESS and fields["address"].needs_review
    assert fields["phone_number"].value == phone_line and fields["phone_number"].needs_review
    assert "address" in (fields["phone_number"].reason or "")
    assert fields["phone_number"].box == (200, 440, 600, 660)


def test_a_phone_closing_an_address_replaces_a_phone_that_is_no_number() -> None:
    fields = phones_out_of_lists(PATIENT, _fields(f"{ADDRESS}\n711-912-4077", phone="537|00006)"))
    assert fields["address"].value == ADDRESS
    assert fields["phone_number"].value == "711-912-4077"


def test_a_phone_already_read_is_kept_and_two_blank_phones_take_none() -> None:
    fields = phones_out_of_lists(PATIENT, _fields(f"711-912-4077\n{ADDRESS}", phone="(608) 555-0199"))
    assert fields["address"].value == ADDRESS and fields["address"].needs_review
    assert fields["phone_number"].value == "(608) 555-0199"
    fields = phones_out_of_lists(PATIENT, _fields(f"711-912-4077\n{ADDRESS}", contact_phone=""))
    assert fields["address"].value == ADDRESS
    assert fields["phone_number"].value == "" and fields["emergency_contact_phone"].value == ""


@pytest.mark.parametrize(
    "address",
    [
        ADDRESS,
        "P.O. Box 73187-00108\n42 Oginga Odinga St, Nairobi",
        "73187-00108\n42 Oginga Odinga St, Nairobi",  # a box's number and code, no phone
        "52 Adams Dr\n711-912-4077\nMadison, Wisconsin",  # inside the value: not where a stray line falls
        "711-912-4077",  # the value whole: another field's business (its check)
    ],
)
def test_other_lines_stay(address: str) -> None:
    fields = phones_out_of_lists(PATIENT, _fields(address))
    assert fields["address"].value == address and not fields["address"].needs_review
    assert fields["phone_number"].value == ""


def test_fields_not_read_at_all_are_left_alone() -> None:
    # The second look is given the fields read so far; a phone field absent is not blank.
    address = FieldResult(f"711-912-4077\n{ADDRESS}", 0.9, needs_review=False)
    fields = phones_out_of_lists(PATIENT, {"address": address})
    assert set(fields) == {"address"} and fields["address"].value == ADDRESS
