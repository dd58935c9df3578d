"""Reviewing saved drafts in chat: open, edit, mark as sent, archive, delete, export,
trigger patterns, and linking the web and Telegram identities of one person.

Thin adapters: which draft and which filter come from ``bot.review``; storage, encryption
and linking from ``bot.storage``.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import STORAGE_DOWN, StoreAction, clear_reflection, draft_store, owner
from bot.config import telegram_link
from bot.drafting import SKIPPED, compose_draft
from bot.language.draft_guard import observation_of
from bot.review import (
    PATTERN_WEEKS,
    draft_number,
    format_export,
    format_header,
    format_patterns,
    pattern_pointers,
    since,
)
from bot.storage import DraftRecord, StorageUnavailable
from bot.storage.drafts import LINK_CODE_MINUTES, LinkResult

logger = logging.getLogger(__name__)


def target_number(tracker: Tracker) -> Optional[int]:
    """The draft this message is about: named in it, else the one opened last."""
    named = draft_number(tracker.latest_message.get("text"))
    if named is not None:
        return named
    current = tracker.get_slot("current_draft")
    return int(float(current)) if current not in (None, "") else None


def load_saved(tracker: Tracker, draft: DraftRecord) -> List[Dict[Text, Any]]:
    """Put a saved draft back on the table: Save then updates it instead of adding one."""
    return clear_reflection(tracker) + [
        SlotSet("editing_draft", str(draft.number)),
        SlotSet("current_draft", str(draft.number)),
        SlotSet("trigger_type", draft.trigger_type or "other"),
        SlotSet("situation", draft.situation or ""),
        SlotSet("pause", SKIPPED),
        SlotSet("knows_better", SKIPPED),
        SlotSet("feeling", draft.feeling),
        SlotSet("fear", draft.fear or SKIPPED),
        SlotSet("need", draft.need or SKIPPED),
        SlotSet("request", draft.request or SKIPPED),
        SlotSet("observation", observation_of(draft.text or "") or SKIPPED),
        SlotSet("draft_text", draft.text),
    ]


def find_draft(
    dispatcher: CollectingDispatcher, tracker: Tracker, what: str
) -> Optional[DraftRecord]:
    """The person's draft this message is about, or None after telling them why not."""
    number = target_number(tracker)
    if number is None:
        dispatcher.utter_message(response="utter_which_draft", verb=what)
        return None
    channel, user_id = owner(tracker)
    draft = draft_store().get_draft(channel, user_id, number)
    if draft is None:
        dispatcher.utter_message(response="utter_no_such_draft", number=number)
    return draft


class ActionOpenDraft(StoreAction):
    def name(self) -> Text:
        return "action_open_draft"

    async def review(self, dispatcher, tracker, domain):
        draft = find_draft(dispatcher, tracker, "open")
        if draft is None:
            return []
        dispatcher.utter_message(text=format_header(draft))
        dispatcher.utter_message(text=draft.text)  # on its own, easy to copy
        dispatcher.utter_message(response="utter_draft_actions")
        return [SlotSet("current_draft", str(draft.number))]


class ActionEditDraft(StoreAction):
    """Edit a saved draft's text: the rewrite form, then the gentle check, then Save updates."""

    def name(self) -> Text:
        return "action_edit_draft"

    async def review(self, dispatcher, tracker, domain):
        if (
            tracker.get_slot("draft_text")
            and not tracker.get_slot("editing_draft")
            and draft_number(tracker.latest_message.get("text")) is None
        ):
            return [FollowupAction("action_rewrite_draft")]  # the unsaved draft on offer
        draft = find_draft(dispatcher, tracker, "edit")
        if draft is None:
            return []
        dispatcher.utter_message(response="utter_draft_reads", number=draft.number)
        dispatcher.utter_message(text=draft.text)
        return load_saved(tracker, draft) + [
            SlotSet("custom_draft", None),
            FollowupAction("rewrite_form"),
        ]


class ActionChangeSavedFeeling(StoreAction):
    """ "Change the feeling" of a saved draft: ask the feeling again, recompose, Save updates."""

    def name(self) -> Text:
        return "action_change_saved_feeling"

    async def review(self, dispatcher, tracker, domain):
        draft = find_draft(dispatcher, tracker, "change")
        if draft is None:
            return []
        composed = compose_draft(
            situation=draft.situation or "",
            feeling=draft.feeling or "upset",
            fear=draft.fear,
            need=draft.need,
            request=draft.request,
        )
        if not draft.situation or composed != draft.text:
            dispatcher.utter_message(response="utter_not_recomposed", number=draft.number)
            return [SlotSet("current_draft", str(draft.number))]
        return load_saved(tracker, draft) + [
            SlotSet("feeling", None),
            SlotSet("faux_feeling", None),
            SlotSet("draft_text", None),
            FollowupAction("reflection_form"),
        ]


class ActionSetDraftStatus(StoreAction):
    """Mark as sent, or archive: which one comes from the intent."""

    STATUS = {"mark_sent": ("sent", "mark as sent"), "archive_draft": ("archived", "archive")}

    def name(self) -> Text:
        return "action_set_draft_status"

    async def review(self, dispatcher, tracker, domain):
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        status, verb = self.STATUS.get(intent, self.STATUS["archive_draft"])
        draft = find_draft(dispatcher, tracker, verb)
        if draft is None:
            return []
        channel, user_id = owner(tracker)
        draft_store().update_draft(channel, user_id, draft.number, status=status)
        dispatcher.utter_message(
            response="utter_marked_sent" if status == "sent" else "utter_archived",
            number=draft.number,
        )
        return [SlotSet("current_draft", str(draft.number))]


class ActionAskDeleteDraft(StoreAction):
    def name(self) -> Text:
        return "action_ask_delete_draft"

    async def review(self, dispatcher, tracker, domain):
        draft = find_draft(dispatcher, tracker, "delete")
        if draft is None:
            return []
        dispatcher.utter_message(response="utter_confirm_delete_draft", number=draft.number)
        return [SlotSet("pending_delete", str(draft.number))]


class ActionDeleteDraft(StoreAction):
    def name(self) -> Text:
        return "action_delete_draft"

    async def review(self, dispatcher, tracker, domain):
        pending = tracker.get_slot("pending_delete")
        if not pending:
            dispatcher.utter_message(response="utter_nothing_to_delete")
            return []
        channel, user_id = owner(tracker)
        if draft_store().delete_draft(channel, user_id, int(pending)):
            dispatcher.utter_message(response="utter_draft_deleted", number=pending)
        else:
            dispatcher.utter_message(response="utter_draft_already_gone", number=pending)
        return [SlotSet("pending_delete", None), SlotSet("current_draft", None)]


class ActionKeepDraft(Action):
    def name(self) -> Text:
        return "action_keep_draft"

    async def run(self, dispatcher, tracker, domain):
        pending = tracker.get_slot("pending_delete")
        if pending:
            dispatcher.utter_message(response="utter_kept_draft", number=pending)
        else:
            dispatcher.utter_message(response="utter_nothing_deleted")
        return [SlotSet("pending_delete", None)]


class ActionExportDrafts(StoreAction):
    def name(self) -> Text:
        return "action_export_drafts"

    async def review(self, dispatcher, tracker, domain):
        channel, user_id = owner(tracker)
        drafts = draft_store().list_drafts(channel, user_id, limit=10_000)
        loved = draft_store().list_loved(channel, user_id)
        routines = draft_store().list_routines(channel, user_id)
        checkins = draft_store().list_checkins(channel, user_id)
        if not drafts and not loved and not routines and not checkins:
            dispatcher.utter_message(response="utter_nothing_to_export")
            return []
        if drafts:
            dispatcher.utter_message(response="utter_export_intro", count=len(drafts))
        else:  # only what helps them feel loved, or their routines
            dispatcher.utter_message(response="utter_export_intro_no_drafts")
        dispatcher.utter_message(
            text=format_export(drafts, loved=loved, routines=routines, checkins=checkins)
        )
        return []


class ActionTriggerPatterns(StoreAction):
    def name(self) -> Text:
        return "action_trigger_patterns"

    async def review(self, dispatcher, tracker, domain):
        channel, user_id = owner(tracker)
        counts = draft_store().trigger_counts(channel, user_id, since=since(PATTERN_WEEKS))
        dispatcher.utter_message(text=format_patterns(counts))
        for response in pattern_pointers(counts):  # a routine to try; a therapist, if often
            dispatcher.utter_message(response=response)
        return []


class ActionLinkAccount(StoreAction):
    def name(self) -> Text:
        return "action_link_account"

    async def review(self, dispatcher, tracker, domain):
        channel, user_id = owner(tracker)
        code = draft_store().create_link_code(channel, user_id)
        dispatcher.utter_message(response="utter_link_code", minutes=LINK_CODE_MINUTES)
        dispatcher.utter_message(text=code)
        link = telegram_link(code) if channel != "telegram" else None
        if link:
            dispatcher.utter_message(response="utter_telegram_link", link=link)
        dispatcher.utter_message(response="utter_offer_link_code")
        return []


#: What a redeemed link code did, as the person hears it (responses in domain.yml).
LINK_RESPONSES = {
    LinkResult.linked: "utter_linked",
    LinkResult.expired: "utter_link_code_expired",
    LinkResult.same_person: "utter_already_linked",
    LinkResult.paused: "utter_linking_paused",
}


class ValidateLinkForm(FormValidationAction):
    """Redeem the code typed; the form ends when linking worked or cannot work."""

    def name(self) -> Text:
        return "validate_link_form"

    async def run(self, dispatcher, tracker, domain):
        events = await super().run(dispatcher, tracker, domain)
        if tracker.get_slot("link_code") is None:
            dispatcher.utter_message(response="utter_type_link_code")
        return events

    def validate_link_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not value:
            return {"link_code": None}
        channel, user_id = owner(tracker)
        try:
            result = draft_store().redeem_link_code(channel, user_id, str(value))
        except StorageUnavailable:
            dispatcher.utter_message(response=STORAGE_DOWN)
            return {"link_code": "failed"}
        if result == LinkResult.wrong:
            dispatcher.utter_message(response="utter_link_code_wrong")
            return {"link_code": None}
        dispatcher.utter_message(response=LINK_RESPONSES[result], minutes=LINK_CODE_MINUTES)
        return {"link_code": result.value}


class ActionLinkFinished(Action):
    def name(self) -> Text:
        return "action_link_finished"

    async def run(self, dispatcher, tracker, domain):
        return [SlotSet("link_code", None)]
