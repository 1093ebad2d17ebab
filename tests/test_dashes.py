"""Dashed rules: a row of like dashes is one rule; bands of unlike length are not."""

from __future__ import annotations

import numpy as np

from extraction.structure.dashes import dashed_rules

HEIGHT = 12.0  # the text height at the half scale rules are looked for at


def _row(lengths: list[int], gap: int = 7) -> np.ndarray:
    """A mask with one row of flat runs of ink of ``lengths``, ``gap`` pixels apart."""
    mask = np.zeros((60, 800), np.uint8)
    x = 20
    for length in lengths:
        mask[30:33, x : x + length] = 255
        x += length + gap
    return mask


def test_a_row_of_like_dashes_is_joined_into_one_line() -> None:
    joined = dashed_rules(_row([23] * 8), HEIGHT, thickness=6.8)
    columns = np.flatnonzero(joined.any(axis=0))
    assert abs(columns.min() - 20) <= 2 and abs(columns.max() - (20 + 8 * 30 - 7)) <= 2
    assert len(columns) == columns.max() - columns.min() + 1  # the gaps filled


def test_bands_of_unlike_length_or_too_few_dashes_are_no_line() -> None:
    # What a blur leaves of a line of bold print: one band a word, as long as its word.
    assert not dashed_rules(_row([21, 30, 19, 42, 22, 27, 57]), HEIGHT, thickness=6.8).any()
    assert not dashed_rules(_row([23] * 4), HEIGHT, thickness=6.8).any()
    # Dashes further apart than words stand are no line either.
    assert not dashed_rules(_row([23] * 8, gap=12), HEIGHT, thickness=6.8).any()
