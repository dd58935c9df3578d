"""Plain yes and no, read from words rather than guessed by the classifier.

A short answer such as "no", "nope, i'm fine" or "yes i am" is a plain answer; anything
with more in it ("no i'm not ok", "yeah he hit me") is not, and is left to the classifier
and the safety layer. The words are data (``bot/data/plain_answers.yml``). Plain Python:
no Rasa imports.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

PATH = Path(__file__).resolve().parent.parent / "data" / "plain_answers.yml"
ANSWERS = ("affirm", "deny")
RESUME_WORDS = 10


@lru_cache(maxsize=1)
def _data() -> dict:
    """The data file, read once for every reader below."""
    return yaml.safe_load(PATH.read_text(encoding="utf-8")) or {}


def _clean(text: str) -> str:
    text = (text or "").lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.replace("'", "").split())


@lru_cache(maxsize=1)
def _phrases() -> dict[str, set[str]]:
    """Every whole message that is a plain answer, by answer (head, then an optional tail)."""
    data = _data()
    phrases: dict[str, set[str]] = {}
    for answer in ANSWERS:
        entry = data.get(answer) or {}
        words = list(entry.get("heads") or []) + list(entry.get("tails") or [])
        odd = [word for word in words if not isinstance(word, str)]
        if odd:  # an unquoted yes/no/on/off is a boolean in YAML
            raise ValueError(f"{PATH.name}: quote {odd!r} under {answer}")
        heads = [_clean(head) for head in entry.get("heads") or []]
        tails = [_clean(tail) for tail in entry.get("tails") or [""]]
        phrases[answer] = {
            " ".join(part for part in (head, tail) if part) for head in heads for tail in tails
        }
    overlap = phrases.get("affirm", set()) & phrases.get("deny", set())
    if overlap:
        raise ValueError(f"{PATH.name}: both yes and no: {sorted(overlap)[:5]}")
    return phrases


def read_plain_answer(text: str) -> Optional[str]:
    """``"affirm"``, ``"deny"``, or None when the message is not a plain yes or no."""
    said = _clean(text)
    if not said or len(said.split()) > 8:
        return None
    for answer, phrases in _phrases().items():
        if said in phrases:
            return answer
    return None


def _verbs_and_things(key: str) -> tuple[str, str]:
    """The ``verbs`` and ``things`` of ``key`` in the data file, each as one alternation."""
    data = _data().get(key) or {}
    verbs = "|".join(re.escape(_clean(verb)) for verb in data.get("verbs") or [])
    things = "|".join(re.escape(_clean(thing)) for thing in data.get("things") or [])
    if not verbs or not things:
        raise ValueError(f"{PATH.name}: {key} needs verbs and things")
    return verbs, things


@lru_cache(maxsize=1)
def _resume_pattern() -> re.Pattern:
    verbs, things = _verbs_and_things("resume")
    # not the gym's "exercise bike", "exercise class"
    return re.compile(
        rf"\b(?:{verbs})\b.*\b(?:{things})\b(?! (?:bike|class|classes|ball|mat|"
        r"routine|video|videos|book|plan))"
    )


def asks_to_resume(text: str) -> bool:
    """A short request to go back to the paused exercise ("can we go back to the exercise")."""
    said = _clean(text)
    return bool(said) and len(said.split()) <= RESUME_WORDS and bool(_resume_pattern().search(said))


@lru_cache(maxsize=1)
def _delete_pattern() -> re.Pattern:
    verbs, things = _verbs_and_things("delete_everything")
    polite = r"(?:please |pls |plz |can you |could you |can u |i want to |i'd like to |id like to |"
    polite += r"i would like to |i wanna |just |ok |okay )*"
    return re.compile(rf"^{polite}(?:{verbs}) (?:{things})(?: please| pls| now| thanks)*$")


def asks_to_delete_everything(text: str) -> bool:
    """ "delete all my data", "please erase everything you have on me": the whole message asks
    Steady to delete everything it keeps (it asks first, ``utter_confirm_delete_all``)."""
    said = _clean(text)
    return bool(said) and len(said.split()) <= 12 and bool(_delete_pattern().match(said))


@lru_cache(maxsize=1)
def _stop_messages() -> frozenset:
    data = _data().get("stop") or {}
    said = frozenset(_clean(message) for message in data.get("messages") or [])
    if not said or any(word in said for word in ("end it", "end this")):
        raise ValueError(f"{PATH.name}: stop needs messages, and never 'end it' or 'end this'")
    return said


def asks_to_stop(text: str) -> bool:
    """ "quit", "stop the exercise": the whole message asks to stop what is going on."""
    return _clean(text) in _stop_messages()
