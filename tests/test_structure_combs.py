"""Comb boxes (one character per box) found in drawn pages, painted out for OCR, and their
characters joined into one word; letters, underlines and narrow table columns are no comb."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import ImageFont

from extraction.comb_reading import COMB_CONFIDENCE_FOR_A_CHARACTER, combs_read_again
from extraction.ocr import add_sparse_reading, read_region
from extraction.options import DEFAULT_OPTIONS
from extraction.structure import (
    COMB_REACH,
    PageStructure,
    Rule,
    find_combs,
    find_structure,
    join_combs,
    split_at_rule_starts,
    split_at_rules,
    with_comb_lines_joined,
    without_combs,
)
from extraction.structure.words import BORDER_GLYPH_CONFIDENCE
from extraction.types import Line, Word, mean_confidence, union_box
from tests.drawn_pages import FONT_PATH, CombStyle, DrawnPage, noisy, page_text, rotated

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

HEIGHT = 24.0


def _date_page(style: CombStyle) -> tuple[DrawnPage, list[tuple[int, int, int, int]]]:
    """'DOB' and a DD / MM / YYYY comb with the slashes printed between the groups."""
    page = DrawnPage()
    page.text(60, 110, "DOB")
    groups, x = [], 200
    for i, chars in enumerate(("07", "03", "1985")):
        if i:
            page.text(x + 8, 110, "/")
            x += 40
        groups.append(page.comb(x, 100, chars, style))
        x = groups[-1][2]
    return page, groups


@pytest.mark.parametrize("style", ["shared", "spaced", "teeth"])
def test_a_date_in_comb_boxes_is_one_comb_without_cells_or_walls(style: CombStyle) -> None:
    page, groups = _date_page(style)
    structure = find_structure(page.array(), page.words)
    assert len(structure.combs) == 1
    x0, y0, x1, y1 = structure.combs[0]
    assert abs(x0 - groups[0][0]) <= 4 and abs(x1 - groups[-1][2]) <= 4
    assert y0 <= 104 and y1 >= 140  # a box high, teeth too: the digits stand inside
    assert structure.cells == ()
    assert [r for r in structure.rules if r.orientation == "vertical"] == []
    digits = [w for w in page.words if w.text not in ("DOB",)]
    assert split_at_rules(digits, structure) == [sorted(digits, key=lambda w: w.x0)]


def test_a_comb_s_outline_holding_words_on_two_rows_is_no_comb() -> None:
    # Found as a comb on a shadowed photo: a cell's caption "Patient name" over the name written
    # in it, the handwriting's strokes standing like walls. A comb holds one row of characters.
    page, _groups = _date_page("shared")
    (comb,) = find_structure(page.array(), page.words).combs
    caption = Word("Patient", 0.96, (comb[0] + 4, comb[1] + 2, comb[0] + 60, comb[1] + 12), 9)
    assert find_structure(page.array(), [*page.words, caption]).combs == ()


@pytest.mark.parametrize("style", ["shared", "spaced", "teeth"])
def test_the_comb_survives_noise_and_skew(style: CombStyle) -> None:
    page, _ = _date_page(style)
    for image in (noisy(page.array(), 12), rotated(page.array(), 0.8)):
        assert len(find_combs(image, HEIGHT)) == 1, style


def test_without_combs_paints_the_walls_out_and_keeps_the_digits() -> None:
    page, groups = _date_page("shared")
    image = page.array()
    cleaned = without_combs(image, HEIGHT)
    x0, y0, _x1, y1 = groups[0]
    # The walls and floor are gone: no dark pixel in the left wall's column or along the floor.
    assert cleaned[y0 + 4 : y1 - 4, x0 - 1 : x0 + 3].min() > 200
    assert cleaned[y1 - 3 : y1 + 1, x0 + 4 : x0 + 20].min() > 200
    # Every digit keeps its ink.
    for word in page.words[1:]:
        wx0, wy0, wx1, wy1 = word.box
        assert (cleaned[wy0:wy1, wx0:wx1] < 128).sum() >= 0.8 * (image[wy0:wy1, wx0:wx1] < 128).sum()


def test_the_teeth_of_a_comb_end_mid_digit_and_the_digits_bars_there_stay() -> None:
    # No line runs along the teeth's tops: a bold "7"'s bar at that height is as long as a short
    # line, and is the digit's own.
    page = DrawnPage()
    page.font = ImageFont.truetype(str(FONT_PATH.with_name("DejaVuSans-Bold.ttf")), 36)
    page.comb(200, 100, "7557", "teeth")
    image = page.array()
    cleaned = without_combs(image, HEIGHT)
    assert cleaned is not image
    for word in page.words:
        x0, y0, x1, y1 = word.box
        assert (cleaned[y0:y1, x0:x1] < 128).sum() == (image[y0:y1, x0:x1] < 128).sum(), word.text


def test_a_page_without_combs_comes_back_unchanged() -> None:
    page = DrawnPage()
    page.text(100, 100, "Patient: Maria Hill")
    page.line(240, 132, 620, 132)
    image = page.array()
    assert without_combs(image, HEIGHT) is image


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda p: p.text(100, 100, "Hill illicit lilt 1111 |||| address"), id="letters"),
        pytest.param(
            lambda p: (p.text(100, 100, "Hill illicit 1111"), p.line(90, 126, 700, 126)), id="underlined"
        ),
        pytest.param(lambda p: p.table(100, 100, [44, 44, 44, 44], [44, 44, 44]), id="narrow table"),
        pytest.param(lambda p: [p.checkbox(100 + 120 * i, 100, "empty") for i in range(4)], id="checkboxes"),
        pytest.param(lambda p: p.box(100, 100, 700, 150), id="a lone box"),
    ],
)
def test_letters_underlines_tables_and_checkboxes_are_no_comb(draw) -> None:  # type: ignore[no-untyped-def]
    page = DrawnPage()
    draw(page)
    assert find_structure(page.array(), page.words).combs == ()


def test_join_combs_makes_one_word_as_sure_as_its_least_sure_character() -> None:
    page, _ = _date_page("spaced")
    structure = find_structure(page.array(), page.words)
    label, *digits = page.words
    unsure = [Word(w.text, 0.4 if w.text == "8" else w.confidence, w.box) for w in digits]
    joined = join_combs([label, *unsure], structure)
    assert [w.text for w in joined] == ["DOB", "07/03/1985"]
    assert joined[1].confidence == 0.4
    assert join_combs([label], structure) == [label]


@pytest.mark.parametrize(
    ("read", "value"),
    [
        ("O3]16|1945", "03161945"),  # the bars between the groups, an "O" among the digits
        ("04/08]1984", "04/081984"),  # a printed slash kept, a bar dropped
        ("ROSS", "ROSS"),  # a name in the boxes: its "O" is a letter
    ],
)
def test_a_comb_s_reading_keeps_only_what_its_boxes_hold(read: str, value: str) -> None:
    page, _ = _date_page("spaced")
    structure = find_structure(page.array(), page.words)
    label, *digits = page.words
    box = union_box([w.box for w in digits])
    assert box is not None
    joined = join_combs([label, Word(read, 0.9, box)], structure)
    assert joined[1].text == value
    assert joined[1].confidence == (0.9 if read == value else BORDER_GLYPH_CONFIDENCE)


def test_combs_round_trip_through_plain_data() -> None:
    page, _ = _date_page("teeth")
    structure = find_structure(page.array(), page.words)
    assert PageStructure.from_dict(structure.to_dict()) == structure
    assert np.asarray(structure.to_dict()["combs"]).shape == (1, 4)


@pytest.mark.parametrize("style", ["shared", "spaced", "teeth"])
def test_the_groups_of_a_comb_read_as_lines_of_their_own_are_one_value(style: CombStyle) -> None:
    """A date in three groups of boxes with no slash printed between them: OCR gives each group
    a line of its own (the spaced boxes' floors start under each group)."""
    page = DrawnPage()
    page.text(60, 110, "DOB:")
    x = 200
    for chars in ("03", "14", "1954"):
        group = page.comb(x, 100, chars, style)
        x = group[2] + 40
    structure = find_structure(page.array(), page.words)
    label, *digits = page.words
    groups = [Line(tuple(w for w in digits if w.box[0] >= left)[:n]) for left, n in _starts(digits)]
    lines = with_comb_lines_joined([Line((label,)), *groups], structure)
    assert [line.text for line in lines] == ["DOB:", " ".join(w.text for w in digits)]
    runs = split_at_rule_starts(list(lines[1].words), structure)
    assert [[w.text for w in join_combs(run, structure)] for run in runs] == [["03141954"]]


def _starts(digits: list[Word]) -> list[tuple[int, int]]:
    """Where each group of ``digits`` (2, 2 and 4 characters) starts, and its length."""
    return [(digits[0].box[0], 2), (digits[2].box[0], 2), (digits[4].box[0], 4)]


def test_a_comb_s_floor_starting_under_a_group_parts_no_value() -> None:
    """The floor of a comb's last group starts in the gap after the one before and runs under
    it, as a line ruled to write a value on would: inside a comb it is no such line. (Letters:
    after a number no such line parts a value, comb or not.)"""
    group, last = Word("MA", 0.9, (551, 680, 614, 706)), Word("JONES", 0.9, (671, 680, 826, 706))
    floor = Rule((660, 710, 832, 713), "horizontal")
    ruled = PageStructure(rules=(floor,))
    assert split_at_rule_starts([group, last], ruled) == [[group], [last]]
    combed = PageStructure(rules=(floor,), combs=((415, 671, 841, 718),))
    assert split_at_rule_starts([group, last], combed) == [[group, last]]


def test_a_comb_read_again_stays_on_its_own_row_when_the_page_is_regrouped(needs_ocr: None) -> None:
    """The comb's own reading comes numbered as its crop's first line, as the page's first line
    is: a later pass that regroups the page's words by line (a sparse reading adding a word) must
    not join the date to the letterhead."""
    page, _ = _date_page("spaced")
    page.text(60, 20, "Sunrise Family Medicine")
    image = page.array()
    structure = find_structure(image, page.words)
    # The page pass read the boxes' digits as noise, so the comb is read again.
    unsure = [replace(w, confidence=0.3) if w.box[1] >= 100 and w.text != "DOB" else w for w in page.words]
    text = page_text(unsure)
    assert text.lines[0].text == "Sunrise Family Medicine" and text.lines[0].words[0].line == 0
    unruled = without_combs(image, HEIGHT)
    read = combs_read_again(unruled, text, structure.combs, 300, DEFAULT_OPTIONS)
    speck = Word("x", 0.9, (1300, 800, 1310, 812), 0)
    regrouped = add_sparse_reading(unruled, read, 300, DEFAULT_OPTIONS, read=[speck])
    rows = [line.text for line in regrouped.lines]
    assert rows[0] == "Sunrise Family Medicine"
    assert any("1985" in row.replace(" ", "") for row in rows[1:])


@pytest.mark.parametrize("style", ["shared", "spaced"])
def test_a_comb_s_own_reading_that_reads_more_of_its_boxes_wins_when_nearly_as_sure(
    needs_ocr: None, style: CombStyle
) -> None:
    """The page pass read the date a little more surely than the comb's own reading does, but
    dropped the year's last two boxes as noise: the comb's own reading, every box read, is taken."""
    page, _ = _date_page(style)
    image = page.array()
    structure = find_structure(image, page.words)
    unruled = without_combs(image, HEIGHT)
    x0, y0, x1, y1 = structure.combs[0]
    reach = round(COMB_REACH * (y1 - y0))
    own = read_region(unruled, (x0 - reach, y0 - 4, x1 + reach, y1 + 4), 300, DEFAULT_OPTIONS, "line")
    assert "1985" in "".join(w.text for w in own)
    surer = min(1.0, mean_confidence(own) + COMB_CONFIDENCE_FOR_A_CHARACTER / 2)
    dropped = [replace(w, confidence=surer) for w in page.words if w.text != "DOB"][:-2]
    text = page_text([*(w for w in page.words if w.text == "DOB"), *dropped])
    read = combs_read_again(unruled, text, structure.combs, 300, DEFAULT_OPTIONS)
    assert "1985" in "".join(w.text for w in read.words if w.text != "DOB")
