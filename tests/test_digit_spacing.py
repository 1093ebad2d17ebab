"""A phone number's separators as the page shows them, against the value read (drawn pages)."""

from __future__ import annotations

import numpy as np
import pytest

from extraction.digit_spacing import flag_phone_separators, separators_differ
from extraction.types import Box, FieldResult, PageText, Word, union_box
from tests.drawn_pages import DrawnPage, page_text


def _ink_box(image: np.ndarray, box: Box) -> Box:
    """``box`` trimmed to the ink inside it, as tesseract's word boxes are."""
    x0, y0, x1, y1 = box
    ys, xs = np.nonzero(image[y0:y1, x0:x1] < 128)
    return (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)


def _read_as(page: DrawnPage, x: int, y: int, printed: str, read: list[str]) -> tuple[np.ndarray, list[Word]]:
    """Draw ``printed`` at (x, y) and return the page with the words OCR would give had it read
    ``read``: each a run of the printed characters (its dashes lost or not), boxed on its ink."""
    page.text(x, y, printed)
    image = np.array(page.image)
    words, at = [], 0
    for text in read:
        start = printed.index(text.lstrip("-")[0], at) if text[0] != "-" else printed.index("-", at)
        end = start
        for char in text:
            end = printed.index(char, end) + 1
        left = x + round(page.draw.textlength(printed[:start], font=page.font))
        right = x + round(page.draw.textlength(printed[:end], font=page.font))
        words.append(Word(text, 0.95, _ink_box(image, (left, y, right, y + 40))))
        at = end
    return image, words


@pytest.mark.parametrize(
    ("printed", "read", "problem"),
    [
        ("(474)-344-4032", ["(474)-344-4032"], None),
        ("(474)-344-4032", ["(474)", "-344-4032"], "no wider than one read inside a word"),
        ("031 551 4944", ["031", "551", "4944"], None),
        ("031 551 4944", ["031551", "4944"], "space"),
        ("(877) 941-0451", ["(877)", "941-0451"], None),
        ("(877) 941-0451", ["(877)", "941", "0451"], "a dash on the page was not read between '941'"),
        ("+27 61 170 4694", ["+27", "61", "170", "4694"], None),
    ],
)
def test_separators_the_page_shows_are_held_against_the_value(
    printed: str, read: list[str], problem: str | None
) -> None:
    image, words = _read_as(DrawnPage(), 100, 100, printed, read)
    found = separators_differ(image, words, " ".join(read))
    assert (found is None) if problem is None else (found is not None and problem in found), found


def test_a_value_unlike_the_print_s_characters_is_not_judged_by_them() -> None:
    """The pieces of ink cannot be matched to the value's characters (a digit lost): nothing is
    said of the separators between them; nor of a value that is no number."""
    image, words = _read_as(DrawnPage(), 100, 100, "031 551 4944", ["031", "551", "4944"])
    assert separators_differ(image, words, "031 51 4944") is None
    assert separators_differ(image, words, "031551 4944") is not None  # matched: a space lost
    assert separators_differ(image, words, "Tel 031 551 4944") is None


def test_only_unflagged_phone_numbers_are_flagged() -> None:
    page = DrawnPage()
    image, words = _read_as(page, 100, 100, "031 551 4944", ["031551", "4944"])
    text: PageText = page_text(words)
    box = union_box([w.box for w in words])
    fields = {
        "phone_number": FieldResult("031551 4944", 0.95, False, None, 0, box),
        "policy_number": FieldResult("031551 4944", 0.95, False, None, 0, box),
    }
    flag_phone_separators({"phone_number": "phone", "policy_number": "identifier"}, fields, [image], [text])
    assert fields["phone_number"].needs_review and "check the number" in (fields["phone_number"].reason or "")
    assert not fields["policy_number"].needs_review
