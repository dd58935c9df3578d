"""Alembic environment: runs on a connection handed over by bot.storage.migrate.upgrade().

For developers, ``alembic -c alembic.ini revision -m "…"`` (from the repository root) uses
the database from the environment (STEADY_DATABASE_URL / STEADY_DATA_DIR).
"""

from alembic import context

from bot.storage.schema import Base

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True
    )  # SQLite alters tables by copying them
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from bot.config import load_settings
    from bot.storage.engine import make_engine

    with make_engine(load_settings().database_url).begin() as connection:
        _run(connection)
