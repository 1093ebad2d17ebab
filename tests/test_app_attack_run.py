"""The attack run's defects as a clerk meets them in the app (AppTest): each test failed before.

Review next claims at the click; roles are checked in the operation, not taken from the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import ui_runtime
from medextract.services import documents, review
from tests.app_support import app, open_context, seed

REVIEW = ui_runtime.REVIEW_PAGE


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("page", "button"), [(ui_runtime.QUEUE_PAGE, "queue_review_next"), (REVIEW, "review_next")]
)
def test_review_next_claims_at_the_click_not_what_the_page_showed(ctx: Any, page: str, button: str) -> None:
    first, second = seed(ctx, 2)
    at = app(page, role="clerk", user="ana")  # drawn while the first document was waiting
    review.start_review(ctx, first, user="bob")  # another clerk opens it meanwhile
    at.button(key=button).click().run()
    assert at.session_state[ui_runtime.REVIEW_DOC] == second
    assert documents.get(ctx, second, user="ana").claimed_by == "ana"
    assert documents.get(ctx, first, user="ana").claimed_by == "bob"
