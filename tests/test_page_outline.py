"""A photographed page's outline: found where the paper's edges show on darker ground, and the
page warped flat so its rows run level; every other page left as it is."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extraction.page_outline import flattened, page_corners
from extraction.preprocess import preprocess
from tests.drawn_pages import DrawnPage, rotated

SIZE = (1700, 2200)  # a letter page at 200 dpi


def _form() -> np.ndarray:
    """A page of labels and values, a long rule under each row."""
    page = DrawnPage(*SIZE)
    for row in range(12):
        y = 200 + 150 * row
        page.text(150, y, f"Label number {row + 1}:")
        page.text(900, y, f"Value of row {row + 1}")
        page.line(150, y + 60, 1550, y + 60, width=3)
    return page.array()


# Where the photo puts the page's corners (top-left, top-right, bottom-right, bottom-left), as
# shares of its size: inward shows the ground, outward runs the paper past the picture's edge.
PHOTOS = {
    "all corners inward": ((0.02, 0.015), (0.975, 0.025), (0.985, 0.98), (0.015, 0.99)),
    "right side inward, left past the edge": ((-0.01, -0.02), (0.97, 0.02), (0.975, 0.985), (-0.015, 1.01)),
    "top and bottom inward": ((-0.02, 0.025), (1.01, 0.01), (1.02, 0.975), (-0.01, 0.985)),
}


def _photographed(page: np.ndarray, corners: tuple[tuple[float, float], ...], ground: int = 90) -> np.ndarray:
    h, w = page.shape
    source = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float32)
    target = np.array([(x * w, y * h) for x, y in corners], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    photo = cv2.warpPerspective(page, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=ground)
    # The phone's light: brighter at one corner, the ground darkened alike.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1.0 - 0.35 * np.hypot(xx / w - 0.3, yy / h - 0.2)
    return cv2.GaussianBlur((photo * light).astype(np.uint8), (3, 3), 0)


def _rule_lean(gray: np.ndarray) -> float:
    """How far apart in height, in pixels at most, the rules cross a strip at the left of the
    page and one at the right (the page's rows are ruled from x = 150 to 1550)."""
    h, w = gray.shape

    def rule_rows(x0: int, x1: int) -> list[float]:
        # Away from the picture's top and foot, where a photo shows the ground.
        dark = (gray[int(0.04 * h) : int(0.96 * h), x0:x1] < 110).mean(axis=1) > 0.6
        rows, start = [], None
        for y, on in enumerate(dark):
            if on and start is None:
                start = y
            elif not on and start is not None:
                rows.append((start + y - 1) / 2)
                start = None
        return rows

    # Strips where only the rules cross (labels end before, values start after the left one).
    left, right = rule_rows(int(0.33 * w), int(0.33 * w) + 30), rule_rows(int(0.82 * w), int(0.82 * w) + 30)
    assert len(left) == len(right) >= 10, (len(left), len(right))
    return max(abs(a - b) for a, b in zip(left, right, strict=True))


@pytest.mark.parametrize("photo", list(PHOTOS))
def test_a_photographed_page_s_corners_are_found_and_its_rows_flattened(photo: str) -> None:
    shot = _photographed(_form(), PHOTOS[photo])
    corners = page_corners(shot)
    assert corners is not None
    h, w = shot.shape
    expected = np.array([(x * w, y * h) for x, y in PHOTOS[photo]])
    for found, true, frame in zip(corners, expected, ((0, 0), (w, 0), (w, h), (0, h)), strict=True):
        # Where the paper runs past the picture, the picture's edge stands for its side.
        shown = np.clip(true, (0, 0), (w, h))
        assert np.abs(found - shown).max() <= 0.01 * max(w, h) or np.abs(found - frame).max() <= 0.03 * max(
            w, h
        )
    assert _rule_lean(shot) > 6
    assert _rule_lean(flattened(shot, corners)) <= 2


@pytest.mark.parametrize("degrees", [0, 45, 90])
def test_a_shaken_photo_s_smeared_edges_give_its_outline_or_none_never_a_wrong_one(degrees: int) -> None:
    # Motion blur smears print and ground into the margins: sides that no longer show one
    # edge are left out, never fitted to the smear.
    photo = PHOTOS["all corners inward"]
    shot = _photographed(_form(), photo)
    length = 31
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), degrees, 1.0)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    shaken = cv2.filter2D(shot, -1, kernel / kernel.sum())
    corners = page_corners(shaken)
    if corners is None:
        return
    h, w = shot.shape
    for found, (x, y), frame in zip(corners, photo, ((0, 0), (w, 0), (w, h), (0, h)), strict=True):
        near = np.abs(found - (x * w, y * h)).max() <= 0.015 * max(w, h)
        assert near or np.abs(found - frame).max() <= 0.03 * max(w, h)


def test_preprocess_flattens_a_photographed_page_first() -> None:
    shot = _photographed(_form(), PHOTOS["all corners inward"])
    gray, report = preprocess(np.stack([shot] * 3, axis=2), 200)
    assert report.steps[0] == "flatten outline"
    assert _rule_lean(gray) < _rule_lean(shot) / 2


@pytest.mark.parametrize(
    "page",
    [
        "clean",
        "tilted scan",  # a tilt's corners filled with paper: deskew's work, not an outline's
        "framed form",  # a form's own frame drawn near the paper's edge is no ground
        "dark band along the top",  # level with the picture's edge: no perspective to undo
    ],
)
def test_a_page_with_no_ground_around_it_is_left_as_it_is(page: str) -> None:
    gray = _form()
    if page == "tilted scan":
        gray = rotated(gray, 2.0)
    elif page == "framed form":
        cv2.rectangle(gray, (20, 20), (SIZE[0] - 20, SIZE[1] - 20), 0, 6)
    elif page == "dark band along the top":
        gray[:120, :] = 40
    assert page_corners(gray) is None
    assert "flatten outline" not in preprocess(gray, 200)[1].steps
