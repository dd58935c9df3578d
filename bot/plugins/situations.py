"""An NLU pipeline component: a described situation is never turned away.

It runs after the safety layer. When the classifier could not place a message
(``nlu_fallback``, or everyday talk) but the message reads like something a partner did
or didn't do
(``bot.triggers.looks_like_situation``: a few words, one of them about another person),
it leaves as the likeliest trigger intent, at the low confidence the classifier gave it:
the reflection starts with a neutral reflect-back and the person picks the pattern that
fits (``action_start_reflection`` sees the classifier was not sure). Safety findings and
unreadable messages (emoji only, markup, another language) are left alone; a safety finding
keeps the situation as what the message would have been (``safety["intent"]``), so that a
"no" to the check-in goes on with it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.textcheck import Unclear, classify
from bot.triggers import INTENT_PREFIX, looks_like_situation

FALLBACK_INTENT = "nlu_fallback"
#: Everyday talk is learnt only from messages about no one else; one about a partner that
#: lands there is a situation the classifier could not place.
UNPLACED = (FALLBACK_INTENT, "chitchat")
READABLE = {Unclear.unclear, Unclear.too_long}
#: "no goodnight text tonight" read as goodbye (0.42): a farewell word inside a described
#: situation, when the classifier is not sure, is the situation ("bye for now" stays bye).
FAREWELLS = ("goodbye", "greet")
FAREWELL_SURE = 0.6


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DescribedSituations(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DescribedSituations":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            safety = message.get("safety")
            # A safety check-in keeps what the message would otherwise have been, so that a
            # "no" goes on with it: that, too, is a situation and not "tell me more".
            intent = (safety.get("intent") or {}) if safety else (message.get(INTENT) or {})
            farewell_word = (
                intent.get("name") in FAREWELLS
                and float(intent.get("confidence") or 0.0) < FAREWELL_SURE
            )
            if intent.get("name") not in UNPLACED and not farewell_word:
                continue
            text = message.get(TEXT) or ""
            if classify(text) not in READABLE or not looks_like_situation(text):
                continue
            triggers = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if str(entry.get("name", "")).startswith(INTENT_PREFIX)
            ]
            if not triggers:  # none in DIET's top ten: the trigger classifier, next, ranks them
                triggers = [
                    {
                        "name": INTENT_PREFIX + "other",
                        "confidence": float(intent.get("confidence") or 0.0),
                    }
                ]
            if triggers:
                best = max(triggers, key=lambda entry: float(entry.get("confidence") or 0.0))
                if safety:
                    message.set("safety", {**safety, "intent": dict(best)}, add_to_output=True)
                else:
                    message.set(INTENT, dict(best), add_to_output=True)
        return messages
