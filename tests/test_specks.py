"""Dust in the space between two words, read as a mark that joins them, parted at the page's ink
(``extraction.specks``); printed marks, a decimal point and an abbreviation's points stay."""

from __future__ import annotations

import pytest

from extraction import tesseract
from extraction.specks import split_at_specks
from extraction.types import Word
from tests.drawn_pages import FONT_PATH, DrawnPage

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

TOP = 100
# Where in the letters' height a speck falls: on the base line (read "."), half way up ("-",
# ":"), near the top ("'").
HEIGHTS = {"base line": 0.85, "middle": 0.55, "top": 0.2}


def _page_with_speck(text: str, space: int, height: float) -> DrawnPage:
    """``text`` printed with a speck in its ``space``-th space, at ``height`` of the letters."""
    page = DrawnPage()
    page.text(60, TOP, text)
    cut = [i for i, ch in enumerate(text) if ch == " "][space]
    x = 60 + page.draw.textlength(text[:cut], font=page.font) + page.draw.textlength(" ", font=page.font) / 2
    y = TOP + height * page.font.size
    page.draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=0)
    return page


def _read(page: DrawnPage) -> tuple[list[Word], list[Word]]:
    image = page.array()
    words = tesseract.read_words(image, dpi=300, timeout=60)
    return words, split_at_specks(words, image)


@pytest.mark.parametrize("where", list(HEIGHTS))
@pytest.mark.parametrize(
    ("text", "space"),
    [
        ("Losartan 100 mg", 0),  # between a name and its dose
        ("Levothyroxine 75 mcg", 1),  # between a dose and its unit
        ("Take 2.5 mg daily", 0),  # before a number with its own decimal point
        ("Dr. Smith, M.D.", 0),  # after a printed full stop
        ("Dr. Smith, M.D.", 1),  # after a printed comma
        ("Tel (259) 526-4680", 1),  # after a printed closing bracket
    ],
)
def test_a_speck_in_a_space_parts_the_words_it_joined(text: str, space: int, where: str) -> None:
    page = _page_with_speck(text, space, HEIGHTS[where])
    _read_words, parted = _read(page)
    assert " ".join(w.text for w in parted) == text


@pytest.mark.parametrize(
    "text", ["Take 2.5 mg daily", "Dr. Smith, M.D.", "O'Brien e.g. 1,000 x-ray", "Tel: 555-0199"]
)
def test_printed_marks_stay_where_no_speck_is(text: str) -> None:
    page = DrawnPage()
    page.text(60, TOP, text)
    words, parted = _read(page)
    assert parted == words


def test_the_parted_words_have_their_own_boxes_and_the_reading_s_confidence() -> None:
    page = DrawnPage()
    page.text(60, TOP, "Losartan 100")
    losartan, hundred = page.words
    # A dot on the base line, in the middle of the space.
    x = (losartan.box[2] + hundred.box[0]) // 2
    page.draw.ellipse((x - 2, losartan.box[3] - 4, x + 2, losartan.box[3]), fill=0)
    glued = Word("Losartan.100", 0.9, (losartan.box[0], losartan.box[1], hundred.box[2], hundred.box[3]), 3)
    first, second = split_at_specks([glued], page.array())
    assert (first.text, second.text) == ("Losartan", "100")
    assert first.box[2] <= x - 2 and second.box[0] >= x + 2
    assert abs(first.box[0] - losartan.box[0]) <= 2 and abs(second.box[2] - hundred.box[2]) <= 2
    assert first.confidence == second.confidence == 0.9 and first.line == second.line == 3


@pytest.mark.parametrize("radius", [2, 0])
def test_a_point_between_digits_is_a_decimal_point_even_with_room_round_it(radius: int) -> None:
    # "2 5" with a dot on the base line between: as "2.5" to the eye, and left so, however
    # faint (a scan leaves a pixel of a printed point).
    page = DrawnPage()
    two, five = page.text(60, TOP, "2  5")
    x = (two.box[2] + five.box[0]) // 2
    foot = two.box[3] - 1
    page.draw.rectangle((x - radius, foot - 2 * radius, x + radius, foot), fill=0)
    word = Word("2.5", 0.9, (two.box[0], two.box[1], five.box[2], five.box[3]))
    assert split_at_specks([word], page.array()) == [word]


@pytest.mark.parametrize(
    ("printed", "read", "dots"),
    [
        # A pixel or two by the foot of the "1": less ink than any printed point.
        ("1 tab", "1.tab", [(2, -2, 2, 1)]),
        # Grains of a scan in the space, read together as a colon.
        ("5 mg", "5:mg", [(3, -20, 1, 2), (6, -12, 2, 1), (12, 2, 1, 1)]),
    ],
)
def test_grains_finer_than_print_in_a_space_are_dust_wherever_they_stand(
    printed: str, read: str, dots: list[tuple[int, int, int, int]]
) -> None:
    page = DrawnPage()
    first, second = page.text(60, TOP, printed)
    for dx, dy, w, h in dots:  # from the first word's right edge and foot
        x, y = first.box[2] + dx, first.box[3] + dy
        page.draw.rectangle((x, y, x + w - 1, y + h - 1), fill=0)
    glued = Word(read, 0.9, (first.box[0], first.box[1], second.box[2], second.box[3] + 3))
    assert [w.text for w in split_at_specks([glued], page.array())] == printed.split()
