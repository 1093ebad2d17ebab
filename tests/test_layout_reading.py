"""How the engine reads a form's layout from its words alone: label columns, labels set apart
from their values by a gap, table columns of no known name, specks beside a colon.

Pages are written by hand in the plain-text layout of ``tests.layout_text`` (no tesseract).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from extraction.assign import only_print
from extraction.captions import line_on_rule_over, lines_above
from extraction.columns import LabelColumn, find_label_columns, split_at_value_edges
from extraction.doctypes import get_document_type
from extraction.fields import extract_fields, page_view
from extraction.keys import Key, find_keys, section_of
from extraction.label_ends import spaced_label_index, taller_value_index
from extraction.label_shapes import (
    is_format_hint,
    is_heading,
    is_negative_answer,
    is_number_label,
    label_within,
    value_kind,
)
from extraction.layout_doubts import _boxes_on_its_rows, _read_on_end, _run_into_its_label, layout_doubts
from extraction.page_view import Candidate, PageView
from extraction.phrases import best_phrase, key_token
from extraction.structure import Cell, PageStructure, Rule, SelectionMark
from extraction.types import Box, Line, PageText, Word
from extraction.validate import validate_fields
from tests.layout_text import parse_layout

PRESCRIPTION = get_document_type("prescription")
PATIENT = get_document_type("patient_details")

LABEL_COLUMN = """
200 200 Summit County Hospital
200 500 PATIENT
800 500 Megan Gray
200 560 HOSPITAL NO
800 560 35808328
200 620 RX DATE
800 620 08/11/2024
200 680 ADDRESS
800 680 79 Franklin Avenue, Detroit, MI
200 740 PRESCRIBING CLINICIAN
800 740 Dr Steven Henderson, MD
200 900 Medicine
900 900 Directions
200 960 Amoxicillin 500 mg
900 960 1 tablet twice daily
"""


def test_values_far_right_of_a_column_of_labels_are_read_beside_them() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(LABEL_COLUMN), 0.8)
    assert fields["patient_name"].value == "Megan Gray"
    assert fields["prescription_date"].value == "08/11/2024"
    # The next row's value is that row's label's, never a second line of the address.
    assert fields["patient_address"].value == "79 Franklin Avenue, Detroit, MI"


def test_a_label_of_no_known_wording_in_a_label_column_is_never_a_value() -> None:
    view = page_view(PRESCRIPTION, parse_layout(LABEL_COLUMN)[0])
    assert "HOSPITAL NO" in [k.text for k in view.keys]
    fields = extract_fields(PRESCRIPTION, parse_layout(LABEL_COLUMN), 0.8)
    assert "HOSPITAL" not in fields["patient_name"].value


def test_labels_of_no_known_wording_carry_a_label_column_on_past_its_last_known_label() -> None:
    """The address's second line sets the next row lower than the column's pitch, and "WARD"
    (a label of no known wording) stands past the last known label by more than a line's
    reach: the column runs a row on, so "WARD" is a label and its "Surgical 2" no third line
    of the address; "BED" under it is a label too, carried on by "WARD"."""
    page = parse_layout(
        """
        200 500 PATIENT NAME
        800 500 Margaret Chavez
        200 570 HOSPITAL NO
        800 570 90254416
        200 640 DATE
        800 640 23 March 2015
        200 710 ADDR
        800 710 24 Ash Pl
        800 760 Detroit, 48253
        200 830 WARD
        800 830 Surgical 2
        200 920 BED
        800 920 Fourteen
        """
    )
    keys = [k.text for k in page_view(PRESCRIPTION, page[0]).keys]
    assert "WARD" in keys and "BED" in keys
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["patient_address"].value == "24 Ash Pl\nDetroit, 48253"


def test_a_label_column_of_two_labels_a_page_apart_reaches_no_further_than_three_rows() -> None:
    """Two labels a page apart made a column whose pitch was the page: reaching a pitch past
    them, it cut an address line far above at its value edge. A row reaches at most three line
    heights."""
    column = LabelColumn(label_x=194, value_x=670, top=1603, bottom=2673, pitch=1033)
    assert not column.holds((194, 795, 400, 830), 37.0)
    assert column.holds((194, 1603 - 150, 400, 1603 - 120), 37.0)


def test_labels_above_their_values_make_no_label_column() -> None:
    page = parse_layout(
        """
        200 500 Patient name
        200 560 Megan Gray
        200 680 Date of birth
        200 740 08/11/1970
        """
    )[0]
    keys = find_keys(page, ("Patient name", "Date of birth"))
    assert find_label_columns(page, keys, 40.0) == []


JOINED_BY_OCR = """
200 200 Patient Information Form
200 500 Patient name
650 500 Christopher Hill
200 560 Date of birth
650 560 19/4/1944
200 620 List any medical problems   Type 2 diabetes
200 680 List any allergies
650 680 Shellfish
200 740 Medications taken regularly   Birth control pill
"""


def test_a_label_joined_to_its_value_across_a_wide_gap_is_cut_from_it() -> None:
    fields = extract_fields(PATIENT, parse_layout(JOINED_BY_OCR), 0.8)
    assert fields["medical_problems"].value == "Type 2 diabetes"
    assert fields["allergies"].value == "Shellfish"
    assert fields["regular_medications"].value == "Birth control pill"


def test_a_value_written_taller_than_its_label_is_cut_from_it_at_the_print_s_gap() -> None:
    """A handwritten value after a small printed label: the gap is wide for the label's print,
    though narrow for the tall writing that makes most of the line."""
    page = parse_layout(
        """
        200 200 h=26 DATE ISSUED
        483 189 h=48 Aug 15, 2020
        """
    )
    fields = extract_fields(get_document_type("prescription"), page, 0.8)
    assert fields["prescription_date"].value == "Aug 15, 2020"


def test_a_value_written_taller_than_its_label_a_space_after_it_is_cut_from_it() -> None:
    """No colon and no gap wider than a space: handwriting after a printed label is told from it
    by its height and its unsure reading. A printed word of the label with a descender ("phone")
    is no value; a line all of one height stays as it reads."""
    page = parse_layout(
        """
        176 385 h=22 Pt. name
        374 378 h=40 Jerome@0.62 Santos@0.71
        176 528 h=23 Cell
        286 528 h=30 phone
        418 522 h=36 +63@0.84 917@0.83 888@0.80 4395@0.92
        176 700 h=24 Marital status Divorced
        1500 160 h=40 Patient
        1676 160 h=46 Questionnaire
        176 800 h=38 Dated@0.35
        300 800 h=44 Otates@0.56
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Jerome Santos"
    assert fields["phone_number"].value == "+63 917 888 4395"
    keys = [k.text for k in page_view(PATIENT, page[0]).keys]
    assert "Marital status Divorced" not in keys
    # A written line whose first word, misread, reads as a label ("United" as "Dated") is none;
    # nor is a title's first word before a taller one read as surely ("Patient Questionnaire").
    assert "Dated" not in keys
    assert "Patient" not in keys


def test_a_value_typed_larger_than_its_label_is_cut_from_it_at_a_gap_wide_for_the_label() -> None:
    """An EHR types the value in a larger face than the form's label: its own spaces are wider
    than the label's, and the gap after the label is wide for the label's print."""
    page = parse_layout(
        """
        200 300 h=27 Address
        390 290 h=42 4536 Cherry Blvd, Hartford, CT
        """
    )
    fields = extract_fields(get_document_type("prescription"), page, 0.8)
    assert fields["patient_address"].value == "4536 Cherry Blvd, Hartford, CT"


def test_a_label_read_exactly_and_set_a_little_apart_from_its_value_is_cut_from_it() -> None:
    """No colon, and a gap after the label narrower than a wide gap but wider than the line's
    spaces (on a line of two words, wider than a space is for the words' height): the label ends
    there. The value is read, flagged (the label's end is in doubt); a value opening with a
    label's word a space after it, and a heading with its separator, stay whole."""
    page = parse_layout(
        """
        200 300 Telephone
        428 300 +63 2 7175 8796
        200 400 Home address
        494 400 3 Katipunan Ave, Loyola Heights
        200 500 Medical problems
        200 560 Allergies to penicillin
        200 600 Allergies
        424 600 Latex
        200 700 Insurance /
        474 700 Billing
        200 760 Insurance company
        200 820 Keystone Health
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["phone_number"].value == "+63 2 7175 8796"
    assert fields["address"].value == "3 Katipunan Ave, Loyola Heights"
    assert fields["address"].needs_review
    assert fields["medical_problems"].value == "Allergies to penicillin"
    assert fields["insurance_company"].value == "Keystone Health"
    assert fields["allergies"].value == "Latex" and fields["allergies"].needs_review


def test_on_a_form_that_sets_labels_beside_their_values_a_space_after_a_label_is_enough() -> None:
    """A form that prints its labels with no colon, each value a little apart after it: three
    of its labels show the form's way, so "Current medications Lisinopril, insulin", its value
    set only a usual space after the label, is a label and its value too (flagged: its end is
    in doubt). A sentence going on in small letters ("Allergies to penicillin", another field's
    value under its label) is no label, nor is a heading in capitals opening with a label's word
    ("PATIENT FACE SHEET") or a title set apart from the labels' left edge ("Patient Face
    Sheet" centred); and on a form that shows no such way, the space cuts nothing."""
    form = """
        800 200 PATIENT FACE SHEET
        200 300 Telephone
        428 300 +63 2 7175 8796
        200 400 Home address
        494 400 3 Katipunan Ave, Loyola Heights
        200 500 Allergies
        424 500 Latex
        200 600 Medical problems
        200 660 Allergies to penicillin
        200 760 Current medications Lisinopril, insulin
        """
    fields = extract_fields(PATIENT, parse_layout(form), 0.8)
    assert fields["regular_medications"].value == "Lisinopril, insulin"
    assert fields["regular_medications"].needs_review
    assert fields["medical_problems"].value == "Allergies to penicillin"
    assert fields["patient_name"].value == ""
    titled = extract_fields(
        PATIENT, parse_layout(form.replace("PATIENT FACE SHEET", "Patient Face Sheet")), 0.8
    )
    assert titled["patient_name"].value == ""
    assert titled["regular_medications"].value == "Lisinopril, insulin"
    alone = extract_fields(PATIENT, parse_layout("200 760 Current medications Lisinopril, insulin"), 0.8)
    assert alone["regular_medications"].value != "Lisinopril, insulin"


def test_a_letterhead_s_phone_a_little_apart_from_its_label_is_no_field_s_key() -> None:
    """ "Tel  (814)-284-2795" in a clinic's letterhead is set as a label and its value are, and
    is the clinic's: the patient's phone left blank is not filled from it."""
    page = parse_layout(
        """
        1000 100 Oak Park Community Health Center
        1000 160 Tel
        1100 160 (814)-284-2795
        200 400 Patient name: Peter Kennedy
        200 500 Phone number:
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["phone_number"].value == ""


def test_a_member_number_grouped_like_a_phone_number_is_taken_beside_its_label_and_flagged() -> None:
    """ "Policy #: 04-534377375-5" has a phone's digits and separators: taken as the policy
    number its label names, with a flag; the phone beside its own label stays the phone's."""
    page = parse_layout(
        """
        200 200 Phone: (555) 123-4567
        200 300 INSURANCE INFORMATION
        200 400 Insurance provider: PhilHealth
        200 500 Policy #: 04-534377375-5
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["policy_number"].value == "04-534377375-5"
    assert "grouped like a phone number" in (fields["policy_number"].reason or "")
    assert fields["phone_number"].value == "(555) 123-4567"


def test_a_label_whose_bracketed_hint_runs_on_beside_it_is_still_its_label() -> None:
    """A real form's "List any Medical Problems (asthma, seizures, headaches):" read as two
    lines: the first ends inside the brackets, the second closes them. Neither is the value."""
    page = parse_layout(
        """
        200 500 List any Medical Problems (asthma, seiz
        1300 500 headaches):
        200 600 Migraine
        200 800 List any allergies:
        200 900 Peanuts
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["medical_problems"].value == "Migraine"
    assert fields["allergies"].value == "Peanuts"


def test_an_ordinary_space_after_a_label_s_words_cuts_nothing() -> None:
    # "Allergies to penicillin": one space, so a sentence, not a label and its value.
    view = page_view(PATIENT, parse_layout("200 500 Allergies to penicillin and dust")[0])
    assert all(not k.rest for k in view.keys)


def test_a_speck_beside_a_label_s_colon_keeps_it_a_label() -> None:
    page = parse_layout(
        """
        200 500 Past medical history:. Anxiety
        200 560 Drug allergies: Aspirin
        200 620 Medications:, Lisinopril
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["medical_problems"].value == "Anxiety"
    assert fields["regular_medications"].value == "Lisinopril"


def test_a_bare_run_of_digits_may_be_a_member_number() -> None:
    assert value_kind("666109486") == ""
    assert value_kind("(400) 296-7488") == "phone"
    assert value_kind("70") == "measure"
    fields = extract_fields(PATIENT, parse_layout("200 500 Member ID: 666109486"), 0.8)
    assert fields["policy_number"].value == "666109486"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Hospital No.", True),
        ("NHS No", True),
        ("Chart #", True),
        ("Medical record number", True),
        ("Patient ID", True),
        ("Hospital No. 35808328", False),  # a label with its value
        ("Yes No", False),  # a line of answers
        ("Megan Gray", False),
        ("no", False),
        ("Ward 7 No", False),
    ],
)
def test_the_label_of_a_number_is_told_by_its_last_word(text: str, label: bool) -> None:
    assert is_number_label(text) is label


def test_the_label_of_a_number_of_no_field_beside_a_name_s_label_is_never_the_name() -> None:
    # Labels over a column of labels that number the patient in ways we do not read.
    rows = """
        200 500 Patient name
        800 500 Hospital No.
        1300 500 35808328
        200 560 Address
        800 560 NHS No
        1300 560 943 476 5919
        """
    fields = extract_fields(PRESCRIPTION, parse_layout(rows), 0.8)
    for name in ("patient_name", "patient_address"):
        assert fields[name].value == "", name
        assert fields[name].needs_review, name


INSURANCE_HEADING = """
300 200 Patient name: Maria Lopez
300 260 Date of birth: 03/04/1971
300 460 h=34 INSURANCE INFORMATION
300 541 Medical insurance
300 628 Insurance company:
316 688 Northstar Assurance
300 780 Policy number: HX-4471
"""


def test_a_heading_that_opens_with_a_label_s_word_is_no_label_with_a_value() -> None:
    """A heading, "INSURANCE INFORMATION", opens with a label of the insurer, and its last
    word is no insurer ("INFORMATION" went out as the insurance company, flagged only by
    the rival label under it, which holds the value); so with "Insurance / Billing"."""
    spec = get_document_type("patient_details")
    fields = extract_fields(spec, parse_layout(INSURANCE_HEADING), 0.8)
    assert fields["insurance_company"].value == "Northstar Assurance"
    billing = parse_layout(INSURANCE_HEADING.replace("INSURANCE INFORMATION", "Insurance / Billing"))
    assert extract_fields(spec, billing, 0.8)["insurance_company"].value == "Northstar Assurance"


def test_a_heading_going_on_from_a_label_s_words_with_and_is_no_label_with_a_value() -> None:
    """A section heading "EMERGENCY CONTACT  AND INSURANCE", its "AND" set a little wide,
    opens with the contact's label; a value never opens with "and": the heading heads its
    section, and the "FULL NAME" under it is the contact's."""
    form = """
        100 100 ABOUT YOU
        100 200 PATIENT'S NAME
        100 260 Adam Murray
        900 100 EMERGENCY CONTACT  AND INSURANCE
        900 200 FULL NAME
        900 260 David Murray
        """
    fields = extract_fields(get_document_type("patient_details"), parse_layout(form), 0.8)
    assert fields["patient_name"].value == "Adam Murray"
    assert fields["emergency_contact_name"].value == "David Murray"


def test_a_label_of_the_field_misread_by_a_letter_puts_the_value_taken_in_doubt() -> None:
    """ "Patient full name" read "Pasent full name" (0.9 no longer: not sure) and, its heading
    lost, the emergency contact's "Full name" read exactly: the contact's name is taken, and
    the misread label, the patient's name by no other field's reading better, doubts it."""
    page = parse_layout(
        """
        100 100 Registration Summary
        100 200 PATIENT
        100 260 Pasent full name: Juan Okafor
        100 330 Date of birth: Jan 10, 1983
        100 560 Full name: Larry Stevens
        100 630 Relationship: Sister
        """
    )
    name = extract_fields(PATIENT, page, 0.8)["patient_name"]
    assert name.needs_review and "Juan Okafor" in (name.reason or "")


def test_a_word_joining_on_to_a_label_opens_no_value_written_taller() -> None:
    """ "Name of patient" printed small: "of patient", its "f" and "p" reaching above and below
    the print of "Name" and read less surely, looks like a value written in after the label
    "Name"; a value never opens with "of"."""
    spec = get_document_type("patient_details")
    label = (Word("Name", 0.95, (151, 245, 199, 262), 0),)
    rest = (Word("of", 0.74, (207, 238, 230, 270), 0), Word("patent", 0.74, (238, 238, 283, 275), 0))
    assert taller_value_index(label + rest, spec.vocabulary) is None
    value = (Word("Ruth", 0.74, (207, 238, 240, 270), 0), Word("Martin", 0.74, (250, 238, 300, 275), 0))
    assert taller_value_index(label + value, spec.vocabulary) == 1


def test_two_headings_side_by_side_their_slash_lost_are_no_label_and_value() -> None:
    """ "NEXT OF KIN / INSURANCE" read with its slash lost in the gap, "INSURANCE" read unsure:
    "INSURANCE" is a heading of its own, no value of "NEXT OF KIN"; the heading heads its
    panel, and the "CONTACT NAME" in it is the contact's, not the patient's."""
    (page,) = parse_layout(
        """
        187 407 PATIENT INFORMATION
        186 612 NAME OF PATIENT
        224 664 Heather Ward
        1195 489 CONTACT NAME
        1232 538 Emily Simpson
        """
    )
    heading = Line(
        tuple(
            Word(text, confidence, (x0, 408, x1, 441), 9)
            for text, confidence, x0, x1 in (
                ("NEXT", 0.96, 1201, 1322),
                ("OF", 0.96, 1336, 1396),
                ("KIN", 0.88, 1411, 1490),
                ("INSURANCE", 0.49, 1531, 1794),
            )
        )
    )
    page = replace(page, lines=(page.lines[0], heading, *page.lines[1:]))
    fields = extract_fields(get_document_type("patient_details"), [page], 0.8)
    assert fields["patient_name"].value == "Heather Ward"
    assert fields["emergency_contact_name"].value == "Emily Simpson"


def test_a_word_joining_on_to_a_label_opens_no_value_set_apart() -> None:
    """Spaces measured on a scan vary: "CONTACT" and "AND" stand wider apart than the heading's
    other words, yet "AND INSURANCE" goes on from the label, no value of it."""
    spec = get_document_type("patient_details")
    heading = [
        Word(text, 0.96, (x0, 420, x1, 500), 0)
        for text, x0, x1 in (("EMERGENCY", 1356, 1710), ("CONTACT", 1720, 1961), ("AND", 1989, 2087))
    ] + [Word("INSURANCE", 0.96, (2100, 445, 2434, 489), 0)]
    assert spaced_label_index(tuple(heading), spec.vocabulary) is None
    labelled = [*heading[:2], Word("Jane", 0.96, (1989, 420, 2087, 500), 0), heading[3]]
    assert spaced_label_index(tuple(labelled), spec.vocabulary) == 2


@pytest.mark.parametrize(
    ("words", "value_at"),
    [
        # A handwritten "IMMUNE" whose I was read as a bracket, set a value's gap after the label.
        ((("Varicella", 176, 298), ("(MMUNE", 327, 453)), 1),
        ((("Hep", 177, 229), ("B", 244, 257), ("vaccination", 272, 436), ("(Vo", 464, 496)), 3),
        # A hint cut off at the line's end, a space after its label: print, no value.
        ((("Weight", 176, 274), ("(kg", 284, 330)), None),
        ((("Medical", 176, 290), ("problems", 301, 430), ("(asthma,", 441, 560)), None),
    ],
)
def test_a_bracket_never_closed_opens_a_value_only_set_apart_as_one(
    words: tuple[tuple[str, int, int], ...], value_at: int | None
) -> None:
    line = tuple(Word(text, 0.9, (x0, 1317, x1, 1341), 0) for text, x0, x1 in words)
    assert spaced_label_index(line, PATIENT.vocabulary) == value_at


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Insurance Information", True),
        ("NEXT OF KIN DETAILS", True),
        ("Contact Details:", True),
        ("Billing and Payment Section", True),
        ("Patient Data", True),
        ("Immunization Status", True),
        ("SOCIAL HISTORY", True),
        ("Insurance / Billing", True),
        ("INSURANCE COVERAGE", True),
        ("Family history of asthma", False),
        ("Penicillin, no reaction history", False),
        ("United Health Information Systems Inc", False),  # too long for a heading
        ("Details of surgery in 2019", False),
        ("Medicare", False),
        ("Billing", False),  # one word: a label's, or a value's
        ("see details", False),
    ],
)
def test_a_section_heading_is_told_by_its_last_word(text: str, heading: bool) -> None:
    assert is_heading(text) is heading


@pytest.mark.parametrize(
    ("line", "inner"),
    [
        ("Silverline Insurance Company Effective date Oct 31, 2013", "Effective date"),
        ("George Gomez Phone number (747) 659-3352", "Phone number"),
        ("Guardian Health Insurance", None),  # a label's words ending a name: no value after them
        ("take 1 tab at bedtime for 7 days", None),  # "for 7" is no label, digits and all
        ("Effective date Oct 31, 2013", None),  # a label opening the line is the line's own
    ],
)
def test_a_label_read_on_into_a_value_is_found_inside_it(line: str, inner: str | None) -> None:
    assert label_within(line, ("Effective date", "Phone number", "Health insurance", "For")) == inner


@pytest.mark.parametrize(
    ("text", "negative"),
    [
        ("No known allergies", True),
        ("None known", True),
        ("Nil regular medication", True),
        ("No. of refills", False),  # "number of"
        ("No of refills", False),
        ("Known allergies", False),
        ("No", False),
    ],
)
def test_a_label_s_words_after_a_negation_are_an_answer(text: str, negative: bool) -> None:
    assert is_negative_answer(text) is negative


def test_an_answer_that_says_none_in_a_label_s_words_is_the_value() -> None:
    page = parse_layout(
        """
        200 500 List any allergies:
        200 560 No known allergies
        200 700 List any medication taken regularly:
        200 760 Triptans
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["allergies"].value == "No known allergies"
    assert not fields["allergies"].needs_review, fields["allergies"].reason
    assert fields["regular_medications"].value == "Triptans"


def test_a_label_with_a_hint_in_brackets_is_the_label() -> None:
    # "(DD/MM/YYYY)" and "(kg)" are printed with the label, not part of its wording; the blank
    # middle initial's label takes nothing from the line under it.
    page = parse_layout(
        """
        200 500 Given names
        600 500 Eric
        200 560 MI
        200 620 Birth date (DD/MM/YYYY)
        900 620 18/04/1960
        200 680 Weight (kg)
        900 680 81
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Eric"
    assert fields["birth_date"].value == "18/04/1960"
    assert fields["weight"].value == "81"


def test_a_hint_in_brackets_with_brackets_inside_is_the_label_s_too() -> None:
    """ "NAME(S)" inside the hint: the whole hint is still printed with the label, and the line is
    the name's label, not a value of its own."""
    page = parse_layout(
        """
        200 500 PATIENT'S NAME (SURNAME, GIVEN NAME(S) MIDDLE INITIAL)
        1500 500 Bailey, Anthony H.
        200 600 DATE OF BIRTH
        900 600 01/03/1969
        """
    )
    name = extract_fields(PATIENT, page, 0.8)["patient_name"]
    assert "Bailey" in name.value and "NAME" not in name.value


TABLE_WITH_AN_UNNAMED_COLUMN = """
200 800 Medicine
620 800 Dose
820 800 Directions
1470 800 Days
200 860 Azithromycin
620 860 500 mg
820 860 2 tablet twice daily
1470 860 14
200 920 Trazodone
620 920 150 mg
820 920 1/2 cap at bedtime
1470 920 5
"""


def test_a_cell_read_as_two_lines_on_one_row_is_read_left_to_right_and_a_wide_gap_flagged() -> None:
    """OCR lost "ml as" in "1 ml as needed for pain" and set "needed for pain" a pixel higher
    than the "1": the cell reads left to right, and the gap where words were lost is flagged."""
    page = parse_layout(
        """
        200 900 MEDICINE
        700 900 DOSE
        900 900 DIRECTIONS
        200 972 Lactulose
        700 972 15 ml
        900 973 1
        1000 972 needed for pain
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["directions"].value == "1 needed for pain"
    assert fields["directions"].needs_review
    assert "gap" in (fields["directions"].reason or "")
    assert fields["medicines"].value == "Lactulose 15 ml"
    assert not fields["medicines"].needs_review


def test_a_table_column_of_no_known_name_is_left_out_of_its_neighbour() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(TABLE_WITH_AN_UNNAMED_COLUMN), 0.8)
    assert fields["medicines"].value == "Azithromycin 500 mg\nTrazodone 150 mg"
    assert fields["directions"].value == "2 tablet twice daily\n1/2 cap at bedtime"


# One head over a column of medicines with their strengths ("Drug / strength"): OCR lost the
# slash, leaving a gap, and was unsure of the second word.
TABLE_WITH_A_HEAD_OF_TWO_NAMES = """
300 100 PRESCRIPTION
300 200 Name of patient: John Lee
400 460 Drug  strength@0.49
1300 460 How to take
300 520 Amoxicillin 875 mg
1300 520 1 tablet once daily
300 580 Tamsulosin 0.4 mg
1300 580 1 cap three times a day
300 800 Provider: Dr Ashley Myers, DO
"""


def test_a_column_head_naming_two_columns_heads_one_column_of_the_table() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(TABLE_WITH_A_HEAD_OF_TWO_NAMES), 0.8)
    assert fields["medicines"].value == "Amoxicillin 875 mg\nTamsulosin 0.4 mg"
    assert fields["directions"].value == "1 tablet once daily\n1 cap three times a day"


TABLE_WITH_A_COUNT_LOST_TO_A_GAP = """
200 800 Drug name
620 800 Dosage
900 800 How to take
1900 800 Quantity
200 860 Montelukast
620 860 5 mg
900 860 Use 1/2 capsule as needed for 2 weeks
1900 860 #14
200 920 Cough syrup
620 920 5 ml
900 920 Use   ml three times a day for 2 weeks
1900 920 #60
200 980 Naproxen
620 980 500 mg
900 980 Take 2 pill every 8 hours
1900 980 90
200 1100 Refills: 2
"""


def test_a_cell_whose_count_was_lost_to_a_gap_is_a_cell_not_the_table_s_end() -> None:
    # "Use   ml", its count lost to a gap, stands in a row of the table beside cells that are no
    # labels ("Use" opens directions: it is no label of theirs, tests/test_doctype_data.py).
    page = parse_layout(TABLE_WITH_A_COUNT_LOST_TO_A_GAP)
    fields = validate_fields(PRESCRIPTION, extract_fields(PRESCRIPTION, page, 0.8))
    assert fields["medicines"].value == "Montelukast 5 mg\nCough syrup 5 ml\nNaproxen 500 mg"
    assert fields["directions"].value.splitlines()[1:] == [
        "Use ml three times a day for 2 weeks",
        "Take 2 pill every 8 hours",
    ]
    assert "no amount before a unit" in (fields["directions"].reason or "")  # "Use ml": "1" lost
    assert fields["refills"].value == "2"


@pytest.mark.parametrize(
    "row_under",
    [
        "200 1040 Dr Ann Lee\n1300 1040 Date    01/02/2024",  # a label where no column starts
        "300 1040 Substitution permitted\n900 1040 Dispense as written",  # labels alone on their lines
    ],
)
def test_a_row_of_labels_under_a_table_ends_it(row_under: str) -> None:
    page = parse_layout(TABLE_WITH_A_COUNT_LOST_TO_A_GAP + row_under + "\n")
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Montelukast 5 mg\nCough syrup 5 ml\nNaproxen 500 mg"
    assert fields["directions"].value.splitlines()[-1] == "Take 2 pill every 8 hours"


def test_a_medicine_whose_dose_a_speck_glued_to_its_name_stays_in_its_numbered_list() -> None:
    # The Rx mark is a glyph: the medicines are found by their shape, one under each number,
    # each with its directions under it. "Losartan.100 mg" (a speck the ink did not show as dust)
    # keeps the shape of a medicine line, as read and flagged.
    page = parse_layout(
        """
        160 430 Name Thomas Graham
        160 525 Addr. 2380 Jefferson Ct, Pittsburgh, PA
        376 877 1.
        488 877 Prednisone 20 mg
        535 943 take 1 capsule every 12 hours until finished
        376 1028 2.
        488 1028 Losartan.100 mg
        535 1095 Use 2 capsule every 12 hours for 5 days
        """
    )
    medicines = extract_fields(PRESCRIPTION, page, 0.8)["medicines"]
    assert medicines.value.splitlines() == ["Prednisone 20 mg", "Losartan.100 mg"]
    assert medicines.needs_review


def test_an_unshaped_line_just_above_unlabelled_medicines_flags_them() -> None:
    # "500." misread from "500 mg": the line may be the list's first medicine.
    page = parse_layout(
        """
        300 600 Name: Matthew Flores
        300 750 Address: 1071 Spruce Way, Albany, NY
        486 1175 Azithromycin 500. mg
        486 1236 Ondansetron 8 mg
        486 1391 Directions:
        486 1511 Ondansetron, Take 2 tab twice daily
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].needs_review


@pytest.mark.parametrize(
    ("lines", "medicines"),
    [
        (
            "347 814 Sectealine@0.57 5°@0.95 wi,@0.32\n350 890 heithcomycin@0.11 1p@0.2",
            ["Sectealine 5° wi,", "heithcomycin 1p"],
        ),
        # A list number misread as letters before the name: the line from the name on.
        ("347 814 th)@0.66 Sertraline@0.0 50@0.66 re@0.32", ["Sertraline 50 re"]),
        # Every amount written by hand and read as letters, the units read as units.
        (
            "347 814 Spironclactone@0.34 Ww@0.59 MG@0.4\n350 890 Simvastatin@0.35 VO@0.9 mg@0.6",
            ["Spironolactone Ww MG", "Simvastatin VO mg"],
        ),
        # A first word like no listed drug's opens no list.
        ("347 814 Brooklyn 5° wi,", []),
        ("347 814 Brooklyn Ww MG", []),
    ],
)
def test_medicine_lines_misread_out_of_their_shape_are_found_by_their_names_and_flagged(
    lines: str, medicines: list[str]
) -> None:
    # Handwriting under the Rx glyph, read by tesseract beyond the medicine's shape: a name
    # still like a listed drug's, something with a digit, a short word. Found, never trusted.
    head = "300 600 Name: Christine Rogers\n235 667 h=110 R"
    tail = "351 990 Directions:\n347 1070 Sertraline, take 1 tab three times a day for 7 days"
    found = extract_fields(PRESCRIPTION, parse_layout(f"{head}\n{lines}\n{tail}"), 0.8)["medicines"]
    assert found.value.splitlines() == medicines
    assert found.needs_review


def test_medicines_misread_out_of_their_shape_between_directions_join_the_one_read_right() -> None:
    # Handwritten doses read as letters ("600 mg" as "GOU NG"), a line of directions under each
    # medicine, the Rx glyph read into the first line: the lines whose word at the list's edge
    # is like a listed drug's belong to the list, from that word on; directions naming their
    # medicine do not. Never trusted.
    page = parse_layout(
        """
        300 600 Name: Christine Rogers
        283 814 R rt@0.3 Gabapentin@0.2 GOU@0.1 NG@0.5
        420 880 Use I/V capsle at bedtine until Finiswed
        393 960 CipreFlexacin@0.4 WU@0.6 NG@0.7
        420 1026 Take I/V tab Maree tines a day until Finiswed
        393 1106 Escitalopram 5 mg
        420 1172 take 1/2 capsule three times a day until finished
        393 1240 Escitalopram - Take 1 tab every morning for 3 months
        """
    )
    found = extract_fields(PRESCRIPTION, page, 0.8)["medicines"]
    assert found.value.splitlines() == ["Gabapentin GOU NG", "CipreFlexacin WU NG", "Escitalopram 5 mg"]
    assert found.needs_review


@pytest.mark.parametrize("company", ["Blue Insurance Company", "Atlas Health Insurance"])
def test_a_value_ending_in_a_label_s_words_beside_a_colon_label_is_a_value(company: str) -> None:
    page = parse_layout(
        f"""
        240 1900 Medications: Sertraline
        240 2036 Health plan:
        586 2036 {company}
        240 2092 Member ID: 805961178252
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["insurance_company"].value == company


@pytest.mark.parametrize("company", ["Blue Insurance Company", "Atlas Health Insurance"])
def test_a_value_ending_in_a_label_s_words_under_a_colon_label_is_a_value(company: str) -> None:
    # A form that sets its values under their labels: the insurer's name on the line under
    # "Name of Insurance Company:" is its value, not a label with the address beside it.
    page = parse_layout(
        f"""
        224 262 Name of Insurance Company:
        222 321 {company}
        1275 325 21 Valley Ave
        1274 381 Seattle, WA 98105
        224 412 Policy Number:
        223 474 38603820
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["insurance_company"].value == company
    assert fields["policy_number"].value == "38603820"


@pytest.mark.parametrize("label", ["Medications taken", "Known drug allergies"])
def test_a_label_with_a_word_of_its_own_beside_a_colon_label_stays_a_label(label: str) -> None:
    # Two labels on a row over their values, the first with its colon: the second, a label's
    # wording with a word added, is no value of the first.
    page = parse_layout(
        f"""
        200 800 Patient name: Keith Moreno
        200 900 Medical problems:      {label}
        200 960 Asthma
        1000 960 Amlodipine
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["medical_problems"].value == "Asthma"


def test_a_value_whose_end_ocr_read_as_a_line_of_its_own_like_a_label_is_one_value() -> None:
    # "Harbor" and "Insurance Company" a word's space apart, read as two lines after a label
    # whose space OCR lost: the second is no label (no colon, nothing setting it apart), but
    # the end of the insurer's name.
    def line(*words: tuple[str, int, int], row: int = 0) -> Line:
        return Line(tuple(Word(text, 0.9, (x0, 1269, x1, 1297), row) for text, x0, x1 in words))

    name = Line(
        (Word("Patient", 0.96, (194, 1200, 300, 1228), 0), Word("name:", 0.96, (310, 1200, 400, 1228), 0))
    )
    value = Line((Word("Ann", 0.96, (430, 1200, 490, 1228), 0), Word("Lee", 0.96, (500, 1200, 560, 1228), 0)))
    plan = line(("Planname", 194, 319), ("Harbor", 353, 474), row=1)
    tail = line(("Insuarance", 487, 671), ("Company", 683, 841), row=2)
    page = PageText(0, (Line(name.words + value.words), plan, tail), 2550, 3300)
    fields = extract_fields(PATIENT, [page], 0.8)
    assert fields["insurance_company"].value == "Harbor Insuarance Company"


def test_an_item_number_read_apart_from_its_item_with_its_point_lost_is_no_line_of_the_value() -> None:
    def words(text: str, x: int, y: int) -> tuple[Word, ...]:
        return tuple(
            Word(w, 0.9, (x + 80 * i, y, x + 80 * i + 70, y + 28), 0) for i, w in enumerate(text.split())
        )

    number, item = words("1", 348, 953), words("Warfarin 2 mg", 439, 953)
    second = words("2. Cephalexin 250 mg", 348, 1100)
    listed = Candidate("medicines", 0, (number, item, second), "below")
    assert listed.texts == ["Warfarin 2 mg", "Cephalexin 250 mg"]
    # A number on a row of its own may be the value's: it stays.
    alone = Candidate("medicines", 0, (words("1", 348, 900), item), "below")
    assert alone.texts == ["1", "Warfarin 2 mg"]


def test_a_unit_written_onto_its_number_is_spaced_once() -> None:
    from extraction.normalize import space_units

    units = ("mg", "mcg", "g", "ml")
    assert space_units("Meloxicam 7.5mg", units) == "Meloxicam 7.5 mg"
    assert space_units("Lialda 2.4 gram\nFamotidine 20mg", units) == "Lialda 2.4 gram\nFamotidine 20 mg"
    # Letters that merely start like a unit are no unit: "5 mgs" stays, "3 glasses" stays.
    assert space_units("take 3glasses, 20mcg", units) == "take 3glasses, 20 mcg"


def test_a_known_label_closed_by_a_full_stop_opens_its_value() -> None:
    page = parse_layout(
        """
        240 800 1. Citalopram 40 mg
        400 860 Sig. Use 1 pill every morning
        400 920 Disp: #20
        240 980 2. Metformin 500 mg
        400 1040 Sig. Take 2 pill three times a day
        400 1100 Disp: 28
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["directions"].value == "Use 1 pill every morning\nTake 2 pill three times a day"
    # A name after a title's full stop is no label and its value.
    assert not page_view(PRESCRIPTION, parse_layout("200 200 Dr. Jordan Patterson")[0]).keys


def test_a_numbered_list_under_rx_keeps_its_first_item_set_beside_the_marker() -> None:
    # The marker "1." alone is under the "Rx:" label; its item stands to its right, level with it.
    page = parse_layout(
        """
        276 750 Rx:
        320 920 1.
        480 920 Amlodipine 5 mg
        533 980 Sig. Use 2 tab every morning for 3 months
        533 1035 Quantity: 10
        320 1130 2.
        480 1130 Sertraline 25 mg
        533 1190 Sig. take 1/2 pill every morning for 2 weeks
        533 1247 Quantity: 14
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Amlodipine 5 mg\nSertraline 25 mg"


def test_an_item_number_whose_point_was_read_as_a_comma_is_still_a_list_mark() -> None:
    # "2." read "2,": before a medicine and its dose, a number and a comma number an item; an
    # address may open with one ("12, rue de Rivoli") and keeps it.
    page = parse_layout(
        """
        196 435 Rx:
        247 515 1. Cap. Tramadol 50 mg
        375 563 2 tab HS before food x 2 weeks
        245 623 2, Tab. Simvastatin 10 mg
        377 670 1 tablet HS at night x 7 days
        196 818 Refills: 5
        196 900 Patient address: 12, rue de Rivoli, Paris
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Cap. Tramadol 50 mg\nTab. Simvastatin 10 mg"
    assert fields["patient_address"].value.startswith("12, rue de Rivoli")


def test_a_numbered_list_indented_just_past_a_short_label_is_read_from_its_first_item() -> None:
    # "Rx" is two letters wide; the list under it starts just right of its end: its first item
    # stands under the label as much as the second, which a speck widened to reach under it.
    page = parse_layout(
        """
        200 640 Rx
        250 756 1) Meloxicam 15 mg
        400 804 Sig: Use 1/2 pill as needed for pain for 10 days
        400 847 Qty: 14
        240 935 2) Fluticasone 50 mcg
        400 983 Sig: Take 1 capsule twice daily for 3 months
        400 1026 Qty: #14
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Meloxicam 15 mg\nFluticasone 50 mcg"


def test_a_speck_read_as_a_colon_after_a_medicine_keeps_it_in_the_list() -> None:
    page = parse_layout(
        """
        300 600 Name: Joyce Gibson
        300 760 Address: 89 pine rd, baltimore, MD
        570 1320 Gabapentin 100 mg:
        570 1400 Metformin 500 mg
        570 1630 Directions:
        570 1750 Gabapentin: Take 2 tab twice daily
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Gabapentin 100 mg\nMetformin 500 mg"


def test_a_misread_medicine_between_two_read_right_is_the_item_between_them() -> None:
    # A speck read as a full stop after "Sertraline" took the middle line out of its shape.
    page = parse_layout(
        """
        300 600 Name: Gary Murray
        300 760 Address: 47 Walnut St, San Diego, CA
        448 1242 Prednisone 20 mg
        446 1306 Sertraline. 100 mg
        446 1369 Albuterol 90 mcg
        447 1529 Directions:
        439 1651 Prednisone, take 2 pill once daily for 5 days
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value.splitlines()[0] == "Prednisone 20 mg"
    assert fields["medicines"].value.splitlines()[2] == "Albuterol 90 mcg"
    assert fields["medicines"].value.splitlines()[1].startswith("Sertraline")
    assert fields["medicines"].needs_review


def test_a_misread_medicine_naming_its_direction_is_no_label_that_ends_the_directions() -> None:
    page = parse_layout(
        """
        300 600 Name: Joyce Gibson
        570 1630 Directions:
        570 1750 Bupropion - Take 2 tab everyday
        570 1810 Ceticzine: Toke 1/2 pill twice daily
        570 1870 Refills: 2
        570 2000 Pharmacy: Main Street Drugs
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert (
        fields["directions"].value == "Bupropion - Take 2 tab everyday\nCeticzine: Toke 1/2 pill twice daily"
    )
    keys = [key.text for key in find_keys(page[0], ("Directions", "Refills"))]
    # An English word before a colon is a label of no known wording, a short word may be an
    # abbreviation, and a long word in no list is one only when no sentence follows it.
    assert keys == ["Name", "Directions", "Refills", "Pharmacy"]
    for line, key in [
        ("Ceticzine: none", ["Ceticzine"]),
        ("Dx: Acute otitis media", ["Dx"]),
        ("Aspirin: take 1 tab daily", []),
        ("Furosemide: 2 tablets", []),
        ("Follow-up: Outpatient clinic in 2 weeks", ["Follow-up"]),  # English words, hyphened
    ]:
        assert [k.text for k in find_keys(parse_layout(f"100 100 {line}")[0], ())] == key


@pytest.mark.parametrize(
    ("read", "label"),
    [("M1", "M.I."), ("Narne", "Name"), ("5ex", "Sex"), ("Date of 8irth", "Date of birth")],
)
def test_a_label_read_with_look_alike_glyphs_is_still_its_label(read: str, label: str) -> None:
    keys = find_keys(parse_layout(f"100 100 {read}")[0], ("M.I.", "Name", "Sex", "Date of birth"))
    if read == "Date of 8irth":
        # "8" is no look-alike of "b" in print: a line with other digits stays a value.
        assert keys == []
    else:
        assert [best_phrase(k.text, (label,)) for k in keys] == [(label, 1.0)]
    # Two wordings that differ by more than look-alikes still read apart.
    assert best_phrase("Middle", ("M.I.",))[1] < 0.84


@pytest.mark.parametrize(
    ("read", "label", "is_key"),
    [
        ("0.0.8.", "D.O.B.", True),  # capitals in damaged print: D and O read as 0, B as 8
        ("D.0.B", "D.O.B.", True),
        ("S16:", "SIG", True),  # 6 read for G
        ("0.0.8.", "Date of birth", False),  # only an acronym is read so: a longer label is not
        ("d.o.8.", "D.O.B.", False),  # small letters: 8 and d are no look-alikes of B and O
        ("MRN", "MMR", False),  # another letter, not a look-alike: another label
    ],
)
def test_an_acronym_read_in_capitals_look_alikes_is_its_label_never_surely(
    read: str, label: str, is_key: bool
) -> None:
    keys = find_keys(parse_layout(f"100 100 {read}")[0], (label,))
    assert bool(keys) is is_key
    score = best_phrase(read, (label,))[1]
    if is_key and key_token(read) != key_token(label):
        assert 0.84 <= score < 0.9  # a label, its value flagged
    elif not is_key:
        assert score < 0.84


def test_an_address_s_next_line_set_flush_under_it_is_kept_across_a_wider_gap() -> None:
    page = parse_layout(
        """
        244 511 Rx date: 14/08/2017
        244 575 Name: Robert Ortiz
        244 645 Patient address: 1274 Park Drive
        618 730 Madison, WI 53721
        245 800 Prescription:
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["patient_address"].value == "1274 Park Drive\nMadison, WI 53721"


ADDRESS_ONE_LINE_A_ROW = """
100 300 New Patient Intake
100 500 Patient name  Kenneth Dixon
100 600 Address  64 Lincoln Lane
298 700 Minneapolis, 55415
298 800 United States
100 900 Telephone  559-249-4835
"""


def test_an_address_written_one_line_a_row_is_read_whole_and_flagged() -> None:
    """The town and country flush under the street, a form's row apart and alone on their rows:
    the address's own lines, the value flagged (a lost label leaves its value alone too); the
    next row, beside its label, is not."""
    fields = extract_fields(PATIENT, parse_layout(ADDRESS_ONE_LINE_A_ROW), 0.8)
    address = fields["address"]
    assert address.value == "64 Lincoln Lane\nMinneapolis, 55415\nUnited States"
    assert address.needs_review and "as far apart as the form's rows" in address.reason
    assert fields["phone_number"].value == "559-249-4835"


def test_a_value_s_lines_a_row_apart_stop_at_the_next_row_s_label() -> None:
    """Under "Allergies (drug/food): Latex, cats" comes the next row, "Current medications:
    Triptans", its label reaching in from the left; the medicines' second line, flush under the
    allergies' value past it, is the medicines', not the allergies'."""
    page = parse_layout(
        """
        130 1580 Past medical history:  Back pain
        130 1626 Allergies (drug/food): Latex, cats
        130 1671 Current medications:   Triptans
        636 1717 Cetirizine
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["allergies"].value == "Latex, cats"
    assert fields["regular_medications"].value == "Triptans\nCetirizine"


def test_every_line_over_a_caption_is_its_value_up_to_the_caption_above() -> None:
    # Captions printed under the lines written on; the value's lines stand a line apart.
    page = parse_layout(
        """
        240 700 Pamela Adams
        226 745 Pt. name:
        242 820 635-996-9911
        226 865 Phone:
        243 940 72 Oak St
        242 1030 Phoenix, 85009
        242 1120 United States
        224 1175 Address:
        245 1250 158
        226 1295 Ht:
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["address"].value == "72 Oak St\nPhoenix, 85009\nUnited States"
    assert fields["phone_number"].value == "635-996-9911"


def test_a_value_reading_like_its_own_label_is_the_value_and_not_a_label() -> None:
    page = parse_layout(
        """
        227 500 INSURANCE
        227 676 Insurance company
        1530 676 Member ID
        245 737 Blue Insurance Company
        1548 737 57685216
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["insurance_company"].value == "Blue Insurance Company"
    assert fields["policy_number"].value == "57685216"


def test_a_value_reading_like_a_label_under_a_colon_label_claims_no_line_beside_it() -> None:
    """The insurer's name reads like a label ("Insurance company") and stands in the column of
    labels the answers below line up with; right under "Insurance provider:" it is that label's
    value, no key, so the member number level with it is the value of its own label above."""
    page = parse_layout(
        """
        227 400 Medical insurance
        900 400 Yes
        227 480 Insurance provider:
        1530 480 Subscriber ID:
        245 540 Blue Insurance Company
        1548 540 57685216
        227 620 Hepatitis B vaccinated
        900 620 Yes
        227 700 Chickenpox
        900 700 Immune
        227 780 Measles
        900 780 Immune
        """
    )
    view = page_view(PATIENT, page[0])
    assert not any(k.text.startswith("Blue") for k in view.keys)
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["insurance_company"].value == "Blue Insurance Company"
    assert fields["policy_number"].value == "57685216"


def test_a_label_printed_once_per_item_reads_every_item_though_one_fails_the_check() -> None:
    """ "Medication prescribed:" opens each medicine's block: the field is the list of all three,
    never the one item that alone passes the check best."""
    page = parse_layout(
        """
        200 300 Medication prescribed: Sertraline 25 mg
        200 360 Sig: Use 2 tablet every 8 hours for 10 days
        200 500 Medication prescribed: Lactulose 20 ml
        200 560 Sig: take 2 ml everyday until finished
        200 700 Medication prescribed: Montelukast.4.mg
        200 760 Sig: take 1 tab once daily for 7 days
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value.splitlines()[:2] == ["Sertraline 25 mg", "Lactulose 20 ml"]
    assert len(fields["medicines"].value.splitlines()) == 3
    assert fields["directions"].value.count("\n") == 2


CAPITAL_LABELS = """
232 493 NAME
562 493 Douglas Miller
232 560 PHONE
562 560 (776) 279-2023
232 627 STREET ADDRESS 8 River Road, New York City, NY
232 694 WEIGHT IN KG
562 694 125
232 851 Next of Kin
232 918 CONTACT PERSON
640 918 Steven Miller
232 985 TELEPHONE
562 985 (638) 748-1004
"""


def test_a_value_at_the_column_s_value_edge_is_cut_from_a_long_label_at_a_space() -> None:
    """ "STREET ADDRESS" fills its column: OCR joins it to the value a space away, and the
    value's first word stands at the edge every other value starts at."""
    fields = extract_fields(PATIENT, parse_layout(CAPITAL_LABELS), 0.8)
    assert fields["address"].value == "8 River Road, New York City, NY"


def test_labels_in_capitals_with_their_values_beside_them_open_no_section() -> None:
    """Every label of the form is set in capitals; those with a value beside them are labels,
    not headings, so "TELEPHONE" stays in the section "Next of Kin" opens."""
    fields = extract_fields(PATIENT, parse_layout(CAPITAL_LABELS), 0.8)
    assert fields["emergency_contact_name"].value == "Steven Miller"
    assert fields["emergency_contact_phone"].value == "(638) 748-1004"
    assert fields["phone_number"].value == "(776) 279-2023"


def test_an_address_written_in_parts_over_small_captions_reads_every_part() -> None:
    """The street beside "Mailing address:" with a small "Address" caption under its line, the
    city, state and ZIP over "City/Town", "State" and "Zip": the caption starts where the street
    starts and is no column of labels, nor a second line of the street."""
    page = parse_layout(
        """
        200 300 Patient name: Ann Lee
        178 833 Mailing address:
        560 832 3753 Walnut Ave
        548 880 Address
        190 960 Brooklyn
        945 960 NY
        1219 960 11211
        177 1008 City/Town
        945 1008 State
        1203 1008 Zip
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["address"].value == "3753 Walnut Ave\nBrooklyn, NY 11211"


def test_a_small_caption_under_a_line_below_starts_no_column_that_claims_a_value_beside_its_label() -> None:
    """A date of birth written in boxes a little off its label; lower down, the small "Address
    line 1" caption under the street starts where the date starts. The caption names the line
    over it: it is no label of a column the date would belong to."""
    page = parse_layout(
        """
        300 300 Patient Intake Form
        300 420 Date of birth:
        700 420 03/16/1945
        300 600 Mailing address:
        700 600 4684 Center Road
        720 650 h=24 Address line 1
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["birth_date"].value == "03/16/1945"


def test_a_label_far_over_a_value_beside_another_label_does_not_claim_it() -> None:
    """ "19 November 2002", read apart from "Birth date" (each on its underline), starts where
    "Date of visit" starts six lines up, across a section's heading: that label has its own
    value beside it and stands too far up for this one to be written under it."""
    rows = [
        [("HEALTH", 231, 382, 480), ("HISTORY", 500, 382, 797)],
        [("Date", 1744, 420, 1830), ("of", 1845, 420, 1880), ("visit", 1895, 420, 2013)],
        [("2022-10-20", 2050, 413, 2260)],
        [("Personal", 231, 534, 480), ("Information", 500, 534, 804)],
        [("Full", 231, 648, 300), ("name", 320, 648, 451)],
        [("Christopher", 506, 640, 700), ("Price", 720, 640, 829)],
        [("Birth", 1433, 648, 1540), ("date", 1560, 648, 1658)],
        [("19", 1716, 640, 1760), ("November", 1780, 640, 1980), ("2002", 2000, 640, 2067)],
    ]
    lines = [
        Line(tuple(Word(t, 0.96, (x0, y, x1, y + 31), n) for t, x0, y, x1 in row))
        for n, row in enumerate(rows)
    ]
    fields = extract_fields(PATIENT, [PageText(index=0, lines=tuple(lines), width=2550, height=3300)], 0.8)
    assert fields["birth_date"].value == "19 November 2002"
    assert fields["record_date"].value == "2022-10-20"


def test_a_list_beside_its_label_goes_on_flush_under_its_first_line() -> None:
    """ "Sertraline" on the ruled line under "Melatonin", set flush under it: the list's next
    line, though the value beside "Medications taken regularly:" may also run on under the
    label, whose start is where its lines were measured from."""
    page = parse_layout(
        """
        300 300 Patient Intake Form
        237 2400 Medications taken regularly:
        960 2400 Melatonin
        960 2490 Sertraline
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["regular_medications"].value == "Melatonin\nSertraline"


def test_panels_side_by_side_each_head_their_labels_though_one_title_is_unknown() -> None:
    """Three boxed panels across the page, each under its title in capitals: "ABOUT YOU" is no
    wording of the type, yet it heads "Full name" as "EMERGENCY CONTACT" heads "Contact
    person"; the patient's name is not the contact's. A value in capitals on no title's row
    ("BLUE CROSS" over a label) heads nothing."""
    page = parse_layout(
        """
        100 200 EMERGENCY CONTACT AND INSURANCE
        900 200 ABOUT YOU
        1600 200 IMMUNIZATIONS AND HISTORY
        100 300 Contact person
        130 360 Stephanie Jimenez
        895 300 Full name
        930 360 Joe Fernandez
        100 900 Insurance company
        130 960 BLUE CROSS
        100 1040 Policy number
        130 1100 ABC12345
        """
    )[0]
    view = page_view(PATIENT, page)
    heading_of = {k.text: section_of(k.box, view.headings) for k in view.keys}
    assert heading_of["Full name"] is not None and heading_of["Full name"].text == "ABOUT YOU"
    assert heading_of["Contact person"] is not None and heading_of["Contact person"].text.startswith(
        "EMERGENCY"
    )
    assert "BLUE CROSS" not in [h.text for h in view.headings]
    fields = extract_fields(PATIENT, [page], 0.8)
    assert fields["patient_name"].value == "Joe Fernandez"
    assert fields["insurance_company"].value == "BLUE CROSS"


@pytest.mark.parametrize("title", ["MEDICAL HISTORY FORM", "Health History Form", "PATIENT INTAKE FORM"])
def test_a_form_s_title_is_no_label_of_a_field_it_names(title: str) -> None:
    """ "MEDICAL HISTORY FORM" reads as the medical problems' label "Medical history" and more;
    under it stood the heading "ABOUT You" (its capitals misread), taken as the problems,
    unflagged. A form's title is print of no field."""
    page = parse_layout(
        f"""
        200 200 Riverside Medical Group
        200 300 {title}
        1500 330 Form date: 06/11/2018
        200 420 ABOUT You
        200 520 Patient full name: Bruce Walker
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["medical_problems"].value == ""
    assert fields["patient_name"].value == "Bruce Walker"


def test_a_name_under_next_of_kin_is_the_emergency_contact() -> None:
    page = parse_layout(
        """
        227 100 Patient name
        245 160 Noah Okafor
        227 235 NEXT OF KIN
        228 325 Full name
        880 325 Emergency phone
        245 386 Frank Okafor
        896 386 (227) 793-2419
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Noah Okafor"
    assert fields["emergency_contact_name"].value == "Frank Okafor"
    assert fields["emergency_contact_phone"].value == "(227) 793-2419"


@pytest.mark.parametrize("named_above", [True, False])
def test_a_label_naming_the_contact_s_section_is_the_contact_s_under_the_patient_heading(
    named_above: bool,
) -> None:
    # Under "Patient Intake", a plain "Name" is the patient's; one that says "in case of
    # emergency" is the contact's (it went out as the patient's name, unflagged).
    patient = "200 500 Name: Joe Hale\n" if named_above else ""
    page = parse_layout(
        f"200 400 Patient Intake\n{patient}200 600 Name of person to contact in case of emergency: Ruth Hale"
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["emergency_contact_name"].value == "Ruth Hale"
    assert fields["patient_name"].value == ("Joe Hale" if named_above else "")


def test_a_long_question_is_a_label_and_never_part_of_an_answer() -> None:
    page = parse_layout(
        """
        200 500 Medical problems:
        200 560 Have you been hospitalised in the last year?
        200 620 Anxiety
        """
    )
    view = page_view(PATIENT, page[0])
    assert "Have you been hospitalised in the last year" in [k.text for k in view.keys]


def test_a_speck_in_the_gap_between_a_label_and_its_value_is_no_word() -> None:
    page = parse_layout(
        """
        220 400 Demographics
        220 688 FULL NAME  §   Jessica Medina
        220 763 BIRTH DATE     June 23 1941
        220 1567 Insurance / Billing
        220 1753 INSURER     Lakeside Medical Group
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Jessica Medina"
    assert fields["insurance_company"].value == "Lakeside Medical Group"


def test_rx_pad_labels_pt_and_for_name_the_patient() -> None:
    for label in ("Pt. Mary Jordan", "For: Mary Jordan"):
        page = parse_layout(f"270 643 {label}\n268 712 Address: 12 Oak St, Albany, NY")
        assert extract_fields(PRESCRIPTION, page, 0.8)["patient_name"].value == "Mary Jordan", label


@pytest.mark.parametrize("label", ["DISCHARGING DOCTOR:", "Discharging doctor:"])
def test_a_hospital_s_discharge_labels_name_the_prescriber(label: str) -> None:
    from extraction.rival_doubts import LABEL_SURE_SCORE

    assert best_phrase(label, PRESCRIPTION.field("prescriber").labels)[1] >= LABEL_SURE_SCORE
    page = parse_layout(f"200 300 {label} Dr. Debra Salazar, M.D.\n200 400 PATIENT: Justin Bennett")
    assert extract_fields(PRESCRIPTION, page, 0.8)["prescriber"].value == "Dr. Debra Salazar, M.D."


def test_punctuation_glued_between_a_word_and_a_number_in_directions_is_doubted() -> None:
    page = parse_layout(
        """
        300 600 Name: Matthew Flores
        300 680 Medicine: Cephalexin 500 mg
        300 760 Directions: take 1 capsule everyday for.7 days
        """
    )
    field = extract_fields(PRESCRIPTION, page, 0.8)["directions"]
    assert field.value == "take 1 capsule everyday for.7 days"
    assert field.needs_review and "for.7" in (field.reason or "")


def test_captions_in_capitals_under_their_values_are_read_upwards() -> None:
    # Captions set in capitals like headings still tell which way the form reads: each value is
    # the line over its caption, never the next caption's value under it.
    page = parse_layout(
        """
        240 400 PATIENT INFORMATION
        240 500 Alexander Meyer
        226 545 NAME
        240 620 (951) 336-4747
        226 665 CELL PHONE
        240 740 82 Main Way
        240 800 Boston, MA 02198
        226 845 STREET ADDRESS
        240 920 Female
        226 965 Sex
        240 1040 Pollen
        226 1085 LIST ANY ALLERGIES
        240 1160 Ventolin inhaler
        226 1205 CURRENT MEDS
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["address"].value == "82 Main Way\nBoston, MA 02198"
    assert fields["allergies"].value == "Pollen"
    assert fields["phone_number"].value == "(951) 336-4747"


def test_a_label_with_its_own_value_beside_it_is_not_the_value_of_the_heading_above() -> None:
    page = parse_layout(
        """
        200 300 In Case of Emergency
        220 400 In case of emergency notify
        1100 400 Sara Walker
        1600 400 Emergency tel
        2000 400 (356) 689-3811
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["emergency_contact_name"].value == "Sara Walker"


def test_an_abbreviated_label_goes_on_over_the_words_that_still_read_as_a_label() -> None:
    keys = find_keys(parse_layout("200 200 Tel. no. (520) 210-0039")[0], ("Tel", "Tel No"))
    assert [k.text for k in keys] == ["Tel. no"]
    # A label closed by its full stop still opens its value: "Sig. Take 2 pill".
    keys = find_keys(parse_layout("200 200 Sig. Take 2 pill")[0], ("Sig", "Directions"))
    assert [k.text for k in keys] == ["Sig"]
    # A title after the label still reads as a label with a word over, but a worse one: it
    # opens the value (a speck read as the label's full stop).
    line = "200 200 Electronically signed by. Dr Scott Williams"
    keys = find_keys(parse_layout(line)[0], ("Electronically signed by", "Doctor"))
    assert [(k.text, [w.text for w in k.rest]) for k in keys] == [
        ("Electronically signed by", ["Dr", "Scott", "Williams"])
    ]


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Visit date 09/11/2021", ["Visit date"]),  # its colon lost: the date ends the label
        ("Tel (927) 679-1371", []),  # a clinic header's phone is no patient's
        ("DOB 25 January 1960", ["DOB"]),
        ("Visit date 09/11/2021 Time 10:30", []),  # more than a date after the label: no split
        ("Visit notes follow 09/11/2021", []),  # no label before the date
        # A number, alone or with one short word, ends a label too: no label ends in one.
        ("Refills 2 times", ["Refills"]),
        ("Weight 72 kg", ["Weight"]),
        ("Refills 2 times a day after meals", []),  # more than a count: no split
    ],
)
def test_a_date_a_space_after_a_known_label_ends_the_label(line: str, key: list[str]) -> None:
    vocabulary = ("Visit date", "Tel", "DOB", "Date of birth", "Refills", "Weight")
    keys = find_keys(parse_layout(f"200 200 {line}")[0], vocabulary)
    assert [k.text for k in keys] == key
    if key:
        assert keys[0].rest and not keys[0].colon


def test_a_name_s_title_read_with_a_colon_is_no_label() -> None:
    # "Dr." read as "Dr:" before a prescriber's name beside its label: the name is no label's
    # value; "Doctor:" is a label.
    vocabulary = ("Attending physician", "Doctor")
    assert find_keys(parse_layout("560 700 Dr: Kenneth Petrov, MBBS")[0], vocabulary) == []
    assert [k.text for k in find_keys(parse_layout("560 700 Mrs: Ann Lee")[0], vocabulary)] == []
    keys = find_keys(parse_layout("560 700 Doctor: Kenneth Petrov")[0], vocabulary)
    assert [k.text for k in keys] == ["Doctor"]


def test_a_label_of_two_words_set_a_little_apart_is_one_label() -> None:
    # "Pt.  name" under the line the name is written on: no label "Pt" with the value "name".
    keys = find_keys(parse_layout("200 200 Pt.  name")[0], ("Pt", "Pt name", "Patient"))
    assert [(k.text, k.whole_line) for k in keys] == [("Pt. name", True)]


def test_a_label_with_a_word_in_front_of_a_known_wording_is_read_and_flagged() -> None:
    page = parse_layout(
        """
        200 300 Ongoing conditions:
        200 360 Insomnia
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["medical_problems"].value == "Insomnia"
    assert fields["medical_problems"].needs_review


def test_the_form_s_instructions_are_never_a_value() -> None:
    # A title reading as a label ("Medical History Form") has the form's instructions under it:
    # they are print, and the history is read from its own label further down.
    page = parse_layout(
        """
        200 200 Medical History Form
        200 260 Please complete this form before your appointment.
        200 500 Chronic conditions: Acid reflux
        200 600 Allergies (please list): Penicillin
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["medical_problems"].value == "Acid reflux"
    assert fields["allergies"].value == "Penicillin"  # a label that says "please" keeps its value


@pytest.mark.parametrize(
    ("text", "instructions"),
    [
        ("Please complete this form before your appointment.", True),
        ("PLEASE PRINT IN BLOCK CAPITALS, one letter or digit per box", True),
        ("Check all that apply", True),
        ("If none, write NONE", True),
        ("Write 'None' if none apply.", True),
        ("List one per line", True),
        ("None", False),
        ("No known allergies", False),
        ("Nonesuch Road", False),
        ("Pleasant Hill, CA", False),
        ("Penicillin", False),
    ],
)
def test_instructions_are_known_by_their_phrases_as_whole_words(text: str, instructions: bool) -> None:
    assert PATIENT.reads_as_instructions(text) is instructions


@pytest.mark.parametrize(
    ("name", "doubted"),
    [("Alan Adans", True), ("Alan Adams", False), ("Dr. Emma Wilson, MD", False), ("JOHN SMITH", False)],
)
def test_a_name_in_no_list_of_names_is_doubted(name: str, doubted: bool) -> None:
    page = parse_layout(
        f"""
        200 300 Patient name: {name}
        200 360 Date of birth: 04/05/1961
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == name
    assert ("in no list of names" in (fields["patient_name"].reason or "")) is doubted


@pytest.mark.parametrize(
    ("address", "doubted"),
    [
        ("29 River Blvd, Kansas Cily, MO 64147", True),
        ("9269 Grove St, Sprinafield, IL", True),
        ("29 River Blvd, Kansas City, MO 64147", False),
        ("1512 Jefferson Ave, Springfield, IL", False),
        # A state named in full, itself misread or not.
        ("3217 River Blvd, Detroit, Michiaan, 48235", True),
        ("3217 River Blvd, Detroil, Michigan, 48235", True),
        ("3217 River Blvd, Detroit, Michigan, 48235", False),
        ("12 Elm St, Albany, New York 12208", False),
        ("12 Elm St, Albamy, New York 12208", True),
        # No US state named: the list of places is of US places, and cannot vouch here.
        ("58 Mabini St, Brgy. Kapitolyo, Quezon City 3198", False),
        ("Flat 1A, Green Park Apts, 216 Anna Salai, Chennai 600002", False),
    ],
)
def test_an_address_word_one_letter_from_a_listed_place_is_doubted(address: str, doubted: bool) -> None:
    page = parse_layout(
        f"""
        200 300 Patient name: Alan Adams
        200 360 Address: {address}
        200 420 Date of birth: 04/05/1961
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["address"].value == address
    assert ("in no list of places" in (fields["address"].reason or "")) is doubted


def test_a_value_under_a_label_set_in_capitals_is_not_doubted_for_its_capitals() -> None:
    # Boxed and plain forms set labels in capitals over their values; only a heading ruled off
    # from what follows (see tests/test_ruled_forms.py) makes its first line doubtful.
    page = parse_layout(
        """
        200 300 MEDICAL HISTORY
        200 360 Asthma, migraine
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["medical_problems"].value == "Asthma, migraine"
    assert not fields["medical_problems"].needs_review


def test_a_list_number_read_apart_from_its_medicine_is_no_line_of_the_list() -> None:
    # OCR read the bold "1)" as a line of its own, just over its medicine.
    page = parse_layout(
        """
        200 300 Patient: Lena Fischer
        200 400 Medications:
        200 430 1)
        300 470 Furosemide 20 mg
        300 530 Carvedilol 12.5 mg
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Furosemide 20 mg\nCarvedilol 12.5 mg"


def test_unlabelled_medicine_lines_with_a_misread_dose_are_all_found_and_flagged() -> None:
    page = parse_layout(
        """
        300 600 Name: Donna Adams
        400 900 Clopidogrel 75 mq
        400 960 Albuterol 9O mcg
        400 1020 Bupropion 150 mg
        400 1200 Directions:
        400 1300 Take 1 tablet daily
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Clopidogrel 75 mg\nAlbuterol 90 mcg\nBupropion 150 mg"
    assert fields["medicines"].needs_review and "'75 mq'" in (fields["medicines"].reason or "")


def test_a_medicine_line_misread_beyond_repair_stays_in_its_list_and_the_list_is_flagged() -> None:
    page = parse_layout(
        """
        300 600 Name: Kenneth Stone
        660 1490 Escitaloprans 1O tag
        660 1560 Losartan 25 mg
        660 1630 Cetirizine 5 up
        660 1820 Directions:
        660 1970 Take 1 tablet every morning
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    lines = fields["medicines"].value.split("\n")
    assert lines == ["Escitaloprans 1O tag", "Losartan 25 mg", "Cetirizine 5 up"]
    assert fields["medicines"].needs_review


def test_an_answer_taken_from_a_row_of_printed_options_is_flagged() -> None:
    # The ring round "Not immune" was lost: the first option, read beside the label, is no answer.
    page = parse_layout(
        """
        200 500 Patient name: Megan Gray
        200 620 Measles (rubeola):
        900 620 Immune
        1300 620 {ot@0.70 immun®@0.60
        1800 620 Not sure
        200 740 Chickenpox:
        900 740 Immune
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["measles"].needs_review
    assert "beside the answer" in (fields["measles"].reason or "")
    assert not fields["chickenpox"].needs_review


def test_a_list_s_next_line_set_further_down_than_its_gap_allows_flags_the_list() -> None:
    page = parse_layout(
        """
        200 500 Patient name: Megan Gray
        200 620 Current medications:
        900 620 Ventolin inhaler
        900 730 Vitamin D
        200 900 Allergies:
        900 900 Penicillin
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    medications = fields["regular_medications"]
    assert medications.value == "Ventolin inhaler" or medications.value == "Ventolin inhaler\nVitamin D"
    if medications.value == "Ventolin inhaler":
        assert medications.needs_review and "may belong to it" in (medications.reason or "")
    assert not fields["allergies"].needs_review


def test_an_item_s_words_set_apart_on_its_row_flag_the_list() -> None:
    # "Use 1 tablet   once daily   for 3 months": wide spaces cut one direction into pieces;
    # the other fields' values beside their labels are whole.
    page = parse_layout(
        """
        200 500 Patient: Megan Gray
        200 600 Drug: Pantoprazole 20 mg
        200 670 Directions: Use 1 tablet
        820 670 once daily
        1140 670 for 3 months
        200 740 Dispense: 20 capsules
        200 840 Drug: Citalopram 20 mg
        200 910 Directions: Take 2 tablets every morning
        200 980 Dispense: 30 capsules
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    directions = fields["directions"]
    assert directions.value.startswith("Use 1 tablet")
    if "for 3 months" not in directions.value:
        assert directions.needs_review and "printed after the value" in (directions.reason or "")
    assert "printed after the value" not in (fields["patient_name"].reason or "")


@pytest.mark.parametrize(
    ("line", "doubted"),
    [
        ("INSURANCE BILLING", True),
        ("Insurance: Prairie Medical", False),
        ("Insurance      Prairie Medical", False),
    ],
)
def test_a_value_run_on_from_a_label_without_colon_or_gap_is_doubted(line: str, doubted: bool) -> None:
    # A heading reads as the label "Insurance" and the value "BILLING"; a colon or a gap
    # sets a label apart from its value.
    view = page_view(PATIENT, parse_layout(f"200 620 {line}")[0])
    first = view.page.lines[0]
    key = Key(0, first, 1, first.words[0].text.endswith(":"), known=True)
    rest = key.rest or view.page.lines[1].words
    candidate = Candidate("insurance_company", 0, (rest,), "beside", 1.0, (key,))
    spec = next(f for f in PATIENT.fields if f.name == "insurance_company")
    assert _run_into_its_label(spec, candidate, view) is doubted


@pytest.mark.parametrize(
    ("mark_x", "between", "doubted"),
    [(1500, "", True), (None, "", False), (1500, "900 580 Cardiology", False)],
)
def test_a_text_value_with_boxes_to_tick_on_its_row_is_doubted(
    mark_x: int | None, between: str, doubted: bool
) -> None:
    # "Seizures  [ ] Y  [x] N" under "Have you ever had:": the line is a condition asked, which
    # its words alone do not answer; a line with no box after it is a value like any other, and
    # so is one whose row holds another column's words before the box.
    page = parse_layout(f"200 500 Have you ever had:\n200 580 Seizures\n{between}")[0]
    box = None if mark_x is None else (mark_x, 584, mark_x + 30, 614)
    marks = () if box is None else (SelectionMark(box, "square", True, "", None, 1.0),)
    view = page_view(PATIENT, page, PageStructure(marks=marks))
    line = next(line for line in view.page.lines if line.text == "Seizures")
    candidate = Candidate("medical_problems", 0, (line.words,), "below", 1.0)
    spec = next(f for f in PATIENT.fields if f.name == "medical_problems")
    assert _boxes_on_its_rows(spec, candidate, view) is doubted


def test_unlabelled_directions_that_name_their_medicine_first_are_found() -> None:
    # A pad with no labels over its list: each medicine, and under it its directions opening
    # with the medicine's name.
    page = parse_layout(
        """
        200 300 Steven Okafor
        200 350 FOR
        200 500 h=100 R
        400 520 Montelukast 4 mg
        440 580 Montelukast: take 1 tablet every 12 hours for 7 days
        400 680 Furosemide 40 mg
        440 740 Furosemide, take 2 tab with meals for 10 days
        """
    )
    directions = extract_fields(PRESCRIPTION, page, 0.8)["directions"]
    assert directions.value == (
        "Montelukast: take 1 tablet every 12 hours for 7 days\nFurosemide, take 2 tab with meals for 10 days"
    )
    assert directions.needs_review  # unlabelled: found by its shape


def test_a_slash_parts_the_words_of_a_label() -> None:
    from extraction.phrases import best_phrase

    assert best_phrase("Town/City", PATIENT.with_parts.all_labels)[1] >= 0.9
    assert best_phrase("DOB/Age", PATIENT.all_labels)[0] == "DOB"


# A pad's tall Rx sign before its first medicine, which tesseract runs into one line.
RX_SIGN_PAD = """
    200 300 Pt.name Judy Cruz
    200 480 h=114 R
    244 540 1. Omeprazole 10 mg
    430 620 take 2 tab once daily for 10 days
    """


def test_a_tall_rx_sign_run_into_the_first_medicine_is_set_apart() -> None:
    page = parse_layout(
        RX_SIGN_PAD
        + """
        400 700 2. Atorvastatin 10 mg
        490 760 Use 1/2 capsule once daily for 1 month
        """
    )
    # Read as tesseract reads it: the sign and the line beside it are one line.
    assert page[0].lines[1].text == "R 1. Omeprazole 10 mg"
    medicines = extract_fields(PRESCRIPTION, page, 0.8)["medicines"]
    assert medicines.value == "Omeprazole 10 mg\nAtorvastatin 10 mg"


def test_a_tall_rx_sign_is_set_apart_though_a_word_beside_it_was_read_taller() -> None:
    # On a scan the first medicine's box took in noise under the sign and stands near twice as
    # tall as the print; the rest of its line is print still.
    page = parse_layout(RX_SIGN_PAD)
    line = page[0].lines[1]
    swollen = tuple(
        replace(w, box=(w.box[0], w.box[1] - 30, w.box[2], w.box[3])) if w.text == "Omeprazole" else w
        for w in line.words
    )
    lines = list(page[0].lines)
    lines[1] = Line(swollen)
    page = [replace(page[0], lines=tuple(lines))]
    assert extract_fields(PRESCRIPTION, page, 0.8)["medicines"].value == "Omeprazole 10 mg"


def test_a_field_whose_label_is_printed_twice_over_two_values_is_doubted() -> None:
    # A heading OCR read without its slash ("INSURANCE / BILLING") is a label and a value
    # across a wide gap, as sure as the "Insurer" row under it: which holds the value is unknown.
    page = parse_layout(
        """
        200 300 INSURANCE       BILLING
        200 380 Medical insurance?   Yes
        200 460 Insurer         Prairie Medical Group
        200 540 Policy number   927472257
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    company = fields["insurance_company"]
    assert company.value in ("BILLING", "Prairie Medical Group")
    assert company.needs_review
    assert not fields["policy_number"].needs_review


def test_a_value_under_a_label_as_sure_as_one_whose_value_is_misread_is_doubted() -> None:
    # The home phone is misread ("#" for a digit): the only phone that reads well stands beside
    # the "Phone:" of the previous doctor's row. It may be the patient's; it is not known to be.
    page = parse_layout(
        """
        200 300 Patient name: Ruth Long
        200 380 Home phone: (264) #49-5087
        200 460 Allergies: None
        200 900 Previous pediatrician: Dr Linda Olson
        1300 900 Phone: 289-482-9682
        """
    )
    phone = extract_fields(PATIENT, page, 0.8)["phone_number"]
    assert phone.needs_review
    assert "(264) #49-5087" in (phone.reason or "") or phone.value == ""
    # A name is no number misread: a patient's number under a label as sure leaves it alone.
    page = parse_layout(
        "200 300 Patient name: Jordan Perez\n200 380 Date: 01/02/2023\n1200 900 Patient: 3418615"
    )
    assert not extract_fields(PRESCRIPTION, page, 0.8)["patient_name"].needs_review


def test_a_value_goes_on_at_the_top_of_the_next_page_after_its_label_ends_a_page() -> None:
    pages = parse_layout(
        """
        200 500 Patient name:
        800 500 Megan Gray
        200 3100 Drug allergies:
        --- page
        200 200 Codeine
        200 260 Pollen
        200 320 Medications:
        200 380 Metformin
        """
    )
    fields = extract_fields(PATIENT, pages, 0.8)
    allergies = fields["allergies"]
    assert allergies.value == "Codeine\nPollen"
    assert allergies.page == 1
    assert allergies.needs_review and "page before" in (allergies.reason or "")
    assert fields["regular_medications"].value == "Metformin"


def test_a_label_with_anything_under_it_on_its_page_takes_nothing_from_the_next() -> None:
    pages = parse_layout(
        """
        200 500 Drug allergies:
        200 3100 Signature
        --- page
        200 200 Codeine
        """
    )
    assert extract_fields(PATIENT, pages, 0.8)["allergies"].value == ""


def test_a_misread_phone_under_a_section_is_the_phone_not_the_addresss_first_line() -> None:
    """The real record's layout: phone and address unlabelled under "Patient Information". The
    handwritten phone was misread ("G37) 988-O851"): no phone passes its check, yet the line has
    a phone's groups. It is the phone, flagged, and the address starts at the street."""
    from pathlib import Path

    golden = (Path(__file__).parent / "golden" / "patient_details_clean.txt").read_text("utf-8")
    misread = golden.replace("340 690 (737) 988-0851", "340 690 G37)@0.30 988-O851@0.30")
    assert misread != golden
    fields = extract_fields(PATIENT, parse_layout(misread), 0.8)
    assert fields["address"].value == "9264 Ash Dr\nNew York City, 10005\nUnited States"
    assert fields["phone_number"].value and fields["phone_number"].needs_review


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("(341) 770-3231", True),
        ("G4) 779-5251", True),
        ("TU6-4V0-3005", True),
        ("+1 555 123 4567", True),
        ("3677 Grove Drive", False),
        ("Richmond, 23216", False),
        ("12 Main St 4567", False),
        ("2020-07-23", False),
        ("+65 8922 5780", True),
        ("0712 555 134", True),
        ("23-07-2020", False),
        ("#19-18", False),
        ("Halifax NS T5J 9R8", False),
    ],
)
def test_a_line_laid_out_as_a_phone_number_is_told_by_its_groups(text: str, shaped: bool) -> None:
    from extraction.assign import phone_shaped

    assert phone_shaped(text) is shaped


def test_a_value_opening_with_its_own_label_is_flagged() -> None:
    """A label set barely apart from its value ("Name Jessica Cruz", bold against regular) is
    read as one line under the section's heading: the line is taken, and flagged, since it
    opens with the field's own label. A value opening with a short word that is also a label
    ("Use 1 tablet" for directions) is not."""
    page = parse_layout(
        """
        300 650 Personal Information
        300 770 Name Jessica Cruz
        300 840 Date of birth (DOB)  26/6/1962
        """
    )
    name = extract_fields(PATIENT, page, 0.8)["patient_name"]
    assert name.value == "Name Jessica Cruz"
    assert name.needs_review and "printed label" in (name.reason or "")
    from extraction.evidence import _starts_as_label

    assert not _starts_as_label("Use 1 tablet at bedtime", PRESCRIPTION.field("directions").all_labels)


def test_a_label_printed_once_per_medicine_lists_them_all_and_nothing_else() -> None:
    """A health-record printout: one 'Rx:' row per medicine, and an 'Rx date:' that also reads
    as the list's label "Rx" but is no item of it; each block numbered "1.", "2."."""
    page = parse_layout(
        """
        1200 600 Rx date: 07/10/2022
        200 600 Patient: Emma Walker
        200 1060 1. Rx: Methotrexate 15 mg
        200 1120 Sig: Take 1 tablet once daily for 7 days
        200 1180 Dispense: 30 (thirty) tablets
        200 1360 2. Rx: Naproxen 500 mg
        200 1420 Sig: Take 2 tablet twice daily for 5 days
        200 1480 Dispense: 60 (sixty) tablets
        200 1700 Refills: 2
        200 2500 Electronically signed by: Dr. Mark Bryant, MD
        200 2560 on 2016-03-23 NPI 1520190490
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Methotrexate 15 mg\nNaproxen 500 mg"
    assert not fields["medicines"].needs_review, fields["medicines"].reason
    assert fields["prescription_date"].value == "07/10/2022"
    assert fields["prescriber"].value == "Dr. Mark Bryant, MD"


def test_a_list_s_item_number_before_a_label_is_no_word_of_it() -> None:
    from extraction.phrases import best_phrase

    labels = PRESCRIPTION.field("medicines").labels
    assert best_phrase("1. Medication prescribed", labels) == best_phrase("Medication prescribed", labels)
    assert best_phrase("(2) Medication", labels)[1] == 1.0


def test_a_value_holding_a_label_s_words_is_cut_where_the_next_column_starts() -> None:
    """Two columns read as one line: the insurer's name ends in words that are a label of its
    own field ("Health Plan"), the next column's label follows after a wider gap. The line is
    cut at the gap, not where a label's words first appear."""
    page = parse_layout(
        """
        200 600 Name of insurance company: Beacon Health Plan   Effective date: March 3 2020
        200 700 Member ID: XKW889204101
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["insurance_company"].value == "Beacon Health Plan"
    assert fields["policy_number"].value == "XKW889204101"


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Hepatitis B Yes", "Yes"),
        ("Hepatitis B vaccination No", "No"),
        ("Hepatitis B vaccination Yes No", ""),  # the printed options, no answer
    ],
)
def test_a_label_with_one_answer_a_space_after_it_is_a_key_and_its_value(line: str, value: str) -> None:
    page = parse_layout(f"200 600 Vaccines\n200 700 {line}\n200 900 Clinical Summary")
    assert extract_fields(PATIENT, page, 0.8)["hepatitis_b_vaccination"].value == value


def test_a_label_ending_in_no_for_number_is_no_label_and_answer() -> None:
    """'CONTACT NO' is the label of a number ("Contact no."), not "Contact" answered "No"."""
    page = parse_layout("200 760 DOB  Jul 11, 1946\n1186 760 CONTACT NO    463-379-5527")
    assert extract_fields(PATIENT, page, 0.8)["phone_number"].value == "463-379-5527"


@pytest.mark.parametrize(
    ("read", "score"),
    [
        ("MMR", 1.0),
        ("MMR vaccine", 1.0),
        ("MRN", 0.5),  # a medical record number, one letter from "MMR": no measles label
        ("MRN:", 0.5),
        ("Measels", None),  # a longer wording misread still scores in part
    ],
)
def test_a_short_wording_scores_only_when_read_whole(read: str, score: float | None) -> None:
    got = best_phrase(read, ("Measles", "MMR", "MMR vaccine"))[1]
    if score is None:
        assert 0.8 < got < 1.0
    elif score < 1.0:
        assert got < score
    else:
        assert got == score


def test_a_label_of_no_field_is_no_label_of_a_field_it_reads_as_in_part() -> None:
    """ "Email address" reads as "Address" in part, and whole as a label of no field: the email
    is not the address, which is read beside its own label below it."""
    page = parse_layout(
        """
        200 500 Email address:
        900 500 jeffrey.salazar.yahoo.com
        200 600 Address line 1:
        900 600 5963 Washington St
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["address"].value.startswith("5963 Washington St")


def test_a_word_that_opens_directions_is_their_label_with_its_colon_or_alone() -> None:
    with_colon = parse_layout(
        """
        200 500 Medication: Amoxicillin 500 mg
        200 560 Use: 1 capsule three times a day
        """
    )
    assert extract_fields(PRESCRIPTION, with_colon, 0.8)["directions"].value == "1 capsule three times a day"
    # "Use   tab as needed": the "1" lost leaves a gap; "Use" is not a label set apart by it.
    lost_count = parse_layout(
        """
        200 500 Medication: Amoxicillin 500 mg
        200 560 Use
        312 560 tab as needed for pain
        """
    )
    keys = [key.text for key in page_view(PRESCRIPTION, lost_count[0]).keys]
    assert "Use" not in keys
    alone = parse_layout(
        """
        200 400 Medication: Amoxicillin 500 mg
        200 560 Use
        200 610 1 capsule three times a day
        """
    )
    assert extract_fields(PRESCRIPTION, alone, 0.8)["directions"].value == "1 capsule three times a day"


# A photo's tilt lines a second column's lines up with the labels of the first, whose values
# stand under them.
TILTED_SECOND_COLUMN = """
300 400 Name of Insurance Company:
300 450 Summit Health Plan
900 495 7982 Elm Rd
300 510 Policy Number:
900 545 Raleigh, NC 27636
300 560 935294170163
300 660 Expiry Date:
300 710 Sep 14, 2018
"""


def test_a_value_far_beside_its_label_with_a_free_line_under_the_label_is_flagged() -> None:
    policy = extract_fields(PATIENT, parse_layout(TILTED_SECOND_COLUMN), 0.8)["policy_number"]
    assert policy.value == "935294170163" or (
        policy.needs_review and "a line right under the label" in (policy.reason or "")
    )
    # The same value beside its label with the next label under it raises no doubt.
    beside = "300 510 Policy Number:\n900 515 7982 Elm Rd\n300 560 Expiry Date: Sep 14, 2018\n"
    assert not extract_fields(PATIENT, parse_layout(beside), 0.8)["policy_number"].needs_review


# A column of printed labels, each with its value written beside it by hand, the writing far
# taller than the print: level with its label by its middle, not by its top.
WRITTEN_BESIDE_LABELS = """
700 300 Greenfield General Hospital
700 360 9572 Forest Dr, Orlando, 32853
700 420 Discharge medications
140 480 PATIENT
640 458 h=84 Tyler Guzman
140 560 DATE PRESCRIBED
640 538 h=84 2018-03-30
140 640 HOME ADDRESS
640 618 h=84 46 Franklin Ln, Portland, OR
140 720 ATTENDING PHYSICIAN
640 698 h=84 Dr Shirley Larsen, MBBS
140 900 This prescription is valid for 6 months from the date of issue.
"""


def test_a_tall_written_value_beside_the_next_label_is_not_the_line_under_an_address() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(WRITTEN_BESIDE_LABELS), 0.8)
    assert fields["patient_address"].value == "46 Franklin Ln, Portland, OR"
    assert fields["prescriber"].value == "Dr Shirley Larsen, MBBS"


@pytest.mark.parametrize(
    ("row", "refills"),
    [
        # The boxes far along the row answer another question: the count beside the label is
        # the value.
        ("No. of refills: 3", "3"),
        # The boxes right after the label are its options: the ticked one's is the value.
        ("Refills:\n560 800 1\n680 800 2", "2"),
    ],
)
def test_boxes_far_along_a_labels_row_are_its_options_only_with_no_value_before(
    row: str, refills: str
) -> None:
    page = parse_layout(
        f"""
        300 600 Name: Jean Brown
        300 700 Rx: Atorvastatin 20 mg
        300 800 {row}
        1300 1400 Dr Kwame Sharapova, MD
        """
    )[0]
    if row.startswith("Refills:"):
        marks = (
            SelectionMark((520, 805, 550, 835), "square", False, "1", (560, 800, 582, 840), 1.0),
            SelectionMark((640, 805, 670, 835), "square", True, "2", (680, 800, 702, 840), 1.0),
        )
    else:
        marks = (
            SelectionMark((1150, 805, 1180, 835), "square", True, "Substitution permitted", None, 1.0),
            SelectionMark((1660, 805, 1690, 835), "square", False, "Dispense as written", None, 1.0),
        )
    fields = extract_fields(PRESCRIPTION, [page], 0.8, structures=[PageStructure(marks=marks)])
    assert fields["refills"].value == refills


def test_boxes_far_along_a_row_read_as_letters_before_them_are_still_its_options() -> None:
    # A grid row whose empty cells OCR read as letters ("eae"): no answer of the field stands
    # before the boxes, so they are the row's options.
    page = parse_layout("200 1700 Measles / MMR\n1200 1710 eae@0.24\n1960 1700 Immune\n2260 1700 Not immune")[
        0
    ]
    marks = (
        SelectionMark((1900, 1705, 1930, 1735), "square", True, "Immune", (1960, 1700, 2092, 1740), 1.0),
        SelectionMark((2200, 1705, 2230, 1735), "square", False, "Not immune", (2260, 1700, 2480, 1740), 1.0),
    )
    fields = extract_fields(PATIENT, [page], 0.8, structures=[PageStructure(marks=marks)])
    assert fields["measles"].value == "IMMUNE"


def test_prescription_with_its_colon_labels_the_medicines_on_a_form_of_that_title() -> None:
    page = parse_layout(
        """
        1000 200 PRESCRIPTION
        300 600 Name: Jean Brown
        300 900 Prescription:
        400 1000 Lackulese@0.40 IO@0.50 al@0.50
        400 1100 Sig: take 2 pill every morning
        """
    )
    medicines = extract_fields(PRESCRIPTION, page, 0.8)["medicines"]
    assert medicines.value == "Lackulese IO al"
    assert "no label" not in (medicines.reason or "")


def test_a_column_of_boxes_read_as_one_tall_word_is_no_option_of_its_ticked_box() -> None:
    # OCR read the boxes down a grid's Yes column as one word rows tall ("Oss"); the ticked box
    # answers its column's header.
    page = parse_layout(
        """
        200 500 Have you ever had:
        1925 500 YES
        2082 500 NO
        200 580 Insured?
        1940 575 h=110 Oss@0.52
        200 660 Acid reflux
        """
    )[0]
    marks = (
        SelectionMark((1944, 580, 1978, 614), "square", True, "", None, 1.0),
        SelectionMark((2093, 585, 2122, 614), "square", False, "", None, 1.0),
    )
    fields = extract_fields(PATIENT, [page], 0.8, structures=[PageStructure(marks=marks)])
    assert fields["has_medical_insurance"].value == "Yes"


@pytest.mark.parametrize(("known", "doubted"), [(False, True), (True, False)])
def test_a_line_under_a_list_taken_for_a_label_only_by_its_column_may_be_the_lists_next(
    known: bool, doubted: bool
) -> None:
    # A grid's first column whose boxes were not found: "Depression" stands in the form's
    # column of labels and was taken for a label of no known wording. The value under "Medical
    # condition" stopped at its first line; the next may belong to it. A known label does not.
    page = parse_layout("200 1000 Medical condition\n208 1100 Headaches\n187 1174 Depression")[0]
    view = page_view(PATIENT, page)
    head, value, under = view.page.lines
    keys = [Key(0, head, len(head.words), False, known=True), Key(0, under, 1, False, known=known)]
    view = PageView(view.page, None, view.height, keys)
    spec = next(f for f in PATIENT.fields if f.name == "medical_problems")
    candidate = Candidate("medical_problems", 0, (value.words,), "below", 1.0, (keys[0],))
    assert (
        "a line set under the value, further down, may belong to it"
        in layout_doubts(spec, candidate, [view], {})
    ) is doubted


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # A question read whole as a known label, its "B" glued to the next word: one key.
        ("Have you had the Hepatitis  Bvaccination?", ["Have you had the Hepatitis Bvaccination?"]),
        # A label and its value, joined by OCR across the value edge: cut there.
        ("Chickenpox (varicella):  Immune", ["Chickenpox (varicella):", "Immune"]),
        # A heading naming its section two ways: a slash binds the words round it.
        ("Insurance /  Billing", ["Insurance / Billing"]),
        ("Insurance/  Billing", ["Insurance/ Billing"]),
    ],
)
def test_a_line_that_is_a_known_label_whole_is_not_cut_at_a_value_edge(text: str, lines: list[str]) -> None:
    vocabulary = get_document_type("patient_details").all_labels
    # The last word starts at the column's value edge, a wide gap (two spaces) before it.
    page = parse_layout(f"200 500 {text}")[0]
    column = LabelColumn(label_x=200, value_x=page.lines[0].words[-1].box[0], top=480, bottom=520)
    cut = split_at_value_edges(page, [column], 40.0, vocabulary)
    assert [line.text for line in cut.lines] == lines


@pytest.mark.parametrize("label", ["Are you insured?", "Are youinsured?"])
def test_are_you_insured_asks_for_the_insurance_answer(label: str) -> None:
    # OCR often drops the space in small print: the wording still reads whole.
    from extraction.rival_doubts import LABEL_SURE_SCORE

    assert best_phrase(label, PATIENT.field("has_medical_insurance").labels)[1] >= LABEL_SURE_SCORE
    page = parse_layout(f"260 2161 {label}\n700 2161 Yes\n262 2261 Insurance provider: Guardian Health")
    assert extract_fields(PATIENT, page, 0.8)["has_medical_insurance"].value == "Yes"


def test_a_label_ending_in_a_number_sign_and_a_colon_is_no_value_of_the_label_above() -> None:
    # An empty insurance block: each label's value is blank, never the next label or heading.
    page = parse_layout(
        """
        200 500 Name of insurance company:
        200 560 Policy #:
        200 680 Immunizations
        220 740 Vaccine
        800 740 Status
        """
    )
    policy = next(k for k in page_view(PATIENT, page[0]).keys if k.text.startswith("Policy"))
    assert policy.colon
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["insurance_company"].value == ""
    assert fields["policy_number"].value == ""
    filled = extract_fields(PATIENT, parse_layout("200 500 Member #: 666109486"), 0.8)
    assert filled["policy_number"].value == "666109486"


@pytest.mark.parametrize(
    ("field", "value", "printed"),
    [
        ("patient_name", "Family name", True),
        ("policy_number", "Immunization Status", True),
        ("policy_number", "Immunizations", True),
        ("policy_number", "TOAECFEICACTS", False),  # digits misread as letters of no word
        ("policy_number", "N/A", False),
        ("insurance_company", "Harbor Insurance Company", False),
        ("allergies", "No known allergies", False),
        ("patient_name", "Family name\nAnna Lee", False),
        ("birth_date", "MM/DD/YYYY)", True),
        ("birth_date", "05/16/1999", False),
    ],
)
def test_a_value_of_print_alone_is_told(field: str, value: str, printed: bool) -> None:
    assert only_print(PATIENT.field(field), value, PATIENT) is printed


def test_a_heading_under_a_label_is_no_value() -> None:
    page = parse_layout(
        """
        200 500 Member ID:
        200 560 Immunization Status
        220 640 Vaccine
        """
    )
    policy = extract_fields(PATIENT, page, 0.8)["policy_number"]
    assert policy.value == "" and policy.needs_review


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("(MM/DD/YYYY)", True),
        ("MM/DD/YYYY)", True),  # its opening bracket lost
        ("DD-MM-YY", True),
        ("YYYY / MM / DD", True),
        ("(dd.mm.yyyy)", True),
        ("05/16/1999", False),
        ("DD/MM", False),
        ("Mad Dy Yes", False),
    ],
)
def test_a_date_s_format_printed_as_a_hint_is_told(text: str, hint: bool) -> None:
    assert is_format_hint(text) is hint


def test_a_date_s_format_under_its_label_is_no_value() -> None:
    page = parse_layout(
        """
        200 500 Date of birth:
        200 560 (MM/DD/YYYY)
        """
    )
    birth = extract_fields(PATIENT, page, 0.8)["birth_date"]
    assert birth.value == "" and birth.needs_review


def test_an_abbreviated_vaccine_label_and_its_answer_on_one_line_are_read() -> None:
    fields = extract_fields(PATIENT, parse_layout("200 500 Hep B vaccination Yes"), 0.8)
    assert fields["hepatitis_b_vaccination"].value == "Yes"


def test_a_caption_ending_in_a_number_is_a_label_not_a_label_and_its_count() -> None:
    # "Address line 1" under the street is a part's caption, not "Address line" and a value "1".
    view = page_view(PATIENT, parse_layout("200 500 Address line 1")[0])
    assert [(k.text, k.whole_line) for k in view.keys] == [("Address line 1", True)]
    refills = page_view(PRESCRIPTION, parse_layout("200 500 Refills 2 times")[0]).keys
    assert [(k.text, [w.text for w in k.rest]) for k in refills] == [("Refills", ["2", "times"])]


@pytest.mark.parametrize(
    ("field", "text", "plausible"),
    [
        ("address", "I45", False),  # a weight's figures read under the address's caption
        ("insurance_company", "7554 3U7UUU", False),  # a member number
        ("emergency_contact_name", "0 2194", False),
        ("address", "145 Main St", True),
        ("address", "PO Box 12345", True),
        ("medical_problems", "Type 2 diabetes", True),
        ("regular_medications", "Vitamin B12 1000 mcg", True),
    ],
)
def test_a_name_address_or_company_is_written_in_more_letters_than_digits(
    field: str, text: str, plausible: bool
) -> None:
    from extraction.assign import plausibility

    tokens = enumerate(text.split())
    words = tuple(Word(token, 0.9, (100 + 80 * i, 100, 170 + 80 * i, 130)) for i, token in tokens)
    candidate = Candidate(field, 0, (words,), "beside", 1.0)
    assert (plausibility(PATIENT.field(field), candidate, PATIENT) > 0) is plausible


# A form setting two pairs a row, each value at its own edge, and a long pair (the address) a
# row of its own, its value at a third edge far from its label (dotted leaders, read as nothing).
TWO_VALUE_EDGES = """
200 400 Patient Information
200 500 Full name
650 500 Wei Ling Koh
1200 500 Birthdate
1650 500 17 Jun 2002
200 600 Mobile
650 600 8922 5780
1200 600 Height
1650 600 162 cm
200 700 Sex
1000 700 Female
200 800 Residential address
1000 800 Blk 151 Tampines St 11
1000 860 #19-18
1000 920 Singapore 734868
200 1100 Next of kin
650 1100 Rajesh Ong
"""


def test_a_value_at_another_edge_of_a_column_of_labels_is_read_beside_its_label() -> None:
    fields = extract_fields(PATIENT, parse_layout(TWO_VALUE_EDGES), 0.8)
    assert fields["address"].value == "Blk 151 Tampines St 11\n#19-18\nSingapore 734868"
    assert fields["patient_name"].value == "Wei Ling Koh"
    assert fields["emergency_contact_name"].value == "Rajesh Ong"


def test_a_dotted_leader_read_onto_a_value_parts_it_from_the_next_label() -> None:
    """Two pairs a row on dotted leaders: OCR read the leader after the name as dots on its last
    word, which joined the next pair's label to the name. The dots go, and their length parts
    the two as the leader did."""
    page = parse_layout(
        """
        200 400 Patient Information
        200 500 Full name.......... Kavya Patel.......... Date of birth (DOB):...... 30-04-1991......
        200 600 Mobile.............. 044-1437 1653
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Kavya Patel"
    assert fields["birth_date"].value == "30-04-1991"
    assert fields["phone_number"].value == "044-1437 1653"


def test_a_colon_run_into_the_value_by_ocr_parts_label_and_value() -> None:
    """OCR ran the label's colon, the cell's wall and the value into one word: the label ends
    at its colon, the wall goes, and the value is the field's."""
    page = parse_layout(
        """
        200 400 Patient Information
        200 500 Name of patient:|Scott Rossi
        200 600 Emergency contact:lEdward Harrison
        200 700 Date of birth:12/03/1961
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Scott Rossi"
    assert fields["emergency_contact_name"].value == "Edward Harrison"
    assert fields["birth_date"].value == "12/03/1961"


@pytest.mark.parametrize("text", ["10:30", "http://example.org", "Note:", "Dr.Smith"])
def test_a_word_with_no_colon_run_into_a_next_word_is_kept_whole(text: str) -> None:
    from extraction.layout import split_after_colon

    word = Word(text, 0.9, (0, 0, 20 * len(text), 40))
    assert split_after_colon(word) == [word]


def test_a_value_opening_with_another_field_s_label_is_flagged() -> None:
    """A row of two pairs with no colons, read as two lines: the medical problems' own line was
    not found, and the line beside it, the allergies' label and value, taken instead. It opens
    with a label of the type: flagged, whosever label it is."""
    from extraction.evidence import _caption_line

    problems, name = PATIENT.field("medical_problems"), PATIENT.field("patient_name")
    assert (
        _caption_line("Allergies (drug/food) Tree nuts", problems, PATIENT)
        == "Allergies (drug/food) Tree nuts"
    )
    assert _caption_line("Name of patient Warren", name, PATIENT) == "Name of patient Warren"
    assert _caption_line("Weight loss\nAsthma", problems, PATIENT) is None
    assert _caption_line("No known allergies", problems, PATIENT) is None
    contact = PATIENT.field("emergency_contact_name")
    assert _caption_line("Name Jerome Santos", contact, PATIENT) == "Name Jerome Santos"
    assert _caption_line("Jerome Santos", contact, PATIENT) is None


def test_a_list_number_set_a_tab_before_its_item_opens_that_item() -> None:
    """ "1." and its medicine a tab apart (wider than a column gap): OCR gives two lines, the
    number alone under the "Rx" mark and the medicine right of it; they are one item."""
    page = parse_layout(
        """
        200 300 Name: Rajesh Tan
        200 500 Rx
        260 600 1.
        420 600 Tab. Levothyroxine 125 mcg
        260 700 2.
        420 700 Cap. Amoxicillin 875 mg
        """
    )
    assert [line.text for line in page[0].lines][2:4] == [
        "1. Tab. Levothyroxine 125 mcg",
        "2. Cap. Amoxicillin 875 mg",
    ]
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Tab. Levothyroxine 125 mcg\nCap. Amoxicillin 875 mg"


def test_a_note_at_the_margin_under_a_numbered_list_ends_the_list() -> None:
    """ "Follow up in 1 month" under the last item, with no number and set left of the items'
    words, is a note under the list, not a medicine; an item's second line set under its words
    is still the item's."""
    page = parse_layout(
        """
        200 300 Name: Rajesh Tan
        200 500 Rx
        260 600 1. Tab. Doxycycline 100 mg
        260 700 2. Cap. Furosemide 80 mg
        200 800 Follow up in 1 month
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Tab. Doxycycline 100 mg\nCap. Furosemide 80 mg"
    from extraction.candidates import _leaves_numbered_list

    lines = parse_layout(
        """
        260 600 1. Take 1 tablet twice daily with food
        326 660 for 10 days
        200 760 Follow up in 1 month
        """
    )[0].lines
    assert not _leaves_numbered_list(lines[0], lines[1], 40)
    assert _leaves_numbered_list(lines[0], lines[2], 40)


def test_a_medicine_and_its_directions_joined_by_a_dash_are_each_their_field_s() -> None:
    """ "1. Tab. Metformin 500 mg - 1 tab BD x 5 days": the medicine and, after the dash, its
    directions in the shorthand of many countries, one line each medicine."""
    page = parse_layout(
        """
        200 300 Name: Rajesh Tan
        200 500 Rx
        260 600 1. Tab. Metformin 500 mg - 1 tab BD x 5 days
        260 700 2. Syp. Lactulose 15 ml - 10 ml TDS after food
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Tab. Metformin 500 mg\nSyp. Lactulose 15 ml"
    assert fields["directions"].value == "1 tab BD x 5 days\n10 ml TDS after food"
    assert not any(word in (fields["directions"].reason or "") for word in ("'BD'", "'TDS'", "'x'")), (
        "the Latin abbreviations are words of directions"
    )


def test_a_dose_written_onto_its_medicine_s_name_is_read_apart_from_it() -> None:
    # Tight print lost the space of "Rosuvastatin 5 mg": the line was no medicine's, and the
    # list lost its middle item and that item's directions.
    page = parse_layout(
        """
        200 300 Name: Otieno Mwangi
        200 500 Rx
        260 600 1. Tab. Tramadol 50 mg - 1-0-1 after food
        260 700 2. Cap. Rosuvastatin5 mg - 1-0-0 after food x 7 days
        260 800 3. Tab Sumatriptan 100 mg - 1/2 tablet at night
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["medicines"].value == "Tab. Tramadol 50 mg\nCap. Rosuvastatin 5 mg\nTab Sumatriptan 100 mg"
    assert fields["directions"].value.split("\n")[1] == "1-0-0 after food x 7 days"
    from extraction.joined_values import _name_apart_from_dose
    from extraction.types import Word

    def parts(text: str, after: str = "") -> list[str]:
        return [w.text for w in _name_apart_from_dose(Word(text, 0.9, (0, 0, 50, 10)), {"mg", "ml"}, after)]

    assert parts("Aspirin81mg") == ["Aspirin", "81mg"]
    assert parts("Rosuvastatin5", "mg") == ["Rosuvastatin", "5"]
    assert parts("Gold123") == ["Gold123"]  # no unit: a code, not a dose
    assert parts("Form2", "of") == ["Form2"]
    assert parts("B12", "mg") == ["B12"]  # one letter: no name
    # A record's list of medicines too: its doses are spaced as a prescription's are.
    record = parse_layout("200 300 Patient name: Ana Cruz\n200 400 Current medications: Aspirin81mg")
    assert extract_fields(PATIENT, record, 0.8)["regular_medications"].value == "Aspirin 81 mg"


def test_a_bracketed_area_code_is_no_list_number() -> None:
    """ "(02) 9337 9274": a two-digit area code in brackets reads like a list's item number
    "(2)"; a list's items are words, so before digits alone it is part of the number."""
    page = parse_layout(
        """
        200 400 Patient Information
        200 500 PHONE NUMBER
        560 500 (02) 9337 9274
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["phone_number"].value == "(02) 9337 9274"
    from extraction.page_view import strip_list_mark

    assert strip_list_mark("1. Amoxicillin 500 mg") == "Amoxicillin 500 mg"


# Labels down the left without colons, each value beside its label wherever the label ends (no
# column of values); the contact's name sits a little higher than its label, a line of its own.
LABELS_WITHOUT_VALUE_COLUMN = """
200 200 Patient name
560 200 Simeone Vasquez
200 300 Phone
420 300 (248) 985-6748
200 400 Residential address
700 400 2656 Cherry Drive, Seattle, Washington, 98134
200 482 Emergency contact name
900 476 Julie Parker
"""


def test_a_line_beside_the_next_label_is_that_label_s_value_not_the_address_s_next_line() -> None:
    fields = extract_fields(PATIENT, parse_layout(LABELS_WITHOUT_VALUE_COLUMN), 0.8)
    assert fields["address"].value == "2656 Cherry Drive, Seattle, Washington, 98134"
    assert fields["emergency_contact_name"].value == "Julie Parker"


def test_conditions_and_allergies_misread_are_set_right_from_the_conditions_list_and_flagged() -> None:
    pages = parse_layout(
        """
200 200 Patient name: Ann Lee
200 300 Medical problems: Asthrna, hypothyroidisrn
200 400 Allergies: Shelfish
"""
    )
    fields = extract_fields(PATIENT, pages, 0.8)
    problems, allergies = fields["medical_problems"], fields["allergies"]
    assert problems.value == "Asthma, hypothyroidism" and problems.needs_review
    assert "read 'Asthrna'" in (problems.reason or "")
    assert allergies.value == "Shellfish" and allergies.needs_review


PANELS_SIDE_BY_SIDE = """
100 200 PATIENT DETAILS
800 200 EMERGENCY CONTACT
1500 200 INSURANCE INFORMATION
100 300 Full name
100 360 Rose Carter
800 300 Full name
800 360 Ruth West
100 440 Date of birth
100 500 03/14/1961
800 440 Telephone
800 500 (233) 332-3978
1500 300 Insurer
1500 360 Liberty Mutual
1500 440 Member ID
1500 500 157704492
"""


def test_a_label_under_panels_titled_side_by_side_is_in_its_own_panel_s_section() -> None:
    """Three panels across a landscape sheet, each titled on one row: "Full name" under
    "EMERGENCY CONTACT" is the contact's, not a second patient name under the left title."""
    fields = extract_fields(PATIENT, parse_layout(PANELS_SIDE_BY_SIDE), 0.8)
    assert fields["patient_name"].value == "Rose Carter"
    assert fields["emergency_contact_name"].value == "Ruth West"
    assert fields["emergency_contact_phone"].value == "(233) 332-3978"


PANELS_OF_CELLS = """
100 200 PATIENT DETAILS
800 200 NEXT OF KIN / INSURANCE
100 300 FULL NAME
120 360 Rose Carter
800 300 FULL NAME
820 360 Ruth West
100 460 TELEPHONE
120 520 (776) 279-2023
800 460 TELEPHONE
820 520 (233) 332-3978
800 620 INSURER
820 680 Liberty Mutual
"""


def test_capital_labels_over_their_values_in_cells_are_no_headings() -> None:
    """Panels of cells, each cell's label in capitals over its value: the labels do not open
    sections of their own (the value in the cell makes each a label), so the middle panel's
    "TELEPHONE" is under "NEXT OF KIN / INSURANCE", the contact's phone."""
    from extraction.structure import Cell, Table

    left = [(90, 280, 750, 430), (90, 440, 750, 590)]
    middle = [(790, 280, 1450, 430), (790, 440, 1450, 590), (790, 600, 1450, 750)]
    cells = tuple(Cell(box, row, 0, 0) for row, box in enumerate(left))
    cells += tuple(Cell(box, row, 0, 1) for row, box in enumerate(middle))
    tables = (Table((90, 280, 750, 590), 2, 1), Table((790, 280, 1450, 750), 3, 1))
    structure = PageStructure(cells=cells, tables=tables)
    fields = extract_fields(PATIENT, parse_layout(PANELS_OF_CELLS), 0.8, structures=[structure])
    assert fields["patient_name"].value == "Rose Carter"
    assert fields["phone_number"].value == "(776) 279-2023"
    assert fields["emergency_contact_name"].value == "Ruth West"
    assert fields["emergency_contact_phone"].value == "(233) 332-3978"


NEXT_OF_KIN_PANEL_BESIDE_THE_PATIENT_S = """
100 200 NEXT OF KIN / INSURANCE
800 200 PATIENT DETAILS
100 300 Next of kin
120 360 Hannah Warren
800 300 Registration date
820 360 20/07/2022
100 460 Health plan
120 520 Granite Insurance Company
800 460 Pt. name
820 520 Katherine Gibson
100 620 Policy no.
120 680 92409979827
800 620 Cell
820 680 764-628-7693
"""


def test_a_field_label_heading_its_panel_s_corner_heads_no_label_of_the_next_panel() -> None:
    """ "Next of kin" opens the left panel's first cell; the right panel's "Cell" stands lower
    and so under it by height alone, but "Registration date" on its row starts the next
    panel's column: "Cell" is the patient's phone, under "PATIENT DETAILS"."""
    fields = extract_fields(PATIENT, parse_layout(NEXT_OF_KIN_PANEL_BESIDE_THE_PATIENT_S), 0.8)
    assert fields["phone_number"].value == "764-628-7693"
    assert fields["emergency_contact_phone"].value == ""
    assert fields["emergency_contact_name"].value == "Hannah Warren"


def test_a_request_then_a_wide_gap_then_its_answer_is_a_label_and_its_value() -> None:
    """A questionnaire's request, no colon, its answer typed a wide gap after it on the line OCR
    read (a speck of the answer box's edge in the gap): the request is the label, the answer its
    value."""
    request = ("Q17.", "Please", "list", "any", "medical", "conditions", "you", "have")
    edges = (176, 279, 422, 491, 575, 739, 958, 1046, 1137)
    words = [
        Word(t, 0.95, (x0, 2076, x1 - 12, 2107), 0)
        for t, x0, x1 in zip(request, edges, edges[1:], strict=False)
    ]
    words += [Word("§", 0.37, (1155, 2069, 1160, 2119), 0)]
    answer = (("Arthritis,", 1192, 1377), ("acid", 1398, 1484), ("reflux", 1505, 1625))
    words += [Word(t, 0.95, (x0, 2073, x1, 2107), 0) for t, x0, x1 in answer]
    page = PageText(0, (Line(tuple(words)),), 2400, 3000)
    fields = extract_fields(PATIENT, [page], 0.8)
    # The speck goes with the value here, as after any label set apart so; its low confidence
    # flags it, and so does the request, a label only in part.
    assert fields["medical_problems"].value.endswith(" Arthritis, acid reflux")
    assert fields["medical_problems"].needs_review


@pytest.mark.parametrize(
    ("layout", "under"),
    [
        # The question over it has its answer beside it: the next question is a label.
        (
            "170 596 Q4. What is your home address?\n1100 596 44 Spring Rd\n171 650 Q5. Your weight in kg",
            False,
        ),
        # A label alone over it, nothing beside: what stands under is its value, label or not.
        ("170 596 Insurance provider:\n171 650 Medical Insurance", True),
    ],
)
def test_a_label_opens_the_line_under_it_only_with_nothing_beside_it(layout: str, under: bool) -> None:
    from extraction.captions import under_a_colon_label

    view = page_view(PATIENT, parse_layout(layout)[0])
    lower = max(view.keys, key=lambda k: k.box[1])
    assert lower.box[1] == 650
    assert under_a_colon_label(lower, view) is under


def test_a_plain_label_on_another_person_s_row_is_never_surely_the_patient_s() -> None:
    """The patient's own "Tel." misread, the only "Phone:" on the page follows the pediatrician
    on a row of its own: the doctor's phone, whatever field takes it, is flagged."""
    page = parse_layout(
        """
        250 760 Child's legal name: Laura Barnes
        250 930 Yel. (233) 689-5532
        250 2766 Pediatrician: Dr Danielle Nguyen, MD
        1537 2766 Phone: (713)-229-4676
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Laura Barnes"
    assert fields["phone_number"].needs_review, fields["phone_number"].value


def test_the_next_column_s_line_under_a_value_s_end_is_not_its_next_line() -> None:
    """A face sheet's two columns of "Label value" rows: the address runs on under the right
    column's edge, and "BMI 36.8" there, a label unknown with its value, is no line of it."""
    page = parse_layout(
        """
        212 889 Residential address   92 Sycamore Dr, New York City, NY
        1400 963 BMI 36.8
        212 963 Height in cm   162
        1400 1036 Emergency tel.   688-267-9466
        212 1036 Weight in kg   75
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["address"].value == "92 Sycamore Dr, New York City, NY"
    assert fields["height"].value == "162"


PANEL_TITLE_MISREAD = """
100 200 NEXT OF KIN
900 200 ER
100 300 Full name
120 360 John Gonzales
900 300 Patients name
920 360 Raymond Gonzales
900 460 Telephone
920 520 (957) 765-6095
"""


def test_a_panel_s_misread_title_still_ends_the_title_beside_it() -> None:
    """The middle panel's title read as "ER", a word of no heading: the left panel's "NEXT OF
    KIN" does not span over it, and the middle panel's "Telephone" is the patient's."""
    fields = extract_fields(PATIENT, parse_layout(PANEL_TITLE_MISREAD), 0.8)
    assert fields["phone_number"].value == "(957) 765-6095"
    assert fields["emergency_contact_phone"].value == ""
    assert fields["emergency_contact_name"].value == "John Gonzales"


LABEL_CELL_OVER_THREE_ROWS = """
200 300 Patient Registration
100 520 Regular medications:
700 520 Amlodipine
700 620 Lisinopril
100 820 Allergies:
700 820 Bee stings, wheat
"""


def test_a_list_goes_on_in_the_ruled_cells_beside_its_label_s_tall_cell() -> None:
    """A label's cell three rows tall beside a row of cells each: the list written one item a
    row is its value, rows apart as they are; the next label's cells are not."""
    from extraction.structure import Cell, Table

    labels = [(90, 500, 680, 790), (90, 800, 680, 1090)]
    rows = [(690, 500 + 100 * row, 2000, 590 + 100 * row) for row in range(6)]
    cells = tuple(Cell(box, 3 * index, 0, 0) for index, box in enumerate(labels))
    cells += tuple(Cell(box, row, 1, 0) for row, box in enumerate(rows))
    structure = PageStructure(cells=cells, tables=(Table((88, 498, 2002, 1092), 6, 2),))
    fields = extract_fields(PATIENT, parse_layout(LABEL_CELL_OVER_THREE_ROWS), 0.8, structures=[structure])
    assert fields["regular_medications"].value == "Amlodipine\nLisinopril"
    assert fields["allergies"].value == "Bee stings, wheat"


GRID_WITH_AN_UNREAD_LABEL = """
200 300 Prescription
100 520 Patient name
700 520 Willie Wagner
100 620 Residence
700 620 2748 Magnolia Drive, Miami, FL
700 720 Hypothyroidism
100 820 Provider
700 820 Dr. Betty Rice, M.D
"""


def test_a_value_stops_at_its_row_when_the_row_under_it_has_a_label_cell_of_its_own() -> None:
    """A grid of label cells beside value cells, one pair a row: the row under the address has
    its own label's cell, unread by OCR ("Dx" in small bold on grey), and its value is that
    label's, not the address's second line."""
    from extraction.structure import Cell, Table

    tops = [500, 600, 700, 800]
    labels = [(90, top, 680, top + 90) for top in tops]
    values = [(690, top, 2000, top + 90) for top in tops]
    cells = tuple(Cell(box, row, 0, 0) for row, box in enumerate(labels))
    cells += tuple(Cell(box, row, 1, 0) for row, box in enumerate(values))
    structure = PageStructure(cells=cells, tables=(Table((88, 498, 2002, 892), 4, 2),))
    fields = extract_fields(
        PRESCRIPTION, parse_layout(GRID_WITH_AN_UNREAD_LABEL), 0.8, structures=[structure]
    )
    assert fields["patient_address"].value == "2748 Magnolia Drive, Miami, FL"
    assert fields["prescriber"].value == "Dr. Betty Rice, M.D"


TWO_DATES_OF_BIRTH = """
100 300 Pediatric Registration
100 500 Patient name: Amy Lee
100 600 Date of birth: 12/03/2015
100 800 Parent / Guardian
100 900 Parent name: John Lee
100 1000 Date of birth: 04/05/1980
"""


def test_a_value_under_another_field_s_whole_label_is_flagged() -> None:
    """A child's form asks the parent's date of birth too and no date of its own: the parent's,
    under a label that reads whole as the date of birth's and only in part as the record's
    "Date", is no sure record date."""
    fields = extract_fields(PATIENT, parse_layout(TWO_DATES_OF_BIRTH), 0.8)
    assert fields["birth_date"].value == "12/03/2015" and not fields["birth_date"].needs_review
    record = fields["record_date"]
    assert record.value == "" or "reads whole as another field's ('Birth date')" in record.reason


DOSE_AND_FREQUENCY_COLUMN = """
200 200 Patient name: Katherine Wells
200 280 Date prescribed: 14/09/2022
200 500 Drug
760 500 Dose and frequency
1430 500 Quantity
200 566 Lactulose 10 ml
760 566 2 ml every morning
1430 566 28
200 642 Metoprolol 25 mg
760 642 1/2 tablet twice daily
1430 642 7
"""


def test_a_dose_and_frequency_column_holds_the_directions() -> None:
    """A column headed "Dose and frequency" holds how the medicine is taken, not its strength."""
    fields = extract_fields(PRESCRIPTION, parse_layout(DOSE_AND_FREQUENCY_COLUMN), 0.8)
    assert fields["medicines"].value == "Lactulose 10 ml\nMetoprolol 25 mg"
    assert fields["directions"].value == "2 ml every morning\n1/2 tablet twice daily"


def test_a_section_written_in_a_large_hand_is_spaced_by_its_size_and_read_whole() -> None:
    # A hand half again the print's size is spaced as widely: the gap between its lines is
    # wider than 2.2 of the page's text heights, not of the writing's.
    page = parse_layout(
        """
        200 150 Patient Medical Record
        200 300 Patient Information
        1000 300 Birth Date
        200 360 h=60 Alice@0.3 Marshall@0.3
        1000 360 18/07/1939
        1000 450 Weight:
        200 520 h=60 (935) 393-6128
        1000 520 144
        200 610 h=60 2235 Valley Ln
        1000 610 Height:
        200 690 h=60 Albany, New York, 12255
        1000 690 205
        200 900 In Case of Emergency
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["phone_number"].value == "(935) 393-6128"
    assert fields["address"].value == "2235 Valley Ln\nAlbany, New York, 12255"


# A boxed phone number "( 805 ) 382 - 1071": each group on its own underline, written a little
# above the label's baseline, so OCR gives the label with the opening bracket as one line and
# each group as a line of its own.
PHONE_IN_BOXES = """
300 100 Patient Information
300 200 Name: Carl Hayes
300 400 Phone number: (
700 375 805
900 375 382
1100 375 1071
300 600 Address: 2049 Bollinger Blvd, Newark, NJ 07115
"""


def test_a_label_followed_only_by_a_printed_bracket_has_its_value_beside_it() -> None:
    fields = extract_fields(PATIENT, parse_layout(PHONE_IN_BOXES), 0.8)
    assert fields["phone_number"].value == "(805) 382-1071"


# "DOB" over a date at the form's top right, misread as "poB" and set as a line of its own.
DATE_BESIDE_AN_UNREAD_LABEL = """
300 100 Summit Internal Medicine
1500 200 poB
1650 190 1955-04-01
300 300 Patient name: Bruce Murray
300 400 Phone: (461)-350-5383
"""


def test_a_date_found_by_its_shape_beside_an_unread_word_is_flagged() -> None:
    record_date = extract_fields(PATIENT, parse_layout(DATE_BESIDE_AN_UNREAD_LABEL), 0.8)["record_date"]
    assert record_date.value == "1955-04-01"
    assert record_date.needs_review and "may be its label" in (record_date.reason or "")
    # Alone at the top, as a form dates itself, it stays sure.
    alone = DATE_BESIDE_AN_UNREAD_LABEL.replace("1500 200 poB\n", "")
    record_date = extract_fields(PATIENT, parse_layout(alone), 0.8)["record_date"]
    assert record_date.value == "1955-04-01" and not record_date.needs_review


@pytest.mark.parametrize(
    "contact_row",
    [
        "300 420 Emergency contact: Jane Smith\n1200 420 Phone: (555) 987-6543",
        "300 420 Emergency contact: Jane Smith\n1000 420 Relationship: Wife\n1600 420 Phone: (555) 987-6543",
        "300 420 Person to contact in case of emergency: Jane Smith\n1400 420 Phone: (555) 987-6543",
        "300 420 Person to contact in an emergency: Jane Smith\n1400 420 Phone: (555) 987-6543",
    ],
)
def test_a_plain_phone_label_on_the_emergency_contact_s_row_is_the_contact_s_phone(contact_row: str) -> None:
    # No heading parts the form: the row the contact's label opens is the contact's section.
    page = parse_layout(f"300 300 Patient name: John Smith\n1200 300 Phone: (555) 123-4567\n{contact_row}")
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["phone_number"].value == "(555) 123-4567"
    assert fields["emergency_contact_phone"].value == "(555) 987-6543"
    assert fields["emergency_contact_name"].value == "Jane Smith"


def test_a_row_of_two_panels_is_no_row_of_one_section() -> None:
    # Panels side by side, each under its title: the patient's name opens the row, but the
    # "TEL" of the emergency panel is still the contact's.
    page = parse_layout(
        """
        100 300 ABOUT YOU
        1100 300 EMERGENCY CONTACT
        100 400 PATIENT FULL NAME
        1100 400 TEL
        100 460 Sharon Collins
        1100 460 983-902-7674
        100 560 TEL. NO.
        1100 560 NAME
        100 620 (443)-605-6188
        1100 620 Frank Harris
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["emergency_contact_phone"].value == "983-902-7674"
    assert fields["phone_number"].value == "(443)-605-6188"


@pytest.mark.parametrize(
    "contact_line",
    [
        "Emergency contact: Jane Smith (555) 987-6543",
        "Emergency contact: Jane Smith, (555) 987-6543",
        "Emergency contact (name / phone): Jane Smith / (555) 987-6543",
    ],
)
def test_a_contact_written_whole_on_one_line_gives_the_name_and_the_phone(contact_line: str) -> None:
    # One label names two fields and both values share its line: the phone takes its own shape,
    # the name the words before it, flagged.
    page = parse_layout(
        f"300 300 Patient name: John Smith\n1200 300 Phone: (555) 123-4567\n300 420 {contact_line}"
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["emergency_contact_phone"].value == "(555) 987-6543"
    assert fields["emergency_contact_name"].value == "Jane Smith"
    assert fields["emergency_contact_name"].needs_review
    assert fields["phone_number"].value == "(555) 123-4567"


def test_a_form_s_title_naming_a_record_is_no_heading_its_next_line_is_the_value_under() -> None:
    """ "Patient Medical Record" is the form's title (a label of no field), not the "Patient"
    heading a name is printed under: the section's heading under it is no patient's name."""
    fields = extract_fields(
        PATIENT,
        parse_layout(
            """
            200 200 Riverside Community Health Center
            200 320 Patient Medical Record
            200 420 About You
            200 520 Patient's name
            900 520 Lopez
            1400 520 Cheryl
            200 640 Date of birth: 09/05/2006
            """
        ),
        0.8,
    )
    assert "About" not in fields["patient_name"].value


@pytest.mark.parametrize(
    ("words", "doubted"),
    [
        # "List any allergies: Pollen" running down a turned part of the page, read as a line.
        (
            (
                ("any", (3597, 427, 3637, 515)),
                ("List", (3609, 321, 3648, 408)),
                ("Pollen", (3601, 827, 3640, 964)),
            ),
            True,
        ),
        ((("Pollen", (600, 500, 700, 540)), ("Dust", (720, 500, 800, 540))), False),
        ((("Ox", (600, 500, 620, 540)), ("il", (640, 500, 650, 540))), False),  # short words, however narrow
    ],
)
def test_a_value_whose_words_were_read_on_their_end_is_doubted(words: tuple, doubted: bool) -> None:
    line = tuple(Word(text, 0.96, box) for text, box in words)
    assert _read_on_end(Candidate("allergies", 0, (line,), "beside")) is doubted


@pytest.mark.parametrize(
    ("text", "field", "sure"),
    [
        ("Have you had chickenpox?", "chickenpox", True),
        ("History of measles", "measles", True),
        ("Do you currently have health insurance?", "has_medical_insurance", True),
        ("Have you been vaccinated against hepatitis B?", "hepatitis_b_vaccination", True),
        ("Do you have any allergies?", "allergies", True),
        ("Emergency phone", "phone_number", False),  # a word in front that makes it another's
        ("Family history of asthma", "medical_problems", False),
    ],
)
def test_a_label_asked_as_a_question_reads_nearly_as_the_label(text: str, field: str, sure: bool) -> None:
    """Words that ask for a value ("Have you had", "Do you have") in front of a label's wording
    cost it less than other words in front do, but leave it short of sure (0.9): the question
    holds words no wording of ours does."""
    score = best_phrase(text, PATIENT.field(field).labels)[1]
    assert (0.85 <= score < 0.9) is sure, score


def test_a_wide_gap_inside_a_number_ends_no_label_after_the_number_s_first_group() -> None:
    patient = PATIENT.with_parts
    page = parse_layout(
        """
        200 400 Emergency contact phone 097402   54685
        200 480 Address line 1   12 Oak Street
        """
    )[0]
    keys = find_keys(page, patient.vocabulary, patient.colon_labels)
    assert [(k.text, [w.text for w in k.rest]) for k in keys] == [
        ("Emergency contact phone", ["097402", "54685"]),
        ("Address line 1", ["12", "Oak", "Street"]),
    ]


@pytest.mark.parametrize(
    ("label", "company"),
    [
        ("Insurance company", "United Insurance Company"),
        ("Health plan", "Pilgrim Health Plan"),
        ("Insurance provider", "Guardian Care Insurance"),
        ("Insurance carrier", "Blue Valley Insurance"),
    ],
)
def test_a_value_beside_its_label_named_after_it_is_the_value(label: str, company: str) -> None:
    """One field's labels do not stand side by side: a line beside "Insurance company" that
    ends in those words, or in a long word of them ("Insurance" of "Insurance provider"), is
    the company's name, not a second label."""
    page = parse_layout(
        f"""
        200 400 Intake form
        200 680 {label}
        700 680 {company}
        200 760 Policy number  88442211
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["insurance_company"].value == company
    assert fields["policy_number"].value == "88442211"


# The Spanish notes of BILINGUAL_STACKED, set in small type: two thirds as wide and high.
SPANISH_NOTES = {"Nombre": 0.66, "Fecha": 0.66, "Alergias": 0.66, "Seguro": 0.66, "Número": 0.66}

BILINGUAL_STACKED = """
260 500 Patient Information / Información del paciente
266 700 Patient name:
1155 698 Donald Robertson
266 749 Nombre del paciente
266 810 Date of birth:
1153 808 4/1/1983
266 859 Fecha de nacimiento
266 920 List any allergies:
1151 918 Aspirin
266 969 Alergias
1151 975 Peanuts
266 1030 Health plan:
266 1079 Seguro médico
266 1140 Policy number:
1153 1138 4275542159
266 1189 Número de póliza
"""


def _scaled(layout: str, shares: dict[str, float]) -> list[PageText]:
    """The layout's pages with each line opening with a word of ``shares`` set in type that
    share as wide and high as the rest."""
    pages = []
    for page in parse_layout(layout):
        lines = []
        for line in page.lines:
            share = shares.get(line.words[0].text)
            if share is not None:
                words, x = [], line.words[0].box[0]
                for word in line.words:
                    width = round((word.box[2] - word.box[0]) * share)
                    top = word.box[1]
                    words.append(
                        Word(
                            word.text,
                            word.confidence,
                            (x, top, x + width, top + round(40 * share)),
                            word.line,
                        )
                    )
                    x += width + round(20 * share)
                line = Line(tuple(words))
            lines.append(line)
        pages.append(PageText(index=page.index, lines=tuple(lines), width=page.width, height=page.height))
    return pages


def test_a_label_s_note_in_small_type_under_it_is_print_not_a_value() -> None:
    # A bilingual form sets each label's Spanish wording small under it: never a value, not
    # under a label with its value beside it, nor under one left blank.
    fields = extract_fields(PATIENT, _scaled(BILINGUAL_STACKED, SPANISH_NOTES), 0.8)
    assert fields["patient_name"].value == "Donald Robertson"
    assert fields["birth_date"].value == "4/1/1983"
    assert fields["allergies"].value == "Aspirin\nPeanuts"
    assert fields["insurance_company"].value == ""
    assert fields["policy_number"].value == "4275542159"


def test_a_note_under_a_label_with_no_letter_hanging_below_its_line_is_still_its_note() -> None:
    # "Mailing address:" has no descender: its box ends a fifth of a line short of the others',
    # and its note ("Direcci6n", its accented letter read as a digit) stood too far under it to
    # be one; read as the address's second line, it went into the address.
    layout = (
        BILINGUAL_STACKED + "266 1250 Mailing address:\n1153 1248 3759 Pine St\n1153 1340 Seattle, 98121\n"
    )
    (page,) = _scaled(layout, SPANISH_NOTES)
    lines = list(page.lines)
    for index, line in enumerate(lines):
        if line.text == "Mailing address:":  # a box 31 px high, not 40
            lines[index] = Line(tuple(replace(w, box=(*w.box[:3], w.box[1] + 31)) for w in line.words))
    note = Word("Direcci6n", 0.9, (266, 1310, 266 + 9 * 15, 1336))
    page = replace(page, lines=(*lines, Line((note,))))
    fields = extract_fields(PATIENT, [page], 0.8)
    assert fields["address"].value == "3759 Pine St\nSeattle, 98121"


def test_a_note_set_nearly_as_large_as_the_value_beside_is_known_by_the_form_s_other_notes() -> None:
    # The allergies are typed in narrow type: the note under their label is no smaller than
    # four fifths of them, but as wide as the form's other notes, so it is a note as they are
    # (read as a line of the list, "Alergias" went between its two allergies).
    pages = _scaled(
        BILINGUAL_STACKED,
        {
            "Nombre": 0.66,
            "Fecha": 0.66,
            "Número": 0.66,
            "Seguro": 0.66,
            "Alergias": 0.7,
            "Aspirin": 0.75,
            "Peanuts": 0.75,
        },
    )
    fields = extract_fields(PATIENT, pages, 0.8)
    assert fields["allergies"].value == "Aspirin\nPeanuts"
    assert fields["patient_name"].value == "Donald Robertson"


def test_on_a_form_with_a_note_under_most_labels_a_line_under_a_label_is_a_note_whatever_its_type() -> None:
    # "Medicamentos" set as large as the values, its letters wider than the other notes': the
    # form prints a note under every label, and this line stands where they stand.
    pages = _scaled(BILINGUAL_STACKED, {"Nombre": 0.66, "Fecha": 0.66, "Número": 0.66, "Seguro": 0.66})
    fields = extract_fields(PATIENT, pages, 0.8)
    assert fields["allergies"].value == "Aspirin\nPeanuts"
    # With one small note on the form, a line under a label is no note for its place alone.
    from extraction.keys import find_keys
    from extraction.line_beside import label_notes

    (few,) = _scaled(BILINGUAL_STACKED, {"Nombre": 0.66, "Fecha": 0.66})
    notes = label_notes(few, find_keys(few, PATIENT.vocabulary), 40.0)
    assert sorted(line.words[0].text for line in notes.values()) == ["Fecha", "Nombre"]


def test_a_page_with_one_label_knows_its_note_by_the_notes_of_the_form_s_other_pages() -> None:
    # The second page holds one label, left blank, and its note: too few to tell the form's
    # notes by, which the first page shows. Read as a value, the note went out unflagged.
    first_page = "\n".join(BILINGUAL_STACKED.strip().splitlines()[1:7])  # name and birth date
    layout = (
        first_page
        + """
--- page
266 300 Drug allergies:
266 349 Alergias
266 500 Signature / Firma:
"""
    )
    pages = _scaled(layout, {"Nombre": 0.66, "Fecha": 0.66, "Alergias": 0.66})
    fields = extract_fields(PATIENT, pages, 0.8)
    assert fields["allergies"].value == ""
    assert fields["allergies"].needs_review
    # Alone, the page keeps the line as it did: with no notes to go by, it may be a value.
    alone = _scaled(layout.split("--- page")[1], {"Alergias": 0.66})
    assert extract_fields(PATIENT, alone, 0.8)["allergies"].value == "Alergias"


def test_a_line_as_large_as_its_label_under_it_is_no_note() -> None:
    # Set as large as the labels, a line under a label is read as it was before: a value.
    from extraction.keys import find_keys
    from extraction.line_beside import without_label_notes

    (page,) = parse_layout("266 700 Allergies:\n1151 698 Aspirin\n266 749 Peanuts and latex")
    keys = find_keys(page, PATIENT.vocabulary)
    assert without_label_notes(page, keys, 40.0) == (page, None)


@pytest.mark.parametrize(
    "heading",
    [
        "Next of Kin / En caso de emergencia",
        "Emergency Contact / Contacto de emergencia",
        "Emergency Contact Information / Contacto de emergencia",  # its own words, a label's
        "Next of Kin   /   En caso de emergencia",  # set wide: no label and a value after a gap
    ],
)
def test_a_heading_in_two_languages_heads_its_section(heading: str) -> None:
    # "Full name" under the contact's heading is the contact's: the heading is read by its
    # first wording, the Spanish after the slash reads as no label.
    page = parse_layout(
        f"""
        200 300 Patient Information / Información del paciente
        200 400 Full name: Joshua Williams
        200 600 {heading}
        200 700 Full name: Sean Williams
        200 800 Phone: (300) 532-9272
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["patient_name"].value == "Joshua Williams"
    assert fields["emergency_contact_name"].value == "Sean Williams"
    assert fields["emergency_contact_phone"].value == "(300) 532-9272"


@pytest.mark.parametrize(
    ("over", "under_values", "doubted"),
    [
        ("Health Summary", False, True),  # a section's heading on its rule over the first label
        ("h=28 Arthritis", False, False),  # written over a caption in a type of its own
        ("12 Oak Street", False, False),  # a value with a digit is no heading
        ("Health Summary", True, False),  # the form prints every label under its value
    ],
)
def test_a_value_over_its_label_set_as_the_label_is_may_be_a_heading(
    over: str, under_values: bool, doubted: bool
) -> None:
    # On a defocused page OCR lost the value under "Medical conditions" and the label's colon:
    # the heading standing on its rule over the label was taken as the value written on a line
    # over a caption.
    page = parse_layout(f"300 480 {over}\n300 580 Medical conditions")[0]
    view = page_view(PATIENT, page)
    heading, label = view.page.lines
    key = Key(0, label, len(label.words), False, known=True)
    view = PageView(view.page, None, view.height, [key], labels_under_values=under_values)
    spec = next(f for f in PATIENT.fields if f.name == "medical_problems")
    candidate = Candidate("medical_problems", 0, (heading.words,), "above", 1.0, (key,))
    assert (
        "taken from over its label, set as the label is: a heading? its value may be under it"
        in layout_doubts(spec, candidate, [view], {})
    ) is doubted


@pytest.mark.parametrize(
    ("header", "doubted"),
    [
        ("300 480 Condition\n900 480 Yes\n1000 480 No", True),  # a grid's question column
        ("300 480 Condition\n900 480 Y\n1000 480 N\n1100 480 Unsure", True),
        ("300 480 Condition\n900 480 Since", False),  # another column, no answers
        ("300 480 Condition\n700 480 Do you smoke?\n900 480 Yes\n1000 480 No", False),  # another question's
        ("300 480 Condition\n900 1200 Yes\n1000 1200 No", False),  # answers far down, not its row
    ],
)
def test_a_value_under_a_label_heading_answer_columns_is_doubted(header: str, doubted: bool) -> None:
    # A defocused grid's marks were read as letters: the conditions under "Condition" were taken
    # as the list of them, though every row was answered No.
    page = parse_layout(f"{header}\n300 530 Asthma\n300 580 Eczema")[0]
    view = page_view(PATIENT, page)
    label = view.page.lines[0]
    values = [line for line in view.page.lines if line.text in ("Asthma", "Eczema")]
    key = Key(0, label, 1, False, known=True)
    view = PageView(view.page, None, view.height, [key])
    spec = next(f for f in PATIENT.fields if f.name == "medical_problems")
    candidate = Candidate("medical_problems", 0, tuple(v.words for v in values), "below", 1.0, (key,))
    assert (
        "its label heads a column answered Yes / No: check which rows were answered Yes"
        in layout_doubts(spec, candidate, [view], {})
    ) is doubted


def test_of_two_values_scoring_alike_the_one_read_more_surely_is_taken() -> None:
    """A defocused title "PATIENT INTAKE FORM" read "PATIENT ate FORM", its misread word blurred
    tall: "ate FORM" passes for a value written in after the label "PATIENT", and scores as
    the name beside "Name of patient" does. The name read surely is taken (and flagged: the
    other reading is a rival)."""

    def line(*words: tuple[str, float, Box]) -> Line:
        return Line(tuple(Word(text, confidence, box, 0) for text, confidence, box in words))

    page = PageText(
        0,
        (
            line(
                ("PATIENT", 0.96, (1111, 191, 1281, 228)),
                ("ate", 0.42, (1292, 126, 1445, 221)),
                ("FORM", 0.96, (1457, 169, 1578, 219)),
            ),
            line(("PATIENT", 0.96, (134, 327, 330, 386)), ("INFORMATION", 0.96, (340, 327, 536, 386))),
            line(("Jerome", 0.93, (384, 414, 500, 460)), ("Bautista", 0.93, (510, 414, 636, 460))),
            line(
                ("Name", 0.96, (131, 438, 200, 468)),
                ("of", 0.96, (210, 438, 230, 468)),
                ("patient", 0.96, (240, 438, 321, 468)),
            ),
            line(
                ("0967", 0.95, (388, 500, 450, 535)),
                ("862", 0.95, (460, 500, 520, 535)),
                ("1188", 0.95, (530, 500, 626, 535)),
            ),
            line(("Contact", 0.96, (129, 526, 220, 547)), ("no.", 0.96, (228, 526, 265, 547))),
        ),
        2125,
        2750,
    )
    name = extract_fields(PATIENT, [page], 0.8)["patient_name"]
    assert (name.value, name.needs_review) == ("Jerome Bautista", True)


def test_of_two_sure_values_scoring_alike_the_first_on_the_page_is_taken() -> None:
    # A pediatric form asks the child's and then a parent's date of birth, both read surely:
    # the first is the patient's (and flagged: the other is a rival).
    page = parse_layout(
        """
        200 200 Child's name: Rachel Tanaka
        200 300 Date of birth: 2009-02-06@0.88
        200 600 Date of birth: 1996-01-15@0.96
        """
    )
    birth = extract_fields(PATIENT, page, 0.8)["birth_date"]
    assert (birth.value, birth.needs_review) == ("2009-02-06", True)


def test_a_date_alone_at_the_top_of_the_record_s_first_page_behind_a_cover_sheet_is_its_date() -> None:
    # A fax packet: the cover sheet in front is set aside (its lines emptied), so the date
    # printed alone at the top of the record's first page is looked for there, as on a form
    # sent alone.
    record = """
        1900 150 2023-04-28
        200 300 Patient Medical Record
        200 400 Patient name: Nathan Williams
        200 480 Birth date: Sep 23 1987
        """
    (alone,) = parse_layout(record)
    behind_a_cover = [PageText(index=0, lines=(), width=2550, height=3300), replace(alone, index=1)]
    for pages in ([alone], behind_a_cover):
        assert extract_fields(PATIENT, pages, 0.8)["record_date"].value == "2023-04-28"


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("DOB (MM/DD/YYYY): 04/05/19", True),  # the comb's last two boxes unread
        ("DOB (MM/DD/YYYY): 04/05/1962", False),
        ("DOB (MM/DD/YY): 04/05/62", False),  # the form asks for two digits
    ],
)
def test_a_date_without_the_four_digit_year_its_label_asks_for_is_flagged(line: str, flagged: bool) -> None:
    page = parse_layout(
        f"""
        200 200 Patient name: Steven Kowalski
        200 260 {line}
        200 320 Phone: (433) 684-3770
        """
    )
    birth = extract_fields(PATIENT, page, 0.8)["birth_date"]
    assert birth.value == line.split(": ")[1]
    assert ("four-digit year" in (birth.reason or "")) is flagged
    assert birth.needs_review or not flagged


def test_a_hint_under_a_list_saying_what_to_write_when_none_applies_is_no_item() -> None:
    # A web form's hint under its box, the box's rule lost on a fax: print, not the list's
    # next item.
    page = parse_layout(
        """
        200 200 Patient name: Evelyn Henderson
        200 300 Current medications
        200 340 Omeprazole
        200 380 Write 'None' if none apply.
        200 480 Allergies
        200 520 Bee stings
        200 560 If none, write NONE
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["regular_medications"].value == "Omeprazole"
    assert fields["allergies"].value == "Bee stings"


@pytest.mark.parametrize("allergy", ["", "Bee stings"])
def test_print_under_a_label_s_empty_box_is_not_its_value(allergy: str) -> None:
    """A web form's question over its answer box, a hint under the box in words no list of
    instructions holds: left empty, the box's label has no value (the hint is the form's);
    filled in, the value is what the box holds."""
    from extraction.structure import Cell, Table

    filled = f"240 330 {allergy}\n" if allergy else ""
    page = parse_layout(
        f"""
        200 100 Patient name: Evelyn Henderson
        200 250 22. List any allergies
        {filled}
        200 420 Separate each item with a new line.
        200 520 23. Medications taken regularly
        240 600 Triptans
        """
    )
    boxes = ((200, 310, 1400, 380), (200, 580, 1400, 650))
    cells = tuple(Cell(box, 0, 0, table) for table, box in enumerate(boxes))
    structure = PageStructure(cells=cells, tables=tuple(Table(box, 1, 1) for box in boxes))
    fields = extract_fields(PATIENT, page, 0.8, structures=[structure])
    assert fields["allergies"].value == allergy
    assert fields["regular_medications"].value == "Triptans"


def test_a_grid_s_header_cell_whose_print_was_not_read_does_not_end_the_list_under_it() -> None:
    """A defocused page: OCR read nothing in the "Medication" header cell of the table under
    the label. Looking empty, it is still a cell of a grid, no answer box left blank."""
    from extraction.structure import Cell, Table

    page = parse_layout(
        """
        200 100 Patient name: Evelyn Henderson
        140 1020 Medications taken regularly:
        850 1110 How often
        140 1170 Amlodipine
        850 1170 weekly
        140 1235 Levothyroxine
        850 1235 twice daily
        """
    )
    rows = ((1100, 1150), (1160, 1220), (1225, 1285))
    cells = tuple(
        Cell((x0, y0, x1, y1), row, col, 0)
        for row, (y0, y1) in enumerate(rows)
        for col, (x0, x1) in enumerate(((125, 840), (845, 1500)))
    )
    structure = PageStructure(cells=cells, tables=(Table((120, 1095, 1505, 1290), 3, 2),))
    fields = extract_fields(PATIENT, page, 0.8, structures=[structure])
    assert fields["regular_medications"].value == "Amlodipine\nLevothyroxine"


VALUES_LEVEL_WITH_THE_NEXT_PANEL_S_LABELS = """
200 400 PATIENT INFORMATION
1300 400 MEDICAL HISTORY
200 480 Date of visit
1300 480 List any medical problems
200 540 10/3/2016
1340 540 Arthritis
200 600 Telephone
1340 600 Migraine
200 660 (786) 219-1432
1300 680 Known allergies
200 740 Mailing address
1340 740 Wheat, milk
200 800 5739 Cedar Ave
200 860 Boston, MA 02155
"""


def test_a_value_hanging_under_its_own_label_is_no_value_of_a_label_level_with_it() -> None:
    """Two panels side by side set the right one's values level with the left one's labels:
    "Migraine" (under "Arthritis", under its label) beside "Telephone", "Wheat, milk" (under
    "Known allergies") beside "Mailing address". Taken for a column of labels with its values
    far right, they gave the address "Wheat, milk", unflagged, and left the allergies blank."""
    page = parse_layout(VALUES_LEVEL_WITH_THE_NEXT_PANEL_S_LABELS)[0]
    keys = find_keys(page, PATIENT.vocabulary)
    assert find_label_columns(page, keys, 40.0) == []
    fields = extract_fields(PATIENT, [page], 0.8)
    assert fields["address"].value == "5739 Cedar Ave\nBoston, MA 02155"
    assert fields["allergies"].value == "Wheat, milk"
    assert fields["medical_problems"].value == "Arthritis\nMigraine"


def _insured_over_provider(insured_label: bool) -> PageView:
    """ "Diane Murphy" written on the rule right over "Insurance provider", beside the label
    "Insured's name" on its row (or alone on it): the form prints every label under its value."""
    rows = [  # handwriting stands taller than the print beside it
        [("Insured's", 230, 1616, 330, 1638), ("name", 345, 1616, 409, 1638)] if insured_label else [],
        [("Diane", 442, 1612, 537, 1645), ("Murphy", 550, 1612, 681, 1645)],
        [("Insurance", 230, 1675, 380, 1704), ("provider", 390, 1675, 456, 1704)],
    ]
    lines = [
        Line(tuple(Word(t, 0.96, (x0, y0, x1, y1), n) for t, x0, y0, x1, y1 in row))
        for n, row in enumerate(rows)
        if row
    ]
    page = PageText(index=0, lines=tuple(lines), width=2550, height=3300)
    structure = PageStructure(rules=(Rule((220, 1650, 900, 1652), "horizontal"),))
    view = page_view(PATIENT, page, structure)
    return replace(view, labels_under_values=True)


@pytest.mark.parametrize("insured_label", [True, False])
def test_a_value_beside_a_label_is_no_caption_s_value_under_it(insured_label: bool) -> None:
    """A registration form ruled a line under "Insured's name  Diane Murphy"; under the rule,
    "Insurance provider" was left blank. Read as a caption of the line over it, the provider
    went out as "Diane Murphy", unflagged. The value beside a label on its row is that label's."""
    view = _insured_over_provider(insured_label)
    provider = next(k for k in view.keys if k.text == "Insurance provider")
    expected = [] if insured_label else ["Diane Murphy"]
    assert [line.text for line in lines_above(provider, view)] == expected
    on_rule = line_on_rule_over(provider, view)
    assert (on_rule.text if on_rule else None) == (None if insured_label else "Diane Murphy")


def test_a_box_rows_down_a_grid_answers_its_column_s_header() -> None:
    """ "Yes | No" printed once over four rows of boxes, no rules between them: the header stood
    too far over the last rows' boxes to be found, and a ticked box there answered nothing."""
    page = parse_layout(
        """
        1500 400 Yes
        1700 400 No
        200 500 Hepatitis B vaccinated?
        200 600 Measles
        200 700 Do you drink alcohol?
        200 800 Chickenpox
        """
    )[0]
    rows = {500: "yes", 600: "no", 700: "no", 800: "yes"}
    marks = tuple(
        SelectionMark((x, y - 10, x + 60, y + 50), "square", rows[y] == answer, "", None, 1.0)
        for y in rows
        for x, answer in ((1500, "yes"), (1700, "no"))
    )
    fields = extract_fields(PATIENT, [page], 0.8, structures=[PageStructure(marks=marks)])
    assert fields["hepatitis_b_vaccination"].value == "Yes"
    assert fields["measles"].value == "NOT IMMUNE"
    assert fields["chickenpox"].value == "IMMUNE"


@pytest.mark.parametrize("first", ["Directions", "Directions:"])
def test_a_label_printed_per_item_is_gathered_when_ocr_kept_one_colon(first: str) -> None:
    """A heavy copy lost the first "Directions:"'s colon: with one occurrence read with its
    colon the others were not gathered, and the directions kept the second item's alone."""
    page = parse_layout(
        f"""
        240 550 Rx date: Aug 22, 2020
        240 610 Patient name: Lauren Castro
        320 980 1
        415 980 Simvastatin 10 mg
        490 1040 {first}   Take 2 tablets every day for 3 months
        490 1090 Quantity: 90
        320 1200 2
        415 1200 Warfarin 2 mg
        490 1260 Directions: Take 1 capsule every 8 hours for 10 days
        490 1310 Quantity: 20
        """
    )
    fields = extract_fields(PRESCRIPTION, page, 0.8)
    assert fields["directions"].value == (
        "Take 2 tablets every day for 3 months\nTake 1 capsule every 8 hours for 10 days"
    )


@pytest.mark.parametrize("ruled", [True, False])
def test_a_label_opening_a_ruled_cell_reaches_its_value_anywhere_in_the_cell(ruled: bool) -> None:
    """A register ruled "Birth date | 1996-03-27 | Telephone:  ...  (571)-474-0103": the phone
    was written far along the label's own cell, more than eight line heights from its label,
    and went out blank. Unruled, that far is another column's."""
    page = parse_layout(
        """
        128 610 Pt. name:
        578 610 Janice Hughes
        128 670 Birth date:
        578 670 1996-03-27
        1086 670 Telephone:
        1700 670 (571)-474-0103
        """
    )[0]
    cells = (
        Cell((576, 604, 2052, 652), 0, 1, 0),
        Cell((576, 664, 1080, 706), 1, 1, 0),
        Cell((1082, 662, 2054, 712), 1, 2, 0),
    )
    structure = PageStructure(cells=cells if ruled else ())
    fields = extract_fields(PATIENT, [page], 0.8, structures=[structure])
    assert fields["phone_number"].value == ("(571)-474-0103" if ruled else "")


def test_a_caption_centred_under_the_value_beside_a_label_names_a_part_of_it() -> None:
    """ "Pt.name:  Boyd  Megan  R." over the captions "Last name", "First", "Middle initial": the
    value beside the label is also the part its caption names."""
    rows = [
        [("Pt.name:", 250, 678, 454, 707)],
        [("Boyd", 517, 677, 604, 716)],
        [("Last", 500, 738, 560, 757), ("name", 570, 738, 630, 757)],
    ]
    lines = [
        Line(tuple(Word(t, 0.96, (x0, y0, x1, y1), n) for t, x0, y0, x1, y1 in row))
        for n, row in enumerate(rows)
    ]
    page = PageText(index=0, lines=tuple(lines), width=2550, height=3300)
    view = replace(page_view(PATIENT, page, PageStructure()), labels_under_values=True)
    caption = next(k for k in view.keys if k.text == "Last name")
    assert [line.text for line in lines_above(caption, view)] == ["Boyd"]


def test_a_word_read_from_the_next_box_on_is_no_part_of_a_ticked_box_s_option() -> None:
    """Refills "[x]0 [ ]1 [ ]2" read as "KO O1 O2": each box read into its option's word. The
    ticked box's option ran on into the next box's "O1", and the refills went out as "01"."""
    words = [
        Word("Refills", 0.96, (90, 1765, 230, 1805), 0),
        Word("authorized", 0.96, (240, 1765, 353, 1805), 0),
        Word("KO", 0.8, (400, 1769, 455, 1803), 1),
        Word("O1", 0.8, (499, 1769, 555, 1803), 1),
        Word("O2", 0.8, (600, 1769, 655, 1803), 1),
    ]
    page = PageText(0, (Line(tuple(words[:2])), Line(tuple(words[2:]))), 2550, 3300)
    marks = tuple(
        SelectionMark((x, 1770, x + 30, 1800), "square", x == 400, "", None, 1.0) for x in (400, 500, 600)
    )
    fields = extract_fields(PRESCRIPTION, [page], 0.8, structures=[PageStructure(marks=marks)])
    assert fields["refills"].value == "0"
