"""Health questionnaires answered in ruled grids (pd_answer_grid) through the real engine: the
conditions ticked Yes in a grid printed in two halves are read whole. Typed values,
tuning faces and damage; the documents are fixed by their seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.generated_readings import read_fields

FAMILY = "pd_answer_grid"


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("seed", "profile"),
    [
        # Both halves headed "Have you ever had:": a heading printed twice, no label per item.
        (7408 * 100003 + 14, "clean"),
        # JPEG: OCR took the first half's "Y" header into the column of boxes under it, and the
        # "o" of "or" in its heading for a radio circle.
        (7408 * 100003 + 74, "jpeg"),
    ],
)
def test_the_conditions_ticked_yes_in_a_split_grid_are_read_whole(
    needs_ocr: None, tmp_path: Path, seed: int, profile: str
) -> None:
    [(_, truth, value, _)] = read_fields(tmp_path, FAMILY, [seed], [profile], ["medical_problems"])
    assert truth.count("\n") >= 1  # one condition in each half
    assert value == truth
