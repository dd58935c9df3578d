"""Stepping out of the exercise for safety, asking directly when unsure, and deleting everything.

``action_safety`` runs whenever the NLU says ``crisis`` or ``abuse`` (the safety layer in
``bot.plugins.safety_rules`` decides that on every message). It closes any form and sets
``safety_step``, on which the rules (``data/stories/rules.yml``) branch:

* clear risk: ``crisis`` / ``abuse``, the full response (``utter_crisis_support`` /
  ``utter_safety_concern`` with the locale's resources). After signs of abuse the reflection
  is dropped: "When you …, I felt …" coaching assumes two equals who are safe with each
  other. After a crisis it is only paused, so the person can come back when they say so.
* possible risk: ``check_in_crisis`` / ``check_in_abuse``, a direct, kind question
  (``utter_crisis_check_in`` / ``utter_abuse_check_in``); asking about suicide does not raise
  the risk. The message is kept in ``pending_check_in``.

``action_check_in_answer`` takes the answer: "yes", or anything unclear, gets the full
response; "no" returns the person to where they were, with their message handled as it would
have been: back into the form step they were answering, or the message again as the
classifier read it, or (if the classifier could not place it) a kind request for a few words.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, FollowupAction, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import clear_reflection, draft_store, owner
from actions.fallback import CHECKED
from bot.safety import crisis_message, safety_concern_message
from bot.storage import ERASE_SLOT, StorageUnavailable

logger = logging.getLogger(__name__)

PENDING = "pending_check_in"
STEP = "safety_step"
_RISKS = ("crisis", "abuse")
_FALLBACK = "nlu_fallback"


def _safety(tracker: Tracker) -> Dict[str, Any]:
    """The latest message's safety reading; a bare ``/crisis`` payload counts as clear."""
    latest = tracker.latest_message or {}
    reading = dict(latest.get("safety") or {})
    intent = (latest.get("intent") or {}).get("name")
    if reading.get("risk") not in _RISKS:
        reading["risk"] = intent if intent in _RISKS else "crisis"
    if reading.get("tier") not in ("clear", "possible"):
        reading["tier"] = "clear"
    return reading


def full_response(tracker: Tracker, risk: str) -> List[Dict[Text, Any]]:
    """Events for the crisis or abuse response with this locale's resources."""
    events: List[Dict[Text, Any]] = [
        SlotSet("crisis_support_text", crisis_message()),
        SlotSet("safety_concern_text", safety_concern_message()),
        SlotSet(STEP, risk),
    ]
    if risk == "abuse":
        events = clear_reflection(tracker) + events
    if tracker.get_slot(PENDING) is not None:
        events.append(SlotSet(PENDING, None))
    return events


class ActionSafety(Action):
    def name(self) -> Text:
        return "action_safety"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        reading = _safety(tracker)
        risk, tier = reading["risk"], reading["tier"]
        # The cue names the pattern, never the person's words.
        logger.info("Safety %s (%s, cue: %s)", risk, tier, reading.get("cue", "model"))
        closed: List[Dict[Text, Any]] = []
        if tracker.active_loop_name:
            closed = [ActiveLoop(None), SlotSet("requested_slot", None)]
        if tier == "clear":
            return closed + full_response(tracker, risk)
        latest = tracker.latest_message or {}
        pending = {
            "risk": risk,
            "text": latest.get("text") or "",
            "intent": reading.get("intent") or {"name": _FALLBACK, "confidence": 0.0},
            "entities": latest.get("entities") or [],
            "cue": reading.get("cue", ""),
            "loop": tracker.active_loop_name,
            "requested_slot": tracker.get_slot("requested_slot") if closed else None,
        }
        return closed + [SlotSet(PENDING, pending), SlotSet(STEP, f"check_in_{risk}")]


class ActionCheckInAnswer(Action):
    def name(self) -> Text:
        return "action_check_in_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        pending: Optional[Dict[str, Any]] = tracker.get_slot(PENDING)
        answer = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if not pending:
            return [SlotSet(STEP, "tell_me_more")]
        risk = pending["risk"] if pending.get("risk") in _RISKS else "crisis"
        if answer != "deny":
            logger.info("Check-in answered: not a no (%s)", risk)
            return full_response(tracker, risk)
        logger.info("Check-in answered: no (%s)", risk)
        events: List[Dict[Text, Any]] = [SlotSet(PENDING, None)]
        text = pending.get("text") or ""
        loop, slot = pending.get("loop"), pending.get("requested_slot")
        if loop and slot:
            # Back into the step they were answering, their words as the answer.
            return events + [SlotSet(STEP, "resume"), SlotSet(slot, text), FollowupAction(loop)]
        intent = dict(pending.get("intent") or {})
        if intent.get("name") in (None, _FALLBACK):
            return events + [SlotSet(STEP, "tell_me_more")]
        # The message again, as the classifier read it, as if just sent.
        parse = {
            "text": text,
            "intent": intent,
            "intent_ranking": [intent],
            "entities": pending.get("entities") or [],
            CHECKED: pending.get("cue") or "checked",
        }
        return events + [
            SlotSet(STEP, "resume"),
            ActionExecuted("action_listen"),
            UserUttered(text, parse_data=parse, input_channel=tracker.get_latest_input_channel()),
        ]


class ActionResumeReflection(Action):
    def name(self) -> Text:
        return "action_resume_reflection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if tracker.get_slot("draft_text"):
            dispatcher.utter_message(response="utter_draft_still_here")
            dispatcher.utter_message(text=tracker.get_slot("draft_text"))
            dispatcher.utter_message(response="utter_draft_still_choices")
            return []
        if tracker.get_slot("situation"):
            dispatcher.utter_message(response="utter_pick_up_gently")
            # in the moment, "later" (bot/moment.py): now it is later, the rest is asked
            going_on = (
                [SlotSet("moment_choice", "now")]
                if tracker.get_slot("moment_choice") == "later"
                else []
            )
            return going_on + [FollowupAction("reflection_form")]
        dispatcher.utter_message(response="utter_nothing_paused")
        return []


# The custom payload that tells the web chat client the person's data is gone.
DATA_DELETED = {"steady": "data_deleted"}


#: (one draft?, linked chats?) -> what "delete all my data" says when done: one whole
#: sentence for each plural form and for linked chats, so each reads (and translates) whole.
ALL_DELETED = {
    (True, False): "utter_all_deleted_one",
    (False, False): "utter_all_deleted_other",
    (True, True): "utter_all_deleted_one_linked",
    (False, True): "utter_all_deleted_other_linked",
}


def _delete_everything(channel: str, user_id: str) -> tuple[list, int]:
    """The person's linked chats (web and Telegram are one person), then their drafts gone."""
    linked = draft_store().linked_identities(channel, user_id)
    return linked, draft_store().delete_all(channel, user_id)


class ActionDeleteAllData(Action):
    """Delete the person's drafts here, and have the tracker store erase the conversation."""

    def name(self) -> Text:
        return "action_delete_all_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        channel, user_id = owner(tracker)
        try:
            # Linked chats (web and Telegram) are one person: their conversations go too.
            # In a worker thread (SQLAlchemy): a slow database holds up no one else's reply.
            linked, deleted = await asyncio.to_thread(_delete_everything, channel, user_id)
        except StorageUnavailable as error:
            logger.warning("Could not delete a person's data: storage unavailable (%s)", error)
            dispatcher.utter_message(response="utter_delete_failed")
            return []
        # The web chat client wipes its own copy (storage and screen) and starts a new
        # session on this machine-readable signal (bot/channels/webchat.py); other channels
        # get the text alone.
        device = {"json_message": dict(DATA_DELETED)} if channel == "webchat" else {}
        dispatcher.utter_message(
            response=ALL_DELETED[deleted == 1, len(linked) > 1], count=deleted, **device
        )
        conversations = sorted({sender for _, sender in linked} | {user_id})
        return clear_reflection(tracker) + [SlotSet(ERASE_SLOT, conversations)]
