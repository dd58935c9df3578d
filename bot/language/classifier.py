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

import json
from collections import Counter
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
    from bot.safety.detector import normal_words  # the same reading the safety rules use

    return " ".join(normal_words(text or ""))


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
    _dense: Optional[tuple] = field(default=None, repr=False)  # coef and intercept
    _analysers: Optional[list] = field(default=None, repr=False)  # built once, see _parts

    def _matrix(self, normal: Sequence[str], fit: bool = False):
        if fit:
            self._words = TfidfVectorizer(
                ngram_range=(1, 2),
                sublinear_tf=True,
                max_features=self.max_features,
                token_pattern=r"\S+",
            )
            self._letters = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 5),
                min_df=2,
                sublinear_tf=True,
                max_features=self.max_features,
            )
            return hstack(
                [self._words.fit_transform(normal), self._letters.fit_transform(normal)]
            ).tocsr()
        assert self._words is not None and self._letters is not None
        return hstack([self._words.transform(normal), self._letters.transform(normal)]).tocsr()

    def fit(self, texts: Iterable[str], labels: Iterable[str]) -> "TextClassifier":
        normal = [normal_text(t) for t in texts]
        targets = list(labels)
        if len(set(targets)) < 2:
            raise ValueError("a classifier needs examples of at least two labels")
        matrix = self._matrix(normal, fit=True)
        self._model = LogisticRegression(
            C=self.c, max_iter=5000, class_weight="balanced" if self.balanced else None
        )
        self._model.fit(matrix, targets)
        self._dense = self._analysers = None
        self.labels = [str(label) for label in self._model.classes_]
        return self

    @property
    def trained(self) -> bool:
        return self._model is not None

    def scores(self, text: str) -> dict[str, float]:
        """Label -> probability for one message (all labels; they sum to one).

        The same arithmetic as scikit-learn's ``transform`` + ``predict_proba`` (a test holds
        them equal), without its per-call validation and sparse matrices, which cost about
        2 ms on every message the Rasa server reads."""
        if self._model is None:
            return {}
        weights, intercept = self._weights()
        normal = normal_text(text)
        decision = intercept.copy()
        for offset, vocabulary, idf, analyse in self._parts():
            counts = Counter(map(vocabulary.get, analyse(normal)))  # counted in C
            counts.pop(None, None)  # terms the model never saw
            if not counts:
                continue
            indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
            values = (
                1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            ) * idf[indices]
            values /= np.sqrt(values @ values)  # each vectorizer's rows are l2-normalised
            decision += weights[:, offset + indices] @ values
        if len(self.labels) == 2:  # binary: one column, a logistic
            positive = 1.0 / (1.0 + np.exp(-decision[0]))
            probabilities = np.array([1.0 - positive, positive])
        else:  # multinomial: a softmax
            shifted = np.exp(decision - decision.max())
            probabilities = shifted / shifted.sum()
        return {label: float(p) for label, p in zip(self.labels, probabilities)}

    def _weights(self):
        if self._dense is None:
            assert self._model is not None
            self._dense = (
                np.asarray(self._model.coef_, dtype=np.float64),
                np.asarray(self._model.intercept_, dtype=np.float64),
            )
        return self._dense

    def _parts(self):
        """(column offset, vocabulary, idf, analyser) for words then letters, built once
        (scikit-learn's ``idf_`` is a property that sums a sparse matrix on every read)."""
        if self._analysers is None:
            assert self._words is not None and self._letters is not None
            self._analysers = [
                (
                    offset,
                    vectorizer.vocabulary_,
                    np.asarray(vectorizer.idf_, dtype=np.float64),
                    vectorizer.build_analyzer(),
                )
                for offset, vectorizer in (
                    (0, self._words),
                    (len(self._words.vocabulary_), self._letters),
                )
            ]
        return self._analysers

    def scores_slow(self, text: str) -> dict[str, float]:
        """scikit-learn's own answer for one message (the reference the fast path matches)."""
        if self._model is None:
            return {}
        row = self._model.predict_proba(self._matrix([normal_text(text)]))[0]
        return {label: float(p) for label, p in zip(self.labels, np.asarray(row))}

    def scores_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """:meth:`scores` for several texts: the segments of a message, a whole evaluation
        set. The fast path text by text: scikit-learn's ``transform`` and sparse matrices
        cost about 4 ms even for the seven segments of one message."""
        return [self.scores(text) for text in texts]

    def save(self, path: Path) -> None:
        """Write the trained parts as JSON (vocabularies, settings) and NumPy arrays: plain
        data, nothing that runs code when it is read (unlike pickle), and fast."""
        assert self._words is not None and self._letters is not None and self._model
        settings = {
            "c": self.c,
            "balanced": self.balanced,
            "max_features": self.max_features,
            "labels": self.labels,
            "words": {k: int(v) for k, v in self._words.vocabulary_.items()},
            "letters": {k: int(v) for k, v in self._letters.vocabulary_.items()},
        }
        path.mkdir(parents=True, exist_ok=True)
        (path / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        np.savez(
            path / "weights.npz",
            words_idf=self._words.idf_,
            letters_idf=self._letters.idf_,
            coef=self._model.coef_,
            intercept=self._model.intercept_,
        )

    @classmethod
    def load(cls, path: Path) -> "TextClassifier":
        try:
            settings = json.loads((path / "settings.json").read_text(encoding="utf-8"))
            with np.load(path / "weights.npz", allow_pickle=False) as weights:
                arrays = {name: weights[name] for name in weights.files}
            classifier = cls(
                c=float(settings["c"]),
                balanced=bool(settings["balanced"]),
                max_features=int(settings["max_features"]),
                labels=[str(label) for label in settings["labels"]],
            )
            classifier._words = classifier._vectorizer(
                "words", settings["words"], arrays["words_idf"]
            )
            classifier._letters = classifier._vectorizer(
                "letters", settings["letters"], arrays["letters_idf"]
            )
            model = LogisticRegression()
            model.classes_ = np.array(classifier.labels)
            model.coef_, model.intercept_ = arrays["coef"], arrays["intercept"]
        except (OSError, KeyError, ValueError, TypeError) as error:
            raise ValueError(f"{path} is not a saved text classifier ({error})") from error
        classifier._model = model
        return classifier

    def _vectorizer(self, kind: str, vocabulary: dict, idf) -> TfidfVectorizer:
        options = (
            dict(ngram_range=(1, 2), token_pattern=r"\S+")
            if kind == "words"
            else dict(analyzer="char_wb", ngram_range=(2, 5))
        )
        vectorizer = TfidfVectorizer(sublinear_tf=True, vocabulary=vocabulary, **options)
        vectorizer.idf_ = idf
        vectorizer.vocabulary_ = vocabulary
        return vectorizer
