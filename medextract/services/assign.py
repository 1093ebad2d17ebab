"""Assign: a supervisor gives waiting documents to a chosen reviewer.

An assignment is a review claim made for someone else (``services.claims``): the document is "in
review", claimed by the reviewer from the moment of the assignment, audited "assign" (to whom,
and who held it before). So it follows the claims' rules and needs none of its own:

- the reviewer finds it first: "Review next" (``queue.claim_next``) opens their own claims before
  any other document, and the queue counts it among theirs (``queue.progress``);
- nobody else may save it while the claim is live; a former holder's open form is stale (the
  version is bumped, as on a take-over);
- the claim expires like any other (``Context.claim_timeout`` without the reviewer opening or
  saving it), after which anyone may take it: work given to someone who is away does not stall;
  until then it stays theirs, and "Review next" still offers it to them first.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.accounts import normalize_username
from medextract.errors import StoreError
from medextract.models import User
from medextract.services.audit import write_event
from medextract.services.claims import live_claim
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import load
from medextract.services.versions import bump


def assignees(ctx: Context, *, user: Actor) -> list[str]:
    """The people documents may be given to: every active account whose role may review, sorted."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.ASSIGN)
        rows = session.execute(select(User.username, User.role).where(User.active.is_(True))).all()
    return sorted(name for name, role in rows if lifecycle.may(role, lifecycle.CLAIM))


def check_assignee(session: Session, to: str) -> str:
    """``to``'s account name once it may be given documents (it exists, is active and may review);
    else StoreError saying why."""
    name = normalize_username(to)
    row = session.execute(select(User.username, User.active, User.role).where(User.username == name)).first()
    if row is None:
        raise StoreError(f"There is no account {name!r} to give documents to.")
    if not row.active:
        raise StoreError(f"The account {name} is deactivated; give the documents to someone else.")
    if not lifecycle.may(row.role, lifecycle.CLAIM):
        raise StoreError(f"{name} may not review documents.")
    return str(row.username)


def assign(ctx: Context, doc_id: int, *, to: str, user: Actor) -> bool:
    """Give document ``doc_id`` to reviewer ``to``: claimed for them now (see the module), audited
    "assign" with the former holder. False when it already was theirs under a live claim (nothing
    written).

    Raises PermissionDenied when ``user`` may not assign, StoreError when ``to`` may not be given
    documents or the document is not waiting for or in review (DocumentNotFound when missing).
    """
    now = ctx.now()
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.ASSIGN)
        reviewer = check_assignee(session, to)
        doc = load(session, doc_id)
        if not lifecycle.can(lifecycle.ASSIGN, doc.status):
            said = lifecycle.status_label(doc.status).lower()
            raise StoreError(f"It is {said}; only a document waiting for or in review can be assigned.")
        holder = live_claim(ctx, doc)
        if holder == reviewer:
            return False
        # The review itself starts when the reviewer opens it (review_started_at is left alone):
        # the dashboard's claim-to-verify time must not count the hours it waited for them.
        if not bump(
            ctx,
            session,
            doc,
            doc.version,
            status=lifecycle.target(lifecycle.ASSIGN),
            claimed_by=reviewer,
            claimed_at=now,
        ):
            raise StoreError("It changed meanwhile; try again.")
        write_event(ctx, session, name, "assign", doc_id, {"to": reviewer, "from": holder})
    return True
