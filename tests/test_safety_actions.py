"""The safety actions with CollectingDispatcher, real trackers and a real SQLite store."""
from __future__ import annotations

import pytest

from actions.common import use_store
from actions.safety import ActionDeleteAllData, ActionPrepareSafetyMessage, ActionResumeReflection
from bot.storage import ERASE_SLOT, DraftStore
from tests.conftest import make_tracker, run_action, slot_events

MID_REFLECTION = {"situation": "he hasnt texted back", "trigger_type": "slow_replies",
                  "feeling": "scared", "requested_slot": "fear"}


@pytest.mark.parametrize("locale, crisis_line, abuse_line", [
    ("us", "988", "1-800-799-7233"),
    ("uk", "116 123", "0808 2000 247"),
    ("intl", "findahelpline.com", "findahelpline.com"),
])
def test_messages_come_from_the_configured_locale(domain, monkeypatch, locale, crisis_line, abuse_line):
    monkeypatch.setenv("STEADY_LOCALE", locale)
    _, events = run_action(ActionPrepareSafetyMessage(), make_tracker(intent="crisis"), domain)
    slots = slot_events(events)
    assert crisis_line in slots["crisis_support_text"]
    assert abuse_line in slots["safety_concern_text"]


def test_a_crisis_pauses_the_reflection_but_abuse_ends_it(domain):
    _, events = run_action(ActionPrepareSafetyMessage(),
                           make_tracker(intent="crisis", slots=MID_REFLECTION), domain)
    assert "situation" not in slot_events(events)
    _, events = run_action(ActionPrepareSafetyMessage(),
                           make_tracker(intent="abuse", slots=MID_REFLECTION), domain)
    assert slot_events(events)["situation"] is None


def test_resume_reopens_a_paused_reflection(domain):
    messages, events = run_action(ActionResumeReflection(), make_tracker(slots=MID_REFLECTION), domain)
    assert "pick up where we were" in messages[0]["text"]
    assert events[-1]["name"] == "reflection_form"


def test_resume_with_nothing_paused_says_so(domain):
    messages, events = run_action(ActionResumeReflection(), make_tracker(), domain)
    assert events == [] and "no exercise paused" in messages[0]["text"]


def test_resume_with_a_draft_on_offer_shows_it(domain):
    messages, events = run_action(
        ActionResumeReflection(), make_tracker(slots={"draft_text": "When you …"}), domain)
    assert events == [] and "When you …" in [m["text"] for m in messages]


def test_delete_all_removes_drafts_and_asks_the_tracker_store_to_erase(domain, store: DraftStore):
    store.save_draft("rest", "alice", text="one")
    store.save_draft("rest", "alice", text="two")
    store.save_draft("rest", "bob", text="bob's")
    messages, events = run_action(ActionDeleteAllData(), make_tracker("alice"), domain)
    assert "deleted your 2 saved drafts" in messages[0]["text"]
    assert slot_events(events)[ERASE_SLOT] == ["alice"]  # this conversation (no linked chats)
    assert store.list_drafts("rest", "alice") == []
    assert len(store.list_drafts("rest", "bob")) == 1


def test_delete_all_with_the_database_down_erases_nothing(domain, keyring):
    use_store(DraftStore("postgresql://nobody@127.0.0.1:9/steady", keyring))
    try:
        messages, events = run_action(ActionDeleteAllData(), make_tracker("alice"), domain)
    finally:
        use_store(None)
    assert events == [] and "nothing was deleted" in messages[0]["text"]
