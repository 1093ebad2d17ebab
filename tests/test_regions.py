"""Reading a drawn box into a field (services.regions, extraction.region): real tesseract on a
generated page, then the rules with a fake reader (stale forms, boxes off the page, claims)."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from extraction.region import read_drawn_box, words_to_text
from extraction.types import Word
from medextract.models import AuditEvent, Edit, FieldEvidence
from medextract.processing import process_pending
from medextract.services import documents, regions, review, upload
from medextract.services.context import Context
from tests.drawn_pages import DrawnPage
from tests.test_store_support import FakeEngine, make_result

DIRECTIONS_BOX = (80, 280, 760, 410)  # round the two lines of directions drawn below
NAME_BOX = (80, 80, 760, 150)


def drawn_page() -> bytes:
    """A page with a patient's name and two lines of directions at known places (PNG)."""
    page = DrawnPage(1400, 900)
    page.text(100, 100, "Patient: John Smith")
    page.text(100, 300, "Take two tablets")
    page.text(100, 345, "every morning")
    out = io.BytesIO()
    page.image.save(out, format="PNG")
    return out.getvalue()


def extracted_with_page(ctx: Context, png: bytes | None = None) -> int:
    """An extracted prescription whose one page image is ``png`` (a blank page by default)."""
    outcome = upload.add_upload(ctx, "rx.png", b"\x89PNG\r\n\x1a\n rx", uploader="uma")
    assert outcome.document_id is not None
    result = make_result()
    if png is not None:
        from PIL import Image

        result.page_images = [Image.open(io.BytesIO(png))]
    assert process_pending(ctx, extract_fn=FakeEngine(result)) == 1  # type: ignore[arg-type]
    return outcome.document_id


class FakeReader:
    """A region reader that returns ``text`` and records what it was asked."""

    def __init__(self, text: str = "read text") -> None:
        self.text = text
        self.calls: list[tuple[tuple[int, int, int, int], bool]] = []

    def __call__(self, page: bytes, box: tuple[int, int, int, int], multiline: bool) -> regions.Reading:
        self.calls.append((box, multiline))
        return regions.Reading(self.text, 0.9, box)


def version(ctx: Context, doc_id: int) -> int:
    return documents.get(ctx, doc_id, user="uma").version


def test_the_engine_reads_a_drawn_box_as_one_line_or_as_rows(needs_ocr: None) -> None:
    png = drawn_page()
    assert read_drawn_box(png, NAME_BOX).text == "Patient: John Smith"
    rows = read_drawn_box(png, DIRECTIONS_BOX, multiline=True)
    assert rows.text == "Take two tablets\nevery morning" and rows.confidence > 0.5
    assert read_drawn_box(png, (760, 410, 80, 280), multiline=True).box == DIRECTIONS_BOX  # any corners
    with pytest.raises(ValueError):
        read_drawn_box(png, (2000, 2000, 2100, 2100))


def test_words_are_put_in_reading_order() -> None:
    words = [
        Word("morning", 0.9, (260, 345, 400, 375)),
        Word("tablets", 0.9, (300, 300, 420, 330)),
        Word("Take", 0.9, (100, 302, 170, 332)),
        Word("every", 0.9, (100, 347, 240, 377)),
    ]
    assert words_to_text(words, multiline=True) == "Take tablets\nevery morning"
    assert words_to_text(words, multiline=False) == "Take tablets every morning"


def test_a_drawn_box_is_read_into_the_field_and_kept_as_its_evidence(ctx: Context, needs_ocr: None) -> None:
    doc_id = extracted_with_page(ctx, drawn_page())
    before = version(ctx, doc_id)

    result = regions.read_region(
        ctx, doc_id, "directions", 0, DIRECTIONS_BOX, user="uma", expected_version=before
    )

    assert result.ok, result.message
    assert (result.value, result.page, result.box) == ("Take two tablets\nevery morning", 0, DIRECTIONS_BOX)
    assert result.version == before + 1
    doc = documents.get(ctx, doc_id, user="uma")
    field = doc.fields["directions"]
    assert (field.value, field.page, field.box, field.box_drawn) == (result.value, 0, DIRECTIONS_BOX, True)
    assert field.engine_value == "Twice a day"  # what the engine read is kept
    assert doc.status == "in_review" and doc.claimed_by == "uma" and doc.version == result.version
    with ctx.engine.connect() as conn:
        event = conn.execute(select(AuditEvent).where(AuditEvent.action == "read_region")).one()
        edits = conn.execute(select(Edit.field, Edit.old, Edit.new)).all()
    assert event.user == "uma" and event.document_id == doc_id
    detail = json.loads(event.detail)
    assert (detail["field"], detail["page"], detail["box"]) == ("directions", 0, list(DIRECTIONS_BOX))
    assert edits == [("directions", "Twice a day", "Take two tablets\nevery morning")]

    # The box is the verified record's evidence for the field.
    verified = review.verify(ctx, doc_id, {}, user="uma", expected_version=result.version)
    assert verified.ok, verified.message
    with ctx.engine.connect() as conn:
        kept = conn.execute(select(FieldEvidence)).one()
    assert (kept.document_id, kept.field, kept.page, kept.drawn_by) == (doc_id, "directions", 0, "uma")
    assert (kept.box_x0, kept.box_y0, kept.box_x1, kept.box_y1) == DIRECTIONS_BOX
    done = documents.get(ctx, doc_id, user="uma").fields["directions"]
    assert (done.value, done.box, done.box_drawn) == ("Take two tablets\nevery morning", DIRECTIONS_BOX, True)


def test_the_reader_gets_the_box_on_the_page_and_the_fields_shape(ctx: Context) -> None:
    doc_id = extracted_with_page(ctx)  # pages of 300 x 200
    reader = FakeReader("Jane Doe")
    v = version(ctx, doc_id)
    first = regions.read_region(
        ctx, doc_id, "patient_name", 0, (290, 150, 400, 260), user="uma", expected_version=v, reader=reader
    )
    second = regions.read_region(
        ctx, doc_id, "medicines", 0, (10, 10, 60, 40), user="uma", expected_version=v + 1, reader=reader
    )
    assert first.ok and second.ok
    assert reader.calls == [((290, 150, 300, 200), False), ((10, 10, 60, 40), True)]  # limited to the page
    assert documents.get(ctx, doc_id, user="uma").fields["patient_name"].value == "Jane Doe"
    # Drawing again replaces the field's evidence.
    third = regions.read_region(
        ctx, doc_id, "patient_name", 0, (20, 20, 80, 50), user="uma", expected_version=v + 2, reader=reader
    )
    assert third.ok
    assert documents.get(ctx, doc_id, user="uma").fields["patient_name"].box == (20, 20, 80, 50)
    with ctx.engine.connect() as conn:
        assert len(conn.execute(select(FieldEvidence)).all()) == 2


@pytest.mark.parametrize(
    ("field", "page", "box", "text", "said"),
    [
        ("patient_name", 0, (500, 500, 600, 600), "x", "Draw the box on the page"),
        ("patient_name", 0, (10, 10, 12, 40), "x", "Draw the box on the page"),
        ("patient_name", 3, (10, 10, 60, 40), "x", "no page 4"),
        ("no_such_field", 0, (10, 10, 60, 40), "x", "fields this document does not have"),
        ("patient_name", 0, (10, 10, 60, 40), "  ", "Nothing could be read"),
    ],
)
def test_a_box_that_gives_no_value_is_refused_and_nothing_written(
    ctx: Context, field: str, page: int, box: tuple[int, int, int, int], text: str, said: str
) -> None:
    doc_id = extracted_with_page(ctx)
    v = version(ctx, doc_id)
    result = regions.read_region(
        ctx, doc_id, field, page, box, user="uma", expected_version=v, reader=FakeReader(text)
    )
    assert not result.ok and said in result.message
    assert version(ctx, doc_id) == v
    with ctx.engine.connect() as conn:
        assert conn.execute(select(FieldEvidence)).all() == []
        assert conn.execute(select(AuditEvent).where(AuditEvent.action == "read_region")).all() == []


def test_a_stale_form_or_someone_elses_claim_is_refused(ctx: Context) -> None:
    doc_id = extracted_with_page(ctx)
    v = version(ctx, doc_id)
    reader = FakeReader()
    stale = regions.read_region(
        ctx, doc_id, "patient_name", 0, (10, 10, 60, 40), user="uma", expected_version=v - 1, reader=reader
    )
    assert not stale.ok and "Someone else changed this document" in stale.message
    assert reader.calls == []  # refused before any reading
    review.start_review(ctx, doc_id, user="vic")
    held = regions.read_region(
        ctx, doc_id, "patient_name", 0, (10, 10, 60, 40), user="uma", expected_version=version(ctx, doc_id)
    )
    assert not held.ok and "vic" in held.message
    assert documents.get(ctx, doc_id, user="uma").fields["patient_name"].box_drawn is False


def test_a_new_extraction_drops_the_boxes_drawn_on_the_old_pages(ctx: Context) -> None:
    doc_id = extracted_with_page(ctx)
    result = regions.read_region(
        ctx,
        doc_id,
        "patient_name",
        0,
        (10, 10, 60, 40),
        user="uma",
        expected_version=version(ctx, doc_id),
        reader=FakeReader(),
    )
    assert result.ok
    review.reextract(ctx, doc_id, doc_type="prescription", user="uma")
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    assert documents.get(ctx, doc_id, user="uma").fields["patient_name"].box_drawn is False
    with ctx.engine.connect() as conn:
        assert conn.execute(select(FieldEvidence)).all() == []
