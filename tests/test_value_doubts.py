"""Doubts on values read from text, no OCR: a capital I among small letters, and two fields whose
values may be swapped because one took the other's label."""

from __future__ import annotations

import pytest

from extraction.assign import Assigned
from extraction.candidates import labelled_candidates
from extraction.doctypes import get_document_type
from extraction.evidence import capital_i_among_small, doubt_label_owners, to_result
from extraction.fields import page_view
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")


@pytest.mark.parametrize(
    ("value", "doubted"),
    [
        ("BIk 580 Toa Payoh Lor 1", ["BIk"]),  # "Blk" with its l read as a capital I
        ("12 Oak St, AIbany, NY", ["AIbany"]),
        ("WiIliam Hart", ["WiIliam"]),
        ("Kavya Iyer", []),  # a capital I opening a name
        ("Sean McIntyre", []),  # a listed name with a capital I inside
        ("MRI of the knee", []),  # capitals only
        ("Ib 12, Block II", []),
    ],
)
def test_a_capital_i_among_small_letters_is_doubted_unless_a_list_holds_the_word(
    value: str, doubted: list[str]
) -> None:
    assert capital_i_among_small(value) == doubted


CHILD_AND_PARENT = """
100 100 Pediatric Patient Registration
100 280 Child's legal name: Ingrid Evans
100 360 Telephone: (856) 753-7525
100 560 Responsible Adult
100 640 Parent/guardian name: Benjamin McDonald
100 720 Date of birth: 1995-01-25
1000 720 Cell phone: (678) 336-7898
100 840 Emergency Contact
100 920 Name: Lucia Roberts
"""


def _taken(field: str, label: str, view: object) -> Assigned:
    spec = PATIENT.field(field)
    found = [c for c in labelled_candidates(spec, view, PATIENT) if c.keys[0].text.startswith(label)]
    return Assigned(found[0], label_found=True)


def test_a_field_whose_whole_label_another_field_took_is_flagged_with_it() -> None:
    """The contact's phone took "Telephone", a whole label of the patient's phone and only in
    part the contact's, and the patient's phone then came from a parent's "Cell phone": the two
    may be swapped, so the patient's phone is flagged too, naming the label taken."""
    view = page_view(PATIENT, parse_layout(CHILD_AND_PARENT)[0])
    assigned = {
        "phone_number": _taken("phone_number", "Cell phone", view),
        "emergency_contact_phone": _taken("emergency_contact_phone", "Telephone", view),
    }
    results = {name: to_result(PATIENT.field(name), a, 0.8, PATIENT) for name, a in assigned.items()}
    assert results["phone_number"].value == "(678) 336-7898" and not results["phone_number"].needs_review
    assert "reads whole as another field's" in (results["emergency_contact_phone"].reason or "")

    doubt_label_owners(PATIENT, {**_unassigned(), **assigned}, results, [view])

    phone = results["phone_number"]
    assert phone.needs_review
    assert "'Telephone' reads whole as this field's label" in (phone.reason or "")


def test_a_field_that_took_its_own_label_is_not_doubted_for_another_s() -> None:
    view = page_view(PATIENT, parse_layout(CHILD_AND_PARENT)[0])
    assigned = {
        "phone_number": _taken("phone_number", "Telephone", view),
        "emergency_contact_phone": _taken("emergency_contact_phone", "Telephone", view),
    }
    results = {name: to_result(PATIENT.field(name), a, 0.8, PATIENT) for name, a in assigned.items()}
    doubt_label_owners(PATIENT, {**_unassigned(), **assigned}, results, [view])
    assert not results["phone_number"].needs_review


def _unassigned() -> dict[str, Assigned]:
    return {spec.name: Assigned(None, label_found=False) for spec in PATIENT.fields}
