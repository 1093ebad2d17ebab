"""When a document's verify taught the learned layouts, on the document itself (issue 10).

``documents.layout_learned_at`` is set when the learning task its verify queued finished: the
document was learned from, or counted against a layout. A verify after a reopen queues no second
task for it, so it is never counted twice, even once the finished task rows are pruned (after
``MEDEXTRACT_LAYOUT_JOBS_KEEP_DAYS``). Filled in from the finished tasks that exist. Added in
place (see 0002: rebuilding ``documents`` on SQLite would cascade-delete its children).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("documents", sa.Column("layout_learned_at", UTC_TIMESTAMP, nullable=True))
    op.execute(
        "UPDATE documents SET layout_learned_at = (SELECT max(j.requested_at) FROM layout_jobs j"
        " WHERE j.document_id = documents.id AND j.kind = 'learn' AND j.status = 'done')"
        " WHERE EXISTS (SELECT 1 FROM layout_jobs j WHERE j.document_id = documents.id"
        " AND j.kind = 'learn' AND j.status = 'done')"
    )


def downgrade() -> None:
    op.drop_column("documents", "layout_learned_at")
