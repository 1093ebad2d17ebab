"""Two fields on one row with a mark between them: a medicine, a dash, its directions. The
mark, not a fixed edge, parts them on a copy whose values are longer or shorter."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.layouts import LayoutTemplate, learn_layout, match_layout, read_fields
from extraction.types import PageText
from tests.layout_text import engine_reading, parse_layout

PRESCRIPTION = get_document_type("prescription")

CLINIC_PAD = """
700 150 Mombasa Road Medical Centre
720 200 Outpatient Prescription
200 400 Patient name: {name}
1400 400 Date: {date}
200 480 Address: {address}
200 600 Rx
200 660 {first}
200 740 {second}
200 1000 Prescriber: {prescriber}
200 1200 Signature and stamp
"""

LEARNED = {
    "patient_name": "Grace Achieng",
    "prescription_date": "12/03/2024",
    "patient_address": "14 Moi Avenue, Kisumu",
    "medicines": "Tab. Zinc 20 mg\nCap. Omeprazole 20 mg",
    "directions": "1-0-0 after food x 10 days\n0-0-1 before bed",
    "prescriber": "Dr. Omondi Mutiso",
}
COPY = {
    "patient_name": "Peter Kamau",
    "prescription_date": "01/07/2025",
    "patient_address": "3 Ngong Road, Nairobi",
    "medicines": "Tab. Hydrochlorothiazide 25 mg\nTab. Iron 5 mg",
    "directions": "1-0-0 x 30 days\n1 tab OD with meals for 2 weeks",
    "prescriber": "Dr. Omondi Mutiso",
}


def clinic_pad(values: dict[str, str], joint: str = "-") -> list[PageText]:
    medicines, directions = values["medicines"].splitlines(), values["directions"].splitlines()
    return parse_layout(
        CLINIC_PAD.format(
            name=values["patient_name"],
            date=values["prescription_date"],
            address=values["patient_address"],
            first=f"{medicines[0]} {joint} {directions[0]}",
            second=f"{medicines[1]} {joint} {directions[1]}",
            prescriber=values["prescriber"],
        )
    )


def test_the_mark_between_two_values_on_each_row_is_learned_for_both() -> None:
    template = learn_layout(engine_reading(clinic_pad(LEARNED), LEARNED), PRESCRIPTION, LEARNED)
    medicines, directions = template.fields["medicines"], template.fields["directions"]
    assert (medicines.row_joint, medicines.row_partner, medicines.row_left) == ("-", "directions", True)
    assert (directions.row_joint, directions.row_partner, directions.row_left) == ("-", "medicines", False)
    assert template.fields["patient_name"].row_joint == ""


def test_a_copy_with_longer_and_shorter_values_is_parted_at_the_mark() -> None:
    template = learn_layout(engine_reading(clinic_pad(LEARNED), LEARNED), PRESCRIPTION, LEARNED)
    pages = clinic_pad(COPY)
    match = match_layout([template], pages)
    assert match is not None
    read = read_fields(match, PRESCRIPTION, pages)
    assert read["medicines"].value == COPY["medicines"]
    assert read["directions"].value == COPY["directions"]


def test_values_with_no_mark_between_them_learn_no_joint() -> None:
    pages = clinic_pad(LEARNED, joint="then")
    template = learn_layout(engine_reading(pages, LEARNED), PRESCRIPTION, LEARNED)
    assert template.fields["directions"].row_joint == ""


def test_a_learned_joint_survives_the_templates_file() -> None:
    template = learn_layout(engine_reading(clinic_pad(LEARNED), LEARNED), PRESCRIPTION, LEARNED)
    again = LayoutTemplate.from_dict(template.to_dict())
    assert again.fields["directions"].row_joint == "-"
    assert again.fields["directions"].row_partner == "medicines"
