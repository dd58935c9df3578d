"""Rasa's SQL tracker store, configured from the environment instead of YAML.

``endpoints.yml`` names this class, so the same file works on a laptop (a
SQLite file under ``STEADY_DATA_DIR``) and on a server
(``STEADY_TRACKER_STORE_URL=postgresql://…``) without editing YAML.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.plugins import speedups
from bot.storage import ERASE_SLOT

# This module is imported by the Rasa server (endpoints.yml names the class below).
speedups.install()




class SteadyTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        parsed = make_url(url or load_settings().tracker_store_url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=parsed.drivername,
            host=parsed.host,
            port=parsed.port,
            db=parsed.database or "",
            username=parsed.username,
            password=parsed.password,
            event_broker=event_broker,
            query=dict(parsed.query) or None,
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        erase = [event.value for event in tracker.events
                 if isinstance(event, SlotSet) and event.key == ERASE_SLOT and event.value]
        if erase:
            # True: this conversation; a list: these conversations (a person's linked chats).
            senders = {tracker.sender_id}
            for value in erase:
                if isinstance(value, list):
                    senders.update(str(sender) for sender in value)
            for sender in sorted(senders):
                self.erase(sender)
            return
        await super().save(tracker)

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many rows went."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(
                self.SQLEvent.sender_id == sender_id).delete(synchronize_session=False)
            session.commit()
        return deleted
