"""Merge documents, split one, rotate a page (issue 11), on SQLite and PostgreSQL, with documents
drawn by docgen: the new files hold exactly the pages the engine read from the old ones."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

# Documents are typed in the tuning faces (fonts="tuning", hand_rate=0): the engine reads them.
from docgen import generate
from medextract import config, encryption, lifecycle, page_files
from medextract.errors import PermissionDenied, StoreError
from medextract.models import AuditEvent, Document
from medextract.processing import process_pending
from medextract.services import audit, documents, pages, queue, review, upload
from medextract.services.context import Context
from tests.test_store_support import SYSTEM, FakeEngine, make_result


def encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def pdf_of(images: list[Image.Image], dpi: int = 200) -> bytes:
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:], quality=92)
    return out.getvalue()


def uploaded(ctx: Context, name: str, data: bytes, user: str = "uma") -> int:
    outcome = upload.add_upload(ctx, name, data, uploader=user)
    assert outcome.accepted and outcome.document_id is not None, outcome.message
    return outcome.document_id


def stored(ctx: Context, doc_id: int) -> Document:
    with ctx.read() as session:
        doc = session.get(Document, doc_id)
        assert doc is not None
        _ = (doc.content, doc.original_content)  # deferred columns, read while the session is open
        return doc


def pixels(data: bytes) -> list[np.ndarray]:
    """The pages of a file as the engine reads them."""
    return [np.asarray(p.image) for p in page_files.read_pages(data)]


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool((a == b).all())


def extracted(ctx: Context, name: str, data: bytes) -> int:
    """A real file uploaded by uma and read by the fake engine: "extracted"."""
    doc_id = uploaded(ctx, name, data)
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    return doc_id


def test_two_photographed_pages_merge_into_one_document_in_the_chosen_order(ctx: Context) -> None:
    form = generate(5, "patient_details", "clean", fonts="tuning", hand_rate=0).pages
    first = uploaded(ctx, "page1.jpg", encoded(form[0].convert("L"), "JPEG"))
    second = uploaded(ctx, "page2.png", encoded(form[1].convert("L"), "PNG"), user="vic")
    photos = {i: pixels(stored(ctx, i).content)[0] for i in (first, second)}

    result = pages.merge(ctx, [second, first], user="uma")  # page 2 was the first one photographed

    [new_id] = result.documents
    assert result.sources == (second, first) and f"#{new_id}" in result.message
    merged = stored(ctx, new_id)
    assert (merged.status, merged.uploader, merged.filename) == ("queued", "uma", "page2 + page1.tiff")
    assert merged.pages == 2  # counted now, as an upload's pages are
    assert merged.original_content is None  # it had no upload of its own
    read = pixels(merged.content)
    assert len(read) == 2 and same(read[0], photos[second]) and same(read[1], photos[first])
    for source in (first, second):
        doc = documents.get(ctx, source, user="uma")
        assert doc.status == lifecycle.MERGED
        assert pages.lineage(ctx, source, user="uma").went_into == (new_id,)
        assert stored(ctx, source).content  # the upload stays
    assert pages.lineage(ctx, new_id, user="uma") == pages.Lineage(lifecycle.MERGE, (second, first), ())
    waiting = [d.id for d in queue.documents(ctx, user="uma", status=lifecycle.OPEN)]
    assert waiting == [new_id]  # the sources left the queue
    said = [(e.action, e.user) for e in audit.history(ctx, first, user="sue")]
    assert ("merged_into", "uma") in said and said[0][0] == "upload"  # its history stays
    assert ("merge", "uma") in [(e.action, e.user) for e in audit.history(ctx, new_id, user="sue")]


def test_a_merged_document_is_read_by_the_worker_like_any_upload(ctx: Context) -> None:
    form = generate(6, "patient_details", "clean", fonts="tuning", hand_rate=0).pages
    ids = [uploaded(ctx, f"p{i}.png", encoded(page.convert("L"), "PNG")) for i, page in enumerate(form)]
    [new_id] = pages.merge(ctx, ids, user="uma").documents
    engine = FakeEngine(make_result("patient_details", pages=2))
    assert process_pending(ctx, extract_fn=engine) == 1  # type: ignore[arg-type]
    assert engine.calls[0][0] == stored(ctx, new_id).content  # the derived TIFF, as stored
    assert documents.get(ctx, new_id, user="uma").status == lifecycle.EXTRACTED


def test_a_scanned_batch_of_two_forms_splits_into_two_documents(ctx: Context) -> None:
    rx = generate(7, "prescription", "clean", fonts="tuning", hand_rate=0).pages[0].convert("L")
    details = [
        p.convert("L") for p in generate(8, "patient_details", "clean", fonts="tuning", hand_rate=0).pages
    ]
    batch = extracted(ctx, "batch.pdf", pdf_of([rx, *details]))
    before = pixels(stored(ctx, batch).content)

    result = pages.split(ctx, batch, [0], user="vic")  # after the first page

    assert len(result.documents) == 2
    parts = [stored(ctx, i) for i in result.documents]
    assert [p.filename for p in parts] == ["batch (pages 1).tiff", "batch (pages 2-3).tiff"]
    assert [(p.status, p.pages) for p in parts] == [(lifecycle.QUEUED, 1), (lifecycle.QUEUED, 2)]
    first, second = (pixels(p.content) for p in parts)
    assert len(first) == 1 and same(first[0], before[0])
    assert len(second) == 2 and same(second[0], before[1]) and same(second[1], before[2])
    assert documents.get(ctx, batch, user="vic").status == lifecycle.SPLIT
    assert pages.lineage(ctx, batch, user="vic").went_into == result.documents
    assert pages.lineage(ctx, result.documents[1], user="vic").made_from == (batch,)
    with ctx.read() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.document_id == batch, AuditEvent.action == "split")
        ).scalar_one()
    assert json.loads(event.detail) == {"after_pages": [1], "into": list(result.documents)}


def test_a_page_scanned_sideways_is_turned_upright_and_read_again(ctx: Context) -> None:
    upright = generate(9, "prescription", "clean", fonts="tuning", hand_rate=0).pages[0].convert("L")
    sideways = encoded(upright.transpose(Image.Transpose.ROTATE_90), "PNG")  # a quarter turn left
    doc_id = extracted(ctx, "sideways.png", sideways)
    sha = stored(ctx, doc_id).sha256

    result = pages.rotate(ctx, doc_id, 0, 90, user="uma")

    assert result.documents == (doc_id,)
    doc = stored(ctx, doc_id)
    assert (doc.status, doc.extracted_as, doc.sha256) == (lifecycle.QUEUED, None, sha)
    assert doc.original_content == sideways  # the upload is kept
    assert same(pixels(doc.content)[0], pixels(encoded(upright, "PNG"))[0])
    engine = FakeEngine(make_result())
    assert process_pending(ctx, extract_fn=engine) == 1  # type: ignore[arg-type]
    assert len(engine.calls) == 1  # read afresh, not answered with the stored sideways reading
    pages.rotate(ctx, doc_id, 0, 180, user="uma")
    assert stored(ctx, doc_id).original_content == sideways  # still the upload, not the first turn
    with pytest.raises(StoreError, match="no page 2 to rotate"):
        pages.rotate(ctx, doc_id, 1, 90, user="uma")
    with pytest.raises(StoreError, match="90, 180 or 270"):
        pages.rotate(ctx, doc_id, 0, 45, user="uma")


def test_with_a_data_key_the_turned_file_and_the_kept_upload_are_both_encrypted(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(config, "SECRETS", tmp_path / "secrets.toml")  # the key from the environment
    monkeypatch.setenv(encryption.KEY_ENV, encryption.new_key())
    page = encoded(
        generate(14, "prescription", "clean", fonts="tuning", hand_rate=0).pages[0].convert("L"), "PNG"
    )
    doc_id = uploaded(ctx, "rx.png", page)
    pages.rotate(ctx, doc_id, 0, 180, user="uma")
    doc = stored(ctx, doc_id)
    assert doc.original_content is not None
    assert encryption.is_encrypted(doc.content) and encryption.is_encrypted(doc.original_content)
    assert encryption.unseal(doc.original_content) == page
    assert encryption.unseal(doc.content)[:4] == b"II*\x00"  # the turned pages, a TIFF


def test_a_verified_document_is_refused_and_left_as_it_was(ctx: Context) -> None:
    page = generate(10, "prescription", "clean", fonts="tuning", hand_rate=0).pages[0].convert("L")
    doc_id = extracted(ctx, "rx.png", encoded(page, "PNG"))
    other = uploaded(ctx, "other.png", encoded(page.rotate(1, fillcolor=255), "PNG"))
    view = review.start_review(ctx, doc_id, user="uma")
    assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok
    version = documents.get(ctx, doc_id, user="uma").version
    for attempt, said in (
        (lambda: pages.merge(ctx, [other, doc_id], user="uma"), "cannot be merged"),
        (lambda: pages.split(ctx, doc_id, [0], user="uma"), "cannot be split"),
        (lambda: pages.rotate(ctx, doc_id, 0, 90, user="uma"), "cannot have a page rotated"),
    ):
        with pytest.raises(StoreError, match=f"is verified, so it {said}. A supervisor can reopen it"):
            attempt()
    assert documents.get(ctx, doc_id, user="uma").version == version
    assert documents.get(ctx, other, user="uma").status == lifecycle.QUEUED  # the merge did nothing


def test_another_reviewers_claim_and_draft_are_never_set_aside(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    page = generate(11, "prescription", "clean", fonts="tuning", hand_rate=0).pages[0].convert("L")
    doc_id = extracted(ctx, "rx.png", encoded(page, "PNG"))
    view = review.start_review(ctx, doc_id, user="uma")
    assert review.save_draft(ctx, doc_id, {"refills": "7"}, user="uma", expected_version=view.version).ok
    with pytest.raises(StoreError, match=r"being reviewed by uma since .* their work would be lost"):
        pages.rotate(ctx, doc_id, 0, 90, user="vic")
    clock.advance(hours=2)  # her claim expired; her draft did not
    with pytest.raises(StoreError, match="holds a draft by uma, so it cannot be split now"):
        pages.split(ctx, doc_id, [0], user="sue")
    with pytest.raises(StoreError, match="holds a draft by uma"):
        pages.rotate(ctx, doc_id, 0, 90, user="vic")
    assert documents.get(ctx, doc_id, user="uma").fields["refills"].value == "7"
    # uma's own draft does not stop her: the page is read again
    assert pages.rotate(ctx, doc_id, 0, 270, user="uma").documents == (doc_id,)
    assert documents.get(ctx, doc_id, user="uma").claimed_by is None


def test_missing_pages_unreadable_files_and_roles(ctx: Context) -> None:
    page = generate(12, "prescription", "clean", fonts="tuning", hand_rate=0).pages[0].convert("L")
    one = uploaded(ctx, "one.png", encoded(page, "PNG"))
    with pytest.raises(StoreError, match="no page 1 to split after: the document has 1 page"):
        pages.split(ctx, one, [0], user="uma")
    with pytest.raises(StoreError, match="at least two"):
        pages.merge(ctx, [one, one], user="uma")
    broken = uploaded(ctx, "broken.png", encoded(page, "PNG")[:400])
    with pytest.raises(StoreError, match=f"pages of document {broken} .* cannot be read"):
        pages.merge(ctx, [one, broken], user="uma")
    with pytest.raises(PermissionDenied):
        pages.rotate(ctx, one, 0, 90, user="nobody")
    assert [d.status for d in queue.documents(ctx, user=SYSTEM)] == [lifecycle.QUEUED] * 2
    two = uploaded(ctx, "two.png", encoded(page.rotate(2, fillcolor=255), "PNG"))
    assert pages.merge(ctx, [one, two], user="sue").documents  # a supervisor may too


def test_a_merge_past_the_engines_page_limit_is_refused(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDEXTRACT_MAX_PAGES", "2")
    form = [
        p.convert("L") for p in generate(13, "patient_details", "clean", fonts="tuning", hand_rate=0).pages
    ]
    both = uploaded(ctx, "both.pdf", pdf_of(form))
    third = uploaded(ctx, "third.png", encoded(form[0], "PNG"))
    with pytest.raises(StoreError, match="Together these documents have 3 pages; one document may have 2"):
        pages.merge(ctx, [both, third], user="uma")
    assert {d.status for d in queue.documents(ctx, user="uma")} == {lifecycle.QUEUED}


def test_page_files_keep_each_pages_resolution_and_turn_exactly() -> None:
    a = page_files.Page(Image.new("L", (30, 40), 200), 150)
    b = page_files.Page(Image.new("L", (50, 20), 100), 300)
    with Image.open(io.BytesIO(page_files.write_tiff([a, b]))) as tiff:
        sizes = []
        for index in range(tiff.n_frames):
            tiff.seek(index)
            sizes.append((tiff.size, round(tiff.info["dpi"][0])))
    assert sizes == [((30, 40), 150), ((50, 20), 300)]
    marked = Image.new("L", (4, 2), 255)
    marked.putpixel((0, 0), 0)  # top left
    assert page_files.turned(page_files.Page(marked, 1), 90).image.getpixel((1, 0)) == 0  # top right
    assert page_files.parts(5, [3, 0]) == [range(0, 1), range(1, 4), range(4, 5)]


@pytest.mark.ocr
def test_the_engine_reads_a_form_whole_only_once_its_photographed_pages_are_merged(needs_ocr: None) -> None:
    from extraction import extract

    form = generate(21, "patient_details", "photo", fonts="tuning", hand_rate=0)
    photos = [encoded(page.convert("L"), "JPEG") for page in form.pages]
    merged = page_files.write_tiff([page for photo in photos for page in page_files.read_pages(photo)])

    def plain(text: str) -> str:
        return " ".join(text.split()).casefold()

    def right(data: bytes) -> tuple[str, int]:
        """The type the engine reads and how many printed fields it reads exactly."""
        result = extract(data)
        read = {name: plain(f.value) for name, f in result.fields.items()}
        return result.document_type, sum(1 for n, v in form.truth.items() if v and read.get(n) == plain(v))

    printed = sum(1 for value in form.truth.values() if value)
    assert right(photos[1]) == ("unknown", 0)  # the second page alone: no type, no fields
    doc_type, found = right(merged)
    assert doc_type == "patient_details" and found >= printed - 1, (found, printed)
