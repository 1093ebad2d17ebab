"""The engine's measuring stages and second readings, each on its own, mostly without OCR.

Preprocessing decisions are checked on pages drawn here (text lines of black bars), the field
stage's re-reads with a fake region reader, so every assertion is about our code, not about
what tesseract happens to read.
"""

from __future__ import annotations

import io
import random
import threading
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction import Options, ocr, pipeline, unread_rows
from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.layout import group_lines
from extraction.ocr import add_sparse_reading, looks_upright, sideways_share
from extraction.preprocess import (
    preprocess,
    rotate,
    rotate_quarter,
    scale_to_text_height,
    text_height,
    to_grayscale,
)
from extraction.second_readings import better_second_readings
from extraction.skew import looks_sideways
from extraction.types import Box, FieldResult, PageText, Word
from extraction.validate import validate_fields
from tests.layout_text import parse_layout

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WORDS = [
    "patient",
    "name",
    "date",
    "address",
    "weight",
    "height",
    "95",
    "190",
    "Prednisone",
    "20",
    "mg",
    "phone",
    "(737)",
    "988-0851",
    "IMMUNE",
]


def text_page(size_pt: int = 11, dpi: int = 200, lines: int = 25) -> np.ndarray:
    """A letter page of real text lines at ``size_pt`` points, as a grayscale array."""
    width, height = int(8.5 * dpi), int(11 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(size_pt * dpi / 72))
    rng = random.Random(size_pt)
    for row in range(lines):
        y = int(dpi * 0.8) + row * round(size_pt * dpi / 72 * 1.8)
        # Varied lines as on a real form: repeating one line would pattern the columns too.
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9)))
        draw.text((dpi + rng.randint(0, dpi), y), text, font=font, fill=0)
    return np.asarray(page)


# ---------------------------------------------------------------- preprocessing by measurement


def test_text_height_grows_with_font_size() -> None:
    small, large = text_height(text_page(9)), text_height(text_page(18))
    assert 8 < small < large
    assert large / small == pytest.approx(2.0, rel=0.25)


def test_large_print_is_shrunk_and_small_print_enlarged_toward_the_target() -> None:
    large, dpi, scale = scale_to_text_height(text_page(24), 200, target=24)
    assert scale < 1 and dpi < 200 and large.shape[0] < 2200
    small, dpi, scale = scale_to_text_height(text_page(6), 200, target=24)
    assert scale > 1 and dpi > 200
    assert text_height(small) == pytest.approx(24, rel=0.3)


def test_text_near_the_target_height_is_left_alone() -> None:
    page = text_page(11)
    target = round(text_height(page))
    same, dpi, scale = scale_to_text_height(page, 200, target=target)
    assert same is page and dpi == 200 and scale == 1.0


def test_paper_grain_on_a_page_without_print_is_no_text_to_scale_by() -> None:
    # A near-blank page of a noisy scan (a signature page): its grains passed for tiny letters
    # and the page was doubled in size, which kept tesseract busy past its time limit.
    rng = np.random.default_rng(3)
    seeds = (rng.random((2200, 1700)) < 0.0005).astype(np.uint8)
    grains = cv2.dilate(seeds, np.ones((7, 7), np.uint8)).astype(bool)  # grains 7 px high
    page = np.full((2200, 1700), 238, np.uint8)
    page[grains] = 195
    assert text_height(page) == 0.0
    assert scale_to_text_height(page, 200, target=24)[2] == 1.0


def test_blank_page_is_never_scaled() -> None:
    blank = np.full((2200, 1700), 255, np.uint8)
    assert scale_to_text_height(blank, 200, target=24)[2] == 1.0


@pytest.mark.parametrize("turn", [90, 270])
def test_a_page_turned_sideways_is_recognised_and_turned_before_deskew(turn: int) -> None:
    upright = text_page()
    assert not looks_sideways(upright)
    turned = rotate_quarter(upright, turn)
    assert looks_sideways(turned)
    result, report = preprocess(turned, 200)
    assert "turn 90" in report.steps
    assert result.shape[0] > result.shape[1]  # portrait again
    assert abs(report.skew_degrees) < 1.0  # no spurious deskew at the search's edge


@pytest.mark.parametrize("tilt", [0.0, 3.0, -5.0])
def test_a_form_tilted_or_not_is_told_upright_or_sideways_by_its_words(tilt: float) -> None:
    from docgen import generate

    # A form of labels over underlines and boxes: its columns of labels made the ink's column
    # profile alternate more sharply than its rows', and upright pages were turned sideways.
    doc = generate(1, "patient_details", "clean", family="pd_single_column", hand_rate=0)
    form = to_grayscale(np.asarray(doc.pages[0].convert("L")))
    assert not looks_sideways(rotate(form, tilt))
    assert looks_sideways(rotate(rotate_quarter(form, 90), tilt))
    assert looks_sideways(rotate(rotate_quarter(form, 270), tilt))


def test_dark_border_of_a_phone_photo_does_not_look_sideways() -> None:
    page = text_page().copy()
    page[:, :120] = 20  # a table edge down the side of the photo
    page[:, -90:] = 40
    assert not looks_sideways(page)


def test_speckled_page_is_despeckled_and_letters_survive() -> None:
    rng = np.random.default_rng(1)
    page = text_page().copy()
    ys, xs = rng.integers(0, page.shape[0], 8000), rng.integers(0, page.shape[1], 8000)
    page[ys, xs] = 0
    cleaned, report = preprocess(page, 200)
    assert "despeckle" in report.steps
    ink_before, ink_after = (text_page() < 128).sum(), (cleaned < 128).sum()
    assert ink_after == pytest.approx(ink_before, rel=0.1)


# ---------------------------------------------------------------- orientation signals


def words_with_shape(count: int, tall: bool) -> list[Word]:
    box: Box = (0, 0, 20, 80) if tall else (0, 0, 80, 20)
    return [Word("word", 0.95, box, line=i) for i in range(count)]


def test_confident_words_standing_on_end_do_not_look_upright() -> None:
    assert sideways_share(words_with_shape(20, tall=True)) == 1.0
    assert not looks_upright(words_with_shape(20, tall=True))
    assert looks_upright(words_with_shape(20, tall=False))


def test_a_sparse_page_upside_down_is_turned_though_orientation_detection_cannot_tell() -> None:
    """A record's second page, a few short lines at its foot, scanned upside down: tesseract's
    orientation detection is unsure of it (0.28), and the page was read upside down, every
    word garbage. The half turn is tried and its reading kept, being surer."""
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 31)
    lines = ["MEDICATIONS TAKEN REGULARLY", "Metformin", "Ventolin inhaler", "ALLERGIES", "Penicillin, latex"]
    for row, text in enumerate(lines):
        draw.text((200, 1500 + 70 * row), text, font=font, fill=0)
        draw.line((180, 1540 + 70 * row, 1000, 1540 + 70 * row), fill=0, width=2)
    upside_down = rotate_quarter(np.asarray(image), 180)
    _turned, text = ocr.ocr_page(upside_down, 0, 200, Options())
    assert [line.text for line in text.lines][:3] == lines[:3]


def test_a_faint_page_sure_of_many_words_is_upright_and_an_unsure_one_is_checked() -> None:
    # A faint scan: mean confidence 0.66, but 40 % of its words read surely.
    faint = [Word("word", 0.95 if i % 5 < 2 else 0.46, (0, 0, 80, 20), line=i) for i in range(20)]
    assert looks_upright(faint)
    # Upside down: hardly a word is sure, whatever the mean.
    upside_down = [Word("pɹom", 0.95 if i == 0 else 0.5, (0, 0, 80, 20), line=i) for i in range(20)]
    assert not looks_upright(upside_down)


# ---------------------------------------------------------------- second readings in the field stage

PRESCRIPTION = """
700 180 Dr Rosa Mendes
80 680 Name: Lena Fischer
1650 680 Date: 03/04/2024
80 940 Address: 5 Bay Road, Tampa, FL
440 1530 Lisinopril 10 mg
440 1880 Directions:
440 2070 One tablet every morning
1790 3010 Refill:
"""


class FakeReader:
    """A RegionReader that answers every request with the same words and remembers the calls."""

    def __init__(self, text: str, confidence: float = 0.95) -> None:
        self.text, self.confidence = text, confidence
        self.calls: list[tuple[int, Box, str]] = []

    def __call__(self, page: int, region: Box, mode: str) -> list[Word]:
        self.calls.append((page, region, mode))
        x0, y0, _, _ = region
        return [Word(t, self.confidence, (x0 + 5, y0 + 5, x0 + 40, y0 + 40)) for t in self.text.split()]


def fields_with(reader: FakeReader, layout: str = PRESCRIPTION) -> dict:
    return extract_fields(get_document_type("prescription"), parse_layout(layout), 0.8, reader)


def test_a_missing_number_is_read_again_digits_only_and_flagged() -> None:
    reader = FakeReader("3")
    refills = fields_with(reader)["refills"]
    assert (refills.value, refills.needs_review) == ("3", True)
    assert reader.calls and all(mode == "digits" for _, _, mode in reader.calls)


def test_an_unconfident_re_read_stays_a_flagged_blank() -> None:
    refills = fields_with(FakeReader("3", confidence=0.3))["refills"]
    assert (refills.value, refills.needs_review) == ("", True)


def test_a_lone_letter_read_again_on_a_blank_address_stays_a_flagged_blank() -> None:
    layout = PRESCRIPTION.replace("Address: 5 Bay Road, Tampa, FL", "Address:")
    address = fields_with(FakeReader("I"), layout)["patient_address"]
    assert (address.value, address.needs_review) == ("", True)


def test_a_re_read_that_does_not_fit_the_pattern_is_ignored() -> None:
    refills = fields_with(FakeReader("ee"))["refills"]
    assert refills.value == ""


def test_a_number_whose_readings_disagree_takes_the_one_with_more_digits_and_is_flagged() -> None:
    # The page pass loses digits of short numbers; a crop read alone is no surer of a digit.
    layout = PRESCRIPTION.replace("1790 3010 Refill:", "1790 3010 Refill: 1 times")
    longer = fields_with(FakeReader("11"), layout)["refills"]
    assert longer.value == "11"
    assert longer.needs_review and "disagree" in (longer.reason or "")
    other = fields_with(FakeReader("4"), layout)["refills"]
    assert other.value == "1"
    assert other.needs_review and "'4' read again" in (other.reason or "")


def test_a_number_whose_readings_agree_is_not_flagged() -> None:
    layout = PRESCRIPTION.replace("1790 3010 Refill:", "1790 3010 Refill: 1 times")
    refills = fields_with(FakeReader("1"), layout)["refills"]
    assert (refills.value, refills.needs_review) == ("1", False)


def test_a_number_misread_as_a_letter_is_read_again_up_to_the_next_column_past_it() -> None:
    # Seen on a photo: "Refill: _1_ times" with the "1" read as "i"; the re-read stopped at the
    # "i", as if it were the next column, and found nothing.
    layout = PRESCRIPTION.replace("1790 3010 Refill:", "1790 3010 Refill:\n2000 3010 i@0.5\n2200 3010 times")
    reader = FakeReader("1")
    refills = fields_with(reader, layout)["refills"]
    assert (refills.value, refills.needs_review) == ("1", True)
    x0, _, x1, _ = reader.calls[0][1]
    assert x0 <= 2000 < x1  # the region read again takes in the misread "i"


def test_a_date_that_fails_its_check_is_read_again_and_the_reading_that_passes_taken() -> None:
    layout = PRESCRIPTION.replace("Date: 03/04/2024", "Date: 70/08/2016")
    date = fields_with(FakeReader("20/08/2016"), layout)["prescription_date"]
    assert (date.value, date.needs_review) == ("20/08/2016", True)
    assert "'70/08/2016' first" in (date.reason or "")
    kept = fields_with(FakeReader("71/08/2016"), layout)["prescription_date"]
    assert kept.value == "70/08/2016"  # validation flags it later in the pipeline


def test_a_date_that_passes_its_check_is_not_read_again() -> None:
    reader = FakeReader("20/08/2016")
    assert fields_with(reader)["prescription_date"].value == "03/04/2024"
    assert all(mode != "line" for _, _, mode in reader.calls)


def test_noise_read_as_small_unsure_words_changes_no_gap_and_joins_no_value() -> None:
    # Seen on a heavy scan: forty specks read as "eet", "Sua" (16 px, unsure) made the page's
    # line height 15 px instead of 35, so the medicines 380 px under the address were out of
    # reach and both medicines and directions came out blank.
    noise = "\n".join(f"{300 + 40 * (n % 9)} {2200 + 30 * n} h=16 eet@0.3" for n in range(40))
    layout = PRESCRIPTION + noise + "\n440 2140 h=16 eit@0.25\n"
    fields = fields_with(FakeReader(""), layout)
    assert fields["medicines"].value == "Lisinopril 10 mg"
    assert fields["directions"].value == "One tablet every morning"


# A round bullet read as "e" before its item, and one tesseract set on a line of its own; a
# count, an initial and a word of their own size are kept.
BULLETS = (
    [
        Word("e", 0.39, (407, 3000, 422, 3016), 1),  # the bullet, 16 px among 40 px words
        Word("Gout,", 0.95, (480, 2987, 600, 3027), 1),
        Word("seizures", 0.95, (619, 2987, 794, 3027), 1),
        Word("¢", 0.87, (288, 3093, 300, 3105), 2),  # a line of its own
        Word("Ventolin", 0.96, (349, 3080, 528, 3114), 3),
        Word("inhaler", 0.96, (540, 3080, 700, 3114), 3),
        Word("2", 0.9, (300, 3200, 320, 3236), 4),
        Word("tablets", 0.9, (340, 3200, 480, 3236), 4),
        Word("J.", 0.9, (300, 3300, 330, 3340), 5),
        Word("Smith", 0.9, (345, 3300, 460, 3340), 5),
    ],
    ["Gout, seizures", "Ventolin inhaler", "2 tablets", "J. Smith"],
)
# A bold "Ht" read at 0.18 is a label, "Dr" at 0.26 a title; an empty box read as "CL", a pair
# of radio circles as "OO" and the loop of a written "g" under its line as a small "Oo" are ink
# of no word.
SHORT_UNSURE_WORDS = (
    [
        Word("Ht", 0.18, (1145, 788, 1187, 814), 1),
        Word("(cm)", 0.18, (1202, 787, 1283, 818), 1),
        Word("Dr", 0.26, (300, 900, 325, 923), 2),
        Word("Joe", 0.9, (340, 900, 400, 926), 2),
        Word("Haddad", 0.9, (415, 900, 540, 926), 2),
        Word("CL", 0.07, (300, 1000, 333, 1055), 3),
        Word("Yes", 0.9, (350, 1010, 420, 1036), 3),
        Word("OO", 0.06, (300, 1100, 397, 1144), 4),
        Word("Female", 0.9, (420, 1110, 540, 1136), 4),
        Word("Washington,", 0.9, (300, 1200, 520, 1226), 5),
        Word("DC", 0.9, (540, 1200, 590, 1226), 5),
        Word("Oo", 0.14, (400, 1236, 424, 1251), 6),
    ],
    ["Ht (cm)", "Dr Joe Haddad", "Yes", "Female", "Washington, DC"],
)


@pytest.mark.parametrize(
    ("words", "lines"), [BULLETS, SHORT_UNSURE_WORDS], ids=["bullets", "short unsure words"]
)
def test_lines_keep_the_words_of_print_and_drop_ink_read_as_no_word(
    words: list[Word], lines: list[str]
) -> None:
    assert [line.text for line in group_lines(words)] == lines


def test_two_lines_tesseract_numbered_apart_on_one_row_are_one_line() -> None:
    words = [
        Word("Atorvastatin", 0.93, (540, 1524, 700, 1553), 7),
        Word("-", 0.9, (720, 1535, 735, 1540), 7),
        Word("take", 0.7, (780, 1520, 840, 1556), 8),
        Word("daily", 0.7, (850, 1520, 920, 1556), 8),
        Word("Date:", 0.96, (1600, 1524, 1680, 1553), 9),  # far off: the next column
    ]
    assert [line.text for line in group_lines(words)] == ["Atorvastatin - take daily", "Date:"]


def test_a_row_joined_from_pieces_goes_on_only_from_its_last_word_s_row() -> None:
    """A question form's item numbers, misread, came as one tesseract line down the margin
    ("N", "W", "bh" for 2., 3., 4.): joined to the first question, that line stood three rows
    tall, and the answer of the next row joined it too ("... born? May 9 1969 (343) 912-8719")."""
    words = [
        Word("N", 0.85, (260, 689, 281, 718), 8),
        Word("W", 0.83, (260, 769, 282, 797), 8),
        Word("bh", 0.6, (255, 834, 293, 878), 8),
        Word("When", 0.96, (313, 688, 434, 718), 6),
        Word("were", 0.96, (451, 696, 555, 718), 6),
        Word("you", 0.96, (572, 696, 647, 726), 6),
        Word("born?", 0.86, (666, 688, 785, 718), 6),
        Word("May", 0.92, (842, 687, 931, 726), 6),
        Word("9", 0.94, (947, 687, 968, 718), 6),
        Word("1969", 0.94, (988, 687, 1086, 718), 6),
        Word("(343)", 0.96, (1084, 766, 1189, 803), 7),
        Word("912-8719", 0.96, (1207, 767, 1400, 798), 7),
        Word("What", 0.96, (313, 768, 426, 798), 9),
        Word("is", 0.95, (443, 768, 475, 798), 9),
        Word("your", 0.95, (492, 776, 589, 806), 9),
        Word("telephone", 0.96, (603, 768, 821, 806), 9),
        Word("number?", 0.96, (838, 768, 1025, 798), 9),
    ]
    texts = [line.text for line in group_lines(words)]
    assert not any("1969" in text and "912-8719" in text for text in texts)
    assert "What is your telephone number? (343) 912-8719" in texts


def test_a_point_or_comma_standing_apart_from_every_word_is_dust_however_sure() -> None:
    words = [
        Word("John", 0.95, (100, 100, 170, 130), 1),
        Word(".", 0.9, (185, 124, 190, 130), 1),
        Word("Morris", 0.95, (205, 100, 300, 130), 1),
        Word("Arthritis", 0.95, (100, 200, 240, 230), 2),
        Word(",", 0.8, (255, 224, 260, 234), 2),
        Word("Lialda", 0.95, (100, 300, 190, 330), 3),
        Word("-", 0.9, (205, 314, 220, 318), 3),  # a printed dash stands apart
        Word("take", 0.95, (235, 300, 300, 330), 3),
    ]
    assert [line.text for line in group_lines(words)] == ["John Morris", "Arthritis", "Lialda - take"]


# ---------------------------------------------------------------- repairs and merges


def test_a_word_in_no_vocabulary_in_directions_is_left_as_read_and_flagged() -> None:
    layout = PRESCRIPTION.replace("One tablet every morning", "Cough syrup - take 2 mi at bedtime")
    directions = fields_with(FakeReader(""), layout)["directions"]
    assert directions.value == "Cough syrup - take 2 mi at bedtime"
    assert directions.needs_review and "'mi'" in (directions.reason or "")
    clean = fields_with(FakeReader(""))["directions"]
    assert (clean.value, clean.needs_review) == ("One tablet every morning", False)


def test_sparse_reading_adds_missed_words_and_replaces_only_clearly_better_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = [
        Word("Weight:", 0.95, (100, 100, 240, 130), 0),
        Word("Retain", 0.40, (100, 200, 240, 230), 1),
        Word("95", 0.96, (100, 150, 140, 180), 2),
    ]
    sparse = [
        Word("Height:", 0.93, (100, 200, 240, 230), 0),  # same spot, far more confident: replaces
        Word("190", 0.96, (100, 250, 160, 280), 1),  # missed by the first pass: added
        Word("96", 0.97, (100, 150, 140, 180), 2),  # same spot, barely more confident: kept out
    ]
    monkeypatch.setattr("extraction.tesseract.read_words", lambda *a, **k: sparse)
    page = PageText(0, tuple(group_lines(first)), 1000, 1000)
    merged = add_sparse_reading(np.zeros((10, 10), np.uint8), page, 200, Options())
    texts = sorted(line.text for line in merged.lines)
    assert texts == ["190", "95", "Height:", "Weight:"]


# ---------------------------------------------------------------- a label OCR did not read

EMERGENCY = """
300 900 In Case of Emergency
1300 900 Address
300 980 Hannah Cook
1300 980 4688 Bollinger Pl
1300 1040 Hartford, Connecticut, 06119
300 1060 {home_label}
1300 1100 United States
300 1120 (711)-718-9904
1300 1180 Work phone
300 1400 General Medical History
"""


def emergency_fields(home_label: str) -> dict:
    pages = parse_layout(EMERGENCY.format(home_label=home_label))
    return extract_fields(get_document_type("patient_details"), pages, 0.8)


def test_the_home_phone_is_read_under_its_label_without_a_flag() -> None:
    phone = emergency_fields("Home phone")["emergency_contact_phone"]
    assert (phone.value, phone.needs_review) == ("(711)-718-9904", False)


def test_a_lost_home_phone_label_falls_back_to_the_section_s_phone_line_flagged() -> None:
    # "Home phone" read as low-confidence "atone"; the bare "Phone" alternative must not
    # anchor on "Work phone", whose value is blank. The unread line before the number may be
    # its label: the number is taken, flagged.
    phone = emergency_fields("atone@0.23")["emergency_contact_phone"]
    assert phone.value == "(711)-718-9904"
    assert phone.needs_review and "no label" in (phone.reason or "")


HEPATITIS = """
300 1000 Chicken Pox (Varicella):
1300 1000 Measles:
330 1080 IMMUNE
1330 1150 h=48 IMMUNE
300 1197 h=50 Have you had the Hepatitis B vaccination?
330 1260 Yes
"""


def test_a_value_of_the_row_above_touching_a_tall_label_is_not_read_beside_it() -> None:
    # Measured on a shadowed photo: the measles answer's box ended 1 px inside the taller
    # hepatitis question's box and was taken as its answer ("IMMUNE" for a yes/no question).
    fields = extract_fields(get_document_type("patient_details"), parse_layout(HEPATITIS), 0.8)
    assert fields["hepatitis_b_vaccination"].value == "Yes"


TALL_QUESTION = """
300 1230 h=54 Have you had the Hepatitis B vaccination?
330 1270 h=30 No
300 1340 List any Medical Problems (asthma, seizures, headaches):
330 1420 Migraine
"""


def test_an_answer_reaching_into_a_tall_question_box_is_still_its_answer() -> None:
    # Measured on a shadowed photo: "No" began 11 px inside the question's box (made tall by
    # the "?"), and the next question, whose label ends in a parenthesis, was taken instead.
    fields = extract_fields(get_document_type("patient_details"), parse_layout(TALL_QUESTION), 0.8)
    assert fields["hepatitis_b_vaccination"].value == "No"
    assert fields["medical_problems"].value == "Migraine"


def test_a_label_line_ending_in_a_colon_after_a_parenthesis_is_never_a_value() -> None:
    blank_answer = "\n".join(line for line in TALL_QUESTION.splitlines() if not line.endswith(" No"))
    fields = extract_fields(get_document_type("patient_details"), parse_layout(blank_answer), 0.8)
    assert fields["hepatitis_b_vaccination"].value == ""
    assert fields["medical_problems"].value == "Migraine"


NO_RECORD_DATE = """
300 290 Patient Medical Record
300 420 Patient Information
1300 420 Birth Date
300 480 Kathy Crawford
1300 480 6/5/1972
"""


def test_a_corner_value_the_page_pass_missed_is_read_again_enlarged_and_flagged() -> None:
    reader = FakeReader("26/02/2020")
    fields = extract_fields(get_document_type("patient_details"), parse_layout(NO_RECORD_DATE), 0.8, reader)
    record_date = fields["record_date"]
    assert (record_date.value, record_date.needs_review) == ("26/02/2020", True)
    assert ("block" in {mode for _, _, mode in reader.calls}) and record_date.box is not None


@pytest.mark.parametrize(
    ("corner", "found"),
    [
        ("1400 200 26/02/2020", "26/02/2020"),
        ("1400 200 Springfield, 12 May 2020", "12 May 2020"),
        ("1400 200 Printed Jan 13, 2020 12:23", ""),  # a print stamp: a label of no field's
    ],
)
def test_a_date_alone_at_the_top_is_the_record_date(corner: str, found: str) -> None:
    layout = NO_RECORD_DATE + corner + "\n"
    fields = extract_fields(get_document_type("patient_details"), parse_layout(layout), 0.8)
    assert fields["record_date"].value == found


def test_a_print_stamp_read_again_in_the_corner_is_no_record_date() -> None:
    reader = FakeReader("Printed 26/02/2020 12:23")
    fields = extract_fields(get_document_type("patient_details"), parse_layout(NO_RECORD_DATE), 0.8, reader)
    assert fields["record_date"].value == ""


def test_a_corner_re_read_that_finds_no_date_leaves_the_field_blank() -> None:
    fields = extract_fields(
        get_document_type("patient_details"), parse_layout(NO_RECORD_DATE), 0.8, FakeReader("Patient")
    )
    assert fields["record_date"].value == ""


INSURANCE = """
290 350 h=67 Name of Insurance Company:
1100 380 25 Walnut Way
300 430 Prairie Life and Health
1100 440 Miami, 33104
295 555 Policy Number:
1105 555 Expiry Date:
300 615 535685315467
1105 615 9 December 2019
"""


def test_a_line_level_with_a_label_but_in_the_next_column_of_labels_is_not_its_value() -> None:
    # Measured on a shadowed photo: the insurer's unlabelled address in the right column stood
    # level with the tall "Name of Insurance Company:" label and was read as the company.
    fields = extract_fields(get_document_type("patient_details"), parse_layout(INSURANCE), 0.8)
    assert fields["insurance_company"].value == "Prairie Life and Health"
    assert fields["insurance_expiry"].value == "9 December 2019"


# Labels and values on underlines, two pairs a row: the height is written just after its label and
# starts, by chance, where the label of the row under it starts.
HEIGHT_BESIDE = """
300 860 BODY WEIGHT:
620 849 128
1100 860 HEIGHT:
1330 849 180 cm
300 1000 EMERGENCY CONTACT NAME: Shirley Davis
1310 1000 RELATIONSHIP:
1640 1000 Father
"""


def test_a_value_just_after_its_label_is_its_own_though_the_label_under_it_starts_at_its_edge() -> None:
    fields = extract_fields(get_document_type("patient_details"), parse_layout(HEIGHT_BESIDE), 0.8)
    assert fields["height"].value == "180"
    assert fields["weight"].value == "128"


DATE_BESIDE = """
300 680 Name: Keith Medina
1750 684 Date:
1887 681 3/8/2025
300 850 Address:
1900 2814 Refill: 2 times
"""


def test_a_value_beside_its_label_is_kept_when_a_far_label_starts_at_the_same_edge() -> None:
    # The "Refill:" label 53 lines further down starts where the date does: no column there.
    fields = extract_fields(get_document_type("prescription"), parse_layout(DATE_BESIDE), 0.8)
    assert fields["prescription_date"].value == "3/8/2025"


def test_the_sparse_pass_extends_a_value_only_with_lines_the_page_pass_dropped() -> None:
    """Seen on an unseen seed: page segmentation dropped "Take with food", the last line of the
    directions; the sparse pass, run for another field, read it."""
    spec = get_document_type("prescription")

    def results(values: dict[str, str]) -> dict[str, FieldResult]:
        return {f.name: FieldResult(values.get(f.name, ""), 0.9, False, None, 0, None) for f in spec.fields}

    first = results({"directions": "Take 1 tablet once daily\nDo not crush or chew", "prescriber": "Dr A B"})
    second = results(
        {
            "directions": "Take 1 tablet once daily\nDo not crush or chew\nTake with food",
            "prescriber": "Dr A B\nC",  # not a multi-line field: the first reading stands
            "refills": "0",  # blank before: filled
            "patient_name": "",  # blank both times: nothing to take
        }
    )
    better = better_second_readings(spec, first, second)
    assert {name: result.value for name, result in better.items()} == {
        "directions": "Take 1 tablet once daily\nDo not crush or chew\nTake with food",
        "refills": "0",
    }
    changed = results({"directions": "Take 2 tablets once daily\nDo not crush or chew\nTake with food"})
    assert "directions" not in better_second_readings(spec, first, changed)


def test_the_sparse_pass_extends_each_line_with_a_column_the_page_pass_lost() -> None:
    """The page pass lost a table's dose column and read the medicines alone; the sparse pass
    read each medicine with its dose. A line read otherwise is no extension; a line read before
    the value's first is."""
    spec = get_document_type("prescription")

    def results(medicines: str) -> dict[str, FieldResult]:
        values = {"medicines": medicines}
        return {f.name: FieldResult(values.get(f.name, ""), 0.9, False, None, 0, None) for f in spec.fields}

    first = results("Levothyroxine\nRosuvastatin")
    whole = results("Levothyroxine 75 mcg\nRosuvastatin 20 mg")
    assert (
        better_second_readings(spec, first, whole)["medicines"].value
        == "Levothyroxine 75 mcg\nRosuvastatin 20 mg"
    )
    other = results("Levothyroxine 75 mcg\nRosuvastin 20 mg")
    assert "medicines" not in better_second_readings(spec, first, other)
    # The page pass lost the first line of the list, the sparse pass read it.
    assert (
        better_second_readings(spec, results("Rosuvastatin"), first)["medicines"].value
        == "Levothyroxine\nRosuvastatin"
    )


def test_a_list_the_sparse_pass_extends_keeps_the_doubts_of_the_page_pass_reading() -> None:
    """The page pass's list was flagged (a rival label beside it); the sparse pass read one line
    more and raised no doubt: the longer list is taken, and its lines are still the doubtful
    ones, so the flag stays, with its reason. An unflagged first reading adds nothing."""
    spec = get_document_type("patient_details")
    blank = {f.name: FieldResult("", 0.0, True, None, 0, None) for f in spec.fields}
    doubt = "another label is as near: 'Past history'"
    first = dict(blank, medical_problems=FieldResult("Asthma", 0.9, True, doubt, 0, None))
    longer = dict(blank, medical_problems=FieldResult("Asthma\nGout", 0.9, False, None, 0, None))
    taken = better_second_readings(spec, first, longer)["medical_problems"]
    assert (taken.value, taken.needs_review, taken.reason) == ("Asthma\nGout", True, doubt)
    assert not longer["medical_problems"].needs_review  # the sparse pass's result is left as it was
    sure = dict(blank, medical_problems=FieldResult("Asthma", 0.9, False, None, 0, None))
    assert not better_second_readings(spec, sure, longer)["medical_problems"].needs_review


def test_the_sparse_pass_sets_right_a_value_that_failed_its_check_and_flags_it() -> None:
    """A phone written in pieces on a shadowed page ("( 476 ) 472 - 2198"): the page pass read its
    area code alone, which is no phone; the sparse pass read the number whole. That reading is
    taken, flagged with both; a reading that fails the check too, or a first reading that
    passes it, is left alone."""
    spec = get_document_type("patient_details")
    blank = {f.name: FieldResult("", 0.0, True, None, 0, None) for f in spec.fields}
    first = dict(
        blank, phone_number=FieldResult("476", 0.25, True, "OCR confidence 25%", 0, (441, 1227, 501, 1257))
    )
    whole = dict(
        blank, phone_number=FieldResult("(476) 472-2198", 0.93, False, None, 0, (441, 1227, 954, 1257))
    )
    better = better_second_readings(spec, first, whole)
    assert better["phone_number"].value == "(476) 472-2198"
    assert better["phone_number"].needs_review and "'476'" in (better["phone_number"].reason or "")
    still_bad = dict(blank, phone_number=FieldResult("476 472", 0.93, False, None, 0, None))
    assert "phone_number" not in better_second_readings(spec, first, still_bad)
    good = dict(blank, phone_number=FieldResult("(476) 472-2190", 0.9, False, None, 0, None))
    assert "phone_number" not in better_second_readings(spec, good, whole)


def test_a_blank_the_sparse_pass_fills_with_another_field_s_value_flags_both() -> None:
    """A label wrapped over two cells ("DATE" / "OF" / "BIRTH (DOB)") was the date of birth's to
    the page pass and the form's date's to the sparse pass: the one date is both fields' now,
    and each is flagged, naming the other; a blank filled elsewhere flags nothing more."""
    spec = get_document_type("patient_details")
    date_box = (1862, 577, 2148, 604)
    blank = {f.name: FieldResult("", 0.0, True, None, 0, None) for f in spec.fields}
    first = dict(blank, birth_date=FieldResult("25 December 1981", 0.9, False, None, 0, date_box))
    second = dict(blank, record_date=FieldResult("25 December 1981", 0.96, False, None, 0, date_box))
    better = better_second_readings(spec, first, second)
    assert better["record_date"].value == better["birth_date"].value == "25 December 1981"
    assert better["record_date"].needs_review and "birth date" in (better["record_date"].reason or "")
    assert better["birth_date"].needs_review and "record date" in (better["birth_date"].reason or "")
    assert not first["birth_date"].needs_review  # the first pass's result is left as it was
    elsewhere = dict(blank, record_date=FieldResult("3/4/2020", 0.96, False, None, 0, (200, 100, 400, 130)))
    assert {name: r.needs_review for name, r in better_second_readings(spec, first, elsewhere).items()} == {
        "record_date": False
    }


# ---------------------------------------------------------------- engine threads


def read_noting_threads(
    monkeypatch: pytest.MonkeyPatch, pages: int, options: Options
) -> dict[str, list[Any]]:
    """Extract a TIFF of ``pages`` drawn pages; the thread of each page reading and sparse pass,
    and whether the page reading was split in bands (OCR faked: only the threading is checked)."""
    seen: dict[str, list[Any]] = {"page": [], "sparse": []}

    def page_reading(image: np.ndarray, index: int, dpi: int, _: Options, *, split: bool = False) -> Any:
        seen["page"].append((threading.get_ident(), split))
        height, width = image.shape[:2]
        return image, PageText(index=index, lines=(), width=width, height=height)

    def sparse_reading(image: np.ndarray, page: PageText, dpi: int, _: Options, **__: Any) -> PageText:
        seen["sparse"].append(threading.get_ident())
        return page

    monkeypatch.setattr(pipeline, "ocr_page", page_reading)
    monkeypatch.setattr(pipeline, "add_sparse_reading", sparse_reading)
    images = [Image.fromarray(text_page(lines=4)) for _ in range(pages)]
    data = io.BytesIO()
    images[0].save(data, "TIFF", save_all=True, append_images=images[1:], dpi=(200, 200))
    pipeline.extract(data.getvalue(), options=options)
    return seen


def test_one_page_worker_reads_every_page_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = read_noting_threads(monkeypatch, 3, Options(page_workers=1))
    assert len(seen["page"]) == 3 and len({thread for thread, _ in seen["page"]}) == 1
    assert len(seen["sparse"]) == 3 and len(set(seen["sparse"])) == 1


@pytest.mark.parametrize(("page_workers", "split"), [(1, False), (2, True)])
def test_a_lone_page_is_read_in_two_bands_only_with_a_second_page_worker(
    monkeypatch: pytest.MonkeyPatch, page_workers: int, split: bool
) -> None:
    seen = read_noting_threads(monkeypatch, 1, Options(page_workers=page_workers))
    assert [band for _, band in seen["page"]] == [split]


def test_one_page_worker_reads_a_spot_s_two_readings_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []

    def crop_reading(*_: Any) -> list[tuple[Word, int]]:
        threads.append(threading.get_ident())
        return []

    monkeypatch.setattr(ocr, "_read_crop", crop_reading)
    ocr.read_region(text_page(lines=2), (100, 100, 900, 300), 200, Options(page_workers=1), "line")
    assert len(threads) == 2 and len(set(threads)) == 1


def test_page_workers_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="page_workers"):
        Options(page_workers=0)


def sparse_passes(monkeypatch: pytest.MonkeyPatch, layout: str) -> int:
    """How many sparse passes the pipeline runs on a page whose page pass reads ``layout``."""
    calls: list[int] = []
    page_text = parse_layout(layout)[0]

    def page_reading(image: np.ndarray, index: int, dpi: int, _: Options, *, split: bool = False) -> Any:
        return image, page_text

    def sparse_reading(image: np.ndarray, page: PageText, dpi: int, _: Options, **__: Any) -> PageText:
        calls.append(page.index)
        return page

    monkeypatch.setattr(pipeline, "ocr_page", page_reading)
    monkeypatch.setattr(pipeline, "add_sparse_reading", sparse_reading)
    monkeypatch.setattr(pipeline, "read_region", lambda *a, **k: [])
    data = io.BytesIO()
    Image.fromarray(text_page(lines=4)).save(data, "PNG", dpi=(200, 200))
    pipeline.extract(data.getvalue(), doc_type="prescription")
    return len(calls)


def test_the_sparse_pass_runs_for_a_blank_whose_label_was_found_and_not_for_one_with_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_refills_on_the_form = PRESCRIPTION.replace("1790 3010 Refill:", "")
    assert sparse_passes(monkeypatch, no_refills_on_the_form) == 0
    assert sparse_passes(monkeypatch, PRESCRIPTION) == 1  # "Refill:" with nothing read after it


def test_a_page_its_own_reading_read_sparsely_is_not_read_sparsely_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Print the page pass left unread makes the page's own sparse reading; the document's
    sparse pass for a blank takes that reading instead of making a second one."""
    readings: list[int] = []
    page_text = parse_layout(PRESCRIPTION)[0]

    def sparse_words(image: np.ndarray, dpi: int, _: Options) -> list[Word]:
        readings.append(dpi)
        return []

    monkeypatch.setattr(pipeline, "ocr_page", lambda image, *a, **k: (image, page_text))
    monkeypatch.setattr(ocr, "sparse_words", sparse_words)
    monkeypatch.setattr(unread_rows, "sparse_words", sparse_words)
    monkeypatch.setattr(pipeline, "read_region", lambda *a, **k: [])
    monkeypatch.setattr(unread_rows, "read_region", lambda *a, **k: [])
    data = io.BytesIO()
    Image.fromarray(text_page(lines=4)).save(data, "PNG", dpi=(200, 200))
    monkeypatch.setattr(unread_rows, "unread_runs", lambda *a: [])
    pipeline.extract(data.getvalue(), doc_type="prescription")
    assert len(readings) == 1  # no print left unread: only the document's pass reads
    readings.clear()
    monkeypatch.setattr(unread_rows, "unread_runs", lambda *a: [(100, 100, 400, 140)])
    pipeline.extract(data.getvalue(), doc_type="prescription")
    assert len(readings) == 1


HEADING_UNDER_A_BLANK = """
300 300 Patient Medical Record
300 420 Known allergies: Milk
300 500 Medications taken regularly:
300 640 EMERGENCY CONTACT INFORMATION
300 720 Full name: Dmitri Perry
"""


def test_a_section_heading_under_a_blank_answer_is_never_its_value() -> None:
    # A label ending in a colon may have a label-like value under it ("Harbor Insurance
    # Company"), but a section heading is print, whichever label stands above it.
    fields = extract_fields(get_document_type("patient_details"), parse_layout(HEADING_UNDER_A_BLANK), 0.8)
    assert fields["regular_medications"].value == ""
    assert fields["regular_medications"].needs_review


LABELS_NEARER_THE_VALUE_ABOVE = """
300 300 Patient Medical Record
300 420 Patient name
300 490 Kathy Crawford
300 545 Date of birth
300 615 6/5/1972
300 670 Phone
300 740 (555) 123-4567
300 795 Address
300 865 12 Oak Street
"""


def test_labels_set_nearer_the_line_above_still_read_downwards_when_that_fits_the_fields() -> None:
    # Each label stands nearer the previous value than its own, so the spacing says "caption
    # under its value"; read that way every value is of the wrong kind, read downwards all fit.
    fields = extract_fields(
        get_document_type("patient_details"), parse_layout(LABELS_NEARER_THE_VALUE_ABOVE), 0.8
    )
    for name, value in (
        ("birth_date", "6/5/1972"),
        ("phone_number", "(555) 123-4567"),
        ("address", "12 Oak Street"),
    ):
        assert (fields[name].value, fields[name].needs_review) == (value, False)


CAPTION_IN_AN_ADDRESS = """
300 300 Patient Medical Record
300 420 Patient name: Anna Lopez
300 520 Address: 17 Union Blvd
560 560 Address line 1
300 700 Phone: (555) 123-4567
"""


def test_a_printed_caption_taken_into_a_value_is_flagged() -> None:
    fields = extract_fields(get_document_type("patient_details"), parse_layout(CAPTION_IN_AN_ADDRESS), 0.8)
    address = fields["address"]
    # Either the caption is left out of the value, or the value is flagged for it.
    assert address.value == "17 Union Blvd" or "reads as a printed label" in (address.reason or "")
    assert address.value == "17 Union Blvd" or address.needs_review


def test_a_value_that_starts_with_its_own_label_is_flagged() -> None:
    # A name split into boxes whose label OCR ran into the one part it read.
    layout = "\n300 300 Patient Medical Record\n300 420 Patient name: Name of patient Warren\n"
    fields = extract_fields(get_document_type("patient_details"), parse_layout(layout), 0.8)
    name = fields["patient_name"]
    assert name.needs_review and "reads as a printed label" in (name.reason or "")


@pytest.mark.parametrize("doc_type", ["prescription", "patient_details"])
@pytest.mark.parametrize("label", ["Surname, first name", "Last name, first name"])
def test_a_name_asked_surname_first_in_one_caption_is_the_patient_s_name(doc_type: str, label: str) -> None:
    # One caption asking for both parts over one value: the whole name, not a part of it.
    layout = f"""
300 300 Patient form
300 420 {label}
300 470 Sean Hicks
300 600 Home address
300 650 2652 Meadow Ave
"""
    fields = extract_fields(get_document_type(doc_type), parse_layout(layout), 0.8)
    assert fields["patient_name"].value == "Sean Hicks"


PRESCRIBER_UNDER_THE_ADDRESS = """
300 300 Rx Prescription
300 420 Patient: Anna Lopez
300 500 Address: 5901 River Avenue, Dallas, TX
420 545 Dr. Janet Bailey, MBBS
300 700 Date: 12/05/2024
"""


def test_a_line_shaped_like_another_fields_value_run_into_a_value_is_flagged() -> None:
    layout = parse_layout(PRESCRIBER_UNDER_THE_ADDRESS)
    address = extract_fields(get_document_type("prescription"), layout, 0.8)["patient_address"]
    street_only = address.value == "5901 River Avenue, Dallas, TX"
    assert street_only or (address.needs_review and "reads as the prescriber" in (address.reason or ""))


def _validated(values: dict[str, str]) -> dict[str, FieldResult]:
    """A prescription's fields holding ``values`` (the others blank), validated."""
    spec = get_document_type("prescription")
    fields = {f.name: FieldResult(values.get(f.name, ""), 0.95, False, None, 0, None) for f in spec.fields}
    return validate_fields(spec, fields)


def test_fewer_medicines_than_dosing_instructions_are_flagged() -> None:
    # Two instructions shaped as doses, one medicine read (the second's list number misread
    # and its "Drug:" label lost with it); advice lines ("Do not drive") stand for no medicine.
    values = {
        "medicines": "Atorvastatin 20 mg",
        "directions": "Take 2 capsule twice daily until finished\ntake 2 ml as needed for pain for 7 days",
    }
    medicines = _validated(values)["medicines"]
    assert medicines.needs_review and "is a line missing" in (medicines.reason or "")
    values["directions"] = "Take 2 capsule twice daily until finished\nDo not drive if drowsy"
    assert not _validated(values)["medicines"].needs_review


def test_fewer_directions_than_medicines_are_flagged() -> None:
    values = {
        "medicines": "Amoxicillin 500 mg\nIbuprofen 200 mg",
        "directions": "Take 1 capsule three times a day",
    }
    directions = _validated(values)["directions"]
    assert directions.needs_review and "is a line missing" in (directions.reason or "")
    values["directions"] += "\nTake 1 tablet when needed"
    assert not _validated(values)["directions"].needs_review


@pytest.mark.parametrize(
    ("directions", "flagged"),
    [
        ("Take 2 tablet once daily\n2.cap at bedtime", True),  # dust in the space read as a point
        ("Take 1,tab at bedtime", True),
        ("Take 2.5 ml twice daily", False),  # a number's own point
        ("Take 1 tab daily. 2 refills", False),  # a sentence's full stop, a space after it
    ],
)
def test_a_number_joined_to_a_word_by_a_mark_is_flagged(directions: str, flagged: bool) -> None:
    field = _validated({"directions": directions})["directions"]
    assert field.needs_review is flagged
    assert flagged is ("speck joined" in (field.reason or ""))


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        ("laura Schmidt", True),
        ("Laura schmidt", True),
        ("Laura Schmidt", False),
        ("Maria de la Cruz", False),
        ("dr Laura Schmidt", False),
    ],
)
def test_a_name_written_in_small_letters_is_flagged(name: str, flagged: bool) -> None:
    field = _validated({"patient_name": name})["patient_name"]
    assert field.needs_review is flagged
