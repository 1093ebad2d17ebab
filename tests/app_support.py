"""Helpers for the review app's AppTest tests: a temporary database seeded through the services.

Documents are extracted by ``processing.process_pending`` with a fake engine, so these tests need no
tesseract and never wait on OCR; the background worker is switched off for the app under test.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from extraction import ExtractionResult, FieldResult, UnreadableDocumentError
from extraction.doctypes import document_types
from medextract.services import accounts, upload
from medextract.services.context import Context
from tests.test_store_support import FAST_HASHER, SYSTEM, TEAM, add_people

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "streamlit_app.py"

# Values that pass extraction.validate_field, so a seeded prescription can be verified as is.
PRESCRIPTION = {
    "prescriber": "Dr. Ann Lee",
    "patient_name": "John Smith",
    "prescription_date": "03/14/2026",
    "patient_address": "12 Oak St\nSpringfield",
    "medicines": "Amoxicillin 500 mg",
    "directions": "Take 1 tablet three times a day",
    "refills": "2",
}
FIELD_HEIGHT = 80


def open_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Context:
    """A service Context on a fresh SQLite database in tmp_path, the same one the app under test
    opens. It has no accounts yet: ``seed`` adds the team, ``login_state`` the signed-in person."""
    monkeypatch.setenv("MEDEXTRACT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("MEDEXTRACT_BACKGROUND_WORKER", "0")
    return Context.open()


def page_png(pages: int = 1) -> list[Image.Image]:
    """Blank grayscale pages with a little text, as the engine hands them to the store."""
    images = []
    for index in range(pages):
        image = Image.new("L", (1200, 1600), 255)
        ImageDraw.Draw(image).text((60, 30), f"page {index + 1}", fill=0)
        images.append(image)
    return images


def fake_extract(
    values: Mapping[str, str] | None = None,
    *,
    doc_type: str = "prescription",
    flagged: Mapping[str, str] | None = None,
    pages: int = 1,
    fail: str | None = None,
) -> Callable[..., ExtractionResult]:
    """An ``extract_fn`` for ``process_pending``: every document gets these fields, or fails."""
    values = dict(PRESCRIPTION if values is None else values)
    flagged = dict(flagged or {})

    default_type = doc_type

    def extract(source: Any, *, doc_type: str = "auto", **_: Any) -> ExtractionResult:
        if fail:
            raise UnreadableDocumentError(fail)
        doc_type = default_type if doc_type in ("auto", None) else doc_type
        spec = document_types()[doc_type]
        fields = {}
        for index, field in enumerate(spec.fields):
            top = 120 + index * FIELD_HEIGHT
            fields[field.name] = FieldResult(
                value=values.get(field.name, ""),
                confidence=0.4 if field.name in flagged else 0.95,
                needs_review=field.name in flagged,
                reason=flagged.get(field.name),
                page=index % pages,
                box=(60, top, 700, top + 50),
            )
        return ExtractionResult(
            document_type=doc_type,
            type_confidence=0.9,
            pages=pages,
            dpi=200,
            fields=fields,
            page_images=page_png(pages),
        )

    return extract


def process(ctx: Any, extract_fn: Callable[..., Any]) -> int:
    """Run the worker once over every queued document, with a fake engine."""
    from medextract import processing

    return processing.process_pending(ctx, extract_fn=extract_fn)


def seed(
    ctx: Any, count: int = 1, *, name: str = "rx", extract_fn: Callable[..., Any] | None = None
) -> list[int]:
    """Upload ``count`` distinct documents and extract them with a fake engine; their ids.

    Makes the accounts of TEAM first (clerks seed, clerk, uma, vic, ana, bob; sue the supervisor)
    where missing: the services act only for people who have one.
    """
    add_people(ctx, TEAM)
    ids = []
    for index in range(count):
        outcome = upload.add_upload(ctx, f"{name}_{index}.png", _unique_png(name, index), uploader="seed")
        assert outcome.accepted, outcome.message
        ids.append(outcome.document_id)
    process(ctx, extract_fn or fake_extract())
    return ids


def _unique_png(name: str, index: int) -> bytes:
    """A small PNG whose bytes differ per document, so the store does not see duplicates."""
    image = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(image).text((2, 2), f"{name}{index}", fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def login_state(user: str = "clerk", role: str = "admin", *, url: str | None = None) -> dict[str, Any]:
    """Session state of a signed-in password user; the one way AppTest tests get past the login.

    Creates the account (or sets its role) in the database the app under test opens (``url``,
    default as ``open_store`` set it up): the app looks the account up on every run and never
    trusts session state alone.
    """
    ctx = Context.open(url, hasher=FAST_HASHER)
    try:
        account = accounts.get_account(ctx, user)
        if account is None:
            accounts.create_account(ctx, user, role=role, by=SYSTEM, password="test password 123")
        else:
            accounts.set_role(ctx, user, role, by=SYSTEM)
            if not account.has_password:  # one of seed()'s team: a password sign-in needs one
                accounts.set_password(ctx, user, "test password 123", by=SYSTEM)
    finally:
        ctx.close()
    return {"user": user, "auth_method": "password"}


def signed_in_as(user: str, *, url: str | None = None) -> dict[str, Any]:
    """``login_state`` for ``user`` in the role the account has (a clerk when it has none yet):
    for tests that run one page file on its own, which checks the sign-in itself."""
    ctx = Context.open(url, hasher=FAST_HASHER)
    try:
        account = accounts.get_account(ctx, user)
    finally:
        ctx.close()
    return login_state(user, account.role if account is not None else "clerk", url=url)


def app(page: str | None = None, *, role: str | None = "admin", **state: Any) -> AppTest:
    """The app, run once (optionally on ``page``), with session state set beforehand.

    Signed in as ``state["user"]`` (default "clerk") with ``role`` (default admin: every page);
    ``role=None`` runs it signed out.
    """
    at = AppTest.from_file(str(APP), default_timeout=30)
    if role is not None:
        state = {**login_state(state.get("user", "clerk"), role), **state}
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page says in markdown-ish elements, for loose assertions."""
    parts = []
    for kind in ("title", "caption", "markdown", "info", "success", "warning", "error", "text"):
        parts.extend(str(element.value) for element in getattr(at, kind))
    return "\n".join(parts)
