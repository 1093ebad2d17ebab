"""The upload's page count and progress estimate: counted at upload (services, SQLite and
PostgreSQL), the engine's recent pace (metrics), the lines the Upload page draws (pure and AppTest)."""

from __future__ import annotations

import collections
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image

from app import upload_view
from medextract import metrics
from medextract.services import documents, jobs, upload
from medextract.services.context import Context
from tests.app_support import app, open_context
from tests.conftest import require
from tests.test_load import pdf_bytes

NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


def tiff(pages: int) -> bytes:
    out = io.BytesIO()
    frames = [Image.new("L", (120, 160), 255 - i) for i in range(pages)]
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def test_the_page_count_is_read_at_upload_and_kept_until_the_engine_counts(ctx: Context) -> None:
    require(__import__("shutil").which("pdfinfo") is not None, "poppler-utils is not installed")
    pdf = upload.intake(ctx, "three.pdf", pdf_bytes(3), uploader="uma")
    scan = upload.intake(ctx, "two.tiff", tiff(2), uploader="uma")
    assert (pdf.pages, scan.pages) == (3, 2)
    assert documents.get(ctx, pdf.document_id or 0, user="uma").pages == 3
    assert documents.get(ctx, scan.document_id or 0, user="uma").pages == 2
    broken = upload.intake(ctx, "broken.png", b"\x89PNG\r\n\x1a\nnot really", uploader="uma")
    assert broken.accepted and broken.pages is None  # the worker says what it cannot read


def test_the_engines_pace_is_its_recent_seconds_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "_recent", collections.deque())
    assert metrics.seconds_per_page() is None
    metrics.document_done(2, {"ocr": 1.0}, 3.0)
    metrics.document_done(1, {"ocr": 0.5}, 1.0)
    metrics.document_failed("engine")  # no pages: not part of the pace
    assert metrics.seconds_per_page() == pytest.approx(4.0 / 3)
    assert metrics.seconds_per_page(now=10**9) is None  # older than five minutes: forgotten


def doc(status: str, pages: int | None, started: datetime | None = None) -> Any:
    return SimpleNamespace(status=status, pages=pages, updated_at=started)


def test_each_document_shows_its_pages_and_time_to_go() -> None:
    assert upload_view.progress_of(doc("queued", 2), NOW, 1.5) == (
        0.0,
        "2 pages · about 3 s to read once the engine starts on it",
    )
    fraction, text = upload_view.progress_of(doc("extracting", 4, NOW - timedelta(seconds=2)), NOW, 2.0) or (
        0,
        "",
    )
    assert fraction == pytest.approx(0.25) and text == "4 pages · being read, about 6 s left"
    late = upload_view.progress_of(doc("extracting", 1, NOW - timedelta(seconds=9)), NOW, 2.0)
    assert late == (upload_view.NEARLY_DONE, "1 page · being read, longer than the usual about 2 s")
    assert upload_view.progress_of(doc("queued", None), NOW, 1.5) == (
        0.0,
        "pages not counted yet · about 2 s to read once the engine starts on it",
    )
    assert upload_view.progress_of(doc("extracted", 2), NOW, 1.5) is None
    assert upload_view.duration_text(150) == "about 3 min"


def test_the_whole_list_says_how_much_is_left() -> None:
    docs = [doc("extracted", 1), doc("extracting", 2, NOW - timedelta(seconds=1)), doc("queued", 3)]
    assert (
        upload_view.overall_text(docs, NOW, 2.0, slots=1)
        == "1 of 3 documents read · about 9 s of reading left"
    )
    assert (
        upload_view.overall_text(docs, NOW, 2.0, slots=3)
        == "1 of 3 documents read · about 6 s of reading left"
    )
    assert upload_view.overall_text(docs[:1], NOW, 2.0, slots=1) is None


@pytest.fixture
def app_ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(metrics, "_recent", collections.deque())  # no pace yet: the default
    return open_context(tmp_path, monkeypatch)


def test_the_upload_page_shows_pages_estimate_and_progress(app_ctx: Context) -> None:
    require(__import__("shutil").which("pdfinfo") is not None, "poppler-utils is not installed")
    at = app()
    at.file_uploader(key="upload_files").set_value([("two.pdf", pdf_bytes(2), "application/pdf")]).run()
    assert not at.exception
    [bar] = at.get("progress")
    assert bar.proto.text == "2 pages · about 3 s to read once the engine starts on it"  # 2 x 1.5 s
    assert "0 of 1 documents read · about 3 s of reading left" in [c.value for c in at.caption]
    assert jobs.claim_next(app_ctx, owner="test-worker") is not None  # a worker starts reading it
    at.run()
    [bar] = at.get("progress")
    assert bar.proto.text.startswith("2 pages · being read, about ")
