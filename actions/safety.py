"""Stepping out of the exercise for safety, coming back to it, and deleting everything."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import clear_reflection, draft_store, owner
from actions.reflection import DRAFT_BUTTONS
from bot.safety import crisis_message, safety_concern_message
from bot.storage import ERASE_SLOT, StorageUnavailable

logger = logging.getLogger(__name__)


class ActionPrepareSafetyMessage(Action):
    """Fill the safety responses with the resources of the configured locale.

    After signs of abuse the reflection is dropped: "When you …, I felt …" coaching
    assumes two equals who are safe with each other. After a crisis it is only paused,
    so the person can come back to it when they say so.
    """

    def name(self) -> Text:
        return "action_prepare_safety_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        # The cue names the pattern, never the person's words.
        logger.info("Safety response for intent %s (cue: %s)", intent,
                    tracker.latest_message.get("safety_cue", "model"))
        events = [
            SlotSet("crisis_support_text", crisis_message()),
            SlotSet("safety_concern_text", safety_concern_message()),
        ]
        if intent == "abuse":
            events = clear_reflection(tracker) + events
        return events


class ActionResumeReflection(Action):
    def name(self) -> Text:
        return "action_resume_reflection"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        if tracker.get_slot("draft_text"):
            dispatcher.utter_message(text="Your draft is still here:")
            dispatcher.utter_message(text=tracker.get_slot("draft_text"))
            dispatcher.utter_message(
                text="Would you like to save it, change the feeling, rewrite it or discard it?",
                buttons=DRAFT_BUTTONS,
            )
            return []
        if tracker.get_slot("situation"):
            dispatcher.utter_message(text="Okay, let's pick up where we were, gently.")
            return [FollowupAction("reflection_form")]
        dispatcher.utter_message(
            text="There's no exercise paused right now. Whenever you're ready, tell me what happened."
        )
        return []


class ActionDeleteAllData(Action):
    """Delete the person's drafts here, and have the tracker store erase the conversation."""

    def name(self) -> Text:
        return "action_delete_all_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        channel, user_id = owner(tracker)
        try:
            # Linked chats (web and Telegram) are one person: their conversations go too.
            linked = draft_store().linked_identities(channel, user_id)
            deleted = draft_store().delete_all(channel, user_id)
        except StorageUnavailable as error:
            logger.warning("Could not delete a person's data: storage unavailable (%s)", error)
            dispatcher.utter_message(
                text=(
                    "I couldn't reach my storage just now, so nothing was deleted yet. "
                    "Please say \"delete all my data\" again in a moment."
                )
            )
            return []
        drafts = "draft" if deleted == 1 else "drafts"
        dispatcher.utter_message(
            text=(
                f"Done. I've deleted your {deleted} saved {drafts}, our conversation history"
                f"{' (in every linked chat)' if len(linked) > 1 else ''} and your encryption key. "
                "Nothing of yours is kept here now. On a shared device, you may also want to "
                "close or clear this chat window."
            )
        )
        conversations = sorted({sender for _, sender in linked} | {user_id})
        return clear_reflection(tracker) + [SlotSet(ERASE_SLOT, conversations)]
