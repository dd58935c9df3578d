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
    PATTERN_WEEKS, draft_number, format_export, format_header, format_patterns, since,
)
from bot.storage import DraftRecord, StorageUnavailable
from bot.storage.drafts import LINK_CODE_MINUTES, LinkResult

logger = logging.getLogger(__name__)


def draft_buttons() -> List[Dict[str, str]]:
    return [
        {"title": "Edit the text", "payload": "/edit_draft"},
        {"title": "Change the feeling", "payload": "/change_feeling"},
        {"title": "Mark as sent", "payload": "/mark_sent"},
        {"title": "Archive", "payload": "/archive_draft"},
        {"title": "Delete", "payload": "/delete_draft"},
    ]


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
        SlotSet("editing_draft", str(draft.number)), SlotSet("current_draft", str(draft.number)),
        SlotSet("trigger_type", draft.trigger_type or "other"),
        SlotSet("situation", draft.situation or ""),
        SlotSet("pause", SKIPPED), SlotSet("knows_better", SKIPPED),
        SlotSet("feeling", draft.feeling), SlotSet("fear", draft.fear or SKIPPED),
        SlotSet("need", draft.need or SKIPPED), SlotSet("request", draft.request or SKIPPED),
        SlotSet("observation", observation_of(draft.text or "") or SKIPPED),
        SlotSet("draft_text", draft.text),
    ]


def find_draft(dispatcher: CollectingDispatcher, tracker: Tracker,
               what: str) -> Optional[DraftRecord]:
    """The person's draft this message is about, or None after telling them why not."""
    number = target_number(tracker)
    if number is None:
        dispatcher.utter_message(
            text=f'Which draft would you like to {what}? Say it with its number, like "{what} 2". '
                 '"show my drafts" lists them.')
        return None
    channel, user_id = owner(tracker)
    draft = draft_store().get_draft(channel, user_id, number)
    if draft is None:
        dispatcher.utter_message(
            text=f'You don\'t have a draft #{number}. Say "show my drafts" to see their numbers.')
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
        dispatcher.utter_message(text="What would you like to do with it?",
                                 buttons=draft_buttons())
        return [SlotSet("current_draft", str(draft.number))]


class ActionEditDraft(StoreAction):
    """Edit a saved draft's text: the rewrite form, then the gentle check, then Save updates."""

    def name(self) -> Text:
        return "action_edit_draft"

    async def review(self, dispatcher, tracker, domain):
        if tracker.get_slot("draft_text") and not tracker.get_slot("editing_draft") \
                and draft_number(tracker.latest_message.get("text")) is None:
            return [FollowupAction("action_rewrite_draft")]  # the unsaved draft on offer
        draft = find_draft(dispatcher, tracker, "edit")
        if draft is None:
            return []
        dispatcher.utter_message(text=f"Draft #{draft.number} reads:")
        dispatcher.utter_message(text=draft.text)
        return load_saved(tracker, draft) + [SlotSet("custom_draft", None), FollowupAction("rewrite_form")]


class ActionChangeSavedFeeling(StoreAction):
    """"Change the feeling" of a saved draft: ask the feeling again, recompose, Save updates."""

    def name(self) -> Text:
        return "action_change_saved_feeling"

    async def review(self, dispatcher, tracker, domain):
        draft = find_draft(dispatcher, tracker, "change")
        if draft is None:
            return []
        composed = compose_draft(situation=draft.situation or "", feeling=draft.feeling or "upset",
                                 fear=draft.fear, need=draft.need, request=draft.request)
        if not draft.situation or composed != draft.text:
            dispatcher.utter_message(
                text=f"Draft #{draft.number} is in your own words, so I won't recompose it. Say "
                     f'"edit draft {draft.number}" to change the wording yourself.')
            return [SlotSet("current_draft", str(draft.number))]
        return load_saved(tracker, draft) + [SlotSet("feeling", None), SlotSet("faux_feeling", None),
                                    SlotSet("draft_text", None), FollowupAction("reflection_form")]


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
        if status == "sent":
            text = (f"Marked draft #{draft.number} as sent. However it goes, you said it calmly, "
                    "and that took courage.")
        else:
            text = (f"Archived draft #{draft.number}. It's kept, just out of the way: "
                    '"show archived drafts" finds it.')
        dispatcher.utter_message(text=text)
        return [SlotSet("current_draft", str(draft.number))]


class ActionAskDeleteDraft(StoreAction):
    def name(self) -> Text:
        return "action_ask_delete_draft"

    async def review(self, dispatcher, tracker, domain):
        draft = find_draft(dispatcher, tracker, "delete")
        if draft is None:
            return []
        dispatcher.utter_message(
            text=f"Delete draft #{draft.number} for good? This can't be undone.",
            buttons=[{"title": "Yes, delete it", "payload": "/confirm_delete_draft"},
                     {"title": "No, keep it", "payload": "/deny"}],
        )
        return [SlotSet("pending_delete", str(draft.number))]


class ActionDeleteDraft(StoreAction):
    def name(self) -> Text:
        return "action_delete_draft"

    async def review(self, dispatcher, tracker, domain):
        pending = tracker.get_slot("pending_delete")
        if not pending:
            dispatcher.utter_message(
                text='There\'s no draft waiting to be deleted. Say "delete draft 2" to delete one.')
            return []
        channel, user_id = owner(tracker)
        if draft_store().delete_draft(channel, user_id, int(pending)):
            dispatcher.utter_message(text=f"Deleted draft #{pending}. It's gone for good.")
        else:
            dispatcher.utter_message(text=f"Draft #{pending} was already gone.")
        return [SlotSet("pending_delete", None), SlotSet("current_draft", None)]


class ActionKeepDraft(Action):
    def name(self) -> Text:
        return "action_keep_draft"

    async def run(self, dispatcher, tracker, domain):
        pending = tracker.get_slot("pending_delete")
        dispatcher.utter_message(
            text=f"Okay, I've kept draft #{pending}." if pending else "Okay, nothing was deleted.")
        return [SlotSet("pending_delete", None)]


class ActionExportDrafts(StoreAction):
    def name(self) -> Text:
        return "action_export_drafts"

    async def review(self, dispatcher, tracker, domain):
        channel, user_id = owner(tracker)
        drafts = draft_store().list_drafts(channel, user_id, limit=10_000)
        if not drafts:
            dispatcher.utter_message(text="You don't have any saved drafts to export yet.")
            return []
        dispatcher.utter_message(
            text=f"Here are all {len(drafts)} of your drafts, ready to copy or save (Markdown):")
        dispatcher.utter_message(text=format_export(drafts))
        return []


class ActionTriggerPatterns(StoreAction):
    def name(self) -> Text:
        return "action_trigger_patterns"

    async def review(self, dispatcher, tracker, domain):
        channel, user_id = owner(tracker)
        counts = draft_store().trigger_counts(channel, user_id, since=since(PATTERN_WEEKS))
        dispatcher.utter_message(text=format_patterns(counts))
        return []


class ActionLinkAccount(StoreAction):
    def name(self) -> Text:
        return "action_link_account"

    async def review(self, dispatcher, tracker, domain):
        channel, user_id = owner(tracker)
        code = draft_store().create_link_code(channel, user_id)
        dispatcher.utter_message(
            text="To see the same drafts in your other chat (the web page or Telegram), say "
                 f'"I have a code" there and type this code. It works once, for '
                 f"{LINK_CODE_MINUTES} minutes:")
        dispatcher.utter_message(text=code)
        link = telegram_link(code) if channel != "telegram" else None
        if link:
            dispatcher.utter_message(text=f"Or open this link on the phone with Telegram: {link}")
        dispatcher.utter_message(
            text="Or, if the other chat gave you a code, tell me here.",
            buttons=[{"title": "I have a code", "payload": "/have_link_code"}])
        return []


class ValidateLinkForm(FormValidationAction):
    """Redeem the code typed; the form ends when linking worked or cannot work."""

    def name(self) -> Text:
        return "validate_link_form"

    async def run(self, dispatcher, tracker, domain):
        events = await super().run(dispatcher, tracker, domain)
        if tracker.get_slot("link_code") is None:
            dispatcher.utter_message(
                text="Type the code from your other chat (it looks like ABCD-EFGH), or say stop.")
        return events

    def validate_link_code(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if not value:
            return {"link_code": None}
        channel, user_id = owner(tracker)
        try:
            result = draft_store().redeem_link_code(channel, user_id, str(value))
        except StorageUnavailable:
            dispatcher.utter_message(text=STORAGE_DOWN)
            return {"link_code": "failed"}
        if result == LinkResult.wrong:
            dispatcher.utter_message(text="That code didn't match. Check it and try again.")
            return {"link_code": None}
        dispatcher.utter_message(text={
            LinkResult.linked: "Linked. Both chats now share the same drafts; the ones from this "
                               "chat are numbered after the others. Say \"show my drafts\".",
            LinkResult.expired: "That code has expired. Make a new one in your other chat "
                                "(\"link my accounts\") and type it here within "
                                f"{LINK_CODE_MINUTES} minutes.",
            LinkResult.same_person: "Those two chats are already linked.",
            LinkResult.paused: "Too many wrong codes in a row, so I've paused linking for a "
                               "quarter of an hour. Your drafts are safe.",
        }[result])
        return {"link_code": result.value}


class ActionLinkFinished(Action):
    def name(self) -> Text:
        return "action_link_finished"

    async def run(self, dispatcher, tracker, domain):
        return [SlotSet("link_code", None)]
