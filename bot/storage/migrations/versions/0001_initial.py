"""The first schema: drafts owned by (channel, user_id), in plain text.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trigger_type", sa.String(64), nullable=True),
        sa.Column("situation", sa.Text, nullable=True),
        sa.Column("feeling", sa.String(255), nullable=True),
        sa.Column("fear", sa.Text, nullable=True),
        sa.Column("need", sa.Text, nullable=True),
        sa.Column("request", sa.Text, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "sent", "archived", name="draftstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.UniqueConstraint("channel", "user_id", "number", name="uq_owner_number"),
    )
    op.create_index("ix_drafts_user_id", "drafts", ["user_id"])


def downgrade() -> None:
    op.drop_table("drafts")
