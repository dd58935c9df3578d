"""Persistence: saved drafts (``drafts``) and Rasa's tracker store (``tracker_store``)."""
from bot.storage.drafts import DraftRecord, DraftStore, StorageUnavailable

__all__ = ["DraftRecord", "DraftStore", "StorageUnavailable"]
