"""Privacy of saved drafts: encryption at rest, isolation, linking, deletion, retention,
migrations from older databases, and key rotation. Real SQLite files throughout."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text, update

from bot.storage import DraftStore, StorageUnavailable
from bot.storage.crypto import KeyError_, KeyRing, load_server_keys, rotate
from bot.storage.drafts import LinkResult
from bot.storage.engine import make_engine
from bot.storage.migrate import current, head, upgrade
from bot.storage.schema import Draft, LinkCode

SECRET_WORDS = "When you left the party without me, I felt invisible and scared."


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as a thief with a copy would read them."""
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_the_database_file_never_holds_the_persons_words(store: DraftStore, tmp_path: Path):
    store.save_draft("rest", "ana", text=SECRET_WORDS, situation="he left the party early",
                     fear="that he's bored of me", request="tell me when you go")
    raw = file_bytes(tmp_path / "steady.db")
    for words in (b"invisible", b"left the party", b"bored of me", b"tell me when"):
        assert words not in raw
    assert store.get_draft("rest", "ana", 1).text == SECRET_WORDS  # and yet it reads back


def test_each_person_has_their_own_key(store: DraftStore, tmp_path: Path):
    store.save_draft("rest", "ana", text="same words")
    store.save_draft("rest", "ben", text="same words")
    rows = sqlite3.connect(tmp_path / "steady.db").execute("select text from drafts").fetchall()
    assert len({row[0] for row in rows}) == 2
    keys = sqlite3.connect(tmp_path / "keys.db").execute("select count(*) from person_keys")
    assert keys.fetchone()[0] == 2


def test_guessed_numbers_and_other_channels_see_nothing(store: DraftStore):
    store.save_draft("rest", "ana", text="ana's")
    for number in range(0, 5):
        assert store.get_draft("rest", "ben", number) is None
        assert store.update_draft("rest", "ben", number, status="sent") is None
        assert store.delete_draft("rest", "ben", number) is False
    assert store.list_drafts("telegram", "ana") == []   # same id, other channel: not linked
    assert store.get_draft("rest", "ana", 1).status == "draft"


def test_edit_mark_archive_delete_one(store: DraftStore):
    store.save_draft("rest", "ana", text="first", feeling="scared", trigger_type="slow_replies")
    store.save_draft("rest", "ana", text="second", trigger_type="cancelled_plans")
    edited = store.update_draft("rest", "ana", 1, text="first, kinder", feeling="lonely")
    assert (edited.text, edited.feeling) == ("first, kinder", "lonely")
    assert store.update_draft("rest", "ana", 1, status="sent").status == "sent"
    assert store.update_draft("rest", "ana", 2, status="archived").status == "archived"
    assert [d.number for d in store.list_drafts("rest", "ana", status="sent")] == [1]
    assert [d.number for d in store.list_drafts("rest", "ana", trigger_type="cancelled_plans")] == [2]
    assert store.delete_draft("rest", "ana", 2) is True
    assert [d.number for d in store.list_drafts("rest", "ana")] == [1]


def test_trigger_counts_over_a_period(store: DraftStore):
    for trigger in ("slow_replies", "slow_replies", "cancelled_plans"):
        store.save_draft("rest", "ana", text="x", trigger_type=trigger)
    assert store.trigger_counts("rest", "ana") == {"slow_replies": 2, "cancelled_plans": 1}
    future = datetime.now(timezone.utc) + timedelta(days=1)
    assert store.trigger_counts("rest", "ana", since=future) == {}
    assert store.trigger_counts("rest", "nobody") == {}


def test_linking_joins_two_identities_to_the_same_drafts(store: DraftStore):
    store.save_draft("webchat", "web-ana", text="written on the web")
    store.save_draft("telegram", "tg-ana", text="written in telegram")
    code = store.create_link_code("webchat", "web-ana")
    assert store.redeem_link_code("telegram", "tg-ana", code) == LinkResult.linked
    for identity in (("webchat", "web-ana"), ("telegram", "tg-ana")):
        assert [d.text for d in store.list_drafts(*identity)] == [
            "written in telegram", "written on the web"]
    # The drafts keep distinct numbers: the newcomer's come after the code maker's.
    assert sorted(d.number for d in store.list_drafts("telegram", "tg-ana")) == [1, 2]
    assert store.redeem_link_code("telegram", "tg-ana", code) == LinkResult.wrong  # one-time


def test_a_wrong_or_expired_code_links_nothing_and_guessing_is_cut_off(store: DraftStore):
    store.save_draft("webchat", "web-ana", text="private")
    code = store.create_link_code("webchat", "web-ana")
    assert store.redeem_link_code("telegram", "tg-mallory", "ABCD-EFGH") == LinkResult.wrong
    assert store.list_drafts("telegram", "tg-mallory") == []
    for _ in range(4):
        store.redeem_link_code("telegram", "tg-mallory", "ZZZZ-ZZZZ")
    # After five wrong codes even the right one is refused for a while.
    assert store.redeem_link_code("telegram", "tg-mallory", code) == LinkResult.paused
    assert store.list_drafts("telegram", "tg-mallory") == []

    expired = store.create_link_code("webchat", "web-ana")
    with store.engine.begin() as connection:
        connection.execute(update(LinkCode).values(
            expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert store.redeem_link_code("telegram", "tg-ana", expired) == LinkResult.expired
    assert store.list_drafts("telegram", "tg-ana") == []
    mine = store.create_link_code("webchat", "web-ana")
    assert store.redeem_link_code("webchat", "web-ana", mine) == LinkResult.same_person


def test_deleting_a_person_removes_drafts_links_and_their_key(store: DraftStore, tmp_path: Path):
    store.save_draft("webchat", "web-ana", text=SECRET_WORDS)
    code = store.create_link_code("webchat", "web-ana")
    store.redeem_link_code("telegram", "tg-ana", code)
    store.save_draft("rest", "ben", text="ben's")
    ciphertext = sqlite3.connect(tmp_path / "steady.db").execute(
        "select text from drafts order by id limit 1").fetchone()[0]
    assert set(store.linked_identities("telegram", "tg-ana")) == {
        ("webchat", "web-ana"), ("telegram", "tg-ana")}
    assert len(_people_ids_of(ciphertext, store.keyring)) == 1  # readable while she exists

    assert store.delete_all("telegram", "tg-ana") == 1
    db = sqlite3.connect(tmp_path / "steady.db")
    assert db.execute("select count(*) from drafts").fetchone()[0] == 1        # ben's
    assert db.execute("select count(*) from identities").fetchone()[0] == 1
    assert db.execute("select count(*) from link_codes").fetchone()[0] == 0
    assert sqlite3.connect(tmp_path / "keys.db").execute(
        "select count(*) from person_keys").fetchone()[0] == 1
    assert store.list_drafts("webchat", "web-ana") == []
    # A backup copy of the old row is now unreadable: no key left in the ring opens it.
    assert _people_ids_of(ciphertext, store.keyring) == []


def _people_ids_of(ciphertext: str, keyring: KeyRing) -> list[str]:
    """Person ids whose key still decrypts the ciphertext (none, once they are deleted)."""
    from cryptography.fernet import InvalidToken
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from bot.storage.crypto import PersonKey

    with Session(keyring.engine, future=True) as session:
        person_ids = session.execute(select(PersonKey.person_id)).scalars().all()
    found = []
    for person_id in person_ids:
        try:
            keyring.get(person_id).decrypt(ciphertext.encode())
            found.append(person_id)
        except InvalidToken:
            pass
    return found


def test_retention_deletes_only_drafts_older_than_the_setting(tmp_path: Path, keyring: KeyRing):
    store = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}", keyring, retention_days=30)
    store.save_draft("rest", "ana", text="old")
    store.save_draft("rest", "ana", text="recent")
    with store.engine.begin() as connection:
        connection.execute(update(Draft).where(Draft.number == 1).values(
            created_at=datetime.now(timezone.utc) - timedelta(days=31)))
    assert store.apply_retention() == 1
    assert [d.text for d in store.list_drafts("rest", "ana")] == ["recent"]
    off = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}", keyring)
    assert off.apply_retention() == 0  # off by default


def test_a_database_from_before_migrations_is_upgraded_losing_nothing(tmp_path: Path, keyring):
    """The schema Steady wrote before encryption (revision 0001), with real rows in it."""
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, keyring, target="0001")
    with engine.begin() as connection:
        connection.execute(text("drop table alembic_version"))  # the old version had none
        for number, (user, words, status) in enumerate([
                ("ana", "When you were late, I felt scared.", "draft"),
                ("ana", "When you forgot, I felt hurt.", "sent"),
                ("ben", "When you cancelled, I felt sad.", "archived")], start=1):
            connection.execute(text(
                "insert into drafts (channel, user_id, number, created_at, updated_at, "
                "trigger_type, situation, feeling, fear, need, request, text, status) values "
                "('rest', :user, :number, '2026-01-0' || :number || ' 10:00:00', "
                "'2026-01-0' || :number || ' 10:00:00', 'slow_replies', 'he was late', "
                "'scared', 'he is leaving', 'reassurance', 'text me', :words, :status)"),
                {"user": user, "number": 1 if user == "ben" else number, "words": words,
                 "status": status})
    engine.dispose()

    store = DraftStore(f"sqlite:///{path}", keyring)
    ana = store.list_drafts("rest", "ana")
    assert [(d.number, d.text, d.status) for d in ana] == [
        (2, "When you forgot, I felt hurt.", "sent"),
        (1, "When you were late, I felt scared.", "draft")]
    assert (ana[1].situation, ana[1].fear, ana[1].need, ana[1].request) == (
        "he was late", "he is leaving", "reassurance", "text me")
    assert ana[1].created_at.date().isoformat() == "2026-01-01"
    assert [d.text for d in store.list_drafts("rest", "ben")] == ["When you cancelled, I felt sad."]
    assert current(store.engine) == head()
    store.engine.dispose()
    raw = file_bytes(path)
    assert b"I felt scared" not in raw and b"he was late" not in raw  # vacuumed, too


def test_the_key_file_is_created_private_and_an_open_one_is_refused(tmp_path: Path):
    key_file = tmp_path / "secret.key"
    keys = load_server_keys(None, key_file)
    assert len(keys) == 1 and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert load_server_keys(None, key_file) == keys  # stable across starts
    key_file.chmod(0o644)
    with pytest.raises(KeyError_, match="chmod 600"):
        load_server_keys(None, key_file)
    assert load_server_keys(Fernet.generate_key().decode(), key_file)  # env wins


def test_key_rotation_rewraps_every_person_key_and_drops_the_old_one(tmp_path: Path):
    key_file = tmp_path / "secret.key"
    keys_url = f"sqlite:///{tmp_path / 'keys.db'}"
    old = load_server_keys(None, key_file)
    store = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}",
                       KeyRing(make_engine(keys_url), old))
    store.save_draft("rest", "ana", text=SECRET_WORDS)
    assert rotate(key_file, make_engine(keys_url)) == 1
    new = load_server_keys(None, key_file)
    assert new != old and len(new) == 1
    fresh = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}", KeyRing(make_engine(keys_url), new))
    assert fresh.get_draft("rest", "ana", 1).text == SECRET_WORDS
    stale = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}", KeyRing(make_engine(keys_url), old))
    with pytest.raises(StorageUnavailable):  # the kind "can't reach your drafts" answer
        stale.get_draft("rest", "ana", 1)


def test_a_lost_keys_database_gets_a_kind_answer_and_no_new_key_that_hides_it(tmp_path: Path, caplog):
    """Pointing STEADY_KEYS_URL at the wrong (or an empty) database must not quietly give a
    person with saved drafts a new key: their drafts would be unreadable for good."""
    import asyncio

    from actions.common import use_store
    from actions.drafts import ActionShowDrafts
    from rasa_sdk.executor import CollectingDispatcher

    from tests.conftest import make_tracker, shown

    keys = load_server_keys(None, tmp_path / "secret.key")
    db = f"sqlite:///{tmp_path / 'steady.db'}"
    DraftStore(db, KeyRing(make_engine(f"sqlite:///{tmp_path / 'keys.db'}"), keys)).save_draft(
        "rest", "ana", text=SECRET_WORDS)
    wrong = DraftStore(db, KeyRing(make_engine(f"sqlite:///{tmp_path / 'other-keys.db'}"), keys))
    with pytest.raises(StorageUnavailable):
        wrong.get_draft("rest", "ana", 1)
    with pytest.raises(StorageUnavailable):
        wrong.save_draft("rest", "ana", text="When you were late, I felt scared.")
    [(person,)] = sqlite3.connect(tmp_path / "steady.db").execute(
        "select person_id from identities where user_id = 'ana'").fetchall()
    assert wrong.keyring.get(person) is None  # no new key was made for ana
    assert "STEADY_KEYS_URL" in caplog.text and "ana" not in caplog.text
    use_store(wrong)
    try:
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionShowDrafts().run(dispatcher, make_tracker("ana"), {}))
        assert shown(dispatcher.messages)[0]["text"] == (
            "I can't reach your saved drafts right now. They're safe; try again in a moment.")
    finally:
        use_store(None)
    # Someone new still gets a key and can save.
    assert wrong.save_draft("rest", "bo", text="When you were late, I felt scared.").number == 1


def test_only_the_most_recently_used_person_keys_stay_in_memory(tmp_path: Path, monkeypatch):
    from bot.storage import drafts

    monkeypatch.setattr(drafts, "KEY_CACHE_SIZE", 3)
    store = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}")
    for name in "abcde":
        store.save_draft("rest", name, text=SECRET_WORDS)
    assert len(store._keys) == 3
    assert [d.text for d in store.list_drafts("rest", "a")] == [SECRET_WORDS]  # read back again


@pytest.mark.e2e
def test_the_action_server_deletes_expired_drafts_when_it_starts_without_a_message(tmp_path: Path):
    """Retention runs inside the server, at start and then hourly, not at someone's first save."""
    import os
    import signal
    import subprocess
    import time

    from harness.servers import BIN, ROOT, free_port, wait_for

    store = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}")
    store.save_draft("rest", "ana", text="old")
    store.save_draft("rest", "ana", text="recent")
    with store.engine.begin() as connection:
        connection.execute(update(Draft).where(Draft.number == 1).values(
            created_at=datetime.now(timezone.utc) - timedelta(days=31)))
    port, log = free_port(), tmp_path / "actions.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("STEADY_")}
    env.update(STEADY_DATA_DIR=str(tmp_path), STEADY_RETENTION_DAYS="30")
    server = subprocess.Popen([str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                               "--port", str(port)], cwd=ROOT, env=env,
                              stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", server, log)
        deadline = time.monotonic() + 60
        while len(store.list_drafts("rest", "ana")) > 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert [d.text for d in store.list_drafts("rest", "ana")] == ["recent"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_servers_starting_at_once_agree_on_one_new_server_key(tmp_path: Path):
    """The Rasa servers and the action server may each be first to need the key file."""
    from concurrent.futures import ThreadPoolExecutor

    key_file = tmp_path / "secret.key"
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: load_server_keys(None, key_file), range(8)))
    assert all(keys == found[0] for keys in found) and len(found[0]) == 1
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert [path.name for path in tmp_path.iterdir()] == ["secret.key"]
