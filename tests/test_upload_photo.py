"""A photo too dark, blurred or cut off is named at upload, and kept unless the clerk removes it:
the upload service (SQLite and PostgreSQL) and the Upload page (AppTest)."""

from __future__ import annotations

import io

from PIL import Image, ImageFilter

from docgen import generate
from medextract import lifecycle
from medextract.services import audit, documents, upload
from medextract.services.context import Context

JPEG = "image/jpeg"


def page(seed: int = 4) -> Image.Image:
    return generate(seed, "prescription", "clean").pages[0].convert("L")


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
