"""Steady's intent classifier: Rasa's ``DIETClassifier``, registered as a component of its own
(``config.yml``: ``bot.plugins.diet.SteadyDIETClassifier``) instead of patched in place.

Its model, ``SteadyDIET``, calls its traced TensorFlow graph directly once the graph exists,
instead of re-checking a dozen input arrays against the signature in Python on every message
(``bot.plugins.speedups.rasa_predict``, where the reasoning and its equivalence test live).
With ``STEADY_SPEEDUPS=0`` it is Rasa's own DIET, for comparing the two
(``scripts/bench.py``).
"""

from __future__ import annotations

from typing import Any, Dict, Text, Tuple, Type

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.models import RasaModel

from bot.plugins import speedups


class SteadyDIET(DIET):
    """DIET, predicting through its traced graph (``speedups.rasa_predict``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steady_traced = speedups.enabled()

    def _rasa_predict(self, batch_in: Tuple[np.ndarray, ...]) -> Dict[Text, Any]:
        if not self.steady_traced:
            return super()._rasa_predict(batch_in)
        return speedups.rasa_predict(self, batch_in)


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class SteadyDIETClassifier(DIETClassifier):
    """``DIETClassifier`` whose model is ``SteadyDIET``."""

    @staticmethod
    def model_class() -> Type[RasaModel]:
        return SteadyDIET
