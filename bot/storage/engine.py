"""Where a database URL becomes an engine, and settings become a key ring: one place.

Every store (drafts, keys, Rasa's tracker store), the migration command and the key
rotation command make their engines here, so SQLite gets the same pragmas everywhere and
the settings -> server keys -> key ring wiring is written once. Imports only ``crypto``
(which imports nothing of Steady's storage), so there is no cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

from bot.storage.crypto import KeyRing, load_server_keys


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    kwargs: dict = {"future": True, "pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # The action server answers from several threads.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        if parsed.database and parsed.database != ":memory:":
            # SQLAlchemy 1.4 gives a SQLite file a NullPool: a new connection and its pragmas
            # for every read and write (each new conversation's key, each draft). Kept open.
            kwargs.update(poolclass=QueuePool, pool_size=4, max_overflow=8)
        engine = create_engine(parsed, **kwargs)
        _sqlite_pragmas(engine)
        return engine
    return create_engine(parsed, **kwargs)


def _sqlite_pragmas(engine: Engine) -> None:
    """Serialise writers at BEGIN, keep readers unblocked (WAL), overwrite deleted data.

    pysqlite's deferred transactions let two savers both read the same highest number
    and then fail to upgrade their locks ("database is locked"); BEGIN IMMEDIATE makes
    the second one wait instead. secure_delete zeroes deleted rows in the file.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA secure_delete=ON")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def sibling_keyring(url: str) -> KeyRing:
    """For a SQLite drafts file with no key ring given: keys.db and secret.key beside it."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        raise ValueError("DraftStore needs a KeyRing for a database that is not a SQLite file")
    folder = Path(parsed.database).parent
    return KeyRing(
        make_engine(f"sqlite:///{folder / 'keys.db'}"),
        load_server_keys(None, folder / "secret.key"),
    )


def keyring_from_settings(settings: Any) -> KeyRing:
    """The key ring the settings name: the keys database and the server key(s)."""
    return KeyRing(
        make_engine(settings.keys_url), load_server_keys(settings.secret_key, settings.key_file)
    )
