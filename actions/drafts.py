"""Saving, discarding and listing drafts. Storage itself lives in ``bot.storage``."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import clear_reflection, draft_store, given, owner
from bot.storage import DraftRecord, StorageUnavailable
from bot.triggers import label

logger = logging.getLogger(__name__)

PREVIEW_CHARS = 160


class ActionSaveDraft(Action):
    def name(self) -> Text:
        return "action_save_draft"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        text = given(tracker.get_slot("draft_text"))
        if text is None:
            dispatcher.utter_message(
                text=(
                    "There's no draft waiting to be saved. Tell me what happened to make one, "
                    "or say \"show my drafts\" to see the ones you kept."
                )
            )
            return []
        channel, user_id = owner(tracker)
        try:
            saved = draft_store().save_draft(
                channel, user_id, text=text,
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
            dispatcher.utter_message(
                text=(
                    "I couldn't reach my storage just now, so this draft isn't saved yet. It's "
                    "still here: say \"save\" again in a moment."
                )
            )
            return []
        dispatcher.utter_message(
            text=(
                f"Saved as draft #{saved.number}. Come back to it when you're calmer: say "
                f"\"show my drafts\". Whether and when to send it is up to you."
            )
        )
        return clear_reflection()


class ActionDiscardDraft(Action):
    def name(self) -> Text:
        return "action_discard_draft"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        if tracker.get_slot("draft_text"):
            dispatcher.utter_message(text="Okay, I've let that one go. Nothing was saved.")
        else:
            dispatcher.utter_message(text="There's no unsaved draft to discard. Your saved drafts are untouched.")
        return clear_reflection()


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"


def format_drafts(drafts: list[DraftRecord]) -> str:
    """The list a person reads: their own numbers, newest first, short enough for a phone."""
    lines = ["Your drafts, newest first:"]
    for draft in drafts:
        when = draft.created_at.strftime("%d %b")
        lines.append(f"#{draft.number} · {when} · {label(draft.trigger_type)} · {draft.status}")
        lines.append(f"  {_preview(draft.text)}")
    return "\n".join(lines)


class ActionShowDrafts(Action):
    def name(self) -> Text:
        return "action_show_drafts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        channel, user_id = owner(tracker)
        try:
            drafts = draft_store().list_drafts(channel, user_id)
        except StorageUnavailable as error:
            logger.warning("Could not list drafts: storage unavailable (%s)", error)
            dispatcher.utter_message(
                text="I can't reach your saved drafts right now. They're safe; try again in a moment."
            )
            return []
        if not drafts:
            dispatcher.utter_message(
                text="You haven't saved any drafts yet. When we make one together, say \"save\" to keep it."
            )
        else:
            dispatcher.utter_message(text=format_drafts(drafts))
        return []
