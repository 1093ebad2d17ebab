"""Learned layouts: which one a document was read with, and the learning queue (issue 10).

``documents.layout_id`` and ``layout_match`` say which learned layout the stored extraction was
read with and how sure its match was (both NULL: the generic reading). ``layout_jobs`` is the
learning queue: a verified document to learn a layout from (or whose layout's counters to bump),
or a supervisor's "retrain this layout from that document". A job is taken under a lease as
documents are and kept "done" (a document verified again is not counted twice), or "failed"
with its error. The templates themselves are files (``medextract.layouts``), never rows.

On PostgreSQL a trigger defers one procrastinate ``learn_layout`` job per inserted row, in the
transaction that inserted it (the verify), after the extractions waiting (a lower priority).
Columns are added in place (see 0002: rebuilding ``documents`` on SQLite would cascade-delete
its children).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
SCHEMA = "procrastinate"  # migration 0005
QUEUE = "extraction"  # the workers' one queue: every worker learns too
TASK = "learn_layout"
PRIORITY = -10  # a clerk waits for an extraction, nobody waits for learning

ENQUEUE_FUNCTION = f"""
CREATE FUNCTION {SCHEMA}.medextract_enqueue_learning() RETURNS trigger
LANGUAGE plpgsql SET search_path = {SCHEMA}, pg_catalog AS $$
BEGIN
    PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
        '{QUEUE}', '{TASK}', {PRIORITY}, NULL, 'layout-job-' || NEW.id,
        jsonb_build_object('job_id', NEW.id), NULL
    )::procrastinate_job_to_defer_v1]);
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.add_column("documents", sa.Column("layout_id", sa.String(80), nullable=True))
    op.add_column("documents", sa.Column("layout_match", sa.Float(), nullable=True))
    op.create_table(
        "layout_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("layout_id", sa.String(80), nullable=True),
        sa.Column("requested_by", sa.String(80), nullable=False),
        sa.Column("requested_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_expires_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_layout_jobs"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_layout_jobs_document_id_documents",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_layout_jobs_status_requested", "layout_jobs", ["status", "requested_at"])
    op.create_index("ix_layout_jobs_document_id", "layout_jobs", ["document_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ENQUEUE_FUNCTION)
        op.execute(
            "CREATE TRIGGER layout_jobs_enqueue_learning AFTER INSERT ON layout_jobs"
            f" FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.medextract_enqueue_learning()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS layout_jobs_enqueue_learning ON layout_jobs")
        op.execute(f"DROP FUNCTION IF EXISTS {SCHEMA}.medextract_enqueue_learning()")
    op.drop_index("ix_layout_jobs_document_id", table_name="layout_jobs")
    op.drop_index("ix_layout_jobs_status_requested", table_name="layout_jobs")
    op.drop_table("layout_jobs")
    for column in ("layout_match", "layout_id"):
        op.drop_column("documents", column)
