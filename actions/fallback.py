"""Steady's answer when it could not place a message: specific and kind, and it forgets the turn.

Except for a message that carried a safety cue (the person said "no" to a check-in and the
message came back here): that one is never forgotten, and never answered "I'm not sure I
followed". Nor is an answer to a check-in the rules could not place ("I'm ready", a button
from an earlier step): anything but a plain no is taken as a yes, as ``action_check_in_answer``
does for an unclear answer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.textcheck import response_for

#: Set on a message handed back after a "no" to a check-in (actions/safety.py).
CHECKED = "safety_checked"
CHECK_INS = ("utter_crisis_check_in", "utter_abuse_check_in")


def answers_a_check_in(tracker: Tracker) -> bool:
    """The latest message answers a check-in: the bot's last action before it asked one."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif (
            seen_user
            and event.get("event") == "action"
            and event.get("name") not in ("action_listen", None)
        ):
            return event.get("name") in CHECK_INS
    return False


class ActionDefaultFallback(Action):
    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        if answers_a_check_in(tracker):
            return [FollowupAction("action_check_in_answer")]
        if latest.get(CHECKED) or latest.get("safety"):
            dispatcher.utter_message(response="utter_tell_me_more")
            return []
        dispatcher.utter_message(response=response_for(latest.get("text")))
        # Forget the unplaced turn so it cannot derail the rules that come after it.
        return [UserUtteranceReverted()]
