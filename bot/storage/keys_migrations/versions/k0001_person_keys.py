"""The keys table: each person's (and conversation's) key, wrapped by the server key.

A keys database made by Steady before its keys were under Alembic (the table, no
``alembic_version_keys``) is stamped with this revision, not created again.

Revision ID: k0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "k0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_keys",
        sa.Column("person_id", sa.String(32), primary_key=True),
        sa.Column("wrapped_key", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("person_keys")
