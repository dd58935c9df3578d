"""The copy a person reads lives in domain.yml's responses; the code names them.

Rasa's own validator cannot see a response uttered by a custom action (it looks only in the
stories and rules), nor a name misspelt in the code: these tests do both.
"""
from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from bot.reflection import ANOTHER_STEP, ANSWER_STEPS, kept_for_later
from harness.responses import asked_by_forms, said_by_code
from tests.conftest import make_tracker, run_action, shown

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"{([^{}\n]+)}")
# The keyword arguments the actions pass to fill a response's {placeholders}.
VALUES = {"number", "count", "verb", "minutes", "link", "proposed", "word", "options", "sentence",
          "routine", "status", "when", "first", "start", "end"}


@pytest.fixture(scope="module")
def responses() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]


def reachable_another_step() -> list[tuple[str, str]]:
    """(step, kind) pairs actions/reflection.py can meet: an answer of another step's kind at
    the feeling, fear or need step, and a need given as the request."""
    pairs = [(step, kind) for step, kind in product(("feeling", "fear", "need"), ANSWER_STEPS)
             if ANSWER_STEPS[kind] != step]
    return pairs + [("request", "need")]


def used_in_data() -> set[str]:
    return {name for path in (ROOT / "data").rglob("*.yml")
            for name in re.findall(r"\b(utter_[a-z_]+)\b", path.read_text())}


def test_every_response_the_code_names_is_in_the_domain(responses):
    assert said_by_code() - set(responses) == set()


def test_every_response_is_said_by_a_rule_a_story_or_the_code(responses):
    assert set(responses) - said_by_code() - used_in_data() - asked_by_forms() == set()


def test_every_answer_for_another_step_has_its_response():
    assert set(ANOTHER_STEP) == set(reachable_another_step())


def test_no_action_speaks_fixed_copy_of_its_own():
    """``utter_message(text=...)`` is for what the person wrote or what is computed from it."""
    computed = re.compile(r"utter_message\(text=(draft|example|suggestion|code|summarise\(findings\)|"
                          r"format_\w+\(.*\)|draft\.text|tracker\.get_slot\(\"draft_text\"\))\)")
    for path in sorted((ROOT / "actions").glob("*.py")):
        for line in path.read_text().splitlines():
            if "utter_message(text=" in line:
                assert computed.search(line), f"{path.name}: {line.strip()}"


def test_every_placeholder_is_a_value_the_code_passes_or_a_slot(responses):
    slots = set(yaml.safe_load((ROOT / "domain.yml").read_text())["slots"])
    for name, variants in responses.items():
        for variant in variants:
            for key in ("text", "title"):
                for placeholder in PLACEHOLDER.findall(str(variant.get(key, ""))):
                    assert placeholder in VALUES | slots, (name, placeholder)


@pytest.mark.parametrize("step, kind", reachable_another_step())
def test_an_answer_for_another_step_says_it_is_kept_only_when_it_is(responses, step, kind):
    text = responses[ANOTHER_STEP[step, kind]][0]["text"]
    assert ("and I'll keep it for later" in text) == kept_for_later(step, kind)


def test_the_copy_choosing_modules_need_no_rasa():
    for module in ("reflection.py", "textcheck.py"):
        source = (ROOT / "bot" / module).read_text()
        assert not re.search(r"^\s*(from|import) rasa", source, re.MULTILINE), module


# --- the copy as the person reads it, for the responses no other test renders -------------
# Each wording is the one Steady said before its copy moved to domain.yml, word for word.

def only_text(messages: list[dict]) -> list[str]:
    return [message["text"] for message in messages]


def test_delete_all_says_how_many_in_a_whole_sentence(domain, store):
    from actions.safety import ActionDeleteAllData

    store.save_draft("rest", "alice", text="one")
    messages, _ = run_action(ActionDeleteAllData(), make_tracker("alice"), domain)
    assert only_text(messages) == [
        "Done. I've deleted your 1 saved draft, our conversation history and your encryption "
        "key. Nothing of yours is kept here now. On a shared device, you may also want to "
        "close or clear this chat window."]
    store.save_draft("rest", "bea", text="one")
    store.save_draft("rest", "bea", text="two")
    store.redeem_link_code("telegram", "tg-1", store.create_link_code("rest", "bea"))
    messages, _ = run_action(ActionDeleteAllData(), make_tracker("bea"), domain)
    assert only_text(messages) == [
        "Done. I've deleted your 2 saved drafts, our conversation history (in every linked "
        "chat) and your encryption key. Nothing of yours is kept here now. On a shared "
        "device, you may also want to close or clear this chat window."]


def test_linking_twice_and_too_many_wrong_codes(store):
    from actions.review import ValidateLinkForm
    from bot.storage.drafts import MAX_WRONG_CODES

    def redeem(code: str) -> list[str]:
        dispatcher = CollectingDispatcher()
        ValidateLinkForm().validate_link_code(code, dispatcher,
                                              make_tracker("tg-2", channel="telegram"), {})
        return only_text(shown(dispatcher.messages))

    store.save_draft("rest", "cy", text="one")
    redeem(store.create_link_code("rest", "cy"))
    assert redeem(store.create_link_code("rest", "cy")) == ["Those two chats are already linked."]
    for _ in range(MAX_WRONG_CODES):
        assert redeem("AAAA-AAAA") == ["That code didn't match. Check it and try again."]
    assert redeem("AAAA-AAAA") == [
        "Too many wrong codes in a row, so I've paused linking for a quarter of an hour. Your "
        "drafts are safe."]


def test_nothing_to_delete_discard_keep_or_export(domain, store):
    from actions.drafts import ActionDiscardDraft
    from actions.review import ActionDeleteDraft, ActionExportDrafts, ActionKeepDraft

    said = [only_text(run_action(action, make_tracker(slots=slots), domain)[0])
            for action, slots in ((ActionDeleteDraft(), {}),
                                  (ActionDeleteDraft(), {"pending_delete": "9"}),
                                  (ActionKeepDraft(), {}),
                                  (ActionDiscardDraft(), {}),
                                  (ActionExportDrafts(), {}))]
    assert said == [
        ['There\'s no draft waiting to be deleted. Say "delete draft 2" to delete one.'],
        ["Draft #9 was already gone."],
        ["Okay, nothing was deleted."],
        ["There's no unsaved draft to discard. Your saved drafts are untouched."],
        ["You don't have any saved drafts to export yet."],
    ]


@pytest.mark.parametrize("answered, asked, buttons", [
    ({"feeling": "scared"},
     "What story is the fear telling you right now? For example \"he's losing interest\" or "
     "\"she's going to leave me\". Put it in your own words, or skip.", ["Skip"]),
    ({"feeling": "scared", "fear": "skipped"},
     "That fear is real as a feeling. Is there also a part of you that knows the relationship "
     "isn't actually in danger right now? Try saying both: \"I'm really scared right now, and "
     "part of me knows we're okay.\"", ["Yes, part of me knows", "Not right now", "Skip"]),
    ({"feeling": "scared", "fear": "skipped", "knows_better": "yes", "need": "skipped"},
     "Is there a small, concrete request your partner could say yes or no to? For example: "
     "\"Would you be willing to send me a quick text when you're running late?\" Type it, or "
     "skip.", ["Skip"]),
])
def test_each_step_is_asked_in_its_words(domain, answered, asked, buttons):
    from actions.reflection import ValidateReflectionForm

    slots = {"trigger_type": "late_without_notice", "pause": "done", **answered}
    tracker = make_tracker(slots=slots, active_loop="reflection_form")
    [message] = run_action(ValidateReflectionForm(), tracker, domain)[0]
    assert message["text"] == asked
    assert [button["title"] for button in message["buttons"]] == buttons


ASK_FEELING = "What are you feeling right now? Pick the closest word, or use your own."
ASK_FEAR = ("What story is the fear telling you right now? For example \"he's losing interest\" "
            "or \"she's going to leave me\". Put it in your own words, or skip.")
ASK_NEED = "What do you need most right now? Pick one or say it your way."
ASK_REQUEST = ("Is there a small, concrete request your partner could say yes or no to? For "
               "example: \"Would you be willing to send me a quick text when you're running "
               "late?\" Type it, or skip.")
BEFORE = {"feeling": {}, "fear": {"feeling": "scared"},
          "need": {"feeling": "scared", "fear": "skipped", "knows_better": "yes"},
          "request": {"feeling": "scared", "fear": "skipped", "knows_better": "yes",
                      "need": "reassurance"}}


@pytest.mark.parametrize("step, answer, said", [
    ("need", "scared", ["That's the feeling, and a real one. Underneath it there is usually a "
                        "need.", ASK_NEED]),
    ("need", "abandoned", ["That's how it felt they treated you. Underneath it there is usually "
                           "a need.", ASK_NEED]),
    ("fear", "abandoned", ["That's how it felt they treated you. The fear is something else: "
                           "the story the anxiety tells.", ASK_FEAR]),
    ("need", "he's going to leave me", ["That sounds like the story the fear is telling. "
                                        "Underneath it there is usually a need.", ASK_NEED]),
    ("fear", "could you text me when you're running late", [
        "That sounds like something to ask your partner, and I'll keep it for later. First, "
        "the fear.", ASK_FEAR]),
    ("feeling", "i feel like he doesn't care about me at all anymore", [
        "That sounds like the story the fear is telling, and I'll keep it for later. First, "
        "the feeling under it.", ASK_FEELING]),
    ("feeling", "I went to the shop", [
        "That sounds more like a thought about what's going on than a feeling. The feeling is "
        "what's under it.", ASK_FEELING]),
    ("request", "reassurance", [
        "That sounds like what you need. A request is something smaller: something your "
        "partner could say yes or no to.", ASK_REQUEST]),
])
def test_an_answer_for_another_step_is_named_then_the_step_asked_once(domain, step, answer,
                                                                        said):
    """The whole turn as the person reads it: what their answer is, then the step's own
    question, once (the question was asked twice in a row, found trying the bot by hand)."""
    from actions.reflection import ValidateReflectionForm

    slots = {"trigger_type": "late_without_notice", "pause": "done", **BEFORE[step],
             step: answer, "requested_slot": step}
    tracker = make_tracker(text=answer, slots=slots, active_loop="reflection_form")
    tracker.events.append({"event": "slot", "name": step, "value": answer})
    messages, _ = run_action(ValidateReflectionForm(), tracker, domain)
    assert [message["text"] for message in messages] == said


def test_a_gentle_finding_without_a_gentler_version_keeps_their_words(domain, monkeypatch):
    import actions.reflection as reflection

    draft = "When you came home late, I felt scared."
    monkeypatch.setattr(reflection, "check_draft", lambda text: ["a finding"])
    monkeypatch.setattr(reflection, "summarise", lambda findings: "One thing to look at.")
    monkeypatch.setattr(reflection, "suggest_rewrite", lambda text, findings: text)
    messages, _ = run_action(reflection.ActionComposeDraft(),
                             make_tracker(slots={"custom_draft": draft}), domain)
    assert only_text(messages) == [
        "Here it is, in your words:", draft, "One thing to look at.",
        "It's your message, so you can keep your words anyway. Nothing is ever sent to your "
        "partner."]
    assert [button["title"] for button in messages[-1]["buttons"]] == [
        "Keep my words and save", "Change the feeling", "Rewrite it myself", "Discard"]


def test_what_rasa_cannot_fill_is_never_proposed():
    """Rasa shows a response's template itself when a value holds "0[": a clause with it is
    asked for in the person's own words instead of being shown as "{proposed}"."""
    from actions.reflection import propose_observation

    broken = shown([{"response": "utter_step_observation", "proposed": "you came at 10[pm]"}])
    assert broken[0]["text"] == "So what happened was: {proposed}. Is that it?"  # Rasa's quirk
    assert propose_observation("you came home at 10[ish] without a text") is None
    assert propose_observation("you came home at 10 without a text") is not None
