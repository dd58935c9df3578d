"""Rasa's SQL tracker store, configured from the environment, every event sealed at rest.

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

What differs from Rasa's rows: each event's ``data`` is sealed with its conversation's key
and ``intent_name`` / ``action_name`` stay empty (``bot.storage.conversations``); rows
written in clear before are sealed when the store starts. Keys and opened rows are kept in
memory for the most recent conversations, so a message seals only its new events and
decrypts nothing it has read before. The tracker a message saved is kept too (for the 128
most recent conversations) and handed to that conversation's next message if the stored
rows are still exactly what it holds, so a message does not rebuild the conversation from
its rows by replaying every event (``_kept_tracker``). Stored events are turned back into
their classes through a name-to-class table built once (``read_events``), where Rasa walks the
whole Event class tree for every event.

Retention: every hour (and at start) events older than ``STEADY_CONVERSATION_RETENTION_DAYS``
go. A conversation with nothing newer is erased with its key. One still in use keeps its
state (slots, an exercise in progress) as of its last turn before that day, written as a
new session start in place of its older turns, so nothing the person is doing is lost.
Several servers may run it at once: each rewrite is checked row by row and abandoned if a
row changed, and a message whose conversation was rewritten or erased between its read and
its save is stored against what is there now (``_changed_underneath``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, List, Optional, Tuple

import sqlalchemy as sa
import ujson
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from sqlalchemy.engine import Engine, make_url

from bot.config import load_settings
from bot.schedule import HOUR, every
from bot.storage import ERASE_SLOT
from bot.storage.conversations import (
    ConversationVault,
    conversations_with_old_words,
    delete_old_sessions,
    idle_conversations,
    seal_plain_rows,
    unreadable,
)
from bot.storage.crypto import KeyRing
from bot.storage.engine import keyring_from_settings, sibling_keyring

logger = logging.getLogger(__name__)

DAY = 24 * 3600
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
READ_SESSION_ROWS = (
    sa.select(_EVENTS.c.id, _EVENTS.c.data).where(_THIS_SESSION).order_by(_EVENTS.c.id)
)
READ_ALL_SESSIONS = (
    sa.select(_EVENTS.c.data).where(_EVENTS.c.sender_id == _SENDER).order_by(_EVENTS.c.id)
)
# A session's rows in two numbers, at a save: how many, and the highest id before it.
MARK_SESSION = sa.select(sa.func.count(), sa.func.max(_EVENTS.c.id)).where(_THIS_SESSION)
# ... and later: how many now, and how many above that id. Unchanged since the save only if
# these are (rows then + rows saved, rows saved): a row added by another server is above
# the id, a row removed (retention, erasure) lowers the count.
_ABOVE = sa.bindparam("above")
SINCE_MARK = sa.select(sa.func.count(), sa.func.count(sa.case((_EVENTS.c.id > _ABOVE, 1)))).where(
    _THIS_SESSION
)
ANY_ROW = sa.select(_EVENTS.c.id).where(_EVENTS.c.sender_id == _SENDER).limit(1)
INSERT_EVENTS = _EVENTS.insert()
DELETE_CONVERSATION = _EVENTS.delete().where(_EVENTS.c.sender_id == _SENDER)
_ROW_ID = sa.bindparam("row_id")
REWRITE_ROW = (
    _EVENTS.update()
    .where(_EVENTS.c.id == _ROW_ID, _EVENTS.c.sender_id == _SENDER)
    .values(
        type_name=sa.bindparam("new_type"),
        timestamp=sa.bindparam("new_time"),
        data=sa.bindparam("new_data"),
        intent_name=None,
        action_name=None,
    )
)
DELETE_ROW = _EVENTS.delete().where(_EVENTS.c.id == _ROW_ID, _EVENTS.c.sender_id == _SENDER)
# Set on a tracker by a read: how many rows its session had, so the save can tell whether
# the stored conversation changed in between.
_READ_ROWS = "_steady_rows_read"
# Trackers kept after their save, for the next message of the same conversation.
KEPT_TRACKERS = 128


def event_row(sender_id: str, event: Any) -> dict:
    """The row Rasa's SQLTrackerStore writes for one event, before ``data`` is sealed, and
    without the intent and action names (nothing reads them)."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": None,
        "action_name": None,
        "data": to_json(data),
    }


_event_classes: dict = {}


def read_events(stored: List[dict]) -> List[Event]:
    """What ``rasa.shared.core.events.deserialise_events`` gives for stored event dicts (the
    same classes, the same events skipped), through a name-to-class table built once in
    Rasa's order (the first class of a name wins) instead of Rasa's walk of the whole Event
    class tree for every event: that walk was about a tenth of the Rasa server's time per
    message under load. A name the table does not have goes Rasa's own way."""
    if not _event_classes:
        for subclass in all_subclasses(Event):
            _event_classes.setdefault(subclass.type_name, subclass)
    events = []
    for data in stored:
        if "event" not in data:
            continue
        cls = _event_classes.get(data["event"])
        event = cls._from_parameters(data) if cls else Event.from_parameters(data)
        if event:
            events.append(event)
    return events


def to_json(data: Any) -> str:
    """``json.dumps`` as Rasa's store writes it, by ujson (several times faster; exact for
    floats), falling back to json for what ujson refuses (NaN, say)."""
    try:
        return ujson.dumps(data, escape_forward_slashes=False)
    except (TypeError, ValueError, OverflowError):
        return json.dumps(data)


def from_json(text: str) -> Any:
    try:
        return ujson.loads(text)
    except (TypeError, ValueError):
        return json.loads(text)


def compact(
    events: List[Event], cutoff: float, domain: Domain
) -> Optional[Tuple[List[Event], int]]:
    """The turns of a session from before ``cutoff``, replaced by the state they left.

    Returns (new events, n): the new events stand for ``events[:n]``, which end with the
    last time Steady listened before ``cutoff``. They are a session start, the slots that
    hold something, the exercise (form) in progress if any, and listening: what Rasa itself
    writes when a session starts, plus the form, so an exercise carries on. None when
    nothing before ``cutoff`` holds words (already compacted, or nothing to do).
    """
    split = None
    for index, event in enumerate(events):
        if event.timestamp >= cutoff:
            break
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            split = index
    if split is None or not any(
        isinstance(event, (UserUttered, BotUttered)) for event in events[: split + 1]
    ):
        return None
    state = DialogueStateTracker.from_events("compacted", events[: split + 1], domain.slots)
    moment = min(event.timestamp for event in events[split:])  # never after what stays
    replaced: List[Event] = [SessionStarted(timestamp=moment)]
    replaced += [
        SlotSet(slot.name, slot.value, timestamp=moment)
        for slot in state.slots.values()
        if slot.value != slot.initial_value
    ]
    if state.active_loop_name:
        replaced.append(ActiveLoop(state.active_loop_name, timestamp=moment))
    replaced.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=moment))
    return replaced, split + 1


class _Changed(Exception):
    """A row being rewritten by retention changed meanwhile: leave it for the next run."""


class SteadyTrackerStore(SQLTrackerStore):
    engine: Engine  # Rasa's, replaced for SQLite by _pool_sqlite_connections

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Rasa turns an AttributeError raised here into a warning and an in-memory store
        # (conversations unsaved, with the server up): it must stop the start instead.
        try:
            self._start(*args, **kwargs)
        except AttributeError as error:
            raise RuntimeError(f"Steady's tracker store could not start: {error!r}") from error

    def _start(
        self,
        domain: Optional[Domain] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[str] = None,
        keyring: Optional[KeyRing] = None,
        retention_days: Optional[int] = None,
        seal: bool = True,
        **kwargs: Any,
    ) -> None:
        """``keyring``: where conversation keys live (default: the keys database and server
        key from the settings, or keys.db and secret.key beside a SQLite ``url`` given here).
        ``seal=False`` (``seal: false`` under ``tracker_store`` in an endpoints file) stores
        events in clear: only ``scripts/bench.py`` uses it, to measure what sealing costs."""
        settings = load_settings()
        parsed = make_url(url or settings.tracker_store_url)
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
        self.retention_days = retention_days or settings.conversation_retention_days
        self.vault: Optional[ConversationVault] = None
        if seal:
            if keyring is None:
                keyring = sibling_keyring(str(parsed)) if url else keyring_from_settings(settings)
            self.vault = ConversationVault(keyring)
            sealed = seal_plain_rows(self.engine, self.vault)
            if sealed:
                logger.info("Sealed %d conversation events stored in clear before.", sealed)
        else:
            logger.warning("Conversations are stored in clear (seal: false): for measuring only.")
        self._kept: "OrderedDict[str, Tuple[Tuple[int, int, int], DialogueStateTracker]]" = (
            OrderedDict()
        )
        self._kept_lock = threading.Lock()  # retention and erasure run in worker threads
        self._retention: Optional[asyncio.Task] = None
        try:  # inside the Rasa server, which builds its tracker store on its event loop
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            self._retention = loop.create_task(
                every(HOUR, self.apply_retention, "Conversation retention")
            )

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
            url,
            future=True,
            poolclass=sa.pool.QueuePool,
            pool_size=2,
            connect_args={"check_same_thread": False, "timeout": 15},
        )

        @sa.event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON"):
                dbapi_connection.execute(f"PRAGMA {pragma}")

        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine, future=True)

    def _rows(self, sender_id: str, events: List[Event]) -> List[dict]:
        rows = [event_row(sender_id, event) for event in events]
        if self.vault is not None and rows:
            for row, token in zip(rows, self.vault.seal(sender_id, [row["data"] for row in rows])):
                row["data"] = token
        return rows

    def _open(self, sender_id: str, stored: List[str]) -> List[dict]:
        texts = self.vault.open(sender_id, stored) if self.vault is not None else stored
        return [from_json(text) for text in texts]

    async def save(self, tracker: DialogueStateTracker) -> None:
        erase = [
            event.value
            for event in tracker.events
            if isinstance(event, SlotSet) and event.key == ERASE_SLOT and event.value
        ]
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
        if self.vault is not None and not self.vault.holds_key(tracker.sender_id):
            # A new conversation's key is made and stored (a write the keys database waits
            # for the disk on) in a worker thread: other conversations go on meanwhile.
            await asyncio.get_running_loop().run_in_executor(
                None, self._load_key, tracker.sender_id
            )
        read = tracker.__dict__.pop(_READ_ROWS, None)
        with self.engine.begin() as connection:
            stored, highest = connection.execute(MARK_SESSION, {"sender": tracker.sender_id}).one()
            if read is not None and stored != read:
                self._changed_underneath(connection, tracker, stored)
                return
            rows = self._rows(
                tracker.sender_id, list(itertools.islice(tracker.events, stored, None))
            )
            if rows:
                connection.execute(INSERT_EVENTS, rows)
        if stored + len(rows) == len(tracker.events):  # the tracker is the stored session
            self._keep_tracker(
                tracker, (stored + len(rows), len(rows), -1 if highest is None else highest)
            )

    def _keep_tracker(self, tracker: DialogueStateTracker, mark: Tuple[int, int, int]) -> None:
        """Keep a saved tracker with its mark: (rows in its session, rows this save added,
        the highest row id before them)."""
        with self._kept_lock:
            self._kept.pop(tracker.sender_id, None)
            self._kept[tracker.sender_id] = (mark, tracker)
            if len(self._kept) > KEPT_TRACKERS:
                self._kept.popitem(last=False)

    def _drop_kept(self, sender_id: str) -> None:
        with self._kept_lock:
            self._kept.pop(sender_id, None)

    def _kept_tracker(self, connection: Any, sender_id: str) -> Optional[DialogueStateTracker]:
        """The tracker this server saved last for the conversation, if the stored session
        is still exactly what it holds (same rows: none added by another server, none
        removed by retention or erasure) and nothing was added to it since. It is handed
        out once (taken from the cache), so no two callers ever share one tracker."""
        with self._kept_lock:
            kept = self._kept.pop(sender_id, None)
        if kept is None:
            return None
        (count, added, above), tracker = kept
        if len(tracker.events) != count or tuple(
            connection.execute(SINCE_MARK, {"sender": sender_id, "above": above}).one()
        ) != (count, added):
            return None
        tracker.__dict__[_READ_ROWS] = count
        return tracker

    def _load_key(self, sender_id: str) -> None:
        """The conversation's key into memory: a new one only if nothing of it is stored."""
        if self.vault is None:  # asked for by save() only when conversations are sealed
            raise RuntimeError("conversations are not sealed: they have no keys to load")
        with self.engine.connect() as connection:
            stored = connection.execute(ANY_ROW, {"sender": sender_id}).first() is not None
        if self.vault.key(sender_id, create=not stored) is None:
            raise unreadable()

    def _changed_underneath(
        self, connection: Any, tracker: DialogueStateTracker, stored: int
    ) -> None:
        """The stored conversation changed between this message's read and its save."""
        sender_id = tracker.sender_id
        if stored == 0:
            # Erased meanwhile ("delete all my data" in a linked chat, or retention): what
            # this message added goes with the rest; the next message starts afresh.
            if self.vault is not None:
                self.vault.forget(sender_id)
            logger.info(
                "A conversation was erased while a message in it was handled; "
                "that message's events were not stored."
            )
            return
        # Retention rewrote its older turns: store this tracker the same way, whole.
        events = list(tracker.events)
        compacted = compact(events, self._cutoff(), self.domain)
        if compacted is not None:
            events = compacted[0] + events[compacted[1] :]
        connection.execute(DELETE_CONVERSATION, {"sender": sender_id})
        connection.execute(INSERT_EVENTS, self._rows(sender_id, events))

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        query = READ_ALL_SESSIONS if fetch_events_from_all_sessions else READ_SESSION
        with self.engine.connect() as connection:
            if not fetch_events_from_all_sessions and self.domain:
                kept = self._kept_tracker(connection, sender_id)
                if kept is not None:
                    return kept
            stored = connection.execute(query, {"sender": sender_id}).scalars().all()
        if not stored and self.vault is not None:
            self.vault.forget(sender_id)  # erased, maybe by another server: no old key
        if not self.domain or not stored:
            return None
        tracker = DialogueStateTracker.from_events(
            sender_id, read_events(self._open(sender_id, stored)), self.domain.slots
        )
        if not fetch_events_from_all_sessions:
            tracker.__dict__[_READ_ROWS] = len(stored)
        return tracker

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation, and its key; returns how many rows
        went. Copies of the rows elsewhere (backups) can no longer be opened."""
        deleted = self._delete_conversations([sender_id])
        self._scrub_log()
        return deleted

    def _delete_conversations(self, sender_ids: List[str]) -> int:
        deleted = 0
        for sender_id in sender_ids:
            self._drop_kept(sender_id)
            with self.engine.begin() as connection:
                deleted += (
                    connection.execute(DELETE_CONVERSATION, {"sender": sender_id}).rowcount or 0
                )
            if self.vault is not None:
                self.vault.destroy(sender_id)
        return deleted

    def _scrub_log(self) -> None:
        if self.engine.dialect.name == "sqlite":
            # secure_delete zeroed the rows in the file; the write-ahead log still holds the
            # pages as they were until it is checkpointed and emptied.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # ------------------------------------------------------------------ retention

    def _cutoff(self, now: Optional[float] = None) -> float:
        return (time.time() if now is None else now) - self.retention_days * DAY

    def apply_retention(self, now: Optional[float] = None) -> int:
        """Prune events older than the retention period; returns how many rows went."""
        cutoff = self._cutoff(now)
        with self.engine.connect() as connection:
            idle = idle_conversations(connection, cutoff)
            in_use = [
                sender
                for sender in conversations_with_old_words(connection, cutoff)
                if sender not in set(idle)
            ]
        removed = self._delete_conversations(idle)
        removed += sum(self._compact_stored(sender, cutoff) for sender in in_use)
        with self.engine.begin() as connection:
            removed += delete_old_sessions(connection, cutoff)
        if removed:
            self._scrub_log()
            logger.info(
                "Conversation retention: %d conversations erased, %d events pruned.",
                len(idle),
                removed,
            )
        return removed

    def _compact_stored(self, sender_id: str, cutoff: float) -> int:
        """Rewrite one conversation's turns from before ``cutoff`` in place (the same row ids,
        so rows a message adds meanwhile stay after them); returns how many rows went."""
        with self.engine.connect() as connection:
            rows = connection.execute(READ_SESSION_ROWS, {"sender": sender_id}).all()
        if not rows or not self.domain:
            return 0
        events = read_events(self._open(sender_id, [data for _, data in rows]))
        compacted = compact(events, cutoff, self.domain)
        if compacted is None or len(compacted[0]) > compacted[1]:
            return 0
        replacement, count = compacted
        ids = [row_id for row_id, _ in rows[:count]]
        new_rows = self._rows(sender_id, replacement)
        try:
            with self.engine.begin() as connection:
                for row_id, row in zip(ids, new_rows):
                    if (
                        connection.execute(
                            REWRITE_ROW,
                            {
                                "sender": sender_id,
                                "row_id": row_id,
                                "new_type": row["type_name"],
                                "new_time": row["timestamp"],
                                "new_data": row["data"],
                            },
                        ).rowcount
                        != 1
                    ):
                        raise _Changed
                for row_id in ids[len(new_rows) :]:
                    if (
                        connection.execute(
                            DELETE_ROW, {"sender": sender_id, "row_id": row_id}
                        ).rowcount
                        != 1
                    ):
                        raise _Changed
        except _Changed:
            return 0
        return len(ids) - len(new_rows)
