"""Learned layouts without OCR: fingerprints, learning, reading and the cross-check, on pages
written as text (tests/layout_text.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from extraction.doctypes import get_document_type
from extraction.layouts import (
    LayoutTemplate,
    TemplateError,
    TemplateStore,
    cross_check,
    learn_layout,
    locate_value,
    match_layout,
    read_fields,
)
from extraction.layouts.anchors import same_word
from extraction.layouts.answers import read_answer
from extraction.layouts.matching import PageSpellings
from extraction.layouts.template import FieldZone
from extraction.structure import PageStructure, SelectionMark
from extraction.types import ExtractionResult, FieldResult, Line, PageText, Word
from extraction.validate import doubts_about
from tests.layout_text import engine_reading, parse_layout

PRESCRIPTION = get_document_type("prescription")

# One clinic's pad: its printed words stay, the values change from copy to copy.
PAD = """
700 150 Riverside Family Clinic
720 200 Outpatient Prescription Form
200 400 Patient name: {name}
1400 400 Date: {date}
200 480 Address: {address}
{more_address}
200 {rx_y} Medication
200 {med_y} {medicine}
200 {sig_y} Directions
200 {dir_y} {directions}
200 {ref_y} Refills: {refills}
200 {doc_y} Prescriber: {prescriber}
200 {sign_y} Signature of prescriber
"""

FIRST = {
    "patient_name": "Maria Lopez",
    "prescription_date": "12/03/2024",
    "patient_address": "4 Elm Road, Springfield",
    "medicines": "Amoxicillin 500 mg",
    "directions": "Take 1 capsule three times daily",
    "refills": "2",
    "prescriber": "Dr. Alan Grant",
}
SECOND = {
    "patient_name": "Tom Baker",
    "prescription_date": "01/07/2025",
    "patient_address": "77 Harbour View Terrace, Kingsport",
    "medicines": "Metformin 850 mg",
    "directions": "Take 1 tablet twice daily with meals",
    "refills": "5",
    "prescriber": "Dr. Ellen Ripley",
}


def pad(values: dict[str, str], dx: int = 0, dy: int = 0, extra_address_line: str = "") -> list[PageText]:
    """The pad filled in with ``values``, moved by (dx, dy); a second address line pushes the
    rows under it down one line, as a form printed by a program flows."""
    step = 80 if extra_address_line else 0
    rows = {
        "rx_y": 600 + step,
        "med_y": 660 + step,
        "sig_y": 760 + step,
        "dir_y": 820 + step,
        "ref_y": 920 + step,
        "doc_y": 1000 + step,
        "sign_y": 1200 + step,
    }
    text = PAD.format(
        name=values["patient_name"],
        date=values["prescription_date"],
        address=values["patient_address"],
        more_address=f"420 560 {extra_address_line}" if extra_address_line else "",
        medicine=values["medicines"],
        directions=values["directions"],
        refills=values["refills"],
        prescriber=values["prescriber"],
        **rows,
    )
    moved = []
    for line in filter(None, text.strip().splitlines()):
        x, y, rest = line.split(" ", 2)
        moved.append(f"{int(x) + dx} {int(y) + dy} {rest}")
    return parse_layout("\n".join(moved))


def learned_pad() -> LayoutTemplate:
    return learn_layout(engine_reading(pad(FIRST), FIRST, wrong=("refills",)), PRESCRIPTION, FIRST)


def test_learning_stores_no_patient_value() -> None:
    stored = json.dumps(learned_pad().to_dict()).lower()
    for value in FIRST.values():
        for token in value.lower().replace(",", " ").split():
            letters = "".join(ch for ch in token if ch.isalpha())
            if len(letters) >= 4:
                assert letters not in stored, token
    printed = {anchor.text for anchor in learned_pad().pages[0].anchors}
    assert not printed & {w.lower().strip(",.") for v in FIRST.values() for w in v.split()}
    assert not any(ch.isdigit() for text in printed for ch in text)


def test_a_label_word_a_value_repeats_is_still_the_forms_print() -> None:
    """ "No known allergies" repeats the form's "Allergies" label and "Summit Care Insurance" its
    "Insurance company": the labels stay anchors, the values' own words do not."""
    values = {
        "patient_name": "Ann Lee",
        "allergies": "No known allergies",
        "insurance_company": "Summit Care Insurance",
    }
    page = parse_layout(
        """
        200 200 Patient name: Ann Lee
        200 300 Allergies
        200 360 No known allergies
        200 460 Insurance company: Summit Care Insurance
        """
    )
    reading = engine_reading(page, values, doc_type="patient_details")
    template = learn_layout(reading, get_document_type("patient_details"), values)
    anchors = [(anchor.text, anchor.box[1]) for anchor in template.pages[0].anchors]
    assert ("allergies", 300) in anchors and ("insurance", 460) in anchors
    printed = [text for text, _ in anchors]
    assert printed.count("allergies") == 1 and printed.count("insurance") == 1
    assert not {"ann", "lee", "known", "summit"} & set(printed)


def test_a_value_misread_past_recognition_is_not_stored_as_print() -> None:
    """Handwriting tesseract read unsurely into other words ("Reithcomycin" for "Amoxicillin")
    cannot be found from the verified value; nor can a filled-in value no field asks for (an
    e-mail address). Neither is kept as the form's print."""
    misread = dict(FIRST, medicines="Reithcomycin@0.14 jo@0.51 mg")
    pages = pad(misread)
    email = (
        Word("Email:", 0.96, (200, 1100, 332, 1140), 90),
        Word("kpeery@yopmail.com", 0.9, (354, 1100, 750, 1140), 90),
    )
    pages = [PageText(0, (*pages[0].lines, Line(email)), pages[0].width, pages[0].height)]
    reading = engine_reading(pages, {k: v for k, v in FIRST.items() if k != "medicines"})
    template = learn_layout(reading, PRESCRIPTION, FIRST)
    printed = {anchor.text for anchor in template.pages[0].anchors}
    assert "medication" in printed and "email" in printed
    assert not printed & {"reithcomycin", "jo", "kpeeryyopmailcom"}


def test_learning_keeps_the_forms_printed_words_and_every_fields_place() -> None:
    template = learned_pad()
    printed = {anchor.text for anchor in template.pages[0].anchors}
    assert {
        "riverside",
        "clinic",
        "patient",
        "medication",
        "directions",
        "prescriber",
        "signature",
    } <= printed
    # refills was read wrong by the engine: its place is found from the verified value.
    assert set(template.fields) == set(FIRST)


@pytest.mark.parametrize(
    ("dx", "dy", "extra"),
    [(0, 0, ""), (60, -45, ""), (-30, 120, "Flat 2, second floor")],
    ids=["same place", "moved", "moved and flowing"],
)
def test_a_copy_of_the_form_matches_and_reads_its_new_values(dx: int, dy: int, extra: str) -> None:
    values = dict(SECOND, patient_address=SECOND["patient_address"] + ("\n" + extra if extra else ""))
    pages = pad(SECOND, dx, dy, extra)
    match = match_layout([learned_pad()], pages)
    assert match is not None and match.score > 0.8
    read = read_fields(match, PRESCRIPTION, pages)
    for name, value in values.items():
        if name == "patient_address" and extra:
            continue  # a single-line field on this pad: its second line is another check
        assert read[name].value == value, name


def test_a_copy_photographed_at_a_slant_matches_and_reads_its_new_values() -> None:
    """A phone photo's perspective moves words across by more the further down they stand
    (here 3 text heights at the foot): words that drifted as far as their neighbours did are
    in place, so the copy matches and every value is read."""
    (page,) = pad(SECOND)
    slant = tuple(Line(tuple(replace(w, box=_slanted(w.box)) for w in line.words)) for line in page.lines)
    pages = [replace(page, lines=slant)]
    match = match_layout([learned_pad()], pages)
    assert match is not None and match.score > 0.8
    read = read_fields(match, PRESCRIPTION, pages)
    for name, value in SECOND.items():
        assert read[name].value == value, name


def _slanted(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    shift = round(0.11 * (box[1] - 150))
    return (box[0] + shift, box[1], box[2] + shift, box[3])


OTHER_FORM = """
200 150 Lakeside Medical Group
200 260 Prescriber: Dr. Ellen Ripley
200 340 Date: 01/07/2025
1300 340 Refills: 5
200 520 Patient name: Tom Baker
200 600 Address: 77 Harbour View Terrace
200 800 Medication
900 800 Directions
200 860 Metformin 850 mg
900 860 Take 1 tablet twice daily
200 1400 Signature of prescriber
"""


def test_another_form_with_the_same_labels_does_not_match() -> None:
    assert match_layout([learned_pad()], parse_layout(OTHER_FORM)) is None


def test_printed_words_read_with_a_slip_are_still_found_in_place() -> None:
    # "Prescrlber", "Signatnre": fax noise in the form's own print, a letter each.
    slipped = PAD.replace("Prescriber:", "Prescrlber:").replace("Signature", "Signatnre")
    slipped = slipped.replace("Outpatient", "0utpatlent").replace("Riverside", "Rlverside")
    pages = parse_layout(
        slipped.format(
            name=SECOND["patient_name"],
            date=SECOND["prescription_date"],
            address=SECOND["patient_address"],
            more_address="",
            medicine=SECOND["medicines"],
            directions=SECOND["directions"],
            refills=SECOND["refills"],
            prescriber=SECOND["prescriber"],
            rx_y=600,
            med_y=660,
            sig_y=760,
            dir_y=820,
            ref_y=920,
            doc_y=1000,
            sign_y=1200,
        )
    )
    exact = match_layout([learned_pad()], pad(SECOND))
    slipped_match = match_layout([learned_pad()], pages)
    assert exact is not None and slipped_match is not None
    assert slipped_match.score == pytest.approx(exact.score)


@pytest.mark.parametrize(
    ("printed", "read", "same"),
    [
        ("formulario", "fonnulario", True),  # "rm" read "nn": 0.8 similar, at the cut-off itself
        ("patient", "paciente", True),  # 0.8 too: a bilingual form's two labels pass for one word
        ("patient", "patlent", True),
        ("medicine", "medicare", False),
        ("date", "dale", False),  # too short to allow a slip
    ],
)
def test_a_printed_word_is_found_however_nearly_it_was_read(printed: str, read: str, same: bool) -> None:
    word = Word(read.capitalize(), 0.9, (10, 10, 90, 30))
    assert same_word(printed, read) is same
    assert PageSpellings([word]).spelled_like(printed) == ([word] if same else [])


def test_the_form_is_told_among_many_learned_forms_of_its_type() -> None:
    # Other clinics' forms print the same labels elsewhere; each is learned like the pad.
    others = []
    for shift in range(1, 25):
        lines = [line.split(" ", 2) for line in OTHER_FORM.strip().splitlines()]
        form = "\n".join(
            f"{int(x) + 13 * shift} {int(y) + (-1) ** shift * 40 * shift} {t}" for x, y, t in lines
        )
        values = dict(SECOND, patient_address="77 Harbour View Terrace")
        others.append(learn_layout(engine_reading(parse_layout(form), values), PRESCRIPTION, values))
    pad_layout = learned_pad()
    match = match_layout([*others[:12], pad_layout, *others[12:]], pad(SECOND, 40, 30))
    assert match is not None and match.template is pad_layout


def test_a_page_with_nothing_of_the_form_does_not_match() -> None:
    assert match_layout([learned_pad()], parse_layout("200 200 Invoice\n200 300 Total due")) is None


def test_a_learned_reading_that_disagrees_is_flagged_and_names_the_other() -> None:
    generic = {
        "refills": FieldResult("2", 0.9, needs_review=True, reason="label only partly matched"),
        "patient_name": FieldResult("Tom Baker", 0.9, needs_review=False),
        "prescriber": FieldResult("Dr. Ellen Ripley", 0.95, needs_review=False),
    }
    learned = {
        "refills": FieldResult("5", 0.9, needs_review=False),
        "patient_name": FieldResult("Tom Baker", 0.8, needs_review=False),
        "prescriber": FieldResult("Dr. Ellen Rip", 0.8, needs_review=False),
    }
    merged = cross_check(generic, learned)
    assert merged["refills"].value == "5" and merged["refills"].needs_review
    assert "'2'" in (merged["refills"].reason or "")
    assert merged["patient_name"].value == "Tom Baker" and not merged["patient_name"].needs_review
    # The generic reading was sure of its value: it stands, flagged, naming the learned one.
    assert merged["prescriber"].value == "Dr. Ellen Ripley" and merged["prescriber"].needs_review
    assert "Dr. Ellen Rip" in (merged["prescriber"].reason or "")


def test_a_learned_area_that_ran_on_into_the_next_value_on_its_row_agrees() -> None:
    """The learned area of the name ran on to the date of birth beside it (an unprinted value
    ends no area): the name read there is the generic one, and no disagreement. A learned
    reading with more of its own words still disagrees."""
    generic = {
        "patient_name": FieldResult("Sean Graham", 0.9, needs_review=False),
        "birth_date": FieldResult("8/11/1958", 0.9, needs_review=False),
        "insurance_company": FieldResult("Northstar Health", 0.9, needs_review=False),
        "address": FieldResult("21 Sycamore Rd\nDenver, CO", 0.9, needs_review=False),
        "emergency_contact_name": FieldResult("Ann Lee", 0.9, needs_review=False),
    }
    learned = {
        "patient_name": FieldResult("Sean Graham 8/11/1958", 0.9, needs_review=False),
        "insurance_company": FieldResult("Northstar Health 21 Sycamore", 0.9, needs_review=False),
        "emergency_contact_name": FieldResult("Ann Lee Smith", 0.9, needs_review=False),
    }
    merged = cross_check(generic, learned)
    assert merged["patient_name"].value == "Sean Graham" and not merged["patient_name"].needs_review
    assert not merged["insurance_company"].needs_review
    assert merged["emergency_contact_name"].needs_review


def test_a_templates_folder_round_trips_and_names_a_bad_file(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path / "layouts")
    assert store.all() == []
    template = learned_pad()
    store.save(template)
    (loaded,) = store.all()
    assert loaded.to_dict() == template.to_dict()
    assert store.delete(template.id) and store.all() == []
    (tmp_path / "layouts" / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.json"):
        store.all()
    with pytest.raises(TemplateError):
        store.get("../../etc/passwd")


def _marks(y: int, xs: tuple[int, int], ticked: int) -> PageStructure:
    return PageStructure(
        marks=tuple(
            SelectionMark((x, y, x + 40, y + 40), "square", i == ticked, "", None, 0.95)
            for i, x in enumerate(xs)
        )
    )


RECORD = get_document_type("patient_details")
CARD = """
200 100 Hilltop Health Centre registration
200 300 Patient name: {name}
200 400 Hepatitis B vaccinated?
1200 360 Yes
1400 360 No
200 500 Known allergies: none
200 600 Signature of patient
"""


def test_an_answer_ticked_in_a_box_is_learned_by_its_boxes_order() -> None:
    first = parse_layout(CARD.format(name="Maria Lopez"))
    verified = {"patient_name": "Maria Lopez", "hepatitis_b_vaccination": "Yes"}
    name_box = locate_value("Maria Lopez", first)
    assert name_box is not None
    fields = {
        "patient_name": FieldResult("Maria Lopez", 0.9, False, page=0, box=name_box[1]),
        "hepatitis_b_vaccination": FieldResult("Yes", 0.9, False, page=0, box=(1200, 360, 1266, 400)),
    }
    result = ExtractionResult(
        "patient_details",
        1.0,
        1,
        300,
        fields,
        page_texts=first,
        page_structures=[_marks(400, (1210, 1410), 0)],
    )
    template = learn_layout(result, RECORD, verified)
    assert [answer for _box, answer in template.fields["hepatitis_b_vaccination"].marks] == ["Yes", "No"]
    second = parse_layout(CARD.format(name="Tom Baker"))
    match = match_layout([template], second)
    assert match is not None
    # The column widened on this copy: the boxes moved right, their order did not.
    read = read_fields(match, RECORD, second, [_marks(400, (1290, 1530), 1)])
    assert read["hepatitis_b_vaccination"].value == "No"
    assert read["patient_name"].value == "Tom Baker"
    untouched = read_fields(match, RECORD, second, [_marks(400, (1290, 1530), -1)])
    assert (
        untouched["hepatitis_b_vaccination"].value == "" and untouched["hepatitis_b_vaccination"].needs_review
    )


GRID = """
200 100 Hilltop Health Centre registration
200 300 Patient name: {name}
1200 500 Immune
1400 500 Not immune
200 600 Varicella
200 700 Measles / MMR
200 800 Signature of patient
"""


def test_grid_answers_are_learned_at_the_row_of_their_own_label() -> None:
    """A grid's answers all give the ticked column's header as their evidence: the header
    does not tell their rows apart, the label at the start of each row does."""
    first = parse_layout(GRID.format(name="Maria Lopez"))
    verified = {"patient_name": "Maria Lopez", "chickenpox": "IMMUNE", "measles": "NOT IMMUNE"}
    name_box = locate_value("Maria Lopez", first)
    assert name_box is not None
    fields = {
        "patient_name": FieldResult("Maria Lopez", 0.9, False, page=0, box=name_box[1]),
        "chickenpox": FieldResult("IMMUNE", 0.9, False, page=0, box=(1200, 500, 1330, 540)),
        "measles": FieldResult("NOT IMMUNE", 0.9, False, page=0, box=(1400, 500, 1600, 540)),
    }
    structure = PageStructure(
        marks=(*_marks(600, (1210, 1410), 0).marks, *_marks(700, (1210, 1410), 1).marks)
    )
    result = ExtractionResult(
        "patient_details", 1.0, 1, 300, fields, page_texts=first, page_structures=[structure]
    )
    template = learn_layout(result, RECORD, verified)
    assert template.fields["chickenpox"].box[1] == 600
    assert template.fields["measles"].box[1] == 700
    assert [answer for _box, answer in template.fields["measles"].marks] == ["IMMUNE", "NOT IMMUNE"]


def test_a_row_of_boxes_slanting_on_a_photo_is_still_read_in_order() -> None:
    """The row's place follows its label, left of the first box; on a photo taken at a slant
    the last box stands lower than the tolerance allows, and the row is still the row."""
    zone = FieldZone(
        0,
        (800, 500, 1300, 530),
        (800, 500, 1300, 530),
        (),
        1,
        marks=(
            ((800, 500, 830, 530), "IMMUNE"),
            ((1000, 500, 1030, 530), "NOT IMMUNE"),
            ((1270, 500, 1300, 530), ""),
        ),
    )
    slanted = PageStructure(
        marks=tuple(
            SelectionMark((x, y, x + 30, y + 30), "square", i == 0, "", None, 0.95)
            for i, (x, y) in enumerate(((800, 510), (1000, 520), (1270, 535)))
        )
    )
    read = read_answer(zone, lambda box: box, slanted, 30.0, 1.0)
    assert (read.value, read.needs_review) == ("IMMUNE", False)


def test_a_learned_row_of_boxes_moves_with_its_question() -> None:
    """The options printed beside the boxes repeat from row to row: the row's first anchor is
    its question's label."""
    first = parse_layout(GRID.format(name="Maria Lopez"))
    verified = {"patient_name": "Maria Lopez", "measles": "NOT IMMUNE"}
    fields = {"measles": FieldResult("NOT IMMUNE", 0.9, False, page=0, box=(1400, 500, 1600, 540))}
    structure = PageStructure(
        marks=(*_marks(600, (1210, 1410), 0).marks, *_marks(700, (1210, 1410), 1).marks)
    )
    result = ExtractionResult(
        "patient_details", 1.0, 1, 300, fields, page_texts=first, page_structures=[structure]
    )
    template = learn_layout(result, RECORD, verified)
    zone = template.fields["measles"]
    assert template.pages[0].anchors[zone.anchors[0]].text == "measles"


def test_one_value_read_twice_keeps_the_generic_text() -> None:
    """The learned area stopped short, or read a digit the generic re-read put right: the
    generic text stands, flagged with the learned one."""
    generic = {
        "medicines": FieldResult("Tramadol 100 mg\nRosuvastatin 5 mg", 0.6, needs_review=True),
        "refills": FieldResult("135", 0.6, needs_review=True),
    }
    learned = {
        "medicines": FieldResult("Tramadol 100 mg", 0.9, needs_review=False),
        "refills": FieldResult("138", 0.9, needs_review=False),
    }
    merged = cross_check(generic, learned)
    assert (
        merged["medicines"].value == "Tramadol 100 mg\nRosuvastatin 5 mg" and merged["medicines"].needs_review
    )
    assert merged["refills"].value == "135" and "'138'" in (merged["refills"].reason or "")


def test_a_broken_layout_file_leaves_the_others_readable(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.save(learned_pad())
    (tmp_path / "half-written.json").write_text('{"format": 1, "id": "x"', encoding="utf-8")
    layouts, errors = store.readable()
    assert [t.id for t in layouts] == [learned_pad().id]
    assert len(errors) == 1 and "half-written.json" in str(errors[0])


def test_a_line_the_generic_reading_ran_on_into_goes_to_the_field_learned_there() -> None:
    """The generic reading took the contact's name, written under the address beside its own
    label, as the address's last line and found no contact name; the learned layout reads the
    name in the contact's place. The line goes to the contact, both flagged."""
    generic = {
        "address": FieldResult("2656 Cherry Drive, Seattle\nJulie Parker", 0.9, needs_review=False),
        "emergency_contact_name": FieldResult("", 0.0, needs_review=True, reason="blank on the document?"),
    }
    learned = {
        "address": FieldResult("2656 Cherry Drive, Seattle", 0.9, needs_review=False),
        "emergency_contact_name": FieldResult("Julie Parker", 0.9, needs_review=False),
    }
    merged = cross_check(generic, learned)
    assert merged["address"].value == "2656 Cherry Drive, Seattle" and merged["address"].needs_review
    assert "Julie Parker" in (merged["address"].reason or "")
    contact = merged["emergency_contact_name"]
    assert contact.value == "Julie Parker" and contact.needs_review


def test_a_line_is_not_claimed_by_a_learned_reading_its_own_field_doubts() -> None:
    """This copy's patient address was left blank, and the learned address area fell on the
    first medicine under it. An address of one line and no town is doubted by its own field, so
    it claims no line: the medicine stays in the list, and the learned address is flagged."""
    prescription = get_document_type("prescription")

    def raised(name: str, value: str) -> set[str]:
        return set(doubts_about(prescription.field(name), value))

    medicines = "Methotrexate 7.5 mg\nMesalamine 0.8 gram\nAllopurinol 300 mg"
    generic = {
        "patient_address": FieldResult("", 0.0, needs_review=True, reason="blank on the document?"),
        "medicines": FieldResult(medicines, 0.9, needs_review=False),
    }
    learned = {
        "patient_address": FieldResult("Methotrexate 7.5 mg", 0.9, needs_review=False),
        "medicines": FieldResult("Mesalamine 0.8 gram\nAllopurinol 300 mg", 0.9, needs_review=False),
    }
    assert raised("patient_address", "Methotrexate 7.5 mg")
    merged = cross_check(generic, learned, doubts=raised)
    assert merged["medicines"].value == medicines
    assert merged["patient_address"].needs_review
    # Without the doubt, the line would go to the address: the guard is what keeps it.
    claimed = cross_check({name: replace(field) for name, field in generic.items()}, learned)
    assert claimed["medicines"].value != medicines


def test_a_learned_area_run_on_into_the_next_column_s_label_leaves_the_generic_value() -> None:
    """On this copy the learned area of the medical problems reached the next column: "Eczema
    Allergies (drug/food) Latex". What it holds besides the generic "Eczema" is mostly the
    form's print: the generic value stands, flagged with the learned reading."""
    generic = {
        "medical_problems": FieldResult("Eczema", 0.9, needs_review=True, reason="read on from a label")
    }
    learned = {"medical_problems": FieldResult("Eczema Allergies (drug/food) Latex", 0.9, needs_review=False)}
    printed = frozenset({"allergies", "drugfood", "medical", "conditions"})
    merged = cross_check(generic, learned, printed)
    assert merged["medical_problems"].value == "Eczema"
    assert "Allergies (drug/food)" in (merged["medical_problems"].reason or "")
    # A learned value holding more of the patient's words is taken, flagged.
    longer = {"medical_problems": FieldResult("Eczema, asthma", 0.9, needs_review=False)}
    generic = {
        "medical_problems": FieldResult("Eczema", 0.9, needs_review=True, reason="read on from a label")
    }
    assert cross_check(generic, longer, printed)["medical_problems"].value == "Eczema, asthma"
