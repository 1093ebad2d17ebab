"""Labelling a page's ink: the same parts whatever width the labels are written in."""

from __future__ import annotations

import cv2
import numpy as np

from extraction.structure.ink import components


def test_parts_are_labelled_as_opencv_labels_them_in_32_bits() -> None:
    rng = np.random.default_rng(7)
    mask = ((rng.random((300, 400)) > 0.7) * 255).astype(np.uint8)
    count, labels, stats, centres = components(mask)
    want = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_32S)
    assert count == want[0]
    assert np.array_equal(labels.astype(np.int32), want[1])
    assert np.array_equal(stats, want[2]) and np.allclose(centres, want[3])


def test_a_mask_of_more_parts_than_16_bits_hold_is_labelled_all_the_same() -> None:
    mask = np.zeros((900, 900), np.uint8)
    mask[::3, ::3] = 255  # 90 000 lone dots
    count, labels, stats, _ = components(mask)
    assert count == 300 * 300 + 1
    assert labels.max() == 300 * 300
    assert (stats[1:, cv2.CC_STAT_AREA] == 1).all()


def test_four_connected_parts_stay_apart_at_a_corner() -> None:
    mask = np.zeros((10, 10), np.uint8)
    mask[2, 2] = mask[3, 3] = 255
    assert components(mask, connectivity=4)[0] == 3
    assert components(mask)[0] == 2
