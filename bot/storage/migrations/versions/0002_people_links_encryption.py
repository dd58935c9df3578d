"""People own drafts; identities link channels to people; personal fields are encrypted.

Every existing (channel, user_id) becomes a person with a key of their own, and their
drafts' situation, fear, need, request and text are encrypted with it. Nothing is lost:
numbers, times, statuses and every word carry over.

Revision ID: 0002
Revises: 0001
"""

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ENCRYPTED = ("situation", "fear", "need", "request", "text")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "identities",
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(255), primary_key=True),
        sa.Column(
            "person_id",
            sa.String(32),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failed_codes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_identities_person_id", "identities", ["person_id"])
    op.create_table(
        "link_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column(
            "person_id",
            sa.String(32),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_link_codes_person_id", "link_codes", ["person_id"])
    op.add_column("drafts", sa.Column("person_id", sa.String(32), nullable=True))

    _move_owners_to_people_and_encrypt()

    with op.batch_alter_table("drafts") as batch:
        batch.drop_constraint("uq_owner_number", type_="unique")
        batch.drop_index("ix_drafts_user_id")
        batch.drop_column("user_id")
        batch.alter_column("person_id", existing_type=sa.String(32), nullable=False)
        batch.create_foreign_key(
            "fk_drafts_person", "people", ["person_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_unique_constraint("uq_person_number", ["person_id", "number"])
        batch.create_index("ix_drafts_person_id", ["person_id"])


def _move_owners_to_people_and_encrypt() -> None:
    connection = op.get_bind()
    drafts = sa.table(
        "drafts",
        sa.column("id"),
        sa.column("channel"),
        sa.column("user_id"),
        sa.column("person_id"),
        *(sa.column(name) for name in ENCRYPTED),
    )
    rows = connection.execute(sa.select(drafts)).mappings().all()
    if not rows:
        return
    keyring = context.config.attributes.get("keyring")
    if keyring is None:
        raise RuntimeError(
            "migration 0002 encrypts existing drafts and needs the key ring "
            "(run it through bot.storage.migrate.upgrade)"
        )
    people = sa.table("people", sa.column("id"), sa.column("created_at"))
    identities = sa.table(
        "identities",
        sa.column("channel"),
        sa.column("user_id"),
        sa.column("person_id"),
        sa.column("created_at"),
        sa.column("failed_codes"),
    )
    now = datetime.now(timezone.utc)
    owners: dict = {}
    for row in rows:
        owner = (row["channel"], row["user_id"])
        if owner not in owners:
            person_id = uuid.uuid4().hex
            connection.execute(people.insert().values(id=person_id, created_at=now))
            connection.execute(
                identities.insert().values(
                    channel=owner[0],
                    user_id=owner[1],
                    person_id=person_id,
                    created_at=now,
                    failed_codes=0,
                )
            )
            owners[owner] = (person_id, keyring.create(person_id))
        person_id, fernet = owners[owner]
        sealed = {
            name: (None if row[name] is None else fernet.encrypt(row[name].encode()).decode())
            for name in ENCRYPTED
        }
        connection.execute(
            drafts.update().where(drafts.c.id == row["id"]).values(person_id=person_id, **sealed)
        )


def downgrade() -> None:
    raise NotImplementedError("drafts are encrypted from 0002 on; restore a backup to go back")
