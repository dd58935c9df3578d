"""Saving, discarding and listing drafts. Storage itself lives in ``bot.storage``."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import StoreAction, clear_reflection, draft_store, given, owner
from bot.review import draft_filter, draft_number, format_list
from bot.storage import StorageUnavailable

logger = logging.getLogger(__name__)


class ActionSaveDraft(Action):
    def name(self) -> Text:
        return "action_save_draft"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        text = given(tracker.get_slot("draft_text"))
        if text is None:
            dispatcher.utter_message(response="utter_nothing_to_save")
            return []
        channel, user_id = owner(tracker)
        editing = given(tracker.get_slot("editing_draft"))
        try:
            # The store blocks (SQLAlchemy, Fernet): in a worker thread, so one slow database
            # call never holds up another person's reply on this server.
            if editing is not None:
                updated = await asyncio.to_thread(
                    draft_store().update_draft,
                    channel,
                    user_id,
                    int(float(editing)),
                    text=text,
                    feeling=given(tracker.get_slot("feeling")),
                )
                if updated is not None:
                    dispatcher.utter_message(response="utter_draft_updated", number=updated.number)
                    return clear_reflection(tracker) + [
                        SlotSet("current_draft", str(updated.number))
                    ]
            saved = await asyncio.to_thread(
                draft_store().save_draft,
                channel,
                user_id,
                text=text,
                trigger_type=tracker.get_slot("trigger_type"),
                situation=tracker.get_slot("situation"),
                feeling=given(tracker.get_slot("feeling")),
                fear=given(tracker.get_slot("fear")),
                need=given(tracker.get_slot("need")),
                request=given(tracker.get_slot("request")),
            )
        except StorageUnavailable as error:
            logger.warning("Could not save a draft: storage unavailable (%s)", error)
            # The draft stays in the conversation, so "save" can simply be said again.
            dispatcher.utter_message(response="utter_save_failed")
            return []
        dispatcher.utter_message(response="utter_draft_saved", number=saved.number)
        return clear_reflection(tracker)


class ActionDiscardDraft(Action):
    def name(self) -> Text:
        return "action_discard_draft"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if not tracker.get_slot("draft_text") and draft_number(tracker.latest_message.get("text")):
            return [
                FollowupAction("action_ask_delete_draft")
            ]  # "delete the 4th draft": a saved one
        if tracker.get_slot("draft_text"):
            dispatcher.utter_message(response="utter_draft_discarded")
        else:
            dispatcher.utter_message(response="utter_nothing_to_discard")
        return clear_reflection(tracker)


class ActionShowDrafts(StoreAction):
    def name(self) -> Text:
        return "action_show_drafts"

    async def review(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        channel, user_id = owner(tracker)
        status, trigger = draft_filter(tracker.latest_message.get("text"))
        drafts = draft_store().list_drafts(channel, user_id, status=status, trigger_type=trigger)
        dispatcher.utter_message(text=format_list(drafts, status, trigger))
        return []
