"""Steady's intent classifier: Rasa's ``DIETClassifier``, registered as a component of its own
(``config.yml``: ``bot.plugins.diet.SteadyDIETClassifier``) instead of patched in place.

Its model, ``SteadyDIET``, calls its traced TensorFlow graph directly once the graph exists,
instead of re-checking a dozen input arrays against the signature in Python on every message
(``bot.plugins.speedups.rasa_predict``, where the reasoning and its equivalence test live).
It is also loaded without training. Rasa builds a loaded model's weights by fitting it for
one step on one example (tracing and running the whole training graph, about half of a Rasa
server's start) and then overwrites every weight from the saved file. Here the same weights
are built by one eager pass of the same loss on the same example, with no gradient and no
optimizer, and then read from the file, so the model predicts exactly as Rasa's would
(``tests/test_speedups.py`` compares the two on every message of the training data).

With ``STEADY_SPEEDUPS=0`` it is Rasa's own DIET, for comparing the two
(``scripts/bench.py``).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text, Tuple, Type

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

from bot.plugins import speedups


class SteadyDIET(DIET):
    """DIET, predicting through its traced graph (``speedups.rasa_predict``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steady_traced = speedups.enabled()

    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        """``RasaModel.load`` for prediction, without its one step of training."""
        if finetune_mode or not speedups.enabled():  # training goes on: Rasa's own way
            return super().load(
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        model = cls(*args, **kwargs)
        example = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
        model._training = True  # the training-time layers too: every weight the file has
        model.batch_loss(example)
        model._training = None
        model.load_weights(model_file_name).expect_partial()  # the optimizer's are not needed
        if predict_data_example:
            model.run_inference(predict_data_example)  # trace prediction now, as Rasa does
        return model

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
