"""Every custom action, run as the action server runs it: CollectingDispatcher, a real
rasa-sdk Tracker and a real SQLite database in a temporary directory."""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.drafts import ActionDiscardDraft, ActionSaveDraft, ActionShowDrafts
from actions.fallback import ActionDefaultFallback
from actions.reflection import (
    ActionChangeFeeling,
    ActionComposeDraft,
    ActionRewriteDraft,
    ActionStartOver,
    ActionStartReflection,
    ActionStopReflection,
    ActionUseSuggestion,
    ValidateReflectionForm,
    ValidateRewriteForm,
)
from bot.drafting import SKIPPED
from bot.storage import DraftStore
from tests.conftest import make_tracker, run_action, shown, slot_events

DRAFT = "When you got home at midnight without texting me, I felt scared."
REFLECTION = {
    "trigger_type": "late_without_notice",
    "situation": "my boyfriend got home at midnight without texting me",
    "feeling": "scared",
    "fear": "that he's losing interest in me",
    "knows_better": "yes",
    "need": "reassurance",
    "request": "text me when he's running late",
}


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def button_titles(messages: list[dict]) -> list[str]:
    return [b["title"] for m in messages for b in m.get("buttons", [])]


# --- starting the reflection ---------------------------------------------------------------

def test_start_reflection_fills_trigger_and_situation_and_clears_the_last_one(domain):
    tracker = make_tracker(
        text="he said he'd be home at 7 and walked in at 11",
        intent="trigger_late_without_notice",
        slots={"feeling": "hurt", "draft_text": "old draft"},
    )
    messages, events = run_action(ActionStartReflection(), tracker, domain)
    slots = slot_events(events)
    assert slots["trigger_type"] == "late_without_notice"
    assert slots["situation"] == "he said he'd be home at 7 and walked in at 11"
    assert slots["feeling"] is None and slots["draft_text"] is None
    assert messages == []  # already greeted earlier in this conversation


@pytest.mark.parametrize("text", [
    "my friend's husband forgot their anniversary and she's been crying all night",
    "my mum didn't call me on my birthday", "How do I support a friend whose boyfriend "
                                            "forgot her birthday?",
    "ngl my bestie didn't notice my haircut and i'm weirdly hurt",
    "my gf's brother totally ignored me at dinner last night"])
def test_a_story_about_someone_else_does_not_become_a_draft_to_ones_own_partner(domain, text):
    tracker = make_tracker(text=text, intent="trigger_forgotten_date")
    messages, events = run_action(ActionStartReflection(), tracker, domain)
    assert "about someone else" in texts(messages)
    assert "situation" not in slot_events(events)
    assert [(e["event"], e.get("name")) for e in events] == [("followup", "action_listen")]


def test_ones_own_partner_named_beside_someone_else_is_still_a_reflection(domain):
    tracker = make_tracker(text="my boyfriend ignored my mum at dinner",
                           intent="trigger_attention_elsewhere")
    _, events = run_action(ActionStartReflection(), tracker, domain)
    assert slot_events(events)["situation"] == "my boyfriend ignored my mum at dinner"


def test_opening_with_a_trigger_still_says_what_steady_is(domain):
    tracker = make_tracker(text="she cancelled again", intent="trigger_cancelled_plans",
                           bot_has_spoken=False)
    messages, _ = run_action(ActionStartReflection(), tracker, domain)
    assert messages[0]["response"] == "utter_greet"


def test_an_unknown_intent_leaves_the_pattern_for_the_person_to_pick(domain):
    tracker = make_tracker(text="we need to talk, he said", intent="trigger_made_up")
    _, events = run_action(ActionStartReflection(), tracker, domain)
    assert "trigger_type" not in slot_events(events)
    assert slot_events(events)["trigger_choices"]


UNSURE = {"intent_ranking": [
    {"name": "trigger_preoccupied", "confidence": 0.41},
    {"name": "trigger_low_affection", "confidence": 0.33},
    {"name": "trigger_other", "confidence": 0.12},
    {"name": "trigger_slow_replies", "confidence": 0.08},
]}


def test_an_unsure_classifier_lets_the_person_pick_from_the_likeliest(domain):
    tracker = make_tracker(text="he just scrolls all night next to me",
                           intent="trigger_preoccupied", parse=UNSURE)
    tracker.latest_message["intent"]["confidence"] = 0.41
    _, events = run_action(ActionStartReflection(), tracker, domain)
    slots = slot_events(events)
    assert "trigger_type" not in slots
    assert slots["trigger_choices"] == ["preoccupied", "low_affection", "slow_replies"]
    assert slots["situation"] == "he just scrolls all night next to me"
    # The form then asks, with the likeliest first and "something else" last.
    messages = ask_next(domain, {"situation": "x", "trigger_choices": slots["trigger_choices"]})
    assert "closest to what happened" in texts(messages)
    assert [b["payload"] for m in messages for b in m.get("buttons", [])] == [
        "/trigger_preoccupied", "/trigger_low_affection", "/trigger_slow_replies",
        "/trigger_other"]


@pytest.mark.parametrize("answer, stored", [
    ("preoccupied", "preoccupied"),          # a button (the form maps the intent)
    ("Plans cancelled", "cancelled_plans"),  # a choice typed instead of pressed
    ("honestly none of those", "other"),     # their own words: something else
])
def test_what_the_person_picks_is_what_is_stored(domain, answer, stored):
    tracker = make_tracker(slots={"situation": "x", "trigger_choices": ["preoccupied"]},
                           active_loop="reflection_form")
    result = ValidateReflectionForm().validate_trigger_type(answer, CollectingDispatcher(),
                                                            tracker, domain)
    assert result == {"trigger_type": stored, "trigger_choices": None}


# --- asking (the validation action asks the next step in the same call) ----------------------

def ask_next(domain, slots, form=None):
    """Run the reflection form's validation as Rasa does after a turn; return its messages."""
    if "trigger_choices" not in slots:  # the classifier was sure: the trigger is known
        slots = {"trigger_type": "late_without_notice", **slots}
    tracker = make_tracker(slots=slots, active_loop="reflection_form")
    return run_action(form or ValidateReflectionForm(), tracker, domain)[0]


def test_pause_is_asked_first_and_can_be_skipped(domain):
    assert button_titles(ask_next(domain, {})) == ["I'm ready", "Skip"]


def test_feeling_is_asked_with_common_feeling_words(domain):
    messages = ask_next(domain, {"pause": "done"})
    assert button_titles(messages)[:4] == ["scared", "hurt", "lonely", "sad"]
    assert messages[0]["buttons"][0]["payload"] == '/inform_feeling{"feeling": "scared"}'


def test_after_a_faux_feeling_the_question_is_about_what_is_underneath(domain):
    messages = ask_next(domain, {"pause": "done", "faux_feeling": "abandoned"})
    assert "underneath" in texts(messages)
    titles = button_titles(messages)
    assert "scared" in titles and 'Keep "abandoned"' in titles


def test_needs_are_offered_as_buttons(domain):
    slots = {"pause": "done", "feeling": "scared", "fear": "skipped", "knows_better": "yes"}
    assert "reassurance" in button_titles(ask_next(domain, slots))


ANSWERED = {"pause": "done", "feeling": "scared", "fear": "skipped", "knows_better": "yes",
            "need": "skipped", "request": "skipped"}


def test_nothing_is_asked_once_every_step_is_answered(domain):
    assert ask_next(domain, {**ANSWERED, "observation": "you came home late"}) == []


def test_before_the_draft_the_observation_is_shown_in_one_line_to_confirm(domain):
    slots = {**ANSWERED, "situation": "so background, we've been together four years, his "
                                      "mum is lovely, and then he cancelled our dinner an hour "
                                      "before ngl"}
    [message] = ask_next(domain, slots)
    assert message["text"] == (
        "So what happened was: you cancelled our dinner an hour before. Is that it?"
    )
    assert button_titles([message]) == ["Yes", "Let me put it my way"]


def test_a_broken_observation_is_never_shown_the_person_is_asked_instead(domain):
    # Nothing readable about the partner: ask for the sentence rather than show a bad one.
    [message] = ask_next(domain, {**ANSWERED, "situation": "😭😭😭"})
    assert "How would you put what happened" in message["text"]
    assert "So what happened was" not in message["text"]


def test_yes_takes_the_proposed_observation_and_their_own_words_are_kept_exactly():
    slots = {"proposed_observation": "you cancelled again"}
    assert validate("observation", "__yes__", slots)[0]["observation"] == "you cancelled again"
    result, _ = validate("observation", "__own__", slots)
    assert result == {"observation": None, "observation_own": "yes"}
    mine = "you cancelled  our dinner at 6, AGAIN"
    assert validate("observation", mine, slots)[0]["observation"] == \
        "you cancelled our dinner at 6, AGAIN"
    # An old button pressed at this step is not taken as the words of the draft.
    assert validate("observation", "/save_draft", slots)[0]["observation"] is None


def test_the_rewrite_form_asks_for_the_persons_own_words(domain):
    tracker = make_tracker(active_loop="rewrite_form")
    messages, _ = run_action(ValidateRewriteForm(), tracker, domain)
    assert "Type the message" in texts(messages)


# --- validating --------------------------------------------------------------------------

def validate(slot: str, value, slots=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=slots)
    result = getattr(ValidateReflectionForm(), f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, shown(dispatcher.messages, tracker)


@pytest.mark.parametrize("slot", ["feeling", "fear", "request"])
def test_a_button_from_an_earlier_message_is_no_answer(slot):
    # "/affirm" pressed on an old message at the feeling step became "I felt affirm."
    result, _ = validate(slot, "/affirm")
    assert result[slot] is None


@pytest.mark.parametrize("answer, kept, asked_again", [
    # "yes" to "Is there a small, concrete request …?" drafted "Would you be willing to
    # yes?" (found trying the bot by hand): it says there is one, so ask for its words
    ("yes", None, True),
    ("yeah", None, True),
    # "no" is a skip, not the request "no"
    ("no", "SKIPPED", False),
    ("Would you text me when you leave work?", "Would you text me when you leave work?", False),
])
def test_a_plain_yes_or_no_is_no_request(answer, kept, asked_again):
    result, messages = validate("request", answer)
    assert result["request"] == (SKIPPED if kept == "SKIPPED" else kept)
    assert any("in your own words" in (message["text"] or "") for message in messages) \
        is asked_again


def test_a_real_feeling_word_is_accepted():
    result, messages = validate("feeling", "honestly just really scared")
    assert result["feeling"] == "scared" and messages == []


def test_a_faux_feeling_gets_one_gentle_question_then_is_accepted():
    result, _ = validate("feeling", "abandoned")
    assert result == {"feeling": None, "faux_feeling": "abandoned"}
    result, _ = validate("feeling", "abandoned", slots={"faux_feeling": "abandoned"})
    assert result["feeling"] == "abandoned"


def test_the_feeling_cannot_be_skipped_and_says_why():
    result, messages = validate("feeling", "skipped")
    assert result == {"feeling": None}
    assert "can't skip" in texts(messages)


def test_a_thought_is_not_taken_as_a_feeling_but_kept_as_the_fear():
    thought = "i feel like he doesn't care about me at all anymore"
    result, messages = validate("feeling", thought)
    assert result == {"feeling": None, "fear": thought}
    assert "story the fear is telling" in texts(messages)
    assert "?" not in texts(messages)  # the step's own question follows (tests/test_copy.py)


@pytest.mark.parametrize("step, answer, kept, says", [
    # the example: a need given as the feeling, and again as the fear
    ("feeling", "reassurance", {"need": "reassurance"}, "what you need"),
    ("fear", "reassurance", {"need": "reassurance"}, "what you need"),
    # a feeling given as the fear: it is already the feeling; ask for the story
    ("fear", "scared", {}, "That's the feeling"),
    # a request given as the need: kept for the request step
    ("need", "could you text me when you're running late", {
        "request": "could you text me when you're running late"}, "ask your partner"),
    # a request given as the feeling
    ("feeling", "can you just call me when you land", {
        "request": "can you just call me when you land"}, "ask your partner"),
])
def test_an_answer_for_another_step_is_named_kept_and_asked_again(step, answer, kept, says):
    result, messages = validate(step, answer)
    assert result == {step: None, **kept}
    assert says in texts(messages)


def test_a_need_given_as_the_request_is_asked_again():
    result, messages = validate("request", "reassurance")
    assert result == {"request": None}
    assert "yes or no" in texts(messages)


def test_a_draft_never_says_i_felt_a_need():
    for answer in ("reassurance", "to feel important", "some closeness tbh"):
        assert validate("feeling", answer)[0]["feeling"] is None, answer


def test_optional_steps_keep_the_persons_words_or_skip():
    assert validate("fear", "  he'll leave me  ")[0] == {"fear": "he'll leave me"}
    assert validate("request", "skipped")[0] == {"request": "skipped"}
    assert validate("pause", "whatever i typed")[0] == {"pause": "done"}


def test_a_form_run_validates_only_what_the_person_just_said(domain):
    tracker = make_tracker(text="scared", slots={"requested_slot": "feeling"},
                           active_loop="reflection_form")
    tracker.events.append({"event": "slot", "name": "feeling", "value": "scared"})
    tracker.slots["feeling"] = "scared"
    _, events = run_action(ValidateReflectionForm(), tracker, domain)
    assert slot_events(events)["feeling"] == "scared"


# --- the draft on offer -------------------------------------------------------------------

def test_compose_draft_uses_their_words_turned_to_you(domain):
    messages, events = run_action(ActionComposeDraft(), make_tracker(slots=REFLECTION), domain)
    draft = slot_events(events)["draft_text"]
    assert draft.startswith("When you got home at midnight without texting me, I felt scared")
    assert "Would you be willing to text me when you're running late?" in draft
    assert draft in [m["text"] for m in messages]  # shown on its own, easy to copy
    assert button_titles(messages) == ["Save", "Change the feeling", "Rewrite it myself", "Discard"]


def test_skipped_steps_are_left_out_of_the_draft(domain):
    slots = dict(REFLECTION, fear="skipped", need="skipped", request="skipped")
    _, events = run_action(ActionComposeDraft(), make_tracker(slots=slots), domain)
    draft = slot_events(events)["draft_text"]
    assert "fear" not in draft and "willing" not in draft and "skipped" not in draft


def test_a_rewrite_is_kept_word_for_word(domain):
    slots = dict(REFLECTION, custom_draft="When you came home late, I got scared. Can we talk?")
    _, events = run_action(ActionComposeDraft(), make_tracker(slots=slots), domain)
    assert slot_events(events) == {
        "draft_text": "When you came home late, I got scared. Can we talk?", "custom_draft": None}
    slots["suggested_draft"] = "an earlier gentler version"
    _, events = run_action(ActionComposeDraft(), make_tracker(slots=slots), domain)
    assert slot_events(events)["suggested_draft"] is None  # no stale suggestion on offer


def test_rewrite_form_rejects_an_empty_answer():
    dispatcher = CollectingDispatcher()
    result = ValidateRewriteForm().validate_custom_draft("   ", dispatcher, make_tracker(), {})
    assert result == {"custom_draft": None} and dispatcher.messages


def test_change_feeling_reopens_the_form_at_the_feeling(domain):
    _, events = run_action(ActionChangeFeeling(), make_tracker(slots=REFLECTION), domain)
    assert slot_events(events)["feeling"] is None
    assert events[-1] == {"event": "followup", "name": "reflection_form", "timestamp": None}


def test_change_feeling_without_a_reflection_explains(domain):
    messages, events = run_action(ActionChangeFeeling(), make_tracker(), domain)
    assert events == [] and "no draft" in texts(messages)


def test_rewrite_opens_the_rewrite_form_only_with_a_draft(domain):
    _, events = run_action(ActionRewriteDraft(), make_tracker(slots={"draft_text": DRAFT}), domain)
    assert events[-1]["name"] == "rewrite_form"
    assert run_action(ActionRewriteDraft(), make_tracker(), domain)[1] == []


# --- saving and listing -----------------------------------------------------------------------

def test_save_stores_every_field_for_this_person_and_clears_the_reflection(domain, store: DraftStore):
    tracker = make_tracker("alice", slots=dict(REFLECTION, draft_text=DRAFT))
    messages, events = run_action(ActionSaveDraft(), tracker, domain)
    assert "Saved as draft #1" in texts(messages)
    # Every slot that held part of this reflection is emptied; the empty ones get no event
    # (each would stay in the conversation, replayed for every later message).
    assert set(slot_events(events)) == set(REFLECTION) | {"draft_text"}
    assert all(value is None for value in slot_events(events).values())
    [saved] = store.list_drafts("rest", "alice")
    assert (saved.text, saved.trigger_type, saved.feeling, saved.fear, saved.need, saved.request) == (
        DRAFT, "late_without_notice", "scared", "that he's losing interest in me",
        "reassurance", "text me when he's running late")


def test_skipped_fields_are_stored_as_empty(domain, store: DraftStore):
    slots = dict(REFLECTION, draft_text=DRAFT, fear="skipped", request="skipped")
    run_action(ActionSaveDraft(), make_tracker("alice", slots=slots), domain)
    [saved] = store.list_drafts("rest", "alice")
    assert saved.fear is None and saved.request is None


def test_save_without_a_draft_saves_nothing(domain, store: DraftStore):
    messages, events = run_action(ActionSaveDraft(), make_tracker("alice"), domain)
    assert "no draft waiting" in texts(messages) and events == []
    assert store.list_drafts("rest", "alice") == []


def test_save_with_the_database_down_keeps_the_draft_in_the_conversation(domain, keyring):
    from actions.common import use_store

    use_store(DraftStore("postgresql://nobody@127.0.0.1:9/steady", keyring))
    try:
        tracker = make_tracker("alice", slots=dict(REFLECTION, draft_text=DRAFT))
        messages, events = run_action(ActionSaveDraft(), tracker, domain)
    finally:
        use_store(None)
    assert "isn't saved yet" in texts(messages)
    assert events == []  # draft_text stays set, so "save" can be said again


def test_two_people_never_see_each_others_drafts(domain, store: DraftStore):
    for person, situation in [("alice", "he forgot our anniversary"), ("bob", "she cancelled dinner")]:
        tracker = make_tracker(person, slots=dict(REFLECTION, draft_text=f"When you … ({situation})"))
        run_action(ActionSaveDraft(), tracker, domain)
    alice_view = texts(run_action(ActionShowDrafts(), make_tracker("alice"), domain)[0])
    bob_view = texts(run_action(ActionShowDrafts(), make_tracker("bob"), domain)[0])
    assert "anniversary" in alice_view and "dinner" not in alice_view
    assert "dinner" in bob_view and "anniversary" not in bob_view
    assert "#1" in alice_view and "#1" in bob_view  # numbers are each person's own
    other_channel = texts(run_action(ActionShowDrafts(), make_tracker("alice", channel="telegram"), domain)[0])
    assert "don't have any saved drafts" in other_channel


def test_drafts_are_listed_newest_first_with_a_readable_trigger(domain, store: DraftStore):
    store.save_draft("rest", "alice", text="first draft", trigger_type="slow_replies")
    store.save_draft("rest", "alice", text="second draft", trigger_type="forgotten_date")
    listing = texts(run_action(ActionShowDrafts(), make_tracker("alice"), domain)[0])
    assert listing.index("#2") < listing.index("#1")
    assert "a forgotten date" in listing and "slow or fewer replies" in listing


def test_listing_with_the_database_down_says_so_kindly(domain, keyring):
    from actions.common import use_store

    use_store(DraftStore("postgresql://nobody@127.0.0.1:9/steady", keyring))
    try:
        messages, _ = run_action(ActionShowDrafts(), make_tracker("alice"), domain)
    finally:
        use_store(None)
    assert "can't reach your saved drafts right now" in texts(messages)


def test_discard_clears_the_draft_and_saves_nothing(domain, store: DraftStore):
    messages, events = run_action(
        ActionDiscardDraft(), make_tracker("alice", slots={"draft_text": DRAFT}), domain)
    assert "Nothing was saved" in texts(messages)
    assert slot_events(events)["draft_text"] is None
    assert store.list_drafts("rest", "alice") == []


# --- leaving ------------------------------------------------------------------------------------

def test_stop_and_start_over_clear_the_reflection(domain):
    for action, phrase in [(ActionStopReflection(), "stop here"), (ActionStartOver(), "start fresh")]:
        messages, events = run_action(action, make_tracker(slots=REFLECTION), domain)
        assert phrase in texts(messages)
        assert all(value is None for value in slot_events(events).values())


def test_fallback_answers_kindly_and_forgets_the_turn(domain):
    for message, phrase in [("", "empty"), ("😢😢", "emoji"),
                            ("mi novio no me contesta los mensajes", "English"),
                            ("<script>alert(1)</script>", "plain text"),
                            ("blorp " * 1000, "a sentence or two")]:
        messages, events = run_action(ActionDefaultFallback(), make_tracker(text=message), domain)
        assert phrase in texts(messages), message
        assert events == [{"event": "rewind", "timestamp": None}]


def test_slots_cleared_by_a_new_reflection_are_not_taken_as_answers():
    for slot in ["pause", "feeling", "fear", "knows_better", "need", "request"]:
        result, messages = validate(slot, None)
        assert result == {slot: None} and messages == [], slot
    dispatcher = CollectingDispatcher()
    assert ValidateRewriteForm().validate_custom_draft(None, dispatcher, make_tracker(), {}) == {
        "custom_draft": None}
    assert dispatcher.messages == []


def test_a_draft_with_blame_and_demands_gets_findings_and_a_gentler_version(domain):
    harsh = "You always come home late and you made me feel scared. You have to text me."
    messages, events = run_action(ActionComposeDraft(), make_tracker(slots={"custom_draft": harsh}), domain)
    said = texts(messages)
    assert harsh in said and "'You always'" in said and "'You made me feel'" in said
    suggestion = slot_events(events)["suggested_draft"]
    assert suggestion.startswith("You came home late and I felt scared.")
    titles = button_titles(messages)
    assert titles[:2] == ["Use the gentler version", "Keep my words and save"]
    assert slot_events(events)["draft_text"] == harsh  # their words stay the draft until they choose


def test_using_the_suggestion_makes_it_the_draft_on_offer(domain):
    gentler = "When you came home late, I felt scared."
    messages, events = run_action(ActionUseSuggestion(), make_tracker(slots={"suggested_draft": gentler}), domain)
    assert slot_events(events)["draft_text"] == gentler
    assert gentler in [m["text"] for m in messages]
    assert button_titles(messages) == ["Save", "Change the feeling", "Rewrite it myself", "Discard"]
    messages, events = run_action(ActionUseSuggestion(), make_tracker(), domain)
    assert events == [] and "no suggested version" in texts(messages)
