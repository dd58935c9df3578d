"""What helps me feel loved (issue 18, part 2): show or start the list, add one kind with the
person's own example (``loved_form``), share it as a draft.

Thin adapters: the kinds, the list and the message are ``bot.loved``; storage (sealed like
drafts, exported, deleted with everything) is ``bot.storage``; the draft on offer goes
through the same gentle check as every draft (``offer_draft``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import clear_reflection, draft_store, owner
from actions.reflection import offer_draft
from bot.loved import clean_example, format_list, kind, share_message
from bot.storage import StorageUnavailable

logger = logging.getLogger(__name__)

LOVED = "loved"  # draft_kind of the message that shares the list
# What the form steps aside for (domain.yml: loved_example's not_intent, and rules.yml).
STEPS_ASIDE = frozenset(
    {"stop", "start_over", "show_drafts", "help", "crisis", "abuse", "delete_all_data", "resume"}
)


async def _saved(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[tuple]]:
    """The person's list (in a worker thread: the store blocks), or None after saying the
    store cannot be reached (nothing is lost)."""
    channel, user_id = owner(tracker)
    try:
        return await asyncio.to_thread(draft_store().list_loved, channel, user_id)
    except StorageUnavailable as error:
        logger.warning("Could not read a loved list: storage unavailable (%s)", error)
        dispatcher.utter_message(response="utter_loved_unreadable")
        return None


def _cleared(tracker: Tracker) -> List[Dict[Text, Any]]:
    """The form's slots emptied, with no event for one already empty (each event stays in
    the conversation Rasa replays)."""
    return [
        SlotSet(name, None)
        for name in ("loved_kind", "loved_example")
        if tracker.get_slot(name) is not None
    ]


class ActionFeelLoved(Action):
    """ "What helps me feel loved": the list so far (or what it is for), then the kinds."""

    def name(self) -> Text:
        return "action_feel_loved"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        items = await _saved(dispatcher, tracker) or []
        if items:
            dispatcher.utter_message(response="utter_loved_yours")
            dispatcher.utter_message(text=format_list(items))
        else:
            dispatcher.utter_message(response="utter_loved_intro")
        dispatcher.utter_message(response="utter_loved_menu")
        if items:
            dispatcher.utter_message(response="utter_loved_share_offer")
        return _cleared(tracker)


class ValidateLovedForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_loved_form"

    async def extract_loved_kind(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Asked for a kind and given none, the question is asked again, unless the message is
        for something else (stop, crisis …): then the form steps aside for it. (A kind typed
        instead of pressed, "quality time", arrives as the button's entity: the NLU reads it,
        bot/plugins/plain_answers.py.)"""
        if tracker.get_slot("loved_kind"):
            return {}
        asked = tracker.get_slot("requested_slot") == "loved_kind"
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return {"loved_kind": None} if asked and intent not in STEPS_ASIDE else {}

    def validate_loved_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {"loved_kind": value if kind(value) else None}

    def validate_loved_example(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        example = "" if str(value or "").startswith("/") else clean_example(value)
        if not example:
            dispatcher.utter_message(response="utter_loved_example_empty")
            return {"loved_example": None}
        return {"loved_example": example}


class ActionSaveLoved(Action):
    """The form is done: keep the example (sealed), show the list, offer what comes next."""

    def name(self) -> Text:
        return "action_save_loved"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        name, example = tracker.get_slot("loved_kind"), tracker.get_slot("loved_example")
        done = _cleared(tracker)
        if not kind(name) or not example:
            return done
        channel, user_id = owner(tracker)
        store = draft_store()
        try:
            await asyncio.to_thread(store.save_loved, channel, user_id, name, example)
            items = await asyncio.to_thread(store.list_loved, channel, user_id)
        except StorageUnavailable as error:
            logger.warning("Could not keep a loved example: storage unavailable (%s)", error)
            dispatcher.utter_message(response="utter_loved_save_failed")
            dispatcher.utter_message(text=format_list([(name, example)]))
            return done
        dispatcher.utter_message(response="utter_loved_yours")
        dispatcher.utter_message(text=format_list(items))
        dispatcher.utter_message(response="utter_loved_saved")
        return done


class ActionShareLoved(Action):
    """The list as a message to the partner, offered like every draft (gentle check first)."""

    def name(self) -> Text:
        return "action_share_loved"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        items = await _saved(dispatcher, tracker)
        if items is None:
            return []
        if not items:
            dispatcher.utter_message(response="utter_loved_nothing_to_share")
            dispatcher.utter_message(response="utter_loved_menu")
            return []
        message = await asyncio.to_thread(share_message, items)
        events = clear_reflection(tracker) + [SlotSet("draft_kind", LOVED)]
        return events + await offer_draft(
            dispatcher, tracker, message, "utter_loved_draft", no_feeling=True
        )
