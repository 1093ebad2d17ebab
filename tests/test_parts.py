"""Fields asked for in parts (Last | First | M.I. boxes; Street / City / State / ZIP lines):
each part read under its own label and the field put together from them, flagged."""

from __future__ import annotations

import pytest

from extraction.doctypes import FieldPart, FieldSpec, get_document_type
from extraction.fields import extract_fields
from extraction.part_values import fill_parts
from extraction.types import Line, PageText, Word
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")


@pytest.mark.parametrize(
    ("parts", "filled"),
    [
        ({"given": "Mary", "middle": "J.", "family": "Rossi"}, "Mary J. Rossi"),
        ({"given": "Mary", "family": "Rossi"}, "Mary Rossi"),
        ({"family": "Rossi"}, "Rossi"),
    ],
)
def test_a_name_is_filled_in_from_the_parts_read(parts: dict[str, str], filled: str) -> None:
    assert fill_parts("{given} {middle} {family}", parts) == filled


def test_a_phone_without_its_area_code_keeps_no_empty_brackets() -> None:
    assert fill_parts("({area}) {number}", {"number": "286-8130"}) == "286-8130"
    assert fill_parts("({area}) {number}", {"area": "324", "number": "286-8130"}) == "(324) 286-8130"


@pytest.mark.parametrize(
    ("parts", "filled"),
    [
        (
            {"street": "4109 Birch Street", "city": "Detroit", "state": "MI", "zip": "48274"},
            "4109 Birch Street\nDetroit, MI 48274",
        ),
        (
            {"street": "4109 Birch Street", "city": "Detroit", "zip": "48274"},
            "4109 Birch Street\nDetroit, 48274",
        ),
        ({"city": "Detroit", "state": "MI", "country": "United States"}, "Detroit, MI\nUnited States"),
    ],
)
def test_an_address_keeps_its_lines_and_drops_what_a_missing_part_leaves(
    parts: dict[str, str], filled: str
) -> None:
    assert fill_parts("{street}\n{city}, {state} {zip}\n{country}", parts) == filled


NAME_IN_PARTS = """
300 300 Patient Intake Form
300 420 Last name: Rossi
1000 420 First name: Mary
300 520 Date of birth: 15/10/1966
"""


def test_a_name_asked_for_in_parts_is_put_together_and_flagged() -> None:
    name = extract_fields(PATIENT, parse_layout(NAME_IN_PARTS), 0.8)["patient_name"]
    assert name.value == "Mary Rossi"
    assert name.needs_review and "put together from its parts" in (name.reason or "")
    assert name.box is not None


ADDRESS_IN_PARTS = """
300 300 Patient Intake Form
300 420 Patient name: Mary Rossi
300 520 Address: 4109 Birch Street
300 600 City: Detroit
900 600 State: MI
1300 600 ZIP: 48274
"""


def test_an_address_over_its_street_takes_the_town_from_its_parts() -> None:
    address = extract_fields(PATIENT, parse_layout(ADDRESS_IN_PARTS), 0.8)["address"]
    assert address.value == "4109 Birch Street\nDetroit, MI 48274"
    assert address.needs_review


def test_a_clinic_named_for_a_saint_gives_no_part_of_the_address() -> None:
    # "St." opens clinics' names ("St. Anne's Medical Group") as often as it names a state.
    text = "300 200 St. Anne's Medical Group\n300 420 Patient name: Mary Rossi\n"
    text += "300 520 Address: 4109 Birch Street, Detroit, MI\n"
    address = extract_fields(PATIENT, parse_layout(text), 0.8)["address"]
    assert address.value == "4109 Birch Street, Detroit, MI"


def test_a_state_labelled_st_is_read_as_a_part_where_st_is_a_label() -> None:
    # "St" names the state where it is a label of its own, with its colon or alone on its line;
    # "St. Anne's" in the same page's header still gives no part (see the test above).
    text = "300 200 St. Anne's Medical Group\n" + ADDRESS_IN_PARTS.replace("State: MI", "St: MI")
    address = extract_fields(PATIENT, parse_layout(text), 0.8)["address"]
    assert address.value == "4109 Birch Street\nDetroit, MI 48274"


PHONE_WITH_AREA_CODE_APART = """
300 300 Patient Intake Form
300 420 Patient name: Mary Rossi
300 520 Area code: 324
700 520 Phone: 286-8130
"""


@pytest.mark.parametrize("area_label", ["Area code", "Code"])
def test_a_phone_with_its_area_code_boxed_apart_is_put_together_and_flagged(area_label: str) -> None:
    text = PHONE_WITH_AREA_CODE_APART.replace("Area code:", f"{area_label}:")
    phone = extract_fields(PATIENT, parse_layout(text), 0.8)["phone_number"]
    assert phone.value == "(324) 286-8130"
    assert phone.needs_review and "put together from its parts" in (phone.reason or "")


def test_a_whole_phone_keeps_its_own_area_code() -> None:
    text = PHONE_WITH_AREA_CODE_APART.replace("Phone: 286-8130", "Phone: (737) 988-0851")
    assert extract_fields(PATIENT, parse_layout(text), 0.8)["phone_number"].value == "(737) 988-0851"


# Two phones each with its area code boxed apart: the Area code labels are alike, and each box
# belongs to the phone printed beside it, whichever field assignment gave it to.
TWO_PHONES_WITH_AREA_CODES_APART = """
300 300 Patient Intake Form
300 420 Patient name: Mary Rossi
300 520 Area code: 324
700 520 Phone: 286-8130
300 800 In Case of Emergency
300 880 Contact name: Ann Rossi
300 960 Area code: 517
700 960 Contact phone: 555-0199
"""


def test_each_phone_takes_the_area_code_printed_beside_it() -> None:
    fields = extract_fields(PATIENT, parse_layout(TWO_PHONES_WITH_AREA_CODES_APART), 0.8)
    assert fields["phone_number"].value == "(324) 286-8130"
    assert fields["emergency_contact_phone"].value == "(517) 555-0199"
    assert fields["emergency_contact_phone"].needs_review


def test_an_area_code_beside_another_phone_is_not_taken_by_a_phone_not_found() -> None:
    text = TWO_PHONES_WITH_AREA_CODES_APART.replace("300 520 Area code: 324\n700 520 Phone: 286-8130\n", "")
    fields = extract_fields(PATIENT, parse_layout(text), 0.8)
    assert fields["emergency_contact_phone"].value == "(517) 555-0199"
    assert fields["phone_number"].value == ""


def test_an_area_code_beside_a_phone_read_blank_is_not_given_to_the_other_phone() -> None:
    # The patient's phone number was not read, but its label stands beside the area code box.
    text = TWO_PHONES_WITH_AREA_CODES_APART.replace("300 960 Area code: 517\n", "").replace(
        "700 520 Phone: 286-8130", "700 520 Phone:"
    )
    fields = extract_fields(PATIENT, parse_layout(text), 0.8)
    assert fields["emergency_contact_phone"].value == "555-0199"


def test_a_number_misread_under_one_phone_s_label_is_not_given_to_the_other_phone() -> None:
    # The patient's number, written in boxes, read as garbage under its own label ("Phone
    # number"); the emergency phone's area code boxed apart beside it. The number part read
    # under "Phone number" is the patient's, however far the emergency phone stands.
    text = TWO_PHONES_WITH_AREA_CODES_APART.replace("300 520 Area code: 324\n", "").replace(
        "700 520 Phone: 286-8130", "300 520 Phone number: (1614l6)),4l8)6j-,6)"
    )
    fields = extract_fields(PATIENT, parse_layout(text), 0.8)
    assert fields["emergency_contact_phone"].value == "(517) 555-0199"
    assert fields["phone_number"].needs_review


WHOLE_NAME_AND_A_CONTACTS_PARTS = """
300 300 Patient Intake Form
300 420 Patient name: John Smith
300 520 Date of birth: 15/10/1966
300 700 Emergency contact
300 780 Last name: Perry
1000 780 First name: Ann
"""


def test_a_name_read_whole_is_not_replaced_by_parts_printed_elsewhere() -> None:
    name = extract_fields(PATIENT, parse_layout(WHOLE_NAME_AND_A_CONTACTS_PARTS), 0.8)["patient_name"]
    assert name.value == "John Smith"


def test_a_parts_format_must_name_the_parts_and_only_them() -> None:
    parts = (FieldPart("given", ("First name",)), FieldPart("family", ("Last name",)))
    FieldSpec(name="n", label="N", labels=("Name",), parts=parts, parts_format="{given} {family}")
    with pytest.raises(ValueError, match="parts_format"):
        FieldSpec(name="n", label="N", labels=("Name",), parts=parts, parts_format="{given} {surname}")
    with pytest.raises(ValueError, match="parts_format"):
        FieldSpec(name="n", label="N", labels=("Name",), parts=parts)


# A date of birth in comb groups and a phone in "( ___ ) ___ - ____" blanks: each group is read
# as a line of its own; the printed brackets and dash are often not read at all.
PIECES = """
300 300 Patient Intake Form
300 420 Birth date:
700 420 29
850 420 04
1000 420 1968
300 520 Home phone:
700 520 652
900 520 724
1100 520 3582
300 620 Weight in kg:
700 620 73
900 620 12
"""


def test_a_date_and_a_phone_written_in_pieces_along_their_row_are_read_whole() -> None:
    fields = extract_fields(PATIENT, parse_layout(PIECES), 0.8)
    assert fields["birth_date"].value == "29/04/1968"
    assert fields["phone_number"].value == "(652) 724-3582"
    assert fields["phone_number"].box is not None and fields["phone_number"].box[2] >= 1100
    # Numbers on one row that make no value of the field stay apart.
    assert fields["weight"].value == "73"


def test_a_dash_alone_and_a_misreading_over_a_piece_do_not_end_a_phone_in_pieces() -> None:
    """A shadowed page: the dash between the groups read as a line of its own, and the rule under
    the middle group read again as a word over that group's end ("Zot")."""
    rows = [
        [("Patient", 300), ("Intake", 476), ("Form", 630)],
        [("Home", 300), ("phone:", 410)],
        [("652", 700)],
        [("724", 900)],
        [("Zot", 950)],
        [("-", 1010)],
        [("3582", 1100)],
    ]
    lines = []
    for number, row in enumerate(rows):
        y = 300 if number == 0 else 520
        words = [
            Word(t, 0.29 if t == "Zot" else 0.96, (x, y, x + 22 * len(t), y + 40), number) for t, x in row
        ]
        lines.append(Line(tuple(words)))
    page = PageText(index=0, lines=tuple(lines), width=2550, height=3300)
    assert extract_fields(PATIENT, [page], 0.8)["phone_number"].value == "(652) 724-3582"


def test_pieces_that_make_no_date_are_not_joined() -> None:
    page = parse_layout(
        "300 300 Patient Intake Form\n300 420 Birth date:\n700 420 29\n850 420 4\n1000 420 77"
    )
    assert extract_fields(PATIENT, page, 0.8)["birth_date"].value == "29"


# The name's parts named by captions in brackets under their lines, the row opened by the
# field's own label: the family name beside "Pt. name" is the name's and its part's both.
CAPTIONED = """
300 300 Patient Intake Form
300 420 Pt. name  Adams
1200 420 Kyle J.
420 480 (Last)
1200 480 (First)
300 620 Date of birth: 15/10/1966
"""


def test_a_name_over_captions_is_put_together_from_its_parts() -> None:
    name = extract_fields(PATIENT, parse_layout(CAPTIONED), 0.8)["patient_name"]
    assert name.value == "Kyle J. Adams"
    assert name.needs_review and "put together from its parts" in (name.reason or "")


# The address's parts named by captions under their lines, one of them printed "Town/City"
# where the form's vocabulary has "City/Town".
ADDRESS_CAPTIONED = """
300 300 Patient Intake Form
300 420 Home address  73 Valley Drive
300 560 Jersey City
1000 560 NJ
1300 560 07302
300 620 (Town/City)
1000 620 (State)
1300 620 (ZIP code)
"""


def test_an_address_over_captions_is_put_together_from_its_parts() -> None:
    address = extract_fields(PATIENT, parse_layout(ADDRESS_CAPTIONED), 0.8)["address"]
    assert address.value == "73 Valley Drive\nJersey City, NJ 07302"
    assert address.needs_review


def test_a_middle_initial_labelled_middle_alone_is_a_part_of_the_name() -> None:
    layout = """
300 300 Patient Information Form
300 420 Surname: Watson
300 480 First: Barbara
300 540 Middle: M.
300 620 Date of birth: 15/10/1966
"""
    name = extract_fields(PATIENT, parse_layout(layout), 0.8)["patient_name"]
    assert name.value == "Barbara M. Watson"


@pytest.mark.parametrize(
    ("first", "rest", "phone"),
    [
        ("(629)49", "2-8474", "(629) 492-8474"),  # the gap fell inside the exchange's digits
        ("(629)", "492-8474", "(629) 492-8474"),
        ("629-49", "2-8474", "(629) 492-8474"),
    ],
)
def test_a_phone_cut_by_a_gap_inside_a_group_is_read_whole(first: str, rest: str, phone: str) -> None:
    page = parse_layout(
        f"""
        300 300 Patient Intake Form
        300 520 Home phone: {first}
        {564 + 22 * len(first) + 150} 520 {rest}
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["phone_number"].value == phone


def test_digits_on_a_phone_s_row_that_make_no_ten_digit_number_stay_apart() -> None:
    page = parse_layout(
        """
        300 300 Patient Intake Form
        300 520 Home phone: (629)49
        800 520 2-847
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["phone_number"].value != "(629) 492-847"
