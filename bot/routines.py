"""Routines we agree on (issue 18, part 3): a daily check-in, a heads-up when late, weekly time
together, a kind way to ask for space, a phrase for anxious moments. The person says what each
would look like in their own words; Steady turns it into a "Could we try …?" draft and keeps
it as an agreement with a status (an idea, proposed, agreed, paused) that the person updates
in plain words ("we agreed on the lunch call").

Plain Python: the kinds, their wording and the patterns are data (``bot/data/routines.yml``);
storage is ``bot.storage`` (each example sealed with the person's key, like drafts); the
conversation is Rasa's (``routine_form``) and ``actions/routines.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import yaml

from bot.kinds import check_kinds, clean_example, named, to_partner
from bot.language.word_regexes import compile_list

DATA = Path(__file__).resolve().parent / "data" / "routines.yml"
__all__ = [
    "Kind",
    "clean_example",
    "format_routines",
    "kind",
    "kind_in",
    "kind_named",
    "kinds",
    "proposal",
    "read_request",
    "read_status",
    "statuses",
    "tells_status",
    "which",
]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    names: Tuple[str, ...]
    propose: str


@dataclass(frozen=True)
class Routine:
    """One of the person's routines, as stored: its kind, their words, where it stands."""

    kind: str
    example: str
    status: str


@lru_cache(maxsize=1)
def _data() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    check_kinds(DATA, data, "propose")
    given = data.get("statuses") or {}
    if list(given) != ["idea", "proposed", "agreed", "paused"]:
        raise ValueError(f"{DATA}: statuses must be idea, proposed, agreed, paused, in order")
    if not isinstance(data.get("propose_closing"), str):
        raise ValueError(f"{DATA}: propose_closing must be a sentence")
    return data


@lru_cache(maxsize=1)
def kinds() -> Tuple[Kind, ...]:
    """Every kind, in the order they are offered."""
    return tuple(
        Kind(name, fields["label"], tuple(fields["names"]), " ".join(fields["propose"].split()))
        for name, fields in _data()["kinds"].items()
    )


def kind(name: Optional[str]) -> Optional[Kind]:
    return next((each for each in kinds() if each.name == name), None)


def kind_named(text: Optional[str]) -> Optional[Kind]:
    """The kind a typed answer names ("date night", "a safe word"), or None."""
    return named(text, kinds())


@lru_cache(maxsize=2)
def _names(distinct_only: bool) -> re.Pattern:
    """Every kind's names as one pattern, longest first, each name a named group's alternative
    (``_kind_of`` tells whose); ``distinct_only``: names too common alone ("space", "phrase")
    are left out."""
    alternatives = []
    for index, each in enumerate(kinds()):
        names = [n for n in each.names if not distinct_only or len(n) >= 7 or " " in n or "-" in n]
        if names:
            spelled = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
            alternatives.append(f"(?P<k{index}>{spelled})")
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


def _kind_of(match: Optional[re.Match]) -> Optional[Kind]:
    if match is None or match.lastgroup is None:
        return None
    return kinds()[int(match.lastgroup[1:])]


def kind_in(text: Optional[str]) -> Optional[Kind]:
    """The kind whose name the words contain first ("a weekly date night routine")."""
    return _kind_of(_names(False).search(_lowered(text)))


def statuses() -> Tuple[str, ...]:
    """idea, proposed, agreed, paused."""
    return tuple(_data()["statuses"])


def status_words(status: str) -> str:
    """How a status reads in a sentence: "an idea", "agreed"."""
    return str(_data()["statuses"].get(status, status))


def ordered(items: Iterable[Routine]) -> List[Tuple[Kind, Routine]]:
    """The routines in the kinds' order; unknown kinds are left out."""
    by_name = {item.kind: item for item in items}
    return [(each, by_name[each.name]) for each in kinds() if each.name in by_name]


def format_routines(items: Iterable[Routine], bullet: str = "") -> str:
    """The person's routines, numbered in the kinds' order, in their words, with where each
    stands: "1. Daily check-in: a call at lunch (agreed)". ``bullet`` ("-" in the Markdown
    export) replaces the numbers."""
    return "\n".join(
        f"{bullet or f'{number}.'} {each.label}: {item.example} ({status_words(item.status)})"
        for number, (each, item) in enumerate(ordered(items), start=1)
    )


def proposal(name: str, example: str) -> str:
    """The "Could we try …?" message for one routine ("" for an unknown kind or no words)."""
    chosen = kind(name)
    words = clean_example(example)
    if chosen is None or not words:
        return ""
    said = to_partner(words).rstrip("?")
    return f"{chosen.propose.format(example=said)} {' '.join(_data()['propose_closing'].split())}"


@lru_cache(maxsize=1)
def _patterns() -> dict:
    """The patterns of ``requests:`` and ``status:``, compiled once; a broken entry raises
    ValueError naming the file, the list and the entry."""
    where = f"{DATA.name}: requests"
    given = _data().get("requests") or {}
    found = {key: compile_list(where, key, given.get(key)) for key in ("show", "show_unless")}
    for key in ("status_unless", "complaint", "routine_words", "not_ours"):
        found[key] = compile_list(DATA.name, key, _data().get(key))
    for status, entries in (_data().get("status") or {}).items():
        if status not in statuses():
            raise ValueError(f"{DATA.name}: status: {status!r} is not one of {statuses()}")
        found[f"status:{status}"] = compile_list(f"{DATA.name}: status", status, entries)
    return found


def _lowered(text: Optional[str]) -> str:
    return " ".join((text or "").lower().replace("\u2019", "'").split())


def read_request(text: Optional[str]) -> bool:
    """Whether the words ask for the routines (to see them, or to agree a new one): "show my
    routines", "can we set up a routine", "our safe word"; not one's own daily routine."""
    lowered = _lowered(text)
    if not lowered or lowered.startswith("/"):
        return False
    found = _patterns()
    return any(p.search(lowered) for p in found["show"]) and not any(
        p.search(lowered) for key in ("show_unless", "not_ours") for p in found[key]
    )


def not_about_routines(text: Optional[str], status: bool = False) -> bool:
    """Whether the words say it is not a request about the couple's routines, whatever a
    classifier guessed: one's own routine ("a self care routine"), a safe word laughed at or
    ignored, a dislike of routines (``show_unless`` in the data file); with ``status``, also
    a routine kept badly ("agreed on the lunch call and he's missed it"), which is a trigger."""
    lowered = _lowered(text)
    if not lowered:
        return False
    found = _patterns()
    keys = ("show_unless", "not_ours") + (("status_unless", "complaint") if status else ())
    return any(p.search(lowered) for key in keys for p in found[key])


_NUMBER = re.compile(r"\b(?:routine|number|no\.?|#)\s*(\d{1,2})\b|^\s*(\d{1,2})\s*(?:is|as|[:.-])")
_STOP_WORDS = frozenset(
    "a an the we i he she they it on to for of and or our my your his her their one that this "
    "is are was be been about as with at in so just now agreed proposed paused pause idea "
    "stop stopped mark said yes doing trying started".split()
)


def read_status(text: Optional[str]) -> Optional[str]:
    """The status the words tell ("we agreed on the lunch call" → "agreed"), or None: the
    furthest along of those told ("i proposed it and we agreed" → "agreed"), except that
    words for pausing win over the rest ("we agreed to pause it")."""
    lowered = _lowered(text)
    if not lowered or lowered.startswith("/"):
        return None
    found = _patterns()
    told = [
        status
        for status in statuses()
        if any(p.search(lowered) for p in found.get(f"status:{status}", ()))
    ]
    if "paused" in told:
        return "paused"
    return told[-1] if told else None


def tells_status(text: Optional[str]) -> Optional[str]:
    """``read_status``, only when the words also point at a routine (a kind's name, "routine",
    "the … one", a number) and are not a complaint about one kept badly: what the NLU reads
    as a status told, with no conversation to go on."""
    status = read_status(text)
    if status is None:
        return None
    lowered = _lowered(text)
    found = _patterns()
    if any(p.search(lowered) for key in ("status_unless", "not_ours") for p in found[key]):
        return None  # a complaint, or not the couple's routine ("a routine for myself")
    if status != "idea" and any(p.search(lowered) for p in found["complaint"]):
        return None
    pointed = any(p.search(lowered) for p in found["routine_words"]) or bool(
        _names(True).search(lowered)  # a kind's name, but not "space" or "phrase" alone
    )
    return status if pointed else None


def which(text: Optional[str], items: Sequence[Routine]) -> Optional[Routine]:
    """The routine the words point at, among the person's: its number ("routine 2"), a kind's
    name ("the heads-up one"), or words of its example ("the lunch call"); the only one when
    there is one; None when it cannot be told."""
    chosen = [item for _, item in ordered(items)]
    if not chosen:
        return None
    lowered = _lowered(text)
    number = _NUMBER.search(lowered)
    if number:
        index = int(number.group(1) or number.group(2)) - 1
        return chosen[index] if 0 <= index < len(chosen) else None
    named = kind_in(lowered)
    mine = next((item for each, item in ordered(items) if each is named), None)
    if mine is not None:
        return mine
    words = set(re.findall(r"[a-z0-9']+", lowered)) - _STOP_WORDS
    scored = sorted(
        (
            (len(words & (set(re.findall(r"[a-z0-9']+", item.example.lower())) - _STOP_WORDS)), i)
            for i, item in enumerate(chosen)
        ),
        reverse=True,
    )
    best, index = scored[0]
    if best and (len(scored) == 1 or scored[1][0] < best):
        return chosen[index]
    return chosen[0] if len(chosen) == 1 else None
