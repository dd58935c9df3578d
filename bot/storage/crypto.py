"""Encryption at rest: a key per person, wrapped by the server key, kept apart from the drafts.

* Each person gets a random Fernet key (AES-128-CBC + HMAC-SHA256, from ``cryptography``).
  Their draft text, situation, fear, need and request are encrypted with it.
* Person keys are stored *wrapped* (encrypted) by the server key, in their own database
  (``STEADY_KEYS_URL``, default ``keys.db`` beside the drafts). Deleting a person deletes
  their key: every copy of their drafts, backups of the drafts database included, is
  then unreadable ("crypto-shredding"). Keep backups of the keys database short-lived.
* The server key comes from ``STEADY_SECRET_KEY`` (one or more Fernet keys, newest
  first, comma-separated) or from the key file (``STEADY_KEY_FILE``, default
  ``$STEADY_DATA_DIR/secret.key``), which is created with mode 0600 on first start.
* Rotation (``python -m bot.storage.crypto rotate``, ``make rotate-key``): a new server
  key is put first, every person key is re-wrapped with it, then the old key is dropped.
"""

from __future__ import annotations

import argparse
import os
import secrets
import stat
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Sequence

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Column, DateTime, String, Text, bindparam, delete, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

# SQLAlchemy 1.4 has no type hints: the declarative base is made at run time.
KeysBase: Any = declarative_base()
#: The keys database's schema history (Alembic), apart from the drafts' own.
KEYS_MIGRATIONS = Path(__file__).resolve().parent / "keys_migrations"
KEYS_VERSION_TABLE = "alembic_version_keys"
KEYS_FIRST = "k0001"
_KEYS_LOCK_ID = 0x57EAD2  # any constant shared by every Steady process (drafts: 0x57EAD1)


class PersonKey(KeysBase):
    __tablename__ = "person_keys"

    person_id = Column(String(32), primary_key=True)
    wrapped_key = Column(Text, nullable=False)
    created_at = Column(
        DateTime(timezone=True), nullable=False, default=lambda: datetime.now(timezone.utc)
    )


class KeyError_(RuntimeError):
    """The server key is missing, malformed or unsafe; the message says what to do."""


def _parse_keys(text: str, where: str) -> list[bytes]:
    keys = [part.strip().encode() for part in text.replace("\n", ",").split(",") if part.strip()]
    if not keys:
        raise KeyError_(f"{where} holds no key")
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise KeyError_(f"{where} holds something that is not a Fernet key") from None
    return keys


def load_server_keys(secret: Optional[str], key_file: Path, create: bool = True) -> list[bytes]:
    """The server keys, newest first: from the environment, else the key file (made if absent)."""
    if secret:
        return _parse_keys(secret, "STEADY_SECRET_KEY")
    if not key_file.exists():
        if not create:
            raise KeyError_(f"no server key: set STEADY_SECRET_KEY or create {key_file}")
        try:
            write_key_file(key_file, [Fernet.generate_key()], new=True)
        except FileExistsError:
            pass  # another server starting at the same moment made it: use theirs
    mode = stat.S_IMODE(key_file.stat().st_mode)
    if mode & 0o077:
        raise KeyError_(
            f"{key_file} is readable by others (mode {mode:o}); run: chmod 600 {key_file}"
        )
    return _parse_keys(key_file.read_text(), str(key_file))


def write_key_file(key_file: Path, keys: Sequence[bytes], new: bool = False) -> None:
    """Write keys with mode 0600 from the first byte, whole before anyone can read them:
    replacing an old file atomically, or (``new``) linking a finished file into place, which
    fails with FileExistsError if another process made one first (both servers start at
    once: the Rasa server seals conversations with keys the action server must unwrap)."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    target = key_file.with_name(f".{key_file.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(key.decode() for key in keys) + "\n")
    if not new:
        os.replace(target, key_file)
        return
    try:
        os.link(target, key_file)
    finally:
        os.unlink(target)


def _keys_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(KEYS_MIGRATIONS))
    return config


def keys_revision(engine: Engine) -> Optional[str]:
    """The keys database's revision (None: not under Alembic yet, or empty)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": KEYS_VERSION_TABLE})
        return context.get_current_revision()


def migrate_keys(engine: Engine) -> bool:
    """Bring the keys database to the newest revision; True if anything was applied.

    An empty database gets every revision; one made before the keys were under Alembic
    (``person_keys``, no version table) is stamped with the first and upgraded from there,
    its keys untouched. On PostgreSQL an advisory lock makes concurrent starters take turns
    (on SQLite, the engine's ``BEGIN IMMEDIATE`` does)."""
    config = _keys_config()
    if keys_revision(engine) == ScriptDirectory.from_config(config).get_current_head():
        return False
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_KEYS_LOCK_ID})")
        config.attributes["connection"] = connection
        tables = inspect(connection).get_table_names()
        if "person_keys" in tables and KEYS_VERSION_TABLE not in tables:
            command.stamp(config, KEYS_FIRST)
        command.upgrade(config, "head")
    return True


_KEYS = PersonKey.__table__
_GET_KEY = select(_KEYS.c.wrapped_key).where(_KEYS.c.person_id == bindparam("holder"))


class KeyRing:
    """Person (and conversation) keys in the keys database, wrapped by the server keys.

    Getting and making a key are single prepared statements on the engine's connections
    (an ORM session each cost the Rasa server more than the key: it makes one per new
    conversation)."""

    def __init__(self, engine: Engine, server_keys: Sequence[bytes]) -> None:
        self.engine = engine
        self.server = MultiFernet([Fernet(key) for key in server_keys])
        migrate_keys(engine)

    def create(self, person_id: str) -> Fernet:
        """A new key; IntegrityError if ``person_id`` has one already."""
        key = Fernet.generate_key()
        with self.engine.begin() as connection:
            connection.execute(
                _KEYS.insert(),
                {
                    "person_id": person_id,
                    "wrapped_key": self.server.encrypt(key).decode(),
                    "created_at": datetime.now(timezone.utc),
                },
            )
        return Fernet(key)

    def get(self, person_id: str) -> Optional[Fernet]:
        with self.engine.connect() as connection:
            wrapped = connection.execute(_GET_KEY, {"holder": person_id}).scalar_one_or_none()
        if wrapped is None:
            return None
        try:
            return Fernet(self.server.decrypt(wrapped.encode()))
        except InvalidToken:
            raise KeyError_(
                "a person key cannot be unwrapped: wrong STEADY_SECRET_KEY / key file?"
            ) from None

    def get_or_create(self, person_id: str) -> Fernet:
        return self.get(person_id) or self.create(person_id)

    def destroy(self, person_id: str) -> None:
        with Session(self.engine, future=True) as session, session.begin():
            session.execute(delete(PersonKey).where(PersonKey.person_id == person_id))

    def rewrap_all(self) -> int:
        """Re-wrap every person key with the newest server key; returns how many."""
        with Session(self.engine, future=True) as session, session.begin():
            rows = session.execute(select(PersonKey)).scalars().all()
            for row in rows:
                row.wrapped_key = self.server.rotate(row.wrapped_key.encode()).decode()
            return len(rows)


def seal(fernet: Fernet, value: Optional[str]) -> Optional[str]:
    return None if value is None else fernet.encrypt(value.encode()).decode()


def unseal(fernet: Fernet, token: Optional[str]) -> Optional[str]:
    return None if token is None else fernet.decrypt(token.encode()).decode()


def rotate(key_file: Path, keys_engine: Engine) -> int:
    """Rotate the server key kept in the key file; returns the number of person keys re-wrapped."""
    old = load_server_keys(None, key_file, create=False)
    new = Fernet.generate_key()
    write_key_file(key_file, [new, *old])  # both readable while re-wrapping
    count = KeyRing(keys_engine, [new, *old]).rewrap_all()
    write_key_file(key_file, [new])  # the old key is gone
    return count


def main(argv: Optional[Sequence[str]] = None) -> int:
    from bot.config import load_settings
    from bot.storage.engine import keyring_from_settings, make_engine

    parser = argparse.ArgumentParser(prog="python -m bot.storage.crypto")
    parser.add_argument("command", choices=["rotate"])
    parser.parse_args(argv)
    settings = load_settings()
    if settings.secret_key:
        print(
            "STEADY_SECRET_KEY is set: put a new key first in it (comma-separated), run "
            "this command with both keys, then remove the old one.",
            file=sys.stderr,
        )
        ring = keyring_from_settings(settings)
        print(f"Re-wrapped {ring.rewrap_all()} person keys with the first key.")
        return 0
    count = rotate(settings.key_file, make_engine(settings.keys_url))
    print(f"New server key in {settings.key_file}; re-wrapped {count} person keys.")
    return 0


if __name__ == "__main__":
    # Run as bot.storage.crypto, not as a second copy of this module named __main__ (whose
    # classes, KeyError_ among them, would not be the ones the stores raise).
    from bot.storage.crypto import main as _main

    sys.exit(_main())
