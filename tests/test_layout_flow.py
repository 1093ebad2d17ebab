"""A learned layout on the next copy of a form whose print moved or whose choices changed.

Golden tests on pages written as text (no OCR): a register that packs two fields on a row where
the learned copy had one (the next label stands in the learned value's area), an order form
whose ticked medicine is another than the learned copy's, and a learned value that fails its
field's check away from its label.
"""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.layouts import cross_check, learn_layout, match_layout, read_fields
from extraction.layouts.crosscheck import LABEL_ELSEWHERE
from extraction.structure import PageStructure, SelectionMark
from extraction.types import FieldResult
from extraction.validate import check_value
from tests.layout_text import engine_reading, parse_layout

PATIENT = get_document_type("patient_details")
PRESCRIPTION = get_document_type("prescription")

# The learned copy's address is long: the form gives it the whole row.
REGISTER_LEARNED = """
700 150 Riverside Family Practice
800 250 PATIENT INTAKE FORM
200 400 Patient name: Deborah Butler
1400 400 Date of birth: 2006-08-18
200 480 Street address: 78 Bollinger Lane, Baltimore, MD 21264
200 560 Home phone: (673) 392-6426
1400 560 Email address: dbutler.mail
200 640 Allergies: Pollen
200 900 Patient signature
"""
REGISTER_VALUES = {
    "patient_name": "Deborah Butler",
    "birth_date": "2006-08-18",
    "address": "78 Bollinger Lane, Baltimore, MD 21264",
    "phone_number": "(673) 392-6426",
    "allergies": "Pollen",
}
# The next copy's address is short: the phone moves up beside it.
REGISTER_NEXT = """
700 150 Riverside Family Practice
800 250 PATIENT INTAKE FORM
200 400 Patient name: Steven Hall
1400 400 Date of birth: 03/11/1956
200 480 Street address: 7084 Forest Pl
1400 480 Home phone: 704-552-1534
200 560 Email address: shall.mail
200 640 Allergies: Aspirin
200 900 Patient signature
"""


def _read_with_learned(learned_copy: str, values: dict[str, str], doc_type: str, next_copy: str) -> dict:
    """The fields of ``next_copy`` as the layout learned from ``learned_copy`` (verified as
    ``values``) reads them."""
    spec = get_document_type(doc_type)
    reading = engine_reading(parse_layout(learned_copy), values, doc_type=doc_type)
    template = learn_layout(reading, spec, values)
    following = parse_layout(next_copy)
    match = match_layout([template], following)
    assert match is not None
    return read_fields(match, spec, following)


def test_a_learned_value_ends_at_a_label_the_flowing_form_moved_into_its_area() -> None:
    learned = _read_with_learned(REGISTER_LEARNED, REGISTER_VALUES, "patient_details", REGISTER_NEXT)
    assert learned["address"].value == "7084 Forest Pl"
    assert learned["patient_name"].value == "Steven Hall"


ORDER_FORM = """
700 150 Lakeside Clinic
800 250 Medication Order Form
200 400 Patient name: {name}
200 480 Date: {date}
200 600 Tick the medicines prescribed
260 680 Valacyclovir 1000 mg
1200 680 take 1 capsule three times a day for 5 days
260 760 Cephalexin 500 mg
1200 760 take 1 tablet everyday until finished
260 840 Losartan 50 mg
1200 840 take 1 tablet at bedtime
200 1000 Prescriber: {prescriber}
"""
ORDER_ROWS = {"Valacyclovir 1000 mg": 680, "Cephalexin 500 mg": 760, "Losartan 50 mg": 840}


def _ticked(medicine: str) -> list[PageStructure]:
    """The order form's boxes, the one before ``medicine`` ticked."""
    boxes = tuple(
        SelectionMark((200, y, 240, y + 40), "square", name == medicine, name, None, 0.9)
        for name, y in ORDER_ROWS.items()
    )
    return [PageStructure(marks=boxes)]


def test_a_printed_option_left_unticked_on_the_next_copy_is_no_learned_value() -> None:
    values = {
        "patient_name": "Maria Lopez",
        "prescription_date": "03/12/2024",
        "medicines": "Valacyclovir 1000 mg",
        "directions": "take 1 capsule three times a day for 5 days",
        "prescriber": "Dr. Alan Grant",
    }
    pages = parse_layout(
        ORDER_FORM.format(name="Maria Lopez", date="03/12/2024", prescriber="Dr. Alan Grant")
    )
    template = learn_layout(
        engine_reading(pages, values, structures=_ticked("Valacyclovir 1000 mg")), PRESCRIPTION, values
    )
    following = parse_layout(
        ORDER_FORM.format(name="Tom Baker", date="07/01/2025", prescriber="Dr. Ellen Ripley")
    )
    match = match_layout([template], following)
    assert match is not None
    learned = read_fields(match, PRESCRIPTION, following, _ticked("Cephalexin 500 mg"))
    # Where the learned copy's choice stood, this copy ticked nothing: print, not a value.
    assert learned["medicines"].value == ""
    assert learned["directions"].value == ""
    assert learned["patient_name"].value == "Tom Baker"
    # Ticked on this copy, the same row is the value.
    again = read_fields(match, PRESCRIPTION, following, _ticked("Valacyclovir 1000 mg"))
    assert again["medicines"].value == "Valacyclovir 1000 mg"


def test_a_learned_value_failing_its_check_away_from_its_label_never_replaces_the_generic_one() -> None:
    def valid(name: str, value: str) -> bool:
        return check_value(PATIENT.field(name), value) is None

    generic = {"phone_number": FieldResult("(443)-551", 0.3, True, reason="OCR confidence 28%", page=0)}
    moved = FieldResult("shall.mail", 0.8, False, page=0)
    moved.flag(LABEL_ELSEWHERE)
    merged = cross_check(generic, {"phone_number": moved}, valid=valid)
    assert merged["phone_number"].value == "(443)-551"
    assert "shall.mail" in (merged["phone_number"].reason or "")
    # In place, the learned value is the better guess where both fail (the form moved the
    # generic reading's label, not the value).
    in_place = FieldResult("(443) 551-7070x", 0.8, True, reason="not a phone number", page=0)
    generic = {"phone_number": FieldResult("(443)-551", 0.3, True, reason="OCR confidence 28%", page=0)}
    merged = cross_check(generic, {"phone_number": in_place}, valid=valid)
    assert merged["phone_number"].value == "(443) 551-7070x"


CARRIER = """
700 150 Riverside Family Practice
200 400 Patient name
200 460 {name}
200 600 Insurance company
200 660 {carrier}
200 900 Patient signature
"""


def test_a_value_reading_like_a_label_is_no_label_of_the_form_s() -> None:
    """The key finder reads "Atlas Insurance Company" as a label, but the form prints no "Atlas"."""
    values = {"patient_name": "Deborah Butler", "insurance_company": "Northstar Mutual"}
    pages = parse_layout(CARRIER.format(name="Deborah Butler", carrier="Northstar Mutual"))
    template = learn_layout(engine_reading(pages, values, doc_type="patient_details"), PATIENT, values)
    following = parse_layout(CARRIER.format(name="Steven Hall", carrier="Atlas Insurance Company"))
    match = match_layout([template], following)
    assert match is not None
    assert read_fields(match, PATIENT, following)["insurance_company"].value == "Atlas Insurance Company"


# Values set at one tab after the longest label: a short label's value stands far off.
TABBED_LEARNED = """
700 150 Fairview Community Hospital
800 250 DISCHARGE PRESCRIPTION
200 400 NAME OF PATIENT
1100 400 Amber Black
200 480 HOME ADDRESS
1100 480 7811 Church Road, Nashville, TN
200 560 WARD
1100 560 4B
200 640 PRESCRIBING CLINICIAN
1100 640 Dr Frances Wright, M.D.
200 900 Refills: 1
"""
TABBED_VALUES = {
    "patient_name": "Amber Black",
    "patient_address": "7811 Church Road, Nashville, TN",
    "prescriber": "Dr Frances Wright, M.D.",
    "refills": "1",
}
TABBED_NEXT = (
    TABBED_LEARNED.replace("Amber Black", "Doris Murphy")
    .replace("7811 Church Road, Nashville, TN", "63 Meadow Court, Austin, TX")
    .replace("1100 560 4B", "1100 560 Cardiology")
)


def test_a_learned_address_set_far_from_its_label_ends_at_the_next_label_of_its_column() -> None:
    # The ward's value on the next copy is no word the learned copy printed: only the WARD label
    # of the label column, far left of the values, ends the address.
    learned = _read_with_learned(TABBED_LEARNED, TABBED_VALUES, "prescription", TABBED_NEXT)
    assert learned["patient_address"].value == "63 Meadow Court, Austin, TX"
