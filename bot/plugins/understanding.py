"""Steady's own classifiers in Rasa's pipeline: the safety classifier and the trigger classifier.

Both are ``bot.language.classifier.TextClassifier`` s, trained by ``rasa train`` on the NLU
data (the ``crisis``, ``abuse`` and ``trigger_*`` examples, everything else as "none") and on
``bot/data/understanding/`` (many more examples, written from the taxonomies by people who
never saw the project, than DIET should train on), and stored in the model like any
component. The examples file's hash is part of each component's configuration, so changing
it retrains the component.

* ``SafetyClassifier`` runs after DIET and before ``SafetyRules``. It adds
  ``safety_scores`` (crisis and abuse probabilities) to the message; the safety layer hears
  them instead of DIET's own ``crisis``/``abuse`` confidence, which is not calibrated.
* ``TriggerClassifier`` runs last. When the message is a described situation (DIET or the
  ``DescribedSituations`` gate named a trigger intent), it decides which trigger: the intent
  becomes its best trigger, with its probability, and ``intent_ranking`` lists the triggers
  best first, so ``action_start_reflection`` can tell sure from unsure.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.classifier import TextClassifier
from bot.triggers import INTENT_PREFIX

logger = logging.getLogger(__name__)

SCORES_KEY = "safety_scores"
NONE = "none"
SAFETY_LABELS = ("crisis", "abuse")
_FILE = "classifier"
#: More examples than DIET should see (it would take too long to train and be no better
#: for it): written from the taxonomies by people blind to the project (tests/blind/).
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "understanding"


def _examples(name: str) -> dict[str, list[str]]:
    path = EXAMPLES_DIR / name
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(label): [str(item["text"] if isinstance(item, dict) else item) for item in items or []]
        for label, items in data.items()
    }


def _fingerprint(names: tuple[str, ...]) -> str:
    """Part of the component's config, so Rasa retrains it when the examples change."""
    digest = hashlib.sha256()
    for name in names:
        path = EXAMPLES_DIR / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _Trained(GraphComponent):
    """Train a TextClassifier on (text, label) pairs from the NLU data and its own examples
    file (``EXAMPLES``, under bot/data/understanding/); persist; load."""

    EXAMPLES: tuple[str, ...] = ()

    @classmethod
    def get_default_config(cls) -> Dict[Text, Any]:
        return {"c": 10.0, "examples": _fingerprint(cls.EXAMPLES)}

    @staticmethod
    def extra_label(file: str, label: str) -> Optional[str]:
        """The label an entry of an examples file trains (None: not used)."""
        return label

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: Optional[TextClassifier] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.classifier = classifier or TextClassifier(c=float(self.config["c"]))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_Trained":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "_Trained":
        try:
            with model_storage.read_from(resource) as directory:
                classifier = TextClassifier.load(directory / _FILE)
        except (ValueError, FileNotFoundError) as error:
            # A model without this classifier cannot tell what it was trained to tell.
            raise RuntimeError(
                f"{cls.__name__}: the model holds no trained classifier "
                f"({error}); train the model again (make model)"
            ) from error
        return cls(config, model_storage, resource, classifier)

    @staticmethod
    def label(intent: str) -> Optional[str]:
        raise NotImplementedError

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            text, intent = example.get(TEXT), example.get(INTENT)
            label = self.label(str(intent or ""))
            if text and label is not None:
                texts.append(text)
                labels.append(label)
        for file in self.EXAMPLES:
            for name, examples in _examples(file).items():
                label = self.extra_label(file, name)
                if label is not None:
                    texts.extend(examples)
                    labels.extend([label] * len(examples))
        self.classifier.fit(texts, labels)
        with self._storage.write_to(self._resource) as directory:
            self.classifier.save(directory / _FILE)
        return self._resource


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafetyClassifier(_Trained):
    # crisis, abuse and ordinary (figures of speech near both); every described trigger is
    # an ordinary message too, however anxious; so are the requests and fears people answer
    # the reflection with ("let me know if you'll be late" is not monitoring)
    EXAMPLES = ("safety.yml", "triggers.yml", "triggers_learnt.yml", "requests.yml")

    @staticmethod
    def label(intent: str) -> Optional[str]:
        return intent if intent in SAFETY_LABELS else NONE

    @staticmethod
    def extra_label(file: str, label: str) -> Optional[str]:
        return label if file == "safety.yml" and label in SAFETY_LABELS else NONE

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            scores = self.classifier.scores(message.get(TEXT) or "")
            message.set(
                SCORES_KEY,
                {label: round(scores.get(label, 0.0), 4) for label in SAFETY_LABELS},
                add_to_output=True,
            )
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TriggerClassifier(_Trained):
    EXAMPLES = ("triggers.yml", "triggers_learnt.yml")  # every trigger's examples

    @staticmethod
    def label(intent: str) -> Optional[str]:
        return intent if intent.startswith(INTENT_PREFIX) else None

    @staticmethod
    def extra_label(file: str, label: str) -> Optional[str]:
        return INTENT_PREFIX + label

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if not str(intent.get("name") or "").startswith(INTENT_PREFIX):
                continue
            scores = self.classifier.scores(message.get(TEXT) or "")
            ranking = [
                {"name": name, "confidence": confidence}
                for name, confidence in sorted(scores.items(), key=lambda item: -item[1])
            ]
            if ranking:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
