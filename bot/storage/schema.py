"""The drafts database: people, the channel identities that belong to them, drafts, link codes.

A *person* owns drafts; an *identity* is how a channel knows them (``("telegram",
"tg-42")``, ``("webchat", "<session>")``). Each new identity starts as a person of its own;
linking (a one-time code) moves one identity to the other's person. Draft fields a person
wrote in their own words are ciphertext here (see ``bot.storage.crypto``).

Changes to these tables go through Alembic migrations in ``bot/storage/migrations``.
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

# SQLAlchemy 1.4 has no type hints: the declarative base is made at run time.
Base: Any = declarative_base()


def now() -> datetime:
    return datetime.now(timezone.utc)


class DraftStatus(str, enum.Enum):
    draft = "draft"
    sent = "sent"
    archived = "archived"


class Person(Base):
    __tablename__ = "people"

    id = Column(String(32), primary_key=True)  # random hex: says nothing about anyone
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)


class Identity(Base):
    __tablename__ = "identities"

    channel = Column(String(64), primary_key=True)
    user_id = Column(String(255), primary_key=True)
    person_id = Column(
        String(32), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    # Wrong link codes typed lately: guessing is cut off after a few.
    failed_codes = Column(Integer, nullable=False, default=0)
    failed_at = Column(DateTime(timezone=True), nullable=True)


class LinkCode(Base):
    __tablename__ = "link_codes"

    code_hash = Column(String(64), primary_key=True)  # sha256 of the code; the code is never stored
    person_id = Column(
        String(32), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("person_id", "number", name="uq_person_number"),)

    id = Column(Integer, primary_key=True)
    person_id = Column(
        String(32), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    channel = Column(String(64), nullable=False)  # where it was written
    number = Column(Integer, nullable=False)  # the person's own short number
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=now, onupdate=now)
    trigger_type = Column(String(64), nullable=True)
    feeling = Column(String(255), nullable=True)
    status = Column(
        Enum(DraftStatus, native_enum=False, length=16), nullable=False, default=DraftStatus.draft
    )
    # Encrypted with the person's key (Fernet tokens):
    situation = Column(Text, nullable=True)
    fear = Column(Text, nullable=True)
    need = Column(Text, nullable=True)
    request = Column(Text, nullable=True)
    text = Column(Text, nullable=False)


ENCRYPTED_FIELDS = ("situation", "fear", "need", "request", "text")


class Loved(Base):
    """What helps a person feel loved: one example of their own per kind (``bot.loved``)."""

    __tablename__ = "loved"
    __table_args__ = (UniqueConstraint("person_id", "kind", name="uq_person_kind"),)

    id = Column(Integer, primary_key=True)
    person_id = Column(
        String(32), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = Column(String(32), nullable=False)
    example = Column(Text, nullable=False)  # encrypted with the person's key (a Fernet token)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=now, onupdate=now)


class Routine(Base):
    """A routine the person agrees on with their partner (``bot.routines``): one per kind,
    their own description of it, and where it stands (idea, proposed, agreed, paused)."""

    __tablename__ = "routines"
    __table_args__ = (UniqueConstraint("person_id", "kind", name="uq_routine_person_kind"),)

    id = Column(Integer, primary_key=True)
    person_id = Column(
        String(32), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = Column(String(32), nullable=False)
    example = Column(Text, nullable=False)  # encrypted with the person's key (a Fernet token)
    status = Column(String(16), nullable=False, default="idea")
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=now, onupdate=now)


class Checkin(Base):
    """A check-in that comes back (``bot.checkins``): a reminder about one draft, or the
    weekly question. It holds no words of the person's: a draft is named by its number and
    read (sealed) only when the reminder is delivered. ``channel``/``user_id`` say where it
    goes; ``status`` pending -> sending (claimed by one server, ``claimed_by``) -> sent (a
    weekly one goes back to pending, a week on)."""

    __tablename__ = "checkins"

    id = Column(Integer, primary_key=True)
    person_id = Column(
        String(32), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    channel = Column(String(64), nullable=False)
    user_id = Column(String(255), nullable=False)
    kind = Column(String(16), nullable=False)  # "draft" or "weekly"
    draft_number = Column(Integer, nullable=True)
    due_at = Column(DateTime(timezone=True), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="pending", index=True)
    claimed_by = Column(String(64), nullable=True)
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)


class CheckinSettings(Base):
    """A person's time zone (an IANA name or "UTC+05:30") and quiet hours (their own clock)."""

    __tablename__ = "checkin_settings"

    person_id = Column(String(32), ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    zone = Column(String(64), nullable=False)
    quiet_from = Column(Integer, nullable=False)
    quiet_to = Column(Integer, nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=now, onupdate=now)
