"""Sections told by their rules and by whose details they hold: a child's form with a parent's
details on it, a heading no wording names set over a rule as wide as the form.

Pages are written by hand in the plain-text layout of ``tests.layout_text`` (no tesseract), with
the rules a page's structure would give.
"""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields, page_view
from extraction.structure.types import PageStructure, Rule
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")

# A pediatric form: the child's details, then a parent's own, then an emergency contact under a
# heading no section wording names, each heading over a rule across the form.
CHILD_FORM = """
200 300 CHILD INFORMATION
200 400 Child's full name: Jesse Shaw
1300 400 Date of birth: {child_born}
200 480 Telephone: 930-940-2721
200 600 PARENT OR GUARDIAN INFORMATION
200 700 Parent's name: Olivia McDonald
1300 700 Date of birth: 2/6/1967
200 780 Cell phone: 475-328-4813
200 900 Emergency contact - not a parent
200 1000 Emergency contact: Harold Shaw
1300 1000 Telephone: 441-996-0791
200 1200 Parent/guardian signature
"""

SECTION_RULES = PageStructure(
    rules=(
        Rule((195, 345, 2300, 349), "horizontal"),
        Rule((195, 645, 2300, 649), "horizontal"),
        Rule((195, 945, 2300, 949), "horizontal"),
    )
)


def _read(layout: str, structure: PageStructure | None = SECTION_RULES) -> dict:
    return extract_fields(PATIENT, parse_layout(layout), 0.8, structures=[structure])


def test_a_child_s_name_is_the_record_s_and_a_parent_s_is_not() -> None:
    fields = _read(CHILD_FORM.format(child_born="1 September 2015"))
    assert fields["patient_name"].value == "Jesse Shaw"
    assert fields["birth_date"].value == "1 September 2015"
    assert fields["phone_number"].value == "930-940-2721"


def test_a_parent_s_date_of_birth_is_never_the_child_s_unflagged() -> None:
    birth = _read(CHILD_FORM.format(child_born=""))["birth_date"]
    assert birth.value == "" or birth.needs_review


def test_a_section_of_a_parent_s_details_ends_at_the_next_ruled_heading() -> None:
    """The emergency heading reads as no section's wording; its rule across the form ends the
    parent's section, so the contact's plain "Telephone" is the contact's phone. Without the
    rule, the parent's section runs on over it."""
    layout = CHILD_FORM.format(child_born="1 September 2015")
    assert _read(layout)["emergency_contact_phone"].value == "441-996-0791"
    assert _read(layout, PageStructure())["emergency_contact_phone"].value != "441-996-0791"


def test_a_line_over_a_rule_across_the_form_is_a_heading_and_a_value_on_its_underline_is_not() -> None:
    page = parse_layout(
        """
        200 300 Emergency contact - not a parent
        200 400 Full name
        200 460 Harold Shaw
        200 560 Telephone
        200 620 441-996-0791
        """
    )[0]
    rules = (
        Rule((195, 345, 2300, 349), "horizontal"),  # under the heading
        Rule((195, 505, 2300, 509), "horizontal"),  # the name written on its underline
    )
    view = page_view(PATIENT, page, PageStructure(rules=rules))
    assert [h.text for h in view.headings] == ["Emergency contact - not a parent"]
    short = page_view(PATIENT, page, PageStructure(rules=(Rule((195, 345, 600, 349), "horizontal"),)))
    assert short.headings == []  # an underline no wider than the line is no section's rule


INSURED_PARENT = """
200 300 Child's name: Jesse Shaw
200 400 Insurance
200 500 {holder}: Arthur Larsen
1300 500 {holder_born}: 1988-11-06
200 580 Plan name: Pioneer Health Plan
1300 580 Subscriber ID: 539449751132
"""


@pytest.mark.parametrize(
    ("holder", "holder_born"),
    [("Subscriber (parent) name", "Holder's DOB"), ("Insured's name", "Insured's date of birth")],
)
def test_the_insured_parent_s_name_and_birth_date_are_no_field_s(holder: str, holder_born: str) -> None:
    fields = _read(INSURED_PARENT.format(holder=holder, holder_born=holder_born), None)
    assert fields["insurance_company"].value == "Pioneer Health Plan"
    assert fields["policy_number"].value == "539449751132"
    assert fields["birth_date"].value == ""


def test_a_field_s_label_over_a_section_rule_stays_a_label_and_ends_the_section_above() -> None:
    """ "Medical History" over a rule reads exactly as the medical problems' label: it stays
    that label, and the emergency section above it ends there, so a pediatrician's plain
    "Phone" under it is no emergency contact's phone."""
    layout = """
    200 300 Emergency Contact
    200 400 Name: Jordan Price
    200 600 Medical History
    200 700 List any medical problems: Hypertension
    200 780 Previous pediatrician: Dr Amber Ramirez, DO
    1400 780 Phone: (868) 757-0506
    """
    rules = PageStructure(
        rules=(Rule((195, 345, 2300, 349), "horizontal"), Rule((195, 645, 2300, 649), "horizontal"))
    )
    fields = _read(layout, rules)
    assert fields["emergency_contact_name"].value == "Jordan Price"
    assert fields["emergency_contact_phone"].value == "" or fields["emergency_contact_phone"].needs_review
    view = page_view(PATIENT, parse_layout(layout)[0], rules)
    assert [k.text for k in view.section_breaks] == ["Medical History"]


@pytest.mark.parametrize(
    "doctor", ["Previous pediatrician", "Current pediatrician", "Family physician:", "Primary doctor:"]
)
def test_a_list_ends_at_the_patient_s_doctor_s_label(doctor: str) -> None:
    fields = _read(
        f"""
        200 300 Child's name: Jesse Shaw
        200 400 Medications taken regularly: Melatonin
        200 460 {doctor}
        900 460 Dr Amber Ramirez, DO
        """,
        None,
    )
    assert fields["regular_medications"].value == "Melatonin"


def test_an_answer_under_a_question_no_wording_names_is_no_heading() -> None:
    """An answer written on a long underline right under its question is no section's heading,
    whether or not the question reads as a label: a heading has room above it."""
    page = parse_layout(
        """
        200 300 Next of Kin
        200 400 Whom may we call if you are taken ill
        230 450 Amber Okafor
        """
    )[0]
    rules = (
        Rule((195, 345, 2300, 349), "horizontal"),
        Rule((195, 495, 2300, 499), "horizontal"),  # the answer's underline
    )
    view = page_view(PATIENT, page, PageStructure(rules=rules))
    assert [h.text for h in view.headings] == ["Next of Kin"]
