"""Reading a region into a field: a reviewer draws a box on a page, the box's crop is read (one OCR)
into the field's draft, and the box is kept as the field's evidence.

The same rules as any edit of the review screen (``review.save_draft``): the reviewer's role, the
document's status and claim, and its version (``expected_version``: a stale form is refused,
nothing written). The reading happens before the write and outside its transaction. Audited
"read_region" with the field, the page and the box. The evidence (``FieldEvidence``) stays with the
document's values, so it is part of the verified record; the viewer draws the field's box there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.models import FieldEvidence, PageImage
from medextract.services import documents
from medextract.services.audit import write_event
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import current_values, load
from medextract.services.review import check_editable, record_changes
from medextract.services.versions import bump_for_edit, current_version, stale
from medextract.views import Box, RegionRead

MIN_SIDE = 4  # pixels: a smaller box is a click, not a region
MAX_CHARS = 2000  # a box round half a page of small print is still a value, not a document


@dataclass(frozen=True)
class Reading:
    """What a region reader found in a box: text, mean confidence 0..1, the box read (on the page)."""

    text: str
    confidence: float
    box: Box


# (page image bytes, box, multiline) -> Reading; the engine's by default (``engine_reader``).
RegionReader = Callable[[bytes, Box, bool], Reading]


def engine_reader(page: bytes, box: Box, multiline: bool) -> Reading:
    """The engine's reading of a drawn box (``extraction.region``), imported when first used."""
    from extraction.region import read_drawn_box  # lazily: medextract imports without the engine

    found = read_drawn_box(page, box, multiline=multiline)
    return Reading(found.text, found.confidence, found.box)


def read_region(
    ctx: Context,
    doc_id: int,
    field: str,
    page: int,
    box: Sequence[int],
    *,
    user: Actor,
    expected_version: int,
    reader: RegionReader | None = None,
) -> RegionRead:
    """Read ``box`` (x0, y0, x1, y1 in pixels of page image ``page``, 0-based) into ``field``.

    Refused (ok False, nothing written) when the form is stale, the document cannot be edited now
    or is someone else's, the field or page does not exist, the box is not on the page, or
    nothing could be read in it. Raises PermissionDenied for an account that may not edit.
    """
    with ctx.read() as session:
        name = authorize(session, user, lifecycle.SAVE)
        doc = load(session, doc_id)
        version, multiline = doc.version, ctx.catalog.multiline(doc.doc_type or "", field)
        refusal = check_editable(ctx, session, doc, {field: ""}, expected_version, name)
        size = session.execute(
            select(PageImage.width, PageImage.height).where(
                PageImage.document_id == doc_id, PageImage.page_index == page
            )
        ).first()
    if refusal is not None:
        return _refused(refusal.version, field, page, refusal.message)
    if size is None:
        return _refused(version, field, page, f"The document has no page {page + 1}.")
    region = on_page(box, (size.width, size.height))
    if region is None:
        return _refused(version, field, page, "Draw the box on the page, round the value to read.")
    image = documents.page_image(ctx, doc_id, page, user=user)
    found = (reader or engine_reader)(image, region, multiline)
    text = found.text.replace("\r\n", "\n").strip()[:MAX_CHARS]
    if not text:
        said = "Nothing could be read in that box: draw it round the value, with a little margin."
        return _refused(version, field, page, said)
    reading = Reading(text, found.confidence, found.box)
    return _store(ctx, doc_id, field, page, reading, user=user, expected_version=expected_version)


def on_page(box: Sequence[int], size: tuple[int, int]) -> Box | None:
    """``box`` limited to a page of ``size`` (width, height), corners in order; None when what is
    left is too small to hold a value."""
    if len(box) != 4:
        return None
    width, height = size
    x0, y0, x1, y1 = (int(v) for v in box)
    x0, x1 = sorted((min(max(x0, 0), width), min(max(x1, 0), width)))
    y0, y1 = sorted((min(max(y0, 0), height), min(max(y1, 0), height)))
    return (x0, y0, x1, y1) if x1 - x0 >= MIN_SIDE and y1 - y0 >= MIN_SIDE else None


def _store(
    ctx: Context, doc_id: int, field: str, page: int, reading: Reading, *, user: Actor, expected_version: int
) -> RegionRead:
    """Write the draft, its Edit, the evidence and the audit event, as one versioned change."""
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.SAVE)
        doc = load(session, doc_id)
        refusal = check_editable(ctx, session, doc, {field: reading.text}, expected_version, name)
        if refusal is not None:
            return _refused(refusal.version, field, page, refusal.message)
        now = ctx.now()
        if not bump_for_edit(ctx, session, doc, expected_version, name, now):
            refused = stale(current_version(session, doc_id))
            return _refused(refused.version, field, page, refused.message)
        current = current_values(session, doc)
        if current.get(field, "") != reading.text:
            record_changes(session, doc_id, current, {field: reading.text}, name, now)
        _keep_evidence(session, doc_id, field, page, reading.box, name, now)
        detail = {
            "field": field,
            "page": page,
            "box": list(reading.box),
            "confidence": round(reading.confidence, 3),
        }
        write_event(ctx, session, name, "read_region", doc_id, detail)
    said = f"Read {len(reading.text)} character(s) from the box into the field."
    return RegionRead(
        True, expected_version + 1, field, reading.text, reading.confidence, page, reading.box, said
    )


def _keep_evidence(
    session: Session, doc_id: int, field: str, page: int, box: Box, user: str, now: datetime
) -> None:
    """The field's evidence is now this box (one row per document and field)."""
    query = select(FieldEvidence).where(FieldEvidence.document_id == doc_id, FieldEvidence.field == field)
    evidence = session.execute(query).scalar_one_or_none()
    if evidence is None:
        evidence = FieldEvidence(document_id=doc_id, field=field)
        session.add(evidence)
    evidence.page = page
    evidence.box_x0, evidence.box_y0, evidence.box_x1, evidence.box_y1 = box
    evidence.drawn_by = user
    evidence.drawn_at = now


def _refused(version: int, field: str, page: int, message: str) -> RegionRead:
    return RegionRead(False, version, field, "", 0.0, page, None, message)
