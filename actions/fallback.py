"""Steady's answer when it could not place a message: specific and kind, and it forgets the turn.

Except for a message that carried a safety cue (the person said "no" to a check-in and the
message came back here): that one is never forgotten, and never answered "I'm not sure I
followed".
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.textcheck import reply_for

#: Set on a message handed back after a "no" to a check-in (actions/safety.py).
CHECKED = "safety_checked"


class ActionDefaultFallback(Action):
    def name(self) -> Text:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        if latest.get(CHECKED) or latest.get("safety"):
            dispatcher.utter_message(response="utter_tell_me_more")
            return []
        dispatcher.utter_message(text=reply_for(latest.get("text")))
        # Forget the unplaced turn so it cannot derail the rules that come after it.
        return [UserUtteranceReverted()]
