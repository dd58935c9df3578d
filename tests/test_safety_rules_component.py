"""The NLU component that runs after the classifier: safety first, then unreadable messages."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.plugins.safety_rules import SafetyRules


def classified(text: str, intent: str, confidence: float = 0.72) -> dict:
    """Run the component on a message the classifier labelled ``intent``."""
    message = Message(data={TEXT: text})
    prediction = {"name": intent, "confidence": confidence}
    message.set(INTENT, prediction)
    message.set(INTENT_RANKING_KEY, [prediction])
    [out] = SafetyRules().process([message])
    return out.get(INTENT)


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "😢😢😢", "",
    "mi novio no me contestó los mensajes en todo el día",
])
def test_what_the_classifier_cannot_read_goes_to_the_kind_fallback(text):
    assert classified(text, "open_draft")["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["👋", "👋🏽", "🙋‍♀️", " 👋👋 "])
def test_a_wave_on_its_own_is_a_hello(text):
    assert classified(text, "nlu_fallback", 0.2) == {"name": "greet", "confidence": 1.0}


def test_a_wave_beside_other_emoji_or_words_is_not_taken_for_a_hello():
    assert classified("😢👋", "open_draft")["name"] == "nlu_fallback"
    assert classified("👋 he left me on read", "trigger_slow_replies")["name"] == \
        "trigger_slow_replies"


@pytest.mark.parametrize("text, intent", [
    ("he stopped replying after I sent him <img src=x onerror=alert(1)>", "trigger_slow_replies"),
    ("open draft 1", "open_draft"),
    ("he didn't come home " * 200, "trigger_late_without_notice"),   # a long vent stays a vent
])
def test_ordinary_messages_keep_the_classifiers_intent(text, intent):
    assert classified(text, intent)["name"] == intent


def test_safety_comes_before_everything():
    assert classified("i want to kill myself tonight", "open_draft")["name"] == "crisis"


def processed(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, entries[0])
    message.set(INTENT_RANKING_KEY, entries)
    [out] = SafetyRules().process([message])
    return out


def test_a_clear_finding_keeps_what_the_message_would_have_been():
    out = processed("i want to kill myself tonight", [("trigger_slow_replies", 0.7),
                                                       ("crisis", 0.2)])
    assert out.get(INTENT)["name"] == "crisis"
    safety = out.get("safety")
    assert (safety["risk"], safety["tier"]) == ("crisis", "clear")
    assert safety["intent"]["name"] == "trigger_slow_replies"
    assert "kill" not in str(safety)  # the cue's name, never the person's words


def test_an_unsure_crisis_guess_becomes_a_check_in_not_silence():
    out = processed("everything feels grey and pointless lately",
                    [("trigger_low_affection", 0.45), ("crisis", 0.41)])
    assert out.get(INTENT)["name"] == "crisis"
    assert out.get("safety")["tier"] == "possible"
    assert out.get("safety")["intent"]["name"] == "trigger_low_affection"


def test_a_faint_model_only_guess_gives_way_to_the_next_intent():
    from bot.plugins.situations import DescribedSituations

    out = processed("he was late and i was sad", [("crisis", 0.25), ("trigger_late_without_notice",
                                                                      0.2)])
    assert out.get("safety") is None
    # below the fallback threshold the next intent is not trusted as such; the situation
    # gate then starts the reflection on the likeliest trigger
    [out] = DescribedSituations().process([out])
    assert out.get(INTENT)["name"] == "trigger_late_without_notice"


def test_if_the_safety_code_fails_the_person_is_asked_directly(monkeypatch, caplog):
    import bot.plugins.safety_rules as component

    def broken(*args, **kwargs):
        raise RuntimeError("a bug with the words in it: secret words")

    monkeypatch.setattr(component, "assess", broken)
    out = processed("secret words about my evening", [("trigger_other", 0.9)])
    assert out.get(INTENT)["name"] == "crisis"
    assert out.get("safety")["tier"] == "possible"
    assert "secret words" not in caplog.text and "RuntimeError" in caplog.text


def situation(text: str, ranking: list[tuple[str, float]], safety: bool = False) -> dict:
    from bot.plugins.situations import DescribedSituations

    message = Message(data={TEXT: text})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, {"name": "nlu_fallback", "confidence": 0.3})
    message.set(INTENT_RANKING_KEY, entries)
    if safety:
        message.set("safety", {"risk": "crisis", "tier": "possible"})
    [out] = DescribedSituations().process([message])
    return out.get(INTENT)


def test_a_described_situation_the_classifier_could_not_place_starts_a_reflection():
    intent = situation("he put the bins out and didnt say a word to me after",
                       [("open_draft", 0.2), ("trigger_preoccupied", 0.18),
                        ("trigger_low_affection", 0.15)])
    assert intent == {"name": "trigger_preoccupied", "confidence": 0.18}


@pytest.mark.parametrize("text", [
    "you didn't call me back after I said it was urgent",
    "You were on your phone the whole time I was telling you about my dad.",
    "you left without saying bye this morning",
    "my partners a truckie, gone most of the week",
])
def test_a_situation_already_said_to_the_partner_starts_a_reflection(text):
    assert situation(text, [("trigger_slow_replies", 0.2)])["name"] == "trigger_slow_replies"


@pytest.mark.parametrize("text", [
    # a worry about the relationship with no partner named (spent blind sets)
    "i think im too clingy, how do i stop",
    "how do i know if i'm in love or just scared of being alone",
    "is it normal to feel bored after 3 years together",
    "military deployment starts in january and i'm already falling apart",
    "i said 'i miss you' at 2pm and its 8pm. nothing.",
    "i feel like a flatmate tbh",
    "today was six months and I got nothing. Maybe it's silly to count months",
])
def test_a_worry_about_the_relationship_is_not_turned_away(text):
    assert situation(text, [("trigger_other", 0.2)])["name"] == "trigger_other"


@pytest.mark.parametrize("text, safety", [
    ("hmm ok", False),                                   # not a situation
    ("what can you do", False),                          # nobody else in it
    ("can you help me with something", False),           # "you" is Steady here
    ("are you a real person or a bot", False),
    ("😢😢 he 😢😢", False),                              # nothing to read
    ("he said something and now i feel weird", True),    # safety decides, not this
])
def test_other_unplaced_messages_stay_with_the_fallback(text, safety):
    assert situation(text, [("trigger_other", 0.2)], safety)["name"] == "nlu_fallback"


def test_a_command_diet_is_sure_of_is_not_second_guessed_by_the_classifier():
    message = Message(data={TEXT: "make a code so i can link my accounts"})
    message.set(INTENT, {"name": "link_account", "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": "link_account", "confidence": 0.9}])
    message.set("safety_scores", {"crisis": 0.0, "abuse": 0.97})
    [out] = SafetyRules().process([message])
    assert out.get(INTENT)["name"] == "link_account"
    # ... but a rule still speaks, whatever DIET thinks it is
    rule = Message(data={TEXT: "open draft 2, i want to kill myself"})
    rule.set(INTENT, {"name": "open_draft", "confidence": 0.9})
    rule.set(INTENT_RANKING_KEY, [{"name": "open_draft", "confidence": 0.9}])
    rule.set("safety_scores", {"crisis": 0.1, "abuse": 0.0})
    assert SafetyRules().process([rule])[0].get(INTENT)["name"] == "crisis"


def through_plain_answers(text: str, ranking: list[tuple[str, float]],
                          scores: dict[str, float]) -> Message:
    """PlainAnswers, then SafetyRules, with the safety classifier's scores given."""
    from bot.plugins.plain_answers import PlainAnswers

    message = Message(data={TEXT: text})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, entries[0])
    message.set(INTENT_RANKING_KEY, entries)
    message.set("safety_scores", scores)
    [out] = SafetyRules().process(PlainAnswers().process([message]))
    return out


def test_a_plain_no_to_a_check_in_is_a_no_whatever_the_classifiers_guessed():
    # The classifiers read "no" as goodbye and "no i'm not" as crisis at 0.82.
    assert through_plain_answers("no", [("goodbye", 0.35)],
                                 {"crisis": 0.04, "abuse": 0.01}).get(INTENT)["name"] == "deny"
    out = through_plain_answers("no i'm not", [("nlu_fallback", 0.3)],
                                {"crisis": 0.82, "abuse": 0.01})
    assert out.get(INTENT) == {"name": "deny", "confidence": 1.0} and not out.get("safety")


def test_more_than_a_plain_no_is_still_heard_by_the_safety_layer():
    out = through_plain_answers("no i'm not ok, i took the pills", [("deny", 0.6)],
                                {"crisis": 0.9, "abuse": 0.01})
    assert out.get(INTENT)["name"] == "crisis"


@pytest.mark.parametrize("text, intent, confidence, expected", [
    ("You always ignore me and you made me feel lonely.", "help", 0.38, "nlu_fallback"),
    ("You always ignore me and you made me feel lonely.", "help", 0.57, "nlu_fallback"),
    ("can you help me, i don't know what to write here", "help", 0.93, "help"),
    ("what can you do", "help", 0.92, "help"),
    ("stop", "stop", 0.86, "stop"),
])
def test_an_unsure_command_does_not_interrupt_a_free_text_step(text, intent, confidence,
                                                                expected):
    out = through_plain_answers(text, [(intent, confidence)], {"crisis": 0.0, "abuse": 0.0})
    assert out.get(INTENT)["name"] == expected


def test_a_check_in_keeps_the_situation_so_a_no_goes_on_with_it():
    """The check-in's held intent is what a "no" resumes: a situation, not "tell me more"."""
    from bot.plugins.situations import DescribedSituations

    message = Message(data={TEXT: "He said 'you're too much' when I asked why he didn't call"})
    message.set(INTENT, {"name": "abuse", "confidence": 1.0})
    message.set(INTENT_RANKING_KEY, [{"name": "abuse", "confidence": 1.0},
                                     {"name": "trigger_unnoticed_change", "confidence": 0.4},
                                     {"name": "nlu_fallback", "confidence": 0.3}])
    message.set("safety", {"risk": "abuse", "tier": "possible",
                           "intent": {"name": "nlu_fallback", "confidence": 0.3}})
    [out] = DescribedSituations().process([message])
    assert out.get(INTENT)["name"] == "abuse"  # safety still decides what happens now
    assert out.get("safety")["intent"] == {"name": "trigger_unnoticed_change", "confidence": 0.4}


def test_an_overruled_guess_leaves_a_faint_second_intent_to_the_fallback():
    """DIET said crisis (0.47), the safety layer found nothing, and the next intent is
    "goodbye" at 0.15: below the fallback threshold that is not trusted either, so the
    message goes on as nlu_fallback (and the situation gate can read it), never "goodbye"."""
    from bot.plugins.safety_rules import FALLBACK_THRESHOLD
    from bot.plugins.situations import DescribedSituations

    message = Message(data={TEXT: "no goodnight text from him tonight"})
    ranking = [{"name": "crisis", "confidence": 0.47}, {"name": "goodbye", "confidence": 0.15},
               {"name": "trigger_slow_replies", "confidence": 0.03}]
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    message.set("safety_scores", {"crisis": 0.0073, "abuse": 0.0007})  # our classifier's
    [out] = SafetyRules().process([message])
    assert out.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.15}
    [after] = DescribedSituations().process([out])
    assert after.get(INTENT)["name"] == "trigger_slow_replies"
    config = Path(__file__).resolve().parent.parent / "config.yml"
    fallback = next(c for c in yaml.safe_load(config.read_text())["pipeline"]
                    if c["name"] == "FallbackClassifier")
    assert FALLBACK_THRESHOLD == fallback["threshold"]


@pytest.mark.parametrize("text", [
    "Priya forgot to pick me up from the station. I waited 40 min in the rain.",
    "Sam didnt call me back last night",
])
def test_a_situation_told_by_the_partners_name_starts_a_reflection(text):
    assert situation(text, [("trigger_late_without_notice", 0.3)])["name"] == \
        "trigger_late_without_notice"


@pytest.mark.parametrize("text", [
    "didn't say goodbye this morning. just left.",
    "no kiss goodnight. back turned. lights off at 10:30.",
    "tuesday: no reply. wednesday: 'sorry crazy week'. thursday: nothing.",
    "late again. no msg.",  # blind round 10: a fallback, before
    "home late again, no heads up",
    "3 days no text.",  # messy round 8: three words, turned away before
    "left at 6am. no goodbye.",
    # blind round 16 (spent): a one-word reply, quoted as what hurt
    "why does a 'k' feel like a punch in the stomach",
    "got just 'ok' back after my long message about my day",
    # blind round 19 (spent): saying "i love you", or not yet, is about a partner
    "not sure i'm ready to say i love you back",
    "they said the l word first and i panicked",
    # blind round 20 (spent): one side doing all the reaching out
    "i double texted again and now i feel needy",
    "i'm always the one who plans our weekends",
    # blind round 27 (spent, on a retrain): a change nobody noticed, a job that takes them away
    "dyed my hair red yesterday. not one comment",
    "fifo again from monday, three weeks on",
    "promised to ring me after work, fell asleep again",
    "wore my new glasses all weekend, not a word",
    "driving interstate again, gone till monday",
    "tea went cold again cos 'one more game'",
    # blind round 28 (spent): a proposal, plans made with the writer
    "i want to propose but im scared shell say no",
    "i hate this. plans with me are always the first to go",
])
def test_a_situation_with_the_partner_left_out_starts_a_reflection(text):
    assert situation(text, [("trigger_slow_replies", 0.2)])["name"] == "trigger_slow_replies"


def _read_as(text: str, intent: str, confidence: float) -> str:
    from bot.plugins.situations import DescribedSituations

    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                                     {"name": "trigger_slow_replies", "confidence": 0.1}])
    [out] = DescribedSituations().process([message])
    return out.get(INTENT)["name"]


def test_a_farewell_word_inside_a_situation_is_the_situation_but_a_farewell_stays_one():
    assert _read_as("no goodnight text tonight.", "goodbye", 0.42) == "trigger_slow_replies"
    assert _read_as("bye for now, thanks", "goodbye", 0.81) == "goodbye"
    assert _read_as("goodnight and thank you so much", "goodbye", 0.5) == "goodbye"


@pytest.mark.parametrize("text", [
    "promised myself i'd go running today",
    "not a word of this essay makes sense",
    "gone for a walk, back soon",
    "my roster at work is brutal this week",
])
def test_everyday_talk_about_no_one_else_is_not_made_a_situation(text):
    assert situation(text, [("trigger_slow_replies", 0.2)])["name"] == "nlu_fallback"


def test_asking_to_go_back_to_the_exercise_resumes_whatever_the_classifier_guessed():
    # a retrain read it as cancelled plans at 0.50 and started a new reflection (e2e)
    out = through_plain_answers("can we go back to the exercise",
                                [("trigger_cancelled_plans", 0.5), ("resume", 0.1)],
                                {"crisis": 0.0, "abuse": 0.0})
    assert out.get(INTENT) == {"name": "resume", "confidence": 1.0}
