"""In a real browser: one batch with an empty file, a fake .pdf and a good PNG.

The two bad files are refused with messages naming them; the good one is extracted by the real
engine in the app's background worker; the app stays up. Reuses test_e2e_browser's server helpers.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from medextract.services import accounts, queue
from medextract.services.context import Context
from tests.test_e2e_browser import OCR_TIMEOUT_MS, browser_page, start_app, stop_app  # noqa: F401
from tests.test_store_support import SYSTEM

pytestmark = pytest.mark.browser

PASSWORD = "bad input e2e password"


def good_png() -> bytes:
    """A small page with a line of print: real OCR reads it in a moment."""
    image = Image.new("L", (700, 200), 255)
    ImageDraw.Draw(image).text((40, 80), "Patient: John Smith   Date: 03/14/2026", fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def log_in(page: Any, user: str) -> None:
    page.get_by_role("textbox", name="Username").fill(user)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_batch_with_bad_files_reports_them_and_processes_the_good_one(
    browser_page: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    ctx = Context.open(f"sqlite:///{data_dir / 'medextract.db'}")
    accounts.create_account(ctx, "clerk", role="clerk", by=SYSTEM, password=PASSWORD)
    process, url = start_app(data_dir)
    try:
        page = browser_page
        page.goto(url)
        log_in(page, "clerk")
        page.get_by_text("Upload documents").wait_for()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            [
                {"name": "empty.pdf", "mimeType": "application/pdf", "buffer": b""},
                {"name": "fake.pdf", "mimeType": "application/pdf", "buffer": b"this is not a pdf\n" * 10},
                {"name": "good.png", "mimeType": "image/png", "buffer": good_png()},
            ]
        )
        page.get_by_text("empty.pdf is empty (0 bytes)").wait_for()
        page.get_by_text("fake.pdf is not a PDF, PNG, JPEG or TIFF").wait_for()
        page.get_by_text("good.png: waiting for review").wait_for(timeout=OCR_TIMEOUT_MS)
        assert page.get_by_role("button", name="Review now").count() == 1
        docs = queue.documents(ctx, user="clerk")
        assert [(d.filename, d.status) for d in docs] == [("good.png", "extracted")]
        # The app is still up: another page opens.
        page.get_by_role("link", name="Queue").click()
        page.get_by_text("Review queue").wait_for()
    finally:
        stop_app(process)
        ctx.close()
