"""An index of the documents each export included: a document's history reads its exports from it.

Before, a history read every export event and parsed its JSON detail, so with an API client
exporting records every few minutes each history grew slower with every export. Exports made
before this revision are indexed from their detail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    links = op.create_table(
        "audit_event_documents",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "document_id", name="pk_audit_event_documents"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["audit_events.id"],
            name="fk_audit_event_documents_event_id_audit_events",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_audit_event_documents_document_id_documents",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_audit_event_documents_document_id", "audit_event_documents", ["document_id"])
    _index_exports(links)


def downgrade() -> None:
    op.drop_table("audit_event_documents")


def _index_exports(links: sa.Table) -> None:
    """One row per document of every export so far, read from the events' JSON detail."""
    bind = op.get_bind()
    existing = set(bind.execute(sa.text("SELECT id FROM documents")).scalars())
    exports = bind.execute(sa.text("SELECT id, detail FROM audit_events WHERE action = 'export'"))
    rows = [
        {"event_id": event_id, "document_id": doc_id}
        for event_id, detail in exports
        for doc_id in sorted(_document_ids(detail) & existing)
    ]
    if rows:
        op.bulk_insert(links, rows)


def _document_ids(detail: str) -> set[int]:
    try:
        value: Any = json.loads(detail or "{}")
    except ValueError:
        return set()
    ids = value.get("document_ids", []) if isinstance(value, dict) else []
    return {i for i in ids if isinstance(i, int)}
