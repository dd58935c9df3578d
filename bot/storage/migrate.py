"""Bring a drafts database to the newest schema with Alembic, whatever version made it,
and seal conversations stored in clear before (``main``: what ``make run`` runs).

* an empty database gets every migration from the first;
* a database made by Steady before migrations existed (a ``drafts`` table, no
  ``alembic_version``) is recognised as revision 0001 and upgraded from there;
* on PostgreSQL an advisory lock makes concurrent starters take turns;
* on SQLite the file is vacuumed after a migration, so no plain text that an encrypting
  migration replaced is left in free pages.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from bot.storage.crypto import KeyRing

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST = "0001"
_LOCK_ID = 0x57EAD1  # any constant shared by every Steady process


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, keyring: KeyRing, target: str = "head") -> bool:
    """Migrate to ``target``; returns True if anything was applied."""
    before = current(engine)
    if before == head() and target == "head":
        return False
    config = _config()
    config.attributes["keyring"] = keyring
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_ID})")
        config.attributes["connection"] = connection
        tables = inspect(connection).get_table_names()
        if "drafts" in tables and "alembic_version" not in tables:
            command.stamp(config, FIRST)
        command.upgrade(config, target)
    if engine.dialect.name == "sqlite" and before is not None:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = engine.raw_connection()
        try:
            raw.execute("VACUUM")
        finally:
            raw.close()
    return True


def main() -> None:
    """``python -m bot.storage.migrate``: create the server key if needed, migrate the
    drafts, and seal every conversation event stored in clear by an earlier Steady (the
    Rasa server also does this when it starts, for deployments that skip this step).

    ``make run`` calls this before starting the servers, so a key problem or a failed
    migration shows up at once, not at a person's first save.
    """
    from bot.config import load_settings
    from bot.storage.conversations import ConversationVault, seal_plain_rows
    from bot.storage.engine import keyring_from_settings, make_engine

    settings = load_settings()
    keyring = keyring_from_settings(settings)
    engine = make_engine(settings.database_url)
    applied = upgrade(engine, keyring)
    print(f"Drafts database at revision {current(engine)}" + (" (migrated now)" if applied else ""))
    sealed = seal_plain_rows(make_engine(settings.tracker_store_url), ConversationVault(keyring))
    if sealed:
        print(f"Conversations: sealed {sealed} events stored in clear before.")


if __name__ == "__main__":
    main()
