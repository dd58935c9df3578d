"""Saved drafts, stored with SQLAlchemy 1.4 in 2.0 style (``future=True``).

A person is identified by the channel they talk on plus that channel's sender
id. Every query filters on both, so one person's drafts can never show up for
another. Each person's drafts carry a short number (1, 2, 3 …) of their own,
which is what they type ("open 2"); the global primary key never leaves this
module.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from contextlib import contextmanager
from typing import Iterator, Optional

from sqlalchemy import (
    Column,
    DateTime,
    Enum,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, InterfaceError
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()

# Drafts are read on a phone; anything longer than this was not typed as a draft.
MAX_FIELD_CHARS = 4000


class DraftStatus(str, enum.Enum):
    draft = "draft"
    sent = "sent"
    archived = "archived"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _as_utc(moment: datetime) -> datetime:
    """SQLite forgets the time zone it was given; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("channel", "user_id", "number", name="uq_owner_number"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(64), nullable=False)
    user_id = Column(String(255), nullable=False, index=True)
    number = Column(Integer, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now, onupdate=_now)
    trigger_type = Column(String(64), nullable=True)
    situation = Column(Text, nullable=True)
    feeling = Column(String(255), nullable=True)
    fear = Column(Text, nullable=True)
    need = Column(Text, nullable=True)
    request = Column(Text, nullable=True)
    text = Column(Text, nullable=False)
    status = Column(Enum(DraftStatus, native_enum=False, length=16), nullable=False,
                    default=DraftStatus.draft)


@dataclass(frozen=True)
class DraftRecord:
    """A saved draft as the rest of the code sees it (detached from any session)."""

    number: int
    channel: str
    user_id: str
    created_at: datetime
    updated_at: datetime
    trigger_type: Optional[str]
    situation: Optional[str]
    feeling: Optional[str]
    fear: Optional[str]
    need: Optional[str]
    request: Optional[str]
    text: str
    status: str

    @classmethod
    def from_row(cls, row: Draft) -> "DraftRecord":
        return cls(
            number=row.number, channel=row.channel, user_id=row.user_id,
            created_at=_as_utc(row.created_at), updated_at=_as_utc(row.updated_at),
            trigger_type=row.trigger_type, situation=row.situation, feeling=row.feeling,
            fear=row.fear, need=row.need, request=row.request, text=row.text,
            status=DraftStatus(row.status).value,
        )


class StorageUnavailable(RuntimeError):
    """The database could not be reached; callers answer kindly and keep the draft in memory."""


def _clip(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    return value[:MAX_FIELD_CHARS]


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    kwargs: dict = {"future": True, "pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # The action server answers from several threads.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        engine = create_engine(parsed, **kwargs)
        _serialise_sqlite_writes(engine)
        return engine
    return create_engine(parsed, **kwargs)


def _serialise_sqlite_writes(engine: Engine) -> None:
    """Make SQLite take its write lock at BEGIN.

    pysqlite's deferred transactions let two savers both read the same highest
    number and then fail to upgrade their locks ("database is locked"); BEGIN
    IMMEDIATE makes the second one wait instead. WAL keeps readers unblocked.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class DraftStore:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self._schema_ready = False

    def _ensure_schema(self) -> None:
        if not self._schema_ready:
            Base.metadata.create_all(self.engine)
            self._schema_ready = True

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A session whose connection failures surface as StorageUnavailable."""
        try:
            self._ensure_schema()
            with Session(self.engine, future=True, expire_on_commit=False) as session:
                yield session
        except (OperationalError, InterfaceError) as error:
            raise StorageUnavailable(error.__class__.__name__) from error

    def save_draft(
        self,
        channel: str,
        user_id: str,
        *,
        text: str,
        trigger_type: Optional[str] = None,
        situation: Optional[str] = None,
        feeling: Optional[str] = None,
        fear: Optional[str] = None,
        need: Optional[str] = None,
        request: Optional[str] = None,
        attempts: int = 5,
    ) -> DraftRecord:
        """Store a draft under the person's next number.

        Two saves racing for the same number collide on the unique constraint;
        the loser simply retries with the next number.
        """
        for attempt in range(attempts):
            try:
                with self._session() as session, session.begin():
                    highest = session.execute(
                        select(func.max(Draft.number)).where(
                            Draft.channel == channel, Draft.user_id == user_id
                        )
                    ).scalar_one_or_none()
                    row = Draft(
                        channel=channel, user_id=user_id, number=(highest or 0) + 1,
                        text=_clip(text) or "", trigger_type=trigger_type,
                        situation=_clip(situation), feeling=_clip(feeling), fear=_clip(fear),
                        need=_clip(need), request=_clip(request), status=DraftStatus.draft,
                    )
                    session.add(row)
                    session.flush()
                    return DraftRecord.from_row(row)
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def list_drafts(self, channel: str, user_id: str, limit: int = 50) -> list[DraftRecord]:
        """The person's own drafts, newest first."""
        with self._session() as session:
            rows = session.execute(
                select(Draft)
                .where(Draft.channel == channel, Draft.user_id == user_id)
                .order_by(Draft.created_at.desc(), Draft.number.desc())
                .limit(limit)
            ).scalars().all()
            return [DraftRecord.from_row(row) for row in rows]

    def delete_all(self, channel: str, user_id: str) -> int:
        """Remove every draft of one person; returns how many were deleted."""
        with self._session() as session, session.begin():
            result = session.execute(
                delete(Draft).where(Draft.channel == channel, Draft.user_id == user_id)
            )
            return result.rowcount or 0

    def get_draft(self, channel: str, user_id: str, number: int) -> Optional[DraftRecord]:
        with self._session() as session:
            row = session.execute(
                select(Draft).where(
                    Draft.channel == channel, Draft.user_id == user_id, Draft.number == number
                )
            ).scalar_one_or_none()
            return DraftRecord.from_row(row) if row else None
