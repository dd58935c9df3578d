"""The grammar guard: what any reader notices is wrong with a draft's observation.

A draft says "When <observation>, I felt …". The observation must read as a calm statement
about the partner, so :func:`check_observation` names what is wrong with one, if anything:

``empty``        no words
``too_long``     more than ``MAX_WORDS`` words
``question``     a question or a question frame ("is it normal that …", ends with "?")
``chat``         chat tags or emoji ("ngl", "istg", "lowkey", "😭"), from the data file
``third_person`` he / she / him / his / himself / herself: the partner is "you" throughout
``agreement``    "you has", "you is", "you doesn't", "you goes"
``verb_form``    "you scrolling …" (a bare -ing verb after the opening "you"), "you not
                 answer" (a verb with no tense)
``no_partner``   no "you" or "your" at all: the clause does not say what the partner did
``conditional``  it opens with "if": a threat or a worry, not what happened

:func:`check_draft` applies it to the observation inside a whole draft (or a gentler
version of one). When the guard finds something, Steady asks the person for the sentence
instead of showing a broken one. The vocabularies are ``bot/data/drafting/observation.yml``.
Plain Python: no Rasa imports.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from bot.language.nlp import get_nlp
from bot.language.verbs import can_be_verb, is_noun

DATA = Path(__file__).resolve().parent.parent / "data" / "drafting" / "observation.yml"
MAX_WORDS = 30

_THIRD_PERSON = frozenset(
    "he she him his himself herself he's she's hes shes he'd she'd he'll she'll".split()
)
# "you" + one of these is wrong; adverbs may sit between ("you never has").
_WRONG_AFTER_YOU = frozenset(
    "is was has does doesn't doesnt isn't isnt wasn't wasnt hasn't hasnt am".split()
)
_ADVERBS = frozenset(
    "never always just still also even really only ever again barely hardly "
    "literally basically actually sometimes often usually".split()
)
_BEFORE_SUBJECT = frozenset(
    "and but or so then when whenever that because cause bc if while "
    "after before since until like now also just even".split()
)
_S_BUT_NOT_VERB = frozenset(
    "guys has is was does always sometimes perhaps yes thus this us as its".split()
)


@dataclass(frozen=True)
class Problem:
    kind: str
    detail: str = ""


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The observation data file, lower-cased, with the frames as word tuples."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    for key in (
        "chat_tags",
        "frames",
        "why_frames",
        "inner",
        "background",
        "question_openers",
        "question_links",
        "detail_units",
        "number_words",
        "once_words",
        "own_actions",
        "named_times",
        "detail_openers",
        "changes",
        "unremarked",
        "own_prompts",
        "key_things",
        "fact_times",
        "hedges",
        "hedge_openers",
        "extra_verbs",
        "noun_verbs",
        "joined_s_verbs",
        "run_on_states",
        "countable_nouns",
        "own_things",
        "text_spellings",
    ):
        values = data.get(key) or []
        odd = [value for value in values if not isinstance(value, str)]
        if odd:
            raise ValueError(f"{DATA.name}: {key}: quote {odd!r}")
        data[key] = [" ".join(value.lower().replace("\u2019", "'").split()) for value in values]
    for key in (
        "occasions",
        "foreign_partners",
        "no_x_verbs",
        "irregular_past",
        "emoji_names",
        "text_speak",
        "shorthand",
        "second_language",
        "apostrophes",
        "spelled_out",
    ):  # word -> word
        pairs = data.get(key) or {}
        odd = [k for k, v in pairs.items() if not isinstance(k, str) or not isinstance(v, str)]
        if odd:
            raise ValueError(f"{DATA.name}: {key}: quote {odd!r}")
        data[key] = {k.lower(): v.lower() for k, v in pairs.items()}
    return data


def is_emoji(char: str) -> bool:
    """A pictograph or symbol. Emoji newer than this Python's Unicode tables ("🫠", "🥹",
    "🫶": Unicode 14, Python 3.10 has 13) read as unassigned, so the emoji blocks count
    whatever their category (messy round 33, spent: "🫠" stayed in a draft)."""
    return (
        unicodedata.category(char) in ("So", "Sk", "Cs", "Co")
        or char in "\ufe0f\u200d"
        or 0x1F000 <= ord(char) <= 0x1FAFF
    )


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words_of(text: str) -> list[str]:
    """The words of ``text``, lower-case, apostrophes straightened ("didn't", "11", "you")."""
    return list(_words(text or ""))


@lru_cache(maxsize=1024)  # the same line and pieces of it are counted many times a message
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'")))


@lru_cache(maxsize=4096)  # one word through the pipeline: asked of every "you" + verb checked
def _is_s_verb(word: str) -> bool:
    """ "goes", "says", "texts": a present-tense -s form of a verb (by the lemmatizer)."""
    if len(word) < 3 or not word.endswith("s") or word in _S_BUT_NOT_VERB:
        return False
    lemma = get_nlp()(word)[0].lemma_.lower()
    return lemma != word and word in (lemma + "s", lemma + "es") and not lemma.endswith("s")


# Who else can be the subject of a verb joined by "and" ("you cook and everyone eats").
_SUBJECTS = frozenset(
    "i we it they he she that this there everyone everybody nobody "
    "someone something nothing who which what".split()
)


def _coordinated_disagreement(words: list[str]) -> str:
    """ "you go out every night and comes back at 10": a present -s verb joined by "and"/"or"
    to a clause whose last subject is "you" (and followed by more words: "my calls and
    texts" ends there). Returns the words, or ""."""
    for index, word in enumerate(words[:-1]):
        if word not in ("and", "or", "but") or index == 0:
            continue
        verb = index + 1
        while verb < len(words) - 1 and (words[verb] in _ADVERBS or words[verb] == "then"):
            verb += 1
        if verb >= len(words) - 1 or not (
            _is_s_verb(words[verb]) or words[verb] in ("was", "has", "is", "does")
        ):
            continue
        at = next(
            (
                at
                for at in range(index - 1, -1, -1)
                if (words[at] in _SUBJECTS and not _time_word(words, at))
                or words[at] in ("you", "you're", "you've", "you'd")
            ),
            None,
        )
        if at is None or words[at] not in ("you", "you're", "you've", "you'd"):
            continue  # "you're gaming till 3am and comes to bed": "you" with "comes"
        first = at + 1
        while first < index and words[first] in _ADVERBS:
            first += 1
        if first < index and (not _past(words[first]) or words[verb] in _CLEAR_S_VERBS):
            return f"and {words[verb]}"  # not "you liked photos and comments"
    return ""


# -s forms that are never plural nouns: "you cancelled it and says you need space"
_CLEAR_S_VERBS = frozenset("says tells keeps wants needs thinks goes does has is was".split())


_PAST = frozenset(
    "was were had did said went came got left told took made saw forgot gave "
    "sent kept spent brought bought thought felt put let read sat stood ran "
    "didn't didnt wasn't wasnt weren't werent".split()
)


def _past(word: str) -> bool:
    return word in _PAST or (word.endswith("ed") and len(word) > 3)


#: Nouns of time: "this week", "that night" name a time, not a subject.
TIME_NOUNS = frozenset(
    "morning afternoon evening night week weekend month year time day "
    "summer winter spring autumn fall".split()
)
DAY_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_PEOPLE = frozenset("you your you're you've i i'm i've we we're my our".split())
_TIME_WORDS = (
    TIME_NOUNS
    | DAY_NAMES
    | frozenset("today tonight yesterday last this week weekend month year".split())
)


def _time_word(words: list[str], at: int) -> bool:
    """ "this week", "that night": a time, not a subject."""
    return (
        words[at] in ("this", "that")
        and words[at + 1 : at + 2] != []
        and words[at + 1] in TIME_NOUNS
    )


# Words an observation may open with: a subject, or a time, place or count before one
# ("last night you …", "at dinner you …", "3 times you …"). Anything else ("came home, …",
# "mate you …", "didn't answer …") leaves a verb without its subject or a stray word.
_OPENERS = frozenset(
    """you your you're you've you'd you'll youre youve youd i i'm i've i'd
    im ive we we're we've our us it it's its there
    the a an this that these those my on at in after before since during every each last
    for now today tonight yesterday this morning all both one two three four
    five six seven eight nine ten once twice by from until till just again even
    still never always already also""".split()
)
_I_WERE = re.compile(r"(?<!and )\bi were\b")
# "you didn't introduce you to your parents": the writer's "you" turned with the partner's
_YOU_VERB_YOU = re.compile(
    r"\byou (?:didn'?t|did not|never|don'?t|won'?t|not) (?!say\b|tell\b|ask\b|"
    r"thank\b|love\b|miss\b|know\b)[a-z]+ you\b"
)
_SPLICE_SUBJECTS = r"(?:i|you|we|it|it's|its|there|that|this)"


#: An observation cannot open with these: "When while I was telling you …" (messy round 21,
#: spent) leaves "when" with no clause of its own.
_SUBORDINATE_OPENERS = frozenset(
    "while when whenever because cause bc although though whereas as".split()
)
#: Adverbs an observation may open with before its subject ("just now you …", "still no …")
_OPENING_ADVERBS = frozenset("just still never always already also even again only".split())


def _missing_subject(words: list[str]) -> str:
    first = words[0]
    if first in _SUBORDINATE_OPENERS:
        return first
    if first in _OPENING_ADVERBS:
        # "just told me at 11pm you invited …" (messy round 21, spent): a verb, no subject
        rest = words[1:2]
        return f"{first} {rest[0]}" if rest and _past(rest[0]) else ""
    if first in _OPENERS or any(char.isdigit() for char in first) or first in DAY_NAMES:
        return ""
    return first


#: Auxiliaries and their negatives (the observation's tense repairs leave them as typed too)
AUXILIARIES = frozenset(
    "is are was were am be been has have had do does did can could will "
    "would should may might must isn't aren't don't doesn't didn't can't "
    "won't hasn't haven't".split()
)


def _no_verb(words: list[str]) -> bool:
    """Not one word that can be a verb: "the whole 40 minutes to your parents" (messy round
    21, spent) is a time and a place, not what happened. A word that is a noun too counts
    as a verb only after a subject ("you call me")."""

    def noun(word: str) -> bool:
        return is_noun(word) or (word.endswith("s") and is_noun(word[:-1]))

    def verb(at: int) -> bool:
        word = words[at]
        if not can_be_verb(word):
            return False
        return not noun(word) or (at > 0 and words[at - 1] in _BEFORE_A_VERB)

    if any(
        word in _PAST or word in AUXILIARIES or "'" in word or word.endswith(("ed", "ing"))
        for word in words
    ):
        return False  # the cheap signs first: most clauses have one
    return not any(verb(at) for at in range(len(words)))


def _comma_splice(text: str) -> str:
    """ "…, I was up the whole time", "…, you said your friend needs her": a second
    sentence after a comma, with no "and" or "but" to join it."""
    for match in re.finditer(rf",\s+({_SPLICE_SUBJECTS})\s+(\w+)", text, re.I):
        subject, verb = match.group(1).lower(), match.group(2).lower()
        if subject in ("that", "this") and verb in TIME_NOUNS:
            continue  # ", this morning"
        if subject in ("it", "it's", "its") and verb in ("was", "is", "'s"):
            continue  # ", it was 8:15": the time, said after the fact
        if _WHEN_FIRST.match(re.split(r",\s+(?:and\s+)?|\s+and\s+", text[: match.start()])[-1]):
            continue  # "when I sat next to you, you didn't look up" (messy round 44, spent)
        return match.group(0).strip(", ")
    return ""


# A question asked inside the clause, its verb before "you" ("…, and when did you do that",
# messy round 44, spent)
_ASKED_INSIDE = re.compile(
    r"\b(?:and|but|so|like)\s+(?:(?:when|why|how|what|where|who)\s+)?"
    r"(?:did|do|does|are|were|have|has|would|will|can|could|is|was)\s+you\b"
)
# A piece that opens with when it happened: the comma after it leads to the main clause
_WHEN_FIRST = re.compile(r"(?:when|whenever|while|after|as soon as|the moment|once)\s", re.I)


_YOU_NOUN = re.compile(
    r"\band you (?:midnight|noon|morning|tonight|today|yesterday|brunch|gym|"
    r"dinner|lunch|breakfast|movie|weekend)\b"
)
_BE_BASE = re.compile(
    r"\byou (?:were|was|are|is) (?:go|come|leave|say|tell|do|eat|sleep|"
    r"play|reply|answer|call|text|forget|take|make|give|send|see)\b"
)
# "said you coming at 7 then 7:45 still never reach" (messy round 65, spent): "you" with an
# -ing and no "were", and an hour with no one doing what follows it
_YOU_ING_SAID = re.compile(r"\b(?:said|told me|promised|texted) (?:that )?you \w+ing\b")
_HOUR_WITHOUT_SUBJECT = re.compile(
    r"\b(?:then|and|it was|its|it's) \d{1,2}(?:[:. ]\d\d)?(?: ?[ap]m)? "
    r"(?:(?:still )?(?:never|not|no|didn't|didnt|hadn't)|phone)\b"
)
# "when he comes home he goes directly to sleep" (messy round 64, spent): two clauses
# run together, no comma or joining word between them
# "you were for two weeks every evening in the office" (messy round 64): another
# language's word order, not mended
_WERE_FOR_SPAN = re.compile(
    r"\byou were for (?:two|three|four|five|six|a few|several|\d+) (?:days|weeks|months)\b"
)
_HOME_YOU = re.compile(
    r"(?:^|\band )you (?:came|got|arrived|walked|went) (?:home|back|in|inside) you\b"
)
# "you are not replying since morning": a tense the reader trips on
_SINCE_ING = re.compile(r"\b(?:are|is|am)(?: not)? \w+ing (?:since|for the last)\b")
# What may follow a comma inside the clause: a joining word, a detail (a time, a count, a
# place, how long), or "you" going on with what "you" did.
_AFTER_COMMA_OK = frozenset(
    """and but so then or while when whenever after before since
    until till for at on in by from with without during every each all even again still
    just never always already twice once like which who because""".split()
)
_ORDINALS = frozenset(
    "first second third fourth fifth sixth last same whole next following".split()
)


def _after_comma(text: str) -> str:
    """A piece after a comma that is neither joined ("and …") nor a detail ("for 9 hours",
    "the third time", "at 6"): ", found out from …", ", says it was …", ", gym closes at 9",
    ", the wedding is in june". And after ", and": a piece with no subject or verb
    (", and last seen 11:52", ", and space from what")."""
    for match in re.finditer(r",\s+(and\s+)?([\w']+)(?:\s+([\w']+))?(?:\s+([\w']+))?", text):
        joined, first, second = (
            match.group(1),
            match.group(2).lower(),
            (match.group(3) or "").lower(),
        )
        third = (match.group(4) or "").lower()
        if first.isdigit() or any(char.isdigit() for char in first):
            continue  # ", 20 min before", ", 3am"
        if (
            not joined
            and re.fullmatch(r"[A-Z][a-z]+", match.group(2))
            and text[match.end(2) : match.end(2) + 1] == ","
        ):
            continue  # "this guy from your work, Jake, for an hour": a name, said between
        if joined:
            rest = text[match.end(2) :].lstrip()
            if first in ("you", "i") and (rest.startswith("quote") or rest[:1].isdigit()):
                return match.group(0).strip(", ")  # ", and you 'maybe tomorrow'"
            if first in ("your", "my", "our") and not _VERB_SOON.match(rest):
                return match.group(0).strip(", ")  # ", and our date night"
            if first in _SPLICE_OK_AFTER_AND or _past(first) or first in _ADVERBS:
                continue
            return match.group(0).strip(", ")
        if (
            first in _AFTER_COMMA_OK
            or first in _ADVERBS
            or first in ("you", "you've", "you're", "you'd", "not", "no", "didn't", "didnt")
            or (first.endswith("ing") and len(first) > 4)
        ):
            continue  # ", not once", ", no goodbye", ", scrolling tiktok", ", didn't say"
        if first in ("it", "it's", "its") and second in ("was", "is", "been", "", "now"):
            continue  # ", it was 8:15"
        if first == "the" and (
            second in _ORDINALS
            or second.isdigit()
            or (
                re.fullmatch(r"\d+(?:st|nd|rd|th)", second) is not None
                and third in ("time", "times", "night", "day", "week", "weekend", "year")
            )
        ):
            continue  # ", the third time"
        if first in ("today", "tonight", "yesterday", "again") and second in ("", "and"):
            continue  # ", today"
        if first in DAY_NAMES or first in ("last", "this", "that") and second in TIME_NOUNS:
            continue
        return match.group(0).strip(", ")
    return ""


# "and your toothbrush is gone": a verb within a few words of a possessive
_VERB_SOON = re.compile(
    r"^(?:[\w']+\s+){0,3}(?:is|was|are|were|has|had|have|got|gets|went|"
    r"goes|came|comes|looks|looked|seemed|seems|\w+ed)\b",
    re.I,
)
_SPLICE_OK_AFTER_AND = frozenset(
    """you you've you're you'd you'll i i'm i've i'd we we're they they're
    it it's its that that's this there there's then now still never the for at on in when
    while after your my our no not didn't didnt
    before since until every one two three four five six seven eight nine ten""".split()
)


@lru_cache(maxsize=1)
def _partner_named() -> re.Pattern:
    """The partner named in the third person ("my man", "my bf"): the partner words of
    ``observation.yml``."""
    words = sorted(vocabulary()["partners"], key=len, reverse=True)
    return re.compile(r"\b(?:my|ur) (?:" + "|".join(re.escape(word) for word in words) + r")\b")


#: Words a line cannot end on: something must follow them ("… scrolling tiktok while",
#: messy round 47, spent).
_NEEDS_MORE = frozenset(
    "while and but because cause bc when if or until without the a an your our their than "
    "my his".split()
)
_TIME_WORDS_AFTER = frozenset("since until till at by from".split())
_TIMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday morning noon midnight night "
    "lunch lunchtime dinner breakfast yesterday today tonight".split()
)


#: A short line ending on one of these says nothing after the verb ("you didn't").
_BARE_AUXILIARIES = AUXILIARIES | frozenset({"didn't", "didnt", "don't", "dont"})
_BARE_PARTICIPLE = re.compile(
    r"\byou (?:just |only |never |already )?(?:seen|done|gone|been|taken|eaten|written|given|"
    r"spoken|forgotten|broken|driven)(?=\s+(?:at|on|in|since)\b|\s*,|\s*$|"
    r"\s+(?:like |about )?\d+ ?(?:h|hr|hrs|hours?|m|mins?|minutes?) ago\b)"
)


def _time_said_twice(text: str) -> str:
    """A time said twice ("until 11, since sunday, and we haven't had dinner together since
    sunday", messy round 46, spent): a piece joined twice. "at 9" and "at 9:50" differ."""
    words = re.findall(r"[a-z0-9]+(?:[:.][0-9]+)?", text.lower())
    pairs = [
        (first, second)
        for first, second in zip(words, words[1:])
        if first in _TIME_WORDS_AFTER and (second[:1].isdigit() or second in _TIMES)
    ]
    twice = [pair for pair in set(pairs) if pairs.count(pair) > 1]
    return " ".join(twice[0]) if twice else ""


def _repeated(words: list[str]) -> str:
    """Four words or more said twice over: a piece joined twice."""
    seen: dict = {}
    for index in range(len(words) - 3):
        key = tuple(words[index : index + 4])
        if key in seen and seen[key] + 4 <= index:
            return " ".join(key)
        seen.setdefault(key, index)
    return ""


# What may stand between the subject "you" and its verb, or be the verb itself though the
# verb lexicon does not know it as one.
_AFTER_YOU_OK = frozenset(
    """not never always just still also even really only ever again
    barely hardly literally basically actually sometimes often usually both all too and
    did didn't didnt do don't dont does were weren't werent are aren't arent have haven't
    havent had hadn't hadnt will won't wont would wouldn't wouldnt could couldn't couldnt
    can can't cant should shouldn't shouldnt might must may quote""".split()
)


_SUBJECT_WORDS = frozenset(
    "you you're you've you'd i i'm i've i'd we we're it it's its there that they".split()
)
#: Before a word that is a noun too, these make it a verb ("you call me", "not text")
_BEFORE_A_VERB = frozenset(_SUBJECTS | _SUBJECT_WORDS | _ADVERBS | {"you", "not", "to"})


def _you_without_verb(words: list[str]) -> str:
    """ "you new dress", "you sorry for the English", "you no": the subject "you" with no
    verb after it (a piece of the message that was no act, turned to "you")."""
    for index, word in enumerate(words):
        if word != "you" or (index and words[index - 1] not in _BEFORE_SUBJECT):
            continue
        after = index + 1
        while after < len(words) and (
            words[after] in _ADVERBS
            or (
                words[after].endswith("ly")
                and len(words[after]) > 4
                and not can_be_verb(words[after])
            )
        ):
            after += 1  # "you never", "you immediately turned over"
        if after >= len(words):
            return ""
        nxt = words[after]
        if nxt in _AFTER_YOU_OK or nxt.isdigit() or can_be_verb(nxt.split("'")[0]):
            continue
        return f"you {nxt}"
    return ""


# A verbless piece after "and" that says what did not happen ("and still nothing", "and last
# night nothing", "and not one photo on your page"): a fragment, not a clause.
_NOTHING_PIECE = re.compile(
    r"\band (?:(?:still|again|then|now|today|tonight|yesterday|last night|this morning|"
    r"since then|after that) )*(?P<rest>(?:nothing(?! about| since| else| more| back| from| at all)|"
    r"none|nada|zero|not (?:one|a single|even a|even one)|(?<=still )no|(?<=night )no|"
    r"(?<=again )no)\b[^,]*)"
)
_NO_ONE = re.compile(r"^(?:no one|nobody|not only|none of)\b")


def _nothing_fragment(lowered: str) -> str:
    for match in _NOTHING_PIECE.finditer(lowered):
        rest = re.split(r" (?:and|but) ", match.group("rest"))[0].strip()
        if _NO_ONE.match(rest):
            continue
        words = rest.split()
        # an inflected verb in it ("and nothing happened", "and not once replied") makes it
        # a clause; a bare noun that could be a verb ("no reply", "no text") does not
        if any(
            word.endswith(("ed", "'d", "ing"))
            or word in _PAST
            or word in _WRONG_AFTER_YOU
            or (word.endswith("s") and _is_s_verb(word))
            for word in words[1:]
        ):
            continue
        return match.group(0).strip()
    return ""


# ", like not one msg", ", like whatever": chat filler after a comma (not a count: ", like 8
# times" keeps its hedge)
_LIKE_ASIDE = re.compile(
    r",\s+like\s+(?=\S)(?![\d'\"]|(?:about|a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|twenty|half|every|all|the|from|at|since|until|"
    r"till|for|by|around|before|after|in|on|i|you|we|he|she|they|it|"
    r"quote)\b)",
    re.I,
)


_NO_X_PIECE = re.compile(
    r"^and (?P<still>still )?(?:no|not a|not one|not a single|zero) "
    r"(?P<what>[a-z]+)$"
)


_CLAUSE_WORDS = frozenset(
    "its it's it was is were are has had i'm i've you're you've we're".split()
)


def _verbless_piece(text: str) -> str:
    """A piece joined by ", and" with no word that can be a verb ("…, and 2 years
    together"): not a clause. So is a first piece before ", and" with no verb and no time
    in it ("the one with the balcony, and you reacted …", messy round 44, spent)."""
    pieces = re.split(r",\s+and\s+", text)
    first = words_of(pieces[0])
    if (
        len(pieces) > 1
        and first
        and _no_verb(first)
        and not any(char.isdigit() for char in pieces[0])
        and not set(first) & (_TIME_WORDS | _PEOPLE)
    ):
        return " ".join(first)
    for piece in pieces[1:]:
        words = words_of(piece.split(",")[0])
        # a word after a determiner is no verb there ("…, and every single night for 2
        # years", messy round 24, spent)
        if words and not any(
            word in _CLAUSE_WORDS
            or (can_be_verb(word.split("'")[0]) and (at == 0 or words[at - 1] not in _DETERMINERS))
            for at, word in enumerate(words)
        ):
            return "and " + " ".join(words)
    return ""


_DETERMINERS = frozenset(
    "a an the every each single my your our his her their this that these those some any no".split()
)


def without_fragments(text: str) -> str:
    """``text`` without its verbless "and nothing" pieces and ", like …" asides (each up to
    the next comma), for a mended proposal."""
    lowered = text.lower()
    fragment = _nothing_fragment(lowered)
    verbs = vocabulary()["no_x_verbs"]
    while fragment:
        said = _NO_X_PIECE.match(fragment)
        if said and said.group("what") in verbs:  # "and still no reply" -> "and you still
            start = lowered.find(fragment)  # didn't reply"
            still = "still " if said.group("still") else ""
            spoken = f"and you {still}didn't {verbs[said.group('what')]}"
            text = text[:start] + spoken + text[start + len(fragment) :]
            lowered = text.lower()
            fragment = _nothing_fragment(lowered)
            continue
        start = lowered.find(fragment)
        end = lowered.find(",", start + len(fragment))
        end = len(text) if end < 0 else end
        text, lowered = (
            text[:start].rstrip(" ,") + text[end:],
            lowered[:start].rstrip(" ,") + lowered[end:],
        )
        fragment = _nothing_fragment(lowered)
    piece = _verbless_piece(text)
    while piece:
        start = text.lower().find(", " + piece)
        if start < 0:
            break
        end = text.find(",", start + 2 + len(piece))
        text = text[:start] + ("" if end < 0 else text[end:])
        piece = _verbless_piece(text)
    match = _LIKE_ASIDE.search(text)
    while match:
        end = text.find(",", match.end())
        text = text[: match.start()] + ("" if end < 0 else text[end:])
        match = _LIKE_ASIDE.search(text)
    return text.strip(" ,")


@lru_cache(maxsize=1)
def _checked_words() -> tuple[frozenset, tuple, frozenset, tuple]:
    """What ``check_observation`` looks for, built once: question frames said whole, the
    openings of a question (each with the space after it), chat tags and multi-word tags."""
    vocab = vocabulary()
    questions = [
        frame.strip() for frame in vocab["frames"] + vocab["why_frames"] if " " in frame
    ] + [opener.strip() for opener in vocab["question_openers"]]
    tags = frozenset(vocab["chat_tags"]) | frozenset(vocab["text_spellings"])
    return (
        frozenset(questions),
        tuple(f"{frame} " for frame in questions),
        tags,
        tuple(tag for tag in sorted(tags) if " " in tag),
    )


def _count_before_you(text: str) -> str:
    """A count with no verb standing where a clause should, before "and you" or at the head
    of the line ("7 hour time difference, and you …", "…, and 3 hour drive to your parents
    and you had them in", messy round 53): the piece, or ""."""
    pieces = re.split(r",\s+(?:and\s+)?", text)
    for index, piece in enumerate(pieces):
        head, *after = re.split(r"\s+and\s+(?=you\b)", piece, maxsplit=1)
        if not head[:1].isdigit() or set(head.split()) & _SUBJECT_WORDS:
            continue
        if after or (index == 0 and len(pieces) > 1 and re.match(r",\s+and\s", text[len(head) :])):
            return head
    if text[:1].isdigit() and not set(re.findall(r"[\w']+", text)) & _SUBJECT_WORDS:
        return pieces[0]  # "14 likes this week on your coworker's insta" (messy round 56)
    return ""


def check_observation(clause: str) -> list[Problem]:
    """What is wrong with an observation (the words after "When"), best first; [] if nothing.

    A line is checked several times on its way to the person (found, weighed, composed):
    the answer is remembered for the newest lines."""
    return list(_problems(clause or ""))


@lru_cache(maxsize=256)
def _problems(clause: str) -> tuple[Problem, ...]:
    return tuple(_check(clause))


def _check(clause: str) -> list[Problem]:
    text = _QUOTED.sub(" quote ", (clause or "").strip())  # quoted words are theirs, as said
    words = words_of(text)
    if not words:
        return [Problem("empty")]
    problems: list[Problem] = []
    lowered = " ".join(words)
    whole, openings, tags, phrase_tags = _checked_words()
    if (
        text.rstrip().endswith("?")
        or lowered in whole
        or lowered.startswith(openings)
        or _ASKED_INSIDE.search(lowered)
    ):
        problems.append(Problem("question"))
    found = [word for word in words if word in tags]
    found += [tag for tag in phrase_tags if f" {tag} " in f" {lowered} "]
    if found or (not text.isascii() and any(is_emoji(char) for char in text)):
        problems.append(Problem("chat", ", ".join(found)))
    third = [word for word in words if word in _THIRD_PERSON]
    if third:
        problems.append(Problem("third_person", ", ".join(third)))
    for index, word in enumerate(words):
        if word != "you" or (index and words[index - 1] not in _BEFORE_SUBJECT):
            continue  # "it takes you hours": "you" is the object there
        after = index + 1
        while after < len(words) and words[after] in _ADVERBS:
            after += 1
        if after < len(words) and (words[after] in _WRONG_AFTER_YOU or _is_s_verb(words[after])):
            problems.append(Problem("agreement", f"you {words[after]}"))
            break
    coordinated = _coordinated_disagreement(words_of(text.replace(",", " and ")))
    if coordinated and not any(problem.kind == "agreement" for problem in problems):
        problems.append(Problem("agreement", coordinated))
    if (
        len(words) > 1
        and words[0] == "you"
        and words[1].endswith("ing")
        and words[1] not in ("thing", "something", "nothing", "bring", "sing", "ring")
    ):
        problems.append(Problem("verb_form", f"you {words[1]}"))
    if (
        len(words) > 1
        and "you" in words
        and words[words.index("you") + 1 : words.index("you") + 2] == ["not"]
    ):
        problems.append(Problem("verb_form", "you not"))
    verbless_count = _count_before_you(text.lower().strip())
    if verbless_count:
        problems.append(Problem("garbled", verbless_count))
    no_verb = _you_without_verb(words)
    if no_verb:
        problems.append(Problem("garbled", no_verb))
    fragment = _nothing_fragment(lowered)
    if fragment:
        problems.append(Problem("garbled", fragment))
    verbless = _verbless_piece(_QUOTED.sub(" said ", clause or ""))
    if verbless:
        problems.append(Problem("garbled", verbless))
    if _LIKE_ASIDE.search(text):
        problems.append(Problem("chat", "like"))
    subject = _missing_subject(words)
    if subject:
        problems.append(Problem("no_subject", subject))
    if _no_verb([word for word in words if word != "quote"]) and "quote" not in words:
        problems.append(Problem("garbled", "no verb"))
    wrong = (
        _I_WERE.search(lowered) or re.search(r"\byou's\b", lowered) or _YOU_VERB_YOU.search(lowered)
    )
    if wrong:
        problems.append(Problem("agreement", wrong.group(0)))
    partner_named = _partner_named().search(lowered)  # "my man hasn't posted me"
    if partner_named and not any(problem.kind == "third_person" for problem in problems):
        problems.append(Problem("third_person", partner_named.group(0)))
    stray = _YOU_NOUN.search(lowered)
    if stray:  # "and you midnight came and went", "and you brunch"
        problems.append(Problem("garbled", stray.group(0)))
    base = _BE_BASE.search(lowered)
    if base:  # "you were go to your friend's birthday"
        problems.append(Problem("verb_form", base.group(0)))
    bare = (
        _YOU_ING_SAID.search(lowered)
        or _HOUR_WITHOUT_SUBJECT.search(lowered)
        or _HOME_YOU.search(lowered)
        or _WERE_FOR_SPAN.search(lowered)
    )
    if bare:
        problems.append(Problem("garbled", bare.group(0)))
    since = _SINCE_ING.search(lowered)
    if since:
        problems.append(Problem("verb_form", since.group(0)))
    splice = _comma_splice(text) or _after_comma(text)
    if splice:
        problems.append(Problem("run_on", splice))
    if re.search(r"[();]|(?<!\d):(?!\d)|^you,", _QUOTED.sub(" ", text)):
        problems.append(Problem("garbled", "brackets or a colon"))
    repeated = _repeated(words) or _time_said_twice(text)
    if repeated:
        problems.append(Problem("garbled", repeated))
    if words[-1] in _NEEDS_MORE and words[-2:] != ["find", "my"]:  # "on Find My": the app
        problems.append(Problem("garbled", f"ends on {words[-1]!r}"))
    if len(words) <= 3 and words[-1] in _BARE_AUXILIARIES:
        problems.append(Problem("garbled", "nothing after the verb"))  # "you didn't"
    participle = _BARE_PARTICIPLE.search(lowered)
    if participle:  # "and you seen at 9:14" (messy round 49, spent)
        problems.append(Problem("verb_form", participle.group(0)))
    if not {"you", "your", "you're", "you've", "you'd", "you'll", "yourself", "yours"} & set(words):
        problems.append(Problem("no_partner"))
    if words[0] in ("if", "unless"):
        problems.append(Problem("conditional", words[0]))
    if len(words) > MAX_WORDS:
        problems.append(Problem("too_long", str(len(words))))
    return problems


#: A quotation: '…' (apostrophes inside words allowed: 'doesn't') or "…".
QUOTED = re.compile(r"(?<!\w)'(?:[^']|(?<=\w)'(?=\w)){1,60}'(?!\w)|\"[^\"]{1,60}\"")
_QUOTED = QUOTED
_DRAFT = re.compile(r"^\s*When (?P<observation>.+?), I (?:felt|feel)\b", re.S)


def observation_of(draft: str) -> Optional[str]:
    """The words between "When" and ", I felt" in a draft; None when it has no "When …"."""
    match = _DRAFT.match(draft or "")
    return match.group("observation") if match else None


def check_draft(draft: str) -> list[Problem]:
    """The guard on a whole draft or gentler version: its observation, if it has one."""
    observation = observation_of(draft)
    return [] if observation is None else check_observation(observation)


def _stem(word: str) -> str:
    word = word.removesuffix("'s").removesuffix("s'")
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def keeps_fact(fact: str, text: str) -> bool:
    """Every word of ``fact`` is in ``text``, up to a plural or possessive ending
    ("holiday" in "holidays", "light" in "light's")."""
    said = {_stem(word) for word in words_of(text)}
    return all(_stem(word) in said for word in words_of(fact))
