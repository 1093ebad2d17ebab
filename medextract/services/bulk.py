"""Bulk actions of the queue: one supervisor's action on many selected documents at once.

Each action is an existing single-document operation applied to every document in turn, each in
its own transaction and audited by that operation as always (``reextract``, ``take_over``,
``release``, ``reject``, ``assign``); a refusal of one document is reported with its reason and the others
go on. Only a supervisor (or an administrator) may act in bulk (``lifecycle.BULK``), checked
before anything is done; the request itself is audited once too ("bulk": the action, the
documents, which were done and why the others were not), indexed under every document it named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from medextract import lifecycle
from medextract.errors import DocumentNotFound, StoreError
from medextract.services import assign, documents, review
from medextract.services.audit import insert_event
from medextract.services.context import Actor, Context, authorize

RELEASE = "release"  # free a live review claim, whoever holds it
REEXTRACT = "reextract"  # extract again, the type detected
SET_TYPE = "set_type"  # extract again as a chosen type
REJECT = "reject"  # reject, with one reason for all
REASSIGN = "reassign"  # give to one reviewer (services.assign: claimed for them, theirs first)
ACTIONS = (RELEASE, REEXTRACT, SET_TYPE, REJECT, REASSIGN)
ACTION_LABELS = {
    RELEASE: "Release claims",
    REEXTRACT: "Extract again",
    SET_TYPE: "Set type and extract again",
    REJECT: "Reject",
    REASSIGN: "Assign to a reviewer",
}
MAX_DOCUMENTS = 500  # documents one request may name


@dataclass(frozen=True)
class Outcome:
    """What happened to one document: done, or the reason it was not."""

    doc_id: int
    ok: bool
    message: str


@dataclass(frozen=True)
class BulkResult:
    """Every selected document's outcome, in the order they were given."""

    action: str
    outcomes: tuple[Outcome, ...]

    @property
    def done(self) -> list[int]:
        return [o.doc_id for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def summary(self) -> str:
        """One line for people: "Extract again: 3 of 4 documents done."."""
        return f"{ACTION_LABELS[self.action]}: {len(self.done)} of {len(self.outcomes)} documents done."


def apply(
    ctx: Context,
    action: str,
    doc_ids: Iterable[int],
    *,
    user: Actor,
    doc_type: str | None = None,
    reason: str = "",
    assignee: str = "",
) -> BulkResult:
    """Apply ``action`` (one of ``ACTIONS``) to each of ``doc_ids``.

    ``doc_type`` is the type ``SET_TYPE`` extracts as, ``reason`` the one ``REJECT`` records for
    every document, ``assignee`` the reviewer ``REASSIGN`` gives them to. Raises StoreError
    (nothing done) when ``user`` may not act in bulk, the action is unknown, its argument missing
    or wrong (a reviewer who may not review), or too many documents are named; a document's own
    refusal is its ``Outcome``, never an exception.
    """
    ids = list(dict.fromkeys(int(i) for i in doc_ids))  # each once, in the order given
    with ctx.read() as session:
        name = authorize(session, user, lifecycle.BULK)
    step = _step(ctx, action, name, doc_type, reason.strip(), assignee.strip())
    if len(ids) > MAX_DOCUMENTS:
        raise StoreError(f"Select at most {MAX_DOCUMENTS} documents at once ({len(ids)} were selected).")
    outcomes = []
    missing = set()
    for doc_id in ids:
        try:
            message = step(doc_id)
        except DocumentNotFound as exc:
            missing.add(doc_id)
            outcomes.append(Outcome(doc_id, False, str(exc)))
        except StoreError as exc:  # this document's refusal; the others go on
            outcomes.append(Outcome(doc_id, False, str(exc)))
        else:
            outcomes.append(Outcome(doc_id, message is None, message or "Done."))
    result = BulkResult(action, tuple(outcomes))
    detail = {
        "action": action,
        "documents": ids,
        "done": result.done,
        "failed": {str(o.doc_id): o.message for o in result.failed},
        **({"doc_type": doc_type} if action == SET_TYPE else {}),
        **({"reason": reason.strip()} if action == REJECT else {}),
        **({"assignee": assignee.strip()} if action == REASSIGN else {}),
    }
    with ctx.write.begin() as session:
        insert_event(ctx, session, name, "bulk", detail, documents=[i for i in ids if i not in missing])
    return result


def _step(
    ctx: Context, action: str, name: str, doc_type: str | None, reason: str, assignee: str
) -> Callable[[int], str | None]:
    """The per-document operation of ``action``: None when done, else why not (or StoreError)."""
    if action == REEXTRACT:
        return lambda doc_id: review.reextract(ctx, doc_id, doc_type=None, user=name)
    if action == SET_TYPE:
        if not doc_type or doc_type not in ctx.catalog.type_names():
            raise StoreError(f"Choose one of the document types: {', '.join(ctx.catalog.type_names())}.")
        return lambda doc_id: review.reextract(ctx, doc_id, doc_type=doc_type, user=name)
    if action == REJECT:
        if not reason:
            raise StoreError("Say why the documents are rejected.")
        return lambda doc_id: _reject(ctx, doc_id, reason, name)
    if action == RELEASE:
        return lambda doc_id: _release(ctx, doc_id, name)
    if action == REASSIGN:
        if not assignee:
            raise StoreError("Choose the reviewer to give the documents to.")
        with ctx.read() as session:
            reviewer = assign.check_assignee(session, assignee)  # once, before any document
        return lambda doc_id: _reassign(ctx, doc_id, reviewer, name)
    raise StoreError(f"Unknown bulk action {action!r}; use one of: {', '.join(ACTIONS)}.")


def _reject(ctx: Context, doc_id: int, reason: str, name: str) -> str | None:
    doc = documents.get(ctx, doc_id, user=name)
    if doc.claimed_by and doc.claimed_by != name:
        return f"{doc.claimed_by} is reviewing it: release their claim first, or wait."
    result = review.reject(ctx, doc_id, reason, user=name, expected_version=doc.version)
    return None if result.ok else result.message


def _release(ctx: Context, doc_id: int, name: str) -> str | None:
    """Free the live claim on ``doc_id``: the supervisor takes it over from its holder (audited
    "take_over") and releases it (audited "release"); the document stays in review, drafts kept."""
    doc = documents.get(ctx, doc_id, user=name)
    if doc.status != lifecycle.IN_REVIEW or not doc.claimed_by:
        return "Nobody is reviewing it."
    if doc.claimed_by != name:
        review.take_over(ctx, doc_id, user=name)
    if not review.release(ctx, doc_id, user=name, reason="bulk"):
        return "It changed meanwhile; nothing was released."
    return None


def _reassign(ctx: Context, doc_id: int, reviewer: str, name: str) -> str | None:
    """Give ``doc_id`` to ``reviewer`` (``assign.assign``, audited "assign"), whoever held it."""
    assign.assign(ctx, doc_id, to=reviewer, user=name)  # already theirs: done all the same
    return None
