"""Rasa's SQL tracker store, configured from the environment instead of YAML.

``endpoints.yml`` names this class, so the same file works on a laptop (a
SQLite file under ``STEADY_DATA_DIR``) and on a server
(``STEADY_TRACKER_STORE_URL=postgresql://…``) without editing YAML.

Reading and writing are Rasa's, statement for statement (the same table, the same rows, the
same "events since the latest session start"), but as prepared Core statements built once:
Rasa builds an ORM query (and its cache key) for every read and adds every event through the
unit of work, which under load was about a quarter of the Rasa server's time per message.
They run on the engine's connections directly: an ORM session per read and per save (built
through a deprecation-checking wrapper) was another 4% of that time, for statements that
need none of it. A PostgreSQL schema (``POSTGRESQL_SCHEMA``) is checked once, at start.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.plugins import speedups
from bot.storage import ERASE_SLOT

# This module is imported by the Rasa server (endpoints.yml names the class below).
speedups.install()

_EVENTS = SQLTrackerStore.SQLEvent.__table__
_SENDER = sa.bindparam("sender")
# The start of the latest session, as Rasa's own `_event_query` finds it.
_SESSION_START = (
    sa.select(sa.func.max(_EVENTS.c.timestamp))
    .where(_EVENTS.c.sender_id == _SENDER, _EVENTS.c.type_name == SessionStarted.type_name)
    .scalar_subquery()
)
_THIS_SESSION = sa.and_(
    _EVENTS.c.sender_id == _SENDER,
    sa.or_(_EVENTS.c.timestamp >= _SESSION_START, _SESSION_START.is_(None)),
)
READ_SESSION = sa.select(_EVENTS.c.data).where(_THIS_SESSION).order_by(_EVENTS.c.id)
COUNT_SESSION = sa.select(sa.func.count()).select_from(_EVENTS).where(_THIS_SESSION)
INSERT_EVENTS = _EVENTS.insert()


def event_row(sender_id: str, event: Any) -> dict:
    """The row Rasa's SQLTrackerStore writes for one event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class SteadyTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        parsed = make_url(url or load_settings().tracker_store_url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=parsed.drivername,
            host=parsed.host,
            port=parsed.port,
            db=parsed.database or "",
            username=parsed.username,
            password=parsed.password,
            event_broker=event_broker,
            query=dict(parsed.query) or None,
        )
        if parsed.get_backend_name() == "sqlite":
            self._pool_sqlite_connections()
        with self.session_scope():
            pass  # Rasa's check that a POSTGRESQL_SCHEMA exists (it exits if not)

    def _pool_sqlite_connections(self) -> None:
        """Keep SQLite connections open, in WAL mode.

        SQLAlchemy 1.4 gives a SQLite file a NullPool, so Rasa opened the file anew for every
        read and every save. WAL with synchronous=NORMAL commits without waiting for the disk
        on each save (a power cut can lose the last turns, never corrupt the file);
        secure_delete overwrites erased conversations in the file.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, future=True, poolclass=sa.pool.QueuePool, pool_size=2,
            connect_args={"check_same_thread": False, "timeout": 15})

        @sa.event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON"):
                dbapi_connection.execute(f"PRAGMA {pragma}")

        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine, future=True)

    async def save(self, tracker: DialogueStateTracker) -> None:
        erase = [event.value for event in tracker.events
                 if isinstance(event, SlotSet) and event.key == ERASE_SLOT and event.value]
        if erase:
            # True: this conversation; a list: these conversations (a person's linked chats).
            senders = {tracker.sender_id}
            for value in erase:
                if isinstance(value, list):
                    senders.update(str(sender) for sender in value)
            for sender in sorted(senders):
                self.erase(sender)
            return
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            stored = connection.execute(COUNT_SESSION, {"sender": tracker.sender_id}).scalar()
            rows = [event_row(tracker.sender_id, event)
                    for event in itertools.islice(tracker.events, stored, None)]
            if rows:
                connection.execute(INSERT_EVENTS, rows)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.engine.connect() as connection:
            stored = connection.execute(READ_SESSION, {"sender": sender_id}).scalars().all()
        if not self.domain or not stored:
            return None
        return DialogueStateTracker.from_dict(
            sender_id, [json.loads(data) for data in stored], self.domain.slots)

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many rows went."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(
                self.SQLEvent.sender_id == sender_id).delete(synchronize_session=False)
            session.commit()
        if self.engine.dialect.name == "sqlite":
            # secure_delete zeroed the rows in the file; the write-ahead log still holds the
            # pages as they were until it is checkpointed and emptied.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted
