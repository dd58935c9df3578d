"""Persistence: saved drafts (``drafts``), Rasa's tracker store (``tracker_store``) and their
sealing (``crypto``, ``conversations``), engines and key rings made in one place (``engine``).

The layers, each importing only those below it: ``crypto`` (keys, sealing) < ``engine``
(URL -> engine, settings -> key ring) < ``schema``/``migrate`` < ``drafts``,
``conversations`` < ``tracker_store`` (Rasa's side). Importing this package imports none of
them: the Rasa server reads ``ERASE_SLOT`` without loading the drafts store.
"""

from __future__ import annotations

from typing import Any

# An action that erases a person's data returns SlotSet(ERASE_SLOT, True); Rasa's tracker
# store (tracker_store.SteadyTrackerStore) then deletes the conversation instead of saving
# it. The action server cannot reach Rasa's tracker, and rows deleted behind Rasa's back
# would be written again from the tracker Rasa holds in memory.
ERASE_SLOT = "erase_conversation"

__all__ = ["DraftRecord", "DraftStore", "StorageUnavailable", "ERASE_SLOT"]


def __getattr__(name: str) -> Any:
    """``from bot.storage import DraftStore`` still works, loading the drafts store then."""
    if name in ("DraftRecord", "DraftStore", "StorageUnavailable"):
        from bot.storage import drafts

        return getattr(drafts, name)
    raise AttributeError(f"module 'bot.storage' has no attribute {name!r}")
