"""What kind of answer a person gave, whatever step asked for it.

The reflection asks for the feeling, then the fear, the need and a request. People often
answer a step with what belongs to another: "reassurance" when asked for the feeling (a
need), "scared" when asked for the fear (the feeling), "could you text me when you're late"
when asked for the need (a request). :func:`kind_of_answer` tells them apart so the form can
name what it is, keep it for its own step and ask again kindly; and so a draft never says
"I felt reassurance". The vocabulary is ``bot/data/answers.yml``; feelings are
``bot/data/feelings.yml`` (:mod:`bot.feelings`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.feelings import FAUX, FEELING, read_feeling

VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "answers.yml"

NEED = "need"
REQUEST = "request"
FEAR = "fear"
UNKNOWN = "unknown"

_FILLER = re.compile(
    r"^(?:(?:i|i'm|im|i am)\s+)?(?:just\s+|really\s+|honestly\s+|probably\s+|mostly\s+)*"
    r"(?:need(?:s|ed)?|want(?:s|ed)?|would like|could use|crave|miss)?\s*"
    r"(?:some|more|a bit of|a little|a lot of|lots of|just|a little bit of)?\s*"
)
_TAIL = re.compile(r"\s*(?:i guess|i think|tbh|honestly|really|actually|lol|please|,.*)$")


def _clean(text: str) -> str:
    text = (text or "").lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w' -]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8")) or {}
    needs = frozenset(_clean(str(n)) for n in data.get("needs") or [])
    starts = tuple(
        sorted((_clean(str(s)) for s in data.get("request_starts") or []), key=len, reverse=True)
    )
    fears = tuple(_clean(str(f)) for f in data.get("fear_cues") or [])
    return needs, starts, fears


# "to feel wanted", "to be taken seriously", "for him to notice me": a need's shape.
_NEED_SHAPE = re.compile(
    r"^(?:i (?:just |really )?(?:need|want|would like) |just |really |mostly |honestly )*"
    r"(?:(?:some|more) )?(?:to (?:feel|be|know|have|get|hear|trust|not|matter|see|spend)\b"
    r"|for (?:him|her|them|my \w+) to\b)"
)


def is_need(text: str) -> bool:
    """A short answer that names a need ("reassurance", "i just need some closeness",
    "to feel wanted", "for him to check in more")."""
    needs, _, _ = _vocabulary()
    cleaned = _clean(text)
    core = _TAIL.sub("", _FILLER.sub("", cleaned, count=1)).strip()
    return cleaned in needs or core in needs or bool(_NEED_SHAPE.match(cleaned))


def is_request(text: str) -> bool:
    """Something the partner can say yes or no to ("could you text me when you land")."""
    _, starts, _ = _vocabulary()
    cleaned = _clean(text)
    return any(cleaned == s or cleaned.startswith(s + " ") for s in starts)


def is_fear(text: str) -> bool:
    """The story the anxiety tells ("he's losing interest", "i'm not enough")."""
    _, _, fears = _vocabulary()
    cleaned = f" {_clean(text)} "
    return any(f" {cue} " in cleaned for cue in fears)


def kind_of_answer(text: str) -> str:
    """``feeling``, ``faux`` (a word about what the partner did), ``need``, ``request``,
    ``fear`` or ``unknown``. A request, a need or a fear's story wins over a feeling word
    in it ("scared he'll leave" is the fear's story); a step that asked for the feeling
    reads a named feeling first (see the form's validation)."""
    if is_request(text):
        return REQUEST
    if is_need(text):
        return NEED
    if is_fear(text):
        return FEAR
    reading = read_feeling(text)
    if reading.kind in (FEELING, FAUX):
        return reading.kind
    return UNKNOWN
