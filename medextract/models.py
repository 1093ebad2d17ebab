"""The database schema as SQLAlchemy 2 typed models.

Alembic's ``versions/`` must describe exactly these tables (a test compares them). Timestamps
are stored in UTC and always come back timezone-aware, whatever the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is stored as UTC and read back as an aware UTC datetime.

    SQLite keeps no zone, so naive values read from it are UTC by construction; PostgreSQL's
    ``timestamptz`` returns aware values, which are converted to UTC for uniform comparisons.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware (UTC) datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Named constraints: later migrations can drop or alter them by name (SQLite batch mode needs it).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class User(Base):
    """A person who uses the app. Authentication arrives with a later issue; the table is ready."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # one of lifecycle.ROLES
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class SsoIdentity(Base):
    """The single-sign-on identity an account is bound to: the provider (``issuer``) and its
    stable, never reassigned id for the person (``subject``), as the OIDC standard defines them.

    Only this binding says which account an SSO sign-in is. It is made the first time: with an
    account an administrator made for the person's e-mail address when the provider says the
    address is verified, or with a new account when the ID token names a role. A name the person
    can choose at the provider (``preferred_username``) never picks an account.
    """

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime]


class LoginAttempt(Base):
    """Password sign-in attempts per typed username since its last success (the lockout).

    Counted with one atomic upsert per attempt, before the password is checked; a username that
    has no account is counted too, so the lockout tells nothing about which names exist.
    """

    __tablename__ = "login_attempts"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime]


class Document(Base):
    """One uploaded file and where it is in its life (``status``, one of ``lifecycle.STATUSES``).

    ``version`` is bumped by every change a person or the worker makes, so a write based on an
    older read can be refused (optimistic locking), and sets ``updated_at`` to when it happened
    (the API's ``updated_since``). ``extracted_as`` records which type was
    asked of the engine ("auto" or a forced type) for the extraction stored now: re-queuing with
    the same request reuses it instead of OCR-ing the same bytes again.
    """

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_status_uploaded", "status", "uploaded_at"),
        Index("ix_documents_updated_at", "updated_at"),
        Index("ix_documents_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int]
    pages: Mapped[int | None]
    uploader: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime]
    forced_type: Mapped[str | None] = mapped_column(String(40))
    doc_type: Mapped[str | None] = mapped_column(String(40))
    type_confidence: Mapped[float | None] = mapped_column(Float)
    extracted_as: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None]
    review_started_at: Mapped[datetime | None]
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[datetime | None]
    # The default only ever served rows that predate the column (migration 0002 backfills them).
    updated_at: Mapped[datetime] = mapped_column(server_default=text("'1970-01-01 00:00:00'"))
    # The extraction queue (migration 0005): higher priority first; the lease of the worker
    # extracting it, renewed by that worker's heartbeat; how many times a worker took it.
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None]
    # The learned layout the stored extraction was read with and its match (migration 0009); None:
    # the generic reading. The layout itself is a file (medextract.layouts), so no foreign key.
    layout_id: Mapped[str | None] = mapped_column(String(80))
    layout_match: Mapped[float | None] = mapped_column(Float)
    # When the learning task this document's verify queued finished (migration 0011): a verify
    # after a reopen queues none again, even once the task's row is pruned.
    layout_learned_at: Mapped[datetime | None]
    # The bytes as uploaded, once ``content`` holds a file derived from them (a page rotated:
    # migration 0012); None while ``content`` is still the upload itself, and for a document
    # made by merging or splitting others (it had no upload of its own).
    original_content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class DocumentLink(Base):
    """Pages of one document that went into another (migration 0012): a merge links each source
    to the one new document (``position``: its place in the page order), a split links the one
    source to each new document (``position``: which part). ``first_page`` (0-based) and
    ``page_count`` say which of the source's pages. The sources stay, "merged" or "split"."""

    __tablename__ = "document_links"
    __table_args__ = (
        UniqueConstraint("source_id", "result_id"),
        Index("ix_document_links_result_id", "result_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # lifecycle.MERGE or lifecycle.SPLIT_DOCUMENT
    source_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    result_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int]
    first_page: Mapped[int]
    page_count: Mapped[int]
    made_by: Mapped[str] = mapped_column(String(80))
    made_at: Mapped[datetime]


class LayoutJob(Base):
    """A learning task (``medextract.learning``): learn the layout of a verified document, or
    count the document against the layout it was read with ("learn", on every verify), or
    retrain a layout from it ("retrain", a supervisor's). ``status``: "waiting", "learning"
    (taken under a lease, like a document), then "done", or "failed" with its ``error``."""

    __tablename__ = "layout_jobs"
    __table_args__ = (
        Index("ix_layout_jobs_status_requested", "status", "requested_at"),
        Index("ix_layout_jobs_document_id", "document_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    layout_id: Mapped[str | None] = mapped_column(String(80))  # retrain: the layout it replaces
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class PageImage(Base):
    """A page as the engine saw it (PNG), so the review page never runs OCR again."""

    __tablename__ = "page_images"
    __table_args__ = (UniqueConstraint("document_id", "page_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page_index: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FieldExtraction(Base):
    """The engine's value for one field with its evidence; never changed by a review."""

    __tablename__ = "field_extractions"
    __table_args__ = (UniqueConstraint("document_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]  # the engine's order, used for types the catalog does not know
    value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int]
    box_x0: Mapped[int | None]
    box_y0: Mapped[int | None]
    box_x1: Mapped[int | None]
    box_y1: Mapped[int | None]


class DraftValue(Base):
    """A clerk's current value for a field, where it differs from or confirms the engine's."""

    __tablename__ = "draft_values"
    __table_args__ = (UniqueConstraint("document_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text)


class FieldEvidence(Base):
    """Where a reviewer showed a field's value: a box drawn on a page in the review viewer and
    read into the field. Kept with the document's values (the verified record's evidence, beside
    the engine's box in ``FieldExtraction``); a new extraction, with new page images, drops it."""

    __tablename__ = "field_evidence"
    __table_args__ = (UniqueConstraint("document_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(80))
    page: Mapped[int]
    box_x0: Mapped[int]
    box_y0: Mapped[int]
    box_x1: Mapped[int]
    box_y1: Mapped[int]
    drawn_by: Mapped[str] = mapped_column(String(80))
    drawn_at: Mapped[datetime]


class Edit(Base):
    """One change of one field by one person: the correction history."""

    __tablename__ = "edits"
    __table_args__ = (Index("ix_edits_document", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(80))
    old: Mapped[str] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime]


class VerifiedValue(Base):
    """The verified value of one field: one row per field keeps export a plain join."""

    __tablename__ = "verified_values"
    __table_args__ = (UniqueConstraint("document_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text)


class AuditEvent(Base):
    """Who did what, when: upload, edit, verify, reject, re-extract, export."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


class AuditEventDocument(Base):
    """A document an event concerns besides its own ``document_id``: each document an export
    included. A document's history finds its exports through this index instead of reading every
    export's detail (an API client that polls records exports many times a day)."""

    __tablename__ = "audit_event_documents"
    __table_args__ = (Index("ix_audit_event_documents_document_id", "document_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)


class ApiToken(Base):
    """A bearer token an administrator made for one account, for the HTTP API.

    The token is ``mxt_<key_id>_<secret>``: ``key_id`` finds the row, and only the SHA-256 of the
    secret is kept (the secret is random, 256 bits: a slow hash adds nothing). The token acts with
    its account's role, looked up afresh on every call, until ``expires_at`` or until revoked.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_by: Mapped[str | None] = mapped_column(String(80))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser of the review app: survives a reload, ends at logout or expiry.

    The browser holds a random 256-bit token in an HttpOnly cookie; only its SHA-256 is kept here.
    The cookie is set by an HTTP response answering a one-time hand-off code (also random, also
    kept only as a hash, valid for seconds) that the signed-in page posts back to the server, so
    the token itself never passes through the page's scripts. ``revoked_at`` ends it at once.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WebhookDelivery(Base):
    """One announcement to the deployment's webhook: a document was verified or rejected.

    Written in the transaction of the verify or reject it announces (an outbox: no announcement of
    a change that rolled back, none lost to a crash), then POSTed by a background dispatcher until
    the receiver answers 2xx, retried with backoff (``next_attempt_at``) and given up on after a
    number of attempts (``failed_at``). ``payload`` names the document, never its content: the
    receiver fetches what it needs with its API token.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "delivered_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40))  # document.verified, document.rejected
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_status: Mapped[int | None]  # the receiver's HTTP status, None when it never answered
    last_error: Mapped[str | None] = mapped_column(String(200))  # "HTTP 503", "ConnectTimeout", ...
