"""Rasa's tracker store as Steady configures it: from a URL, and able to erase a person."""
from __future__ import annotations

import asyncio
import sqlite3

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage import ERASE_SLOT
from bot.storage.tracker_store import SteadyTrackerStore
from tests.conftest import ROOT

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


def test_the_url_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("STEADY_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'conv.db'}")
    store = SteadyTrackerStore(domain=DOMAIN)
    asyncio.run(store.save(conversation("ivy")))
    assert ("ivy", "user") in rows(tmp_path / "conv.db")


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
