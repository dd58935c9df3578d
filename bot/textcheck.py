"""What kind of message did the bot not understand? Used to answer kindly, not generically.

Rasa's NLU says only "low confidence". A person who sent an emoji, a message in
Spanish or an empty bubble deserves an answer that shows we noticed what they
sent, so this module tells those cases apart with plain, explainable checks.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

# Far longer than anyone types in one go on a phone; longer vents are still read.
LONG_MESSAGE_CHARS = 1500

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")

# Frequent function words: a Latin-script message with several of these and
# no English ones is very likely not English.
_ENGLISH = set(
    "i me my you your he she they it we the a an and or but is are was were be been "
    "not no to of in on at for with that this what when why how do did does don't "
    "didn't can can't im i'm him her them his their just so".split()
)
_OTHER_LANGUAGES = set(
    # Spanish, Portuguese, French, German, Italian, Dutch
    "el la los las que y en un una es por con para pero mi novio novia esta está "
    "não nao ele ela meu minha uma com por mas "
    "le les et est je il elle mon ma pas une des du avec mais "
    "der die das und ist ich nicht mein meine er sie ein eine mit aber "
    "il lo che non sono mio mia lei con "
    "het een ik niet mijn hij zij met maar".split()
)


class Unclear(str, Enum):
    empty = "empty"
    emoji_only = "emoji_only"
    other_language = "other_language"
    markup = "markup"
    too_long = "too_long"
    unclear = "unclear"


_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """``text`` as valid Unicode: surrogate halves that name a character together (how JSON
    and YAML escape an emoji, "\\ud83d\\ude14") become that character, and a lone half
    becomes U+FFFD. A lone half cannot be encoded as UTF-8, so spaCy, the database and the
    encryption would all refuse it (blind round 52: an escaped emoji stopped the NLU)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _is_symbolic(char: str) -> bool:
    category = unicodedata.category(char)
    return category.startswith(("S", "P", "Z", "C", "M")) or char.isspace()


# A wave or a raised hand sent alone is a hello (blind round 24, spent: "👋" was answered
# as an emoji Steady could not read).
_GREETING_EMOJI = frozenset("👋🙋🤗✌")
_MODIFIERS = frozenset("\ufe0f\u200d\u2640\u2642") | {chr(c) for c in range(0x1F3FB, 0x1F400)}


def is_greeting(text: str | None) -> bool:
    """A message of only greeting emoji ("👋", "👋🏽", "🙋‍♀️")."""
    chars = [char for char in (text or "") if not char.isspace() and char not in _MODIFIERS]
    return bool(chars) and all(char in _GREETING_EMOJI for char in chars)


def classify(text: str | None) -> Unclear:
    """Name what is special about a message the NLU could not place."""
    text = (text or "").strip()
    if not text:
        return Unclear.empty
    if all(_is_symbolic(char) for char in text):
        return Unclear.emoji_only
    if _TAG.search(text) and len(_TAG.sub("", text).strip()) < len(text) / 2:
        return Unclear.markup
    letters = [char for char in text if char.isalpha()]
    latin = [char for char in letters if "LATIN" in unicodedata.name(char, "")]
    if letters and len(latin) / len(letters) < 0.5:
        return Unclear.other_language
    words = [word.lower() for word in _WORD.findall(text)]
    english = sum(word in _ENGLISH for word in words)
    foreign = sum(word in _OTHER_LANGUAGES for word in words)
    if foreign >= 2 and foreign > english:
        return Unclear.other_language
    if len(text) > LONG_MESSAGE_CHARS:
        return Unclear.too_long
    return Unclear.unclear


#: The answer for each kind of message, a response in ``domain.yml``.
RESPONSES = {
    Unclear.empty: "utter_empty_message",
    Unclear.emoji_only: "utter_emoji_only",
    Unclear.other_language: "utter_english_only",
    Unclear.markup: "utter_markup",
    Unclear.too_long: "utter_too_long",
    Unclear.unclear: "utter_not_sure_i_followed",
}


def response_for(text: str | None) -> str:
    """The name of a kind, specific answer for a message the bot could not place."""
    return RESPONSES[classify(text)]
