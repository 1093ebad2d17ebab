"""A photo too dark, blurred or cut off is named at upload, and kept unless the clerk removes it:
the upload service (SQLite and PostgreSQL) and the Upload page (AppTest)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter

from docgen import generate
from medextract import lifecycle
from medextract.services import audit, documents, queue, upload
from medextract.services.context import Context
from tests.app_support import app, open_context

JPEG = "image/jpeg"


def page(seed: int = 4) -> Image.Image:
    return generate(seed, "prescription", "clean", fonts="tuning", hand_rate=0).pages[0].convert("L")


def encoded(image: Image.Image, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def dark(image: Image.Image) -> Image.Image:
    return Image.eval(image, lambda v: int(v * 0.35))  # a third of the light


def test_a_dark_photo_is_stored_queued_and_named_with_a_hint(ctx: Context) -> None:
    outcome = upload.intake(ctx, "rx-photo.jpg", encoded(dark(page())), uploader="uma")
    assert outcome.accepted and outcome.document_id is not None
    assert [(p.code, p.page) for p in outcome.photo] == [("dark", 1)]
    assert "retake" in outcome.photo[0].message
    doc = documents.get(ctx, outcome.document_id, user="uma")
    assert doc.status == lifecycle.QUEUED
    [line] = [e for e in audit.history(ctx, doc.id, user="sue") if e.action == "upload"]
    assert "photo: The photo is too dark" in line.text


def test_a_good_photo_and_a_pdf_have_nothing_named(ctx: Context) -> None:
    good = upload.intake(ctx, "good.png", encoded(page(), "PNG"), uploader="uma")
    assert good.accepted and good.photo == ()
    blurred = page(5).filter(ImageFilter.GaussianBlur(4))
    pdf = upload.intake(ctx, "scan.pdf", encoded(blurred, "PDF"), uploader="uma")
    assert pdf.accepted and pdf.photo == ()  # a PDF's pages are not measured at upload
    [line] = [e for e in audit.history(ctx, good.document_id or 0, user="sue") if e.action == "upload"]
    assert "photo" not in line.text


def test_a_multi_page_tiff_names_the_page(ctx: Context) -> None:
    buffer = io.BytesIO()
    page().save(buffer, "TIFF", save_all=True, append_images=[page(6).filter(ImageFilter.GaussianBlur(4))])
    outcome = upload.intake(ctx, "two.tiff", buffer.getvalue(), uploader="uma")
    assert [(p.code, p.page) for p in outcome.photo] == [("blurred", 2)]
    assert upload.describe_photo(outcome.photo).startswith("Page 2: The photo is blurred")


def test_the_uploader_may_remove_a_photo_to_retake_it(ctx: Context) -> None:
    outcome = upload.intake(ctx, "rx-photo.jpg", encoded(dark(page())), uploader="uma")
    doc_id = outcome.document_id or 0
    removed = upload.remove_retake(ctx, doc_id, user="uma")
    assert removed.ok
    doc = documents.get(ctx, doc_id, user="uma")
    assert (doc.status, doc.reject_reason) == (lifecycle.REJECTED, upload.RETAKE_REASON)
    assert not upload.remove_retake(ctx, doc_id, user="uma").ok  # once is enough
    # The retaken photo is a new file: it is not refused as a duplicate.
    again = upload.intake(ctx, "rx-photo-2.png", encoded(page(), "PNG"), uploader="uma")
    assert again.accepted and again.photo == ()


# --- the Upload page -----------------------------------------------------------------------------


@pytest.fixture
def app_ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def send(at: Any, entries: list[tuple[str, bytes, str]]) -> Any:
    at.file_uploader(key="upload_files").set_value(entries).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_upload_page_names_a_bad_photo_and_keeps_it_queued(app_ctx: Any) -> None:
    at = send(app(), [("dark.jpg", encoded(dark(page())), JPEG), ("good.jpg", encoded(page(7)), JPEG)])
    dark_doc, good_doc = queue.documents(app_ctx, user="clerk")
    assert (dark_doc.filename, dark_doc.status, good_doc.status) == ("dark.jpg", "queued", "queued")
    warnings = [w.value.replace("\\", "") for w in at.warning]  # as read, markdown escapes aside
    assert len(warnings) == 1 and warnings[0].startswith("dark.jpg: The photo is too dark")
    assert "retake" in warnings[0] and "kept in the queue" in warnings[0]
    assert [i.value for i in at.info] == ["dark\\.jpg: queued…", "good\\.jpg: queued…"]
    assert not [b for b in at.button if b.key == f"upload_remove_{good_doc.id}"]
    at.run()  # reruns keep the warning and never send the file again
    assert len(at.warning) == 1 and len(queue.documents(app_ctx, user="clerk")) == 2


def test_remove_it_takes_the_bad_photo_out_of_the_queue(app_ctx: Any) -> None:
    at = send(app(), [("dark.jpg", encoded(dark(page())), JPEG)])
    [doc] = queue.documents(app_ctx, user="clerk")
    at.button(key=f"upload_remove_{doc.id}").click().run()
    assert not at.exception
    assert documents.get(app_ctx, doc.id, user="clerk").status == lifecycle.REJECTED
    assert not at.warning and not at.info
    assert any("dark.jpg was removed" in s.value.replace("\\", "") for s in at.success)


def test_a_refused_removal_is_said_beside_the_button_and_the_line_stays(app_ctx: Any) -> None:
    at = send(app(), [("dark.jpg", encoded(dark(page())), JPEG)])
    [doc] = queue.documents(app_ctx, user="clerk")
    assert upload.remove_retake(app_ctx, doc.id, user="clerk").ok  # someone else was quicker
    at.button(key=f"upload_remove_{doc.id}").click().run()
    assert not at.exception
    assert any("cannot be rejected" in c.value for c in at.caption)
    assert not any("was removed" in s.value for s in at.success)  # not taken for removed by this click
