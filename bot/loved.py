"""What helps a person feel loved (issue 18, part 2): six kinds, the person's own example of
each, and a message that shares them with the partner.

Plain Python: the kinds and their wording are data (``bot/data/loved.yml``); storage is
``bot.storage`` (each example sealed with the person's key, like drafts); the conversation is
Rasa's (``loved_form``) and ``actions/loved.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import yaml

from bot.kinds import MAX_EXAMPLE, check_kinds, clean_example, named, to_partner
from bot.language.word_regexes import compile_list

DATA = Path(__file__).resolve().parent / "data" / "loved.yml"
__all__ = ["MAX_EXAMPLE", "clean_example", "format_list", "kind", "kind_named", "kinds"]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    names: Tuple[str, ...]
    share: str


@lru_cache(maxsize=1)
def _data() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    check_kinds(DATA, data, "share")
    for key in ("share_opening", "share_closing"):
        if not isinstance(data.get(key), str):
            raise ValueError(f"{DATA}: {key} must be a sentence")
    return data


@lru_cache(maxsize=1)
def kinds() -> Tuple[Kind, ...]:
    """Every kind, in the order they are offered (read once: every message asks)."""
    return tuple(
        Kind(name, fields["label"], tuple(fields["names"]), fields["share"])
        for name, fields in _data()["kinds"].items()
    )


def kind(name: Optional[str]) -> Optional[Kind]:
    return next((each for each in kinds() if each.name == name), None)


def kind_named(text: Optional[str]) -> Optional[Kind]:
    """The kind a typed answer names ("quality time", "Hugs!"), or None (``bot.kinds.named``)."""
    return named(text, kinds())


def ordered(items: Iterable[Tuple[str, str]]) -> List[Tuple[Kind, str]]:
    """(kind, example) pairs in the kinds' order; unknown kinds are left out."""
    by_name = dict(items)
    return [(each, by_name[each.name]) for each in kinds() if by_name.get(each.name)]


def format_list(items: Iterable[Tuple[str, str]], bullet: str = "•") -> str:
    """The person's list, in their own words, one kind per line (``bullet``: "-" in the
    Markdown export)."""
    return "\n".join(f"{bullet} {each.label}: {example}" for each, example in ordered(items))


def share_message(items: Sequence[Tuple[str, str]]) -> str:
    """The message that shares the list with the partner ("" when the list is empty)."""
    chosen = ordered(items)
    if not chosen:
        return ""
    data = _data()
    lines = [data["share_opening"]]
    lines += [each.share.format(example=to_partner(example)) for each, example in chosen]
    lines.append(data["share_closing"])
    return " ".join(lines)


@lru_cache(maxsize=1)
def _requests() -> dict:
    """The request patterns (``requests:`` in the data file), compiled once; a broken entry
    raises ValueError naming the list and the entry."""
    given = _data().get("requests") or {}
    keys = (
        "list",
        "list_unless",
        "edit",
        "edit_unless",
        "kind_helps",
        "feel_when",
        "about",
        "about_unless",
        "share",
    )
    return {key: compile_list(f"{DATA.name}: requests", key, given.get(key)) for key in keys}


@lru_cache(maxsize=1)
def _kind_names() -> re.Pattern:
    """Any kind's name, as a whole word ("the check-ins one"); names of four letters or
    fewer ("time", "care", "acts") are too common alone."""
    names = sorted(
        (name for each in kinds() for name in each.names if len(name) > 4), key=len, reverse=True
    )
    # not "got in touch", "out of touch" (a pulled-in draft, found checking loved-round5's
    # concepts against every other set)
    return re.compile(
        r"(?<![\w'])(?<!\bin )(?<!\bof )(?:" + "|".join(map(re.escape, names)) + r")(?![\w'])"
    )


def read_request(text: Optional[str]) -> Optional[str]:
    """ "feel_loved" (see, make or change the list), "share_loved" (turn it into words for the
    partner) or None, from the words alone: the list named, or what helps them feel loved
    asked about (not as a complaint about the partner), and for sharing, words for them."""
    lowered = " ".join((text or "").lower().replace("\u2019", "'").split())
    if not lowered or lowered.startswith("/"):
        return None
    found = _requests()

    def any_of(key: str) -> bool:
        return any(pattern.search(lowered) for pattern in found[key])

    listed = any_of("list") and not any_of("list_unless")
    about = (any_of("about") or (any_of("feel_when") and any_of("share"))) and not any_of(
        "about_unless"
    )
    edits = (
        (any_of("edit") or any_of("kind_helps"))
        and _kind_names().search(lowered) is not None
        and not any_of("edit_unless")
    )
    if not (listed or about or edits):
        return None
    return "share_loved" if any_of("share") else "feel_loved"
