"""The Review page shows how a date or phone will read in the export's normalised column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import ui_state
from medextract.normalise import Settings
from medextract.services import normalised
from tests.app_support import PRESCRIPTION, app, fake_extract, open_context, seed

REVIEW = "pages/review.py"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("MEDEXTRACT_DATE_ORDER", raising=False)
    monkeypatch.delenv("MEDEXTRACT_PHONE_REGION", raising=False)
    return open_context(tmp_path, monkeypatch)


def export_hints(at: Any) -> list[str]:
    """The captions that tell how a value exports (a prescription has one date and no phone),
    as they read on screen (markdown escapes undone)."""
    return [str(c.value).replace("\\", "") for c in at.caption if "exports" in str(c.value)]


def test_a_date_field_shows_the_date_it_exports_as(ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    [doc_id] = seed(ctx)  # prescription_date printed 03/14/2026: month first is the only reading
    at = app(REVIEW, review_doc_id=doc_id)
    assert export_hints(at) == ["Required · Read by the engine · 95% sure · exports as 2026-03-14"]

    # A date either way round: without the deployment's order the clerk sees it will not be guessed.
    key = ui_state.field_key(doc_id, "prescription_date")
    at.text_input(key=key).input("5/11/2022").run()
    [hint] = export_hints(at)
    assert hint.startswith("Required · ✎ Edited") and "⚠ exports with no normalised date" in hint
    assert "either way round (5 Nov 2022 or 11 May 2022)" in hint

    monkeypatch.setenv("MEDEXTRACT_DATE_ORDER", "DMY")
    at.text_input(key=key).input("5/11/2022 ").run()
    assert export_hints(at)[0].endswith("· exports as 2022-11-05")


def test_fields_that_are_not_dates_or_phones_have_no_hint(ctx: Any) -> None:
    [doc_id] = seed(ctx, extract_fn=fake_extract({**PRESCRIPTION, "prescription_date": ""}))
    at = app(REVIEW, review_doc_id=doc_id)
    assert export_hints(at) == []  # the empty date has none either


def test_the_hint_follows_the_field_kind_in_the_document_type(ctx: Any) -> None:
    rules = Settings("MDY", "US")
    assert normalised.export_hint(ctx, "patient_details", "phone_number", "(737) 988-0851", rules) == (
        "exports as +17379880851"
    )
    birth = normalised.export_hint(ctx, "patient_details", "birth_date", "5/11/72", rules)
    assert birth == "⚠ exports with no normalised date: two-digit year: the century is not printed"
    assert normalised.export_hint(ctx, "patient_details", "weight", "70", rules) is None
    assert normalised.export_hint(ctx, None, "birth_date", "5/11/2022", rules) is None  # no type yet
