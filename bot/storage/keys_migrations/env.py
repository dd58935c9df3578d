"""Alembic environment of the keys database: runs on a connection handed over by
``bot.storage.crypto.migrate_keys()`` (every ``KeyRing`` calls it when it is made).

The keys database has its own version table (``alembic_version_keys``), so it may share a
database with the drafts, whose history is in ``bot/storage/migrations``. A new revision of
the keys table: add a file to ``versions/`` by hand, with ``down_revision`` the newest one.
"""

from alembic import context

from bot.storage.crypto import KEYS_VERSION_TABLE, KeysBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=KeysBase.metadata,
    version_table=KEYS_VERSION_TABLE,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
