"""Print the page pass left out, found on drawn pages (extraction.unread_ink) and read again."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import ImageFont

from extraction.options import DEFAULT_OPTIONS
from extraction.types import FieldResult, Line, PageText, Word, union_box
from extraction.unread_ink import flag_unread_words, unread_runs
from extraction.unread_rows import with_unread_rows
from tests.drawn_pages import FONT_PATH, DrawnPage

HEIGHT = DEFAULT_OPTIONS.text_height


def _inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def test_a_line_no_word_covers_is_found() -> None:
    page = DrawnPage(1200, 400)
    first = page.text(60, 60, "Have you ever had:")
    missed = page.text(60, 160, "Allergies: Shellfish")
    last = page.text(60, 260, "Current meds: Lisinopril")
    runs = unread_runs(np.array(page.image), [*first, *last], HEIGHT)
    assert len(runs) == 1
    assert _inside(union_box([w.box for w in missed]), runs[0])


def test_a_word_left_out_of_a_read_line_is_found() -> None:
    page = DrawnPage(1400, 200)
    words = page.text(60, 60, "Name of insurance company: Guardian Health")
    read = [w for w in words if w.text != "company:"]
    runs = unread_runs(np.array(page.image), read, HEIGHT)
    company = next(w for w in words if w.text == "company:")
    assert len(runs) == 1
    assert _inside(company.box, runs[0])


def test_a_bold_heading_whose_letters_ran_together_is_found() -> None:
    """Blurred bold print joins a word's letters into one piece of ink, wider than any letter
    ("Emergency" of a defocused heading): still a row of print no word covers."""
    page = DrawnPage(1200, 300)
    page.text(60, 60, "Relationship: Sister")
    heading = page.text(60, 160, "Emergency Contact")
    image = np.array(page.image)
    x0, y0, x1, y1 = union_box([w.box for w in heading])
    around = (slice(y0 - 4, y1 + 4), slice(x0 - 4, x1 + 4))
    image[around] = cv2.erode(image[around], np.ones((1, 7)))
    joined = cv2.connectedComponentsWithStats((image[around] < 128).astype(np.uint8))
    assert joined[0] - 1 <= 3 and joined[2][1:, 2].max() > 4 * HEIGHT  # the letters ran together
    runs = unread_runs(image, page.words[:2], HEIGHT)
    assert len(runs) == 1
    assert _inside((x0, y0, x1, y1), runs[0])


def test_a_filled_bar_is_no_print() -> None:
    page = DrawnPage(1200, 300)
    words = page.text(60, 60, "Relationship: Sister")
    image = np.array(page.image)
    image[160 : 160 + HEIGHT, 60 : 60 + 8 * HEIGHT] = 0
    assert unread_runs(image, words, HEIGHT) == []


def test_a_page_read_whole_has_nothing_left() -> None:
    page = DrawnPage(1200, 300)
    page.text(60, 60, "Patient name: Megan Long")
    page.text(60, 160, "Date of birth: 29/06/1980")
    assert unread_runs(np.array(page.image), page.words, HEIGHT) == []


def test_marks_rules_and_specks_are_not_print() -> None:
    page = DrawnPage(1200, 400)
    words = page.text(60, 40, "Hepatitis B vaccination")
    page.checkbox(700, 40, "tick")
    page.checkbox(800, 40, "empty")
    page.line(60, 140, 1100, 140)
    page.cross(700, 200, 726, 226)
    image = np.array(page.image)
    rng = np.random.default_rng(7)
    for x, y in zip(rng.integers(60, 1100, 40), rng.integers(260, 380, 40), strict=True):
        image[y : y + 3, x : x + 3] = 0
    assert unread_runs(image, words, HEIGHT) == []


def test_a_blank_page_has_no_runs() -> None:
    assert unread_runs(np.full((300, 300), 255, np.uint8), [], HEIGHT) == []


def _page_text(words: list[Word], image: np.ndarray) -> PageText:
    lines = [Line((w,)) for w in words]
    return PageText(0, tuple(lines), image.shape[1], image.shape[0])


def _read_round_a_lost_line(last: str, read_of_last: int) -> PageText:
    """Three lines drawn, the middle one "Allergies: Shellfish"; the page pass read the first
    line and the first ``read_of_last`` words of the ``last``; the page read in its unread
    rows again."""
    page = DrawnPage(1200, 400)
    first = page.text(60, 60, "Have you ever had:")
    page.text(60, 160, "Allergies: Shellfish")
    third = page.text(60, 260, last)
    image = np.array(page.image)
    read = [*first, *third[:read_of_last]]
    known = [Word(w.text, w.confidence, w.box, line) for line, w in enumerate(read)]
    return with_unread_rows(image, _page_text(known, image), 300, DEFAULT_OPTIONS)[0]


def test_a_page_with_print_left_out_is_read_again_in_sparse_mode() -> None:
    again = _read_round_a_lost_line("Current meds: Lisinopril", 3)
    assert "Allergies: Shellfish" in [line.text for line in again.lines]


def test_a_page_read_whole_is_not_read_again() -> None:
    page = DrawnPage(1200, 300)
    page.text(60, 60, "Patient name: Megan Long")
    image = np.array(page.image)
    text = _page_text(page.words, image)
    assert with_unread_rows(image, text, 300, DEFAULT_OPTIONS) == (text, None)


def test_only_the_rows_left_unread_are_taken_from_the_sparse_reading() -> None:
    # The page pass read the third line's label but not its value: two digits are too short a
    # run to look for, so that row is the page pass's to answer for (a blank whose label was
    # found gets a sparse pass of its own later), while the unread second row is taken whole.
    again = _read_round_a_lost_line("Weight: 88", 1)
    texts = [w.text for line in again.lines for w in line.words]
    assert "Shellfish" in texts and "88" not in texts


def _allergies_read(read: list[str]) -> tuple[dict[str, FieldResult], list[np.ndarray], list[PageText]]:
    """A page with "Known allergies:" over "Bee stings", where OCR read only the words ``read``
    of the value (the label always); the value is what it read."""
    page = DrawnPage(1000, 300)
    label = page.text(60, 60, "Known allergies:")
    value = [w for w in page.text(100, 140, "Bee stings") if w.text in read]
    image = np.array(page.image)
    text = PageText(0, (Line(tuple(label)), Line(tuple(value))), image.shape[1], image.shape[0])
    box = union_box([w.box for w in value])
    field = FieldResult(" ".join(w.text for w in value), 0.96, needs_review=False, page=0, box=box)
    return {"allergies": field}, [image], [text]


def test_a_word_of_a_value_no_word_covers_flags_the_value() -> None:
    """OCR read "stings" of "Bee stings": the "Bee" beside it, read by no word, flags the value;
    read whole, the value is left alone, and so is a value of a checked shape (a date)."""
    fields, images, pages = _allergies_read(["stings"])
    flagged = flag_unread_words({"allergies": "text"}, fields, images, pages)["allergies"]
    assert flagged.needs_review and "is a word of it missing" in (flagged.reason or "")
    fields, images, pages = _allergies_read(["Bee", "stings"])
    assert not flag_unread_words({"allergies": "text"}, fields, images, pages)["allergies"].needs_review
    fields, images, pages = _allergies_read(["stings"])
    assert not flag_unread_words({"allergies": "date"}, fields, images, pages)["allergies"].needs_review


def test_a_bullet_an_asterisk_or_a_checkbox_beside_a_value_is_no_word_of_it() -> None:
    """A list's asterisk or bullet before an item, and a checkbox before an option read as the
    value, are ink no word covers beside the value, and none of them is a word: nothing is
    flagged."""
    page = DrawnPage(1000, 400)
    star = page.text(100, 60, "* Asthma")[1:]
    dot = page.text(100, 160, "Eczema")
    page.draw.ellipse((70, 170, 84, 184), fill=0)
    box = page.checkbox(60, 260, "empty")
    boxed = page.text(100, 260, "Migraine")
    image = np.array(page.image)
    lines = tuple(Line(tuple(words)) for words in (star, dot, boxed))
    text = PageText(0, lines, image.shape[1], image.shape[0])
    fields = {
        name: FieldResult(words[0].text, 0.96, needs_review=False, page=0, box=words[0].box)
        for name, words in (("a", star), ("b", dot), ("c", boxed))
    }
    kinds = dict.fromkeys(fields, "text")
    flagged = flag_unread_words(kinds, fields, [image], [text], [[box]])
    assert not any(field.needs_review for field in flagged.values()), flagged


def _a_list_read_to(read_lines: int) -> tuple[dict[str, FieldResult], list[np.ndarray], list[PageText]]:
    """A page with "Known allergies:" over the lines "Bee stings" and "Cats", of which OCR read
    the first ``read_lines``; the value is the first line."""
    page = DrawnPage(1000, 400)
    label = page.text(60, 60, "Known allergies:")
    first = page.text(100, 140, "Bee stings")
    second = page.text(100, 200, "Cats")
    image = np.array(page.image)
    lines = (Line(tuple(label)), Line(tuple(first)), Line(tuple(second)))[: 2 + read_lines - 1]
    text = PageText(0, lines, image.shape[1], image.shape[0])
    field = FieldResult("Bee stings", 0.96, needs_review=False, page=0, box=union_box([w.box for w in first]))
    return {"allergies": field}, [image], [text]


def test_a_line_of_a_list_no_word_covers_right_under_it_flags_the_value() -> None:
    """OCR read "Bee stings" and never "Cats" under it: a list's value is flagged; a value of one
    line is not (what stands under it is the next label's business), nor is a list whose next
    line was read (another field's or not: it is no unread print)."""
    fields, images, pages = _a_list_read_to(1)
    flagged = flag_unread_words({"allergies": "text"}, fields, images, pages, lists={"allergies"})
    allergies = flagged["allergies"]
    assert allergies.needs_review and "is a line of it missing" in (allergies.reason or "")
    fields, images, pages = _a_list_read_to(1)
    assert not flag_unread_words({"allergies": "text"}, fields, images, pages)["allergies"].needs_review
    fields, images, pages = _a_list_read_to(2)
    read = flag_unread_words({"allergies": "text"}, fields, images, pages, lists={"allergies"})
    assert not read["allergies"].needs_review


def test_a_tick_under_a_list_s_value_is_no_line_of_it() -> None:
    page = DrawnPage(1000, 400)
    label = page.text(60, 60, "Known allergies:")
    first = page.text(100, 140, "Bee stings")
    page.draw.line((110, 215, 118, 225), fill=0, width=3)
    page.draw.line((118, 225, 134, 200), fill=0, width=3)
    image = np.array(page.image)
    text = PageText(0, (Line(tuple(label)), Line(tuple(first))), image.shape[1], image.shape[0])
    field = FieldResult("Bee stings", 0.96, needs_review=False, page=0, box=union_box([w.box for w in first]))
    fields = {"allergies": field}
    flagged = flag_unread_words({"allergies": "text"}, fields, [image], [text], lists={"allergies"})
    assert not flagged["allergies"].needs_review


def _blurred_bold(page: DrawnPage, x: int, y: int, text: str) -> np.ndarray:
    """``page`` as an image with ``text`` drawn at (x, y) bold and out of focus: its letters run
    together into flat bands of ink, as a defocused photo's bold label."""
    words = page.text(x, y, text)
    image = np.array(page.image)
    x0, y0, x1, y1 = union_box([w.box for w in words])
    around = (slice(y0 - 6, y1 + 6), slice(x0 - 6, x1 + 6))
    image[around] = cv2.erode(image[around], np.ones((2, 5)))
    return cv2.GaussianBlur(image, (7, 7), 0)


def test_a_row_sparse_mode_cannot_read_is_read_as_a_line() -> None:
    """Sparse mode reads nothing of a blurred bold label standing alone; line mode reads it,
    its flat bands of ink taken for letters, not for rules (the page's rules are out already)."""
    page = DrawnPage(1200, 400)
    read = page.text(60, 60, "Take with food")
    image = _blurred_bold(page, 60, 200, "Directions:")
    known = [Word(w.text, w.confidence, w.box, 0) for w in read]
    again = with_unread_rows(image, _page_text(known, image), 300, DEFAULT_OPTIONS)[0]
    assert [line.text for line in again.lines] == ["Take with food", "Directions:"]


def test_print_beside_a_word_read_is_not_read_twice() -> None:
    """Tesseract drew "Utah," round its last letters only: the first letters left outside the
    box are that word's, not a word of their own to read again."""
    page = DrawnPage(1400, 300)
    words = page.text(60, 100, "Salt Lake City, Utah, 84114")
    image = np.array(page.image)
    x0, y0, x1, y1 = words[3].box
    shrunk = Word("Utah,", 0.7, (x0 + (x1 - x0) * 3 // 4, y0, x1, y1), 0)
    known = [*(Word(w.text, w.confidence, w.box, 0) for w in words[:3]), shrunk, words[4]]
    again = with_unread_rows(image, _page_text(known, image), 300, DEFAULT_OPTIONS)[0]
    assert sum("Uta" in w.text for line in again.lines for w in line.words) == 1


def _a_written_name_read_to(read: str) -> tuple[dict[str, FieldResult], list[np.ndarray], list[PageText]]:
    """A page with "Name:" beside "Wei Ling Teo" written large, lines of print under it. The
    "g" hangs a long tail, most of it under the line and more than two print heights tall, and
    starts under the "n" (a hand's letters lean into each other). Read "whole", OCR read every
    word; read "short", it read "Wei Lin", its box ending past the start of the "g", and took the
    rest of the name into one word of the address line below, two lines tall (as tesseract does)."""
    page = DrawnPage(1400, 500)
    label = page.text(60, 70, "Name:")
    hand, loop = ImageFont.truetype(str(FONT_PATH), 56), ImageFont.truetype(str(FONT_PATH), 32)
    written = []
    cursor, baseline = 200, 100
    for token, font, space in (("Wei", hand, " "), ("Lin", hand, ""), ("g", loop, " "), ("Teo", hand, "")):
        written.append(page.draw.textbbox((cursor, baseline), token, font=font, anchor="ls"))
        page.draw.text((cursor, baseline), token, font=font, fill=0, anchor="ls")
        cursor += round(page.draw.textlength(token + space, font=font)) + {"Lin": -4, "g": 12}.get(token, 0)
    wei, lin, g, teo = written
    page.line(g[0] + 6, g[3] - 3, g[0] + 2, g[3] + 48, width=5)
    name = [Word("Wei", 0.9, wei), Word("Ling", 0.9, union_box([lin, g])), Word("Teo", 0.9, teo)]
    address = page.text(60, 190, "Addr: 12 Elm St, Springfield")
    others = [page.text(60, y, text) for y, text in ((260, "Phone: 555 0100"), (330, "Date: 03/04/2025"))]
    if read == "whole":
        value = name
    else:
        value = [name[0], Word("Lin", 0.9, (lin[0], lin[1], g[0] + 6, lin[3]))]
        taken = (g[0] + 10, teo[1], teo[2], address[-1].box[3])
        address = [*address, Word("Dan", 0.35, taken)]
    image = np.array(page.image)
    lines = (Line((*label, *value)), Line(tuple(address)), *(Line(tuple(words)) for words in others))
    text = PageText(0, lines, image.shape[1], image.shape[0])
    box = union_box([w.box for w in value])
    field = FieldResult(" ".join(w.text for w in value), 0.9, needs_review=False, page=0, box=box)
    return {"patient_name": field}, [image], [text]


def test_a_name_whose_end_a_word_two_lines_tall_took_is_flagged() -> None:
    """A written "Wei Ling Teo" read "Wei Lin", the "g" and "Teo" taken by a word of the next line:
    that word's box, two lines tall, covers nothing, and the long-tailed "g" reaching past the
    value's end leads on to "Teo". Read whole, the name is left alone."""
    fields, images, pages = _a_written_name_read_to("short")
    flagged = flag_unread_words({"patient_name": "person"}, fields, images, pages)["patient_name"]
    assert flagged.needs_review and "is a word of it missing" in (flagged.reason or "")
    fields, images, pages = _a_written_name_read_to("whole")
    whole = flag_unread_words({"patient_name": "person"}, fields, images, pages)["patient_name"]
    assert not whole.needs_review


def test_stretches_of_a_box_s_wall_beside_a_value_are_no_word() -> None:
    """A fax breaks the wall of a web form's input box into stretches two or three print
    heights long, read by no word, beside the value inside: no word of it is missing."""
    page = DrawnPage(1000, 300)
    label = page.text(60, 40, "Contact name")
    value = page.text(110, 130, "Amber Johnson")
    for top in (100, 170):
        page.line(80, top, 84, top + 62, width=3)
    page.line(84, 100, 900, 100)
    page.line(84, 232, 900, 232)
    image = np.array(page.image)
    text = PageText(0, (Line(tuple(label)), Line(tuple(value))), image.shape[1], image.shape[0])
    box = union_box([w.box for w in value])
    fields = {"name": FieldResult("Amber Johnson", 0.95, needs_review=False, page=0, box=box)}
    assert not flag_unread_words({"name": "person"}, fields, [image], [text])["name"].needs_review
