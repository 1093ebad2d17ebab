"""A person's field is labelled by its role or by the role's name asked for ("Doctor",
"Doctor's name", "Name of physician"): the wordings are made from the role labels of the data."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from tests.layout_text import parse_layout

PRESCRIPTION = get_document_type("prescription")


@pytest.mark.parametrize("label", ["Doctor's name", "Name of physician", "Provider name"])
def test_a_role_s_name_asked_for_is_the_role_s_label(label: str) -> None:
    page = parse_layout(
        f"""
        200 300 Riverside Clinic
        200 500 Patient name: Ann Lee
        200 560 Rx: Amoxicillin 500 mg
        200 620 Sig: take 1 capsule three times a day
        900 900 {label}
        900 960 Paul Stone
        """
    )
    assert extract_fields(PRESCRIPTION, page, 0.8)["prescriber"].value == "Paul Stone"


def test_a_label_naming_already_gets_no_name_wordings() -> None:
    labels = PRESCRIPTION.field("prescriber").labels
    assert "Doctor's name" in labels and "Name of physician" in labels
    assert not any(label.startswith(("Signed by name", "Name of signed")) for label in labels)
    assert "For name" not in PRESCRIPTION.field("patient_name").labels


def test_a_role_s_signature_asked_for_is_no_label_of_its_name() -> None:
    from extraction.fields import page_view
    from extraction.label_scores import label_score

    assert "Prescriber's signature" in PRESCRIPTION.signatures
    (page,) = parse_layout(
        "200 300 Riverside Clinic\n200 900 Dr Dylan Medina, D.O.\n200 960 Prescriber's signature"
    )
    view = page_view(PRESCRIPTION, page)
    signature = next(key for key in view.keys if key.text == "Prescriber's signature")
    assert label_score(PRESCRIPTION.field("prescriber"), signature, view, PRESCRIPTION) == 0.0
