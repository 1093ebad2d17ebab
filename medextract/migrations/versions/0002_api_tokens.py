"""API tokens, and when each document last changed (the HTTP API's ``updated_since``).

``documents.updated_at`` is filled for existing rows from their latest audit event (every change
a person or the worker makes is audited), else their upload time. No table is rebuilt: on SQLite a
rebuild of ``documents`` would drop it, and with foreign keys on that deletes every page image,
extraction and edit through ON DELETE CASCADE. So the column is added in place with a constant
default (SQLite's ADD COLUMN NOT NULL needs one) and dropped in place (SQLite >= 3.35).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
EPOCH = "1970-01-01 00:00:00"  # only rows that predate the column had it: the backfill replaces it


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False, server_default=sa.text(f"'{EPOCH}'")),
    )
    op.execute(
        "UPDATE documents SET updated_at = COALESCE("
        "(SELECT MAX(audit_events.at) FROM audit_events WHERE audit_events.document_id = documents.id),"
        " uploaded_at)"
    )
    op.create_index("ix_documents_updated_at", "documents", ["updated_at"])

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("expires_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("revoked_by", sa.String(80), nullable=True),
        sa.Column("revoked_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("last_used_at", UTC_TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_api_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("key_id", name="uq_api_tokens_key_id"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_user_id", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("ix_documents_updated_at", table_name="documents")
    op.drop_column("documents", "updated_at")
