"""The second reader (RapidOCR's PP-OCR recognizer) and the engine's second look.

The reader runs its real model, shipped in the wheel, on handwriting drawn with the generator's
tuning handwriting face; the second look is checked on the decisions it makes and, end to end,
on a generated handwritten document read with the switch on and off.
"""

from __future__ import annotations

import importlib.util
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction import Options, extract
from extraction.doctypes import get_document_type
from extraction.second_look import second_look
from extraction.second_reader import Reading, read_crop, trim_to_ink
from extraction.types import FieldResult, low_confidence
from extraction.weigh_readings import compare
from tests.conftest import require


@pytest.fixture
def needs_reader() -> None:
    require(
        importlib.util.find_spec("rapidocr") is not None,
        "rapidocr is not installed (make setup installs it)",
    )


def _handwritten(text: str, face: str = "DKG Handwriting", colour: int = 40) -> np.ndarray:
    """``text`` drawn in a handwriting face, with paper around it as a field's crop has."""
    from docgen.fonts import hand_families

    family = next(f for f in hand_families("tuning") if f.name == face)
    font = ImageFont.truetype(family.regular, int(40 * family.scale))
    image = Image.new("L", (900, 90), 255)
    ImageDraw.Draw(image).text((20, 15), text, font=font, fill=colour)
    return np.asarray(image)


def test_reads_a_drawn_handwritten_phone_number(needs_reader: None) -> None:
    reading = read_crop(_handwritten("(555) 201-7788"))
    assert reading is not None
    assert reading.text == "(555) 201-7788"
    assert reading.confidence > 0.9


def test_reads_only_latin_text(needs_reader: None) -> None:
    # The model's alphabet is mostly Chinese; a scrawl must not come back as a Chinese character.
    for text in ("Amoxicillin 500 mg", "12/03/1985", "Brian Novak"):
        for face in ("Breip", "DKG Handwriting"):
            reading = read_crop(_handwritten(text, face))
            assert reading is not None
            assert all(32 <= ord(ch) < 127 for ch in reading.text), reading.text


def test_bare_paper_reads_nothing(needs_reader: None) -> None:
    assert read_crop(np.full((60, 400), 250, np.uint8)) is None
    assert trim_to_ink(np.full((60, 400), 250, np.uint8)) is None


def test_trim_keeps_the_ink_and_a_margin() -> None:
    crop = np.full((100, 300), 255, np.uint8)
    crop[40:60, 100:200] = 0
    trimmed = trim_to_ink(crop)
    assert trimmed is not None
    assert trimmed.shape == (20 + 2 * 4, 100 + 2 * 4)


PATIENT_DETAILS = get_document_type("patient_details")
PHONE = PATIENT_DETAILS.field("phone_number")
NAME = PATIENT_DETAILS.field("patient_name")
ADDRESS = PATIENT_DETAILS.field("address")
PRESCRIPTION = get_document_type("prescription")


def _field(value: str, confidence: float) -> FieldResult:
    return FieldResult(value, confidence, needs_review=confidence < 0.8, reason=None, box=(0, 0, 10, 10))


def test_disagreeing_readings_flag_the_field_with_both() -> None:
    first = _field("Sessica Hanes", 0.75)
    first.needs_review = False  # even a field tesseract did not doubt is flagged
    # Not every word of the second reading is a known name, and it is not fairly sure: kept.
    result = compare(NAME, first, Reading("Jessica Holmez", 0.78))
    assert result.value == "Sessica Hanes"
    assert result.needs_review
    assert "'Sessica Hanes'" in result.reason and "'Jessica Holmez'" in result.reason
    # Fairly sure and surer than tesseract, its known name stands in for tesseract's unknown one,
    # word by word; the surname no list holds stays tesseract's. Flagged with both readings.
    result = compare(NAME, first, Reading("Jessica Holmez", 0.80))
    assert result.value == "Jessica Hanes" and result.needs_review
    assert "'Sessica Hanes'" in result.reason and "'Jessica Holmez'" in result.reason


def test_a_confident_reading_that_passes_the_check_is_taken_and_flagged() -> None:
    first = _field("(BON) 847-4935", 0.40)
    result = compare(PHONE, first, Reading("(501) 897-4935", 0.97))
    assert result.value == "(501) 897-4935"
    assert result.needs_review
    assert "(BON) 847-4935" in result.reason


def test_a_doubt_counts_against_a_reading_only_beside_one_that_passes_the_check() -> None:
    """ "341 1" is no phone; the second reader's "934-9674" is one, with no area code (a doubt
    of the field's). Beside a reading that fails the check that doubt is no measure: taken,
    flagged. Beside one that passes the check and raises no doubt, it counts against it."""
    result = compare(PHONE, _field("341 1", 0.15), Reading("934-9674", 0.96))
    assert result.value == "934-9674" and result.needs_review
    kept = compare(PHONE, _field("(501) 934-9674", 0.5), Reading("934-9674", 0.96))
    assert kept.value == "(501) 934-9674" and kept.needs_review


def test_an_unsure_reading_is_never_taken() -> None:
    first = _field("(BON) 847-4935", 0.40)
    result = compare(PHONE, first, Reading("(501) 897-4935", 0.6))
    assert result.value == "(BON) 847-4935"
    assert result.needs_review


@pytest.mark.parametrize("label", ["LINE 1", "Address", "Street and number"])
def test_a_reading_that_took_in_the_print_before_the_value_is_not_taken(label: str) -> None:
    # The crop of a street line took in a caption ("LINE 1:"), whichever field it belongs to.
    first = _field("3690 Ridge Ave", 0.70)
    result = compare(ADDRESS, first, Reading(f"{label}: 3690 Ridge Ave", 1.0))
    assert result.value == "3690 Ridge Ave"
    assert result.needs_review


def test_a_colon_after_words_tesseract_read_alike_is_the_value_s_own() -> None:
    # Tesseract read the medicine's name and misread its colon; the second reader read both.
    first = _field("Spirenclactene! kake V gill at Ledtine Fer 7 days", 0.41)
    spec = PRESCRIPTION.field("directions")
    result = compare(spec, first, Reading("Spironolactone: take 1 pill at bedtime for 7 days", 0.98))
    assert result.value == "Spironolactone: take 1 pill at bedtime for 7 days"
    assert result.needs_review


def test_a_time_s_colon_is_no_label() -> None:
    first = _field("Take 1 at 8 30", 0.40)
    spec = PRESCRIPTION.field("directions")
    result = compare(spec, first, Reading("Take 1 at 8:30", 0.99))
    assert result.value == "Take 1 at 8:30"


def test_agreeing_readings_change_nothing() -> None:
    first = _field("Megan Diaz", 0.7)
    first.needs_review = False
    result = compare(NAME, first, Reading("Megan Diaz", 0.9))
    assert result == first


def _unsure(value: str, confidence: float = 0.55) -> FieldResult:
    """A value flagged for tesseract's low confidence in its ink, and for nothing else."""
    unsure = FieldResult(value, confidence, needs_review=False, box=(0, 0, 10, 10))
    unsure.flag(low_confidence(confidence))
    return unsure


def test_ink_read_alike_by_a_sure_second_reader_is_no_longer_flagged() -> None:
    result = compare(NAME, _unsure("Megan Diaz"), Reading("MeganDiaz", 0.96))
    assert result.value == "Megan Diaz"
    assert not result.needs_review and result.reason is None
    assert result.confidence == 0.96


@pytest.mark.parametrize("second", [0.7, 0.89])
def test_ink_read_alike_by_an_unsure_second_reader_stays_flagged(second: float) -> None:
    first = _unsure("Megan Diaz")
    assert compare(NAME, first, Reading("Megan Diaz", second)) == first


def test_agreement_lifts_no_other_doubt() -> None:
    first = _unsure("Megan Diaz")
    first.flag("label only partly matched (read 'Nme')")
    assert compare(NAME, first, Reading("Megan Diaz", 0.99)) == first


def test_agreement_on_a_line_does_not_show_a_list_whole() -> None:
    medicines = PRESCRIPTION.field("medicines")
    assert medicines.multiline
    first = _unsure("Meloxicam 15 mg")  # a second medicine may stand on a line not read
    assert compare(medicines, first, Reading("Meloxicam 15 mg", 1.0)) == first


def test_a_reading_alike_but_for_case_lifts_no_flag() -> None:
    first = _unsure("megan diaz")
    assert compare(NAME, first, Reading("Megan Diaz", 0.99)) == first


def _generated_handwritten() -> tuple[bytes, dict[str, str]]:
    from docgen import generate

    doc = generate(7777, "prescription", "clean", family="rx_classic", fonts="tuning", hand_rate=1.0)
    assert doc.handwriting
    buffer = io.BytesIO()
    doc.pages[0].convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue(), doc.truth


def test_switch_off_reads_with_tesseract_only(needs_ocr: None, needs_reader: None) -> None:
    data, _truth = _generated_handwritten()
    on = extract(data, options=Options())
    off = extract(data, options=Options(second_reader=False))
    looked = [f for f in on.fields.values() if f.reason and "second reader" in f.reason]
    assert looked, "a handwritten document has unsure values that the second reader reads"
    assert all("second reader" not in (f.reason or "") for f in off.fields.values())
    assert "second_reader" not in off.stage_seconds


def test_second_look_leaves_confident_values_alone(needs_reader: None) -> None:
    doc_type, spec = PATIENT_DETAILS, NAME
    sure = FieldResult("Megan Diaz", 0.95, needs_review=False, box=(20, 15, 300, 60))
    image = _handwritten("Karen Smith")
    fields = second_look(doc_type, {spec.name: sure}, [image])
    assert fields[spec.name] == sure


def test_a_reading_that_differs_only_in_spaces_agrees() -> None:
    first = _field("Jacob Miller", 0.7)
    first.needs_review = False
    assert compare(NAME, first, Reading("JacobMiller", 0.99)) == first


def test_a_reading_that_differs_only_in_case_agrees() -> None:
    # A real sample's insurer, right from tesseract though unsure: a capital read as its small
    # letter is no reason to take the second reading.
    company = PATIENT_DETAILS.field("insurance_company")
    first = _field("Random Insuarance Company", 0.35)
    assert compare(company, first, Reading("Random insuarance Company", 0.98)) == first


def test_a_crop_too_long_for_one_value_is_not_read(needs_reader: None) -> None:
    line = _handwritten("(555) 201-7788")
    assert read_crop(line) is not None
    assert read_crop(np.hstack([line[:, :400]] * 20)) is None


DATE = PATIENT_DETAILS.field("birth_date")


def test_two_readings_of_one_day_agree() -> None:
    first = _field("Feb 4, 2018", 0.7)
    result = compare(DATE, first, Reading("Feb 4 2018", 0.99))
    assert result.value == "Feb 4, 2018"
    assert "disagree" not in (result.reason or "") and "second reader" not in (result.reason or "")


def test_a_space_the_reader_dropped_is_restored_where_the_check_needs_it() -> None:
    # Tesseract misread the month; the recognizer read it right but ran it into the day.
    result = compare(DATE, _field("27 Novernber 2021", 0.88), Reading("27November 2021", 0.97))
    assert result.value == "27 November 2021"
    assert result.needs_review
    # A value that passes its check as read keeps the reader's spacing.
    result = compare(NAME, _field("Jon Smith", 0.5), Reading("Jon Smith2", 0.99))
    assert "Smith2" in result.reason


def test_a_missing_model_is_never_downloaded(monkeypatch: pytest.MonkeyPatch, needs_reader: None) -> None:
    """The recognizer is named by its file in the installed package: without it the second reader
    fails with a message to act on (and the second look leaves tesseract's readings as they are),
    where RapidOCR, given no path, would fetch a model from the network."""
    from extraction import second_reader
    from extraction.errors import MissingDependencyError

    assert second_reader.shipped_model().is_file()
    monkeypatch.setattr(second_reader, "MODEL", "no-such-model.onnx")
    monkeypatch.setattr(second_reader, "_engine", None)
    ink = np.full((60, 400), 250, np.uint8)
    ink[20:40, 50:350:8] = 0
    with pytest.raises(MissingDependencyError, match=r"no-such-model\.onnx"):
        read_crop(ink)
    first = _field("Megan Diaz", 0.5)
    looked = second_look(PATIENT_DETAILS, {"patient_name": first}, [ink])
    assert looked["patient_name"] == first


@pytest.mark.parametrize(
    ("field", "first", "confidence", "second", "taken"),
    [
        # Both readings are names a census list holds; tesseract was guessing at the ink.
        ("patient_name", "Maney Canter", 0.54, "Nancy Carter", True),
        ("patient_name", "Joseph Harris", 0.76, "Joseph Harns", False),  # tesseract fairly sure
        ("policy_number", "7IG665OO", 0.25, "71666500", True),
    ],
)
def test_a_fairly_sure_reading_of_a_name_or_number_is_taken_over_tesseract_s_guess(
    field: str, first: str, confidence: float, second: str, taken: bool
) -> None:
    spec = get_document_type("patient_details").field(field)
    result = compare(spec, _field(first, confidence), Reading(second, 0.89 if taken else 0.9))
    assert result.value == (second if taken else first)
    assert result.needs_review and repr(first) in (result.reason or "")


def test_a_taken_reading_keeps_the_capitals_tesseract_read() -> None:
    result = compare(NAME, _field("Le Soe", 0.36), Reading("Sophia reyes", 0.93))
    assert result.value == "Sophia Reyes"
    assert result.needs_review


def test_free_text_taken_from_the_second_reader_keeps_its_own_case() -> None:
    allergies = get_document_type("patient_details").field("allergies")
    result = compare(allergies, _field("Peniilin, Latex", 0.3), Reading("Penicillin, latex", 0.97))
    assert result.value == "Penicillin, latex"


def test_known_words_read_fairly_surely_replace_tesseract_s_guess_of_known_words_too() -> None:
    allergies = get_document_type("patient_details").field("allergies")
    taken = compare(allergies, _field("Cogs", 0.14), Reading("Eggs", 0.87))
    assert taken.value == "Eggs" and taken.needs_review
    # A reading of no known word is no likelier than tesseract's guess.
    kept = compare(allergies, _field("Cogs", 0.14), Reading("Eqgs", 0.87))
    assert kept.value == "Cogs" and kept.needs_review
