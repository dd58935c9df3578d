"""Check-ins that come back (issue 18, part 5): opt-in, off by default, easy to stop.

"remind me about this draft tomorrow evening" keeps a reminder about that draft; "check in
with me every week" the weekly question. The person's time zone is asked once
(``checkin_form``); "stop check-ins" ends them all and "show my check-ins" lists them.

Thin adapters: reading times and zones, the hours and the sentences are ``bot.checkins``;
storage (and the claim that makes each one arrive once) is ``bot.storage.checkins``; the
channels deliver them (``bot.channels.checkins``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import StoreAction, draft_store, owner
from bot.checkins import (
    DRAFT,
    WEEKLY,
    When,
    describe,
    describe_weekly,
    due_time,
    format_checkins,
    named_draft,
    next_weekly,
    parse_when,
    read_weekly,
    read_zone,
    settings,
    zone,
)
from bot.storage import StorageUnavailable

logger = logging.getLogger(__name__)

SLOTS = ("checkin_kind", "checkin_draft", "checkin_zone", "checkin_when", "checkin_asked")


def _cleared(tracker: Tracker) -> List[Dict[Text, Any]]:
    return [SlotSet(name, None) for name in SLOTS if tracker.get_slot(name) is not None]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _when_slot(when: When) -> str:
    return f"{when.at.isoformat()}|{int(when.exact)}"


def _when_of(value: Optional[str]) -> Optional[When]:
    try:
        at, exact = str(value).rsplit("|", 1)
        return When(datetime.fromisoformat(at), exact == "1")
    except (TypeError, ValueError):
        return None


def _storage_down(dispatcher: CollectingDispatcher, error: Exception) -> None:
    logger.warning("Check-ins: storage unavailable (%s)", error)
    dispatcher.utter_message(response="utter_checkins_unreachable")


class ActionPrepareCheckin(Action):
    """A reminder or the weekly question asked for: what the message already says (which
    draft, when) and the person's zone if they gave it before; ``checkin_form`` asks for the
    rest."""

    def name(self) -> Text:
        return "action_prepare_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        kind = WEEKLY if intent == "weekly_checkin" else DRAFT
        channel, user_id = owner(tracker)
        store = draft_store()
        try:
            known = await asyncio.to_thread(store.checkin_settings, channel, user_id)
            number = None
            if kind == DRAFT:
                number = named_draft(text)
                if number is None and tracker.get_slot("current_draft"):
                    number = int(float(tracker.get_slot("current_draft")))
                if number is None:  # the newest, as a rule the one just saved
                    newest = await asyncio.to_thread(store.list_drafts, channel, user_id, 1)
                    number = newest[0].number if newest else None
                if number is None:
                    dispatcher.utter_message(response="utter_checkin_no_drafts")
                    return _cleared(tracker)
                found = await asyncio.to_thread(store.get_draft, channel, user_id, number)
                if found is None:
                    dispatcher.utter_message(response="utter_checkin_no_such_draft", number=number)
                    return _cleared(tracker)
        except StorageUnavailable as error:
            _storage_down(dispatcher, error)
            return _cleared(tracker)
        events = _cleared(tracker) + [
            SlotSet("checkin_kind", kind),
            SlotSet("checkin_draft", None if number is None else str(number)),
            SlotSet("checkin_asked", text[:300]),
        ]
        if known:
            events.append(SlotSet("checkin_zone", known[0]))
            when = _parsed(text, known[0]) if kind == DRAFT else None
            if when is not None:
                events.append(SlotSet("checkin_when", _when_slot(when)))
        return events


def _parsed(text: Optional[str], zone_name: Optional[str]) -> Optional[When]:
    return parse_when(text, _now().astimezone(zone(zone_name)))


class ValidateCheckinForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_checkin_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """The zone (asked only when not known: action_prepare_checkin fills it), a time
        only for a reminder; nothing when the request was turned down (no drafts). Every
        slot the form needs is listed, filled or not: the SDK validates only those."""
        kind = tracker.get_slot("checkin_kind")
        if not kind:
            return []
        return ["checkin_zone", "checkin_when"] if kind == DRAFT else ["checkin_zone"]

    def validate_checkin_zone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        name = read_zone(str(value or ""), _now()) if not str(value).startswith("/") else None
        if name is None:
            dispatcher.utter_message(response="utter_checkin_zone_unclear")
            return {"checkin_zone": None}
        slots: Dict[Text, Any] = {"checkin_zone": name}
        if tracker.get_slot("checkin_kind") == DRAFT and not tracker.get_slot("checkin_when"):
            when = _parsed(tracker.get_slot("checkin_asked"), name)
            if when is not None:  # "tomorrow evening" was in the request itself
                slots["checkin_when"] = _when_slot(when)
        return slots

    def validate_checkin_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if _when_of(value) is not None:
            return {"checkin_when": value}
        when = _parsed(str(value or ""), tracker.get_slot("checkin_zone"))
        if when is None:
            dispatcher.utter_message(response="utter_checkin_when_unclear")
            return {"checkin_when": None}
        return {"checkin_when": _when_slot(when)}


class ActionSaveCheckin(Action):
    """The form is done: keep the check-in (and the zone, the first time) and say when it
    comes, in the person's own time."""

    def name(self) -> Text:
        return "action_save_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        kind, zone_name = tracker.get_slot("checkin_kind"), tracker.get_slot("checkin_zone")
        done = _cleared(tracker)
        if kind not in (DRAFT, WEEKLY) or not zone_name:
            return done
        channel, user_id = owner(tracker)
        store = draft_store()
        quiet = settings().quiet_hours
        local_now = _now().astimezone(zone(zone_name))
        try:
            known = await asyncio.to_thread(store.checkin_settings, channel, user_id)
            if known is None or known[0] != zone_name:
                await asyncio.to_thread(
                    store.set_checkin_settings, channel, user_id, zone_name, quiet
                )
            else:
                quiet = (known[1], known[2])
            if kind == WEEKLY:
                weekday, hour = read_weekly(tracker.get_slot("checkin_asked"))
                due = next_weekly(local_now, weekday, hour, quiet)
                await asyncio.to_thread(store.add_checkin, channel, user_id, WEEKLY, due)
                dispatcher.utter_message(
                    response="utter_checkin_weekly_set",
                    when=describe_weekly(due.weekday(), due.hour),
                    first=describe(due, local_now),
                )
                return done
            when = _when_of(tracker.get_slot("checkin_when"))
            number = int(float(tracker.get_slot("checkin_draft") or 0))
            if when is None or not number:
                return done
            due = due_time(when, quiet)
            await asyncio.to_thread(store.add_checkin, channel, user_id, DRAFT, due, number)
        except StorageUnavailable as error:
            _storage_down(dispatcher, error)
            return done
        dispatcher.utter_message(
            response="utter_checkin_reminder_set", number=number, when=describe(due, local_now)
        )
        if due != when.at:
            dispatcher.utter_message(
                response="utter_checkin_quiet_hours", start=quiet[0], end=quiet[1]
            )
        return done


class ActionStopCheckins(StoreAction):
    storage_down = "utter_checkins_unreachable"

    def name(self) -> Text:
        return "action_stop_checkins"

    async def review(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        count = draft_store().stop_checkins(*owner(tracker))
        if count:
            dispatcher.utter_message(response="utter_checkins_stopped", count=count)
        else:
            dispatcher.utter_message(response="utter_checkins_none")
        return _cleared(tracker)


class ActionShowCheckins(StoreAction):
    storage_down = "utter_checkins_unreachable"

    def name(self) -> Text:
        return "action_show_checkins"

    async def review(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        records = draft_store().list_checkins(*owner(tracker))
        if not records:
            dispatcher.utter_message(response="utter_checkins_none")
            return []
        dispatcher.utter_message(response="utter_checkins_list_intro")
        dispatcher.utter_message(text=format_checkins(records, _now()))
        return []
