"""Review claims: who holds a document, until when, and how that reads for people.

Opening a waiting document claims it for the reviewer; the claim binds saves to its holder and
expires after ``Context.claim_timeout`` without a save or an open by the holder.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_

from medextract import lifecycle
from medextract.models import Document
from medextract.services.context import Context
from medextract.views import SaveResult


def claim_notice(claimed_by: str, claimed_at: datetime | None) -> str:
    """ "being reviewed by X since HH:MM" (UTC), as the queue and the review page say it."""
    since = f" since {claimed_at:%H:%M} UTC" if claimed_at is not None else ""
    return f"being reviewed by {claimed_by}{since}"


def claimable(ctx: Context) -> Any:
    """SQL condition: the document waits for review and nobody holds a live claim on it."""
    return or_(
        Document.status == lifecycle.EXTRACTED,
        and_(
            Document.status == lifecycle.IN_REVIEW,
            or_(
                Document.claimed_by.is_(None),
                Document.claimed_at.is_(None),
                Document.claimed_at < ctx.now() - ctx.claim_timeout,
            ),
        ),
    )


def live_claim(ctx: Context, doc: Document) -> str | None:
    """Who holds a live (unexpired) review claim on ``doc``, or None."""
    if doc.status != lifecycle.IN_REVIEW or doc.claimed_by is None or doc.claimed_at is None:
        return None
    return doc.claimed_by if doc.claimed_at >= ctx.now() - ctx.claim_timeout else None


def claim_refusal(ctx: Context, doc: Document, user: str) -> SaveResult | None:
    """A refusal when someone other than ``user`` holds a live claim on ``doc``."""
    holder = live_claim(ctx, doc)
    if holder is None or holder == user:
        return None
    return SaveResult(
        False,
        doc.version,
        {},
        f"This document is {claim_notice(holder, doc.claimed_at)}, so nothing was saved. "
        "Your edits are still in the form; wait until they finish or their claim expires.",
    )
