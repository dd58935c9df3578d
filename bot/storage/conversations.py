"""Conversations sealed at rest, like the drafts: a key per conversation, wrapped by the server key.

Rasa's tracker store keeps one row per event. Rasa finds a conversation's latest session by
three columns, which stay in clear: the sender id, the event's type and its time. Everything
else an event holds (what the person typed, every slot value, what Steady answered, a draft
shown again) is the ``data`` column, sealed here with Fernet. The ``intent_name`` and
``action_name`` columns Rasa also fills are left empty: nothing reads them, and an intent
named ``crisis`` says too much on its own.

* Each conversation (a sender id: a Telegram user, a browser, a REST sender) gets a random key
  at its first save. It is wrapped by the server key and kept in the keys database beside the
  person keys (row ``t`` + the first 31 hex digits of the sender id's SHA-256; a person id is
  32 hex digits, so the two never meet). Rotating the server key re-wraps these too.
* Erasing a conversation ("delete all my data", every linked chat) and retention delete its
  key with its rows, so copies of the rows in backups can no longer be opened.
* The Rasa server reads a conversation's whole latest session for every message. Unwrapped
  keys and the rows already opened are kept in memory, for the most recently used
  conversations only (``bot.lru``): a row is decrypted once per server, and a save seals
  each new event once. Erasing a conversation forgets both.

This module holds no Rasa import: the tracker store (``tracker_store``) uses it, and so do
the migration that seals conversations written before (``seal_plain_rows``) and retention.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from typing import Iterable, List, Optional

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.lru import remembered
from bot.storage.crypto import KeyRing

logger = logging.getLogger(__name__)

KEY_CACHE_SIZE = 256  # unwrapped conversation keys kept in memory
OPENED_CACHE_SIZE = 128  # conversations whose opened rows are kept in memory
SEAL_BATCH = 500  # rows sealed per statement batch by the migration

# Rasa's table, as far as this module reads and writes it.
EVENTS = sa.table(
    "events",
    sa.column("id"),
    sa.column("sender_id"),
    sa.column("type_name"),
    sa.column("timestamp"),
    sa.column("intent_name"),
    sa.column("action_name"),
    sa.column("data"),
)
# Events that carry words: what the person typed and what Steady answered.
WORDS = ("user", "bot")


class ConversationUnreadable(RuntimeError):
    """Sealed rows whose key is missing or does not open them (the keys database lost or
    pointed elsewhere, another server key). Never answered by making a new key."""


def key_holder(sender_id: str) -> str:
    """The keys-database row of a conversation's key (never a person id: 't' is not hex)."""
    return "t" + hashlib.sha256(sender_id.encode()).hexdigest()[:31]


def is_sealed(data: Optional[str]) -> bool:
    """A row written before sealing holds Rasa's JSON, which starts with '{'."""
    return bool(data and not data.startswith("{"))


class ConversationVault:
    """Seals and opens the events of conversations; knows their keys."""

    def __init__(
        self,
        keyring: KeyRing,
        key_cache_size: int = KEY_CACHE_SIZE,
        opened_cache_size: int = OPENED_CACHE_SIZE,
    ) -> None:
        self.keyring = keyring
        self.key_cache_size = key_cache_size
        self.opened_cache_size = opened_cache_size
        self._keys: "OrderedDict[str, Fernet]" = OrderedDict()
        self._opened: "OrderedDict[str, dict]" = OrderedDict()  # sender -> {token: text}
        self._lock = threading.Lock()  # the retention job runs in a worker thread

    # ------------------------------------------------------------------ keys

    def key(self, sender_id: str, create: bool) -> Optional[Fernet]:
        """The conversation's key; a new one only when ``create`` (nothing sealed yet)."""
        with self._lock:
            key = self._keys.get(sender_id)
            if key is not None:
                self._keys.move_to_end(sender_id)
                return key
        key = self._load(sender_id, create)
        if key is not None:
            self._keep(self._keys, sender_id, key, self.key_cache_size)
        return key

    def _keep(self, cache: OrderedDict, sender_id: str, value, size: int) -> None:
        with self._lock:
            cache.pop(sender_id, None)
            remembered(cache, sender_id, size, lambda: value)

    def _load(self, sender_id: str, create: bool) -> Optional[Fernet]:
        holder = key_holder(sender_id)
        if not create:
            return self.keyring.get(holder)
        try:  # nothing is sealed yet: almost always there is no key to find
            return self.keyring.create(holder)
        except IntegrityError:  # another server made it a moment ago, or it outlived a crash
            return self.keyring.get(holder)

    def holds_key(self, sender_id: str) -> bool:
        """Whether the conversation's key is in memory (sealing needs no database)."""
        with self._lock:
            return sender_id in self._keys

    def forget(self, sender_id: str) -> None:
        """Drop what is kept in memory for a conversation (its key, its opened rows)."""
        with self._lock:
            self._keys.pop(sender_id, None)
            self._opened.pop(sender_id, None)

    def destroy(self, sender_id: str) -> None:
        """Forget the conversation and delete its key: its sealed rows, wherever copies
        of them are, can no longer be opened."""
        self.forget(sender_id)
        self.keyring.destroy(key_holder(sender_id))

    # ------------------------------------------------------------------ rows

    def seal(self, sender_id: str, texts: List[str]) -> List[str]:
        """Seal a conversation's new rows (JSON text); they are remembered as opened. Its key
        must exist already (``key(…, create=True)`` for a conversation with nothing sealed)."""
        key = self.key(sender_id, create=False)
        if key is None:
            raise unreadable()
        tokens = [key.encrypt(text.encode()).decode() for text in texts]
        with self._lock:
            opened = self._opened.get(sender_id)
        if opened is None:
            self._keep(self._opened, sender_id, dict(zip(tokens, texts)), self.opened_cache_size)
        else:
            opened.update(zip(tokens, texts))
        return tokens

    def open(self, sender_id: str, rows: Iterable[str]) -> List[str]:
        """The JSON text of a conversation's rows, in order (rows written before sealing
        pass through as they are). Rows opened before are not decrypted again."""
        rows = list(rows)
        with self._lock:
            before = self._opened.get(sender_id) or {}
        opened: dict = {}
        texts = []
        key: Optional[Fernet] = None
        for row in rows:
            text = before.get(row)
            if text is None:
                if not is_sealed(row):
                    texts.append(row)
                    continue
                if key is None:
                    key = self._key_that_opens(sender_id, row)
                text = key.decrypt(row.encode()).decode()
            opened[row] = text
            texts.append(text)
        self._keep(self._opened, sender_id, opened, self.opened_cache_size)  # this read's rows
        return texts

    def _key_that_opens(self, sender_id: str, token: str) -> Fernet:
        """The key kept in memory, or the stored one when that does not open the row (the
        conversation was erased and begun again through another server)."""
        for attempt in range(2):
            key = self.key(sender_id, create=False)
            if key is None:
                break
            try:
                key.decrypt(token.encode())
                return key
            except InvalidToken:
                self.forget(sender_id)
        raise unreadable()


def unreadable() -> ConversationUnreadable:
    """The error for a stored conversation without its key, logged for whoever hosts Steady
    (without the conversation): no new key is made, which would hide the mistake."""
    logger.error(
        "A stored conversation cannot be opened: its key is missing or wrong. Is "
        "STEADY_KEYS_URL the keys database that goes with STEADY_TRACKER_STORE_URL, "
        "and STEADY_SECRET_KEY / the key file the one that wrapped its keys?"
    )
    return ConversationUnreadable("conversation key missing or wrong")


# ---------------------------------------------------------------------- migration


def seal_plain_rows(engine: Engine, vault: ConversationVault) -> int:
    """Seal every row written in clear (before sealing existed), losing nothing; returns
    how many. Each conversation gets its key. Safe to run again, and from two servers at
    once (PostgreSQL: they take turns; SQLite: one writer at a time)."""
    if not sa.inspect(engine).has_table("events"):
        return 0
    sealed = 0
    while True:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(5760337)")
            rows = connection.execute(
                sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
                .where(EVENTS.c.data.like("{%"))
                .order_by(EVENTS.c.id)
                .limit(SEAL_BATCH)
            ).all()
            for row_id, sender_id, data in rows:
                vault.key(sender_id, create=True)
                [token] = vault.seal(sender_id, [data])
                connection.execute(
                    EVENTS.update()
                    .where(EVENTS.c.id == row_id)
                    .values(data=token, intent_name=None, action_name=None)
                )
            sealed += len(rows)
        if len(rows) < SEAL_BATCH:
            break
    with engine.begin() as connection:  # names Rasa wrote beside sealed rows, if any
        connection.execute(
            EVENTS.update()
            .where(sa.or_(EVENTS.c.intent_name.isnot(None), EVENTS.c.action_name.isnot(None)))
            .values(intent_name=None, action_name=None)
        )
    if sealed:
        scrub(engine)
    return sealed


def scrub(engine: Engine) -> None:
    """Leave no old copy of a rewritten or deleted row in the database's files: SQLite's
    write-ahead log is emptied and the file rebuilt; PostgreSQL's table is rewritten
    (its dead row versions otherwise stay in the table's pages until reused)."""
    if engine.dialect.name == "sqlite":
        engine.dispose()  # no pooled connection left reading an old page
        raw = engine.raw_connection()
        try:
            for statement in (
                "PRAGMA wal_checkpoint(TRUNCATE)",
                "VACUUM",
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ):
                raw.execute(statement).close()
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM FULL events"
            )


# ---------------------------------------------------------------------- retention

_STARTS = EVENTS.alias("starts")
_LATEST_START = (
    sa.select(sa.func.max(_STARTS.c.timestamp))
    .where(_STARTS.c.sender_id == EVENTS.c.sender_id, _STARTS.c.type_name == "session_started")
    .scalar_subquery()
)


def idle_conversations(connection: Connection, cutoff: float) -> List[str]:
    """Conversations with no event since ``cutoff``."""
    return list(
        connection.execute(
            sa.select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
        ).scalars()
    )


def conversations_with_old_words(connection: Connection, cutoff: float) -> List[str]:
    """Conversations still in use that hold messages from before ``cutoff``."""
    return list(
        connection.execute(
            sa.select(EVENTS.c.sender_id)
            .distinct()
            .where(EVENTS.c.timestamp < cutoff, EVENTS.c.type_name.in_(WORDS))
        ).scalars()
    )


def delete_old_sessions(connection: Connection, cutoff: float) -> int:
    """Delete events from before ``cutoff`` that precede their conversation's latest
    session: Rasa never reads them again (a new session carries its slots over)."""
    return (
        connection.execute(
            EVENTS.delete().where(EVENTS.c.timestamp < cutoff, EVENTS.c.timestamp < _LATEST_START)
        ).rowcount
        or 0
    )
