"""An NLU pipeline component that lets Steady's safety rules overrule the classifier.

It runs after DIET and the FallbackClassifier. Whatever the model predicted (a trigger,
an answer inside the form, ``nlu_fallback``), a message that the rule layer in
``bot.safety`` reads as crisis or abuse leaves the NLU as the intent ``crisis`` or
``abuse`` with confidence 1.0, so the dialogue rules for those intents apply at any
moment of the conversation. The NLU's own ``crisis``/``abuse`` prediction is passed to
the rule layer, which decides whether to trust it (see ``bot.safety.detector``).

Second, a message with nothing to classify (empty, emoji only, markup only, another
language: ``bot.textcheck``) leaves as ``nlu_fallback``, so the fallback answers it kindly
and specifically instead of the classifier guessing: the "1" in ``alert(1)`` once
looked enough like "open draft 1" to the model. Safety still comes first.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import Risk, assess, warm_up
from bot.textcheck import Unclear, classify

FALLBACK_INTENT = "nlu_fallback"
# What the classifier cannot read; long vents (too_long) are still classified.
UNREADABLE = {Unclear.empty, Unclear.emoji_only, Unclear.markup, Unclear.other_language}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyRules(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyRules":
        warm_up()  # build the matchers while the model loads, not on someone's first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            predicted = message.get(INTENT) or {}
            finding = assess(message.get(TEXT) or "", predicted.get("name"),
                             float(predicted.get("confidence") or 0.0))
            if finding.risk is Risk.none:
                if classify(message.get(TEXT)) in UNREADABLE:
                    fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
                    message.set(INTENT, fallback, add_to_output=True)
                    continue
                if predicted.get("name") in (Risk.crisis.value, Risk.abuse.value):
                    # The model alone said crisis/abuse but the rules found it negated or a
                    # figure of speech: fall back to the best other intent.
                    ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                               if r.get("name") not in (Risk.crisis.value, Risk.abuse.value)]
                    if ranking:
                        message.set(INTENT, ranking[0], add_to_output=True)
                continue
            overruled = {"name": finding.risk.value, "confidence": 1.0}
            message.set(INTENT, overruled, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get("name") != finding.risk.value]
            message.set(INTENT_RANKING_KEY, [overruled] + ranking, add_to_output=True)
            message.set("safety_cue", finding.cue, add_to_output=True)
        return messages
