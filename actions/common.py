"""Helpers every action shares: who is talking, where drafts live, which slots to clear."""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.config import load_settings
from bot.drafting import SKIPPED
from bot.storage import DraftStore

# Everything one reflection collects; cleared when it ends, so the next one starts clean.
REFLECTION_SLOTS = (
    "trigger_type", "situation", "pause", "feeling", "faux_feeling", "fear",
    "knows_better", "need", "request", "custom_draft", "draft_text", "suggested_draft",
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


def owner(tracker: Tracker) -> tuple[str, str]:
    """(channel, sender id): the identity a person's drafts belong to."""
    return tracker.get_latest_input_channel() or "unknown", tracker.sender_id


def clear_reflection() -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in REFLECTION_SLOTS]


def given(value: Optional[str]) -> Optional[str]:
    """A slot value the person actually gave (not empty, not skipped)."""
    if value is None:
        return None
    value = str(value).strip()
    return value if value and value != SKIPPED else None
