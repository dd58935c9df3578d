"""The NLU component that runs after the classifier: safety first, then unreadable messages."""
from __future__ import annotations

import pytest
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


@pytest.mark.parametrize("text, intent", [
    ("he stopped replying after I sent him <img src=x onerror=alert(1)>", "trigger_slow_replies"),
    ("open draft 1", "open_draft"),
    ("he didn't come home " * 200, "trigger_late_without_notice"),   # a long vent stays a vent
])
def test_ordinary_messages_keep_the_classifiers_intent(text, intent):
    assert classified(text, intent)["name"] == intent


def test_safety_comes_before_everything():
    assert classified("i want to kill myself tonight", "open_draft")["name"] == "crisis"
