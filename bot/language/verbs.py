"""Which words can be verbs, and their past forms: from spaCy's English lookup tables.

spaCy's pretrained pipelines (with a tagger) cannot be installed here, but
``spacy-lookups-data`` ships the rule lemmatizer's tables: an index of every English verb
lemma (from WordNet), the irregular forms of each, and the suffix rules. Together they
answer the two questions the drafting code asks of a word:

* :func:`can_be_verb`: could "new", "sorry", "texted", "ghosted" be a verb? (The grammar
  guard refuses "you new dress" and "you sorry for the English": after the subject "you"
  comes a verb.) Words of chat English WordNet does not know as verbs ("text", "facetime",
  "dm") are listed in ``bot/data/drafting/observation.yml`` under ``extra_verbs``.
* :func:`past_of`: "tell" -> "told", "promise" -> "promised" ("he tell me only yesterday",
  written by someone whose first language is not English, becomes "you told me").

Plain Python: no Rasa imports.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

import spacy_lookups_data

_TABLES = Path(spacy_lookups_data.__file__).resolve().parent / "data"
# The suffix rules of the rule lemmatizer for verbs ("texted" -> "text" + "", "-ed").
_SUFFIXES = (
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
)


def table(name: str) -> dict:
    """One of spaCy's English lookup tables (``lemma_index``, ``lexeme_prob`` …)."""
    with gzip.open(_TABLES / f"en_{name}.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset, dict[str, tuple[str, ...]], dict[str, str]]:
    """(verb lemmas, irregular form -> lemmas, lemma -> simple past)."""
    from bot.language.draft_guard import vocabulary  # the data file's loader, one place

    index, exceptions = table("lemma_index"), table("lemma_exc")
    extra = vocabulary().get("extra_verbs") or []
    lemmas = frozenset(index["verb"]) | frozenset(extra)
    forms = {form: tuple(found) for form, found in exceptions["verb"].items()}
    pasts = {
        lemma.lower(): past.lower()
        for lemma, past in (vocabulary().get("irregular_past") or {}).items()
    }
    return lemmas, forms, pasts


def lemmas_of(word: str) -> set[str]:
    """The verb lemmas ``word`` can be a form of ("told" -> {"tell"}, "texted" -> {"text"})."""
    word = word.lower()
    lemmas, forms, _ = _lexicon()
    found = set(forms.get(word, ()))
    if word in lemmas:
        found.add(word)
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)] + replacement
            if stem in lemmas:
                found.add(stem)
            # "stopped" -> "stop", "planning" -> "plan": a doubled last consonant
            if (
                suffix in ("ed", "ing")
                and len(stem) > 2
                and stem[-1] == stem[-2]
                and stem[:-1] in lemmas
            ):
                found.add(stem[:-1])
    return found


def can_be_verb(word: str) -> bool:
    """Whether ``word`` could be a form of a verb ("forgot", "ghosted", "says": yes; "new",
    "sorry", "story": no)."""
    return bool(lemmas_of(word))


@lru_cache(maxsize=1)
def _nouns() -> frozenset:
    return frozenset(table("lemma_index")["noun"])


@lru_cache(maxsize=1)
def _english() -> frozenset:
    index = table("lemma_index")
    from spacy.lang.en.stop_words import STOP_WORDS  # "the", "my", "every": no lemmas

    words = set(STOP_WORDS) | set(table("lemma_lookup"))
    for lemmas in index.values():
        words.update(lemmas)
    for forms in table("lemma_exc").values():
        words.update(forms)
    return frozenset(word.lower() for word in words)


def is_english_word(word: str) -> bool:
    """Whether ``word`` is in spaCy's English word lists at all (a name like "kwame" is not)."""
    return word.lower() in _english()


def is_noun(word: str) -> bool:
    """Whether ``word`` is a noun lemma too ("flight", "home", "phone", "call")."""
    return word.lower() in _nouns()


def past_of(verb: str) -> str:
    """The simple past of a base-form verb ("tell" -> "told", "promise" -> "promised",
    "plan" -> "planned", "reply" -> "replied"), keeping a leading capital."""
    lowered = verb.lower()
    _, _, pasts = _lexicon()
    if lowered in pasts:
        past = pasts[lowered]
    elif lowered.endswith("e"):
        past = lowered + "d"
    elif lowered.endswith("y") and len(lowered) > 2 and lowered[-2] not in "aeiou":
        past = lowered[:-1] + "ied"
    elif (
        sum(char in "aeiou" for char in lowered) == 1
        and len(lowered) >= 3
        and lowered[-1] not in "aeiouwxy"
        and lowered[-2] in "aeiou"
        and lowered[-3] not in "aeiou"
    ):
        past = lowered + lowered[-1] + "ed"  # "plan" -> "planned", "stop" -> "stopped"
    else:
        past = lowered + "ed"
    return past[:1].upper() + past[1:] if verb[:1].isupper() else past


def warm_up() -> None:
    """Read the tables now, at start, not on someone's message."""
    can_be_verb("text")
    is_noun("text")
    is_english_word("text")
