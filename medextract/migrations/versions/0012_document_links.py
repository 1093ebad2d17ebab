"""Merge, split and rotate (issue 11): the links between a document and those made of its pages,
and the uploaded bytes kept once a document's file is derived from them.

``document_links`` records which pages of a source went into which new document (a merge: many
sources to one; a split: one source to many). ``documents.original_content`` keeps the upload when
a rotated page replaces ``content`` with a derived file. Added in place (see 0002: rebuilding
``documents`` on SQLite would cascade-delete its children).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("documents", sa.Column("original_content", sa.LargeBinary(), nullable=True))
    op.create_table(
        "document_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("first_page", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.String(80), nullable=False),
        sa.Column("made_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_links"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["documents.id"], name="fk_document_links_source_id_documents", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["result_id"], ["documents.id"], name="fk_document_links_result_id_documents", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("source_id", "result_id", name="uq_document_links_source_id_result_id"),
    )
    op.create_index("ix_document_links_result_id", "document_links", ["result_id"])


def downgrade() -> None:
    op.drop_index("ix_document_links_result_id", table_name="document_links")
    op.drop_table("document_links")
    op.drop_column("documents", "original_content")
