"""Would a careful reader pass this observation? A model learnt from readers' verdicts.

The rules in :mod:`bot.language.observation` find the observation in a messy message and
the grammar guard (:mod:`bot.language.draft_guard`) refuses the breakages it can name. Over
forty blind rounds each fresh set brought new shapes the rules did not know (second-language
word order, a fact left behind, a story told in the third person), and the share of drafts
an independent reader passed stayed between 64% and 82%.

Those rounds left something the rules never used: an independent reader's verdict on each
of about 2,350 observations Steady proposed, with whether the examiner's key facts were
kept. ``scripts/train_vouch.py`` learns from them a logistic regression over plain features
of the message and the proposal (:func:`features`): lengths, how much of the message's
content it keeps, the numbers, quotations and names the message had and it dropped, words
spaCy's English word lists do not know, and its shape, words and pairs with every word
outside the small ones read as its kind ("you V my W": never a topic, so "birthday" is not
held against a clause because birthday messages often failed). The weights are written to
``bot/data/drafting/vouch.json``: data, like the other language rules, made again from the
spent sets by one command.

:func:`vouches` is asked after the guard passes a proposal: when the model finds the reader
more likely to fail it than to pass it, the person is asked for the sentence in their own
words instead of being shown a clause that is probably clumsy or leaves out what happened.

Plain Python (the weights are read from JSON; no scikit-learn at run time); no Rasa imports.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from bot.feelings import feeling_phrases
from bot.language.draft_guard import check_observation, vocabulary
from bot.language.observation import find_observation
from bot.language.observation import warm_up as observation_warm_up
from bot.language.verbs import can_be_verb, is_english_word

MODEL = Path(__file__).resolve().parent.parent / "data" / "drafting" / "vouch.json"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_YOU = frozenset({"you", "you're", "you've", "you'd", "you'll"})
# The words the turn to "you" puts in: not new words the proposal brought.
_TURNED = _YOU | frozenset({"your", "yours", "yourself"})
# Words too common to say whether the proposal kept what the message is about.
_COMMON = frozenset(
    "i you he she they it we me him her them my your his their our the a an and but so to of "
    "in on at for with was were is are be been have has had do did does not no".split()
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


@lru_cache(maxsize=4096)
def _known(word: str) -> bool:
    """In spaCy's English word lists (a form of a verb, a plural noun, a contraction's word)?
    A word outside them is misspelt, chat, a name, or a second language's word made up."""
    stem = word[:-3] if word.endswith("n't") else word.split("'")[0]
    return any(
        is_english_word(form) or can_be_verb(form)
        for form in {stem, stem[:-1] if stem.endswith("s") else stem}
        if form
    )


@lru_cache(maxsize=1)
def _not_facts() -> frozenset:
    """Words a good observation leaves out, from the language data: chat tags, hedges, the
    person's inner talk and states, and every feeling ("ugh so basically jake forgot my
    birthday and im freaking out" keeps all its facts in "you forgot my birthday")."""
    data = vocabulary()
    phrases = [
        phrase
        for key in ("chat_tags", "hedges", "hedge_openers", "inner", "run_on_states")
        for phrase in data[key]
    ]
    words = {phrase for phrase in phrases if " " not in phrase}
    words |= {word for phrase in feeling_phrases() if len(phrase) <= 2 for word in phrase}
    return frozenset(words) - {"you", "he", "she", "they"}


def _unknown(words: list[str]) -> float:
    return sum(1 for word in words if not _known(word)) / max(1, len(words))


_NUMBER = re.compile(r"\d+(?:[:.]\d+)?")
_QUOTED = re.compile(
    r"[\"\u201c\u2018]([^\"\u201d\u2019]{2,80})[\"\u201d\u2019]|(?<!\w)'([^']{2,80})'(?!\w)"
)
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+)\b")


# How long the two have been together is background, not a fact of what happened ("we've
# been together 2 yrs, he said he'd call at 6 …")
_TOGETHER_FOR = re.compile(
    r"(?:together|married|dating|engaged|with (?:him|her|them))\s+(?:for\s+)?(?:like\s+)?"
    r"(?P<a>\d+)|(?P<b>\d+)\s*(?:years?|yrs?|months?)\s+(?:together|married|in\b|of dating)",
    re.I,
)


def _facts_numbers(message: str) -> set:
    """The numbers and clock times of ``message`` but how long the relationship has been."""
    background = {m.group("a") or m.group("b") for m in _TOGETHER_FOR.finditer(message)}
    return set(_NUMBER.findall(message)) - background


def _names(text: str) -> set:
    """Words with a capital inside a sentence ("Jake", "Lyon", "Friday"), lower-cased."""
    return {word.lower() for word in _CAPITAL.findall(text)}


def _shape(word: str) -> str:
    """The word as the grammar sees it: a small word kept ("you", "and", "while", "didn't"),
    any other as its kind (a number, a word no list knows, a verb form, another English word),
    so the model learns shapes ("you V my N") and never a topic ("birthday")."""
    if word in STOP_WORDS or "'" in word:
        return word
    if any(char.isdigit() for char in word):
        return "#"
    if not _known(word):
        return "?"
    if can_be_verb(word):
        return "V"
    return "W"


def features(message: str, proposal: str) -> dict[str, float]:
    """The features of one proposal for the message it came from (numbers scaled near 0..1;
    ``w:`` a word of the proposal, ``b:`` two words next to each other in it)."""
    said, told = _words(proposal), _words(message)
    told_set = set(told)
    content = told_set - _COMMON - _not_facts()
    found = {
        "n:proposal_words": len(said) / 30,
        "n:message_words": min(len(told), 200) / 100,
        "n:share_of_message": len(said) / max(1, len(told)),
        "n:commas": proposal.count(",") / 3,
        # readers passed 69% of lines with one comma or none, 47% with two, 23% with three:
        # pieces stitched on read as garbled (rounds 13-50)
        "n:stitched": float(proposal.count(",") >= 2),
        "n:ands": said.count("and") / 3,
        "n:yous": sum(word in _YOU for word in said) / 3,
        "n:sentences": len(_SENTENCE_END.findall(message)) / 5,
        "n:digits": float(any(char.isdigit() for char in proposal)),
        "n:unknown_in_proposal": _unknown(said),
        "n:unknown_in_message": _unknown(told),
        "n:not_in_message": sum(1 for word in said if word not in told_set | _TURNED)
        / max(1, len(said)),
        "n:content_kept": len(set(said) & content) / max(1, len(content)),
        # what a fact usually is: a number or clock time, a quotation, a name or place
        "n:numbers_dropped": len(_facts_numbers(message) - set(_NUMBER.findall(proposal))) / 3,
        "n:quotes_dropped": sum(
            1
            for quote in _QUOTED.finditer(message)
            if (quote.group(1) or quote.group(2)).lower() not in proposal.lower()
        )
        / 2,
        "n:names_dropped": len(_names(message) - _names(proposal)) / 3,
        "n:question_in_message": float("?" in message),
        "n:quote": float(bool(re.search(r"['\"]\w", proposal))),
        "n:starts_with_i": float(proposal.lower().startswith(("i ", "i'"))),
    }
    # words and pairs weigh together as much whatever the length (one over the square root
    # of how many there are), so a short clause is not doubted for having few of them
    shape = [_shape(word) for word in said]
    kinds, pairs = set(shape), set(zip(shape, shape[1:]))
    for word in kinds:
        found["w:" + word] = 1.0 / math.sqrt(len(kinds))
    for first, second in pairs:
        found[f"b:{first} {second}"] = 1.0 / math.sqrt(len(pairs))
    return found


@lru_cache(maxsize=1)
def model() -> dict:
    """The learnt weights (``scripts/train_vouch.py`` writes them)."""
    return json.loads(MODEL.read_text(encoding="utf-8"))


def likely_right(message: str, proposal: str) -> float:
    """How likely a careful reader passes ``proposal`` as the observation of ``message``
    (grammar, camera-like, "you" throughout, the key facts kept): 0..1."""
    learnt = model()
    weights = learnt["weights"]
    total = learnt["bias"] + sum(
        value * weights.get(name, 0.0) for name, value in features(message, proposal).items()
    )
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


def vouches(message: str, proposal: str) -> bool:
    """Show ``proposal`` to the person? No when a reader is more likely to fail it."""
    return likely_right(message, proposal) >= model()["threshold"]


def warm_up() -> None:
    """Read the weights and the word table now, and the observation rules with them, not on
    someone's first draft."""
    observation_warm_up()
    model()
    _known("text")
    _not_facts()


# A line the model is this sure of is shown without looking for a shorter one.
_SURE = 0.7


def proposal(situation: str) -> str | None:
    """The observation to show the person for ``situation`` ("So what happened was: …"), or
    None when they should be asked for it in their own words.

    Nothing found, a line the grammar guard refuses, or one a reader is more likely to fail
    than pass (:func:`vouches`), and the person is asked. A line the model is sure of
    (:data:`_SURE`) is shown as it is. Between the two, the shorter readings of the same
    message are weighed with it (each sentence's clause alone, the line without the pieces
    stitched on: readers failed most lines of three pieces or more, and round 50's failures
    were mostly those) and the one a reader most likely passes is shown."""
    clause = find_observation(situation).clause
    if not clause or check_observation(clause):
        return None
    score = likely_right(situation, clause)
    if score < model()["threshold"]:
        return None
    if score >= _SURE:
        return clause
    readings = [(score, clause)] + [
        (likely_right(situation, reading), reading)
        for reading in find_observation(situation, shorter=True).shorter
        if not check_observation(reading)
    ]
    return max(readings, key=lambda pair: pair[0])[1]
