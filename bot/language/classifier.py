"""A small text classifier Steady trains on its own data: lemmas and letters, weighed linearly.

Used twice (``bot/plugins/understanding.py`` wires both into Rasa's pipeline):

* the safety classifier (crisis / abuse / none), the second voice beside the rules in
  ``bot/data/safety/``;
* the trigger classifier (which of the nine triggers, or other), once the message is known
  to describe a situation.

Why not Rasa's DIET for these: on messages from a writer it never saw, DIET was confident
and wrong (it gave "abuse" at 1.0 to a quarter of ordinary figures of speech) and mixed
the triggers up with every other intent. A linear model over the words' normal forms
(``bot.safety.normalise``: lemmas, text-speak and typos mapped) and their letters (so
"unaliving", "od'd" and misspellings share features) is calibrated, fast to train
(seconds) and to run (well under a millisecond), and each class can be weighted so a
rare class is not drowned out. Plain Python and scikit-learn: no Rasa imports.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

__all__ = ["TextClassifier", "normal_text"]


def normal_text(text: str) -> str:
    """The message as normal forms, space-separated ("i wanna die" -> "i want to die")."""
    from bot.safety.detector import _doc  # the same reading the safety rules use

    doc, _ = _doc(text or "")
    return " ".join(token.norm_ for token in doc if not token.is_space)


@dataclass
class TextClassifier:
    """Word (1-2 gram) and letter (2-5 gram, within words) TF-IDF, logistic regression."""

    c: float = 10.0
    balanced: bool = True
    max_features: int = 60000
    labels: list[str] = field(default_factory=list)
    _words: Optional[TfidfVectorizer] = None
    _letters: Optional[TfidfVectorizer] = None
    _model: Optional[LogisticRegression] = None

    def _matrix(self, normal: Sequence[str], fit: bool = False):
        if fit:
            self._words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                          max_features=self.max_features, token_pattern=r"\S+")
            self._letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                            sublinear_tf=True, max_features=self.max_features)
            return hstack([self._words.fit_transform(normal),
                           self._letters.fit_transform(normal)]).tocsr()
        assert self._words is not None and self._letters is not None
        return hstack([self._words.transform(normal), self._letters.transform(normal)]).tocsr()

    def fit(self, texts: Iterable[str], labels: Iterable[str]) -> "TextClassifier":
        normal = [normal_text(t) for t in texts]
        targets = list(labels)
        if len(set(targets)) < 2:
            raise ValueError("a classifier needs examples of at least two labels")
        matrix = self._matrix(normal, fit=True)
        self._model = LogisticRegression(C=self.c, max_iter=5000,
                                         class_weight="balanced" if self.balanced else None)
        self._model.fit(matrix, targets)
        self.labels = [str(label) for label in self._model.classes_]
        return self

    @property
    def trained(self) -> bool:
        return self._model is not None

    def scores(self, text: str) -> dict[str, float]:
        """Label -> probability for one message (all labels; they sum to one)."""
        if self._model is None:
            return {}
        row = self._model.predict_proba(self._matrix([normal_text(text)]))[0]
        return {label: float(p) for label, p in zip(self.labels, np.asarray(row))}

    def save(self, path: Path) -> None:
        """Write the trained parts with skops (no arbitrary code on load, unlike pickle)."""
        import skops.io as sio

        sio.dump({"c": self.c, "balanced": self.balanced, "max_features": self.max_features,
                  "labels": self.labels, "words": self._words, "letters": self._letters,
                  "model": self._model}, path)

    @classmethod
    def load(cls, path: Path) -> "TextClassifier":
        import skops.io as sio

        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in _TRUSTED]
        if untrusted:
            raise ValueError(f"{path} holds types that are not a text classifier: {untrusted}")
        data = sio.load(path, trusted=_TRUSTED)
        if not isinstance(data, dict) or not isinstance(data.get("model"), LogisticRegression) \
                or not isinstance(data.get("words"), TfidfVectorizer) \
                or not isinstance(data.get("letters"), TfidfVectorizer):
            raise ValueError(f"{path} is not a text classifier")
        classifier = cls(c=data["c"], balanced=data["balanced"],
                         max_features=data["max_features"], labels=list(data["labels"]))
        classifier._words, classifier._letters = data["words"], data["letters"]
        classifier._model = data["model"]
        return classifier


# What a saved classifier is made of (skops refuses anything else).
_TRUSTED = ["numpy.float64", "numpy.int64", "builtins.str", "numpy.dtype",
            "sklearn.feature_extraction.text.TfidfVectorizer",
            "sklearn.feature_extraction.text.TfidfTransformer",
            "sklearn.linear_model._logistic.LogisticRegression",
            "scipy.sparse._csr.csr_matrix"]
