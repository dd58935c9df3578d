"""Routines we agree on (issue 18, part 3): show them with where each stands, describe one in
the person's own words (``routine_form``), offer it as a "Could we try …?" draft, and keep
where it stands as the person tells it ("we agreed on the lunch call").

Thin adapters: the kinds, the list, the message and the reading of what is told are
``bot.routines``; storage (sealed like drafts, exported, deleted with everything) is
``bot.storage``; the draft on offer goes through the same gentle check as every draft.
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
from bot.routines import (
    Routine,
    clean_example,
    format_routines,
    kind,
    kind_named,
    proposal,
    read_status,
    status_words,
    which,
)
from bot.storage import StorageUnavailable

logger = logging.getLogger(__name__)

ROUTINE = "routine"  # draft_kind of the message proposing a routine
# What the form steps aside for (domain.yml: routine_example's not_intent, and rules.yml).
STEPS_ASIDE = frozenset(
    {"stop", "start_over", "show_drafts", "help", "crisis", "abuse", "delete_all_data", "resume"}
)


async def _saved(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Routine]]:
    """The person's routines (in a worker thread: the store blocks), or None after saying the
    store cannot be reached (nothing is lost)."""
    channel, user_id = owner(tracker)
    try:
        rows = await asyncio.to_thread(draft_store().list_routines, channel, user_id)
    except StorageUnavailable as error:
        logger.warning("Could not read routines: storage unavailable (%s)", error)
        dispatcher.utter_message(response="utter_routines_unreadable")
        return None
    return [Routine(*row) for row in rows]


def _cleared(tracker: Tracker) -> List[Dict[Text, Any]]:
    return [
        SlotSet(name, None)
        for name in ("routine_kind", "routine_example")
        if tracker.get_slot(name) is not None
    ]


class ActionRoutines(Action):
    """ "Show my routines": the routines so far with where each stands (or what they are
    for), then the kinds to describe one."""

    def name(self) -> Text:
        return "action_routines"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        items = await _saved(dispatcher, tracker)
        if items:
            dispatcher.utter_message(response="utter_routines_yours")
            dispatcher.utter_message(text=format_routines(items))
            dispatcher.utter_message(response="utter_routines_how_to_update")
        elif items is not None:
            dispatcher.utter_message(response="utter_routines_intro")
        dispatcher.utter_message(response="utter_routines_menu")
        return _cleared(tracker)


class ValidateRoutineForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_routine_form"

    async def extract_routine_kind(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A kind's name typed instead of pressed ("date night") while the form asks for one;
        otherwise the question is asked again, unless the message is for something else
        (stop, crisis …): then the form steps aside for it."""
        if tracker.get_slot("routine_kind") or tracker.get_slot("requested_slot") != (
            "routine_kind"
        ):
            return {}
        named = kind_named(tracker.latest_message.get("text"))
        if named is not None:
            return {"routine_kind": named.name}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return {} if intent in STEPS_ASIDE else {"routine_kind": None}

    def validate_routine_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {"routine_kind": value if kind(value) else None}

    def validate_routine_example(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        example = "" if str(value or "").startswith("/") else clean_example(value)
        if not example:
            dispatcher.utter_message(response="utter_routine_example_empty")
            return {"routine_example": None}
        return {"routine_example": example}


class ActionSaveRoutine(Action):
    """The form is done: keep the routine as an idea (sealed), then offer the "Could we try
    …?" message as a draft, gentle-checked like every draft."""

    def name(self) -> Text:
        return "action_save_routine"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        name, example = tracker.get_slot("routine_kind"), tracker.get_slot("routine_example")
        done = _cleared(tracker)
        if not kind(name) or not example:
            return done
        channel, user_id = owner(tracker)
        try:
            await asyncio.to_thread(draft_store().save_routine, channel, user_id, name, example)
        except StorageUnavailable as error:
            logger.warning("Could not keep a routine: storage unavailable (%s)", error)
            dispatcher.utter_message(response="utter_routine_save_failed")
            dispatcher.utter_message(text=example)
            return done
        dispatcher.utter_message(response="utter_routine_kept")
        message = await asyncio.to_thread(proposal, name, example)
        events = done + clear_reflection(tracker) + [SlotSet("draft_kind", ROUTINE)]
        return events + await offer_draft(
            dispatcher, tracker, message, "utter_routine_draft", no_feeling=True
        )


class ActionRoutineStatus(Action):
    """ "We agreed on the lunch call", "pause routine 2": where one routine stands now."""

    def name(self) -> Text:
        return "action_routine_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        status = read_status(text)
        items = await _saved(dispatcher, tracker)
        if items is None:
            return []
        if not items:
            dispatcher.utter_message(response="utter_routines_none_yet")
            dispatcher.utter_message(response="utter_routines_menu")
            return []
        chosen = which(text, items)
        if status is None or chosen is None:
            dispatcher.utter_message(response="utter_routine_status_unclear")
            dispatcher.utter_message(text=format_routines(items))
            return []
        channel, user_id = owner(tracker)
        try:
            await asyncio.to_thread(
                draft_store().set_routine_status, channel, user_id, chosen.kind, status
            )
        except StorageUnavailable as error:
            logger.warning("Could not keep a routine's status: storage unavailable (%s)", error)
            dispatcher.utter_message(response="utter_routines_unreadable")
            return []
        known = kind(chosen.kind)
        label = known.label if known else chosen.kind
        dispatcher.utter_message(
            response="utter_routine_status_set", routine=label, status=status_words(status)
        )
        return []
