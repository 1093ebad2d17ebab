"""What bounds a learned value: a column header is no row of the value under it, a value
made of the form's own print is flagged whatever the learned layout read, and what learning
cannot place (a short value standing twice, a loop round an answer) is left unlearned; other
writing on a value's row (no field's) ends its area."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.layouts import (
    cross_check,
    learn_layout,
    locate_value,
    match_layout,
    option_fields,
    read_fields,
)
from extraction.layouts.crosscheck import LABEL_ELSEWHERE
from extraction.layouts.rows import rows_of_lines
from extraction.structure import PageStructure, SelectionMark
from extraction.types import ExtractionResult, FieldResult, Line, PageText, Word
from extraction.validate import check_value, doubts_about
from tests.layout_text import engine_reading, parse_layout

PRESCRIPTION = get_document_type("prescription")


def _line(words: list[Word]) -> Line:
    return Line(tuple(words))


def _word(text: str, x: int, top: int, bottom: int) -> Word:
    return Word(text, 0.95, (x, top, x + 22 * len(text), bottom), 0)


# A grid's header row, and under it the first row whose directions cell OCR read tall (its
# box reaches up into the header by a third of the header's height), as on a scanned grid form.
HEADER = [_word("Drug", 258, 714, 755), _word("name", 370, 714, 755)]
FREQUENCY = [_word("Frequency", 990, 711, 757)]
TALL_CELL = [_word("1/2", 994, 741, 817), _word("tab", 1080, 741, 817), _word("daily", 1170, 741, 817)]
FIRST_ROW = [_word("Duloxetine", 273, 768, 809), _word("60", 746, 769, 817), _word("mg", 810, 769, 817)]


def test_a_tall_cell_does_not_chain_a_column_header_into_the_row_under_it() -> None:
    pieces = [(words, _line(words).box) for words in (HEADER, FREQUENCY, TALL_CELL, FIRST_ROW)]
    rows = rows_of_lines(pieces)
    texts = [" ".join(w.text for w in row) for row in rows]
    assert texts == ["Drug name Frequency", "Duloxetine 60 mg 1/2 tab daily"]


def test_a_header_over_a_learned_list_is_learned_as_print_not_as_part_of_the_value() -> None:
    """The medicines' box, learned from the rows their words were found in, stays under the
    header: "Drug" and "name" are the form's words, which a new copy's reading leaves out."""
    second = [_word("Metformin", 273, 839, 878), _word("500", 748, 840, 878), _word("mg", 840, 840, 878)]
    page = PageText(
        index=0,
        lines=tuple(_line(w) for w in (HEADER, FREQUENCY, TALL_CELL, FIRST_ROW, second)),
        width=2550,
        height=3300,
    )
    value = "Duloxetine 60 mg\nMetformin 500 mg"
    found = locate_value(value, [page])
    assert found is not None
    fields = {"medicines": FieldResult(value, 0.9, False, page=0, box=found[1])}
    result = ExtractionResult("prescription", 1.0, 1, 300, fields, page_texts=[page])
    template = learn_layout(result, PRESCRIPTION, {"medicines": value})
    assert {"drug", "name"} <= {a.text for a in template.pages[0].anchors}
    assert template.fields["medicines"].box[1] >= 768


def test_a_value_of_the_forms_own_words_is_flagged_though_the_layout_did_not_learn_its_field() -> None:
    """The generic reading took the form's instruction line for the patient's name (the name
    is written in boxes the layout did not learn): the form prints those words, so it is
    flagged. A printed answer chosen from the form's options is not."""
    printed = frozenset({"please", "print", "clearly", "all", "information", "is", "kept", "yes", "no"})
    generic = {
        "patient_name": FieldResult("Please print clearly. All information is kept", 0.9, False),
        "prescriber": FieldResult("Dr Ann Lee", 0.9, False),
    }
    merged = cross_check(generic, {}, printed)
    assert merged["patient_name"].needs_review
    assert "the form prints these words" in (merged["patient_name"].reason or "")
    assert not merged["prescriber"].needs_review

    record = get_document_type("patient_details")
    answers = option_fields(record)
    assert "hepatitis_b_vaccination" in answers
    ticked = {"hepatitis_b_vaccination": FieldResult("Yes", 0.9, False)}
    assert not cross_check(ticked, {}, printed, options=answers)["hepatitis_b_vaccination"].needs_review


def test_a_value_sharing_one_word_with_the_print_is_not_flagged() -> None:
    """The label prints "Insurance"; "Health Insurance" is still a company's name."""
    generic = {"insurance_company": FieldResult("Health Insurance", 0.9, False)}
    merged = cross_check(generic, {}, frozenset({"insurance", "company"}))
    assert not merged["insurance_company"].needs_review


def test_an_answer_ticked_where_the_layout_has_it_may_be_another_questions_answer_too() -> None:
    """Chicken pox and measles both "IMMUNE": the learned box's answer is no other field's
    value read in the wrong place, and it replaces the generic reading that failed its check."""
    record = get_document_type("patient_details")
    generic = {
        "chickenpox": FieldResult("IMMUNE", 0.9, False),
        "measles": FieldResult("Had it/immune", 0.6, True, reason="not IMMUNE / NOT IMMUNE"),
    }
    learned = {"measles": FieldResult("IMMUNE", 0.9, False)}
    merged = cross_check(generic, learned, options=option_fields(record))
    assert merged["measles"].value == "IMMUNE"
    assert merged["measles"].needs_review


def test_a_learned_area_holding_one_line_of_another_field_s_list_keeps_the_blank() -> None:
    """This copy left the address blank and the medicine list moved up into the address's
    learned area: its first medicine is the medicines' value, not the address."""
    generic = {
        "patient_address": FieldResult("", 0.0, True, reason="blank on the document? please confirm"),
        "medicines": FieldResult("Ondansetron 8 mg\nTramadol 50 mg", 0.9, False),
    }
    learned = {"patient_address": FieldResult("Ondansetron 8 mg", 0.9, False)}
    merged = cross_check(generic, learned)
    assert merged["patient_address"].value == ""
    assert "another field's value" in (merged["patient_address"].reason or "")


def test_a_value_another_field_holds_against_its_check_is_no_claim_on_it() -> None:
    """The generic reading took the policy number for the answer to "Insured?" (no yes/no
    answer) and left the policy blank; the learned layout reads the number where the policy
    stands and "Yes" where the answer is ticked. The number is the policy's, flagged."""
    record = get_document_type("patient_details")

    def checked(name: str, value: str) -> bool:
        return check_value(record.field(name), value) is None

    generic = {
        "policy_number": FieldResult("", 0.0, True, reason="blank on the document? please confirm"),
        "has_medical_insurance": FieldResult("94526432321", 0.5, True, reason="must be one of: Yes, No"),
    }
    learned = {
        "policy_number": FieldResult("94526432321", 0.9, False),
        "has_medical_insurance": FieldResult("Yes", 0.9, False),
    }
    merged = cross_check(generic, learned, valid=checked, options=option_fields(record))
    assert merged["policy_number"].value == "94526432321"
    assert merged["policy_number"].needs_review
    assert merged["has_medical_insurance"].value == "Yes"
    # A value the other field holds and passes its check stays that field's.
    generic["has_medical_insurance"] = FieldResult("Yes", 0.9, False)
    generic["insurance_company"] = FieldResult("94526432321", 0.9, False)
    merged = cross_check(generic, learned, valid=checked, options=option_fields(record))
    assert merged["policy_number"].value == ""
    assert "another field's value" in (merged["policy_number"].reason or "")


# An address written in parts: the street beside the section's label, each part's name
# printed small under it.
PARTS = """
200 100 Oak Park Medical Group patient record
200 300 SURNAME: {surname}
200 866 ADDRESS:  {street}
400 913 Street
200 957 {town}
200 999 Town/City
200 1100 OCCUPATION: Clerk
"""


def test_a_value_beside_its_label_on_a_form_with_part_names_under_its_lines_is_read_whole() -> None:
    record = get_document_type("patient_details")
    first = {"address": "1186 Meadow Dr\nSalt Lake City UT 84199"}
    pages = parse_layout(
        PARTS.format(surname="Hunter", street="1186 Meadow Dr", town="Salt Lake City UT 84199")
    )
    found = locate_value(first["address"], pages)
    assert found is not None
    fields = {"address": FieldResult(first["address"], 0.9, False, page=0, box=found[1])}
    result = ExtractionResult("patient_details", 1.0, 1, 300, fields, page_texts=pages)
    template = learn_layout(result, record, first)
    assert "address" not in template.fields["address"].interleaved
    new = parse_layout(PARTS.format(surname="Cox", street="32 Adams Blvd", town="Albany New York 12290"))
    match = match_layout([template], new)
    assert match is not None
    assert read_fields(match, record, new)["address"].value == "32 Adams Blvd\nAlbany New York 12290"


# A grid form: its medicines numbered 1, 2 in the table, the refill count in a cell below.
GRID = """
200 100 Westbrook Medical Center prescription form
200 300 PATIENT: {name}
200 500 #  Medication
200 560 1  {first}
200 620 2  {second}
200 800 REFILLS  {refills}
200 900 SIGNATURE
"""


def test_a_short_value_that_also_stands_elsewhere_is_not_learned_by_its_spelling() -> None:
    """The engine missed the refill count "2", and "2" also numbers a medicine's row: which
    of the two is the count is not known, so refills is left to the generic reading rather
    than learned on the row number (every later copy would read "2")."""
    values = {"patient_name": "Amy Nelson", "refills": "2"}
    pages = parse_layout(GRID.format(name="Amy Nelson", first="Omeprazole", second="Meloxicam", refills="2"))
    name = locate_value("Amy Nelson", pages)
    assert name is not None
    fields = {
        "patient_name": FieldResult("Amy Nelson", 0.9, False, page=0, box=name[1]),
        "refills": FieldResult("", 0.0, True),
    }
    result = ExtractionResult("prescription", 1.0, 1, 300, fields, page_texts=pages)
    template = learn_layout(result, PRESCRIPTION, values)
    assert "refills" not in template.fields and "patient_name" in template.fields
    assert locate_value("2", pages) is None
    assert locate_value("Meloxicam", pages) is not None

    # Where the engine read the count, its box says which "2" it is.
    refills_box = (200 + 22 * 9, 800, 200 + 22 * 10, 840)
    fields["refills"] = FieldResult("2", 0.9, False, page=0, box=refills_box)
    result = ExtractionResult("prescription", 1.0, 1, 300, fields, page_texts=pages)
    assert learn_layout(result, PRESCRIPTION, values).fields["refills"].box[1] == 800


CIRCLED = """
200 100 Lakeside Medical Group intake form
200 300 Pt. name: {name}
200 500 Chickenpox:
1200 500 Had it / immune
1700 500 Not immune
200 700 Signature
"""


def test_a_loop_round_the_chosen_answer_is_not_learned_as_a_box_to_tick() -> None:
    """The learned copy had "Had it / immune" circled. On the next copy the loop is round
    "Not immune": the loop's place is that of the answer chosen, so it is not learned (the
    generic reading reads the words inside it)."""
    record = get_document_type("patient_details")
    pages = parse_layout(CIRCLED.format(name="Kyle Adams"))
    ring = SelectionMark((1180, 490, 1560, 550), "ring", True, "Had it / immune", None, 0.9)
    fields = {"chickenpox": FieldResult("IMMUNE", 0.9, False, page=0, box=(1200, 500, 1530, 540))}
    result = ExtractionResult(
        "patient_details",
        1.0,
        1,
        300,
        fields,
        page_texts=pages,
        page_structures=[PageStructure(marks=(ring,))],
    )
    template = learn_layout(result, record, {"chickenpox": "IMMUNE"})
    assert "chickenpox" not in template.fields


def test_a_learned_area_holding_only_the_forms_print_is_read_as_empty() -> None:
    """A register that flowed moved its "COVERAGE END DATE" label into the area where the
    learned copy had the date; this copy left the date blank. The label is no value: the
    generic reading's blank stands."""
    generic = {"insurance_expiry": FieldResult("", 0.0, True, reason="blank on the document?")}
    learned = {"insurance_expiry": FieldResult("COVERAGE END DATE", 0.8, True)}
    printed = frozenset({"coverage", "end", "date", "policy"})
    merged = cross_check(generic, learned, printed)
    assert merged["insurance_expiry"].value == "" and merged["insurance_expiry"].needs_review


def test_a_short_value_found_by_its_spelling_is_learned_only_beside_its_label() -> None:
    """OCR missed the refill count; the verified "2" is spelled once on the page, by the
    second medicine's row number, far from "REFILLS": that is not where the count sits. A
    count of 5 beside "REFILLS" is learned by its spelling although the engine missed it."""
    missed = {"refills": FieldResult("", 0.0, True)}
    pages = parse_layout(GRID.format(name="Amy Nelson", first="Omeprazole", second="Meloxicam", refills=""))
    result = ExtractionResult("prescription", 1.0, 1, 300, dict(missed), page_texts=pages)
    assert "refills" not in learn_layout(result, PRESCRIPTION, {"refills": "2"}).fields

    pages = parse_layout(GRID.format(name="Amy Nelson", first="Omeprazole", second="Meloxicam", refills="5"))
    result = ExtractionResult("prescription", 1.0, 1, 300, dict(missed), page_texts=pages)
    assert learn_layout(result, PRESCRIPTION, {"refills": "5"}).fields["refills"].box[1] == 800


def test_one_place_read_twice_keeps_the_generic_text_however_far_the_readings_differ() -> None:
    """A shadowed name: the generic reading read it again and got "Carol Gomez", the learned
    area's words are the first reading "Gpcol Gowez". Both come from one place, so the
    generic text stands, flagged with the other."""
    generic = {"patient_name": FieldResult("Carol Gomez", 0.6, True, page=0, box=(300, 400, 560, 440))}
    learned = {"patient_name": FieldResult("Gpcol Gowez", 0.8, False, page=0, box=(302, 398, 566, 441))}
    merged = cross_check(generic, learned)
    assert merged["patient_name"].value == "Carol Gomez" and merged["patient_name"].needs_review
    assert "'Gpcol Gowez'" in (merged["patient_name"].reason or "")

    elsewhere = {"patient_name": FieldResult("Gpcol Gowez", 0.8, False, page=0, box=(300, 900, 560, 940))}
    assert cross_check(generic, elsewhere)["patient_name"].value == "Gpcol Gowez"


CONTACT_FORM = """
700 150 Lakeside Family Practice
200 400 Patient name: {name}
200 600 In Case of Emergency
200 680 {contact}
1200 680 {contact_address}
200 900 Signature
"""


def contact_form(name: str, contact: str, contact_address: str) -> list[PageText]:
    return parse_layout(CONTACT_FORM.format(name=name, contact=contact, contact_address=contact_address))


def test_other_writing_on_a_values_row_bounds_its_area() -> None:
    """Beside the emergency contact's name the form asks for the contact's address, which is no
    field: on the learned copy it was written there, so a copy's contact name is read without
    the start of the address beside it."""
    record = get_document_type("patient_details")
    first = {"patient_name": "Maria Lopez", "emergency_contact_name": "Nicole Peterson"}
    pages = contact_form("Maria Lopez", "Nicole Peterson", "9 Harbour Way")
    template = learn_layout(engine_reading(pages, first, doc_type="patient_details"), record, first)
    copy = contact_form("Tom Baker", "Ann Lee", "14 Union Rd")
    match = match_layout([template], copy)
    assert match is not None
    assert read_fields(match, record, copy)["emergency_contact_name"].value == "Ann Lee"


FLOWING_FORM = """
200 150 Northside Family Clinic
200 400 Emergency contact
200 460 {contact}
1200 400 Contact address
1200 460 {street}
1200 520 {town}
{country}
200 560 Home phone
200 620 {phone}
200 900 Signature
"""


def flowing_form(contact: str, street: str, town: str, phone: str, country: str = "") -> list[PageText]:
    return parse_layout(
        FLOWING_FORM.format(
            contact=contact,
            street=street,
            town=town,
            phone=phone,
            country=f"1200 585 {country}" if country else "",
        )
    )


def test_a_one_line_value_is_read_from_the_row_where_it_was_learned() -> None:
    """A copy whose contact address (no field) has one line more: its last line reaches into
    the phone's area, just above the phone. The phone is read from the row where it stood on
    the learned copy, beside its place, not from the first row in its area."""
    record = get_document_type("patient_details")
    first = {"emergency_contact_name": "Nicole Peterson", "emergency_contact_phone": "(370)-514-2211"}
    pages = flowing_form("Nicole Peterson", "14 Union Rd", "Phoenix, AZ", "(370)-514-2211")
    template = learn_layout(engine_reading(pages, first, doc_type="patient_details"), record, first)
    copy = flowing_form("Ann Lee", "9 Harbour Way", "Austin, TX", "(652)-509-2168", "United States")
    match = match_layout([template], copy)
    assert match is not None
    assert read_fields(match, record, copy)["emergency_contact_phone"].value == "(652)-509-2168"


def test_a_layout_that_lost_its_place_says_nothing_of_the_value() -> None:
    """A learned area found empty flags the generic value, unless the field's label is not
    where the layout learned it: then the layout has lost its place there, not found a blank."""
    lost = FieldResult("", 0.0, False)
    lost.flag(LABEL_ELSEWHERE)
    merged = cross_check({"refills": FieldResult("2", 0.9, False)}, {"refills": lost})
    assert not merged["refills"].needs_review
    merged = cross_check({"refills": FieldResult("2", 0.9, False)}, {"refills": FieldResult("", 0.0, False)})
    assert merged["refills"].needs_review


DISPENSED = """
200 150 Oakwood Family Clinic
200 400 Directions
200 460 {first}
260 520 #{first_count}
200 580 {second}
260 640 #{second_count}
200 900 Signature of prescriber
"""


def test_numbers_written_between_a_values_lines_on_the_learned_copy_are_left_out() -> None:
    """Under each direction the prescriber writes the count dispensed ("#14"), no part of the
    directions: learned as a shape between the value's lines ("#d", no number kept), such a
    line is left out of a copy's directions."""
    first = {"directions": "Take 1 tablet daily\nTake 2 capsules at night"}
    pages = parse_layout(
        DISPENSED.format(
            first="Take 1 tablet daily", first_count=14, second="Take 2 capsules at night", second_count=7
        )
    )
    template = learn_layout(engine_reading(pages, first), PRESCRIPTION, first)
    assert template.fields["directions"].interleaved_numbers == ("#d",)
    copy = parse_layout(
        DISPENSED.format(
            first="Use 1 puff twice a day", first_count=30, second="Take 1 tablet at bedtime", second_count=10
        )
    )
    match = match_layout([template], copy)
    assert match is not None
    read = read_fields(match, PRESCRIPTION, copy)["directions"]
    assert read.value == "Use 1 puff twice a day\nTake 1 tablet at bedtime"


def test_a_learned_list_raising_a_doubt_the_generic_one_does_not_leaves_the_generic_reading() -> None:
    """This copy's "Dispense:" label went unread, so the learned area of the directions took its
    "#90" for a line and stopped before the third direction; the generic reading, flagged for
    its low confidence but checked whole, stands, flagged with the learned reading."""
    prescription = get_document_type("prescription")

    def checked(name: str, value: str) -> bool:
        return check_value(prescription.field(name), value) is None

    def raised(name: str, value: str) -> set[str]:
        return set(doubts_about(prescription.field(name), value))

    whole = "Use 2 ml every 12 hours for 1 month\nTake 2 pill twice daily for 1 month\ntake 2 ml once daily"
    generic = {"directions": FieldResult(whole, 0.6, True, reason="OCR confidence 60%")}
    learned = {
        "directions": FieldResult(
            "Use 2 ml every 12 hours for 1 month\n#90\nTake 2 pill twice daily for 1 month", 0.9, False
        )
    }
    merged = cross_check(generic, learned, valid=checked, lists=frozenset({"directions"}), doubts=raised)
    assert merged["directions"].value == whole
    assert "the learned layout reads" in (merged["directions"].reason or "")
    # Without a doubt to tell them apart, the learned reading is taken, flagged.
    merged = cross_check(
        {"directions": FieldResult(whole, 0.6, True, reason="OCR confidence 60%")},
        learned,
        valid=checked,
        lists=frozenset({"directions"}),
    )
    assert merged["directions"].value.startswith("Use 2 ml every 12 hours for 1 month\n#90")
