"""Section headings of no field ("Insurance / Billing") are print: never a label with a value."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")


# A section heading whose slash OCR dropped reads "INSURANCE BILLING": a heading, not the label
# "Insurance" with "BILLING" as the insurer.
BILLING = """
300 300 Patient Intake Form
300 400 INSURANCE  BILLING
300 500 INSURANCE PROVIDER:
300 560 Summit Mutual
"""


def test_a_heading_that_names_two_things_is_no_label_and_value() -> None:
    insurer = extract_fields(PATIENT, parse_layout(BILLING), 0.8)["insurance_company"]
    assert insurer.value == "Summit Mutual"
