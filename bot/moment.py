"""In the moment: is the alarm ringing as the person types, and the sentence to say now.

A person who writes while it is happening ("it's 1am and he's still not home", "i'm
spiralling rn") gets a short path before the full reflection: the pause, the feeling, the
fear, and then a sentence in both halves that they can say or send now (the brief's "I'm
feeling very afraid right now that …, even though a part of me knows that's not true"). The
message for their partner waits until they are calmer; what they said is kept for it.

Which messages are "now" is data (``bot/data/moment.yml``): signs that it is happening,
against signs that it is told after the fact. Plain Python: no Rasa imports.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from bot.drafting import fear_clause
from bot.language.word_regexes import compile_list

DATA = Path(__file__).resolve().parent / "data" / "moment.yml"


@lru_cache(maxsize=1)
def _signs(path: Path = DATA) -> tuple[tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    """(signs it is happening now, signs it is told after the fact), compiled; a broken
    entry raises ValueError naming the file, the list and the entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return compile_list(path.name, "now", data.get("now")), compile_list(
        path.name, "done", data.get("done")
    )


def happening_now(text: str) -> bool:
    """The message reads as written while it is happening: more signs of now than of a
    story told after the fact ("he didn't text last night and i'm still upset" is a tie,
    so it is not)."""
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    now, done = _signs()
    now_signs = sum(1 for sign in now if sign.search(lowered))
    done_signs = sum(1 for sign in done if sign.search(lowered))
    return now_signs > done_signs


def moment_sentence(feeling: str, fear: Optional[str]) -> str:
    """The sentence to say or send now, both halves: "I'm feeling scared right now that
    you're losing interest, even though a part of me knows that's not true." Without a
    fear in words: "I'm feeling scared right now, and a part of me knows we're okay." """
    felt = " ".join(feeling.split()) or "scared"
    clause = fear_clause(fear)
    if clause:
        return f"I'm feeling {felt} right now {clause}, even though a part of me knows that's not true."
    return f"I'm feeling {felt} right now, and a part of me knows we're okay."
