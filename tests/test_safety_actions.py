"""The safety actions with CollectingDispatcher, real trackers and a real SQLite store."""
from __future__ import annotations

import pytest

from actions.common import use_store
from actions.safety import (
    CHECKED,
    PENDING,
    ActionCheckInAnswer,
    ActionDeleteAllData,
    ActionResumeReflection,
    ActionSafety,
    STEP,
)
from bot.storage import ERASE_SLOT, DraftStore
from tests.conftest import make_tracker, run_action, slot_events

MID_REFLECTION = {"situation": "he hasnt texted back", "trigger_type": "slow_replies",
                  "feeling": "scared", "requested_slot": "fear"}


def _reading(risk: str, tier: str, intent: str = "trigger_slow_replies") -> dict:
    """What the NLU's safety layer attaches to a message (bot/plugins/safety_rules.py)."""
    return {"safety": {"risk": risk, "tier": tier, "cue": "test_cue",
                       "intent": {"name": intent, "confidence": 0.6}}}


@pytest.mark.parametrize("locale, risk, line", [
    ("us", "crisis", "988"), ("us", "abuse", "1-800-799-7233"),
    ("uk", "crisis", "116 123"), ("uk", "abuse", "0808 2000 247"),
    ("intl", "crisis", "findahelpline.com"), ("intl", "abuse", "findahelpline.com"),
])
def test_clear_risk_gets_the_full_response_from_the_configured_locale(domain, monkeypatch,
                                                                       locale, risk, line):
    monkeypatch.setenv("STEADY_LOCALE", locale)
    messages, events = run_action(ActionSafety(), make_tracker(
        intent=risk, parse=_reading(risk, "clear")), domain)
    slots = slot_events(events)
    assert messages == [] and slots[STEP] == risk  # the rules utter the response
    slot = "crisis_support_text" if risk == "crisis" else "safety_concern_text"
    assert line in slots[slot]


def test_a_bare_crisis_payload_counts_as_clear(domain):
    _, events = run_action(ActionSafety(), make_tracker(intent="crisis"), domain)
    assert slot_events(events)[STEP] == "crisis"


def test_a_crisis_pauses_the_reflection_but_abuse_ends_it(domain):
    tracker = make_tracker(intent="crisis", slots=MID_REFLECTION, active_loop="reflection_form",
                           parse=_reading("crisis", "clear"))
    _, events = run_action(ActionSafety(), tracker, domain)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert "situation" not in slot_events(events)
    tracker = make_tracker(intent="abuse", slots=MID_REFLECTION, active_loop="reflection_form",
                           parse=_reading("abuse", "clear"))
    _, events = run_action(ActionSafety(), tracker, domain)
    assert slot_events(events)["situation"] is None


@pytest.mark.parametrize("risk, response, question", [
    ("crisis", "utter_crisis_check_in", "are you thinking about ending your life or hurting"),
    ("abuse", "utter_abuse_check_in", "are you afraid of your partner"),
])
def test_possible_risk_is_asked_about_directly(domain, risk, response, question):
    tracker = make_tracker(text="some words", intent=risk, slots=MID_REFLECTION,
                           active_loop="reflection_form", parse=_reading(risk, "possible"))
    _, events = run_action(ActionSafety(), tracker, domain)
    assert slot_events(events)[STEP] == f"check_in_{risk}"
    [variant] = domain["responses"][response]
    assert question in " ".join(variant["text"].split())
    assert [b["payload"] for b in variant["buttons"]] == ["/affirm", "/deny"]
    pending = slot_events(events)[PENDING]
    assert pending["text"] == "some words" and pending["risk"] == risk
    assert pending["intent"]["name"] == "trigger_slow_replies"
    assert (pending["loop"], pending["requested_slot"]) == ("reflection_form", "fear")
    assert "situation" not in slot_events(events)  # nothing is thrown away while asking


def _pending(**extra) -> dict:
    return {PENDING: {"risk": "crisis", "text": "i just want it all to go quiet",
                      "intent": {"name": "trigger_other", "confidence": 0.4}, "entities": [],
                      "cue": "test_cue", "loop": None, "requested_slot": None, **extra}}


@pytest.mark.parametrize("intent", ["affirm", "nlu_fallback"])
def test_yes_or_an_unclear_answer_gets_the_full_response(domain, intent):
    _, events = run_action(ActionCheckInAnswer(),
                           make_tracker(text="idk", intent=intent, slots=_pending()), domain)
    slots = slot_events(events)
    assert slots[STEP] == "crisis" and "findahelpline.com" in slots["crisis_support_text"]
    assert slots[PENDING] is None


def test_no_hands_the_message_back_as_the_classifier_read_it(domain):
    _, events = run_action(ActionCheckInAnswer(),
                           make_tracker(text="no", intent="deny", slots=_pending()), domain)
    listen, user = events[-2:]
    assert listen == {"event": "action", "name": "action_listen", "policy": None,
                      "confidence": None, "timestamp": None}
    assert user["event"] == "user" and user["text"] == "i just want it all to go quiet"
    assert user["parse_data"]["intent"]["name"] == "trigger_other"
    assert user["parse_data"][CHECKED] == "test_cue"
    assert slot_events(events)[PENDING] is None


def test_no_to_a_message_the_classifier_could_not_place_asks_for_a_few_words(domain):
    pending = _pending(intent={"name": "nlu_fallback", "confidence": 0.1})
    _, events = run_action(ActionCheckInAnswer(),
                           make_tracker(text="no", intent="deny", slots=pending), domain)
    assert slot_events(events)[STEP] == "tell_me_more"
    assert not any(e["event"] == "user" for e in events)
    [variant] = domain["responses"]["utter_tell_me_more"]
    assert "not sure i followed" not in variant["text"].lower()


def test_no_mid_reflection_goes_back_to_the_step_with_their_words(domain):
    slots = {**MID_REFLECTION, **_pending(loop="reflection_form", requested_slot="fear")}
    _, events = run_action(ActionCheckInAnswer(), make_tracker(text="no", intent="deny",
                                                               slots=slots), domain)
    assert slot_events(events)["fear"] == "i just want it all to go quiet"
    assert events[-1] == {"event": "followup", "name": "reflection_form", "timestamp": None}


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


def test_a_message_handed_back_after_a_no_is_never_forgotten_or_turned_away(domain):
    from actions.fallback import ActionDefaultFallback

    tracker = make_tracker(text="i just want it all to go quiet", intent="nlu_fallback",
                           parse={CHECKED: "test_cue"})
    messages, events = run_action(ActionDefaultFallback(), tracker, domain)
    assert [m["response"] for m in messages] == ["utter_tell_me_more"]
    assert events == []  # no UserUtteranceReverted


@pytest.mark.parametrize("asked", ["utter_crisis_check_in", "utter_abuse_check_in"])
def test_an_answer_to_a_check_in_the_rules_could_not_place_is_taken_as_a_yes(domain, asked):
    """ "I'm ready" (an old button) after "are you afraid of your partner?" is not a no:
    never "I'm not sure I followed", but the check-in's answer, which gives the response."""
    from actions.fallback import ActionDefaultFallback

    tracker = make_tracker(text="I'm ready", intent="done_pausing")
    user = tracker.events.pop()
    tracker.events += [{"event": "action", "name": asked}, {"event": "bot", "text": "…?"},
                       {"event": "action", "name": "action_listen"}, user]
    messages, events = run_action(ActionDefaultFallback(), tracker, domain)
    assert messages == []
    assert [(e["event"], e.get("name")) for e in events] == [("followup",
                                                              "action_check_in_answer")]


def test_an_unplaced_message_after_anything_else_gets_the_kind_fallback(domain):
    from actions.fallback import ActionDefaultFallback

    tracker = make_tracker(text="blorp", intent="nlu_fallback")
    user = tracker.events.pop()
    tracker.events += [{"event": "action", "name": "utter_abuse_check_in"},
                       {"event": "user", "text": "no"}, {"event": "action", "name": "utter_check_in_thanks"},
                       {"event": "action", "name": "action_listen"}, user]
    messages, events = run_action(ActionDefaultFallback(), tracker, domain)
    assert "not sure I followed" in messages[0]["text"]
