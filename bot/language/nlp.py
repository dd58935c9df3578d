"""The one spaCy pipeline Steady uses, built offline and loaded once per process.

No pretrained English pipeline can be downloaded here, so this is ``spacy.blank("en")``
(rule-based tokenizer) plus the lookup lemmatizer from ``spacy-lookups-data``
(did -> do, n't -> not, was -> be). Matchers built on it can match on ``LEMMA`` and
``LOWER`` without any statistical model.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp
