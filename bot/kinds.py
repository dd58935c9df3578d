"""What the person keeps in their own words, one short line per kind (``bot.loved``: what
helps them feel loved; ``bot.routines``: routines they agree on): cleaning an example, reading
a kind's name typed instead of pressed, and saying the example to the partner."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Optional, Protocol, Sequence, TypeVar

#: The longest example kept (characters): a list item, not a letter.
MAX_EXAMPLE = 300

_SPACE = re.compile(r"\s+")
_PROPER_FIRST = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays "
    "thursdays fridays saturdays sundays january february march april may june july august "
    "september october november december".split()
)
_PUNCTUATION_ENDS = re.compile(r"^[\s.,;:!?-]+|[\s.,;:!?-]+$")
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’"}
_LEADING = re.compile(r"^\s*(i d like|id like|i want|add|let s do|lets do|maybe|a|an)\s+")


class Named(Protocol):
    @property
    def names(self) -> Sequence[str]: ...


K = TypeVar("K", bound=Named)


def named(text: Optional[str], kinds: Iterable[K]) -> Optional[K]:
    """The kind a typed answer names ("quality time", "Hugs!"), or None: the whole answer,
    give or take punctuation and a leading "add" or "I'd like"."""
    words = re.sub(r"[^\w\s-]", " ", (text or "").lower())
    words = _LEADING.sub("", words)
    words = _SPACE.sub(" ", words).strip()
    return next((each for each in kinds if words in each.names), None)


def clean_example(text: Optional[str]) -> str:
    """The person's example as it is kept: their words, one line, clipped; "" if nothing."""
    example = _SPACE.sub(" ", text or "").strip()
    if len(example) > MAX_EXAMPLE:
        example = example[:MAX_EXAMPLE].rsplit(" ", 1)[0] + "…"
    return example if re.search(r"\w", example) else ""


def _trimmed(text: str) -> str:
    """Punctuation off both ends; quotes only when they wrap the whole ("'a hug'" → "a hug",
    but "I say 'I love you'" keeps its closing quote)."""
    text = _PUNCTUATION_ENDS.sub("", text)
    if len(text) > 1 and _QUOTES.get(text[0]) == text[-1]:
        text = _PUNCTUATION_ENDS.sub("", text[1:-1])
    return text


def to_partner(example: str) -> str:
    """The example said to the partner: "he texts me at lunch" → "you text me at lunch". When
    the rewrite would leave out much of the person's words ("'wobbly' means I'm anxious": it
    drops the writer's own feeling as inner talk), their words are kept as they are."""
    # drafting loads spaCy: imported here, so the Rasa server (which only reads requests
    # and kinds) never loads it
    from bot.drafting import to_second_person

    own = _trimmed(example)
    said = _trimmed(to_second_person(example)) or own
    if len(said.split()) < 0.7 * len(own.split()):
        said = own
    if said[:2] == "I ":
        return said
    if said.split(" ", 1)[0].lower().strip(",.") in _PROPER_FIRST:
        return said[:1].upper() + said[1:]  # "Saturday mornings" keeps its capital
    return said[:1].lower() + said[1:]


def check_kinds(path: Path, data: Any, sentence: str) -> None:
    """Refuse a data file's ``kinds:`` (with the file and the kind in the error) unless each
    has a ``label``, ``names`` (a list of words, in quotes) and the ``sentence`` field that
    says where the person's ``{example}`` goes."""
    for name, fields in ((data or {}).get("kinds") or {}).items():
        for key in ("label", sentence):
            if not isinstance((fields or {}).get(key), str) or not fields[key].strip():
                raise ValueError(f"{path}: kinds.{name}.{key} must be a sentence")
        names = fields.get("names")
        if not names or not all(isinstance(each, str) and each for each in names):
            raise ValueError(f"{path}: kinds.{name}.names must be a list of words, in quotes")
        if "{example}" not in fields[sentence]:
            raise ValueError(f"{path}: kinds.{name}.{sentence} must say where {{example}} goes")
