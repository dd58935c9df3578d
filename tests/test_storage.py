"""The draft store against a real SQLite file (and PostgreSQL when it is reachable)."""
from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from bot.storage import DraftStore, StorageUnavailable
from bot.storage.engine import make_engine


def test_numbers_are_per_person_and_lists_are_newest_first(store: DraftStore):
    store.save_draft("rest", "alice", text="When you were late, I felt scared.")
    store.save_draft("rest", "bob", text="When you forgot my birthday, I felt hurt.")
    store.save_draft("rest", "alice", text="When you cancelled dinner, I felt sad.")

    alice = store.list_drafts("rest", "alice")
    assert [d.number for d in alice] == [2, 1]
    assert alice[0].text == "When you cancelled dinner, I felt sad."
    assert [d.number for d in store.list_drafts("rest", "bob")] == [1]


def test_the_same_sender_id_on_another_channel_is_another_person(store: DraftStore):
    store.save_draft("rest", "42", text="mine")
    assert store.list_drafts("telegram", "42") == []
    assert store.get_draft("telegram", "42", 1) is None
    assert store.get_draft("rest", "42", 1).text == "mine"


def test_every_field_round_trips(store: DraftStore):
    saved = store.save_draft(
        "socketio", "carol", text="When you …", trigger_type="slow_replies",
        situation="he didn't text back", feeling="scared", fear="he's losing interest",
        need="reassurance", request="text me at lunch",
    )
    loaded = store.get_draft("socketio", "carol", saved.number)
    assert loaded == saved
    assert loaded.status == "draft"
    assert loaded.created_at is not None and loaded.updated_at is not None


def test_huge_fields_are_clipped_not_rejected(store: DraftStore):
    saved = store.save_draft("rest", "dan", text="x" * 50_000, situation="y" * 50_000)
    assert 0 < len(saved.text) <= 4000 and len(saved.situation) <= 4000


def test_concurrent_saves_get_distinct_numbers(store: DraftStore):
    errors: list[Exception] = []

    def save(i: int) -> None:
        try:
            store.save_draft("rest", "erin", text=f"draft {i}")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(d.number for d in store.list_drafts("rest", "erin")) == list(range(1, 9))


def test_a_database_that_is_down_raises_a_clear_error(keyring):
    down = DraftStore("postgresql://nobody@127.0.0.1:9/steady", keyring)
    with pytest.raises(StorageUnavailable):
        down.save_draft("rest", "frank", text="When you …")
    with pytest.raises(StorageUnavailable):
        down.list_drafts("rest", "frank")


POSTGRES_URL = os.environ.get("STEADY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_schema():
    """The URL of a PostgreSQL schema of its own, so runs never see each other's tables;
    dropped afterwards."""
    schema = f"steady_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"create schema {schema}"))
    except Exception as error:  # the machines provide PostgreSQL; say so loudly if not
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"drop schema {schema} cascade"))
        admin.dispose()


@pytest.fixture
def postgres_store(keyring):
    """A store in a schema of its own."""
    with postgres_schema() as url:
        store = DraftStore(url, keyring)
        yield store
        store.engine.dispose()


def test_postgres_keeps_people_apart_too(postgres_store: DraftStore):
    alice, bob = f"alice-{uuid.uuid4()}", f"bob-{uuid.uuid4()}"
    postgres_store.save_draft("rest", alice, text="a1")
    postgres_store.save_draft("rest", bob, text="b1")
    postgres_store.save_draft("rest", alice, text="a2")
    assert [d.text for d in postgres_store.list_drafts("rest", alice)] == ["a2", "a1"]
    assert [d.number for d in postgres_store.list_drafts("rest", bob)] == [1]


def test_delete_all_removes_only_that_persons_drafts(store: DraftStore):
    store.save_draft("rest", "gina", text="one")
    store.save_draft("rest", "gina", text="two")
    store.save_draft("rest", "hal", text="his")
    assert store.delete_all("rest", "gina") == 2
    assert store.list_drafts("rest", "gina") == []
    assert [d.text for d in store.list_drafts("rest", "hal")] == ["his"]
    # Numbers start again from 1 for a person with nothing left.
    assert store.save_draft("rest", "gina", text="new").number == 1


def test_the_storage_layers_import_only_what_is_below_them():
    """crypto < engine < drafts / conversations < tracker_store: the Rasa server's tracker
    store loads no drafts store, and crypto loads no store at all."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, bot.storage.tracker_store, bot.storage.crypto; "
            "print(sorted(m for m in sys.modules if m.startswith('bot.storage')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, check=True).stdout
    assert "bot.storage.drafts" not in out and "bot.storage.tracker_store" in out
    code = ("import sys, bot.storage.crypto; "
            "print(sorted(m for m in sys.modules if m.startswith('bot.storage')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, check=True).stdout
    assert out.strip() == "['bot.storage', 'bot.storage.crypto']"


def test_rotating_the_server_key_from_the_command_line(tmp_path):
    """`python -m bot.storage.cli rotate-key` (`make rotate-key`) re-wraps every person key
    with a new server key (one copy of the module: its key errors are the ones the stores
    raise); `migrate` then finds the database already at the newest revision."""
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "STEADY_DATA_DIR": str(tmp_path)}
    env.pop("STEADY_SECRET_KEY", None)
    store = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}")
    store.save_draft("web", "rotate-me", text="When you left, I felt scared.")
    before = (tmp_path / "secret.key").read_bytes()
    result = subprocess.run([sys.executable, "-m", "bot.storage.cli", "rotate-key"], env=env,
                            capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    assert "re-wrapped 1 person keys" in result.stdout
    assert (tmp_path / "secret.key").read_bytes() != before
    again = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}")
    assert [d.text for d in again.list_drafts("web", "rotate-me")] == [
        "When you left, I felt scared."]
    migrated = subprocess.run([sys.executable, "-m", "bot.storage.cli", "migrate"], env=env,
                              capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
    assert migrated.returncode == 0, migrated.stderr
    assert "Drafts database at revision" in migrated.stdout
    assert "migrated now" not in migrated.stdout


# --- the keys database under Alembic (issue 17) -------------------------------------------


def _keys_tables(engine) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(engine).get_table_names())


def test_a_new_keys_database_is_made_by_its_migrations(tmp_path):
    from cryptography.fernet import Fernet

    from bot.storage.crypto import KEYS_VERSION_TABLE, KeyRing, keys_revision

    engine = make_engine(f"sqlite:///{tmp_path / 'keys.db'}")
    ring = KeyRing(engine, [Fernet.generate_key()])
    assert keys_revision(engine) == "k0001"
    assert {"person_keys", KEYS_VERSION_TABLE} <= _keys_tables(engine)
    key = ring.get_or_create("alice")
    assert ring.get("alice").decrypt(key.encrypt(b"mine")) == b"mine"


def test_a_keys_database_from_before_its_migrations_keeps_every_key(tmp_path):
    """A keys.db made by an earlier Steady (the table, no version table) is stamped, not
    made again: the keys in it still open what they sealed."""
    from cryptography.fernet import Fernet

    from bot.storage.crypto import KeysBase, KeyRing, keys_revision

    server = [Fernet.generate_key()]
    person_key = Fernet.generate_key()
    engine = make_engine(f"sqlite:///{tmp_path / 'keys.db'}")
    KeysBase.metadata.create_all(engine)  # what Steady did before
    with engine.begin() as connection:
        connection.execute(
            text("insert into person_keys (person_id, wrapped_key, created_at) values "
                 "(:id, :key, CURRENT_TIMESTAMP)"),
            {"id": "alice", "key": Fernet(server[0]).encrypt(person_key).decode()},
        )
    assert keys_revision(engine) is None
    sealed = Fernet(person_key).encrypt(b"a draft")
    ring = KeyRing(engine, server)
    assert keys_revision(engine) == "k0001"
    assert ring.get("alice").decrypt(sealed) == b"a draft"


def test_keys_and_drafts_share_a_postgres_database_each_with_its_history(keyring):
    """Both histories in one database: the keys' version table is its own."""
    from cryptography.fernet import Fernet

    from bot.storage.crypto import KEYS_VERSION_TABLE, KeyRing, keys_revision
    from bot.storage.migrate import current

    with postgres_schema() as url:
        engine = make_engine(url)
        ring = KeyRing(engine, [Fernet.generate_key()])
        store = DraftStore(url, ring)
        store.save_draft("rest", "alice", text="When you were late, I felt scared.")
        assert keys_revision(engine) == "k0001" and current(engine) is not None
        assert {"person_keys", KEYS_VERSION_TABLE, "alembic_version", "drafts"} <= \
            _keys_tables(engine)
        assert store.list_drafts("rest", "alice")[0].text == "When you were late, I felt scared."
        store.engine.dispose()
        engine.dispose()
