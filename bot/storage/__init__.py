"""Persistence: saved drafts (``drafts``) and Rasa's tracker store (``tracker_store``)."""
from bot.storage.drafts import DraftRecord, DraftStore, StorageUnavailable

# An action that erases a person's data returns SlotSet(ERASE_SLOT, True); Rasa's tracker
# store (tracker_store.SteadyTrackerStore) then deletes the conversation instead of saving
# it. The action server cannot reach Rasa's tracker, and rows deleted behind Rasa's back
# would be written again from the tracker Rasa holds in memory.
ERASE_SLOT = "erase_conversation"

__all__ = ["DraftRecord", "DraftStore", "StorageUnavailable", "ERASE_SLOT"]
