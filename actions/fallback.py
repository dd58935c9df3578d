"""Steady's answer when it could not place a message: specific and kind, and it forgets the turn."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.textcheck import reply_for


class ActionDefaultFallback(Action):
    def name(self) -> Text:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=reply_for(tracker.latest_message.get("text")))
        # Forget the unplaced turn so it cannot derail the rules that come after it.
        return [UserUtteranceReverted()]
