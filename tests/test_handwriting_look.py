"""The second look at handwritten values: the crop it reads, values of several lines, blanks, and
when a fairly sure second reading is trusted.

Crops are drawn with the generator's tuning handwriting faces beside printed labels, cell walls
and underlines, and read by the real second reader (RapidOCR's PP-OCRv6 model, shipped in
its wheel).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.doctypes import get_document_type
from extraction.part_values import PARTS_NOTE
from extraction.reread import around_value
from extraction.second_look import one_line, second_look
from extraction.second_reader import Reading, read_crop
from extraction.types import BLANK_DOUBT, Box, FieldResult, Line, PageText, PartReading, Word
from extraction.validate import doubts_about
from extraction.value_crop import value_crop
from extraction.weigh_readings import compare
from extraction.word_decoding import Expected
from tests.conftest import require

PATIENT_DETAILS = get_document_type("patient_details")
PRESCRIPTION = get_document_type("prescription")


@pytest.fixture
def needs_reader() -> None:
    require(
        importlib.util.find_spec("rapidocr") is not None,
        "rapidocr is not installed (make setup installs it)",
    )


def _hand(face: str = "DKG Handwriting", size: int = 40) -> ImageFont.FreeTypeFont:
    from docgen.fonts import hand_families

    family = next(f for f in hand_families("tuning") if f.name == face)
    return ImageFont.truetype(family.regular, int(size * family.scale))


def _printed(size: int = 30) -> ImageFont.FreeTypeFont:
    from docgen.fonts import font_families

    return ImageFont.truetype(font_families("tuning")[0].bold, size)


def _ink_box(image: Image.Image, region: Box) -> Box:
    """The box of the ink inside ``region`` of the page: what tesseract's word box would be."""
    pixels = np.asarray(image)[region[1] : region[3], region[0] : region[2]] < 128
    rows, cols = np.flatnonzero(pixels.any(axis=1)), np.flatnonzero(pixels.any(axis=0))
    return (region[0] + cols[0], region[1] + rows[0], region[0] + cols[-1] + 1, region[1] + rows[-1] + 1)


def _date_in_a_cell() -> tuple[np.ndarray, Box]:
    """A printed label above a handwritten date, a cell wall just left of it and a rule under it;
    the box tesseract kept covers only the date's first part ("Jul 16,")."""
    page = Image.new("L", (900, 200), 250)
    draw = ImageDraw.Draw(page)
    draw.text((40, 10), "Date of birth (DOB)", font=_printed(), fill=20)
    draw.text((40, 52), "Jul 16,", font=_hand(), fill=30)
    width = draw.textlength("Jul 16, ", font=_hand())
    draw.text((40 + width, 52), "1999", font=_hand(), fill=30)
    draw.line((28, 0, 28, 200), fill=0, width=3)  # the cell's wall
    draw.line((0, 120, 900, 120), fill=0, width=3)  # the rule the value is written on
    first_part = _ink_box(page, (34, 45, int(40 + width - 8), 118))
    return np.asarray(page), first_part


def test_the_crop_holds_the_whole_value_and_nothing_else(needs_reader: None) -> None:
    page, first_part = _date_in_a_cell()
    crop = value_crop(page, first_part)
    assert crop is not None
    reading = read_crop(crop)
    assert reading is not None and reading.text.endswith("16, 1999"), reading
    # Neither the wall ("[") nor the label's foot is in it: the crop is no taller than the writing.
    assert not reading.text.startswith(("[", "|", "I")), reading
    assert crop.shape[0] < 1.8 * (first_part[3] - first_part[1])
    # The rectangle round tesseract's box, as read before, cuts the year.
    x0, y0, x1, y1 = around_value(first_part)
    rectangle = read_crop(page[max(0, y0) : y1, max(0, x0) : x1])
    assert rectangle is None or "1999" not in rectangle.text


def test_the_crop_of_a_value_in_a_table_row_stops_at_the_row_s_border() -> None:
    # Looped script capitals make tesseract's box tall: it reaches the next row's value, whose
    # ink is on the row's other side of the ruled border, clear of it.
    page = Image.new("L", (900, 260), 250)
    draw = ImageDraw.Draw(page)
    for y in (20, 120, 220):
        draw.line((20, y, 880, y), fill=0, width=3)
    draw.line((20, 20, 20, 220), fill=0, width=3)
    draw.text((60, 45), "Alice Henry", font=_hand("Ecolier"), fill=30)
    draw.text((60, 145), "21 May 2022", font=_hand("Ecolier"), fill=30)
    name = _ink_box(page, (40, 25, 860, 117))
    tall = (name[0], name[1], name[2], name[3] + 40)  # into the next row's writing
    crop = value_crop(np.asarray(page), tall)
    assert crop is not None
    date_height = _ink_box(page, (40, 125, 860, 217))
    assert crop.shape[0] < name[3] - name[1] + (date_height[3] - date_height[1]) / 2


def _digits_in_a_comb(ticks: bool) -> tuple[np.ndarray, Box]:
    """A phone written one digit a cell on a comb: a rule with a short tick between cells (or
    the bare rule), and the box of the writing."""
    page = Image.new("L", (900, 160), 250)
    draw = ImageDraw.Draw(page)
    cell = 56
    for index, digit in enumerate("5550187"):
        draw.text((60 + index * cell + 14, 40), digit, font=_hand(), fill=30)
    draw.line((40, 110, 40 + 8 * cell, 110), fill=0, width=3)
    if ticks:
        for index in range(9):
            draw.line((60 + index * cell, 84, 60 + index * cell, 110), fill=0, width=4)
    return np.asarray(page), _ink_box(page, (62, 0, 60 + 7 * cell - 2, 108))


def test_the_ticks_of_a_comb_are_not_in_the_crop() -> None:
    """The short strokes standing on a comb's rule between the cells are no writing (the reader
    read each as a "1"): the crop holds the same ink as that of the digits on a bare rule."""
    on_comb, box = _digits_in_a_comb(ticks=True)
    on_rule, _ = _digits_in_a_comb(ticks=False)
    with_ticks, bare = value_crop(on_comb, box), value_crop(on_rule, box)
    assert with_ticks is not None and bare is not None
    ink = int((with_ticks < 128).sum())
    assert abs(ink - int((bare < 128).sum())) < 0.05 * ink


def test_the_crop_of_bare_paper_is_none() -> None:
    page = np.full((200, 600), 250, np.uint8)
    page[150:153, :] = 0  # a rule is no writing
    assert value_crop(page, (100, 100, 300, 148)) is None


def _two_lines(first: str, second: str, face: str = "DKG Handwriting") -> tuple[np.ndarray, PageText]:
    """Two handwritten lines, with the OCR lines tesseract made of them: unsure and misread."""
    page = Image.new("L", (900, 260), 250)
    draw = ImageDraw.Draw(page)
    draw.text((40, 20), first, font=_hand(face), fill=30)
    draw.text((40, 150), second, font=_hand(face), fill=30)
    boxes = [_ink_box(page, (0, 0, 900, 130)), _ink_box(page, (0, 130, 900, 260))]
    misread = ("Penicilim", "Insolin")
    lines = tuple(
        Line((Word(text, 0.4, box, number),))
        for number, (text, box) in enumerate(zip(misread, boxes, strict=True))
    )
    return np.asarray(page), PageText(0, lines, 900, 260)


def test_a_value_of_two_lines_is_read_again_line_by_line(needs_reader: None) -> None:
    image, page = _two_lines("Penicillin", "Insulin", "Breip")
    box = (page.lines[0].box[0], page.lines[0].box[1], page.lines[1].box[2], page.lines[1].box[3])
    first = FieldResult("Penicilim\nInsolin", 0.4, needs_review=True, box=box)
    fields = second_look(PATIENT_DETAILS, {"regular_medications": first}, [image], [page])
    result = fields["regular_medications"]
    assert result.value == "Penicillin\nInsulin"
    assert result.needs_review
    assert "line 1" in result.reason and "line 2" in result.reason


def test_a_value_whose_lines_do_not_match_the_page_is_left_alone(needs_reader: None) -> None:
    image, page = _two_lines("Penicillin", "Insulin", "Breip")
    first = FieldResult("Penicilim\nInsolin\nAspirin", 0.4, needs_review=True, box=(0, 0, 900, 260))
    fields = second_look(PATIENT_DETAILS, {"regular_medications": first}, [image], [page])
    assert fields["regular_medications"] == first


def test_a_blank_number_is_read_where_tesseract_found_no_words(needs_reader: None) -> None:
    page = Image.new("L", (600, 120), 250)
    draw = ImageDraw.Draw(page)
    draw.text((30, 30), "Refills:", font=_printed(), fill=20)
    draw.text((260, 25), "12", font=_hand(), fill=30)
    image = np.asarray(page)
    written = _ink_box(page, (240, 0, 600, 120))
    label = _ink_box(page, (0, 0, 240, 120))
    blank = FieldResult("", 0.0, needs_review=True, reason="nothing readable", box=written)
    filled = second_look(PRESCRIPTION, {"refills": blank}, [image])["refills"]
    assert filled.value == "12"
    assert filled.needs_review and "tesseract read nothing" in filled.reason
    # The label alone is no number: a blank whose box is its label's stays blank.
    labelled = FieldResult("", 0.0, needs_review=True, reason="blank on the document?", box=label)
    assert second_look(PRESCRIPTION, {"refills": labelled}, [image])["refills"] == labelled


def test_a_blank_answer_is_read_in_the_spot_under_its_question(needs_reader: None) -> None:
    # "Yes" written small under the question, in a face tesseract read nothing of: the spot
    # under the label (extraction.blank_spots) is read, the answer taken and flagged, and the
    # doubt that the field is blank goes.
    page = Image.new("L", (900, 220), 250)
    draw = ImageDraw.Draw(page)
    draw.text((30, 30), "Have you had the Hepatitis B vaccination?", font=_printed(), fill=20)
    draw.text((40, 95), "Yes", font=_hand(), fill=30)
    image = np.asarray(page)
    label = _ink_box(page, (0, 0, 900, 80))
    spots = ((label[2] + 8, label[1] - 15, 890, label[3] + 15), (22, label[3] + 8, 700, 200))
    blank = FieldResult("", 0.0, needs_review=True, reason=BLANK_DOUBT, box=label, spots=spots)
    read = second_look(PATIENT_DETAILS, {"hepatitis_b_vaccination": blank}, [image])
    filled = read["hepatitis_b_vaccination"]
    assert filled.value == "Yes"
    assert filled.needs_review and BLANK_DOUBT not in filled.reason
    assert filled.box is not None and filled.box[1] > label[3]  # the writing's place, not the label's


def test_a_blank_list_of_known_words_takes_only_a_very_sure_reading_of_known_words() -> None:
    # Words have no check to pass: "Penicillin" read at 0.97 is taken, flagged; letters of no
    # word, or known words read less surely, leave the list blank.
    image = np.full((220, 900), 250, np.uint8)
    image[100:130, 40:300:5] = 20  # the writing under the label
    spots = ((200, 15, 890, 75), (22, 80, 700, 200))

    def reading_of(text: str, confidence: float) -> dict[str, FieldResult]:
        def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
            return Reading(text, confidence)

        label = (30, 30, 190, 60)
        blank = FieldResult("", 0.0, needs_review=True, reason=BLANK_DOUBT, box=label, spots=spots)
        return second_look(PATIENT_DETAILS, {"allergies": blank}, [image], reader=reader)

    taken = reading_of("Penicillin", 0.97)["allergies"]
    assert taken.value == "Penicillin" and taken.needs_review
    assert reading_of("Penicillin", 0.9)["allergies"].value == ""
    assert reading_of("Xqzt Vrrb", 1.0)["allergies"].value == ""


def test_a_blank_whose_spots_are_bare_paper_is_not_read() -> None:
    image = np.full((220, 900), 250, np.uint8)
    image[30:60, 30:600:7] = 20  # the question's print, left of the spots
    calls = []

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        calls.append(crop.shape)
        return Reading("Yes", 1.0)

    spots = ((610, 15, 890, 75), (22, 70, 700, 200))
    blank = FieldResult("", 0.0, needs_review=True, reason=BLANK_DOUBT, box=(30, 30, 600, 60), spots=spots)
    read = second_look(PATIENT_DETAILS, {"hepatitis_b_vaccination": blank}, [image], reader=reader)
    assert read["hepatitis_b_vaccination"].value == "" and not calls


def test_a_blank_a_learned_layout_left_out_is_not_read() -> None:
    """A field learned as not on the form: the value the generic reading found in its place was
    left out (the form prints another date there); its box is that place, and is not read."""
    image = np.full((120, 600), 250, np.uint8)
    image[40:70, 260:400:6] = 0  # the strokes of what is written there

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        return Reading("Aug 24 2020", 1.0)

    def left_out() -> FieldResult:
        blank = FieldResult("", 0.0, needs_review=False, box=(255, 35, 405, 75))
        blank.flag("left blank: on the learned copy of this form a clerk removed the value read here")
        return blank

    read = second_look(PATIENT_DETAILS, {"record_date": left_out()}, [image], reader=reader)
    assert read["record_date"].value == "Aug 24 2020"  # without the layout's word, it would be read
    kept = second_look(
        PATIENT_DETAILS, {"record_date": left_out()}, [image], reader=reader, left_blank={"record_date"}
    )
    assert kept["record_date"] == left_out()


def test_a_value_put_together_from_its_parts_is_not_read_again_as_one_crop() -> None:
    """A name assembled from "(Last name)" and "(Given names)" boxes: its box spans both, and
    read as one crop it gives the page's order (family first), not the field's."""
    image = np.full((120, 900), 250, np.uint8)
    image[40:70, 60:300:6] = 0
    image[40:70, 500:760:6] = 0

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        return Reading("Price Joshua", 1.0)

    composed = FieldResult("Joshua Price", 0.4, needs_review=False, box=(55, 35, 765, 75))
    composed.flag(PARTS_NOTE.format("given, family"))
    read = second_look(PATIENT_DETAILS, {"patient_name": composed}, [image], reader=reader)
    assert read["patient_name"].value == "Joshua Price"
    read_alone = FieldResult("Joshua Price", 0.4, needs_review=True, box=(55, 35, 765, 75))
    assert (
        second_look(PATIENT_DETAILS, {"patient_name": read_alone}, [image], reader=reader)[
            "patient_name"
        ].value
        != "Joshua Price"
    )  # the same value read in one place is read again


def test_each_part_of_a_value_put_together_from_its_parts_is_read_again_on_its_own() -> None:
    """The given name and the family name boxes read apart: a part tesseract misread is read
    again in its own box, and the value put together again in the field's order, flagged."""
    image = np.full((120, 900), 250, np.uint8)
    image[40:70, 60:300:6] = 0
    image[40:70, 500:760:6] = 0
    given, family = (55, 35, 305, 75), (495, 35, 765, 75)

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        # The given name's box is the first drawn: wider ink on the left of the page.
        return Reading("Simeone", 0.97) if crop.shape[1] < 260 else Reading("Rose", 0.97)

    composed = FieldResult(
        "Sonica Rose",
        0.3,
        needs_review=False,
        box=(55, 35, 765, 75),
        parts=(PartReading("given", "Sonica", given, 0.3), PartReading("family", "Rose", family, 0.9)),
    )
    composed.flag(PARTS_NOTE.format("given, family"))
    read = second_look(PATIENT_DETAILS, {"patient_name": composed}, [image], reader=reader)["patient_name"]
    assert read.value == "Simeone Rose"
    assert read.needs_review and "'Sonica' as 'Simeone'" in (read.reason or "")


def test_a_value_whose_parts_were_not_all_read_in_boxes_of_their_own_is_left_whole() -> None:
    """A street of two lines read as the field's own value and a phone's parts are not read
    again part by part: the value could not be put together again from the boxes."""
    image = np.full((120, 900), 250, np.uint8)
    image[40:70, 60:300:6] = 0

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        return Reading("Springfield", 0.99)

    address = FieldResult(
        "12 Oak St\nApt 4\nSpringfeld, IL 62701",
        0.3,
        needs_review=False,
        box=(55, 35, 765, 75),
        parts=(PartReading("city", "Springfeld", (55, 35, 305, 75), 0.3),),
    )
    address.flag(PARTS_NOTE.format("street, city"))
    read = second_look(PATIENT_DETAILS, {"address": address}, [image], reader=reader)["address"]
    assert read.value == "12 Oak St\nApt 4\nSpringfeld, IL 62701"


def test_a_number_read_surely_is_flagged_only_when_a_reading_as_sure_differs() -> None:
    """One digit misread passes every check of a policy number; a second reading at least as
    sure that reads another digit says so. A less sure one (a unit beside the number read as a
    digit) says nothing against it."""
    image = np.full((120, 600), 250, np.uint8)
    image[40:70, 260:400:6] = 0

    def reading(text: str, confidence: float) -> Callable[..., Reading]:
        return lambda crop, symbols, expected: Reading(text, confidence)

    def sure() -> FieldResult:
        return FieldResult("33558985", 0.96, needs_review=False, box=(255, 35, 405, 75))

    doubted = second_look(
        PATIENT_DETAILS, {"policy_number": sure()}, [image], reader=reading("33558285", 1.0)
    )
    assert doubted["policy_number"].needs_review
    assert "33558285" in (doubted["policy_number"].reason or "")
    kept = second_look(PATIENT_DETAILS, {"policy_number": sure()}, [image], reader=reading("335589859", 0.7))
    assert kept["policy_number"] == sure()


MEDICATIONS = PATIENT_DETAILS.field("regular_medications")
BIRTH_DATE = PATIENT_DETAILS.field("birth_date")


def _field(value: str, confidence: float) -> FieldResult:
    return FieldResult(value, confidence, needs_review=True, box=(0, 0, 10, 10))


def test_a_fairly_sure_reading_of_known_words_is_taken_and_flagged() -> None:
    taken = compare(MEDICATIONS, _field("Inslin", 0.36), Reading("Insulin", 0.88))
    assert taken.value == "Insulin" and taken.needs_review
    # The same confidence without a known word stays tesseract's, flagged.
    kept = compare(MEDICATIONS, _field("Inslin", 0.36), Reading("Inzulim", 0.88))
    assert kept.value == "Inslin" and kept.needs_review


def test_a_second_reading_of_the_item_number_alone_reads_nothing_of_the_value() -> None:
    """The crop of a numbered list's line took in its number and the reader read only that:
    tesseract's reading stands."""
    kept = compare(MEDICATIONS, _field("Metformin", 0.59), Reading("2.", 1.0))
    assert kept.value == "Metformin"


def test_known_words_read_surer_than_tesseract_s_unknown_ones_are_taken() -> None:
    """Tesseract was fairly sure of "Egys" too: a surer reading of known words still wins; a
    known reading less sure than tesseract's does not."""
    allergies = PATIENT_DETAILS.field("allergies")
    taken = compare(allergies, _field("Egys", 0.88), Reading("Eggs", 0.97))
    assert taken.value == "Eggs" and taken.needs_review
    kept = compare(allergies, _field("Egys", 0.90), Reading("Eggs", 0.85))
    assert kept.value == "Egys" and kept.needs_review and "readings disagree" in (kept.reason or "")


def test_a_line_of_an_address_is_not_asked_what_only_the_whole_address_is() -> None:
    """The town's line of a two-line address, read again alone, has no house number: that
    doubt is the whole address's, and the second reader's sure "Nashville, 37244" is taken for
    tesseract's "Naswille, 37U44" as any sure reading that passes."""
    address = PATIENT_DETAILS.field("address")
    assert any("house number" in reason for reason in doubts_about(address, "Nashville, 37244"))
    line = one_line(address)
    assert not any("house number" in reason for reason in doubts_about(line, "Nashville, 37244"))
    taken = compare(line, _field("Naswille, 37U44", 0.57), Reading("Nashville, 37244", 0.97))
    assert taken.value == "Nashville, 37244" and taken.needs_review


def test_two_readings_are_put_together_word_by_word_where_each_reads_a_known_word() -> None:
    """Tesseract read "Metaproll 50 mg", the second reader "Metoprolol 50 me": neither is
    taken whole (one's drug is no drug, the other's unit no unit), but word by word the drug
    list's word and tesseract's unit make the value, flagged. Not when the second reader is
    less sure than tesseract, nor when the readings hold different numbers of words."""
    medicines = PRESCRIPTION.field("medicines")
    taken = compare(medicines, _field("Metaproll 50 mg", 0.72), Reading("Metoprolol 50 me", 0.88))
    assert taken.value == "Metoprolol 50 mg" and taken.needs_review
    assert "word by word" in (taken.reason or "")
    kept = compare(medicines, _field("Metaproll 50 mg", 0.90), Reading("Metoprolol 50 me", 0.88))
    assert kept.value == "Metaproll 50 mg" and "readings disagree" in (kept.reason or "")
    kept = compare(medicines, _field("Metaproll 50 mg", 0.72), Reading("Meto prolol 50 me", 0.88))
    assert kept.value == "Metaproll 50 mg" and "readings disagree" in (kept.reason or "")
    # A number is never a word's place: "Z" is a known word (a letter), "2" is none.
    problems = PATIENT_DETAILS.field("medical_problems")
    kept = compare(problems, _field("Type 2 diabetes", 0.72), Reading("Type Z diabetes", 0.88))
    assert kept.value == "Type 2 diabetes"


def test_a_fairly_sure_reading_that_passes_a_strict_check_is_taken() -> None:
    taken = compare(BIRTH_DATE, _field("O3/07/A78", 0.05), Reading("03/07/1978", 0.86))
    assert taken.value == "03/07/1978" and taken.needs_review
    unsure = compare(BIRTH_DATE, _field("O3/07/A78", 0.05), Reading("03/07/1978", 0.70))
    assert unsure.value == "O3/07/A78" and unsure.needs_review


def test_a_fairly_sure_reading_in_the_shape_of_the_field_s_lines_is_taken() -> None:
    """A medicine line must read as a name, a dose and a unit: a reading that keeps that shape
    where tesseract's lost it is held to a check as strict as a date's."""
    medicines = PRESCRIPTION.field("medicines")
    taken = compare(medicines, _field("Sertraline 5U", 0.22), Reading("Sertraline 50 mg", 0.94))
    assert taken.value == "Sertraline 50 mg" and taken.needs_review
    unsure = compare(medicines, _field("Sertraline 5U", 0.22), Reading("Sertraline 50 mg", 0.80))
    assert unsure.value == "Sertraline 5U" and unsure.needs_review


def test_a_line_read_right_is_taken_though_another_line_stays_misread() -> None:
    """Tesseract's two medicine lines both fail their shape; the second reader reads the first
    surely and the second not: the first is taken, and the value stays flagged."""
    image = np.full((300, 1200), 250, np.uint8)
    image[20:60, 100:700:7] = 0
    image[160:200, 100:700:3] = 0  # denser ink: the reader below tells the rows apart by it
    page = PageText(
        0,
        (
            Line((Word("Sectealine", 0.3, (100, 20, 400, 60), 0), Word("5U", 0.3, (420, 20, 700, 60), 0))),
            Line(
                (Word("heithcomycin", 0.1, (100, 160, 500, 200), 1), Word("1p", 0.1, (520, 160, 700, 200), 1))
            ),
        ),
        1200,
        300,
    )

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        first_row = (crop < 128).any(axis=0).sum() < 130
        return Reading("Sertraline 50 mg", 0.97) if first_row else Reading("Aithomyin 250 mg", 0.7)

    first = FieldResult("Sectealine 5U\nheithcomycin 1p", 0.2, needs_review=True, box=(100, 20, 700, 200))
    looked = second_look(PRESCRIPTION, {"medicines": first}, [image], [page], reader=reader)["medicines"]
    assert looked.value.splitlines() == ["Sertraline 50 mg", "heithcomycin 1p"]
    assert looked.needs_review


def test_a_value_s_rows_keep_a_line_ocr_joined_to_a_glyph_outside_the_value() -> None:
    from extraction.second_look import value_rows

    glyph = Word("R", 0.9, (0, 0, 120, 160), 0)
    first = (Word("Gabapentin", 0.2, (300, 60, 560, 100), 0), Word("GOU", 0.1, (580, 60, 660, 100), 0))
    directions = (Word("Use", 0.9, (330, 120, 400, 160), 1), Word("capsule", 0.9, (420, 120, 900, 160), 1))
    second = (Word("Escitalopram", 0.6, (300, 180, 560, 220), 2), Word("5", 0.6, (580, 180, 600, 220), 2))
    page = PageText(0, (Line((glyph, *first)), Line(directions), Line(second)), 1200, 300)
    rows = value_rows(page, (290, 55, 670, 225), whole=False)
    assert [row.text for row in rows] == ["Gabapentin GOU", "Escitalopram 5"]
    assert [row.text for row in value_rows(page, (290, 55, 670, 225))] == ["Escitalopram 5"]


def test_a_second_reading_that_took_in_the_field_s_label_is_not_taken() -> None:
    # The crop reached back over "Instructions:" printed before the value.
    directions = get_document_type("prescription").field("directions")
    kept = compare(
        directions,
        _field("take 2 pil once daily", 0.40),
        Reading("Instructions: take 2 pill once daily", 0.97),
    )
    assert kept.value == "take 2 pil once daily" and kept.needs_review
    taken = compare(
        directions, _field("take 2 pil once daily", 0.40), Reading("take 2 pill once daily", 0.97)
    )
    assert taken.value == "take 2 pill once daily"


def test_a_number_is_read_in_digits_only(needs_reader: None) -> None:
    # With letters allowed, the recognizer reads a handwritten "10" as "IC".
    page = Image.new("L", (300, 120), 250)
    ImageDraw.Draw(page).text((100, 25), "10", font=_hand("Breip"), fill=30)
    crop = value_crop(np.asarray(page), _ink_box(page, (0, 0, 300, 120)))
    assert crop is not None
    anything, digits = read_crop(crop), read_crop(crop, "0123456789")
    assert anything is not None and anything.text != "10"
    assert digits is not None and digits.text == "10"


def test_the_same_digits_read_with_other_punctuation_are_one_reading() -> None:
    """The crop of a phone written in blanks left out the printed "(": the digits are the same,
    so nothing is taken and nothing is flagged for it. Digits grouped otherwise disagree."""
    phone = PATIENT_DETAILS.field("phone_number")
    first = FieldResult("(949) 892-6644", 0.85, needs_review=False, box=(0, 0, 10, 10))
    same = compare(phone, first, Reading("949) 892-6644", 0.97))
    assert same.value == "(949) 892-6644" and not same.needs_review
    regrouped = compare(BIRTH_DATE, _field("1/12/2024", 0.6), Reading("11/2/2024", 0.97))
    assert "readings disagree" in (regrouped.reason or "") or regrouped.value == "11/2/2024"
    assert regrouped.needs_review


def test_a_row_that_holds_more_than_the_values_line_is_not_read_for_it() -> None:
    """The ticked options of a checklist in two rows: the second row also prints two options
    not ticked. Its reading is not the value's line, so it is not read again; the first row,
    the line alone, is."""
    words = [
        Word("Anxiety", 0.5, (100, 100, 240, 130), 0),
        Word("Sinusitis", 0.95, (100, 160, 260, 190), 1),
        Word("Acid", 0.95, (400, 160, 470, 190), 1),
        Word("reflux", 0.95, (480, 160, 580, 190), 1),
        Word("Asthma", 0.5, (700, 160, 830, 190), 1),
    ]
    page = PageText(0, (Line(tuple(words[:1])), Line(tuple(words[1:]))), 900, 260)
    read: list[tuple[int, ...]] = []

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        read.append(crop.shape)
        return Reading("Anxiety", 0.99)

    image = np.full((260, 900), 255, dtype=np.uint8)
    image[105:125, 100:240:6] = 0  # strokes of the words' letters
    image[165:185, 100:830:6] = 0
    first = FieldResult("Anxiety\nAsthma", 0.5, needs_review=False, box=(100, 100, 830, 190))
    fields = second_look(PATIENT_DETAILS, {"medical_problems": first}, [image], [page], reader=reader)
    assert fields["medical_problems"].value == "Anxiety\nAsthma"
    assert len(read) == 1


def test_a_label_on_the_value_s_line_is_left_out_of_the_line_s_crop() -> None:
    """Each line of directions starts with its printed label ("Sig.") on the same OCR line; the
    value's box starts after it. A line read again is read from its value words alone, or the
    second reading takes in the label ("Sig. Use 1 tablet")."""
    lines = []
    for number, y in enumerate((100, 160)):
        label = Word("Sig.", 0.96, (100, y, 160, y + 30), number)
        value = (
            Word("Use", 0.5, (200, y, 260, y + 30), number),
            Word("tablets", 0.5, (275, y, 420, y + 30), number),
        )
        lines.append(Line((label, *value)))
    page = PageText(0, tuple(lines), 900, 260)
    widths: list[int] = []

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        widths.append(crop.shape[1])
        return Reading("Use tablets", 0.99)

    image = np.full((260, 900), 255, dtype=np.uint8)
    for y in (100, 160):
        image[y + 5 : y + 25, 100:160:6] = 0  # the label's strokes
        image[y + 5 : y + 25, 200:420:6] = 0  # the value's
    first = FieldResult("Use tablets\nUse tablets", 0.5, needs_review=False, box=(200, 100, 420, 190))
    second_look(PRESCRIPTION, {"directions": first}, [image], [page], reader=reader)
    assert len(widths) == 2
    assert all(width < 220 + 2 * 30 for width in widths)  # the value's ink and margins, no label


def test_a_number_read_in_digits_by_both_is_taken_from_the_second_reader() -> None:
    """Tesseract drops a written number's first digits ("3" for "133") and confuses digits
    ("5126298594"); where both readings are digits alone the second is taken, flagged, even
    when tesseract was fairly sure, and a gap between its digits is no space."""
    weight = PATIENT_DETAILS.field("weight")
    taken = compare(weight, _field("3", 0.71), Reading("133", 0.91))
    assert taken.value == "133" and taken.needs_review
    policy = PATIENT_DETAILS.field("policy_number")
    assert compare(policy, _field("5126298594", 0.82), Reading("5126208594", 0.99)).value == "5126208594"
    assert compare(policy, _field("94965199712", 0.51), Reading("9496519 0712", 0.98)).value == "94965190712"
    unsure = compare(weight, _field("3", 0.71), Reading("133", 0.5))
    assert unsure.value == "3" and unsure.needs_review


def test_a_name_s_title_and_credentials_count_as_known_words() -> None:
    """'Dr' and 'DO' are in no list of names: a fairly sure reading whose names are all known
    is still taken over one with a name in no list."""
    prescriber = get_document_type("prescription").field("prescriber")
    taken = compare(
        prescriber, _field("Dr. Hanna Mitcrell, DO", 0.3), Reading("Dr. Hannah Mitchell, DO", 0.9)
    )
    assert taken.value == "Dr. Hannah Mitchell, DO" and taken.needs_review


def test_each_field_is_read_again_against_its_own_vocabularies() -> None:
    """A person's name is read against the lists of names, free text against English and the
    field's own lexicons (medicines: drugs), a date against month names and digits: the second
    reader then reads a word in none of them as the likeliest listed word near it
    (``extraction.word_decoding``)."""
    asked: dict[str, tuple[str, ...]] = {}
    current: list[str] = []

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        asked[current[0]] = expected
        return Reading("Mary Lee", 0.99)

    image = np.full((200, 600), 255, dtype=np.uint8)
    image[105:125, 100:300:6] = 0
    for doc_type, name in (
        (PATIENT_DETAILS, "patient_name"),
        (PATIENT_DETAILS, "record_date"),
        (PRESCRIPTION, "medicines"),
        (PRESCRIPTION, "directions"),
    ):
        current[:] = [name]
        first = FieldResult("Mary Lec", 0.5, needs_review=False, box=(100, 100, 300, 130))
        second_look(doc_type, {name: first}, [image], None, reader=reader)
    assert asked["patient_name"] == Expected(lexicons=("names",), common=("common_names",))
    assert "December" in asked["record_date"].words and "7" in asked["record_date"].number_symbols
    assert not asked["record_date"].lexicons
    assert "english" in asked["medicines"].lexicons and "drugs" in asked["medicines"].lexicons
    assert "mcg" in asked["medicines"].words  # a dose's unit is a word of the field
    assert not asked["medicines"].common  # a list of names holds some of a line's words
    assert "directions" in asked["directions"].common  # directions are written in its words


@pytest.mark.parametrize(
    ("field", "value", "read", "expected"),
    [
        ("measles", "WNUNE", "IMMUNE", "IMMUNE"),  # a written answer misread: read as an answer
        ("measles", "NOT WNUNE", "NOT IMMUNE", "NOT IMMUNE"),
        ("has_medical_insurance", "Ne", "No", "No"),
        ("has_medical_insurance", "Yes [No", None, "Yes [No"),  # both options printed: left
        ("measles", "IMMUNE", None, "IMMUNE"),  # an answer already
        ("measles", "Wmune", "Wmune", "Wmune"),  # the second reading no answer either: left
    ],
)
def test_a_choice_that_is_none_of_its_answers_is_read_again_as_one(
    field: str, value: str, read: str | None, expected: str
) -> None:
    calls: list[Expected] = []

    def reader(crop: np.ndarray, symbols: str | None, wanted: Expected) -> Reading | None:
        calls.append(wanted)
        return None if read is None else Reading(read, 0.9)

    image = np.full((200, 600), 255, dtype=np.uint8)
    image[105:125, 100:300:6] = 0
    first = FieldResult(value, 0.5, needs_review=True, box=(100, 100, 300, 130))
    fields = second_look(PATIENT_DETAILS, {field: first}, [image], None, reader=reader)
    assert fields[field].value == expected
    assert len(calls) == (0 if read is None else 1)
    if calls:
        assert expected in calls[0].answers or expected == value
    if expected != value:
        assert fields[field].needs_review and value in (fields[field].reason or "")


def test_a_line_tesseract_read_surely_but_with_a_doubt_is_read_again() -> None:
    """Tesseract was sure of "take tab twice daily", yet the count before the dose form is lost
    (one of the field's doubts): the line is read again and the reading without the doubt taken,
    flagged. A second reading that raises a doubt the first did not is never taken."""
    directions = PRESCRIPTION.field("directions")
    image = np.full((120, 900), 250, np.uint8)
    image[40:70, 60:700:7] = 0  # the strokes of the printed line

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        return Reading("take 1 tab twice daily for 3 months", 0.99)

    sure = FieldResult("take tab twice daily for 3 months", 0.93, needs_review=False, box=(55, 35, 705, 75))
    looked = second_look(PRESCRIPTION, {"directions": sure}, [image], reader=reader)["directions"]
    assert looked.value == "take 1 tab twice daily for 3 months" and looked.needs_review
    whole = FieldResult("take 1 tab twice daily for 3 months", 0.6, needs_review=True, box=(0, 0, 10, 10))
    kept = compare(directions, whole, Reading("take tab twice daily for 3 months", 0.99))
    assert kept.value == whole.value and "readings disagree" in (kept.reason or "")


def test_a_colon_both_readers_read_after_the_first_word_is_the_value_s_own() -> None:
    directions = PRESCRIPTION.field("directions")
    first = _field("Vluticusone: take 2 capsule once daily for 5 days", 0.0)
    taken = compare(directions, first, Reading("Fluticasone: take 2 capsule once daily for 5 days", 0.98))
    assert taken.value == "Fluticasone: take 2 capsule once daily for 5 days" and taken.needs_review


def test_lines_of_another_field_inside_the_value_s_box_are_passed_over() -> None:
    """A numbered list: the medicine of item 2 stands between the two lines of directions, inside
    their box. The directions' own rows are read again; the medicine's is not taken for one."""
    image = np.full((400, 1200), 250, np.uint8)
    image[20:60, 100:1000:7] = 0
    image[280:320, 100:1000:7] = 0

    def word(text: str, box: Box, line: int) -> Word:
        return Word(text, 0.93, box, line)

    page = PageText(
        0,
        (
            Line((word("Use", (100, 20, 160, 60), 0), word("tab", (260, 20, 320, 60), 0))),
            Line((word("Pantoprazole", (40, 150, 300, 190), 1), word("20", (310, 150, 350, 190), 1))),
            Line((word("take", (100, 280, 180, 320), 2), word("daily", (200, 280, 300, 320), 2))),
        ),
        1200,
        400,
    )

    def reader(crop: np.ndarray, symbols: str | None, expected: Expected) -> Reading:
        return Reading("Use 1 tab", 0.99) if crop.shape[0] < 100 else Reading("?", 0.1)

    first = FieldResult("Use tab\ntake daily", 0.9, needs_review=True, box=(100, 20, 1000, 320))
    looked = second_look(PRESCRIPTION, {"directions": first}, [image], [page], reader=reader)
    assert looked["directions"].value.startswith("Use 1 tab\n")


def test_a_list_number_the_crop_took_in_is_no_disagreement() -> None:
    """The line's crop reached back over its item number ("2) Metoprolol 100 mg"); tesseract's
    line, read as layout, has none: both read the same medicine."""
    medicines = PRESCRIPTION.field("medicines")
    first = FieldResult("Metoprolol 100 mg", 0.56, needs_review=True, box=(0, 0, 10, 10))
    same = compare(medicines, first, Reading("2) Metoprolol 100 mg", 0.99), place=2)
    assert same.value == "Metoprolol 100 mg" and "disagree" not in (same.reason or "")
    assert "item 2" not in (same.reason or "")


def test_a_first_line_read_as_item_2_of_a_list_is_flagged_as_missing_item_1() -> None:
    """Tesseract lost the list's first item and read "Lialda 2.4 gram" surely; its crop shows
    the "2)" before it: the value is not whole, whatever both readers agree on."""
    medicines = PRESCRIPTION.field("medicines")
    first = FieldResult("Lialda 2.4 gram", 0.89, needs_review=True, reason="OCR confidence 89%")
    looked = compare(medicines, first, Reading("2) Lialda 2.4 gram", 0.98))
    assert looked.value == "Lialda 2.4 gram"
    assert looked.needs_review and "item 2 of a numbered list" in (looked.reason or "")


def test_a_second_reading_of_a_phone_keeps_the_space_after_its_area_code() -> None:
    """Tesseract read a few digits with no space; the second reader the whole number with its
    brackets run into the digits ("(989)916-1535"). Gaps between written digits go; the space
    after the bracketed area code is the number's own."""
    phone = PATIENT_DETAILS.field("phone_number")
    taken = compare(
        phone,
        FieldResult("15735", 0.22, needs_review=False, box=(0, 0, 10, 10)),
        Reading("(989)916-1535", 0.99),
    )
    assert taken.value == "(989) 916-1535" and taken.needs_review


def test_a_tall_letter_s_tail_read_as_a_line_of_its_own_leaves_each_value_line_its_row() -> None:
    # The tail of a written "f" read as a line ("OD") reaches from the first row into the
    # second: the rows run together, but each line of the value is still a line of the page,
    # "alcoho]" read and corrected to "alcohol" in the value.
    from extraction.second_look import _rows_of

    first = (Word("Losartan,", 0.4, (300, 60, 500, 110), 0), Word("month", 0.8, (700, 60, 820, 110), 0))
    tail = (Word("OD", 0.3, (560, 80, 600, 170), 1),)
    second = (Word("Avoid", 0.1, (300, 130, 420, 170), 2), Word("alcoho]", 0.4, (440, 130, 600, 170), 2))
    page = PageText(0, (Line(first), Line(tail), Line(second)), 1200, 300)
    rows = _rows_of(["Losartan, month", "Avoid alcohol"], page, (290, 55, 830, 175))
    assert rows is not None
    assert [row.text for row in rows] == ["Losartan, month", "Avoid alcoho]"]
    assert _rows_of(["Losartan, month", "Take with food"], page, (290, 55, 830, 175)) is None
