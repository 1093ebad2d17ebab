"""Page structure found in drawn pages: rules, cells and tables, checkboxes and radio circles.

Pages are drawn with PIL in DejaVu Sans at the engine's text height, so every expected rule,
cell and mark is where the test put it; words are built by hand from the drawn text's boxes
except in the one test that runs tesseract.
"""

from __future__ import annotations

import json
from dataclasses import replace

import cv2
import numpy as np
import pytest
from PIL import ImageFont

from extraction.structure import (
    PageStructure,
    SelectionMark,
    find_structure,
    split_at_rule_starts,
    split_at_rules,
    words_outside_marks,
)
from extraction.types import Word
from tests.drawn_pages import FONT_PATH, FONT_SIZE, DrawnPage, jpeg_round_trip, noisy, page_text, rotated

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")


def _table_page() -> DrawnPage:
    page = DrawnPage()
    page.table(100, 100, [220, 180, 180, 200], [60, 60, 60])
    page.text(115, 115, "Drug")
    page.text(335, 115, "Dose")
    return page


def _checkbox_page() -> tuple[DrawnPage, dict[str, tuple[int, int, int, int]]]:
    page = DrawnPage()
    boxes = {}
    for i, state in enumerate(["empty", "tick", "cross", "filled"]):
        x = 100 + 300 * i
        boxes[state] = page.checkbox(x, 100, state)
        page.text(x + 40, 100, f"Opt{state}")
    boxes["radio_on"] = page.radio(100, 200, filled=True)
    page.text(140, 200, "Male")
    boxes["radio_off"] = page.radio(400, 200, filled=False)
    page.text(440, 200, "Female")
    return page, boxes


def _mark_at(structure: PageStructure, box: tuple[int, int, int, int]) -> SelectionMark:
    near = [m for m in structure.marks if max(abs(a - b) for a, b in zip(m.box, box, strict=True)) <= 3]
    assert len(near) == 1, f"expected one mark at {box}, found {structure.marks}"
    return near[0]


# ---- rules, cells, tables -------------------------------------------------------------------


def test_an_underline_under_a_value_is_one_horizontal_rule() -> None:
    page = DrawnPage()
    page.text(100, 100, "Patient: Maria Sharapova")
    page.line(240, 132, 620, 132)
    structure = find_structure(page.array(), page.words)
    assert [r.orientation for r in structure.rules] == ["horizontal"]
    x0, y0, x1, y1 = structure.rules[0].box
    assert abs(x0 - 240) <= 4 and abs(x1 - 620) <= 4 and y0 <= 132 <= y1
    assert structure.cells == () and structure.marks == ()


def test_a_line_of_dashes_is_one_horizontal_rule_and_a_line_of_print_is_none() -> None:
    """Dashes each shorter than a rule's least length, evenly spaced, are a line to write on (a
    form's dashed underline, or one a fax broke); the bars of a row of capitals are not."""
    page = DrawnPage()
    page.text(100, 100, "Please print your full name")
    for x in range(500, 1100, 60):
        page.line(x, 132, x + 46, 132)
    page.text(100, 300, "TEE FEE EEL TEETEE")
    structure = find_structure(page.array(), page.words)
    assert [r.orientation for r in structure.rules] == ["horizontal"]
    x0, y0, x1, y1 = structure.rules[0].box
    assert abs(x0 - 500) <= 4 and abs(x1 - 1086) <= 4 and y0 <= 132 <= y1


def test_a_ruled_table_gives_its_cells_with_rows_and_columns() -> None:
    page = _table_page()
    structure = find_structure(page.array(), page.words)
    assert len(structure.tables) == 1
    assert (structure.tables[0].rows, structure.tables[0].cols) == (3, 4)
    assert len(structure.cells) == 12
    assert sorted((c.row, c.col) for c in structure.cells) == [(r, c) for r in range(3) for c in range(4)]
    assert {c.table for c in structure.cells} == {0}
    drug = structure.cell_at(page.words[0].box)
    assert drug is not None and (drug.row, drug.col) == (0, 0)
    dose = structure.cell_at(page.words[1].box)
    assert dose is not None and (dose.row, dose.col) == (0, 1)


def test_a_table_whose_sides_lean_as_on_a_photo_taken_at_an_angle_has_its_cells() -> None:
    """On a photo taken at an angle a table's sides lean by four degrees while its rows stay
    level: each side is still a thin rule, however wide its box (the rows' cells were lost,
    and a row's cells read as one line: "ROUTE Directions")."""
    page = DrawnPage()
    lean, top, bottom = 22, 100, 430
    for y in range(top, bottom + 1, 66):
        page.line(100, y, 1000 + lean, y)
    for x in (100, 320, 500, 680, 1000):
        page.line(x, top, x + lean, bottom)
    structure = find_structure(page.array(), page.words)
    assert len(structure.tables) == 1
    assert (structure.tables[0].rows, structure.tables[0].cols) == (5, 4)


def test_stems_of_bold_print_stacked_line_under_line_are_no_leaning_rule() -> None:
    """Three lines of a large bold heading, each set a little left of the one above: the stems
    of their letters, joined across the lines' gaps, lean like a photo's table side, but no ink
    runs between the lines (once they were taken for rules, painted out before OCR)."""
    page = DrawnPage()
    bold = ImageFont.truetype(str(FONT_PATH).replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), 64)
    for line, y in enumerate((100, 162, 224)):
        page.draw.text((300 - 4 * line, y), "HILL MEDICAL", font=bold, fill=0)
    assert [r for r in find_structure(page.array(), []).rules if r.orientation == "vertical"] == []


def test_a_lone_box_is_one_cell() -> None:
    page = DrawnPage()
    page.box(200, 200, 700, 280)
    structure = find_structure(page.array(), [])
    assert len(structure.cells) == 1 and len(structure.tables) == 1
    cell = structure.cells[0]
    assert (cell.row, cell.col, cell.table) == (0, 0, 0)
    x0, y0, x1, y1 = cell.box
    assert 200 < x0 < 210 and 200 < y0 < 210 and 690 < x1 < 700 and 270 < y1 < 280


def test_two_tables_are_two_tables() -> None:
    page = DrawnPage()
    page.table(100, 100, [200, 200], [60, 60])
    page.table(100, 450, [150, 150, 150], [50])
    structure = find_structure(page.array(), [])
    assert [(t.rows, t.cols) for t in structure.tables] == [(2, 2), (1, 3)]
    assert [sum(c.table == i for c in structure.cells) for i in range(2)] == [4, 3]


def test_underscores_in_text_give_a_rule_not_cells() -> None:
    page = DrawnPage()
    page.text(100, 100, "Name: ________")
    structure = find_structure(page.array(), page.words)
    assert [r.orientation for r in structure.rules] == ["horizontal"]
    assert structure.cells == () and structure.tables == () and structure.marks == ()


def test_text_alone_gives_no_structure() -> None:
    page = DrawnPage()
    for row, text in enumerate(
        ["Sig: take 1 tab by mouth daily", "Lisinopril 10 mg | refills: 2", "WWW MMM"]
    ):
        page.text(100, 100 + 50 * row, text)
    assert find_structure(page.array(), page.words) == PageStructure()


# ---- selection marks ------------------------------------------------------------------------


def test_checkboxes_and_radios_read_selected_with_their_options() -> None:
    page, boxes = _checkbox_page()
    structure = find_structure(page.array(), page.words)
    assert len(structure.marks) == 6
    expected = {
        "empty": ("square", False, "Optempty"),
        "tick": ("square", True, "Opttick"),
        "cross": ("square", True, "Optcross"),
        "filled": ("square", True, "Optfilled"),
        "radio_on": ("circle", True, "Male"),
        "radio_off": ("circle", False, "Female"),
    }
    for name, (shape, selected, option) in expected.items():
        mark = _mark_at(structure, boxes[name])
        assert (mark.shape, mark.selected, mark.option) == (shape, selected, option), name
        assert mark.confidence >= 0.7
        option_word = next(w for w in page.words if w.text == option)
        assert mark.option_box == option_word.box


def test_a_speck_of_noise_beside_a_mark_leaves_it_a_mark_but_a_letter_s_stroke_does_not() -> None:
    page = DrawnPage()
    radio = page.radio(100, 100, filled=True)
    page.draw.rectangle((radio[0] - 4, 112, radio[0] - 3, 113), fill=0)  # a 2-pixel speck
    page.text(140, 100, "Immune")
    box = page.checkbox(400, 100, "tick")
    page.draw.rectangle((box[0] - 4, 104, box[0] - 3, 122), fill=0)  # a stem: an "l" set close
    page.text(440, 100, "Yes")
    structure = find_structure(page.array(), page.words)
    mark = _mark_at(structure, radio)
    assert (mark.selected, mark.option) == (True, "Immune")
    assert not [m for m in structure.marks if m.box[0] >= 390]


def test_option_text_runs_to_the_next_mark_or_a_wide_gap() -> None:
    page = DrawnPage()
    yes = page.checkbox(100, 100, "cross")
    page.text(140, 100, "Yes, daily")
    page.checkbox(400, 100, "empty")
    page.text(440, 100, "No")
    page.text(900, 100, "Comments")
    structure = find_structure(page.array(), page.words)
    assert [m.option for m in structure.marks] == ["Yes, daily", "No"]
    assert _mark_at(structure, yes).selected


def test_a_ticked_box_whose_tick_runs_into_its_option_is_still_a_mark() -> None:
    # A tick drawn past the box's corner into the option's first letter joins box and word in
    # one outline; the other boxes of the row give the size to look for.
    page = DrawnPage()
    empty = page.checkbox(100, 100, "empty")
    page.text(140, 100, "Immune")
    ticked = page.checkbox(400, 100, "tick")
    page.draw.line((ticked[0] + 11, ticked[1] + 19, ticked[2] + 10, ticked[1] - 6), fill=0, width=3)
    page.text(ticked[2] + 6, 100, "Not immune")
    page.checkbox(700, 100, "empty")
    page.text(740, 100, "Unknown")
    structure = find_structure(page.array(), page.words)
    assert _mark_at(structure, empty).selected is False
    mark = _mark_at(structure, ticked)
    assert mark.selected and mark.shape == "square"
    assert [m.selected for m in structure.marks] == [False, True, False]


def test_a_box_whose_thick_tick_sticks_out_of_its_corner_is_still_a_mark() -> None:
    # A heavy pen's tick, steep enough that its stroke survives as a side would, leaves the box
    # over its top-right corner: the outline is no square, the box round its holes is.
    page = DrawnPage()
    empty = page.checkbox(100, 100, "empty")
    page.text(140, 100, "Yes")
    ticked = page.checkbox(400, 100, "empty")
    page.draw.line((ticked[0] + 5, ticked[1] + 12, ticked[0] + 11, ticked[1] + 20), fill=0, width=6)
    page.draw.line((ticked[0] + 11, ticked[1] + 20, ticked[2] + 4, ticked[1] - 9), fill=0, width=6)
    page.text(440, 100, "No")
    structure = find_structure(page.array(), page.words)
    assert _mark_at(structure, empty).selected is False
    mark = _mark_at(structure, ticked)
    assert mark.selected and mark.shape == "square" and mark.option == "No"


# A box ticked by a heavy pen as a low-resolution scan draws it: the tick's stroke hugs the
# box's right side down its middle third and leaves over its top-right corner.
HEAVY_TICK = """
...........................#######...
...........................########..
...........................#########.
.......................#############.
..##################################.
.##################################..
###################################..
##################################...
##################################...
#################################....
#####..............#############.....
####................###########......
####................###########......
####...............############......
###...............#############......
####.............##############......
####...####......##############......
#############...###############......
###############################......
###############################......
###############################......
###############################......
###############################......
###############################......
####..#########################......
####..###############...#######......
####...##############...#######......
####...##############....######......
####.....###########.....######......
####.....##########.....#######......
####.....###########...########......
##############################.......
##############################.......
.#############################.......
..##########################.........
""".strip().splitlines()


def test_a_box_whose_heavy_tick_hugs_its_side_is_still_a_ticked_mark() -> None:
    page = DrawnPage()
    page.draw.rectangle((100, 104, 130, 134), outline=0, width=4)
    page.text(145, 104, "Yes")
    for row, line in enumerate(HEAVY_TICK):
        for col, glyph in enumerate(line):
            if glyph == "#":
                page.draw.point((400 + col, 100 + row), fill=0)
    page.text(445, 104, "No")
    structure = find_structure(page.array(), page.words)
    assert [(m.option, m.selected) for m in structure.marks] == [("Yes", False), ("No", True)]


# A serifed capital D as a shadowed photo's print gives it, read by OCR as no sure word: its
# round side thins toward its ends, as no printed box's side does.
SERIFED_D = """
#################..........
.###################.......
....####.......######......
....####..........#####....
....####...........#####...
....####............#####..
....####.............####..
....####.............#####.
....####..............####.
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............#####
....####..............####.
....####.............#####.
....####.............####..
....####............#####..
....####...........#####...
....####.........######....
....####.......######......
###################........
.###############...........
""".strip().splitlines()


def test_a_serifed_letter_d_standing_alone_is_no_mark() -> None:
    page = DrawnPage()
    for row, line in enumerate(SERIFED_D):
        for col, glyph in enumerate(line):
            if glyph == "#":
                page.draw.point((400 + col, 100 + row), fill=0)
    assert find_structure(page.array(), []).marks == ()


# A "D" as a scanned page's "Vitamin D" set it (serif, binarized as the engine does): a thick
# stem and a round bowl. Its outline fills its box as a circle's does, and its rims are even
# enough for a printed one's.
SCANNED_D = """
...############............
..#################.........
...######.....#######.......
....####.........######.....
....####...........#####....
....####............######..
....####.............#####..
....####..............#####.
....####..............#####.
....####..............#####.
....####...............####.
....####...............#####
....####...............#####
....####...............#####
....####...............####.
....####...............####.
....####..............####..
....####..............####..
....####.............#####..
....####.............#####..
....####............#####...
....####...........#####....
....#####.........#####.....
...######......#######......
...#################........
..###############...........
""".strip().splitlines()


def test_a_letter_d_read_alone_after_a_word_is_no_radio_but_a_circle_read_as_o_is() -> None:
    """ "Vitamin D": OCR read the "D" surely as one letter; its ink is no mirror image of
    itself, as a printed circle's is, so it is a letter and stays in the value. A radio circle
    OCR read as "O" just as surely is still a mark."""
    page = DrawnPage()
    page.text(100, 100, "Vitamin")
    for row, line in enumerate(SCANNED_D):
        for col, glyph in enumerate(line):
            if glyph == "#":
                page.draw.point((260 + col, 100 + row), fill=0)
    page.words.append(Word("D", 0.92, (260, 100, 288, 126)))
    circle = page.radio(500, 100, filled=False)
    page.words.append(Word("O", 0.92, circle))
    page.text(540, 100, "Female")
    structure = find_structure(page.array(), page.words)
    assert [m.box for m in structure.marks] == [circle]


@pytest.mark.parametrize("side", [54, 68])
def test_a_box_twice_as_high_as_the_print_in_a_tall_row_is_a_mark_with_its_option(side: int) -> None:
    """Print 24 pixels high beside boxes of 54 and of 68 (a form drawn for ticking by hand in
    small type, scanned as a JPEG: its boxes 2.5 times its print went unseen)."""
    page = DrawnPage()
    page.table(60, 80, [500, 200, 200], [100])
    page.text(70, 115, "Hepatitis B vaccinated?")
    ticked = page.checkbox(575, 96, "cross", side=side)
    page.text(655, 115, "Y")
    empty = page.checkbox(775, 96, "empty", side=side)
    page.text(855, 115, "N")
    structure = find_structure(page.array(), page.words)
    assert _mark_at(structure, ticked).selected and _mark_at(structure, ticked).option == "Y"
    assert not _mark_at(structure, empty).selected and _mark_at(structure, empty).option == "N"


def test_letters_of_a_title_twice_the_print_s_height_are_not_marks() -> None:
    page = DrawnPage()
    page.text(100, 300, "Patient record of the clinic")
    title = ImageFont.truetype(str(FONT_PATH), 2 * FONT_SIZE)
    for x, text in ((100, "O D 0 o"), (100, "OD Do oO 0D")):
        page.draw.text((x, 100 if text.startswith("O ") else 180), text, font=title, fill=0)
    assert find_structure(page.array(), page.words).marks == ()


def test_the_letters_and_colon_of_a_large_heading_read_surely_are_not_marks() -> None:
    """A bold heading over twice the print's height, read surely as a word of many letters: its
    "o" and its colon's dots are no radio and no filled boxes, and give no size to find more
    boxes among the print's letters by."""
    page = DrawnPage()
    heading = ImageFont.truetype(str(FONT_PATH.with_name("DejaVuSans-Bold.ttf")), round(2.6 * FONT_SIZE))
    page.draw.text((100, 100), "Prescription:", font=heading, fill=0)
    page.words.append(
        Word("Prescription:", 0.96, page.draw.textbbox((100, 100), "Prescription:", font=heading))
    )
    page.text(100, 260, "Residence: 88 Prospect Avenue, Hartford, CT")
    page.text(100, 330, "Refill: 6   Date issued: April 3 2023")
    assert find_structure(page.array(), page.words).marks == ()


@pytest.mark.parametrize("text", ["O 0 D o", "Blood group O, code 0D, Do go", "OD oo Oo DD"])
def test_letters_are_not_marks(text: str) -> None:
    page = DrawnPage()
    page.text(100, 100, text)
    assert find_structure(page.array(), page.words).marks == ()
    assert find_structure(page.array(), []).marks == ()


def test_a_box_read_with_its_option_as_one_sure_word_is_still_a_mark() -> None:
    # OCR read an empty box and its option "N" as the word "ON" (a sure 0.96): four straight
    # sides close no letter's hole, so the box is a box; the ticked box beside gives its size.
    page = DrawnPage()
    ticked = page.checkbox(100, 100, "tick")
    page.text(140, 100, "Y")
    empty = page.checkbox(300, 100, "empty")
    option = page.text(empty[2] + 1, 100, "N")[0]
    words = [w for w in page.words if w.text == "Y"]
    words.append(Word("ON", 0.96, (empty[0], empty[1], option.box[2], empty[3])))
    structure = find_structure(page.array(), words)
    assert _mark_at(structure, ticked).selected
    assert _mark_at(structure, empty).selected is False


def test_a_word_read_on_a_mark_is_dropped_and_the_option_kept() -> None:
    page = DrawnPage()
    box = page.checkbox(100, 100, "empty")
    page.text(140, 100, "Yes")
    misread = Word("[]", 0.4, (box[0] + 1, box[1], box[2] - 1, box[3]))
    words = [misread, *page.words]
    structure = find_structure(page.array(), words)
    assert words_outside_marks(words, structure) == page.words
    assert structure.marks[0].option == "Yes"


def test_a_word_read_from_a_mark_on_into_its_option_is_kept_for_the_option() -> None:
    """OCR read a ticked box and its "Y" as one word "My": at least half of it over the box,
    it was dropped with the box, and the ticked box's option went unread."""
    page = DrawnPage()
    box = page.checkbox(100, 100, "tick", side=38)
    page.text(150, 105, "Y")
    run_on = Word("My", 0.95, (box[0], box[1], box[2] + 29, box[3]))
    glyph = Word("O", 0.5, (box[0], box[1], box[2] + 3, box[3]))
    structure = find_structure(page.array(), [run_on])
    assert structure.marks
    assert words_outside_marks([run_on, glyph], structure) == [run_on]


def test_a_column_of_boxes_read_as_one_tall_word_is_dropped() -> None:
    """OCR may read a column of empty boxes as one word ("OOOdao") as tall as the column, which
    line grouping then sets beside one of the options."""
    page = DrawnPage()
    boxes = [page.checkbox(100, 100 + 60 * row, "empty") for row in range(5)]
    for row in range(5):
        page.text(150, 100 + 60 * row, f"Option {row}")
    column = Word("OOOdao", 0.5, (boxes[0][0] - 2, boxes[0][1], boxes[0][2] + 2, boxes[-1][3]))
    words = [column, *page.words]
    structure = find_structure(page.array(), words)
    assert len(structure.marks) == 5
    assert words_outside_marks(words, structure) == page.words


def test_a_table_inside_a_double_frame_round_the_page_has_its_cells() -> None:
    """A form ruled with a double border round the page: the table's cells are holes inside the
    inner frame's ink, itself inside the outer frame's hole; they are cells all the same."""
    page = DrawnPage()
    page.box(20, 20, 1380, 880, width=4)
    page.box(34, 34, 1366, 866, width=4)
    page.table(100, 100, [400, 120, 120], [60, 60, 60])
    structure = find_structure(page.array(), [])
    assert len([c for c in structure.cells if c.box[0] >= 100 and c.box[1] >= 100]) == 9


# ---- splitting rows at cell borders ----------------------------------------------------------


def test_split_at_rules_splits_words_either_side_of_a_vertical_border() -> None:
    page = DrawnPage()
    page.table(100, 100, [300, 300], [60])
    left = page.text(115, 115, "Lisinopril 10")
    right = page.text(415, 115, "mg daily")
    structure = find_structure(page.array(), page.words)
    assert split_at_rules(page.words, structure) == [left, right]
    assert split_at_rules(left, structure) == [left]
    assert split_at_rules([], structure) == []


def test_a_hand_s_tall_letter_touching_no_rule_parts_no_line_but_a_column_divider_does() -> None:
    """A written "f" between two words reaches three text heights from its top to its tail; a
    divider between two columns of text touching no rule runs the length of their lines."""
    page = DrawnPage(1400, 900)
    words = page.text(100, 100, "daily") + page.text(300, 100, "month")
    height = words[1].box[3] - words[1].box[1]
    top = words[1].box[1]
    page.line(250, top - height, 250, top + 2 * height, width=3)  # the "f" of "for"
    left = page.text(100, 400, "Losartan 50 mg")
    right = page.text(560, 400, "Take once daily")
    page.text(100, 450, "Metformin 500 mg")
    page.text(560, 450, "Take twice daily")
    page.line(530, 380, 530, 380 + round(5 * height), width=3)
    structure = find_structure(page.array(), page.words)
    assert [r.box[0] // 10 for r in structure.rules if r.orientation == "vertical"] == [52]
    assert split_at_rules(words, structure) == [words]
    assert split_at_rules(left + right, structure) == [left, right]


def test_a_stroke_along_the_words_of_lines_written_close_is_no_rule() -> None:
    """Tall strokes of a hand on lines written close together join into one long stroke, which
    lies inside the boxes of the words it passes through; a rule runs through their gaps."""
    page = DrawnPage(1400, 900)
    lines = [page.text(100, 100, "Avoid alcohol")]
    pitch = lines[0][0].box[3] - lines[0][0].box[1]
    lines += [page.text(100, 100 + k * pitch, text) for k, text in ((1, "Follow up in"), (2, "Drink plenty"))]
    for words in lines:  # tesseract's boxes of a hand reach from its ascenders to its tails
        words[0] = Word(
            words[0].text, words[0].confidence, (100, words[0].box[1] - 8, 240, words[0].box[3] + 8)
        )
    top, bottom = lines[0][0].box[1], lines[-1][0].box[3]
    page.line(170, top + 2, 170, bottom - 2, width=3)
    page.words = [w for words in lines for w in words]
    structure = find_structure(page.array(), page.words)
    assert [r for r in structure.rules if r.orientation == "vertical"] == []


def test_a_line_splits_where_the_rule_ruled_for_its_value_starts() -> None:
    """ "For ____" filled in: the rule starts in the gap after the label and runs under the
    value, which it parts from the label; a rule under the whole line, or one that ends before
    the next word, parts nothing."""
    page = DrawnPage()
    label = page.text(100, 100, "For")
    value = page.text(175, 100, "Jacqueline Flores")
    page.line(160, 132, 700, 132)
    sentence = page.text(100, 300, "Take two tablets")
    page.line(95, 332, 700, 332)
    blanks = page.text(100, 500, "Name")
    blanks += page.text(400, 500, "Date")
    page.line(190, 532, 380, 532)
    colon = page.text(100, 790, "Insurer:")
    colon += page.text(260, 790, "Atlas Insurance Company")
    page.line(245, 822, 900, 822)
    underlined = page.text(100, 700, "Dr Adam Robinson")
    page.line(145, 732, 245, 732)  # as long as a word: serifs run together, no line to write on
    structure = find_structure(page.array(), page.words)
    assert split_at_rule_starts(label + value, structure) == [label, value]
    assert split_at_rule_starts(sentence, structure) == [sentence]
    assert split_at_rule_starts(blanks, structure) == [blanks]
    assert split_at_rule_starts(underlined, structure) == [underlined]
    assert split_at_rule_starts(colon, structure) == [colon]
    assert split_at_rule_starts([], structure) == []


def test_a_rule_starting_after_a_house_number_parts_no_address() -> None:
    """On a fax the line under an address broke off under its house number and starts under
    the street: a number is no label, so "38" and "Madison Way" stay one line."""
    page = DrawnPage()
    address = page.text(100, 100, "38 Madison Way, Hartford, CT")
    street = address[1].box
    page.line(street[0] - 8, street[3] + 4, 900, street[3] + 4)
    label, value = _written_on_its_rule(page)
    structure = find_structure(page.array(), page.words)
    assert split_at_rule_starts(address, structure) == [address]
    assert split_at_rule_starts(label + value, structure) == [label, value]


def _written_on_its_rule(page: DrawnPage) -> tuple[list[Word], list[Word]]:
    """ "For" and "Jacqueline Moss" written on the line ruled for it, drawn on ``page``: a rule's
    start that does part a label from its value."""
    label = page.text(100, 300, "For")
    value = page.text(175, 300, "Jacqueline Moss")
    page.line(value[0].box[0] - 10, value[0].box[3] - 2, value[1].box[2] + 200, value[0].box[3] - 2)
    return label, value


def test_the_feet_of_a_heading_s_letters_run_together_are_no_rule_to_part_it() -> None:
    """A bold serif heading on a noisy scan: the serifs along "Information"'s baseline make one
    run of ink from its first letter to its last, which must not part it from "Patient"; a line
    running on past the word is still one ruled for a value."""
    page = DrawnPage()
    heading = page.text(100, 100, "Patient Information")
    second = heading[1].box
    page.line(second[0] + 1, second[3] - 2, second[2] - 1, second[3] - 2)
    label = page.text(100, 300, "For")
    value = page.text(175, 300, "Jacqueline")
    page.line(value[0].box[0] - 10, value[0].box[3] - 2, value[0].box[2] + 200, value[0].box[3] - 2)
    structure = find_structure(page.array(), page.words)
    assert [r.box[1] for r in structure.rules] == [pytest.approx(value[0].box[3] - 2, abs=3)]
    assert split_at_rule_starts(heading, structure) == [heading]
    assert split_at_rule_starts(label + value, structure) == [label, value]


def test_the_feet_of_two_words_run_together_across_their_gap_are_no_rule_to_part_a_line() -> None:
    """Blurred print at a low resolution: the feet of "tablet QDS" make one run of ink from the
    first word's start to the second's end, across the gap; taken for a line to write on, it
    parted the medicine's dose from its directions ("... 100 mcg - 2 | tablet QDS ...")."""
    page = DrawnPage()
    line = page.text(100, 100, "Levothyroxine 100 mcg - 2 tablet QDS after food")
    tablet, qds = line[5].box, line[6].box
    page.line(tablet[0] + 1, tablet[3] - 3, qds[2] - 1, tablet[3] - 3)
    label, value = _written_on_its_rule(page)
    structure = find_structure(page.array(), page.words)
    assert split_at_rule_starts(line, structure) == [line]
    assert split_at_rule_starts(label + value, structure) == [label, value]


# ---- robustness -----------------------------------------------------------------------------


def test_a_table_turned_by_under_a_degree_keeps_its_cells() -> None:
    page = _table_page()
    for degrees in (0.7, -0.7):
        structure = find_structure(rotated(page.array(), degrees), page.words)
        assert len(structure.cells) == 12, degrees
        assert [(t.rows, t.cols) for t in structure.tables] == [(3, 4)]


@pytest.mark.parametrize("spoil", ["noise", "jpeg", "rotated"])
def test_rules_and_marks_survive_noise_jpeg_and_skew(spoil: str) -> None:
    page, _ = _checkbox_page()
    page.line(100, 300, 800, 300)
    page.table(100, 400, [200, 200, 200], [60, 60])
    image = page.array()
    spoiled = {
        "noise": lambda: noisy(image, 20),
        "jpeg": lambda: jpeg_round_trip(image, 40),
        "rotated": lambda: rotated(image, 0.5),
    }[spoil]()
    clean = find_structure(image, page.words)
    structure = find_structure(spoiled, page.words)
    assert len(structure.rules) == len(clean.rules)
    assert len(structure.cells) == 6
    assert [(m.shape, m.selected) for m in structure.marks] == [(m.shape, m.selected) for m in clean.marks]
    assert len(structure.marks) == 6


def test_a_blank_or_empty_page_gives_an_empty_structure() -> None:
    assert find_structure(np.full((600, 800), 255, np.uint8), []) == PageStructure()
    assert find_structure(noisy(np.full((600, 800), 230, np.uint8), 8), []) == PageStructure()
    assert find_structure(np.zeros((0, 0), np.uint8), []) == PageStructure()
    assert find_structure(np.zeros((600, 800), np.uint8), []) == PageStructure()


def test_a_full_page_of_tables_and_boxes_is_found_whole() -> None:
    # Its time is a benchmark's to measure (benchmarks/speed.py reports the structure stage), not
    # a test's: a wall-clock bound fails on a loaded machine.
    page = DrawnPage(2000, 2600)
    for i in range(10):
        y = 80 + 250 * i
        page.text(100, y, "Patient name: Maria Sharapova  Date of birth 12/04/1987")
        page.line(340, y + 34, 1200, y + 34)
        page.table(100, y + 60, [300, 300, 300, 300], [50, 50])
        for k in range(4):
            page.checkbox(1500 + 120 * (k % 2), y + 60 + 50 * (k // 2), "tick" if k % 3 else "empty")
    structure = find_structure(page.array(), page.words)
    assert len(structure.cells) == 80 and len(structure.marks) == 40


# ---- serialising ----------------------------------------------------------------------------


def test_to_dict_round_trips() -> None:
    page, _ = _checkbox_page()
    page.table(100, 400, [200, 200], [60, 60])
    page.line(100, 600, 700, 600)
    structure = find_structure(page.array(), page.words)
    assert structure.rules and structure.cells and structure.marks
    assert PageStructure.from_dict(structure.to_dict()) == structure
    assert PageStructure.from_dict(json.loads(json.dumps(structure.to_dict()))) == structure


# ---- real tesseract ---------------------------------------------------------------------------


@pytest.mark.ocr
def test_tesseract_words_give_the_selected_option(needs_ocr: None) -> None:
    from extraction.tesseract import read_words

    page = DrawnPage(1000, 200)
    page.text(40, 60, "Insured?")
    page.checkbox(200, 60, "cross")
    page.text(240, 60, "Yes")
    page.checkbox(340, 60, "empty")
    page.text(380, 60, "No")
    image = page.array()
    words = read_words(image, dpi=300, timeout=60)
    structure = find_structure(image, words)
    assert [m.selected for m in structure.marks] == [True, False]
    assert [m.option for m in structure.marks if m.selected] == ["Yes"]


@pytest.mark.parametrize("row_height", [30, 34, 40])
def test_the_stems_of_letters_in_a_row_set_tight_round_its_text_are_no_cell_sides(row_height: int) -> None:
    # Stems of "k", "l", "J" reach from the row's top rule to its bottom one like a cell's side;
    # they do not run past the words they belong to, and the value is not cut into cells.
    page = DrawnPage(1400, 400)
    page.table(60, 100, [300, 900], [row_height] * 3, width=2)
    rows = (
        ("Patient", "Donna Jordan"),
        ("Home address", "6161 Oak Dr, Jersey City, NJ"),
        ("Born", "HENRY BLAKE"),
    )
    values = []
    for index, (label, value) in enumerate(rows):
        page.text(70, 102 + index * row_height, label)
        values.append(page.text(370, 102 + index * row_height, value))
    structure = find_structure(page.array(), page.words)
    inner = [r for r in structure.rules if r.orientation == "vertical" and 380 < r.box[0] < 1250]
    assert inner == []
    for words in values:
        assert split_at_rules(words, structure) == [words]
    # The table's own sides are still found.
    sides = sorted({r.box[0] // 10 for r in structure.rules if r.orientation == "vertical"})
    assert sides == [6, 36, 126]


def test_a_letter_inside_a_surely_read_word_is_no_mark_but_a_box_at_its_start_may_be() -> None:
    from extraction.structure.marks import _on_sure_text

    # "OPRN": a box read into its option's word, whose bold "N" has the outline of a filled
    # radio circle.
    words = np.array([[1005, 1013, 1143, 1048]])
    sure, holed = np.array([True]), np.array([True])
    assert _on_sure_text((1115, 1016, 1143, 1047), words, sure, holed)
    assert not _on_sure_text((1005, 1013, 1040, 1048), words, sure, holed)
    assert not _on_sure_text((1115, 1016, 1143, 1047), words, np.array([False]), holed)
    # The "N" of "INSURANCE" just after its narrow "I": less than its own width from the start.
    insurance = np.array([[1526, 539, 1782, 569]])
    assert _on_sure_text((1542, 539, 1569, 569), insurance, sure, np.array([False]))


def test_a_box_at_a_short_word_s_start_is_a_letter_only_if_ocr_read_one_with_a_hole() -> None:
    from extraction.structure.marks import _on_sure_text

    # "MY" for a ticked box and its option "Y": the box is most of the word, but no "M" closes
    # a hole as the box's outline does. "OD" may be the letter it reads.
    word = np.array([[801, 213, 853, 241]])
    box = (801, 213, 829, 241)
    assert not _on_sure_text(box, word, np.array([True]), holed=np.array([False]))
    assert _on_sure_text(box, word, np.array([True]), holed=np.array([True]))


@pytest.mark.usefixtures("needs_ocr")
def test_a_ticked_box_read_with_its_option_as_one_word_is_still_a_ticked_box() -> None:
    from extraction import tesseract

    # Tesseract reads "☑Y" as "MY": the box is most of that short word, and no letter of it.
    page = DrawnPage(1400, 200)
    page.text(100, 60, "Insured?")
    page.text(700, 60, "☑Y ☐N")
    image = page.array()
    words = tesseract.read_words(image, dpi=300, timeout=60)
    ticked = [m for m in find_structure(image, words).marks if m.selected]
    assert len(ticked) == 1
    assert 690 <= ticked[0].box[0] <= 715


def test_a_box_filled_to_a_hair_of_its_rim_is_selected() -> None:
    """Print or a heavy scan closes the hair of paper between a filled box's rim and its fill
    in places: the hair left at the corners makes holes, but no rim of a printed box's
    thickness is left in the middle of its sides. It is a filled mark, not a letter."""
    page = DrawnPage()
    x, y, side = 100, 100, 30
    x1, y1 = x + side - 1, y + side - 1
    page.draw.rectangle((x, y, x1, y1), outline=0, width=2)
    page.draw.rectangle((x + 3, y + 3, x1 - 3, y1 - 3), fill=0)
    third = side // 3
    for a in range(third, 2 * third):  # the hair closed along the middle of each side
        page.draw.point([(x + 2, y + a), (x1 - 2, y + a), (x + a, y + 2), (x + a, y1 - 2)], fill=0)
    mark, _ = _beside_an_empty_box(page, (x, y, x + side, y + side), "Yes", "No")
    assert mark.selected and mark.option == "Yes"


def _beside_an_empty_box(
    page: DrawnPage, box: tuple[int, int, int, int], option: str, other: str
) -> tuple[SelectionMark, PageStructure]:
    """The mark found at ``box`` with ``option`` printed right of it, an empty box with
    ``other`` beside it at (300, 100); and the page's structure."""
    page.text(box[0] + 45, box[1], option)
    page.checkbox(300, 100, "empty")
    page.text(345, 100, other)
    structure = find_structure(page.array(), page.words)
    return _mark_at(structure, box), structure


@pytest.mark.parametrize("hair", ["left and top", "top"])
def test_a_box_filled_into_its_rim_on_some_sides_is_selected(hair: str) -> None:
    """A low-resolution scan fills a box up to its rim on some sides and leaves a hair of paper
    on the others: the rim reads one pixel thin there and the fill's width on the rest, as no
    printed box's does; with the hair along one side only, its outline has a sliver of hole
    that no thin rim surrounds. It is a filled mark all the same, with its option."""
    page = DrawnPage()
    x, y, side = 100, 100, 28
    x1, y1 = x + side - 1, y + side - 1
    page.draw.rectangle((x, y, x1, y1), outline=0, width=2)
    left = x + 4 if "left" in hair else x + 2
    page.draw.rectangle((left, y + 4, x1, y1), fill=0)
    mark, structure = _beside_an_empty_box(page, (x, y, x + side, y + side), "Immune", "Not immune")
    assert mark.selected and mark.option == "Immune"
    assert not _mark_at(structure, (300, 100, 326, 126)).selected


@pytest.mark.parametrize("letters", ["B D R", "a e 8 0"])
def test_bold_letters_with_holes_standing_alone_are_not_filled_marks(letters: str) -> None:
    page = DrawnPage()
    bold = ImageFont.truetype(str(FONT_PATH.with_name("DejaVuSans-Bold.ttf")), round(1.4 * FONT_SIZE))
    page.draw.text((100, 100), letters, font=bold, fill=0)
    page.text(100, 200, "Patient record of the clinic")
    assert find_structure(page.array(), page.words).marks == ()
    assert find_structure(page.array(), []).marks == ()


def test_bold_words_opening_with_a_closed_up_a_are_no_filled_marks() -> None:
    """A bold face closes the bowl of an "a" up to a speck of a hole: dense as a filled box, but
    the first letter of a word read surely, or a word of its own."""
    page = DrawnPage()
    bold = ImageFont.truetype(str(FONT_PATH.with_name("DejaVuSans-Bold.ttf")), FONT_SIZE)
    x = 100
    for text in ("Please", "list", "anything", "you", "are", "allergic", "to", "a"):
        page.draw.text((x, 100), text, font=bold, fill=0)
        page.words.append(Word(text, 0.96, page.draw.textbbox((x, 100), text, font=bold)))
        x = page.words[-1].box[2] + 14
    ink = page.array()
    # Close the bowls: what a heavy scan does to bold print.
    ink = cv2.erode(ink, np.ones((3, 3), np.uint8))
    assert find_structure(ink, page.words).marks == ()


def test_boxes_broken_open_in_a_column_of_boxes_are_read() -> None:
    """A fax breaks a box's outline at a corner: no closed outline, yet it stands in the column
    of boxes found whole. It is found, read no surer than a clerk should trust, and its option
    taken; a letter's loop at the column's edge stays a letter."""
    page = DrawnPage()
    rows = {"Simvastatin 40 mg": "cross", "Citalopram 10 mg": "empty", "Lisinopril 5 mg": "empty"}
    broken = {}
    for row, (option, state) in enumerate(rows.items()):
        y = 100 + 60 * row
        box = page.checkbox(100, y, state if row != 1 else "empty")
        page.text(145, y, option)
        if row == 1:
            broken[option] = box
            page.draw.rectangle((box[2] - 10, box[1] - 1, box[2] - 9, box[1] + 3), fill=255)  # 2 px
    page.checkbox(100, 280, "empty")
    page.text(145, 280, "Amlodipine 5 mg")
    page.text(100, 340, "Other medicines")
    page.words[-2:] = [replace(w, confidence=0.4) for w in page.words[-2:]]
    structure = find_structure(page.array(), page.words)
    mark = _mark_at(structure, broken["Citalopram 10 mg"])
    assert not mark.selected and mark.option == "Citalopram 10 mg" and mark.confidence <= 0.65
    assert len(structure.marks) == 4


def test_a_box_whose_rows_a_fax_shifted_past_its_side_is_still_a_box() -> None:
    """A fax shifts some rows of a page sideways: a stub of a box's bottom rim sticks out past
    its right side and under it, so its outline no longer fills its box as a square's does. The
    stub, thinner than the box, is no part of its shape: both boxes are read, the crossed one
    ticked; a bold "D" with its stem beside them stays a letter."""
    page = DrawnPage()
    boxes = {}
    for x, option, state in ((100, "Yes", "empty"), (260, "No", "cross")):
        box = page.checkbox(x, 100, state)
        page.text(x + 40, 100, option)
        page.draw.rectangle((box[0] + 12, box[3] - 2, box[2] + 2, box[3] + 2), fill=0)  # the stub
        boxes[option] = box
    bold = ImageFont.truetype(str(FONT_PATH.with_name("DejaVuSans-Bold.ttf")), round(1.1 * FONT_SIZE))
    page.draw.text((100, 200), "Vitamin D", font=bold, fill=0)
    page.words.append(Word("Vitamin", 0.95, page.draw.textbbox((100, 200), "Vitamin", font=bold)))
    structure = find_structure(page.array(), page.words)
    assert not _mark_at(structure, boxes["Yes"]).selected
    assert _mark_at(structure, boxes["No"]).selected
    assert _mark_at(structure, boxes["No"]).option == "No"
    assert len(structure.marks) == 2


def test_a_bold_letter_level_with_a_row_of_boxes_is_no_box_broken_open() -> None:
    """A question's bold "B" stands level with its row of answer boxes, as big as they are and
    looped: print stands level with every row of boxes, so only a column vouches for a box."""
    page = DrawnPage()
    bold = ImageFont.truetype(str(FONT_PATH.with_name("DejaVuSans-Bold.ttf")), round(1.1 * FONT_SIZE))
    page.draw.text((100, 98), "Hepatitis B:", font=bold, fill=0)
    page.words.append(Word("Hepatitis", 0.95, page.draw.textbbox((100, 98), "Hepatitis", font=bold)))
    x = 420
    for option in ("Yes", "No", "Not sure"):
        page.checkbox(x, 100, "cross" if option == "Yes" else "empty")
        page.text(x + 40, 100, option)
        x += 200
    assert len(find_structure(page.array(), page.words).marks) == 3


def test_a_box_ocr_read_into_its_option_s_unsure_first_word_still_leaves_it_unticked() -> None:
    """OCR read an empty box and its option as one unsure word ("Lisinopril" from the box's
    left side on): the option is beside an empty box, not a value; a sure word's letter loop
    is no box."""
    page = DrawnPage()
    box = page.checkbox(100, 100, "empty")
    page.checkbox(100, 160, "cross")
    page.text(145, 160, "Amlodipine 5 mg")
    structure = find_structure(page.array(), page.words)
    unsure = Word("Lisinopril", 0.39, (box[0] - 2, 100, 420, 130))
    text = page_text([unsure, Word("40", 0.95, (430, 100, 460, 130)), Word("mg", 0.95, (470, 100, 510, 130))])
    line = text.lines[0]
    assert structure.beside_an_empty_box(line.box, text)
    sure = page_text([replace(unsure, confidence=0.96)])
    assert not structure.beside_an_empty_box(sure.lines[0].box, sure)


def test_the_parts_of_an_empty_mask_are_its_background_alone() -> None:
    # OpenCV's connected components end the process on an empty image.
    from extraction.structure.ink import components

    for shape in ((0, 5), (5, 0)):
        count, labels, stats, _ = components(np.zeros(shape, np.uint8))
        assert count == 1 and labels.shape == shape and stats.shape == (1, 5)
