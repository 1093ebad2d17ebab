"""Shared test fixtures and the rule that CI skips nothing for want of a tool."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "samples"
REQUIRE_ALL = os.environ.get("MEDEXTRACT_REQUIRE_ALL") == "1"


def require(condition: bool, why: str) -> None:
    """Skip a test whose tool is missing on a developer's machine; fail it in CI."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"CI must run this test but {why}")
    pytest.skip(why)


@pytest.fixture
def samples_dir() -> Path:
    require(SAMPLES.is_dir(), f"the real samples are not at {SAMPLES}")
    return SAMPLES


@pytest.fixture
def needs_ocr() -> None:
    require(shutil.which("tesseract") is not None, "tesseract is not installed")
    require(shutil.which("pdftoppm") is not None, "poppler-utils is not installed")
