"""Forms that ask for each value in a sentence: "3. What is your date of birth?" read as the
birth date's label, numbered or not, its question mark there or not; never a value."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.keys import find_keys
from extraction.phrases import best_phrase
from extraction.structure import PageStructure, Rule
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")
SURE = 0.9
KEY = 0.84


@pytest.mark.parametrize(
    ("asked", "field", "wording"),
    [
        ("What is your date of birth", "birth_date", "Date of birth"),
        ("When were you born", "birth_date", "Born"),
        ("Please print your full name", "patient_name", "Full name"),
        ("Who should we contact in an emergency", "emergency_contact_name", "Contact in an emergency"),
        ("What is the name of your insurance company", "insurance_company", "Insurance company"),
        ("Name of your health plan", "insurance_company", "Health plan"),
        ("If yes, who is your insurance provider", "insurance_company", "Insurance provider"),
        # A contact asked about, then "their" number: the only third person an intake form asks for.
        ("What is their phone number", "emergency_contact_phone", "Their phone number"),
        (
            "Are you covered by a health insurance plan",
            "has_medical_insurance",
            "Covered by health insurance",
        ),
        # The wording with words after it as well as before it.
        ("Please list any medical conditions you have", "medical_problems", "Medical conditions"),
        ("Which medications are you taking now", "regular_medications", "Medications"),
        # A word of its own between the question and the wording, and a request after it.
        (
            "Do you have any ongoing health conditions? Please list them",
            "medical_problems",
            "Health conditions",
        ),
        ("Are you currently taking any regular medications", "regular_medications", "Regular medications"),
        # OCR lost the space after the question's word.
        ("When were youborn", "birth_date", "Born"),
        ("What is yourphone number", "phone_number", "Phone number"),
    ],
)
def test_a_label_asked_as_a_question_reads_as_the_label_but_not_surely(
    asked: str, field: str, wording: str
) -> None:
    scores = {spec.name: best_phrase(asked, spec.all_labels) for spec in PATIENT.fields}
    best = max(scores, key=lambda name: scores[name][1])
    assert (best, scores[best][0]) == (field, wording)
    assert KEY <= scores[best][1] < SURE


def test_name_alone_before_other_words_is_no_question() -> None:
    # "Name" is a label of its own: only "name of your" asks for what follows it; "Name of
    # patient" is no "Patient" heading.
    assert best_phrase("Name Phone", PATIENT.field("phone_number").all_labels)[1] < KEY
    assert best_phrase("Name of patient", PATIENT.field("patient_name").section_labels)[1] < KEY


@pytest.mark.parametrize(
    ("label", "field"),
    [("Name of your health plan", "patient_name"), ("Date of birth of your child", "record_date")],
)
def test_a_label_s_first_word_before_of_is_no_reading_of_it(label: str, field: str) -> None:
    # "Name of your health plan" names the plan: its first word alone, "Name", is no reading of
    # it (read so it was the patient's name, and a contact's under an emergency heading).
    assert best_phrase(label, PATIENT.field(field).all_labels)[1] < KEY
    assert best_phrase("Name of your health plan", PATIENT.field("insurance_company").all_labels)[1] >= KEY


NUMBERED_QUESTIONS = """
300 300 New Patient Questionnaire
300 420 1. What is your full name?
960 420 Laura Mendez
300 520 2) Your date of birth
360 600 03/14/1962
300 700 Q3. What is your telephone number?
1130 700 (415) 555-0182
300 800 4 Do you smoke?
300 900 5. Please list any medications you take regularly
360 980 Metformin 500 mg
300 1080 6. Who should we contact in an emergency?
1250 1080 Carlos Mendez
"""


def test_numbered_questions_are_keys_their_numbers_left_out() -> None:
    (page,) = parse_layout(NUMBERED_QUESTIONS)
    texts = [key.text for key in find_keys(page, PATIENT.all_labels)]
    assert "What is your full name" in texts
    assert "Your date of birth" in texts  # no question mark: a request, asked in words
    assert "What is your telephone number" in texts
    assert "Do you smoke" in texts  # a number whose full stop was lost, before a question
    assert "Please list any medications you take regularly" in texts


@pytest.mark.parametrize("number", ["Ql.", "QlO.", "Q1O)"])
def test_a_question_s_number_read_with_look_alike_letters_is_still_its_number(number: str) -> None:
    (page,) = parse_layout(f"300 300 {number} Please print your full name\n900 300 Zachary Coleman\n")
    assert [key.text for key in find_keys(page, PATIENT.all_labels)] == ["Please print your full name"]


def test_a_bare_number_before_a_request_is_its_item_number() -> None:
    # "5. Your address" with its full stop lost: the request is a key, its number left out, and
    # the address under it its value.
    (page,) = parse_layout("300 300 5 Your address\n400 380 9224 Ridge Road\n400 440 Atlanta, GA 30355\n")
    assert [key.text for key in find_keys(page, PATIENT.all_labels)] == ["Your address"]


def test_an_address_s_house_number_is_no_question_number() -> None:
    (page,) = parse_layout("300 300 Address\n300 380 12 Oak Street\n")
    assert [key.text for key in find_keys(page, PATIENT.all_labels)] == ["Address"]


def test_a_questionnaire_is_read_field_by_field_every_asked_value_flagged() -> None:
    pages = parse_layout(NUMBERED_QUESTIONS)
    fields = extract_fields(PATIENT, pages, 0.8)
    for name, value in (
        ("patient_name", "Laura Mendez"),
        ("birth_date", "03/14/1962"),
        ("phone_number", "(415) 555-0182"),
        ("regular_medications", "Metformin 500 mg"),
        ("emergency_contact_name", "Carlos Mendez"),
    ):
        assert (fields[name].value, fields[name].needs_review) == (value, True), name


def test_a_question_is_never_a_value() -> None:
    # Under a question whose answer was left blank, the next question is print, whatever it
    # asks: not the value, however well it would pass as one (an address's words).
    from extraction.assign import plausibility
    from extraction.page_view import Candidate
    from extraction.types import Word

    line = (Word("Which", 0.95, (300, 480, 400, 520)), Word("street?", 0.95, (420, 480, 560, 520)))
    asked = Candidate("address", 0, (line,), "below", 0.95)
    assert plausibility(PATIENT.field("address"), asked, PATIENT) == -1.0


def test_a_request_after_a_question_is_printed_with_it_not_its_value() -> None:
    layout = """
    300 300 Patient Information
    300 420 Do you have any allergies? Please list them
    360 500 Penicillin
    """
    (page,) = parse_layout(layout)
    assert [key.text for key in find_keys(page, PATIENT.all_labels)][-1] == (
        "Do you have any allergies? Please list them"
    )
    fields = extract_fields(PATIENT, [page], 0.8)
    assert fields["allergies"].value == "Penicillin"


@pytest.mark.parametrize(
    ("label", "field", "value"),
    [
        ("Member ID on your insurance card", "policy_number", "BM4433221"),
        ("Expiration date on your insurance card", "insurance_expiry", "12/31/2027"),
        ("Your height in cm", "height", "165"),
        # Read with its spaces lost (extraction.word_breaks): the same label.
        ("8. Yourheightincm", "height", "168"),
        ("7. Your weightinkg", "weight", "75"),
    ],
)
def test_a_label_narrowed_by_a_phrase_after_it_is_a_key(label: str, field: str, value: str) -> None:
    page = parse_layout(
        f"200 400 Pre-Visit Questionnaire\n200 600 {label}\n240 660 {value}\n200 800 Signature:"
    )
    assert extract_fields(PATIENT, page, 0.8)[field].value == value


@pytest.mark.parametrize("value", ["Allergy to the dye", "Weight loss in the last year", "Pain in the back"])
def test_a_value_opening_with_a_label_s_word_before_such_a_phrase_stays_a_value(value: str) -> None:
    for label, field in (("Allergies:", "allergies"), ("Medical problems:", "medical_problems")):
        page = parse_layout(f"200 400 Intake\n200 600 {label}\n240 660 {value}\n200 800 Signature:")
        assert extract_fields(PATIENT, page, 0.8)[field].value == value


def test_a_line_asking_for_a_label_s_value_by_its_name_is_a_key() -> None:
    page = parse_layout(
        "200 400 Pre-Visit Questionnaire\n200 600 Name of your health plan\n240 660 Blue Mutual"
    )
    assert extract_fields(PATIENT, page, 0.8)["insurance_company"].value == "Blue Mutual"


QUESTIONS_ON_RULED_LINES = """
229 330 New Patient Questionnaire
229 536 Personal Information
234 633 {n1}Your name (first and last)
326 704 Edward Walker
229 795 {n2}Your date of birth
329 868 14 May 1965
230 958 {n3}What is your telephone number?
327 1031 616-402-9737
228 1121 {n4}Your address
329 1192 1190 Elm Dr, Richmond, VA
230 1284 {n5}How much do you weigh (kg)?
329 1356 113
230 1465 In Case of Emergency
229 1561 {n6}Who is your emergency contact?
327 1633 Pamela Rogers
229 1724 {n7}What is their phone number?
328 1797 558-211-0692
"""


def _questions_on_ruled_lines(numbered: bool) -> tuple[list, PageStructure]:
    """A questionnaire that answers each question on a ruled line right under it, the next
    question printed right under that line: each question stands about as near the answer
    above it (the previous question's) as its own."""
    numbers = {f"n{i}": f"{i}) " if numbered else "" for i in range(1, 8)}
    rules = tuple(Rule((312, y, 2088, y + 4), "horizontal") for y in (756, 918, 1082, 1244, 1406, 1684, 1846))
    return parse_layout(QUESTIONS_ON_RULED_LINES.format(**numbers)), PageStructure(rules=rules)


@pytest.mark.parametrize("numbered", [True, False])
def test_a_question_over_a_line_written_on_is_answered_under_it_not_over_it(numbered: bool) -> None:
    # A question asks for what follows it: it never captions the line written on above it,
    # however near that line stands.
    pages, structure = _questions_on_ruled_lines(numbered)
    fields = extract_fields(PATIENT, pages, 0.8, structures=[structure])
    expected = {
        "phone_number": "616-402-9737",
        "weight": "113",
        "emergency_contact_name": "Pamela Rogers",
        "emergency_contact_phone": "558-211-0692",
    }
    if numbered:  # a numbered item opens what follows it, asked with a question mark or not
        expected |= {"patient_name": "Edward Walker", "birth_date": "14 May 1965"}
    for name, value in expected.items():
        assert fields[name].value == value, name


def test_questions_and_numbered_items_vote_for_values_under_them() -> None:
    # However near the answer above stands, a question or a numbered item votes for its own
    # answer under it; a plain label under a line written on still votes for the line above.
    from extraction.fields import _votes_for_labels_under, page_view

    reading = PATIENT.with_parts
    for numbered in (True, False):
        (page,), structure = _questions_on_ruled_lines(numbered)
        above, below = _votes_for_labels_under(page_view(reading, page, structure), reading)
        assert above == (0 if numbered else 2) and below >= 4, numbered


def test_a_reading_s_fit_leaves_out_the_parts_of_fields() -> None:
    # A part read in one reading only stands beside its whole field's value: counted, it would
    # let a reading win by reading one value twice.
    from extraction.assign import Assigned
    from extraction.fields import _fit
    from extraction.page_view import Candidate
    from extraction.types import Word

    reading = PATIENT.with_parts
    name = (Word("Pamela", 0.95, (300, 480, 440, 520)), Word("Rogers", 0.95, (460, 480, 600, 520)))
    contact = Candidate("emergency_contact_name", 0, (name,), "below", 1.0)
    whole = {"emergency_contact_name": Assigned(contact, True)}
    part = Assigned(Candidate("emergency_contact_phone.number", 0, (name,), "above", 0.9), True)
    assert _fit(reading, whole) == _fit(reading, whole | {"emergency_contact_phone.number": part}) > 0


def _plausibility(field: str, value: str) -> float:
    from extraction.assign import plausibility
    from extraction.page_view import Candidate
    from extraction.types import Word

    line = tuple(Word(w, 0.95, (300 + 200 * i, 480, 480 + 200 * i, 520)) for i, w in enumerate(value.split()))
    return plausibility(PATIENT.field(field), Candidate(field, 0, (line,), "above", 0.9), PATIENT)


@pytest.mark.parametrize(
    ("field", "value"), [("birth_date", "Edward Walker"), ("phone_number", "Pamela Rogers")]
)
def test_words_alone_are_no_date_or_phone_number(field: str, value: str) -> None:
    assert _plausibility(field, value) == -1.0
    # A date misread in part still holds a digit: in doubt, not ruled out.
    assert _plausibility("birth_date", "I4 Mav I965") > -1.0


def test_a_hint_in_brackets_read_with_the_answer_is_left_out_and_said_so() -> None:
    # The question's hint ran on to the answer's line: the form's print, not the address.
    pages = parse_layout(
        "300 300 New Patient Questionnaire\n"
        "300 400 4. Where do you live?\n"
        "360 480 (street, city, state, ZIP) 9769 Union Street, Dallas, TX\n"
        "300 600 5. Please list any allergies\n"
        "360 680 (mild) penicillin rash"
    )
    fields = extract_fields(PATIENT, pages, 0.8)
    assert fields["address"].value == "9769 Union Street, Dallas, TX"
    assert "printed before it, left out" in (fields["address"].reason or "")
    assert fields["allergies"].value == "(mild) penicillin rash"  # words of no label: the value's


@pytest.mark.parametrize(
    ("line", "print_of_the_form"),
    [
        ("Name of a person we may call in an emergency", True),
        ("How did you hear about us", True),
        ("We will call you to confirm", True),
        # Values never speak as the form does.
        ("Rebecca Brown", False),
        ("Springfield, IL, US", False),
        ("Our Lady of Mercy Hospital", False),
        ("Take one tablet when you wake", False),
        ("5118 Orchard Rd, San Diego, CA", False),
        ("we may call", False),
    ],
)
def test_a_line_in_which_the_form_says_we_is_print(line: str, print_of_the_form: bool) -> None:
    from extraction.label_shapes import speaks_as_the_form

    assert speaks_as_the_form(line) is print_of_the_form


def test_a_request_in_the_form_s_own_voice_under_a_heading_is_no_value_of_its_section() -> None:
    # The request asks in words no label of ours has; still it is print, and the name under it
    # is the first line of the section that is no print.
    page = parse_layout(
        """
        230 300 What is your full name?
        325 370 Amy Brown
        230 1621 In Case of Emergency
        230 1717 Name of a person we may call in an emergency
        325 1790 Rebecca Brown
        230 1874 Emergency contact's phone number
        324 1949 (472) 448-2633
        """
    )
    fields = extract_fields(PATIENT, page, 0.8)
    assert fields["emergency_contact_name"].value == "Rebecca Brown"
    assert fields["emergency_contact_phone"].value == "(472) 448-2633"
