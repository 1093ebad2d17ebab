"""Webhooks: a signed POST to the deployment's URL when a document is verified or rejected.

``queue_event`` (called by ``audit.write_event`` for "verify" and "reject") adds a
``WebhookDelivery`` in the transaction of the change it announces: an outbox, so a rolled-back
verify announces nothing and a crash loses nothing. A dispatcher thread (started with the
background worker, in the app, the API and ``python -m medextract.worker``) POSTs each due
delivery; a 2xx answer marks it delivered, anything else (another status, no answer within
``TIMEOUT``) schedules another attempt after a backoff that doubles from ``FIRST_RETRY`` up to
``LONGEST_WAIT``; after ``MAX_ATTEMPTS`` it is given up and ``webhook_failed`` audited. Every
attempt is recorded on its row (attempts, last status or error, delivered or failed at).

A delivery is claimed before it is sent (its next attempt moved ``LEASE`` ahead), so dispatchers
in several processes never send it twice at once; a receiver may still see one twice (a crash
between its answer and our record of it) and drops repeats by ``X-MedExtract-Delivery``.

The body names the document (id, type, status, who, when, the API paths to fetch it), never its
file name or values: the receiver fetches those with its API token, checked and audited.

``X-MedExtract-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``; a
receiver checks it with :func:`verify_signature` (or the same three lines in its language) and
refuses a stale ``t``, so a captured POST cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.models import Document, WebhookDelivery
from medextract.services.context import Actor, Context, System, authorize

log = logging.getLogger(__name__)

EVENTS = {"verify": "document.verified", "reject": "document.rejected"}  # audit action -> event
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=2)  # 30 s, 1, 2, 4 ... min, then every 2 h: about 9 h in all
LEASE = timedelta(minutes=2)  # a claimed delivery waits this long before another dispatcher may
TIMEOUT = 10.0  # seconds for the receiver to answer
POLL_SECONDS = 2.0
BATCH = 20
TOLERANCE_SECONDS = 300
SIGNATURE_HEADER = "X-MedExtract-Signature"
DELIVERY_HEADER = "X-MedExtract-Delivery"
EVENT_HEADER = "X-MedExtract-Event"
DISPATCHER = System("webhook")

Send = Callable[[str, bytes, dict[str, str]], int]  # (url, body, headers) -> HTTP status


@dataclass(frozen=True)
class Delivery:
    """One announcement and how its delivery went (administrators' view)."""

    id: int
    event: str
    document_id: int | None
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None  # None once delivered or given up
    delivered_at: datetime | None
    failed_at: datetime | None
    last_status: int | None
    last_error: str | None


def queue_event(ctx: Context, session: Session, action: str, document_id: int | None, user: str) -> None:
    """Add the announcement of ``action`` on a document to ``session``'s transaction (no-op when
    the deployment has no webhook or the action is not announced)."""
    if ctx.webhook is None or action not in EVENTS or document_id is None:
        return
    doc = session.execute(
        select(Document.doc_type, Document.status).where(Document.id == document_id)
    ).first()
    if doc is None:
        return
    now = ctx.now()
    payload = {
        "event": EVENTS[action],
        "occurred_at": now.isoformat(),
        "by": user,
        "document": {"id": document_id, "doc_type": doc.doc_type, "status": doc.status},
        "links": {"document": f"/v1/documents/{document_id}"}
        | ({"records": f"/v1/records?type={doc.doc_type}"} if action == "verify" and doc.doc_type else {}),
    }
    session.execute(
        insert(WebhookDelivery.__table__),
        {
            "event": EVENTS[action],
            "document_id": document_id,
            "payload": json.dumps(payload, sort_keys=True),
            "created_at": now,
            "attempts": 0,
            "next_attempt_at": now,
        },
    )
    event.listen(session, "after_commit", lambda _: wake(ctx), once=True)  # send it now, not next poll


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(
    secret: str, body: bytes, header: str, *, now: float | None = None, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds of ``now``:
    what a receiver checks before trusting a POST."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp = fields.get("t", "")
    if not stamp.isdigit() or abs((time.time() if now is None else now) - int(stamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, int(stamp)), f"t={stamp},v1={fields.get('v1', '')}")


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body``; the status (redirects are not followed: the URL is configured exactly)."""
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
        return client.post(url, content=body, headers=headers).status_code


def deliver_due(ctx: Context, *, send: Send | None = None, limit: int = BATCH) -> int:
    """Send up to ``limit`` deliveries that are due, oldest first; how many were delivered."""
    config = ctx.webhook
    if config is None:
        return 0
    now = ctx.now()
    with ctx.read() as session:
        due = session.execute(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.delivered_at.is_(None),
                WebhookDelivery.failed_at.is_(None),
                WebhookDelivery.next_attempt_at <= now,
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        ).scalars()
        ids = list(due)
    delivered = 0
    for delivery_id in ids:
        claimed = _claim(ctx, delivery_id, now)
        if claimed is None:
            continue  # another dispatcher took it
        event_name, payload = claimed
        body = json.dumps({"id": delivery_id, **payload}, sort_keys=True, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "MedExtract-Webhook/1",
            EVENT_HEADER: event_name,
            DELIVERY_HEADER: str(delivery_id),
            SIGNATURE_HEADER: sign(config.secret, body, int(ctx.now().timestamp())),
        }
        status: int | None = None
        try:
            status = (send or http_post)(config.url, body, headers)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except Exception as exc:  # the receiver is down, slow, refuses TLS ...: try again later
            error = type(exc).__name__
        _record(ctx, delivery_id, status, error)
        delivered += error is None
    return delivered


def deliveries(ctx: Context, *, user: Actor, limit: int = 100) -> list[Delivery]:
    """The latest deliveries, newest first (administrators)."""
    query = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    with ctx.read() as session:
        authorize(session, user, lifecycle.AUDIT_LOG)
        return [_delivery(row) for row in session.execute(query).scalars()]


# ---- the dispatcher thread ----------------------------------------------------------------------

_dispatchers: dict[str, _Dispatcher] = {}
_dispatchers_lock = threading.Lock()


class _Dispatcher:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name="medextract-webhooks", daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                while deliver_due(self.ctx) and not self.stop.is_set():
                    pass  # a full batch went out: look for more at once
            except Exception as exc:  # the database is away for a moment: keep the thread
                log.warning("webhook deliveries: %s", type(exc).__name__)
            self.wake.wait(POLL_SECONDS)
            self.wake.clear()


def ensure_dispatcher(ctx: Context) -> None:
    """Start this process's dispatcher for ``ctx``'s database (once; no-op without a webhook)."""
    if ctx.webhook is None:
        return
    with _dispatchers_lock:
        running = _dispatchers.get(ctx.url)
        if running is not None and running.thread.is_alive():
            return
        dispatcher = _dispatchers[ctx.url] = _Dispatcher(ctx)
        dispatcher.thread.start()


def stop_dispatcher(ctx: Context, timeout: float = TIMEOUT + 2) -> None:
    """Stop it; a POST under way is finished (or times out) first."""
    with _dispatchers_lock:
        running = _dispatchers.pop(ctx.url, None)
    if running is not None:
        running.stop.set()
        running.wake.set()
        running.thread.join(timeout)


def wake(ctx: Context) -> None:
    """Have this process's dispatcher look for due deliveries now (no-op without one)."""
    running = _dispatchers.get(ctx.url)
    if running is not None:
        running.wake.set()


# ---- helpers ------------------------------------------------------------------------------------


def _claim(ctx: Context, delivery_id: int, now: datetime) -> tuple[str, dict[str, Any]] | None:
    """Take a due delivery for one attempt: (its event, its payload), or None if someone else did."""
    row = WebhookDelivery
    with ctx.write.begin() as session:
        taken = session.execute(
            update(row)
            .where(
                row.id == delivery_id,
                row.delivered_at.is_(None),
                row.failed_at.is_(None),
                row.next_attempt_at <= now,
            )
            .values(attempts=row.attempts + 1, next_attempt_at=ctx.now() + LEASE)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        found = session.execute(select(row.event, row.payload).where(row.id == delivery_id)).one()
    return found.event, json.loads(found.payload)


def _record(ctx: Context, delivery_id: int, status: int | None, error: str | None) -> None:
    """Write how an attempt went: delivered, retried after the backoff, or given up (audited)."""
    from medextract.services.audit import write_event  # audit calls queue_event: import late

    now = ctx.now()
    with ctx.write.begin() as session:
        row = session.get(WebhookDelivery, delivery_id)
        if row is None:
            return
        row.last_status, row.last_error = status, error
        if error is None:
            row.delivered_at = now
        elif row.attempts >= MAX_ATTEMPTS:
            row.failed_at = now
            detail = {"delivery": row.id, "event": row.event, "attempts": row.attempts, "error": error}
            write_event(ctx, session, DISPATCHER.name, "webhook_failed", row.document_id, detail)
        else:
            row.next_attempt_at = now + backoff(row.attempts)


def _delivery(row: WebhookDelivery) -> Delivery:
    pending = row.delivered_at is None and row.failed_at is None
    return Delivery(
        id=row.id,
        event=row.event,
        document_id=row.document_id,
        created_at=row.created_at,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at if pending else None,
        delivered_at=row.delivered_at,
        failed_at=row.failed_at,
        last_status=row.last_status,
        last_error=row.last_error,
    )
