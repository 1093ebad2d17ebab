"""The extraction queue: priorities, leases, attempts; on PostgreSQL, procrastinate's tables.

``documents.priority`` orders the queue (higher first: a clerk's upload before an API batch).
``lease_owner`` and ``lease_expires_at`` are the claim of the worker extracting a document: its
heartbeat renews the lease, and a document whose lease expired (its worker died) is taken again,
never while the lease is alive. ``attempts`` counts the claims, so a document that kills every
worker that reads it ends "failed" instead of going round forever. Columns are added in place
(see 0002: rebuilding ``documents`` on SQLite would cascade-delete its children).

On PostgreSQL the queue is procrastinate: its schema (tables, functions, triggers, as the pinned
release ships them) lives in its own schema ``procrastinate``, so it never mixes with the app's
tables, and a trigger defers an ``extract_document`` job whenever a document becomes "queued", in
the very transaction that queued it (an upload, a re-extract), with the document's priority.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
SCHEMA = "procrastinate"  # where procrastinate's objects live on PostgreSQL
QUEUE = "extraction"
TASK = "extract_document"

ENQUEUE_FUNCTION = f"""
CREATE FUNCTION {SCHEMA}.medextract_enqueue_extraction() RETURNS trigger
LANGUAGE plpgsql SET search_path = {SCHEMA}, pg_catalog AS $$
DECLARE
    lock_name text := 'document-' || NEW.id;
BEGIN
    -- One waiting job per document: a second "queued" (a re-extract of a queued document) adds none.
    IF NOT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE queueing_lock = lock_name AND status = 'todo') THEN
        BEGIN
            PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
                '{QUEUE}', '{TASK}', NEW.priority, NULL, lock_name,
                jsonb_build_object('document_id', NEW.id), NULL
            )::procrastinate_job_to_defer_v1]);
        EXCEPTION WHEN unique_violation THEN
            NULL;  -- a concurrent transaction deferred it first
        END;
    END IF;
    RETURN NEW;
END
$$
"""


# procrastinate's functions and triggers name its tables unqualified: pin their search path, so they
# work whoever calls them (our trigger, an operator's psql) and whatever that session's path is.
PIN_SEARCH_PATH = f"""
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = '{SCHEMA}' LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = {SCHEMA}, pg_catalog', f);
    END LOOP;
END
$$
"""


def upgrade() -> None:
    op.add_column("documents", sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("documents", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("documents", sa.Column("lease_owner", sa.String(64), nullable=True))
    op.add_column("documents", sa.Column("lease_expires_at", UTC_TIMESTAMP, nullable=True))
    op.create_index("ix_documents_status_priority", "documents", ["status", "priority"])
    if op.get_bind().dialect.name == "postgresql":
        _create_procrastinate()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS documents_enqueue_extraction ON documents")
        op.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    op.drop_index("ix_documents_status_priority", table_name="documents")
    for column in ("lease_expires_at", "lease_owner", "attempts", "priority"):
        op.drop_column("documents", column)


def _create_procrastinate() -> None:
    from procrastinate.schema import SchemaManager

    cursor = op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        cursor.execute("SELECT current_setting('search_path')")
        search_path = cursor.fetchone()[0]
        cursor.execute(f"SET LOCAL search_path TO {SCHEMA}")
        cursor.execute(SchemaManager.get_schema())  # no parameters: run as the release ships it
        cursor.execute(PIN_SEARCH_PATH)
        cursor.execute("SELECT set_config('search_path', %s, true)", (search_path,))
        cursor.execute(ENQUEUE_FUNCTION)
        cursor.execute(
            "CREATE TRIGGER documents_enqueue_extraction AFTER INSERT OR UPDATE OF status ON documents"
            " FOR EACH ROW WHEN (NEW.status = 'queued')"
            f" EXECUTE FUNCTION {SCHEMA}.medextract_enqueue_extraction()"
        )
        # Documents queued before this migration get their jobs too.
        cursor.execute("UPDATE documents SET status = status WHERE status = 'queued'")
    finally:
        cursor.close()
