"""Recognise the feeling a person names, in their own words.

Step 3 of the reflection ("name the feeling") accepts a button or anything typed:
"Scared!", "i felt really scared and alone", "kind of ignored tbh", "wobbly". This module
says which of three things came back:

* a feeling ("scared", or the person's own word such as "wobbly"), which goes into the
  draft as "I felt …" in the person's own form;
* a faux feeling ("abandoned", "ignored"): a word about what the partner did. Steady then
  gently offers the feelings usually underneath it;
* nothing usable (a sentence with no feeling word, an emoji, an empty message), so the
  question can be asked again with buttons.

The vocabulary lives in ``data/feelings.yml`` so it can be read and extended without
touching code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "feelings.yml"

# Offered as buttons, in this order; the first nine are the ones the brief names.
COMMON_FEELINGS: tuple[str, ...] = (
    "scared",
    "hurt",
    "lonely",
    "sad",
    "anxious",
    "angry",
    "jealous",
    "embarrassed",
    "disappointed",
    "confused",
)

FEELING = "feeling"
FAUX = "faux"
UNKNOWN = "unknown"

# Words around a feeling that are not the feeling: "i felt really", "kind of", "tbh".
# Removed only when nothing in the vocabulary was found, to isolate the person's own word;
# longest first, so "i feel like" goes before "i feel".
_FILLER_PHRASES = (
    "i feel like",
    "i felt like",
    "i feel",
    "i felt",
    "feel",
    "felt",
    "feeling",
    "i'm feeling",
    "im feeling",
    "i am feeling",
    "i was feeling",
    "i've been feeling",
    "ive been feeling",
    "i am",
    "i'm",
    "im",
    "i was",
    "it made me feel",
    "made me feel",
    "makes me feel",
    "i guess",
    "i think",
    "honestly",
    "really",
    "so",
    "very",
    "just",
    "kind of",
    "kinda",
    "sort of",
    "sorta",
    "a little bit",
    "a little",
    "a bit",
    "quite",
    "pretty",
    "super",
    "too",
    "totally",
    "tbh",
    "lol",
    "um",
    "uh",
    "ugh",
    "like",
    "more",
    "mostly",
    "mainly",
    "probably",
    "maybe",
    "also",
    "right now",
    "now",
)
_FILLER: tuple[tuple[str, ...], ...] = tuple(
    sorted((tuple(phrase.split()) for phrase in _FILLER_PHRASES), key=len, reverse=True)
)

# Answers that are not a feeling at all; the question should be asked again.
_NON_ANSWERS = frozenset(
    {
        "idk",
        "dunno",
        "i don't know",
        "i dont know",
        "don't know",
        "dont know",
        "not sure",
        "no idea",
        "no clue",
        "nothing",
        "no",
        "nope",
        "nah",
        "yes",
        "yeah",
        "yep",
        "ok",
        "okay",
        "fine",
        "whatever",
        "skip",
        "none",
        "same",
        "never mind",
        "nevermind",
        "not really",
        "stop",
        "cancel",
        "back",
        "help",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank you",
        "what",
        "why",
        "hmm",
    }
)

# A short free answer containing one of these is a fragment of a sentence ("he left"),
# not the person's own feeling word.
_NOT_OWN_WORDS = frozenset(
    "i me my mine you your he him his she her they them their it its we us our the a an "
    "this that is was are were be been did do does don't didn't has have had will would "
    "can could not".split()
)

# "not scared", "never jealous": a vocabulary word after these is not the answer.
_NEGATORS = frozenset(
    "not never no isn't isnt wasn't wasnt don't dont didn't didnt aren't arent ain't aint "
    "nor".split()
)
_INTENSIFIERS = frozenset("really that so very too even all".split())


@dataclass(frozen=True)
class FeelingReading:
    """What a feeling answer turned out to be.

    ``word`` is the person's first word, cleaned and lower-case ("scared", "left out",
    "wobbly"); ``words`` holds every distinct one found, in order, so that "scared and
    alone" can be kept as said. ``canonical`` groups known feelings (None for faux words
    and for the person's own words); ``underneath`` lists the feelings a faux word usually
    covers, most likely first.
    """

    kind: str
    word: str
    canonical: str | None = None
    underneath: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Entry:
    kind: str  # FEELING, FAUX or "ignore"
    canonical: str | None = None
    underneath: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Match:
    surface: str
    entry: _Entry
    negated: bool


def _normalise(text: str) -> str:
    """Lower-case, straighten apostrophes, and turn everything but letters into spaces.

    Hyphens become spaces so "freaked-out" and "freaked out" are the same phrase; emoji
    and punctuation disappear.
    """
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w']+|[\d_]+", " ", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=None)
def _vocabulary() -> dict[tuple[str, ...], _Entry]:
    """Load feelings.yml once into a phrase index; fail loudly on an inconsistent file."""
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    index: dict[tuple[str, ...], _Entry] = {}
    feelings: dict[str, list[str]] = data["feelings"]
    for canonical, forms in feelings.items():
        for form in [canonical, *forms]:
            index[tuple(_normalise(form).split())] = _Entry(FEELING, canonical)
    for word, underneath in data["faux_feelings"].items():
        unknown = [feeling for feeling in underneath if feeling not in feelings]
        if unknown:
            raise ValueError(f"feelings.yml: {word!r} lists unknown feelings {unknown}")
        index[tuple(_normalise(word).split())] = _Entry(FAUX, underneath=tuple(underneath))
    for phrase in data["not_feelings"]:
        index[tuple(_normalise(phrase).split())] = _Entry("ignore")
    return index


def feeling_phrases() -> list[tuple[str, ...]]:
    """Every phrase that names a feeling, as words ("freaking", "out"); not the faux ones."""
    return [phrase for phrase, entry in _vocabulary().items() if entry.kind == FEELING]


def _longest_phrase(index: dict[tuple[str, ...], _Entry]) -> int:
    return max(len(phrase) for phrase in index)


def _is_negated(tokens: list[str], start: int) -> bool:
    """True when the word at ``start`` follows "not", "never"… (skipping "really", "so")."""
    position = start - 1
    while position >= 0 and tokens[position] in _INTENSIFIERS:
        position -= 1
    return position >= 0 and tokens[position] in _NEGATORS


def _scan(tokens: list[str]) -> list[_Match]:
    """Find vocabulary phrases left to right, longest first, so "left out" beats "left"."""
    index = _vocabulary()
    longest = _longest_phrase(index)
    matches: list[_Match] = []
    position = 0
    while position < len(tokens):
        for length in range(min(longest, len(tokens) - position), 0, -1):
            phrase = tuple(tokens[position : position + length])
            entry = index.get(phrase)
            if entry is not None:
                if entry.kind != "ignore":
                    negated = _is_negated(tokens, position)
                    matches.append(_Match(" ".join(phrase), entry, negated))
                position += length
                break
        else:
            position += 1
    return matches


def _without_filler(tokens: list[str]) -> list[str]:
    """Drop filler phrases anywhere, longest first, leaving the person's own word."""
    kept: list[str] = []
    position = 0
    while position < len(tokens):
        for phrase in _FILLER:
            if tuple(tokens[position : position + len(phrase)]) == phrase:
                position += len(phrase)
                break
        else:
            kept.append(tokens[position])
            position += 1
    return kept


def _feeling_reading(matches: list[_Match]) -> FeelingReading:
    """Known feelings, one form per canonical feeling, in the order they were said."""
    seen: dict[str, str] = {}
    for match in matches:
        seen.setdefault(match.entry.canonical or match.surface, match.surface)
    words = tuple(seen.values())
    return FeelingReading(FEELING, words[0], next(iter(seen)), (), words)


def _faux_reading(matches: list[_Match]) -> FeelingReading:
    """Faux words, with the feelings underneath all of them, most likely first."""
    words = tuple(dict.fromkeys(match.surface for match in matches))
    underneath: dict[str, None] = {}
    for match in matches:
        underneath.update(dict.fromkeys(match.entry.underneath))
    return FeelingReading(FAUX, words[0], None, tuple(underneath), words)


def _own_word_reading(tokens: list[str], had_negation: bool) -> FeelingReading:
    """A short answer outside the vocabulary is still the person's word for what they feel.

    Accepted when it is one to three plain words, not a non-answer ("idk"), not a sentence
    fragment ("he left") and not a negated feeling ("not scared"), which says what the
    feeling is not.
    """
    kept = _without_filler(tokens)
    cleaned = " ".join(kept)
    is_own_word = (
        0 < len(kept) <= 3
        and not had_negation
        and cleaned not in _NON_ANSWERS
        and all(word.isalpha() and word not in _NOT_OWN_WORDS for word in kept)
    )
    if is_own_word:
        return FeelingReading(FEELING, cleaned, None, (), (cleaned,))
    return FeelingReading(UNKNOWN, cleaned)


def read_feeling(text: str) -> FeelingReading:
    """Read a feeling answer. A real feeling word wins over faux words, which win over none."""
    tokens = _normalise(text or "").split()
    matches = _scan(tokens)
    feelings = [m for m in matches if m.entry.kind == FEELING and not m.negated]
    if feelings:
        return _feeling_reading(feelings)
    faux = [m for m in matches if m.entry.kind == FAUX and not m.negated]
    if faux:
        return _faux_reading(faux)
    return _own_word_reading(tokens, had_negation=bool(matches))


def feeling_phrase(reading_or_word: FeelingReading | str) -> str:
    """The words that follow "I felt": the person's own forms, at most two, joined by "and".

    "i felt really scared and alone" gives "scared and alone"; three feelings keep the
    first two so the draft stays short. For a reading that holds no feeling the cleaned
    text is returned as is (possibly empty): the caller should have asked again.
    """
    reading = (
        reading_or_word
        if isinstance(reading_or_word, FeelingReading)
        else read_feeling(reading_or_word)
    )
    if reading.kind == UNKNOWN:
        return reading.word
    words = reading.words or (reading.word,)
    return " and ".join(words[:2])
