"""An NLU pipeline component that lets Steady's safety layer overrule the classifier.

It runs after DIET and the FallbackClassifier, on every message, whatever the conversation
is doing. A message that ``bot.safety.assess`` reads as crisis or abuse leaves the NLU as
the intent ``crisis`` or ``abuse`` with confidence 1.0, so the dialogue rules for those
intents apply at any moment; the message also carries ``safety``: the risk, the tier
(``clear``: the full response at once; ``possible``: ask directly first), the cue's name,
and the intent the classifier would have given it, so that a "no" to the question can
return the person to where they were with their message handled as it would have been.
The safety classifier's crisis/abuse probabilities (``bot.plugins.understanding``; DIET's
own guesses when that classifier is not in the pipeline) are passed to the safety layer,
which decides how far to trust them.

If the safety code itself fails, the message is treated as a possible crisis (a check-in),
never as nothing; the error is logged without the person's words.

Second, a message with nothing to classify (empty, emoji only, markup only, another
language: ``bot.textcheck``) leaves as ``nlu_fallback``, so the fallback answers it kindly
and specifically instead of the classifier guessing. Safety still comes first.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import Risk, SafetyFinding, Tier, assess, warm_up
from bot.textcheck import Unclear, classify, is_greeting

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
SAFETY_KEY = "safety"
SAFETY_INTENTS = (Risk.crisis.value, Risk.abuse.value)
# What the classifier cannot read; long vents (too_long) are still classified.
UNREADABLE = {Unclear.empty, Unclear.emoji_only, Unclear.markup, Unclear.other_language}


# What people ask Steady to do ("make a code so i can link my accounts", "let me make
# changes to number eight"): when DIET is sure a message is one of these, the safety
# classifier, which learnt from stories and not from commands, is not heard; rules still are.
COMMANDS = frozenset(
    """
    greet goodbye thanks help skip stop start_over show_drafts save_draft change_feeling
    rewrite_draft discard_draft done_pausing delete_all_data confirm_delete_all resume
    use_suggestion open_draft edit_draft mark_sent archive_draft delete_draft
    confirm_delete_draft export_drafts trigger_patterns link_account have_link_code
""".split()
)
COMMAND_CONFIDENCE = 0.5


def read_safely(
    text: str,
    predicted: Dict[str, Any],
    ranking: List[Dict[str, Any]],
    classifier: Optional[Dict[str, float]] = None,
    plain_answer: bool = False,
) -> SafetyFinding:
    """``assess``, with a failure of the safety code read as a possible crisis.

    ``classifier``: the safety classifier's crisis/abuse probabilities; when present they
    are the second voice, and DIET's own crisis/abuse guesses are not heard.
    ``plain_answer``: the message is a plain yes or no (``bot.plugins.plain_answers``), which
    the classifier is not asked about either."""
    scores: Dict[str, float] = {}
    if classifier is not None:
        command = (
            plain_answer
            or predicted.get("name") in COMMANDS
            and float(predicted.get("confidence") or 0.0) >= COMMAND_CONFIDENCE
        )
        scores = {} if command else dict(classifier)
        predicted = {}
    else:
        for entry in ranking:
            try:
                scores[str(entry.get("name"))] = float(entry.get("confidence") or 0.0)
            except (TypeError, ValueError):
                continue
    try:
        return assess(text, predicted.get("name"), predicted.get("confidence") or 0.0, scores)
    except Exception as error:  # noqa: BLE001 - a person's safety never rests on a bug
        logger.error(
            "The safety check failed (%s); asking the person directly instead", type(error).__name__
        )
        return SafetyFinding(Risk.crisis, "safety_error", "", Tier.possible)


#: config.yml's FallbackClassifier threshold: an intent below it is not trusted, here too.
FALLBACK_THRESHOLD = 0.3


def _without_safety(predicted: Dict[str, Any], ranking: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The classifier's best intent that is not crisis/abuse (what the message would be);
    the fallback when even that one is below the fallback threshold ("no goodnight text from
    him tonight" is not "goodbye" at 0.15: the situation gate then reads it)."""
    if predicted.get("name") and predicted.get("name") not in SAFETY_INTENTS:
        return dict(predicted)
    for entry in ranking:
        if entry.get("name") not in SAFETY_INTENTS:
            confidence = float(entry.get("confidence") or 0.0)
            if entry.get("name") != FALLBACK_INTENT and confidence < FALLBACK_THRESHOLD:
                return {"name": FALLBACK_INTENT, "confidence": confidence}
            return dict(entry)
    return {"name": FALLBACK_INTENT, "confidence": 0.0}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyRules(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyRules":
        warm_up()  # build the matchers while the model loads, not on someone's first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        predicted = message.get(INTENT) or {}
        ranking = list(message.get(INTENT_RANKING_KEY) or [])
        text: str = message.get(TEXT) or ""
        finding = read_safely(
            text,
            predicted,
            ranking,
            message.get("safety_scores"),
            plain_answer=bool(message.get("plain_answer")),
        )
        if finding.risk is Risk.none:
            if is_greeting(text):
                message.set(INTENT, {"name": "greet", "confidence": 1.0}, add_to_output=True)
            elif classify(text) in UNREADABLE:
                message.set(
                    INTENT, {"name": FALLBACK_INTENT, "confidence": 1.0}, add_to_output=True
                )
            elif predicted.get("name") in SAFETY_INTENTS:
                # The model alone said crisis/abuse, but faintly, negated or as a figure of
                # speech: the best other intent.
                message.set(INTENT, _without_safety(predicted, ranking), add_to_output=True)
            return
        overruled = {"name": finding.risk.value, "confidence": 1.0}
        message.set(INTENT, overruled, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [overruled] + [r for r in ranking if r.get("name") != finding.risk.value],
            add_to_output=True,
        )
        message.set(
            SAFETY_KEY,
            {
                "risk": finding.risk.value,
                "tier": finding.tier.value,
                "cue": finding.cue,  # the rule's name, never the person's words
                "intent": _without_safety(predicted, ranking),
            },
            add_to_output=True,
        )
        message.set("safety_cue", finding.cue, add_to_output=True)
