"""The app shell in AppTest: every page runs, the database URL's precedence, the current user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app import ui_runtime
from medextract.services import review, upload
from tests.app_support import APP, app, login_state, open_context, seed

PAGES = [
    ui_runtime.UPLOAD_PAGE,
    ui_runtime.QUEUE_PAGE,
    ui_runtime.REVIEW_PAGE,
    ui_runtime.RECORDS_PAGE,
    ui_runtime.DASHBOARD_PAGE,
]


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_database(ctx: Any, page: str) -> None:
    at = app(page)
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_documents_in_every_state(ctx: Any, page: str) -> None:
    first, second, third = seed(ctx, 3)
    doc = review.start_review(ctx, first, user="ana")
    assert review.verify(ctx, first, {}, user="ana", expected_version=doc.version).ok
    doc = review.start_review(ctx, second, user="ana")
    assert review.reject(ctx, second, "blurred", user="ana", expected_version=doc.version).ok
    review.start_review(ctx, third, user="bob")
    upload.add_upload(ctx, "queued.png", b"waiting", uploader="clerk")
    app(page)


def waiting_count(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["Waiting for review"]


def test_secrets_database_url_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medextract.services.context import Context

    env_url = f"sqlite:///{tmp_path / 'env.db'}"
    secret_url = f"sqlite:///{tmp_path / 'secret.db'}"
    open_context(tmp_path, monkeypatch)
    seed(Context.open(env_url), 1)
    seed(Context.open(secret_url), 2)
    monkeypatch.setenv("DATABASE_URL", env_url)

    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in login_state().items():
        at.session_state[key] = value
    at.run()
    at.switch_page(ui_runtime.QUEUE_PAGE).run()
    assert waiting_count(at) == "1"

    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["DATABASE_URL"] = secret_url
    for key, value in login_state(url=secret_url).items():
        at.session_state[key] = value
    at.run()
    at.switch_page(ui_runtime.QUEUE_PAGE).run()
    assert waiting_count(at) == "2"


def test_the_sidebar_names_the_current_user(ctx: Any) -> None:
    assert "Signed in as clerk" in [c.value for c in app().sidebar.caption]
    assert "Signed in as ana" in [c.value for c in app(user="ana").sidebar.caption]
