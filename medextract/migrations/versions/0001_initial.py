"""Initial schema: users, documents, page images, extractions, drafts, edits, verified values, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("uploader", sa.String(80), nullable=False),
        sa.Column("uploaded_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("forced_type", sa.String(40), nullable=True),
        sa.Column("doc_type", sa.String(40), nullable=True),
        sa.Column("type_confidence", sa.Float(), nullable=True),
        sa.Column("extracted_as", sa.String(40), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(80), nullable=True),
        sa.Column("claimed_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("review_started_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("verified_by", sa.String(80), nullable=True),
        sa.Column("verified_at", UTC_TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_status_uploaded", "documents", ["status", "uploaded_at"])

    op.create_table(
        "page_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page_index", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_page_images"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_page_images_document_id_documents", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("document_id", "page_index", name="uq_page_images_document_id_page_index"),
    )
    op.create_table(
        "field_extractions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("box_x0", sa.Integer(), nullable=True),
        sa.Column("box_y0", sa.Integer(), nullable=True),
        sa.Column("box_x1", sa.Integer(), nullable=True),
        sa.Column("box_y1", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_field_extractions"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_field_extractions_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("document_id", "field", name="uq_field_extractions_document_id_field"),
    )
    for table in ("draft_values", "verified_values"):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("document_id", sa.Integer(), nullable=False),
            sa.Column("field", sa.String(80), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.ForeignKeyConstraint(
                ["document_id"],
                ["documents.id"],
                name=f"fk_{table}_document_id_documents",
                ondelete="CASCADE",
            ),
            sa.UniqueConstraint("document_id", "field", name=f"uq_{table}_document_id_field"),
        )
    op.create_table(
        "edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("old", sa.Text(), nullable=False),
        sa.Column("new", sa.Text(), nullable=False),
        sa.Column("user", sa.String(80), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_edits"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_edits_document_id_documents", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_edits_document", "edits", ["document_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_audit_events_document_id_documents",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])


def downgrade() -> None:
    for table in (
        "audit_events",
        "edits",
        "verified_values",
        "draft_values",
        "field_extractions",
        "page_images",
        "documents",
        "users",
    ):
        op.drop_table(table)
