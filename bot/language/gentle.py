"""The gentle-language check: what in a draft might make it land harder than meant.

A good draft (see the brief, "What a good draft is") describes what happened the way a camera
would, owns the feeling, and asks rather than demands. ``check_draft`` points at the phrases
that work against that, each as a :class:`Finding` with a kind, the span as written, one short
kind explanation and a suggested rewording. Seven kinds:

``absolute``
    Absolutes and verdicts *about the partner*: "you always", "you never", "you're always",
    "every time (you)", "all the time", "as usual"; "you don't care", "you're selfish",
    "you only think about yourself". The person's own absolutes ("I never want to lose you",
    "I'm always the one who texts first") and requests ("could you always text me…") are
    not flagged, nor are "all the time"/"as usual" in a sentence whose subject is not "you".
``blame``
    Handing the partner the feeling: "you made me feel", "you make me so anxious",
    "because of you", "it's your fault", "you hurt me". "It made me feel …" is not flagged:
    it does not make the partner the cause.
``thought_as_feeling``
    "I felt that …", "I felt like you …", "I feel as if …", "I feel you're …". "I felt like
    crying" is a feeling and is left alone. A verdict or a faux-feeling word inside such a
    clause ("I felt like you don't care", "I feel like I'm not a priority") is folded into
    this one finding; its suggestion names the feeling underneath and keeps the thought as
    "the story in my head".
``faux_feeling``
    Words from ``faux_feelings`` in ``data/feelings.yml`` (abandoned, ignored, rejected,
    unimportant, …) *in the feeling's place*: after "I felt/feel/feeling", "I was/I'm/I've
    been", "made me feel". "When you ignored my calls" describes an action and is not flagged.
``demand``
    "you have to", "you need to", "you'd better", "or else", "don't ever …", and ultimatums:
    a threat to leave tied to a condition ("if you don't …, I'm leaving"), reported once as
    a demand, not also as protest. "I need you to …" and "you should have …" are left alone
    (softer, and common in drafts the person is happy with); "you must be tired" is not a
    demand, nor is "I know you have to work late".
``checking_up``
    Demands for whereabouts or proof: "where you are at all times", "share your location",
    "send me a photo of where you are", "show me your phone", "text me every hour",
    "who were you with". Requests ("Could you let me know where you're heading?", "send me a
    quick text when you're running late") and the person's own habits ("I check my phone
    every five minutes") are not flagged.
``protest``
    Protest behaviour: threats to leave ("I'm done", "maybe we should break up"), trying to
    make the partner jealous ("I'll just go out with my ex then"), pulling away as a test
    ("maybe I should stop texting you too"), keeping score ("I did X for you three times and
    you…", "after everything I've done for you", "this is the third time"). A plain count of
    one's own messages ("I've texted you three times today") is not flagged on its own.

This module does not look for danger (self-harm, abuse, a partner who controls or hurts):
run the safety check first; "you hurt me" is coached here as blame only because the caller
has already ruled that out.

Findings never overlap: when two rules cover the same words the more specific kind wins
(blame > demand > checking_up > protest > thought_as_feeling > absolute > faux_feeling) and
the other is trimmed to what is left, or dropped.

``Finding.replacement`` holds the mechanical rewording of exactly ``text[start:end]`` when one
is safe ("you made me feel" -> "I felt", "abandoned" -> "scared", "you never texted" -> "you
didn't text", "you always come home late" -> "you came home late", "you're always" -> "you
were", "every time you" -> "when you", "" to drop "because of you" or "as usual"), and None
when only the person can reword it (verdicts, thoughts, demands, protest) or when the verb's
past tense is unknown. Absolutes are turned into "this one time", in the past, because a
draft describes something that happened.
``suggest_rewrite`` applies exactly these.

The words, patterns and kind explanations are data: ``bot/data/gentle/`` (one file per kind
and a lexicon, in the pattern notation of ``bot/language/patterns.py``; read and validated
by ``bot/language/gentle_rules.py``, ``python -m bot.language.gentle_rules``) and the faux
feelings of ``bot/data/feelings.yml``. What stays here is the engine and the named checks
that are logic: who is the subject, tense and replacements, where findings meet. The checks
read the lexicon's word classes as attributes of ``W`` (``W.CLAUSE_OPENERS``).

Everything runs on ``get_nlp()`` (blank English + lookup lemmatizer) with one spaCy Matcher and
one PhraseMatcher, built once. The text is lower-cased and its curly apostrophes straightened
character for character before tokenising, so offsets into the draft are unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from bot.language import gentle_rules
from bot.language.gentle_rules import GentleRule, GentleRules, Vocabulary
from bot.language.nlp import get_nlp

ABSOLUTE = "absolute"
BLAME = "blame"
THOUGHT = "thought_as_feeling"
FAUX = "faux_feeling"
DEMAND = "demand"
CHECKING_UP = "checking_up"
PROTEST = "protest"

KINDS: tuple[str, ...] = (ABSOLUTE, BLAME, THOUGHT, FAUX, DEMAND, CHECKING_UP, PROTEST)

# Which finding keeps contested words (lower wins).
_PRIORITY = {BLAME: 0, DEMAND: 1, CHECKING_UP: 2, PROTEST: 3, THOUGHT: 4, ABSOLUTE: 5, FAUX: 6}
# Which findings `summarise` shows first.
_SEVERITY = {CHECKING_UP: 0, PROTEST: 1, DEMAND: 2, BLAME: 3, ABSOLUTE: 4, THOUGHT: 5, FAUX: 6}


@dataclass(frozen=True)
class Finding:
    """One phrase in a draft that may land harder than meant.

    ``start``/``end`` are character offsets into the draft and ``text == draft[start:end]``.
    ``suggestion`` is a rewording to show the person (of the span, its clause or its
    sentence). ``replacement`` is the safe mechanical rewording of exactly the span ("" to
    drop it), or None when only the person can reword it.
    """

    kind: str
    start: int
    end: int
    text: str
    explanation: str
    suggestion: str
    replacement: Optional[str] = None


# --------------------------------------------------------------------------------------
# Word classes: the ``sets`` of bot/data/gentle/lexicon.yml, bound when the rules load.


class _Words:
    """The lexicon's word classes as attributes (``W.CLAUSE_OPENERS``), bound by ``_bind``."""

    def bind(self, rules: GentleRules) -> None:
        for name, words in rules.lexicon.sets.items():
            setattr(self, name, words)
        # "you" as a subject: "you", or one token meaning "you're"
        self.SUBJECT_YOU = rules.lexicon.sets["YOU"] | rules.lexicon.sets["YOURE"]

    def __getattr__(self, name: str) -> frozenset[str]:
        raise RuntimeError(f"gentle word class {name} read before the rules were loaded")


W = _Words()
_SENT_END = re.compile(r"^[.!?\u2026]+$")

# Filled from the data files when the rules load (see ``_bind``).
_EXPLAIN: dict[str, str] = {}
_SUGGEST: dict[str, str] = {}
_GENERIC: dict[str, str] = {}  # kind -> the suggestion when nothing better is left
_IRREGULAR_PAST: dict[str, str] = {}  # past tenses the lookup table cannot give
_IRREGULAR_BASE: dict[str, str] = {}


def _vocabulary() -> Vocabulary:
    """The feelings vocabulary (data/feelings.yml, shared with bot.feelings)."""
    return _matchers()[3].vocabulary


# --------------------------------------------------------------------------------------
# Analysed draft


class _Draft:
    """A processed draft with the per-token facts the rules need."""

    def __init__(self, text: str, doc: Doc):
        self.text = text
        self.doc = doc
        self.low = [token.lower_ for token in doc]
        self.lemma = [token.lemma_ for token in doc]
        self.n = len(doc)
        self.sent_end = [
            bool(_SENT_END.match(token.text)) or (token.is_space and "\n" in token.text)
            for token in doc
        ]
        self.clause_end = [
            end or token.text in W.CLAUSE_MARKS for end, token in zip(self.sent_end, doc)
        ]
        self.boundary = [token.is_punct or token.is_space for token in doc]
        sentence, sent_of = 0, []
        for position in range(self.n):
            sent_of.append(sentence)
            if self.sent_end[position]:
                sentence += 1
        self.sent_of = sent_of
        self._sentences: dict[int, tuple[int, int]] = {}

    # token helpers -------------------------------------------------------------------
    def at(self, position: int) -> str:
        return self.low[position] if 0 <= position < self.n else ""

    def is_end(self, position: int) -> bool:
        """True past the end of the draft or on punctuation/space."""
        return position >= self.n or position < 0 or self.boundary[position]

    def char_start(self, position: int) -> int:
        return self.doc[position].idx if position < self.n else len(self.text)

    def char_end(self, position: int) -> int:
        """Character offset just after token ``position - 1`` (span end convention)."""
        token = self.doc[position - 1]
        return token.idx + len(token.text)

    def sentence(self, position: int) -> tuple[int, int]:
        """Token range [start, end) of the sentence holding ``position`` (end punct excluded)."""
        sentence_id = self.sent_of[position]
        if sentence_id not in self._sentences:
            start = position
            while start > 0 and self.sent_of[start - 1] == sentence_id:
                start -= 1
            end = position
            while end < self.n and self.sent_of[end] == sentence_id and not self.sent_end[end]:
                end += 1
            self._sentences[sentence_id] = (start, end)
        return self._sentences[sentence_id]

    def clause(self, position: int, stops: frozenset[str] = frozenset()) -> tuple[int, int]:
        start = position
        while start > 0 and not self.clause_end[start - 1] and self.low[start - 1] not in stops:
            start -= 1
        end = position
        while (
            end < self.n
            and not self.clause_end[end]
            and (end == position or self.low[end] not in stops)
        ):
            end += 1
        return start, end

    def is_subject_you(self, position: int) -> bool:
        """Is the "you" at ``position`` a subject ("you cancel") rather than an object
        ("I miss you")? A clause opener before it, or a verb after it, says subject."""
        if self.low[position] not in W.SUBJECT_YOU or self.is_end(position + 1):
            return False
        if self.low[position] in W.YOURE:
            return True
        before = self.at(position - 1)
        if self.is_end(position - 1) or before in W.CLAUSE_OPENERS:
            return True
        after = self.low[position + 1]
        return after in W.VERBISH or _past(after) is not None

    def has_subject_you(self, start: int, end: int) -> bool:
        """Is "you" the subject of something in tokens [start, end)?"""
        return any(self.is_subject_you(position) for position in range(start, end))

    def nearest_subject_is_you(self, position: int) -> bool:
        """Walking back through the sentence from ``position``, is the first subject "you"?

        "You're on your phone all the time": yes. "I miss you all the time": no (the "you"
        is an object, and "I" is the subject).
        """
        sentence_start, _ = self.sentence(position)
        for back in range(position - 1, sentence_start - 1, -1):
            word = self.low[back]
            if word in W.OTHER_SUBJECTS:
                return False
            if word in W.SUBJECT_YOU and self.is_subject_you(back):
                return True
        return False

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.char_start(start) : self.char_end(end)]


@dataclass(frozen=True)
class _Hit:
    """A candidate finding in token positions, before overlaps are resolved."""

    kind: str
    start: int
    end: int
    explanation: str
    suggestion: str
    replacement: Optional[str] = None
    tag: str = ""
    anchor: int = -1  # the token that must stay covered if the hit is trimmed
    order: int = 0  # within a kind, lower wins when merging


_Handler = Callable[[_Draft, int, int], "list[_Hit] | _Hit | None"]


# --------------------------------------------------------------------------------------
# Wording helpers


def _quoted(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text[:1].upper() + text[1:]


def _match_case(replacement: str, original: str) -> str:
    if replacement and original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _explain(key: str, span: str, **extra: str) -> str:
    return _EXPLAIN[key].format(w=_quoted(span), **extra)


# --------------------------------------------------------------------------------------
# Verb forms from the lookup lemmatizer's table


@lru_cache(maxsize=1)
def _lemma_table():
    return get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def _base(word: str) -> str:
    if word in _IRREGULAR_BASE:
        return _IRREGULAR_BASE[word]
    return _lemma_table().get(word, word)


def _past(word: str) -> Optional[str]:
    """The simple past of a verb form, or None when ``word`` is not known as a verb."""
    table = _lemma_table()
    if word in _IRREGULAR_BASE:
        return word
    if word in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[word]
    base = table.get(word, word)
    if base != word:
        # already inflected: keep a past form, leave "-s"/"-ing" forms alone
        return word if word.endswith("ed") else None
    stem = word[:-1] if word.endswith("y") else word
    for candidate in (word + "ed", word + "d", stem + "ied", word + word[-1:] + "ed"):
        if table.get(candidate) == word:
            return candidate
    return None


# --------------------------------------------------------------------------------------
# Rule handlers. Each returns hits in token positions.


def _absolute(
    draft: _Draft,
    key: str,
    start: int,
    end: int,
    replacement: Optional[str],
    order: int = 5,
    tag: str = "",
    quote_end: Optional[int] = None,
) -> _Hit:
    span = draft.span_text(start, quote_end or end)
    if replacement is not None:
        suggestion = ""  # filled from the clause later
    else:
        suggestion = _SUGGEST["verdict" if key == "verdict" else "absolute"]
    return _Hit(
        ABSOLUTE,
        start,
        end,
        _explain(key, span),
        suggestion,
        replacement,
        tag or key,
        anchor=end - 1,
        order=order,
    )


def _you_absolute(draft: _Draft, start: int, end: int):
    """ "you always", "you're never", "you've never", "ur always"."""
    word = draft.low[end - 1]
    before = draft.at(start - 1)
    following = draft.at(end)
    if before in W.REQUEST_OPENERS or following in {"know", "knew"}:
        return None
    key = "never" if word == "never" else "always"
    you_text = draft.text[draft.char_start(start) : draft.char_end(start + 1)]
    if draft.low[start] in W.YOURE:
        you_text = "you"
    middle = draft.low[start + 1 : end - 1]
    # "never ever": take the "ever" too
    if following == "ever":
        end += 1
        following = draft.at(end)
    replacement: Optional[str] = None
    has_be = draft.low[start] in W.YOURE or any(word_ in W.BE for word_ in middle)
    has_have = any(word_ in W.HAVE for word_ in middle)
    if word == "forever" and not has_be:
        return None
    if has_be:
        replacement = f"{you_text} weren't" if key == "never" else f"{you_text} were"
    elif has_have:
        replacement = f"{you_text} haven't" if key == "never" else f"{you_text}'ve"
    elif not middle:
        # bare "you always/never" + verb: "you never texted" -> "you didn't text"
        position = end
        adverbs: list[str] = []
        while draft.at(position) in W.NEVER_ADVERBS:
            adverbs.append(draft.doc[position].text)
            position += 1
        verb = draft.at(position)
        past = _past(verb) if verb and not draft.is_end(position) else None
        if past is not None and verb not in {"be", "know", "knew"}:
            if key == "never":
                words = [you_text, "didn't", *adverbs, _base(verb)]
            else:
                words = [you_text, *adverbs, past]
            return _absolute(draft, key, start, position + 1, " ".join(words), quote_end=end)
    return _absolute(draft, key, start, end, replacement)


def _every_time(draft: _Draft, start: int, end: int):
    sentence_start, sentence_end = draft.sentence(start)
    if not draft.has_subject_you(sentence_start, sentence_end):
        return None
    following = draft.at(end)
    if draft.is_end(end):
        replacement: Optional[str] = ""
    elif following in W.CLAUSE_START:
        replacement = "when"
    else:
        replacement = None
    return _absolute(draft, "every_time", start, end, replacement)


def _habitual(draft: _Draft, start: int, end: int):
    if not draft.nearest_subject_is_you(start):
        return None
    words = draft.low[start:end]
    if words == ["constantly"] and draft.at(start - 1) in W.SUBJECT_YOU | W.BE:
        return None  # "you constantly" is the you-absolute rule's
    replacement: Optional[str] = None if words[:2] == ["not", "once"] else ""
    return _absolute(draft, "habitual", start, end, replacement)


def _verdict(draft: _Draft, start: int, end: int):
    words = draft.low[start:end]
    last = words[-1]
    following = draft.at(end)
    if draft.at(start - 1) in W.REQUEST_OPENERS - {"if"}:
        return None
    if words[0] == "your":
        # "your so selfish" is a typo for "you're"; "your selfish behaviour" is not a verdict
        if not (draft.is_end(end) or following in W.YOUR_VERDICT_TAIL):
            return None
    if last == "care":
        if following in {"about", "for"} and draft.at(end + 1) not in W.PERSONAL_OBJECTS:
            return None
    elif last in W.VERDICT_VERBS_NEED_OBJECT:
        if following not in W.VERDICT_OBJECTS:
            return None
    elif last in W.VERDICT_HABITS:
        if "did" in words:
            return None  # "you didn't notice" is one event, not a verdict
    elif last == "think":
        if "did" in words or following not in {"about", "of"}:
            return None
    elif last == "give":
        if following != "a" or draft.at(end + 1) not in W.GIVE_A:
            return None
        end += 2
    return _absolute(draft, "verdict", start, end, None, order=0, tag="verdict")


def _blame_make(draft: _Draft, start: int, end: int):
    """ "you made me feel" -> "I felt"; "you make me so anxious" -> "I feel so anxious"."""
    words = draft.low[start:end]
    feel_variant = words[-1] == "feel"
    make_index = next(i for i, word in enumerate(words) if word in W.MAKE)
    make = words[make_index]
    adverbs = [
        draft.doc[start + i].text for i, word in enumerate(words[:make_index]) if word in W.INT
    ]
    if not feel_variant:
        position = end
        while draft.at(position) in W.INT:
            position += 1
        nxt = draft.at(position)
        if nxt in W.MADE_ME_STATES:
            replacement = None
        elif nxt in _vocabulary().feeling_first_words and nxt not in W.NOT_FEELING_AFTER_MAKE:
            replacement = ""
        else:
            return None
    else:
        replacement = ""
    if replacement == "":
        has_be = any(word in W.BE for word in words[:make_index])
        has_have = any(word in W.HAVE for word in words[:make_index])
        if make == "making" and has_be:
            verb = "I'm feeling" if feel_variant else "I'm"
        elif make in {"made"} or has_have:
            verb = "I felt"
        elif make == "making":
            return None
        else:
            verb = "I feel"
        replacement = " ".join([verb.split()[0], *adverbs, *verb.split()[1:]])
    span = draft.span_text(start, end)
    return _Hit(
        BLAME,
        start,
        end,
        _explain("blame_make", span),
        "" if replacement is not None else _SUGGEST["blame"],
        replacement,
        "make",
        anchor=start,
    )


def _blame_drive(draft: _Draft, start: int, end: int):
    span = draft.span_text(start, end)
    return _Hit(
        BLAME,
        start,
        end,
        _explain("blame_make", span),
        _SUGGEST["blame"],
        None,
        "make",
        anchor=start,
    )


def _blame_because(draft: _Draft, start: int, end: int):
    span = draft.span_text(start, end)
    sentence_start, _ = draft.sentence(start)
    at_clause_end = draft.is_end(end)
    at_sentence_start = start == sentence_start and (
        draft.at(end) == "," or draft.at(end) in {"i", "im"}
    )
    replacement = "" if at_clause_end or at_sentence_start else None
    return _Hit(
        BLAME,
        start,
        end,
        _explain("blame_because", span),
        "" if replacement is not None else _SUGGEST["blame"],
        replacement,
        "because",
        anchor=end - 1,
    )


def _blame_fault(draft: _Draft, start: int, end: int):
    span = draft.span_text(start, end)
    return _Hit(
        BLAME,
        start,
        end,
        _explain("blame_fault", span),
        _SUGGEST["blame"],
        None,
        "fault",
        anchor=end - 1,
    )


def _blame_hurt(draft: _Draft, start: int, end: int):
    """ "you hurt me" -> "I felt hurt" when nothing after "me" depends on the verb."""
    words = draft.low[start:end]
    verb = words[-2]
    feeling = {"hurted": "hurt", "frightened": "scared"}.get(verb, verb)
    adverbs = [draft.doc[start + i].text for i, word in enumerate(words) if word in W.INT]
    following = draft.at(end)
    safe = draft.is_end(end) or following in W.HURT_SAFE_AFTER
    replacement = " ".join(["I felt", *adverbs, feeling]) if safe else None
    span = draft.span_text(start, end)
    return _Hit(
        BLAME,
        start,
        end,
        _explain("blame_make", span),
        "" if safe else _SUGGEST["blame"],
        replacement,
        "hurt",
        anchor=start,
    )


def _thought(draft: _Draft, start: int, end: int):
    words = draft.low[start:end]
    last = words[-1]
    following = draft.at(end)
    feel_index = max(i for i, word in enumerate(words) if word in W.FEEL)
    # "a feeling that…", "the feeling like…": a noun, not "I felt"
    if draft.at(start + feel_index - 1) in W.DETERMINERS:
        return None
    # "if you feel like …" is about the partner's feeling
    if draft.at(start - 1) in W.SUBJECT_YOU or draft.low[start] in W.SUBJECT_YOU:
        return None
    if last == "that":
        if draft.is_end(end) or following in W.FEEL_THAT_NOT_CLAUSE:
            return None
    elif last == "as":
        if following not in {"if", "though"}:
            return None
        end += 1
    elif last == "like":
        if following not in W.CLAUSE_START:
            return None
        if following in W.LIKE_WEAK_STARTS and (
            draft.at(end + 1) not in W.VERBISH | W.LIKE_STARTS_VERBS
            and following != "no"
            or draft.is_end(end + 1)
        ):
            return None  # "I don't feel like it tonight", "I feel like the beach"
    else:
        return None
    return _thought_hit(draft, start, end, start + feel_index)


def _thought_hit(draft: _Draft, start: int, end: int, anchor: int) -> _Hit:
    span = draft.span_text(start, end)
    return _Hit(THOUGHT, start, end, _explain("thought", span), "", None, "thought", anchor=anchor)


def _thought_bare(draft: _Draft, start: int, end: int):
    """ "I feel you don't care", "I felt I wasn't wanted" ("I feel you" alone is slang)."""
    words = draft.low[start:end]
    feel_index = max(i for i, word in enumerate(words) if word in W.FEEL)
    # the span is "I feel"; the clause after it is the thought
    return _thought_hit(draft, start, start + feel_index + 1, start + feel_index)


def _protest(draft: _Draft, tag: str, start: int, end: int) -> _Hit:
    if draft.at(start - 1) in W.MAYBE:
        start -= 1
    span = draft.span_text(start, end)
    return _Hit(PROTEST, start, end, _explain(tag, span), _SUGGEST[tag], None, tag, anchor=start)


def _threat(draft: _Draft, start: int, end: int):
    """Threats to leave; tied to a condition they are ultimatums (kind demand)."""
    words = draft.low[start:end]
    last = words[-1]
    following = draft.at(end)
    after = draft.at(end + 1)
    if last in {"leave", "leaving", "go", "walk", "quit"}:
        if following == "away" and last in {"walk", "go"}:
            end += 1
        elif following in W.LEAVE_NEXT:
            end += 1 if following in W.LEAVE_OBJECTS else 0
        elif following == "for" and after == "good":
            end += 2
        elif not draft.is_end(end):
            return None
    elif last in {"done", "out", "gone", "finished", "through", "over"}:
        if following == "with" and after in W.PERSON_OBJECTS:
            end += 2
        elif following == "of" and after == "here":
            end += 2
        elif following in {"between"}:
            end += 1
        elif not (draft.is_end(end) or following in W.DONE_NEXT):
            return None
        if last == "over" and draft.at(start - 1) in W.OVER_NOT_AFTER:
            return None
    elif last in {"dump", "dumping"}:
        if following not in W.YOU_WORDS:
            return None
        end += 1
    elif last in {"end", "ending"}:
        if following not in W.END_OBJECTS:
            return None
        end += 1
    elif last in {"break", "breaking", "split", "splitting"}:
        if following != "up":
            return None
        end += 1
        if draft.at(end) == "with" and draft.at(end + 1) in W.YOU_WORDS:
            end += 2
    else:
        return None
    # "you'd notice I'm gone", "when I'm gone": not a threat
    if draft.at(start - 1) in W.NOT_THREAT_AFTER:
        return None
    # an ultimatum: "if you don't …, I'm leaving", "… or I'm done", "unless you …",
    # "I'll leave you if this happens again"
    sentence_start, sentence_end = draft.sentence(start)
    if draft.at(end) in {"if", "unless"}:
        _, clause_end = draft.clause(end)
        span = draft.span_text(start, clause_end)
        return _Hit(
            DEMAND,
            start,
            clause_end,
            _EXPLAIN["ultimatum"].format(w=_quoted(span, 60)),
            _SUGGEST["ultimatum"],
            None,
            "ultimatum",
            anchor=start,
        )
    condition = None
    for position in range(start - 1, sentence_start - 1, -1):
        word = draft.low[position]
        if word in {"if", "unless"} and (
            draft.at(position + 1) in W.SUBJECT_YOU or draft.at(position + 2) in W.SUBJECT_YOU
        ):
            condition = position
            break
        if word in {"or", "otherwise"} and position >= start - 3:
            condition = position
            break
    if condition is not None:
        opening = draft.span_text(condition, min(condition + 3, start))
        threat = draft.span_text(start, end)
        quote = (
            f"{opening} …, {threat}" if condition + 3 < start else draft.span_text(condition, end)
        )
        return _Hit(
            DEMAND,
            condition,
            end,
            _EXPLAIN["ultimatum"].format(w=_quoted(quote, 60)),
            _SUGGEST["ultimatum"],
            None,
            "ultimatum",
            anchor=start,
        )
    return _protest(draft, "leave", start, end)


def _jealousy(draft: _Draft, start: int, end: int):
    return _protest(draft, "jealousy", start, end)


def _find_someone(draft: _Draft, start: int, end: int):
    """ "I'll find someone who actually cares" (not "I'll find someone to cover my shift")."""
    following = draft.at(end)
    if not (draft.is_end(end) or following in W.FIND_SOMEONE_NEXT):
        return None
    return _protest(draft, "jealousy", start, end)


def _my_ex(draft: _Draft, start: int, end: int):
    """ "I'll go out with my ex then" and "my ex would never": protest; "you mentioned my ex": not."""
    following = draft.at(end)
    if following in W.MY_EX_NEXT:
        comparison = {"at": {"least"}, "was": W.MY_EX_BETTER, "is": W.MY_EX_BETTER}
        if following in comparison and draft.at(end + 1) not in comparison[following]:
            return None
        return _protest(draft, "jealousy", start, end)
    sentence_start, _ = draft.sentence(start)
    window_start = max(sentence_start, start - 9)
    window = draft.low[window_start:start]
    for i, word in enumerate(window):
        if word == "ill" or (word in {"i", "im"} and set(window[i + 1 : i + 4]) & W.FUTURE_AUX):
            return _protest(draft, "jealousy", window_start + i, end)
    return None


def _withdraw(draft: _Draft, start: int, end: int):
    words = draft.low[start:end]
    if words[-1] in W.WITHDRAW_VERBING and draft.at(start - 1) not in W.MAYBE:
        # "maybe I should stop texting you too" is a test; "I'll stop texting you so much at
        # work" may be the person's own plan
        clause_start, clause_end = draft.clause(start)
        if not set(draft.low[clause_start:clause_end]) & W.WITHDRAW_MARKERS:
            return None
    if any(word in W.NEG for word in words) and words[-1] in W.CONTACT_VERBS:
        # "I won't text you first / anymore"; "I'm not going to text you while you're at work"
        clause_start, clause_end = draft.clause(end)
        if not set(draft.low[end:clause_end]) & W.WONT_MARKERS:
            return None
    return _protest(draft, "withdraw", start, end)


def _score(draft: _Draft, start: int, end: int):
    words = draft.low[start:end]
    sentence_start, sentence_end = draft.sentence(start)
    if words[-1] in {"times", "twice"} and words[0] != "how":
        rest = draft.low[start:sentence_end]
        joined = " ".join(draft.low[sentence_start:sentence_end])
        if not (
            re.search(r"\bfor (you|u)\b", joined)
            or re.search(r"\b(and|but|yet|while) (you|u)\b", " ".join(rest))
        ):
            return None
        if draft.at(start - 1) == "a" and words[0] in {"few", "couple"}:
            start -= 1
    elif words[0] == "the":
        if draft.at(start - 1) not in W.THE_NTH_AFTER:
            return None
    if words[-1] in W.SCORE_VERBS:
        if draft.at(end) == "for" and draft.at(end + 1) in W.SUBJECT_YOU | {"you"}:
            end += 2
    return _protest(draft, "score", start, end)


def _demand(draft: _Draft, start: int, end: int):
    words = draft.low[start:end]
    last = words[-1]
    following = draft.at(end)
    if draft.at(start - 1) in W.DEMAND_GUARDS | W.REQUEST_OPENERS:
        return None
    if last in {"have", "need"}:
        if following != "to":
            return None
        end += 1
    elif last == "must":
        if following in W.MUST_NOT_DEMAND:
            return None
    span = draft.span_text(start, end)
    # the rest of the sentence, as a request
    _, sentence_end = draft.sentence(start)
    rest = draft.text[draft.char_start(end) : draft.char_start(sentence_end)].strip(" ,;:")
    first_word = rest.split()[0].lower() if rest else ""
    if (
        rest
        and len(rest.split()) <= 16
        and first_word not in W.NOT_REQUEST_START
        and not re.search(r"\b(or|otherwise)\b", rest)
    ):
        suggestion = f"Would you be willing to {rest}?"
    else:
        suggestion = _SUGGEST["demand"]
    return _Hit(
        DEMAND, start, end, _explain("demand", span), suggestion, None, "demand", anchor=start
    )


def _demand_plain(draft: _Draft, start: int, end: int):
    words = draft.low[start:end]
    if words[0] == "do" and draft.at(start - 1) in W.PRONOUNS:
        return None  # "I don't ever want to lose you"
    span = draft.span_text(start, end)
    key = "ultimatum" if words[:2] == ["or", "else"] else "demand"
    return _Hit(DEMAND, start, end, _explain(key, span), _SUGGEST[key], None, key, anchor=start)


def _checking(draft: _Draft, start: int, end: int):
    return _Hit(
        CHECKING_UP,
        start,
        end,
        _EXPLAIN["checking_up"],
        _SUGGEST["checking_up"],
        None,
        "checking_up",
        anchor=start,
    )


def _checking_where(draft: _Draft, start: int, end: int):
    # "Could you let me know where you're headed?" is a request
    before = draft.low[max(0, start - 6) : start]
    if set(before) & W.ASKING or draft.at(start - 1) in W.NEG:
        return None
    while draft.at(end) in W.WHERE_TAIL:
        end += 1
    return _checking(draft, start, end)


def _checking_phone(draft: _Draft, start: int, end: int):
    """ "show me your phone", "I want to see your phone", "I checked your location"."""
    words = draft.low[start:end]
    if words[1:2] == ["me"]:
        clause_start, _ = draft.clause(start)
        before = draft.low[clause_start:start]
        if set(before) & W.ASKING:
            return None
        return _checking(draft, start, end)
    clause_start, _ = draft.clause(start)
    before = draft.low[max(clause_start, start - 5) : start]
    if "i" in before or "im" in before or "me" in before or start == clause_start:
        if set(before) & W.NEG:
            return None
        return _checking(draft, start, end)
    return None


def _plain(draft: _Draft, rule: GentleRule, start: int, end: int) -> _Hit:
    """A rule without a named check: every match is a finding of its file's kind."""
    key = rule.explanation
    return _Hit(
        rule.kind,
        start,
        end,
        _explain(key, draft.span_text(start, end)),
        _SUGGEST.get(key, ""),
        None,
        key,
        anchor=start,
    )


# The named checks a rule in bot/data/gentle/ may ask for (``check: withdraw``): each sees the
# draft and the match's token span and returns its hits (or None: not a finding).
CHECKS: dict[str, _Handler] = {
    "you_absolute": _you_absolute,
    "every_time": _every_time,
    "habitual": _habitual,
    "verdict": _verdict,
    "blame_make": _blame_make,
    "blame_drive": _blame_drive,
    "blame_because": _blame_because,
    "blame_fault": _blame_fault,
    "blame_hurt": _blame_hurt,
    "thought": _thought,
    "thought_bare": _thought_bare,
    "demand": _demand,
    "demand_plain": _demand_plain,
    "checking_where": _checking_where,
    "checking_phone": _checking_phone,
    "threat": _threat,
    "jealousy": _jealousy,
    "find_someone": _find_someone,
    "my_ex": _my_ex,
    "withdraw": _withdraw,
    "score": _score,
}
# The explanations and suggestions this module shows by name (the data files must have them).
EXPLANATIONS_USED = (
    "always",
    "never",
    "every_time",
    "habitual",
    "verdict",
    "blame_make",
    "blame_because",
    "blame_fault",
    "thought",
    "faux",
    "demand",
    "ultimatum",
    "checking_up",
    "leave",
    "jealousy",
    "withdraw",
    "score",
)
SUGGESTIONS_USED = (
    "absolute",
    "verdict",
    "blame",
    "demand",
    "ultimatum",
    "checking_up",
    "leave",
    "jealousy",
    "withdraw",
    "score",
)


def _classes_read() -> set[str]:
    """The word classes this module reads from ``W`` (the lexicon must define them)."""
    source = Path(__file__).read_text(encoding="utf-8")
    return set(re.findall(r"\bW\.([A-Z][A-Z0-9_]*)\b", source)) - {"SUBJECT_YOU"}


def load_rules(directory: Optional[Path] = None) -> GentleRules:
    """Read and validate the data files (``bot/data/gentle/`` unless told) against what this
    module needs; a mistake raises PatternError naming its file and line."""
    return gentle_rules.load(
        directory or gentle_rules.DATA_DIR,
        checks=CHECKS,
        explanations=EXPLANATIONS_USED,
        suggestions=SUGGESTIONS_USED,
        word_classes=_classes_read(),
    )


def _bind(rules: GentleRules) -> None:
    W.bind(rules)
    for target, source in (
        (_EXPLAIN, rules.explanations),
        (_SUGGEST, rules.suggestions),
        (_GENERIC, rules.generic),
        (_IRREGULAR_PAST, rules.past),
    ):
        target.clear()
        target.update(source)
    _IRREGULAR_BASE.clear()
    _IRREGULAR_BASE.update({past: base for base, past in rules.past.items()})


_Compiled = tuple[
    Matcher, PhraseMatcher, dict[str, tuple[GentleRule, Optional[_Handler]]], GentleRules
]


@lru_cache(maxsize=1)
def _matchers() -> _Compiled:
    """Load the rules and compile every pattern once per process."""
    rules = load_rules()
    _bind(rules)
    nlp = get_nlp()
    matcher = Matcher(nlp.vocab)
    by_name: dict[str, tuple[GentleRule, Optional[_Handler]]] = {}
    for rule in rules.rules:
        by_name[rule.name] = (rule, CHECKS[rule.check] if rule.check else None)
        matcher.add(rule.name, list(rule.patterns), greedy="LONGEST")
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for phrase in rules.vocabulary.faux:
        variants = {phrase, phrase.replace(" ", "-")}
        phrases.add(phrase, [nlp.make_doc(variant) for variant in variants])
    return matcher, phrases, by_name, rules


# --------------------------------------------------------------------------------------
# Faux feelings


def _faux_context(draft: _Draft, start: int) -> Optional[str]:
    """The verb that puts the faux word in the feeling's place ("I felt ignored": "felt"),
    or None when it is not in that place."""
    vocabulary = _vocabulary()
    position = start - 1
    steps = 0
    while position >= 0 and steps < 8:
        word = draft.low[position]
        if word in W.FEEL:
            negated = draft.at(position - 1) in W.NEG or draft.at(position - 2) in W.NEG - {"not"}
            return None if negated else word
        if word in W.I_BE:
            if word == "im":
                return word
            for back in (1, 2, 3):
                subject = draft.at(position - back)
                if subject in {"i", "im"}:
                    return word
                if subject not in W.HAVE | W.FAUX_SUBJECT_SKIP:
                    break
            return None
        skippable = (
            word in W.FAUX_SKIP
            or word in vocabulary.feeling_of
            or word in vocabulary.faux
            or not any(char.isalnum() for char in word)
            and not draft.sent_end[position]
        )
        if not skippable:
            return None
        position -= 1
        steps += 1
    return None


def _faux_hits(draft: _Draft) -> list[_Hit]:
    vocabulary = _vocabulary()
    _, phrases, _, _ = _matchers()
    hits: list[_Hit] = []
    used_by_sentence: dict[int, set[str]] = {}
    for match_id, start, end in sorted(phrases(draft.doc), key=lambda m: (m[1], -m[2])):
        if hits and start < hits[-1].end:
            continue
        phrase = " ".join(word for word in draft.low[start:end] if word != "-")
        underneath = vocabulary.faux.get(phrase)
        if underneath is None:
            continue
        if phrase == "used" and draft.at(end) == "to":
            continue
        verb = _faux_context(draft, start)
        if verb is None:
            continue
        # "I got ignored" -> "I got hurt" changes the meaning; so does "not a priority to you"
        mechanical = verb not in {"get", "got", "getting"} and draft.at(end) not in W.FAUX_NOT_AFTER
        # "like an afterthought" / "being ignored" -> "hurt" reads as "I felt hurt"
        span_start = start
        if draft.at(start - 1) in {"like", "being"} and draft.at(start - 2) not in W.NEG:
            span_start = start - 1
        sentence_id = draft.sent_of[start]
        if sentence_id not in used_by_sentence:
            sentence_start, sentence_end = draft.sentence(start)
            used_by_sentence[sentence_id] = {
                vocabulary.feeling_of[word]
                for word in draft.low[sentence_start:sentence_end]
                if word in vocabulary.feeling_of
            }
        used = used_by_sentence[sentence_id]
        feeling = next((f for f in underneath if f not in used), underneath[0])
        used.add(feeling)
        span = draft.span_text(span_start, end)
        listed = ", ".join(underneath[:-1]) + f" or {underneath[-1]}"
        hits.append(
            _Hit(
                FAUX,
                span_start,
                end,
                _explain("faux", span, feelings=listed),
                "" if mechanical else f'Name the feeling underneath: "I felt {feeling}."',
                _match_case(feeling, span) if mechanical else None,
                "faux",
                anchor=end - 1,
            )
        )
    return hits


# --------------------------------------------------------------------------------------
# Putting it together


def _normalised(text: str) -> str:
    """Lower-case and straight apostrophes, one character for one, so offsets stay put."""
    out = []
    for char in text:
        if char in "\u2019\u2018\u02bc":
            out.append("'")
            continue
        lower = char.lower()
        out.append(lower if len(lower) == 1 else char)
    return "".join(out)


def _candidates(draft: _Draft) -> list[_Hit]:
    matcher, _, by_name, _ = _matchers()
    vocab = draft.doc.vocab
    hits: list[_Hit] = []
    for match_id, start, end in matcher(draft.doc):
        rule, handler = by_name[vocab.strings[match_id]]
        if rule.sentence_needs:
            sentence_start, sentence_end = draft.sentence(start)
            if rule.sentence_needs.isdisjoint(draft.low[sentence_start:sentence_end]):
                continue
        result = handler(draft, start, end) if handler else _plain(draft, rule, start, end)
        if result is None:
            continue
        for hit in result if isinstance(result, list) else [result]:
            if hit.start < hit.end:
                hits.append(hit)
    hits.extend(_faux_hits(draft))
    return hits


def _merge_same_kind(hits: list[_Hit]) -> list[_Hit]:
    """Join overlapping hits of one kind (and touching checking-up ones) into one.

    A hit inside another keeps the container's words; the better rule (lower ``order``, e.g.
    a verdict over a plain "always") gives the explanation. A union has no replacement.
    """
    merged: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.kind, h.start, -h.end, h.order)):
        previous = merged[-1] if merged and merged[-1].kind == hit.kind else None
        joins = previous is not None and (
            hit.start < previous.end or (hit.start == previous.end and hit.kind == CHECKING_UP)
        )
        if previous is None or not joins:
            merged.append(hit)
            continue
        same_span = (hit.start, hit.end) == (previous.start, previous.end)
        if same_span:
            if hit.order < previous.order:
                merged[-1] = hit
        elif hit.end <= previous.end:
            if hit.order < previous.order:
                merged[-1] = replace(
                    previous,
                    explanation=hit.explanation,
                    suggestion=hit.suggestion,
                    tag=hit.tag,
                    order=hit.order,
                    replacement=None,
                )
        else:
            best = hit if hit.order < previous.order else previous
            merged[-1] = replace(
                best, start=previous.start, end=hit.end, replacement=None, anchor=previous.anchor
            )
    return merged


def _trim(hit: _Hit, other: _Hit) -> Optional[_Hit]:
    """What is left of ``hit`` outside ``other``: the piece holding its anchor, or None."""
    pieces = []
    if hit.start < other.start:
        pieces.append((hit.start, other.start))
    if hit.end > other.end:
        pieces.append((other.end, hit.end))
    if not pieces:
        return None
    holding = [piece for piece in pieces if piece[0] <= hit.anchor < piece[1]]
    if holding:
        start, end = holding[0]
    elif other.start <= hit.anchor < other.end and len(pieces) == 1:
        start, end = pieces[0]
    else:
        return None
    return replace(hit, start=start, end=end, replacement=None, suggestion="")


def _resolve_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Keep the more specific kind where findings meet; trim or drop the other."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (_PRIORITY[h.kind], h.start, -(h.end - h.start))):
        current: Optional[_Hit] = hit
        for other in kept:
            if current is None:
                break
            if current.start < other.end and other.start < current.end:
                current = _trim(current, other)
        if current is not None and current.start < current.end:
            kept.append(current)
    return kept


def _fold_into_thoughts(draft: _Draft, hits: list[_Hit]) -> list[_Hit]:
    """Verdicts and faux words inside "I felt like …" belong to the thought finding."""
    thoughts = [hit for hit in hits if hit.kind == THOUGHT]
    if not thoughts:
        return hits
    vocabulary = _vocabulary()
    folded: dict[int, list[_Hit]] = {id(t): [] for t in thoughts}
    result = []
    extents = {}
    for thought in thoughts:
        _, clause_end = draft.clause(thought.end, W.THOUGHT_STOPS)
        extents[id(thought)] = (thought.end, max(clause_end, thought.end))
    for hit in hits:
        owner = None
        if hit.kind == FAUX or hit.tag == "verdict":
            owner = next(
                (t for t in thoughts if extents[id(t)][0] <= hit.start < extents[id(t)][1]), None
            )
        if owner is None:
            result.append(hit)
        else:
            folded[id(owner)].append(hit)
    final = []
    for hit in result:
        if hit.kind == THOUGHT:
            start, end = extents[id(hit)]
            story = draft.text[draft.char_start(start) : draft.char_end(end)] if end > start else ""
            story = story.strip(" ,;:")
            inside = folded[id(hit)]
            faux = [h for h in inside if h.kind == FAUX]
            if faux:
                phrase = " ".join(
                    w
                    for w in draft.low[faux[0].start : faux[0].end]
                    if w not in {"like", "being", "-"}
                )
                feeling = vocabulary.faux.get(phrase, ("hurt",))[0]
            elif set(draft.low[start:end]) & W.SCARED_STORY:
                feeling = "scared"
            else:
                feeling = "hurt"
            if set(draft.low[hit.start : hit.end]) & W.NEG:
                suggestion = (
                    f'Name the feeling first ("I felt {feeling}"), then the worry '
                    "in your own words."
                )
            elif story:
                suggestion = f"I felt {feeling}, and the story in my head was that {story}"
            else:
                suggestion = f"I felt {feeling}"
            hit = replace(hit, suggestion=suggestion)
        final.append(hit)
    return final


def _clause_suggestion(draft: _Draft, hit: _Hit) -> str:
    """The hit's clause (or, if that leaves too little, its sentence) with the fix applied."""
    sentence_start, sentence_end = draft.sentence(hit.start)
    clause_start, clause_end = draft.clause(hit.start)
    start, end = draft.char_start(hit.start), draft.char_end(hit.end)
    for first, last in ((clause_start, clause_end), (sentence_start, sentence_end)):
        last = max(last, hit.end)
        a, b = draft.char_start(first), draft.char_end(last)
        rewritten = _apply(draft.text[a:b], [(start - a, end - a, hit.replacement or "")])
        rewritten = " ".join(rewritten.split()).strip(" ,;:")
        if len(rewritten.split()) >= 3 or (first, last) == (sentence_start, sentence_end):
            break
    if len(rewritten.split()) > 16 or not rewritten:
        return _match_case(hit.replacement or "", draft.text[start:end]) or _GENERIC[hit.kind]
    if first == sentence_start:
        rewritten = rewritten[:1].upper() + rewritten[1:]
    return rewritten


def check_draft(text: str) -> list[Finding]:
    """Find what in a draft might land harder than meant, ordered by start, never overlapping."""
    if not text or not text.strip():
        return []
    _matchers()  # the rules load (and bind W) before the draft is read
    nlp = get_nlp()
    doc = nlp(_normalised(text))
    draft = _Draft(text, doc)
    hits = _merge_same_kind(_candidates(draft))
    hits = _resolve_overlaps(hits)
    hits = _fold_into_thoughts(draft, sorted(hits, key=lambda h: (h.start, h.end)))
    findings = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        start, end = draft.char_start(hit.start), draft.char_end(hit.end)
        replacement = hit.replacement
        if replacement is not None:
            replacement = _match_case(replacement, text[start:end])
            hit = replace(hit, replacement=replacement)
        if hit.suggestion:
            suggestion = hit.suggestion
        elif replacement is not None:
            suggestion = _clause_suggestion(draft, hit)
        else:
            suggestion = _GENERIC[hit.kind]
        findings.append(
            Finding(hit.kind, start, end, text[start:end], hit.explanation, suggestion, replacement)
        )
    return findings


# --------------------------------------------------------------------------------------
# Rewriting


def _remove(text: str, start: int, end: int) -> str:
    """Drop text[start:end] and tidy the space and comma around it."""
    left = start
    while left > 0 and text[left - 1] in " \t":
        left -= 1
    at_sentence_start = left == 0 or text[left - 1] in ".!?\n"
    if at_sentence_start:
        right = end
        while right < len(text) and text[right] in " \t,":
            right += 1
        rest = text[right:]
        return text[:start] + rest[:1].upper() + rest[1:]
    after = text[end:].lstrip(" \t")
    if left > 0 and text[left - 1] == "," and (not after or after[0] in ".!?;,"):
        left -= 1
    if not after or after[0] in ".!?;,:)":
        return text[:left] + text[end:].lstrip(" \t")
    return text[:left] + text[end:]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping (start, end, replacement) edits, right to left."""
    taken: list[tuple[int, int]] = []
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        if replacement == "":
            text = _remove(text, start, end)
        else:
            text = text[:start] + replacement + text[end:]
    return text


def suggest_rewrite(text: str, findings: Optional[list[Finding]] = None) -> str:
    """The draft with every safe mechanical fix applied; everything else kept as written.

    Only findings whose ``replacement`` is not None are applied (blame -> "I felt", faux
    word -> the first feeling underneath, "you never texted" -> "you didn't text", "every
    time you" -> "when you", "because of you"/"as usual" dropped). A draft without such
    findings comes back unchanged.
    """
    if findings is None:
        findings = check_draft(text)
    edits = [
        (f.start, f.end, f.replacement)
        for f in findings
        if f.replacement is not None
        and text[f.start : f.end] == f.text
        and not _leaves_a_stray_negative(text, f.start, f.end, f.replacement)
    ]
    if not edits:
        return text
    return _apply(text, edits)


# Words that need a negation before them ("not … anymore", "never … yet"): a fix that takes
# the negation away and leaves one of these after it is no sentence ("I'm not a priority
# anymore" -> "I'm hurt anymore"), so it is not offered.
_NEEDS_NEGATION = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:anymore|any more|any longer|at all|yet|"
    r"either|ever again)\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|nothing|nobody|none|\w+n't|cannot)\b", re.I)


def _leaves_a_stray_negative(text: str, start: int, end: int, replacement: str) -> bool:
    if not _NEGATION.search(text[start:end]) or _NEGATION.search(replacement):
        return False
    return bool(_NEEDS_NEGATION.match(text[end:]))


# --------------------------------------------------------------------------------------
# Summary for the chat


def summarise(findings: list[Finding], limit: int = 3) -> str:
    """A brief, kind, phone-sized note on the most important findings."""
    if not findings:
        return "This reads calm and clear: it says what happened and owns the feeling."
    limit = max(1, limit)
    ordered = sorted(findings, key=lambda f: (_SEVERITY.get(f.kind, 9), f.start))
    chosen: list[Finding] = []
    seen_kinds: set[str] = set()
    for finding in ordered:  # one of each kind first
        if finding.kind not in seen_kinds and len(chosen) < limit:
            chosen.append(finding)
            seen_kinds.add(finding.kind)
    for finding in ordered:
        if len(chosen) >= limit:
            break
        if finding not in chosen:
            chosen.append(finding)
    chosen.sort(key=lambda f: f.start)
    if len(findings) == 1:
        lines = ["One gentle thought before you send it:"]
    else:
        lines = ["A few gentle thoughts before you send it:"]
    for finding in chosen:
        line = f"\u2022 {finding.explanation}"
        suggestion = finding.suggestion
        if suggestion and len(suggestion) <= 110:
            if suggestion.startswith(("Describe", "Say", "Ask", "Own")):
                line += f" {suggestion}"
            else:
                line += f' Maybe: "{suggestion}"'
        lines.append(line)
    more = len(findings) - len(chosen)
    if more:
        lines.append(f"(and {more} more small thing{'s' if more > 1 else ''})")
    lines.append("It's your draft: keep what feels true.")
    return "\n".join(lines)


__all__ = [
    "CHECKS",
    "Finding",
    "KINDS",
    "W",
    "check_draft",
    "load_rules",
    "suggest_rewrite",
    "summarise",
]
