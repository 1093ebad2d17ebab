"""Field evidence drawn by reviewers: the box on a page a field's value was read from.

A clerk draws a box on the page in the review viewer; its crop is read into the field and the
box (page and pixels of the stored page image) is kept as that field's evidence, with who drew it
and when. One row per document and field; a new extraction replaces the page images and drops
them. A new table: nothing existing is rebuilt.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "field_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("box_x0", sa.Integer(), nullable=False),
        sa.Column("box_y0", sa.Integer(), nullable=False),
        sa.Column("box_x1", sa.Integer(), nullable=False),
        sa.Column("box_y1", sa.Integer(), nullable=False),
        sa.Column("drawn_by", sa.String(80), nullable=False),
        sa.Column("drawn_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_field_evidence"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_field_evidence_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("document_id", "field", name="uq_field_evidence_document_id_field"),
    )


def downgrade() -> None:
    op.drop_table("field_evidence")
