"""Extracting a document again (as a chosen type, or detected): back to "queued" for the worker.

Respects review claims: someone else's live claim refuses it unless the actor may take over (a
supervisor, audited "take_over"); only drafts the actor wrote are dropped. ``review.reextract`` is
this function (the review screen's services import it from there).
"""

from __future__ import annotations

from sqlalchemy import delete, update

from medextract import lifecycle
from medextract.errors import PermissionDenied, StoreError
from medextract.models import Document, DraftValue
from medextract.services.audit import write_event
from medextract.services.claims import claim_notice, live_claim
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import change_marks, load

AUTO = "auto"


def reextract(ctx: Context, doc_id: int, *, doc_type: str | None, user: Actor) -> None:
    """Queue the document again, as ``doc_type`` (None or "auto": detect).

    Respects claims: refused (StoreError) while someone else holds a live claim, unless ``user``
    may take over (a supervisor: audited "take_over"). Drafts are dropped only when ``user`` wrote
    them (holds or last held the claim); anyone else's (or a reopened record's) stay. Raises
    StoreError for an unknown type, a verified document, or one being read right now.
    """
    forced = None if doc_type in (None, AUTO) else doc_type
    if forced is not None and forced not in ctx.catalog.type_names():
        raise StoreError(
            f"Unknown document type {forced!r}; use one of: {', '.join(ctx.catalog.type_names())}."
        )
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.REEXTRACT)
        doc = load(session, doc_id)
        holder = live_claim(ctx, doc)
        if holder is not None and holder != name:
            try:
                authorize(session, user, lifecycle.TAKE_OVER)
            except PermissionDenied:
                raise StoreError(
                    f"Document {doc_id} is {claim_notice(holder, doc.claimed_at)}, so it was not "
                    "extracted again: their work would be lost. Ask them, or a supervisor."
                ) from None
            write_event(ctx, session, name, "take_over", doc_id, {"from": holder, "for": "reextract"})
        drafts_by = doc.claimed_by  # a save claims the document: the claim's holder wrote the drafts
        result = session.execute(
            update(Document)
            .where(Document.id == doc_id, Document.status.in_(lifecycle.sources(lifecycle.REEXTRACT)))
            .values(
                status=lifecycle.target(lifecycle.REEXTRACT),
                forced_type=forced,
                error=None,
                reject_reason=None,
                claimed_by=None,
                claimed_at=None,
                review_started_at=None,
                **change_marks(ctx),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            said = lifecycle.status_label(doc.status).lower()
            raise StoreError(f"Document {doc_id} is {said} and cannot be extracted again now.")
        keep_drafts = drafts_by != name  # another reviewer's, or a reopened record's verified values
        if not keep_drafts:
            session.execute(delete(DraftValue).where(DraftValue.document_id == doc_id))
        detail = {"doc_type": forced or AUTO, "drafts_kept": keep_drafts}
        write_event(ctx, session, name, "reextract", doc_id, detail)
