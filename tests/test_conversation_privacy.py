"""Conversations at rest (Rasa's tracker store): sealed like drafts, erased down to the key,
migrated from clear text losing nothing, and kept no longer than the retention period.
Real SQLite files (and PostgreSQL for the migration) throughout; "two servers" are two
tracker stores on the same databases, as two Rasa servers are."""
from __future__ import annotations

import asyncio
import shutil
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import load_settings
from bot.schedule import every
from bot.storage.conversations import ConversationUnreadable, ConversationVault, key_holder
from bot.storage.crypto import KeyRing, load_server_keys, rotate
from bot.storage.engine import make_engine
from bot.storage.tracker_store import DAY, SteadyTrackerStore
from tests.conftest import ROOT
from tests.test_storage import POSTGRES_URL

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
NOW = time.time()


def words() -> str:
    return f"zq{uuid.uuid4().hex[:10]}"


def file_bytes(db: Path) -> bytes:
    """A database file with its write-ahead log and journal, as a copy of them would hold."""
    return b"".join(path.read_bytes() for path in db.parent.glob(db.name + "*"))


def tracker_store(tmp_path: Path, keyring: KeyRing | None = None, days: int = 30) -> SteadyTrackerStore:
    """A tracker store as the Rasa server builds one (keys.db and secret.key beside it)."""
    return SteadyTrackerStore(domain=DOMAIN, url=f"sqlite:///{tmp_path / 'tracker.db'}",
                              keyring=keyring, retention_days=days)


def first_turns(at: float, situation: str, greeting: str) -> list:
    """A reflection begun at ``at``: the trigger told, the pause taken, the feeling asked."""
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at + 0.01),
        ActionExecuted("action_listen", timestamp=at + 0.02),
        UserUttered(greeting, {"name": "greet"}, timestamp=at + 1),
        BotUttered("Hi, I'm Steady.", timestamp=at + 1.1),
        ActionExecuted("action_listen", timestamp=at + 1.2),
        UserUttered(situation, {"name": "trigger_forgotten_date"}, timestamp=at + 2),
        ActionExecuted("action_start_reflection", timestamp=at + 2.1),
        SlotSet("trigger_type", "forgotten_date", timestamp=at + 2.1),
        SlotSet("situation", situation, timestamp=at + 2.1),
        ActionExecuted("reflection_form", timestamp=at + 2.2),
        ActiveLoop("reflection_form", timestamp=at + 2.2),
        SlotSet("requested_slot", "pause", timestamp=at + 2.2),
        ActionExecuted("action_listen", timestamp=at + 2.3),
        UserUttered("/done_pausing", {"name": "done_pausing"}, timestamp=at + 3),
        SlotSet("pause", "done", timestamp=at + 3.1),
        SlotSet("requested_slot", "feeling", timestamp=at + 3.1),
        BotUttered("What are you feeling right now?", timestamp=at + 3.1),
        ActionExecuted("action_listen", timestamp=at + 3.2),
    ]


def answer(at: float, text: str, slot: str, next_slot: str) -> list:
    return [
        UserUttered(text, {"name": "inform"}, timestamp=at),
        SlotSet(slot, text, timestamp=at + 0.1),
        SlotSet("requested_slot", next_slot, timestamp=at + 0.1),
        BotUttered(f"And the {next_slot}?", timestamp=at + 0.1),
        ActionExecuted("action_listen", timestamp=at + 0.2),
    ]


def save_new(store: SteadyTrackerStore, sender: str, events: list) -> None:
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots)))


def add_turn(store: SteadyTrackerStore, sender: str, events: list) -> DialogueStateTracker:
    """What the Rasa server does with a message: read the conversation, add, save."""
    tracker = asyncio.run(store.retrieve(sender))
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    return tracker


def state(tracker: DialogueStateTracker) -> tuple:
    return tracker.current_slot_values(), tracker.active_loop_name


def user_texts(tracker: DialogueStateTracker) -> list:
    return [event.text for event in tracker.events if isinstance(event, UserUttered)]


# --------------------------------------------------------------------------- sealed

def test_a_copy_of_the_files_holds_no_word_and_after_erasing_cannot_be_opened(tmp_path):
    store = tracker_store(tmp_path)
    situation, greeting, fear = words(), words(), words()
    save_new(store, "ana", first_turns(NOW, situation, greeting)
             + answer(NOW + 5, fear, "fear", "knows_better"))
    save_new(store, "ben", first_turns(NOW, "he forgot", "hello"))
    raw = file_bytes(tmp_path / "tracker.db")
    for canary in (situation, greeting, fear, "forgot", "trigger_forgotten_date", "What are you"):
        assert canary.encode() not in raw
    assert asyncio.run(store.retrieve("ana")).get_slot("fear") == fear

    backup = tmp_path / "backup"
    backup.mkdir()
    for path in tmp_path.glob("*.db*"):
        shutil.copy(path, backup / path.name)
    store.erase("ana")
    assert asyncio.run(store.retrieve("ana")) is None
    assert asyncio.run(store.retrieve("ben")).get_slot("situation") == "he forgot"

    # Whoever holds the backup and the server key (and today's keys database) opens nothing.
    server_keys = load_server_keys(None, tmp_path / "secret.key")
    ring = KeyRing(make_engine(f"sqlite:///{tmp_path / 'keys.db'}"), server_keys)
    sealed = [data for (data,) in sqlite3.connect(backup / "tracker.db").execute(
        "select data from events where sender_id = 'ana'")]
    assert len(sealed) == 24
    assert ring.get(key_holder("ana")) is None
    for holder in sqlite3.connect(tmp_path / "keys.db").execute("select person_id from person_keys"):
        with pytest.raises(InvalidToken):
            ring.get(holder[0]).decrypt(sealed[0].encode())


def test_only_the_most_recent_conversations_keys_and_rows_stay_in_memory(tmp_path):
    keyring = KeyRing(make_engine(f"sqlite:///{tmp_path / 'keys.db'}"), [Fernet.generate_key()])
    store = tracker_store(tmp_path, keyring)
    store.vault = ConversationVault(keyring, key_cache_size=3, opened_cache_size=2)
    for sender in "abcde":
        save_new(store, sender, first_turns(NOW, f"situation of {sender}", "hi"))
        asyncio.run(store.retrieve(sender))
    assert list(store.vault._keys) == ["c", "d", "e"] and list(store.vault._opened) == ["d", "e"]
    assert asyncio.run(store.retrieve("a")).get_slot("situation") == "situation of a"


def test_a_new_server_key_rewraps_conversation_keys_too(tmp_path):
    key_file = tmp_path / "secret.key"
    store = tracker_store(tmp_path)
    save_new(store, "ana", first_turns(NOW, "he forgot", "hi"))
    assert rotate(key_file, make_engine(f"sqlite:///{tmp_path / 'keys.db'}")) == 1
    fresh = tracker_store(tmp_path)  # reads the new key file
    assert asyncio.run(fresh.retrieve("ana")).get_slot("situation") == "he forgot"


def test_an_unreadable_conversation_is_refused_not_given_a_new_key(tmp_path, caplog):
    save_new(tracker_store(tmp_path), "ana", first_turns(NOW, "he forgot", "hi"))
    other = KeyRing(make_engine(f"sqlite:///{tmp_path / 'other-keys.db'}"), [Fernet.generate_key()])
    wrong = tracker_store(tmp_path, other)
    with pytest.raises(ConversationUnreadable):
        asyncio.run(wrong.retrieve("ana"))
    with pytest.raises(ConversationUnreadable):  # Rasa then saves what it has in memory
        save_new(wrong, "ana", first_turns(NOW + 10, "she forgot", "hi"))
    assert other.get(key_holder("ana")) is None and "STEADY_KEYS_URL" in caplog.text
    assert asyncio.run(tracker_store(tmp_path).retrieve("ana")).get_slot("situation") == "he forgot"


# --------------------------------------------------------------------------- migration

def plain_conversations(url: str) -> dict:
    """Conversations written by Rasa's own store, in clear, as Steady did before sealing."""
    rasa = SQLTrackerStore(domain=DOMAIN, host=url)
    secrets = {}
    for sender in ("old-ana", "old-ben"):
        secrets[sender] = (words(), words())
        events = first_turns(NOW - 3 * DAY, *secrets[sender]) + [
            ActionExecuted("action_session_start", timestamp=NOW - DAY),
            SessionStarted(timestamp=NOW - DAY + 0.01),
            SlotSet("situation", secrets[sender][0], timestamp=NOW - DAY + 0.02),
            ActionExecuted("action_listen", timestamp=NOW - DAY + 0.03)]
        asyncio.run(rasa.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots)))
    read = {sender: ([e.as_dict() for e in asyncio.run(rasa.retrieve(sender)).events],
                     [e.as_dict() for e in asyncio.run(rasa.retrieve_full_tracker(sender)).events])
            for sender in secrets}
    rasa.engine.dispose()
    return {"secrets": secrets, "read": read}


def check_nothing_lost(store: SteadyTrackerStore, before: dict) -> None:
    for sender, (session, everything) in before["read"].items():
        assert [e.as_dict() for e in asyncio.run(store.retrieve(sender)).events] == session
        assert [e.as_dict() for e in asyncio.run(store.retrieve_full_tracker(sender)).events] == everything


def test_make_runs_migration_seals_a_pre_sealing_database_losing_nothing(tmp_path, monkeypatch):
    from bot.storage import migrate

    before = plain_conversations(f"sqlite:///{tmp_path / 'tracker.db'}")
    secret = before["secrets"]["old-ana"][0].encode()
    assert secret in file_bytes(tmp_path / "tracker.db")  # in clear, as issue 16 found it
    monkeypatch.setenv("STEADY_DATA_DIR", str(tmp_path))
    migrate.main()

    raw = file_bytes(tmp_path / "tracker.db")
    for situation, greeting in before["secrets"].values():
        assert situation.encode() not in raw and greeting.encode() not in raw
    assert b"trigger_forgotten_date" not in raw
    check_nothing_lost(tracker_store(tmp_path), before)
    migrate.main()  # again: nothing left to do, nothing changes
    check_nothing_lost(tracker_store(tmp_path), before)


def test_a_pre_sealing_postgres_database_is_sealed_when_the_rasa_server_starts(tmp_path):
    schema = f"steady_seal_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, future=True)
    with admin.begin() as connection:
        connection.execute(sa.text(f"create schema {schema}"))
    try:
        separator = "&" if "?" in POSTGRES_URL else "?"
        url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
        before = plain_conversations(url)
        keyring = KeyRing(make_engine(f"sqlite:///{tmp_path / 'keys.db'}"), [Fernet.generate_key()])
        store = SteadyTrackerStore(domain=DOMAIN, url=url, keyring=keyring)
        with store.engine.connect() as connection:
            table = " ".join(str(value) for row in connection.execute(
                sa.text("select * from events")) for value in row)
        for situation, greeting in before["secrets"].values():
            assert situation not in table and greeting not in table
        assert "trigger_forgotten_date" not in table
        check_nothing_lost(store, before)
        store.engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"drop schema {schema} cascade"))
        admin.dispose()


# --------------------------------------------------------------------------- retention

def test_retention_erases_conversations_idle_for_the_whole_period_with_their_keys(tmp_path):
    store = tracker_store(tmp_path)
    save_new(store, "gone", first_turns(NOW - 31 * DAY, "he forgot", "hi"))
    save_new(store, "kept", first_turns(NOW - 29 * DAY, "she forgot", "hi"))
    assert store.apply_retention(now=NOW) == 19
    assert asyncio.run(store.retrieve("gone")) is None
    assert store.vault.key("gone", create=False) is None
    assert asyncio.run(store.retrieve("kept")).get_slot("situation") == "she forgot"
    assert store.apply_retention(now=NOW) == 0


def test_retention_drops_old_turns_of_a_conversation_in_use_and_keeps_its_exercise(tmp_path):
    store = tracker_store(tmp_path)
    greeting, situation, fear = words(), words(), words()
    save_new(store, "ana", first_turns(NOW - 40 * DAY, situation, greeting))
    add_turn(store, "ana", answer(NOW - 2 * DAY, "scared", "feeling", "fear"))
    before = asyncio.run(store.retrieve("ana"))

    assert store.apply_retention(now=NOW) > 0
    after = asyncio.run(store.retrieve("ana"))
    assert state(after) == state(before)  # the reflection carries on at the same step
    assert after.get_slot("situation") == situation and after.get_slot("requested_slot") == "fear"
    assert greeting not in user_texts(after) and user_texts(after) == ["scared"]
    assert all(event.timestamp >= NOW - 40 * DAY + 3 for event in after.events)
    full = asyncio.run(store.retrieve_full_tracker("ana"))
    assert greeting not in user_texts(full)  # gone from the database, not just unread
    assert store.apply_retention(now=NOW) == 0  # nothing old left to drop

    # The conversation goes on from there, each event stored once.
    add_turn(store, "ana", answer(NOW, fear, "fear", "knows_better"))
    latest = asyncio.run(store.retrieve("ana"))
    assert user_texts(latest) == ["scared", fear] and latest.get_slot("fear") == fear
    assert len(latest.events) == len(after.events) + 5


def test_retention_drops_old_sessions_rasa_never_reads_again(tmp_path):
    store = tracker_store(tmp_path)
    save_new(store, "ana", first_turns(NOW - 40 * DAY, "he forgot", "hi") + [
        ActionExecuted("action_session_start", timestamp=NOW - DAY),
        SessionStarted(timestamp=NOW - DAY + 0.01),
        SlotSet("situation", "he forgot", timestamp=NOW - DAY + 0.02),
        ActionExecuted("action_listen", timestamp=NOW - DAY + 0.03)])
    session = [e.as_dict() for e in asyncio.run(store.retrieve("ana")).events]
    assert store.apply_retention(now=NOW) == 19
    kept = [e.as_dict() for e in asyncio.run(store.retrieve_full_tracker("ana")).events]
    assert kept[0]["name"] == "action_session_start" and kept[1:] == session


def test_a_message_read_before_retention_rewrote_its_conversation_is_stored_right(tmp_path):
    store, other_server = tracker_store(tmp_path), tracker_store(tmp_path)
    save_new(store, "ana", first_turns(NOW - 40 * DAY, "he forgot", "hi"))
    add_turn(store, "ana", answer(NOW - DAY, "scared", "feeling", "fear"))
    tracker = asyncio.run(store.retrieve("ana"))  # a message arrives...
    assert other_server.apply_retention(now=NOW) > 0  # ...retention runs on the other server
    for event in answer(NOW, "that he'll leave", "fear", "knows_better"):
        tracker.update(event)
    asyncio.run(store.save(tracker))  # ...and the message is saved
    for reader in (store, other_server):
        latest = asyncio.run(reader.retrieve("ana"))
        assert user_texts(latest) == ["scared", "that he'll leave"]
        assert latest.get_slot("fear") == "that he'll leave" and latest.active_loop_name
        assert latest.get_slot("situation") == "he forgot"


def test_a_conversation_erased_by_another_server_is_not_written_back(tmp_path):
    store, other_server = tracker_store(tmp_path), tracker_store(tmp_path)
    save_new(store, "tg-1", first_turns(NOW, "he forgot", "hi"))
    tracker = asyncio.run(store.retrieve("tg-1"))  # a message in the Telegram chat...
    other_server.erase("tg-1")  # ...while "delete all my data" is said in the linked web chat
    for event in answer(NOW + 10, "scared", "feeling", "fear"):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert asyncio.run(other_server.retrieve("tg-1")) is None
    assert store.vault.key("tg-1", create=False) is None  # the old key is not made again

    # The chat starts afresh, with a new key that both servers can use.
    save_new(store, "tg-1", first_turns(NOW + 20, "she forgot", "hi"))
    assert asyncio.run(other_server.retrieve("tg-1")).get_slot("situation") == "she forgot"


def test_retention_run_by_two_servers_at_once_does_no_harm(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    servers = [tracker_store(tmp_path) for _ in range(2)]
    for index in range(6):
        save_new(servers[0], f"p{index}", first_turns(NOW - 40 * DAY, f"situation {index}", "hi"))
        add_turn(servers[0], f"p{index}", answer(NOW - DAY, "scared", "feeling", "fear"))
    save_new(servers[0], "idle", first_turns(NOW - 40 * DAY, "he forgot", "hi"))
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda server: server.apply_retention(now=NOW), servers))
    for server in servers:
        server.apply_retention(now=NOW)
    fresh = tracker_store(tmp_path)
    for index in range(6):
        tracker = asyncio.run(fresh.retrieve(f"p{index}"))
        assert user_texts(tracker) == ["scared"]
        assert tracker.get_slot("situation") == f"situation {index}" and tracker.active_loop_name
        assert sum(isinstance(event, SessionStarted) for event in tracker.events) == 1
    assert asyncio.run(fresh.retrieve("idle")) is None


def test_the_retention_period_comes_from_the_environment():
    assert load_settings({}).conversation_retention_days == 30
    assert load_settings({"STEADY_CONVERSATION_RETENTION_DAYS": "7"}).conversation_retention_days == 7
    for wrong in ("0", "-3", "a week"):
        with pytest.raises(ValueError, match="STEADY_CONVERSATION_RETENTION_DAYS"):
            load_settings({"STEADY_CONVERSATION_RETENTION_DAYS": wrong})


def test_a_scheduled_job_runs_again_and_again_even_after_a_failure(caplog):
    runs = []

    def job() -> None:
        runs.append(time.monotonic())
        if len(runs) == 1:
            raise RuntimeError("he forgot my birthday")  # a message must not reach the log

    async def briefly() -> None:
        task = asyncio.get_running_loop().create_task(every(0.05, job, "Test retention"))
        while len(runs) < 3:
            await asyncio.sleep(0.01)
        task.cancel()

    asyncio.run(asyncio.wait_for(briefly(), 10))
    assert "Test retention failed (RuntimeError)" in caplog.text and "birthday" not in caplog.text


def test_the_rasa_server_runs_retention_at_start_and_then_hourly(tmp_path, monkeypatch):
    from bot.storage import tracker_store as module

    save_new(tracker_store(tmp_path, days=1), "gone", first_turns(NOW - 2 * DAY, "he forgot", "hi"))
    monkeypatch.setattr(module, "HOUR", 0.05)
    calls = []
    original = SteadyTrackerStore.apply_retention
    monkeypatch.setattr(SteadyTrackerStore, "apply_retention",
                        lambda self, now=None: calls.append(1) or original(self, now))

    async def server_start() -> SteadyTrackerStore:  # Rasa builds its store on its loop
        store = tracker_store(tmp_path, days=1)
        while len(calls) < 3:
            await asyncio.sleep(0.01)
        store._retention.cancel()
        return store

    store = asyncio.run(asyncio.wait_for(server_start(), 10))
    assert asyncio.run(store.retrieve("gone")) is None
