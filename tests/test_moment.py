"""In the moment (issue 18, part 1): a person writing while it is happening gets a short path
first: the pause, the feeling, the fear, and a sentence in both halves to say now; the message
for their partner waits until they are calmer, and what they said is kept for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.reflection import ActionComposeDraft, ActionStartReflection, ValidateReflectionForm
from actions.safety import ActionResumeReflection
from bot.moment import _signs, happening_now, moment_sentence
from bot.reflection import read_moment_choice, reflection_steps
from tests.conftest import make_tracker, run_action, slot_events

STEPS = ["trigger_type", "pause", "feeling", "fear", "knows_better", "moment_choice", "need",
         "request", "observation"]


@pytest.mark.parametrize("text", [
    "it's 1am and he's still not home",
    "im spiralling rn he hasnt replied in 3 hours",
    "he's at the pub with his ex as we speak and i can't stop checking his location",
    "she left me on read 2 hours ago and i keep refreshing",
])
def test_written_while_it_is_happening(text):
    assert happening_now(text)


@pytest.mark.parametrize("text", [
    "he didn't text last night and i'm still upset",
    "he always takes hours to reply",
    "he came home at 2am on saturday without a text",
    "is it normal that my boyfriend is on his phone all the time?",
    "my husband forgot our anniversary",
])
def test_told_after_the_fact(text):
    assert not happening_now(text)


def test_the_sentence_to_say_now_has_both_halves_and_turns_the_fear_to_the_partner():
    assert moment_sentence("scared", "he's losing interest") == (
        "I'm feeling scared right now that you're losing interest, even though a part of me "
        "knows that's not true.")
    assert moment_sentence("scared", "being abandoned") == (
        "I'm feeling scared right now of being left, even though a part of me knows that's "
        "not true.")
    assert moment_sentence("hurt", None) == (
        "I'm feeling hurt right now, and a part of me knows we're okay.")


def test_a_broken_sign_in_the_data_file_names_its_list(tmp_path: Path):
    broken = tmp_path / "moment.yml"
    broken.write_text("now:\n  - 'right now'\n  - '(unclosed'\ndone: []\n")
    with pytest.raises(ValueError, match=r"moment.yml: now: '\(unclosed'"):
        _signs.__wrapped__(broken)


def test_the_steps_of_a_reflection():
    assert "moment_choice" not in reflection_steps(STEPS, None, None)
    assert reflection_steps(STEPS, "now", None) == STEPS
    assert reflection_steps(STEPS, "now", "later")[-1] == "moment_choice"
    assert read_moment_choice("not now, later") == "later"
    assert read_moment_choice("yes") == "now" and read_moment_choice("maybe") is None


def test_a_message_written_now_starts_the_short_path(domain):
    tracker = make_tracker(text="it's 1am and he's still not home and i'm shaking",
                           intent="trigger_late_without_notice")
    messages, events = run_action(ActionStartReflection(), tracker, domain)
    assert slot_events(events)["moment"] == "now"
    assert "It's happening right now" in messages[0]["text"]


def test_a_story_told_after_the_fact_has_no_moment_step(domain):
    tracker = make_tracker(text="he came home at 2am on saturday without a text",
                           intent="trigger_late_without_notice")
    _, events = run_action(ActionStartReflection(), tracker, domain)
    assert "moment" not in slot_events(events)
    slots = {"trigger_type": "late_without_notice", "pause": "done", "feeling": "scared",
             "fear": "skipped", "knows_better": "yes"}
    messages, _ = run_action(ValidateReflectionForm(),
                             make_tracker(slots=slots, active_loop="reflection_form"), domain)
    assert messages[0]["text"].startswith("What do you need most right now?")


IN_THE_MOMENT = {"trigger_type": "late_without_notice", "situation": "it's 1am and he's still "
                 "not home", "moment": "now", "pause": "done", "feeling": "scared",
                 "fear": "he's going to leave me", "knows_better": "yes"}


def test_after_the_fear_the_sentence_to_say_now_then_now_or_later(domain):
    tracker = make_tracker(slots=IN_THE_MOMENT, active_loop="reflection_form")
    [message], _ = run_action(ValidateReflectionForm(), tracker, domain)
    assert ("\"I'm feeling scared right now that you're going to leave me, even though a part "
            "of me knows that's not true.\"") in message["text"]
    assert [button["title"] for button in message["buttons"]] == [
        "Go on now", "Later, when I'm calmer"]


def test_later_ends_the_form_keeps_everything_and_continue_picks_it_up(domain):
    later = {**IN_THE_MOMENT, "moment_choice": "later"}
    tracker = make_tracker(slots=later, active_loop="reflection_form")
    messages, events = run_action(ValidateReflectionForm(), tracker, domain)
    assert messages == [] and slot_events(events)["requested_slot"] is None  # the form ends
    messages, events = run_action(ActionComposeDraft(), make_tracker(slots=later), domain)
    assert "Come back when you're calmer" in messages[0]["text"] and events == []  # kept
    messages, events = run_action(ActionResumeReflection(), make_tracker(slots=later), domain)
    assert slot_events(events)["moment_choice"] == "now"
    resumed = {**later, "moment_choice": "now"}
    messages, _ = run_action(ValidateReflectionForm(),
                             make_tracker(slots=resumed, active_loop="reflection_form"), domain)
    assert messages[0]["text"].startswith("What do you need most right now?")


def test_go_on_now_goes_on_to_the_need(domain):
    slots = {**IN_THE_MOMENT, "moment_choice": "now"}
    messages, _ = run_action(ValidateReflectionForm(),
                             make_tracker(slots=slots, active_loop="reflection_form"), domain)
    assert messages[0]["text"].startswith("What do you need most right now?")


def test_what_they_need_said_at_the_moment_step_goes_on_now_with_it():
    form = ValidateReflectionForm()
    assert form.validate_moment_choice("reassurance", None, make_tracker(), {}) == {
        "moment_choice": "now", "need": "reassurance"}
    assert form.validate_moment_choice("hmm", None, make_tracker(), {}) == {"moment_choice": None}
