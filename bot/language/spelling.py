"""Slips of a thumb mended in the line Steady shows: "he didnt evn say happy birthdya".

Messy round 50 (spent) showed a reader failing a faithful line for the typing it copied
("you didn't evn say happy birthdya til 6pm"). The mend is the classic noisy-channel
speller (one edit away, the commonest word wins), kept to the slips people make typing fast
on a phone, so that dialect, slang and second languages are left as typed:

- two letters swapped ("birthdya", "wnet", "teh"), not the first ("amy" is a name, not
  "may") nor the last two of a word under six letters ("tunde" is a name, not "tuned");
- one letter left out of a word of five letters or more, inside it or an "e" at its end
  ("alwys", "promisd"); a shorter word typed in lower case is as often a name, a dialect
  word or chat ("jess" is not "jesus", "tim" not "time", "thu" not "thou", "nae" not
  "name");
- a consonant typed twice in a longer word ("partty"; "matt" is a name, "raat" Hindi);
- failing those, a key's neighbour hit in a word of six letters or more ("morming").

A word is mended only when spaCy's English lists do not know it, it is not a common word in
spaCy's word-frequency table (``en_lexeme_prob`` from ``spacy-lookups-data``), it is not in
the observation data's chat tags, shorthand, text speak or apostrophe-less contractions, it
does not start with a capital (a name), and no apostrophe makes it a contraction ("hes").
What was quoted is what was said, and is never touched. No Rasa imports.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.language.draft_guard import vocabulary
from bot.language.verbs import is_english_word, table

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_VOWELS = "aeiou"
# Each letter's neighbours on a QWERTY keyboard (beside it, and the keys touching it on the
# rows above and below)
_NEIGHBOURS = {
    "q": "wa",
    "w": "qeas",
    "e": "wrsd",
    "r": "etdf",
    "t": "ryfg",
    "y": "tugh",
    "u": "yihj",
    "i": "uojk",
    "o": "ipkl",
    "p": "ol",
    "a": "qwsz",
    "s": "awedzx",
    "d": "serfxc",
    "f": "drtgcv",
    "g": "ftyhvb",
    "h": "gyujbn",
    "j": "huiknm",
    "k": "jiolm",
    "l": "kop",
    "z": "asx",
    "x": "zsdc",
    "c": "xdfv",
    "v": "cfgb",
    "b": "vghn",
    "n": "bhjm",
    "m": "njk",
}
# How common a word must be (log probability in spaCy's table) to be what was meant, and to
# be left alone as typed.
_COMMON = -12.5
# How much commoner than the typed word the mend must be (about six hundred times).
_MARGIN = 6.5
_WORD = re.compile(r"(?<![\w'’])[A-Za-z]+(?![\w'’])")
_ENTRY = re.compile(r"[a-z]+(?:'[a-z]+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”")


# Words rarer than this are read as this rare (the table's million words would take
# hundreds of megabytes; a slip only needs to be told from a word in use).
_RARE = -16.0


@lru_cache(maxsize=1)
def _probabilities() -> dict[str, float]:
    """The words of spaCy's frequency table in use, with their log probabilities."""
    return {
        word: float(value)
        for word, value in table("lexeme_prob").items()
        if value > _RARE and _ENTRY.fullmatch(word)
    }


@lru_cache(maxsize=1)
def _common() -> frozenset:
    return frozenset(
        word
        for word, value in _probabilities().items()
        if value > _COMMON and word.isalpha() and is_english_word(word)
    )


@lru_cache(maxsize=1)
def _as_typed() -> frozenset:
    """Words of the observation data that are meant as typed (chat, shorthand …)."""
    data = vocabulary()
    words: set[str] = set()
    for key in ("chat_tags", "hedges"):
        for entry in data.get(key) or []:
            words.update(entry if isinstance(entry, (list, tuple)) else str(entry).split())
    for key in ("text_speak", "shorthand", "apostrophes", "second_language"):
        for entry in data.get(key) or {}:
            words.update(str(entry).lower().split())
    return frozenset(words)


def _slips(word: str) -> set[str]:
    """The words one phone slip away from ``word`` (see the module docstring)."""
    found = set()
    # two letters swapped, not the first ("amy" is not "may"), nor the last two of a short
    # word ("tunde" is a name, not "tuned")
    for at in range(1, len(word) - (1 if len(word) >= 6 else 2)):
        found.add(word[:at] + word[at + 1] + word[at] + word[at + 2 :])
    if len(word) >= 5:  # one letter left out; a shorter word is as often a name or chat
        for at in range(1, len(word) + 1):  # ("jess" is not "jesus", "tim" not "time")
            for letter in "e" if at == len(word) else _LETTERS:
                found.add(word[:at] + letter + word[at:])
    for at in range(1, len(word)):  # a consonant typed twice ("partty"; not "matt", "raat")
        if len(word) >= 6 and word[at] == word[at - 1] and word[at] not in _VOWELS:
            found.add(word[:at] + word[at + 1 :])
    found.discard(word)
    return found


def _neighbours_hit(word: str) -> set[str]:
    """A key's neighbour hit instead of it, in a word of six letters or more ("morming",
    "notjing"; "nites" is "nights" and "grabe" is "grab", not "notes" and "grave")."""
    if len(word) < 6:
        return set()
    return {
        word[:at] + letter + word[at + 1 :]
        for at in range(1, len(word))
        for letter in _NEIGHBOURS.get(word[at], "")
    }


@lru_cache(maxsize=8192)
def mended(word: str) -> str:
    """``word`` as meant, or as typed when it is not a slip (see the module docstring)."""
    lower = word.lower()
    if (
        len(lower) < 3
        or word[0].isupper()
        or lower in _as_typed()
        or lower in _common()
        or is_english_word(lower)
    ):
        return word
    probabilities = _probabilities()
    typed = probabilities.get(lower, _RARE - 4.0)
    if any(
        probabilities.get(f"{lower[:at]}'{lower[at:]}", _RARE - 8.0) > typed
        for at in range(1, len(lower))
    ):
        return word  # "hes", "youd": a contraction without its apostrophe
    common = _common()
    best = max(
        ((probabilities[slip], slip) for slip in _slips(lower) if slip in common),
        default=None,
    ) or max(  # a letter left out or swapped is likelier than a wrong key
        ((probabilities[slip], slip) for slip in _neighbours_hit(lower) if slip in common),
        default=None,
    )
    if best is None or best[0] - typed < _MARGIN:
        return word
    return best[1]


def mend_slips(text: str) -> str:
    """``text`` with each slip mended, outside quotations."""
    if not text:
        return text
    pieces, last = [], 0
    for quote in _QUOTED.finditer(text):
        pieces.append(_WORD.sub(lambda m: mended(m.group(0)), text[last : quote.start()]))
        pieces.append(quote.group(0))
        last = quote.end()
    pieces.append(_WORD.sub(lambda m: mended(m.group(0)), text[last:]))
    return "".join(pieces)


def warm_up() -> None:
    """Read spaCy's frequency table now, not on someone's message."""
    _common()
    _as_typed()
