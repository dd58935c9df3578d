"""Helpers every action shares: who is talking, where drafts live, which slots to clear."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.config import load_settings
from bot.drafting import SKIPPED
from bot.schedule import HOUR, every
from bot.storage import DraftStore, StorageUnavailable

logger = logging.getLogger(__name__)

#: Said when the drafts cannot be reached (nothing is lost): a response in domain.yml.
STORAGE_DOWN = "utter_storage_down"

# Everything one reflection collects; cleared when it ends, so the next one starts clean.
REFLECTION_SLOTS = (
    "draft_kind",
    "trigger_type",
    "trigger_choices",
    "situation",
    "pause",
    "feeling",
    "faux_feeling",
    "fear",
    "knows_better",
    "moment",
    "moment_choice",
    "need",
    "request",
    "observation",
    "proposed_observation",
    "observation_own",
    "custom_draft",
    "draft_text",
    "suggested_draft",
    "editing_draft",  # a saved draft being edited: Save updates it instead of adding one
)

_store: Optional[DraftStore] = None


def draft_store() -> DraftStore:
    """One store (and connection pool) per action-server process, created on first use."""
    global _store
    if _store is None:
        _store = DraftStore.from_settings(load_settings())
    return _store


def use_store(store: Optional[DraftStore]) -> None:
    """Point the actions at another store (tests), or None to re-read the settings."""
    global _store
    _store = store


def schedule_drafts_retention() -> None:
    """In the action server, with STEADY_RETENTION_DAYS set: drafts older than that go at
    start and then every hour (a server may run for months). rasa_sdk makes its Sanic app
    before it imports the actions; imported anywhere else (tests), this does nothing."""
    from sanic import Sanic
    from sanic.exceptions import SanicException

    if not load_settings().retention_days:
        return
    try:
        app = Sanic.get_app("rasa_sdk")
    except SanicException:
        return
    app.register_listener(_start_drafts_retention, "after_server_start")


async def _start_drafts_retention(_app: Any, loop: Any) -> None:
    loop.create_task(every(HOUR, lambda: draft_store().apply_retention(), "Drafts retention"))


def owner(tracker: Tracker) -> tuple[str, str]:
    """(channel, sender id): the identity a person's drafts belong to."""
    return tracker.get_latest_input_channel() or "unknown", tracker.sender_id


def clear_reflection(tracker: Tracker) -> list[dict[str, Any]]:
    """Empty every reflection slot that holds something. A slot that is already empty gets
    no event: each one would stay in the conversation, which Rasa reads back and replays
    for every message after it."""
    return [SlotSet(name, None) for name in REFLECTION_SLOTS if tracker.get_slot(name) is not None]


def given(value: Optional[str]) -> Optional[str]:
    """A slot value the person actually gave (not empty, not skipped)."""
    if value is None:
        return None
    value = str(value).strip()
    return value if value and value != SKIPPED else None


class StoreAction(Action, ABC):
    """Runs ``review`` and turns a storage outage into a kind message (``storage_down``)."""

    storage_down = STORAGE_DOWN

    @abstractmethod
    def name(self) -> Text:
        """Abstract, so the SDK registers only the concrete actions."""

    @abstractmethod
    async def review(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """The action itself; StorageUnavailable may escape it (nothing is lost: say so)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        try:
            # The review reads and writes the store, which blocks (SQLAlchemy, Fernet): it runs
            # in a worker thread, so one slow database call never holds up another person's
            # reply on this server.
            return await asyncio.to_thread(asyncio.run, self.review(dispatcher, tracker, domain))
        except StorageUnavailable as error:
            logger.warning("%s: storage unavailable (%s)", self.name(), error)
            dispatcher.utter_message(response=self.storage_down)
            return []
