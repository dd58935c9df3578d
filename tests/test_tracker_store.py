"""Rasa's tracker store as Steady configures it: from a URL, sealed, and able to erase a person."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.storage import ERASE_SLOT
from bot.storage.conversations import key_holder
from bot.storage.crypto import KeyRing
from bot.storage.engine import make_engine
from bot.storage.tracker_store import SteadyTrackerStore
from tests.conftest import ROOT
from tests.test_storage import POSTGRES_URL

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def conversation(sender: str, *extra) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"),
        UserUttered("he forgot my birthday", {"name": "trigger_forgotten_date"}),
        BotUttered("A day that matters to you, forgotten: that stings."),
        *extra,
    ])


def rows(db) -> list[tuple]:
    return sqlite3.connect(db).execute("select sender_id, type_name from events").fetchall()


def test_the_url_and_the_keys_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("STEADY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STEADY_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'conv.db'}")
    store = SteadyTrackerStore(domain=DOMAIN)
    asyncio.run(store.save(conversation("ivy")))
    assert ("ivy", "user") in rows(tmp_path / "conv.db")
    assert sqlite3.connect(tmp_path / "keys.db").execute(
        "select count(*) from person_keys").fetchone() == (1,)  # the conversation's key


def test_an_erase_marker_deletes_that_conversation_and_only_that_one(tmp_path):
    db = tmp_path / "tracker.db"
    store = SteadyTrackerStore(domain=DOMAIN, url=f"sqlite:///{db}")
    asyncio.run(store.save(conversation("ivy")))
    asyncio.run(store.save(conversation("jon")))
    asyncio.run(store.save(conversation("ivy", SlotSet(ERASE_SLOT, True))))
    assert {sender for sender, _ in rows(db)} == {"jon"}
    assert asyncio.run(store.retrieve("ivy")) is None


def test_a_list_of_linked_conversations_is_erased_together(tmp_path):
    db = tmp_path / "tracker.db"
    store = SteadyTrackerStore(domain=DOMAIN, url=f"sqlite:///{db}")
    for sender in ("tg-1", "web-1", "kim"):
        asyncio.run(store.save(conversation(sender)))
    asyncio.run(store.save(conversation("tg-1", SlotSet(ERASE_SLOT, ["tg-1", "web-1"]))))
    assert {sender for sender, _ in rows(db)} == {"kim"}


# Steady reads and writes with prepared statements; what lands in the table and what comes
# back must be exactly what Rasa's own SQLTrackerStore writes and reads.
TURNS = [
    [ActionExecuted("action_session_start", timestamp=99.0), SessionStarted(timestamp=100.0),
     ActionExecuted("action_listen", timestamp=100.5)],
    [UserUttered("he forgot my birthday", {"name": "trigger_forgotten_date"}, timestamp=101.0),
     SlotSet("trigger_type", "forgotten_date", timestamp=101.1),
     BotUttered("That stings.", timestamp=101.2)],
    [ActionExecuted("action_session_start", timestamp=200.0), SessionStarted(timestamp=200.1),
     SlotSet("trigger_type", "forgotten_date", timestamp=200.2),
     ActionExecuted("action_listen", timestamp=200.3)],
    [UserUttered("show my drafts", {"name": "show_drafts"}, timestamp=201.0),
     ActionExecuted("action_show_drafts", timestamp=201.1)],
]


def play_turn(store: SteadyTrackerStore, sender: str, turn: list, save, retrieve) -> None:
    """What Rasa's processor does with a turn: read the tracker, add events, save."""
    tracker = asyncio.run(retrieve(store, sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    for event in turn:
        tracker.update(event)
    asyncio.run(save(store, tracker))


def table(store: SteadyTrackerStore, sender: str) -> list[tuple]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(
            "select type_name, timestamp, intent_name, action_name, data from events "
            "where sender_id = :sender order by id"), {"sender": sender})]


def opened(store: SteadyTrackerStore, sender: str, rows: list[tuple]) -> list[tuple]:
    """Rows as Rasa's own store writes them: data opened with the conversation's key.
    The intent and action names Rasa writes beside them are compared apart."""
    key = store.vault.keyring.get(key_holder(sender))
    return [(type_name, timestamp, json.loads(key.decrypt(data.encode())))
            for type_name, timestamp, _, _, data in rows]


def check_same_as_rasa(store: SteadyTrackerStore) -> None:
    ours, rasas = f"ours-{uuid.uuid4()}", f"rasa-{uuid.uuid4()}"
    for turn in TURNS:
        play_turn(store, ours, turn, SteadyTrackerStore.save, SteadyTrackerStore.retrieve)
        play_turn(store, rasas, turn, SQLTrackerStore.save,
                  lambda self, sender: SQLTrackerStore._retrieve(self, sender, False))
        mine, theirs = table(store, ours), table(store, rasas)
        assert opened(store, ours, mine) == [
            (type_name, timestamp, json.loads(data)) for type_name, timestamp, _, _, data in theirs]
        # Sealed: no JSON, and no intent (an intent named "crisis" says too much) or action.
        assert all(not data.startswith("{") and (intent, action) == (None, None)
                   for _, _, intent, action, data in mine)
        read = asyncio.run(store.retrieve(ours))
        original = asyncio.run(SQLTrackerStore._retrieve(store, rasas, False))
        assert [e.as_dict() for e in read.events] == [e.as_dict() for e in original.events]
    assert len(table(store, ours)) == 12  # every event once: increments never repeat rows
    latest = asyncio.run(store.retrieve(ours))
    first = latest.events[0]  # only the latest session is read back
    assert isinstance(first, SessionStarted) and first.timestamp == 200.1
    assert latest.get_slot("trigger_type") == "forgotten_date"
    assert asyncio.run(store.retrieve("nobody-here")) is None
    full = asyncio.run(store.retrieve_full_tracker(ours))  # every session, as Rasa's API reads it
    assert [e.as_dict() for e in full.events] == [
        e.as_dict() for e in asyncio.run(SQLTrackerStore.retrieve_full_tracker(store, rasas)).events]


def test_rows_and_reads_are_rasas_own_on_sqlite(tmp_path):
    check_same_as_rasa(SteadyTrackerStore(domain=DOMAIN, url=f"sqlite:///{tmp_path / 't.db'}"))


def states(tracker: DialogueStateTracker) -> tuple:
    """What a conversation is, as a person would notice it: its events and its slots."""
    return ([event.as_dict() for event in tracker.events],
            {name: slot.value for name, slot in tracker.slots.items()})


def test_the_next_message_gets_the_saved_conversation_only_while_it_is_what_is_stored(tmp_path):
    """A server keeps the tracker a message saved and hands it to that conversation's next
    message instead of replaying every stored event; never when another server (same
    database) changed the conversation in between, never with events that were not saved,
    never to two callers at once."""
    url = f"sqlite:///{tmp_path / 't.db'}"
    one, two = SteadyTrackerStore(domain=DOMAIN, url=url), SteadyTrackerStore(domain=DOMAIN, url=url)
    save, retrieve = SteadyTrackerStore.save, SteadyTrackerStore.retrieve
    for turn in TURNS[:2]:
        play_turn(one, "ann", turn, save, retrieve)
    from_rows = asyncio.run(two.retrieve("ann"))  # the other server has kept nothing of ann
    kept = asyncio.run(one.retrieve("ann"))
    assert kept is not from_rows and states(kept) == states(from_rows)
    assert asyncio.run(one.retrieve("ann")) is not kept  # handed out once

    # A message handled and not saved (it failed): its events are not seen next time.
    play_turn(one, "ann", [ActionExecuted("action_listen", timestamp=150.0)], save, retrieve)
    unsaved = asyncio.run(one.retrieve("ann"))
    unsaved.update(UserUttered("never saved", {"name": "trigger_other"}, timestamp=151.0))
    assert "never saved" not in str(states(asyncio.run(one.retrieve("ann"))))

    # Another server answers the next message: the first one reads what it stored.
    play_turn(one, "ann", [UserUttered("hello", {"name": "greet"}, timestamp=160.0)], save, retrieve)
    play_turn(two, "ann", [SlotSet("trigger_type", "slow_replies", timestamp=170.0)],
              save, retrieve)
    assert asyncio.run(one.retrieve("ann")).get_slot("trigger_type") == "slow_replies"

    # Erased by the other server ("delete all my data" in a linked chat): gone here too.
    play_turn(one, "ann", [UserUttered("again", {"name": "greet"}, timestamp=180.0)], save, retrieve)
    two.erase("ann")
    assert asyncio.run(one.retrieve("ann")) is None


def keys_beside(tmp_path) -> KeyRing:
    return KeyRing(make_engine(f"sqlite:///{tmp_path / 'keys.db'}"), [Fernet.generate_key()])


def test_rows_and_reads_are_rasas_own_on_postgres(tmp_path):
    schema = f"steady_tracker_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, future=True)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"create schema {schema}"))
    except Exception as error:  # the machines provide PostgreSQL; say so loudly if not
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}")
    try:
        separator = "&" if "?" in POSTGRES_URL else "?"
        store = SteadyTrackerStore(
            domain=DOMAIN, url=f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}",
            keyring=keys_beside(tmp_path))
        check_same_as_rasa(store)
        store.engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"drop schema {schema} cascade"))
        admin.dispose()


def test_no_word_is_ever_in_the_file_or_its_log_and_erasing_leaves_nothing_to_open(tmp_path):
    db = tmp_path / "tracker.db"
    store = SteadyTrackerStore(domain=DOMAIN, url=f"sqlite:///{db}")
    asyncio.run(store.save(conversation("ivy", SlotSet("situation", "my sister's wedding"))))
    files = [db, tmp_path / "tracker.db-wal"]
    for words in (b"forgot my birthday", b"my sister's wedding", b"trigger_forgotten_date",
                  b"That stings"):
        assert not any(words in f.read_bytes() for f in files if f.exists())
    assert asyncio.run(store.retrieve("ivy")).get_slot("situation") == "my sister's wedding"
    backup = [data for (data,) in sqlite3.connect(db).execute(
        "select data from events where sender_id = 'ivy'")]

    asyncio.run(store.save(conversation("ivy", SlotSet(ERASE_SLOT, True))))
    assert not any(f.exists() and f.read_bytes().count(backup[0].encode()) for f in files)
    # A copy of the rows kept elsewhere (a backup) can no longer be opened: the key is gone.
    server_keys_and_keys_db = SteadyTrackerStore(domain=DOMAIN, url=f"sqlite:///{db}").vault
    assert server_keys_and_keys_db.key("ivy", create=False) is None
    assert len(sqlite3.connect(tmp_path / "keys.db").execute(
        "select * from person_keys").fetchall()) == 0
