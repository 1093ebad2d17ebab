"""Reading one document: everything the review screen shows, and its page images.

The helpers here (``load``, ``view``, ``field_order``, ``current_values``, ``change_marks``) are shared
with the services that change documents, which call them inside their own transactions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.encryption import unseal
from medextract.errors import DocumentNotFound, StoreError
from medextract.models import Document, DraftValue, FieldEvidence, FieldExtraction, PageImage, VerifiedValue
from medextract.services.claims import live_claim
from medextract.services.context import Actor, Context, authorize
from medextract.views import DocumentView, FieldView


def get(ctx: Context, doc_id: int, *, user: Actor) -> DocumentView:
    """Everything the review page shows; raises DocumentNotFound."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        return view(ctx, session, load(session, doc_id))


def page_image(ctx: Context, doc_id: int, page: int, *, user: Actor) -> bytes:
    """The image of page ``page`` (0-based) as the engine saw it; raises StoreError if absent."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        data = session.execute(
            select(PageImage.data).where(PageImage.document_id == doc_id, PageImage.page_index == page)
        ).scalar()
        if data is None:
            load(session, doc_id)  # DocumentNotFound first, when that is the cause
            raise StoreError(f"Document {doc_id} has no image of page {page + 1}.")
        return unseal(data)


def load(session: Session, doc_id: int) -> Document:
    """The document row; DocumentNotFound when there is none."""
    doc = session.get(Document, doc_id)
    if doc is None:
        raise DocumentNotFound(doc_id)
    return doc


def change_marks(ctx: Context) -> dict[str, Any]:
    """What every change to a document sets besides its own: the next version, and when."""
    return {"version": Document.version + 1, "updated_at": ctx.now()}


def field_order(ctx: Context, session: Session, doc: Document) -> list[str]:
    """The document's fields: the catalog's for its type, else the engine's in its order."""
    names = ctx.catalog.field_names(doc.doc_type or "")
    if names:
        return names
    query = (
        select(FieldExtraction.field)
        .where(FieldExtraction.document_id == doc.id)
        .order_by(FieldExtraction.position)
    )
    return list(session.execute(query).scalars())


def current_values(session: Session, doc: Document) -> dict[str, str]:
    """Each field's value now: the draft where there is one, else the engine's."""
    values = {
        fe.field: fe.value
        for fe in session.execute(
            select(FieldExtraction).where(FieldExtraction.document_id == doc.id)
        ).scalars()
    }
    for draft in session.execute(select(DraftValue).where(DraftValue.document_id == doc.id)).scalars():
        values[draft.field] = draft.value
    return values


def view(ctx: Context, session: Session, doc: Document) -> DocumentView:
    """The review screen's view of ``doc`` (its fields only once the engine has results)."""
    holder = live_claim(ctx, doc)
    return DocumentView(
        id=doc.id,
        filename=doc.filename,
        status=doc.status,
        doc_type=doc.doc_type,
        type_confidence=doc.type_confidence,
        pages=doc.pages,
        version=doc.version,
        error=doc.error,
        reject_reason=doc.reject_reason,
        uploaded_at=doc.uploaded_at,
        uploader=doc.uploader,
        verified_by=doc.verified_by,
        verified_at=doc.verified_at,
        claimed_by=holder,
        fields=_field_views(ctx, session, doc) if doc.status in lifecycle.HAS_RESULTS else {},
        forced_type=doc.forced_type,
        review_started_at=doc.review_started_at,
        claimed_at=doc.claimed_at if holder else None,
        updated_at=doc.updated_at,
    )


def _field_views(ctx: Context, session: Session, doc: Document) -> dict[str, FieldView]:
    extractions = {
        fe.field: fe
        for fe in session.execute(
            select(FieldExtraction).where(FieldExtraction.document_id == doc.id)
        ).scalars()
    }
    if not extractions:
        return {}
    current = current_values(session, doc)
    if doc.status == lifecycle.VERIFIED:
        query = select(VerifiedValue).where(VerifiedValue.document_id == doc.id)
        current.update({v.field: v.value for v in session.execute(query).scalars()})
    doc_type = doc.doc_type or ""
    drawn = {
        e.field: e
        for e in session.execute(select(FieldEvidence).where(FieldEvidence.document_id == doc.id)).scalars()
    }
    required = set(ctx.catalog.required(doc_type))
    views = {}
    for name in field_order(ctx, session, doc):
        fe = extractions.get(name)
        box = (fe.box_x0, fe.box_y0, fe.box_x1, fe.box_y1) if fe else None
        page = fe.page if fe else 0
        evidence = drawn.get(name)
        if evidence is not None:
            box = (evidence.box_x0, evidence.box_y0, evidence.box_x1, evidence.box_y1)
            page = evidence.page
        views[name] = FieldView(
            name=name,
            label=ctx.catalog.label(doc_type, name),
            value=current.get(name, ""),
            engine_value=fe.value if fe else "",
            confidence=fe.confidence if fe else 0.0,
            needs_review=fe.needs_review if fe else True,
            reason=fe.reason if fe else "The engine returned nothing for this field.",
            page=page,
            box=box if box and None not in box else None,  # type: ignore[arg-type]
            multiline=ctx.catalog.multiline(doc_type, name),
            box_drawn=evidence is not None,
            required=name in required,
        )
    return views
