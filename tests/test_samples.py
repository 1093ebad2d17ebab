"""The two real documents in ../shared/samples through the real engine (tesseract + poppler).

Each file is extracted once per module. The engine's honesty contract: a field whose value differs
from the truth must be flagged for review; and every field's evidence (confidence, page, box)
must make sense on the page images the engine returns.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extraction import ExtractionResult, extract
from tests.conftest import SAMPLES, require

pytestmark = pytest.mark.ocr

FILES = ["pre_1.pdf", "pd_1.pdf"]
MIN_EXACT_FIELDS = 24

Extracted = Callable[[str], ExtractionResult]


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    require((SAMPLES / "truth.json").is_file(), f"the real samples are not at {SAMPLES}")
    return json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extracted() -> Extracted:
    """extract() of a sample by name, run at most once per file for the whole module."""
    # Module scope is set up before the function-scoped needs_ocr/samples_dir, so check here too.
    require(shutil.which("tesseract") is not None, "tesseract is not installed")
    require(shutil.which("pdftoppm") is not None, "poppler-utils is not installed")
    require(SAMPLES.is_dir(), f"the real samples are not at {SAMPLES}")
    results: dict[str, ExtractionResult] = {}

    def get(name: str) -> ExtractionResult:
        if name not in results:
            results[name] = extract(SAMPLES / name)
        return results[name]

    return get


def differences(result: ExtractionResult, expected: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Fields whose value is not the truth: name -> (got, expected)."""
    return {
        name: (result.fields[name].value, value)
        for name, value in expected.items()
        if result.fields[name].value != value
    }


def test_truth_covers_both_samples_and_26_fields(samples_dir: Path, truth: dict[str, Any]) -> None:
    assert sorted(truth) == sorted(FILES)
    assert all((samples_dir / name).is_file() for name in FILES)
    assert sum(len(truth[name]["fields"]) for name in FILES) == 26


@pytest.mark.parametrize("name", FILES)
def test_document_type_is_detected_exactly(
    needs_ocr: None, samples_dir: Path, extracted: Extracted, truth: dict[str, Any], name: str
) -> None:
    assert extracted(name).document_type == truth[name]["document_type"]


@pytest.mark.parametrize("name", FILES)
def test_result_has_exactly_the_fields_of_its_type(
    needs_ocr: None, extracted: Extracted, truth: dict[str, Any], name: str
) -> None:
    assert set(extracted(name).fields) == set(truth[name]["fields"])


def test_at_least_24_of_26_fields_are_exact(
    needs_ocr: None, extracted: Extracted, truth: dict[str, Any]
) -> None:
    wrong = {
        f"{name}:{field}": pair
        for name in FILES
        for field, pair in differences(extracted(name), truth[name]["fields"]).items()
    }
    total = sum(len(truth[name]["fields"]) for name in FILES)
    assert total - len(wrong) >= MIN_EXACT_FIELDS, wrong


@pytest.mark.parametrize("name", FILES)
def test_every_field_that_differs_from_truth_is_flagged_for_review(
    needs_ocr: None, extracted: Extracted, truth: dict[str, Any], name: str
) -> None:
    result = extracted(name)
    unflagged = {
        field: pair
        for field, pair in differences(result, truth[name]["fields"]).items()
        if not result.fields[field].needs_review
    }
    assert unflagged == {}, "wrong values presented as sure (got, truth)"


@pytest.mark.parametrize("name", FILES)
def test_flagged_fields_say_why(needs_ocr: None, extracted: Extracted, name: str) -> None:
    fields = extracted(name).fields
    assert all(f.reason for f in fields.values() if f.needs_review)


@pytest.mark.parametrize("name", FILES)
def test_pages_and_page_images_agree(needs_ocr: None, extracted: Extracted, name: str) -> None:
    result = extracted(name)
    assert result.pages == len(result.page_images) == len(result.page_texts) >= 1
    assert 72 <= result.dpi <= 600  # within Options.dpi bounds; scans may render at their own resolution


@pytest.mark.parametrize("name", FILES)
def test_every_field_has_confidence_in_unit_interval_and_a_real_page(
    needs_ocr: None, extracted: Extracted, name: str
) -> None:
    result = extracted(name)
    for field, evidence in result.fields.items():
        assert 0.0 <= evidence.confidence <= 1.0, field
        assert 0 <= evidence.page < result.pages, field


@pytest.mark.parametrize("name", FILES)
def test_every_value_has_a_box_inside_its_page_image(
    needs_ocr: None, extracted: Extracted, name: str
) -> None:
    result = extracted(name)
    for field, evidence in result.fields.items():
        if not evidence.value:
            continue
        assert evidence.box is not None, f"{field} has a value but no box"
        width, height = result.page_images[evidence.page].size
        x0, y0, x1, y1 = evidence.box
        assert 0 <= x0 < x1 <= width, (field, evidence.box, (width, height))
        assert 0 <= y0 < y1 <= height, (field, evidence.box, (width, height))


@pytest.mark.parametrize("name", FILES)
def test_result_serialises_to_json(needs_ocr: None, extracted: Extracted, name: str) -> None:
    record = json.loads(json.dumps(extracted(name).to_dict()))
    assert record["document_type"] == extracted(name).document_type
    assert set(record["fields"]) == set(extracted(name).fields)
