"""Order statistics from a histogram give numpy's numbers exactly."""

from __future__ import annotations

import numpy as np
import pytest

from extraction.pixel_stats import median, percentiles


@pytest.mark.parametrize("seed", range(40))
def test_percentiles_are_numpys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=int(rng.integers(1, 400)), dtype=np.uint8)
    if seed % 2:
        # Mostly paper: long runs of one level, as on a page.
        pixels[: len(pixels) * 3 // 4] = 240
    qs = [0.0, 5.0, 50.0, 95.0, 100.0, *rng.uniform(0, 100, 5)]
    assert percentiles(pixels, qs) == list(np.percentile(pixels, qs))
    assert median(pixels) == float(np.median(pixels))


def test_a_strided_view_is_measured_as_its_copy() -> None:
    page = np.random.default_rng(7).integers(0, 256, size=(120, 90), dtype=np.uint8)
    view = page[::4, ::3]
    assert median(view) == float(np.median(view.copy()))


def test_an_even_count_takes_the_mean_of_the_middle_two() -> None:
    assert median(np.array([10, 20, 30, 41], dtype=np.uint8)) == 25.0


def test_other_pixel_types_and_empty_arrays_are_refused() -> None:
    with pytest.raises(TypeError):
        median(np.zeros(4, dtype=np.float32))
    with pytest.raises(ValueError):
        median(np.zeros(0, dtype=np.uint8))
