"""The sign-in lockout's counter: failed password attempts per typed username, counted atomically.

Before, the lockout counted "login_failed" rows of the audit log and then checked the password,
so simultaneous guesses all read the same old count. Now each attempt is one upsert that returns
its own number (``services.accounts.count_attempt``). Failures audited before this migration do
not count towards a lock: at worst one more window of five guesses per username.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("username", name="pk_login_attempts"),
    )


def downgrade() -> None:
    op.drop_table("login_attempts")
