"""Periods and commas OCR did not read, counted on drawn lines (extraction.unread_marks)."""

from __future__ import annotations

import numpy as np
import pytest

from extraction.types import FieldResult, Line, PageText, Word, union_box
from extraction.unread_marks import baseline_marks, flag_unread_marks
from tests.drawn_pages import DrawnPage


def _drawn(text: str) -> tuple[np.ndarray, list[Word]]:
    page = DrawnPage(900, 120)
    words = page.text(40, 40, text)
    return np.array(page.image), words


def _marks(text: str) -> int:
    image, words = _drawn(text)
    box = union_box([w.box for w in words])
    height = int(np.median([w.box[3] - w.box[1] for w in words]))
    crop = image[box[1] - 8 : box[3] + 12, box[0] : box[2] + 20]
    return baseline_marks(crop, height)


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("Dr. Karen McDonald, M.D.", 4),
        ("Dr Karen McDonald MD", 0),
        ("Metoprolol, aspirin", 1),
        ("Smith-Jones; Kim", 1),  # the hyphen floats; the semicolon's comma sits on the baseline
        ("Timothy Quigley", 0),  # dots over i and j are no baseline marks
        ("Use 2.5 ml", 1),
    ],
)
def test_baseline_marks_are_periods_and_commas(text: str, marks: int) -> None:
    assert _marks(text) == marks


def test_the_foot_of_a_broken_letter_is_not_a_mark() -> None:
    page = DrawnPage(900, 120)
    words = page.text(40, 40, "Hill")
    image = np.array(page.image)
    box = words[0].box
    # Damage parts the last "l" just above its foot: a small piece of ink stays on the baseline,
    # with the rest of the stem close above it.
    stem = np.nonzero((image[box[1] : box[3], box[2] - 12 : box[2] + 2] < 128).any(axis=0))[0]
    left = box[2] - 12 + int(stem.min())
    image[box[3] - 7 : box[3] - 5, left - 1 : box[2] + 2] = 255
    crop = image[box[1] - 8 : box[3] + 12, box[0] : box[2] + 20]
    assert baseline_marks(crop, box[3] - box[1]) == 0


def _field(image_text: str, read: str, kind_value: str | None = None) -> tuple[FieldResult, list, list]:
    """A field whose words say ``read`` over ink that says ``image_text`` (same words)."""
    image, drawn = _drawn(image_text)
    words = [Word(text, 0.95, w.box) for text, w in zip(read.split(" "), drawn, strict=True)]
    page = PageText(0, (Line(tuple(words)),), image.shape[1], image.shape[0])
    value = kind_value if kind_value is not None else read
    result = FieldResult(value, 0.95, needs_review=False, box=union_box([w.box for w in words]))
    return result, [image], [page]


def test_a_period_not_read_flags_the_value() -> None:
    result, images, pages = _field("Dr. Douglas Porter, D.O.", "Dr Douglas Porter, DO")
    flagged = flag_unread_marks({"prescriber": "person"}, {"prescriber": result}, images, pages)
    assert flagged["prescriber"].needs_review
    assert "period or comma" in (flagged["prescriber"].reason or "")


def test_punctuation_read_leaves_the_value_alone() -> None:
    result, images, pages = _field("Dr. Douglas Porter, D.O.", "Dr. Douglas Porter, D.O.")
    flagged = flag_unread_marks({"prescriber": "person"}, {"prescriber": result}, images, pages)
    assert not flagged["prescriber"].needs_review


def test_dates_and_flagged_values_are_not_looked_at() -> None:
    result, images, pages = _field("12.03.2021", "12032021")
    assert not flag_unread_marks({"d": "date"}, {"d": result}, images, pages)["d"].needs_review
    result, images, pages = _field("Dr. Porter", "Dr Porter")
    result.flag("OCR confidence 40%")
    flagged = flag_unread_marks({"p": "person"}, {"p": result}, images, pages)["p"]
    assert flagged.reason == "OCR confidence 40%"
