"""Single sign-on identities bound by issuer and subject.

An SSO sign-in used to pick the account whose username equalled the token's e-mail address
(verified or not) or its ``preferred_username`` (a name many providers let people choose), so an
identity calling itself "admin" was signed in as the local admin. Now an account is bound to one
(issuer, subject) pair, the only identifiers the provider guarantees. Existing SSO accounts are
bound at their next sign-in, when the provider vouches for their e-mail address.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sso_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sso_identities"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_sso_identities_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),
        sa.UniqueConstraint("user_id", name="uq_sso_identities_user_id"),
    )


def downgrade() -> None:
    op.drop_table("sso_identities")
