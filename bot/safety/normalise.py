"""Normal forms: every token's ``norm_`` is its lemma, with text-speak and typos mapped onto
the word they stand for ("wanna" -> want, "kil" -> kill, "sucide" -> suicide, "dieeee" ->
die). The spellings are data (``canon`` and ``typos`` in ``bot/data/safety/lexicon.yml``);
one-edit typos of the key words are generated once, except where the typo is itself an
English word ("ill" is not "kill").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from spacy.tokens import Doc

from bot.language.nlp import get_nlp
from bot.safety.rules import rule_set

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_REPEATS = re.compile(r"(.)\1{2,}")
_AFTER_GONNA = {"gon": "go", "wan": "want", "got": "get"}


def _edits(word: str, full: bool) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    if full:
        out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


def lemma_table() -> dict:
    # spaCy types get_pipe() as the base Pipe, which has no lookups (its Lemmatizer has).
    lemmatizer = get_nlp().get_pipe("lemmatizer")
    return lemmatizer.lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def typo_map() -> dict[str, str]:
    """One-edit typos of the key words -> the key word's normal form; real words excluded."""
    from spacy.lookups import load_lookups

    rules = rule_set()
    lookup = lemma_table()
    index = load_lookups("en", ["lemma_index"]).get_table("lemma_index")
    known: set[str] = set()
    for pos in ("adj", "adv", "noun", "verb"):
        known.update(index.get(pos, []))

    def is_word(w: str) -> bool:
        return w in known or w in lookup or w in rules.canon

    mapping: dict[str, str] = {}
    for keyword, full in [(k, True) for k in rules.typos_full] + [
        (k, False) for k in rules.typos_short
    ]:
        target = rules.canon.get(keyword) or lookup.get(keyword, keyword)
        for typo in _edits(keyword, full):
            if len(typo) >= 3 and not is_word(typo):
                mapping.setdefault(typo, target)
    return mapping


@lru_cache(maxsize=65536)
def normal_form(lower: str, lemma: str) -> str:
    canon = rule_set().canon
    if lower in canon:
        return canon[lower]
    typos = typo_map()
    if lower in typos:
        return typos[lower]
    if _REPEATS.search(lower):  # "dieeee", "killlll", "sooo"
        lookup = lemma_table()
        known_short = rule_set().lexicon.sets["KNOWN_SHORT"]
        for squeezed in (_REPEATS.sub(r"\1\1", lower), _REPEATS.sub(r"\1", lower)):
            if squeezed in canon:
                return canon[squeezed]
            if squeezed in typos:
                return typos[squeezed]
            if squeezed in lookup or squeezed in known_short:
                return lookup.get(squeezed, squeezed)
    return lemma


def normalise(doc: Doc) -> None:
    """Set every token's ``norm_`` (see the module docstring)."""
    lowers = [token.lower_ for token in doc]
    for token, norm in zip(doc, normal_forms(lowers, [token.lemma_.lower() for token in doc])):
        token.norm_ = norm


def normal_forms(lowers: Sequence[str], lemmas: Sequence[str]) -> list[str]:
    """The normal form of each token, from the tokens' lower-case forms and lemmas."""
    norms = []
    prev = ""
    for index, (lower, lemma) in enumerate(zip(lowers, lemmas)):
        norm = normal_form(lower, lemma)
        if lower in ("na", "ta") and prev in _AFTER_GONNA:  # gon|na, wan|na, got|ta
            norm = "to"
        elif lower == "s" and prev in ("he", "she", "it", "that", "what", "there", "who", "where"):
            norm = "be"
        elif (
            lower in _AFTER_GONNA and index + 1 < len(lowers) and lowers[index + 1] in ("na", "ta")
        ):
            norm = _AFTER_GONNA[lower]
        norms.append(norm)
        prev = lower
    return norms
