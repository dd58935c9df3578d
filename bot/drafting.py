"""Turn what someone wrote about their partner into a calm "When you …, I felt …" draft.

The person describes what happened in the third person, fast and in their own words
("ugh so my bf said he'd be home at 7 and he still isn't answering, i'm freaking out").
A draft keeps those words but speaks to the partner: "you said you'd be home at 7 and
you still aren't answering". The feeling goes into "I felt …", so reactions at the end of
the description are dropped.

How ``to_second_person`` works (first version; a later one will use spaCy):

1. Clean: straighten apostrophes, drop emoji, lower-case a message typed all in capitals.
2. Pick one sentence: the first that mentions the partner (or already says "you"); others
   are vents or reactions. Leading filler ("ugh", "so basically", "lol") and a trailing
   reaction (", and i'm freaking out", "and it hurts", "idk") are dropped.
3. Decide who the partner is, from the first partner reference in that sentence:
   "my husband/wife/boyfriend/girlfriend/partner/bf/gf/fiance(e)/spouse" anywhere wins;
   otherwise a first name at the start of the description ("maya didn't text");
   otherwise the first of he/she/they. A gendered reference fixes which pronouns are the
   partner's; a name or "my partner" takes the gender of the first he/she/they after it,
   unless someone else (a friend, a capitalised name, "his mom") was mentioned in between,
   in which case later pronouns are left alone. Pronouns of another gender are always
   someone else's and stay. If "you" comes before any partner reference, the text already
   speaks to the partner and pronouns are left alone (this keeps the rewrite idempotent;
   a clause that names someone else before "you", as in "Jake invited you", is the
   exception). An object pronoun in a clause whose subject is the partner is someone
   else ("she spent all night with her"), since the partner would be "herself".
4. Replace token by token with the tables below: partner references become you / your /
   yours / yourself / you're / you've; the verb right after a partner subject agrees
   ("he doesn't" -> "you don't", "she says" -> "you say"), also after an adverb
   ("he never texts" -> "you never text"). A verb joined by and/or/but agrees only when it
   is sure to be the partner's: an irregular one ("and was" -> "and were"), or an -s verb
   in a present-tense clause that is not part of a list of nouns ("comes home and goes
   straight" -> "come home and go straight", but "my calls and texts" stays). The
   person's own I/me/my stay (lower-case "i" becomes "I"); typos stay ("didnt").
5. A leading time phrase moves to the end ("last night he ..." -> "you ... last night"), so
   the draft reads "When you …, I felt …"; the clause is capped at about 35 words, cut at a
   clause boundary where possible.

The returned clause includes its subject, usually a leading "you"; the draft is
"When " + clause. It never returns an empty string for text that has letters: when no rule
applies the cleaned text comes back.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, NamedTuple

from bot.feelings import read_feeling, feeling_phrase

SKIPPED = "skipped"

MAX_CLAUSE_WORDS = 35
MAX_FEAR_WORDS = 20
MAX_REQUEST_WORDS = 25
# Cutting a long clause shorter than this would lose the observation itself.
MIN_CLAUSE_WORDS = 8


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _squash(word: str) -> str:
    """Collapse repeated letters so "ughhh" and "sooo" match the filler "ugh" and "so"."""
    return re.sub(r"(.)\1+", r"\1", word)


def _phrases(*phrases: str) -> tuple[tuple[str, ...], ...]:
    """Phrase table entries as token tuples, longest first so the longest match wins."""
    return tuple(sorted((tuple(p.split()) for p in phrases), key=len, reverse=True))


# --- Who is the partner -------------------------------------------------------------------

# Partner nouns after "my"; the value is the pronoun family they fix (None: not known yet).
PARTNER_NOUNS: dict[str, str | None] = {
    "husband": "he", "hubby": "he", "boyfriend": "he", "bf": "he", "fiance": "he",
    "fiancé": "he", "wife": "she", "wifey": "she", "girlfriend": "she", "gf": "she",
    "fiancee": "she", "fiancée": "she", "partner": None, "spouse": None, "bae": None,
}

# The partner's pronouns and what each becomes: word -> (pronoun family, replacement).
# "her", "his" and the 's forms are refined by what follows (see _pronoun_replacement).
PARTNER_PRONOUNS: dict[str, tuple[str, str]] = {
    "he": ("he", "you"), "him": ("he", "you"), "his": ("he", "your"),
    "himself": ("he", "yourself"), "he's": ("he", "you're"), "hes": ("he", "youre"),
    "he'd": ("he", "you'd"), "he'll": ("he", "you'll"),
    "she": ("she", "you"), "her": ("she", "your"), "hers": ("she", "yours"),
    "herself": ("she", "yourself"), "she's": ("she", "you're"), "shes": ("she", "youre"),
    "she'd": ("she", "you'd"), "she'll": ("she", "you'll"),
    "they": ("they", "you"), "them": ("they", "you"), "their": ("they", "your"),
    "theirs": ("they", "yours"), "themselves": ("they", "yourself"),
    "themself": ("they", "yourself"), "they're": ("they", "you're"),
    "theyre": ("they", "youre"), "they've": ("they", "you've"), "theyve": ("they", "youve"),
    "they'd": ("they", "you'd"), "they'll": ("they", "you'll"), "theyll": ("they", "youll"),
}
# Subject forms after which the verb must agree with "you" ("they" already does).
_SINGULAR_SUBJECTS = _words("he she")
_SUBJECT_PRONOUNS = _words("he she they")
# Contractions typed without the apostrophe: "hes", "shes", "theyre", "theyve", "theyll".
_CLITIC_TYPOS = _words("hes shes theyre theyve theyll")
_YOU_WORDS = _words("you your yours yourself you're youre you've youve you'll you'd u ur")

# Mentions of other people: after one of these, a later he/she may be theirs.
_OTHER_PEOPLE = _words(
    "friend friends bestie bff mate mates buddy buddies mom mum mother dad father parents "
    "sister brother sis bro siblings family cousin aunt uncle grandma grandmother grandpa "
    "grandfather son daughter kid kids child children coworker coworkers worker colleague "
    "colleagues boss manager ex neighbour neighbor roommate flatmate housemate someone "
    "somebody everyone everybody people girl girls guy guys woman women man men lady dude "
    "stranger waitress waiter bartender teammate teammates classmate classmates nephew "
    "niece stepmom stepdad crush"
)

_DAYS_AND_MONTHS = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december christmas easter"
)
_TIME_WORDS = _words(
    "today tonight yesterday tomorrow now later earlier morning afternoon evening night "
    "week weekend"
) | _DAYS_AND_MONTHS

# Adverbs allowed between a partner subject and its verb ("he never texts").
_ADVERBS = _words(
    "always never just still barely only even also really usually sometimes often rarely "
    "seldom hardly constantly literally basically probably definitely apparently actually "
    "suddenly finally totally clearly obviously already then now kinda seriously simply "
    "completely supposedly honestly mostly normally typically generally nearly almost "
    "immediately randomly conveniently casually ever once"
)

# Verbs and auxiliaries that can follow a name at the start of a description.
_VERBISH = _words(
    "is was has had does did didn't didnt doesn't doesnt hasn't hasnt hadn't hadnt isn't "
    "isnt wasn't wasnt won't wont can't cant couldn't couldnt wouldn't wouldnt shouldn't "
    "shouldnt will would can could should might must went came left forgot got kept said "
    "told made took sent spent saw gave sat stood ran brought bought thought felt knew let "
    "put fell slept woke ate drank drove flew hid lost met paid read rang set shut sold spoke "
    "stuck swore threw understood won wrote became began broke chose blew goes says"
)

# Common words that can open a description followed by a verb, but are not names.
_NOT_NAMES = (
    _words(
        "i me my we us our you your he she they it its this that these those there here the "
        "a an some no nobody nothing everyone everybody everything someone something anyone "
        "anything all both each every one two neither either none most many few mine yours "
        "work dinner lunch breakfast date plans things stuff life traffic party phone texts "
        "messages time day home school class practice training game games food meeting "
        "flight train bus car rain weather money what why how when where who which after "
        "before since while if though although until as like because first last next again "
        "yeah yes ok okay well so but and or um uh ugh lol omg idk tbh hey hi sorry please "
        "thanks apparently maybe also to for at in on with from of by about into over under "
        "up down out off than"
    )
    | _ADVERBS
    | _TIME_WORDS
    | _OTHER_PEOPLE
    | frozenset(PARTNER_NOUNS)
    | frozenset(PARTNER_PRONOUNS)
)

# --- Verb agreement -------------------------------------------------------------------------

# How the verb after a partner reference agrees (see _ref_replacement).
ALL_VERBS, IRREGULAR_ONLY, NO_AGREEMENT = "all verbs", "irregular only", "none"

# Irregular forms after a partner subject; also applied right after "and"/"but"/"or" while
# the partner is still the subject ("he forgot and was annoyed").
AGREEMENT: dict[str, str] = {
    "is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't",
    "doesnt": "dont", "isn't": "aren't", "isnt": "arent", "wasn't": "weren't",
    "wasnt": "werent", "hasn't": "haven't", "hasnt": "havent",
}
_PAST_FORMS = _words("was wasn't wasnt")
# Words that cannot be a third-person -s verb even though they end in s.
_NOT_S_VERBS = _words(
    "this thus yes plus less unless as us its was has is does his hers yours ours theirs "
    "always sometimes perhaps"
)

# After 's: these make it "has" ("he's been" -> "you've been").
_HAVE_PARTICIPLES = _words(
    "been got gotten gone had done made left taken seen said told given spent forgotten "
    "forgot stopped started changed cancelled canceled ignored missed texted called "
    "replied answered decided blocked unfollowed moved promised lied cheated become"
)
# After a name's 's: these make it "is" ("maya's late"); anything else is possessive.
_IS_FOLLOWERS = _words(
    "not a an the so too very still just really always never late busy away out home back "
    "sick tired upset mad angry annoyed quiet distant cold off asleep awake here there fine "
    "okay ok right wrong different stressed distracted obsessed online offline supposed "
    "going being like probably definitely at in on with from by into over under up down "
    "off about around near outside inside"
)
# After "her": these make it the object ("I texted her back"); anything else is possessive.
_OBJECT_FOLLOWERS = _words(
    "and but or to for at in on with about back again that this all the a an any anything "
    "something nothing i he she we they you me my his her our up out off over when while "
    "because since so if until till yet too twice once last first later earlier today "
    "tonight yesterday how what where why who like from into as than then after before "
    "around every just still anymore already though either right now know"
)
# After "his": these make it stand alone ("the choice was his and ..." -> "yours").
_STANDALONE_FOLLOWERS = _words("and but or too instead anyway not so")

# Where a new clause starts: a name or "my bf" here is a subject, so its verb agrees.
_CLAUSE_OPENERS = _words(
    ", and but so because cause cuz coz bc when while if since until till that then after "
    "before although though as like even why how what where whether once"
) | _TIME_WORDS
_COORDINATORS = _words("and but or")
# Where the words after a coordinated -s verb start ("and goes straight", "or says anything").
_COMPLEMENT_STARTS = _words(
    "me my his her their the a an to up out on off about home back all it that this nothing "
    "anything something everything straight right away in at with around over into through "
    "so"
)
_QUESTION_WORDS = _words("why how what where when who")
# After these the partner may be an object again: "he asked me to text him".
_OWN_CLAUSE_ENDS = _words(
    "me i us we myself that when if because cause cuz while until till since whether why "
    "how what where"
)
# A new subject ends the partner's clause for coordinated agreement.
_OTHER_SUBJECTS = _words("i i'm im we it it's its there this that who which you")

# --- Filler and reactions -------------------------------------------------------------------

LEADING_FILLER = _phrases(
    "ugh", "honestly", "so basically", "basically", "so", "like", "idk", "omg", "lol",
    "well", "ok so", "okay so", "ok", "okay", "um", "uh", "hmm", "i mean", "tbh", "ngl",
    "btw", "yeah", "yeah so", "so yeah", "and", "but", "then", "and then", "anyway",
    "anyways", "literally", "also", "so like",
)
# Dropped wherever they appear: they carry tone, not what happened.
INTERJECTIONS = _words("lol lmao lmfao haha hahaha smh fml omg ugh tbh ngl sigh rofl")
_SQUASHED_INTERJECTIONS = frozenset(_squash(word) for word in INTERJECTIONS)
# A reaction after a boundary: from here to the end belongs in "I felt", not the clause.
_BOUNDARIES = _words(", and so but which now - – — …")
# Where a too-long clause may be cut.
_CUT_POINTS = _BOUNDARIES | _words("and but or because while then ; when")
_SOFTENERS = _words("now so honestly just and really literally")
# Openers that end the observation only when the rest names a feeling or reaction.
_SELF_OPENERS = _phrases(
    "i'm", "im", "i am", "i", "i've", "ive", "it", "it's", "its", "that", "that's",
    "thats", "this", "me", "my heart", "my chest",
)
# Openers that end the observation whatever follows.
_ALWAYS_CUT = _phrases(
    "idk", "i don't know", "i dont know", "am i overreacting", "is that normal",
    "is this normal", "what do i do", "what should i do", "help",
)
# A bare "i'm ..." (no comma or "and") may start a reaction, unless it continues a clause.
_BARE_OPENERS = _phrases("i'm", "im", "i am")
_CONTINUERS = _words(
    "when that if because cause cuz coz since said says told tells think thought know knew "
    "like as while until till where how what why who whether after before asked asks "
    "realised realized noticed"
)
_REACTION_WORDS = _words(
    "hurts hurt sucks sucked killing crying cried cry tears spiral spiralling spiraling "
    "overthinking freaking panicking panic shaking losing sick feel felt feeling breathe"
)

# A leading time phrase moves to the end of the clause.
TIME_PHRASES = _phrases(
    "last night", "yesterday", "today", "tonight", "this morning", "this afternoon",
    "this evening", "earlier", "earlier today", "this weekend", "last weekend",
    "on monday", "on tuesday", "on wednesday", "on thursday", "on friday", "on saturday",
    "on sunday", "on my birthday",
)


@dataclass(frozen=True)
class _Token:
    """A word or punctuation mark, and whether whitespace came before it in the text."""

    text: str
    space: bool

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


@dataclass(frozen=True)
class _Partner:
    """Who the partner is: where the first reference starts, their pronouns, their name."""

    start: int
    family: str | None
    name: str | None


class _Replacement(NamedTuple):
    """What a partner reference becomes, how the next verb agrees, and whether the partner
    is the subject of the clause from here on."""

    text: str
    agreement: str
    is_subject: bool


class _PartnerNoun(NamedTuple):
    """ "my boyfriend" or "my boyfriend Sam": tokens covered, pronoun family, name."""

    length: int
    family: str | None
    name: str | None


@dataclass(frozen=True)
class _Ref:
    """A partner reference found in the text, covering ``length`` tokens."""

    length: int
    kind: str  # "pronoun", "name" or "noun"


_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|\S")
_CLITIC = re.compile(r"^(.+?)('s|'ll|'d|'re|'ve|'m)$")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s*\n\s*")


# --- Cleaning and tokens --------------------------------------------------------------------


def _clean(text: str) -> str:
    """Straighten apostrophes, drop emoji and symbols, and calm an all-capitals message."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = "".join(
        " " if unicodedata.category(char) in ("So", "Sk", "Cf", "Cs", "Co") else char
        for char in text
    )
    text = text.replace("\ufe0f", "").replace("\ufe0e", "")
    letters = [char for char in text if char.isalpha()]
    if len(letters) > 1 and not any(char.islower() for char in letters):
        text = text.lower()
    return re.sub(r"[ \t]+", " ", text).strip()


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        tokens.append(_Token(match.group(), match.start() > previous_end))
        previous_end = match.end()
    return tokens


def _join(tokens: list[_Token]) -> str:
    return "".join(
        (" " if token.space and index else "") + token.text for index, token in enumerate(tokens)
    )


def _starts_with(tokens: list[_Token], phrase: tuple[str, ...], squash: bool = False) -> bool:
    if len(tokens) < len(phrase):
        return False
    form = _squash if squash else (lambda word: word)
    return all(form(t.low) == form(p) for t, p in zip(tokens, phrase))


def _strip_leading(tokens: list[_Token], table: Iterable[tuple[str, ...]]) -> list[_Token]:
    """Drop phrases from ``table`` (and stray punctuation) at the start, repeatedly."""
    table = tuple(table)
    changed = True
    while tokens and changed:
        changed = False
        if not tokens[0].is_word:
            tokens, changed = tokens[1:], True
            continue
        for phrase in table:
            if _starts_with(tokens, phrase, squash=True):
                tokens, changed = tokens[len(phrase) :], True
                break
    return tokens


def _strip_leading_punctuation(tokens: list[_Token]) -> list[_Token]:
    return _strip_leading(tokens, ())


def _strip_trailing_punctuation(tokens: list[_Token]) -> list[_Token]:
    while tokens and not tokens[-1].is_word:
        tokens = tokens[:-1]
    return tokens


def _close_quote(tokens: list[_Token]) -> list[_Token]:
    """Put back the closing quote that trailing punctuation took: 'he said "no one"'.

    A quote mark opens a quotation when it follows a space (or starts the text) and the
    next word is attached to it.
    """
    opened: str | None = None
    for index, token in enumerate(tokens):
        if token.text not in ('"', "'"):
            continue
        attached_next = index + 1 < len(tokens) and not tokens[index + 1].space
        if opened is None and (token.space or index == 0) and attached_next:
            opened = token.text
        elif opened == token.text:
            opened = None
    return tokens + [_Token(opened, False)] if opened else tokens


def _split_clitic(word: str) -> tuple[str, str]:
    """"maya's" -> ("maya", "'s"); words without a clitic come back with ""."""
    match = _CLITIC.match(word)
    return (match.group(1), match.group(2)) if match else (word, "")


def _has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


# --- Finding the partner ----------------------------------------------------------------------


def _next_after_adverbs(tokens: list[_Token], index: int) -> tuple[_Token | None, bool]:
    """The first token at or after ``index`` that is not an adverb, and whether any was skipped."""
    skipped = False
    while index < len(tokens) and tokens[index].low in _ADVERBS:
        index, skipped = index + 1, True
    return (tokens[index] if index < len(tokens) else None), skipped


def _looks_like_verb(token: _Token | None) -> bool:
    if token is None or not token.is_word:
        return False
    low = token.low
    if low in _VERBISH or low.endswith("n't"):
        return True
    if len(low) > 3 and low.endswith("ed"):
        return True
    is_s_form = low.endswith("s") and not low.endswith(("ss", "us"))
    return len(low) > 2 and is_s_form and low not in _NOT_S_VERBS


def _could_be_name(token: _Token) -> bool:
    """A first name: a plain word that is not a common word, verb or person noun.

    Lower-case words ending in -s or -ed are too often plurals and verbs ("plans",
    "waited"); written with a capital ("James", "Ted") they are accepted.
    """
    low = _split_clitic(token.low)[0]
    if not low.isalpha() or len(low) < 2 or low in _NOT_NAMES or low in _VERBISH:
        return False
    if low.endswith("ing"):
        return False
    return token.text[0].isupper() or not low.endswith(("s", "ed"))


def _is_name_subject(tokens: list[_Token], index: int) -> bool:
    """A name followed by a verb ("maya didn't", "sam never texts") or a clitic ("maya's")."""
    if index >= len(tokens) or not _could_be_name(tokens[index]):
        return False
    if _split_clitic(tokens[index].low)[1]:
        return True
    following, _ = _next_after_adverbs(tokens, index + 1)
    return _looks_like_verb(following)


def _partner_noun_at(tokens: list[_Token], index: int) -> _PartnerNoun | None:
    """ "my boyfriend", optionally followed by the partner's name, at ``index``."""
    if index + 1 >= len(tokens) or tokens[index].low != "my":
        return None
    noun = _split_clitic(tokens[index + 1].low)
    if noun[0] not in PARTNER_NOUNS:
        return None
    family = PARTNER_NOUNS[noun[0]]
    if not noun[1] and _is_name_subject(tokens, index + 2):
        return _PartnerNoun(3, family, _split_clitic(tokens[index + 2].low)[0])
    return _PartnerNoun(2, family, None)


def _is_other_person(tokens: list[_Token], index: int, partner: _Partner) -> bool:
    """Someone other than the partner: "his mom", "a coworker", "Jake" mid-sentence."""
    token = tokens[index]
    base = _split_clitic(token.low)[0]
    if base in _OTHER_PEOPLE:
        return True
    return (
        index > 0
        and token.text[0].isupper()
        and base.isalpha()
        and base not in ("i", partner.name)
        and base not in _NOT_NAMES
    )


def _find_partner(tokens: list[_Token]) -> _Partner | None:
    """The partner, from the first reference; None if there is none or "you" came first."""
    first_you = next((i for i, t in enumerate(tokens) if t.low in _YOU_WORDS), len(tokens))
    partner: _Partner | None = None
    for index in range(len(tokens)):
        noun = _partner_noun_at(tokens, index)
        if noun is not None:
            partner = _Partner(index, noun.family, noun.name)
            break
    if partner is None and _is_name_subject(tokens, 0):
        partner = _Partner(0, None, _split_clitic(tokens[0].low)[0])
    if partner is None:
        pronoun = next((i for i, t in enumerate(tokens) if t.low in PARTNER_PRONOUNS), None)
        if pronoun is not None:
            partner = _Partner(pronoun, PARTNER_PRONOUNS[tokens[pronoun].low][0], None)
    if partner is None or first_you < partner.start:
        return None
    return partner


def _partner_refs(tokens: list[_Token]) -> dict[int, _Ref]:
    """Every partner reference in the sentence, by start index.

    A name or "my partner" leaves the pronoun family open; the first he/she/they after it
    fixes it, unless another person was mentioned first (then pronouns stay as written).
    """
    partner = _find_partner(tokens)
    if partner is None:
        return {}
    refs: dict[int, _Ref] = {}
    family, someone_else = partner.family, False
    index = partner.start
    while index < len(tokens):
        token = tokens[index]
        noun = _partner_noun_at(tokens, index)
        if noun is not None:
            refs[index] = _Ref(noun.length, "noun")
            index += noun.length
            continue
        if partner.name and _split_clitic(token.low)[0] == partner.name:
            refs[index] = _Ref(1, "name")
        elif token.low in PARTNER_PRONOUNS:
            pronoun_family = PARTNER_PRONOUNS[token.low][0]
            if family is None and not someone_else:
                family = pronoun_family
            if pronoun_family == family:
                refs[index] = _Ref(1, "pronoun")
        elif _is_other_person(tokens, index, partner):
            someone_else = True
        index += 1
    return refs


# --- Replacing references and agreeing verbs ---------------------------------------------------


def _meaning_of_s(tokens: list[_Token], index: int, possessive_allowed: bool) -> str:
    """What "'s" stands for, judged from the words at ``index``: "has", "is" or "possessive".

    "he's been" -> has; "maya's late", "he's never home" -> is; "maya's phone" -> possessive
    (only names and nouns can be possessive; "he's" never is).
    """
    following, skipped = _next_after_adverbs(tokens, index)
    low = following.low if following is not None else ""
    if low in _HAVE_PARTICIPLES:
        return "has"
    if not possessive_allowed or skipped or low in _IS_FOLLOWERS or low.endswith("ing"):
        return "is"
    return "possessive"


_YOU_FOR_S = {"has": "you've", "is": "you're", "possessive": "your"}


def _with_clitic(clitic: str, tokens: list[_Token], next_index: int) -> str:
    """"you" plus the partner's clitic: maya's -> your / you're / you've, maya'll -> you'll."""
    if clitic == "'s":
        return _YOU_FOR_S[_meaning_of_s(tokens, next_index, possessive_allowed=True)]
    return "you" + clitic


def _pronoun_replacement(tokens: list[_Token], index: int) -> str:
    low = tokens[index].low
    replacement = PARTNER_PRONOUNS[low][1]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    ends_phrase = following is None or not following.is_word
    if low == "her":
        is_object = ends_phrase or following.low in _OBJECT_FOLLOWERS or following.text.isdigit()
        return "you" if is_object else "your"
    if low == "his" and (ends_phrase or following.low in _STANDALONE_FOLLOWERS):
        return "yours"
    if low in ("he's", "she's", "hes", "shes"):
        has = _meaning_of_s(tokens, index + 1, possessive_allowed=False) == "has"
        return ("you've" if low.endswith("'s") else "youve") if has else replacement
    return replacement


def _ref_replacement(tokens: list[_Token], index: int, ref: _Ref) -> _Replacement:
    """The replacement for a reference, how the verb after it agrees, and if it is a subject.

    Agreement is ALL_VERBS after he/she and after a name or "my bf" that opens a clause;
    IRREGULAR_ONLY after a name elsewhere ("she said my husband was"), where a following
    -s word may be a noun ("I called Maya lots"); NO_AGREEMENT after objects and after
    clitics, which are the verb already ("he's", "maya'll").
    """
    if ref.kind == "pronoun":
        low = tokens[index].low
        agreement = ALL_VERBS if low in _SINGULAR_SUBJECTS else NO_AGREEMENT
        is_subject = low in _SUBJECT_PRONOUNS or bool(_split_clitic(low)[1]) or low in _CLITIC_TYPOS
        return _Replacement(_pronoun_replacement(tokens, index), agreement, is_subject)
    clitic = _split_clitic(tokens[index + ref.length - 1].low)[1]
    if clitic:
        text = _with_clitic(clitic, tokens, index + ref.length)
        return _Replacement(text, NO_AGREEMENT, text != "your")
    previous = tokens[index - 1].low if index > 0 else ","
    if previous in _CLAUSE_OPENERS:
        return _Replacement("you", ALL_VERBS, True)
    return _Replacement("you", IRREGULAR_ONLY, False)


def _agree(word: str, agreement: str) -> str:
    """Make a verb agree with "you": is -> are, doesn't -> don't, texts -> text, tries -> try."""
    low = word.lower()
    if low in AGREEMENT:
        return AGREEMENT[low]
    is_s_verb = low.isalpha() and low.endswith("s") and _looks_like_verb(_Token(low, False))
    if agreement != ALL_VERBS or not is_s_verb:
        return word
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zzes", "oes")):
        return word[:-2]
    return word[:-1]


def _normalise_i(token: _Token) -> _Token:
    """Lower-case "i" (and "i'm", "i've"…) becomes "I"; "im" is a typo we keep."""
    base, clitic = _split_clitic(token.low)
    if base == "i":
        return _Token("I" + clitic, token.space)
    return token


def _invert(out: list[_Token]) -> bool:
    """ "why does he" / "does she": the auxiliary before a partner subject agrees with "you".

    Only right at the start or after a question word, so "the problem is he" stays.
    """
    if not out or out[-1].low not in AGREEMENT:
        return False
    if len(out) > 1 and out[-2].low not in _QUESTION_WORDS:
        return False
    out[-1] = _Token(AGREEMENT[out[-1].low], out[-1].space)
    return True


def _is_own_object(tokens: list[_Token], index: int, ref: _Ref) -> bool:
    """An object pronoun in a clause whose subject is the partner.

    "she spent all night with her": were "her" the partner, English would say "herself",
    so it is someone else and stays.
    """
    if ref.kind != "pronoun":
        return False
    low = tokens[index].low
    return low in ("him", "them") or (low == "her" and _pronoun_replacement(tokens, index) == "you")


def _coordinated_s_verb(tokens: list[_Token], index: int, out: list[_Token]) -> bool:
    """A present-tense verb joined to the partner's by "and"/"or"/"but".

    "he never hugs me or says anything" -> "or say". Only when the word before the
    coordinator is not itself an -s word ("my calls and texts" are nouns) and the word
    after looks like the start of what the verb does ("me", "the", "straight", ...).
    """
    token = tokens[index]
    following = tokens[index + 1].low if index + 1 < len(tokens) else ""
    return (
        len(out) > 1
        and out[-1].low in _COORDINATORS
        and not out[-2].low.endswith("s")
        and token.low.endswith("s")
        and _looks_like_verb(token)
        and following in _COMPLEMENT_STARTS
    )


def _rewrite(tokens: list[_Token]) -> list[_Token]:
    """Apply the replacement tables token by token (see the module docstring, step 4).

    ``agreement``: the last reference was a subject, so the next verb (after adverbs)
    agrees. ``partner_clause``: the partner is still the subject, so an irregular verb
    right after "and"/"but"/"or" agrees too ("he forgot and was annoyed"), and so does a
    present-tense -s verb once the clause is in the present (see _coordinated_s_verb).
    ``own_clause``: the partner is the subject and no "me", "I" or subordinator came
    since (or a new verb joined by "and" began), so an object pronoun of theirs is
    someone else (see _is_own_object).
    """
    refs = _partner_refs(tokens)
    out: list[_Token] = []
    agreement, partner_clause, own_clause, present = NO_AGREEMENT, False, False, False
    index = 0
    while index < len(tokens):
        token, ref = tokens[index], refs.get(index)
        if ref is not None and own_clause and _is_own_object(tokens, index, ref):
            ref = None
        if ref is not None:
            replacement = _ref_replacement(tokens, index, ref)
            agreement = replacement.agreement
            if agreement == ALL_VERBS and _invert(out):
                agreement = NO_AGREEMENT
            out.append(_Token(replacement.text, token.space))
            partner_clause = partner_clause or replacement.is_subject
            own_clause = own_clause or replacement.is_subject
            index += ref.length
            continue
        coordinated = partner_clause and bool(out) and out[-1].low in _COORDINATORS
        if agreement != NO_AGREEMENT and token.low in _ADVERBS:
            out.append(token)
        elif agreement != NO_AGREEMENT:
            agreed = _agree(token.text, agreement)
            present = present or (agreed != token.text and token.low not in _PAST_FORMS)
            out.append(_Token(agreed, token.space))
            agreement = NO_AGREEMENT
        elif coordinated and token.low in AGREEMENT:
            out.append(_Token(AGREEMENT[token.low], token.space))
        elif partner_clause and present and _coordinated_s_verb(tokens, index, out):
            out.append(_Token(_agree(token.text, ALL_VERBS), token.space))
        else:
            if token.low in _OTHER_SUBJECTS or token.low in PARTNER_PRONOUNS:
                partner_clause = present = False
            if _split_clitic(token.low)[0] in _OWN_CLAUSE_ENDS:
                own_clause = False
            if token.low in _COORDINATORS and partner_clause:
                own_clause = True  # "she ignored me and talked to her": a new verb, same subject
            out.append(_normalise_i(token))
        index += 1
    return out


# --- Choosing and trimming the observation ------------------------------------------------------


def _mentions_partner(tokens: list[_Token]) -> bool:
    return bool(_partner_refs(tokens)) or any(t.low in _YOU_WORDS for t in tokens)


def _drop_interjections(tokens: list[_Token]) -> list[_Token]:
    return [t for t in tokens if _squash(t.low) not in _SQUASHED_INTERJECTIONS]


def _is_boundary(token: _Token, boundaries: frozenset[str]) -> bool:
    """A clause boundary; a dash counts only with a space before it, not in "heads-up"."""
    return token.low in boundaries and (token.is_word or token.low == "," or token.space)


def _matches_any(
    tokens: list[_Token], table: tuple[tuple[str, ...], ...]
) -> tuple[str, ...] | None:
    """The first phrase of ``table`` (longest first) that the tokens start with."""
    return next((phrase for phrase in table if _starts_with(tokens, phrase)), None)


def _is_reaction(tail: list[_Token]) -> bool:
    """Whether the rest of the sentence is the person's reaction rather than the event."""
    while tail and tail[0].low in _SOFTENERS:
        tail = tail[1:]
    if not tail:
        return False
    if _matches_any(tail, _ALWAYS_CUT):
        return True
    opens_as_self = _matches_any(tail, _SELF_OPENERS) or tail[0].low in _REACTION_WORDS
    if not opens_as_self:
        return False
    text = _join(tail)
    return any(t.low in _REACTION_WORDS for t in tail) or read_feeling(text).canonical is not None


def _cut_reaction(tokens: list[_Token]) -> list[_Token]:
    """Drop a trailing reaction: ", and i'm freaking out", "and it hurts", "idk what to do"."""
    for index in range(3, len(tokens)):
        token, rest = tokens[index], tokens[index:]
        at_boundary = _is_boundary(token, _BOUNDARIES) and _is_reaction(rest[1:])
        bare = (
            bool(_matches_any(rest, _ALWAYS_CUT) or _matches_any(rest, _BARE_OPENERS))
            and tokens[index - 1].low not in _CONTINUERS
            and _is_reaction(rest)
        )
        if at_boundary or bare:
            return tokens[:index]
    return tokens


def _move_time_phrase(tokens: list[_Token]) -> list[_Token]:
    """ "last night you didn't call" -> "you didn't call last night"."""
    phrase = _matches_any(tokens, TIME_PHRASES)
    if phrase is None or len(tokens) <= len(phrase):
        return tokens
    moved, rest = tokens[: len(phrase)], tokens[len(phrase) :]
    rest = _strip_leading_punctuation(rest)
    if not rest:
        return tokens
    moved = [_Token(moved[0].low, True)] + moved[1:]
    return rest + moved


def _cap_length(tokens: list[_Token], limit: int) -> list[_Token]:
    """Keep at most ``limit`` words, cutting at the last clause boundary inside the limit."""
    word_positions = [i for i, t in enumerate(tokens) if t.is_word]
    if len(word_positions) <= limit:
        return tokens
    end = word_positions[limit]
    boundaries = [
        i
        for i in range(word_positions[MIN_CLAUSE_WORDS], end + 1)
        if _is_boundary(tokens[i], _CUT_POINTS)
    ]
    return tokens[: boundaries[-1]] if boundaries else tokens[:end]


def _lower_first(tokens: list[_Token]) -> list[_Token]:
    """The clause follows "When", so its first word is lower-case unless it is I or a name."""
    if not tokens:
        return tokens
    first = tokens[0]
    keep = _split_clitic(first.low)[0] == "i" or _is_name_subject(tokens, 0)
    return tokens if keep else [_Token(first.low, first.space)] + tokens[1:]


def _drop_leading_when(tokens: list[_Token]) -> list[_Token]:
    """ "When you didn't text me" was already a draft opening: keep the clause only."""
    if len(tokens) > 1 and tokens[0].low == "when" and tokens[1].low in _YOU_WORDS:
        return tokens[1:]
    return tokens


def _choose_sentence(text: str) -> list[_Token]:
    """The first sentence that mentions the partner, else the first with any words."""
    candidates = []
    for sentence in _SENTENCE_END.split(text):
        tokens = _strip_leading(_drop_interjections(_tokenize(sentence)), LEADING_FILLER)
        tokens = _drop_leading_when(tokens)
        if any(t.is_word for t in tokens):
            candidates.append(tokens)
    first = candidates[0] if candidates else []
    return next((c for c in candidates if _mentions_partner(c)), first)


def _second_person(text: str, max_words: int) -> str:
    cleaned = _clean(text)
    tokens = _choose_sentence(cleaned)
    tokens = _strip_trailing_punctuation(_cut_reaction(_strip_trailing_punctuation(tokens)))
    tokens = _lower_first(_move_time_phrase(_rewrite(tokens)))
    tokens = _close_quote(_strip_trailing_punctuation(_cap_length(tokens, max_words)))
    clause = _join(tokens)
    if _has_letters(clause):
        return clause
    return _join(_strip_trailing_punctuation(_tokenize(cleaned))) if _has_letters(cleaned) else ""


def to_second_person(text: str) -> str:
    """The clause that follows "When" in a draft, spoken to the partner.

    "Maya didn't text me when she got to the airport" ->
    "you didn't text me when you got to the airport". The clause includes its subject, so
    the draft is "When " + clause. See the module docstring for the rules.
    """
    return _second_person(text, MAX_CLAUSE_WORDS)


# --- The draft ----------------------------------------------------------------------------------

FEAR_LEADS = _phrases(
    "that", "like", "so", "honestly", "maybe", "that maybe", "i'm scared that", "i'm scared",
    "im scared", "i am scared", "i was scared", "i'm afraid", "im afraid", "i am afraid",
    "i was afraid", "i'm worried", "im worried", "i worry", "i'm terrified", "scared",
    "afraid", "worried", "terrified", "the fear that", "the fear is that", "my fear is that",
    "the fear is", "my fear is", "fear that", "what if", "i feel like", "i felt like",
    "i think", "i thought", "the story is that", "the story that", "deep down",
    "part of me thinks", "the old fear that", "old fear that",
)
# "of being left": a fear that is a thing rather than a story.
_GENERIC_FEAR_LEADS = _phrases("of", "fear of", "the fear of", "my fear of")
# After "what if you": forms that already carry their tense or mood.
_NOT_PLAIN_VERBS = _words("are were have do don't dont aren't arent weren't werent haven't")
_GENERIC_FEAR_STARTS = _words("being losing getting ending abandonment rejection loneliness")
# The old fear of being left, in the brief's words; "abandoned" names what someone did.
FEAR_OF_BEING_LEFT = "being left"
_ABANDONMENT = {
    ("being", "left"), ("being", "abandoned"), ("abandonment",), ("being", "deserted"),
    ("being", "left", "behind"), ("being", "left", "alone"),
}

REQUEST_LEADS = _phrases(
    "please", "maybe", "just", "i'd like you to", "id like you to", "i would like you to",
    "i want you to", "i need you to", "i'd love you to", "i'd love it if you'd",
    "i'd love it if you would", "i'd like it if you'd", "i'd like it if you would",
    "i wish you would", "i wish you'd", "ask you to", "ask if you'd", "ask if you would",
    "for you to", "you to", "if you could", "if you would", "that you", "you could",
    "you would", "you'd", "you should", "you will", "you", "to",
)
_QUESTION_STARTS = _words("would could can will do are is may might shall how")
_NOUN_REQUEST_STARTS = _words("a an some more the")

NEED_LEADS = _phrases(
    "i need", "i'd need", "i'd like", "i would like", "i want", "need", "just", "maybe",
    "what would help is", "what would help me is", "what i need is",
)
# Needs that read naturally with "some": "some reassurance", "some time together".
_MASS_NEEDS = _words(
    "reassurance connection closeness predictability time space affection attention "
    "support clarity comfort consistency communication warmth patience security certainty "
    "quality honesty acknowledgement acknowledgment appreciation understanding contact "
    "touch intimacy"
)


def _given(value: str | None) -> bool:
    return bool(value and value.strip() and value.strip().lower() != SKIPPED)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lead_stripped(text: str, table: tuple[tuple[str, ...], ...]) -> tuple[str, bool]:
    """Strip leading phrases; also say whether "what if" was among them."""
    tokens = _strip_leading(_drop_interjections(_tokenize(_clean(text))), LEADING_FILLER)
    saw_what_if = False
    while tokens:
        phrase = _matches_any(tokens, table)
        if phrase is None:
            break
        saw_what_if = saw_what_if or phrase == ("what", "if")
        tokens = _strip_leading_punctuation(tokens[len(phrase) :])
    return _join(tokens), saw_what_if


def _generic_fear(fear: str) -> str | None:
    """A fear that is a thing, not a story, as the words after "an old fear of".

    "of being abandoned" -> "being left"; "losing him" -> "losing you";
    "him leaving me" -> "you leaving me"; "he'll leave me" -> None (a story).
    """
    tokens = _tokenize(fear)
    lead = _matches_any(tokens, _GENERIC_FEAR_LEADS)
    tokens = _strip_trailing_punctuation(tokens[len(lead) :] if lead else tokens)
    if tuple(t.low for t in tokens) in _ABANDONMENT:
        return FEAR_OF_BEING_LEFT
    clause = _second_person(_join(tokens), MAX_FEAR_WORDS)
    words = clause.lower().split()
    is_thing = bool(words) and (
        words[0] in _GENERIC_FEAR_STARTS
        or words[:2] == ["not", "being"]
        or (words[0] == "you" and len(words) > 1 and words[1].endswith("ing"))
    )
    return clause if is_thing else None


def _will_after_what_if(clause: str) -> str:
    """ "what if he leaves me" is a story about the future: "you'll leave me".

    Only a plain present verb right after "you" changes; "you're", "you don't", "you
    cheated" and modals already say when.
    """
    words = clause.split(" ")
    verb = next((w.lower() for w in words[1:] if w.lower() not in _ADVERBS), "")
    if words[0] != "you" or not verb.isalpha() or verb.endswith("ed"):
        return clause
    if verb in _NOT_PLAIN_VERBS or verb in _VERBISH:
        return clause
    return " ".join(["you'll"] + words[1:])


def _fear_part(fear: str | None) -> str:
    """", and an old fear came up that you're losing interest in me" (or "of being left")."""
    if not _given(fear):
        return ""
    stripped, saw_what_if = _lead_stripped(fear, FEAR_LEADS)
    generic = _generic_fear(stripped)
    if generic:
        return f", and an old fear of {generic} came up"
    clause = _second_person(stripped, MAX_FEAR_WORDS)
    if not clause:
        return ""
    if saw_what_if:
        clause = _will_after_what_if(clause)
    return f", and an old fear came up that {clause}"


def _request_sentence(request: str) -> str:
    """A question the partner can say yes or no to; a request already asked is kept."""
    cleaned = _clean(request)
    first_word = next((t.low for t in _tokenize(cleaned) if t.is_word), "")
    is_question = cleaned.rstrip().endswith("?") or first_word in _QUESTION_STARTS
    clause = _second_person(cleaned, MAX_REQUEST_WORDS)
    if is_question:
        return _capitalise(clause) + "?"
    action, _ = _lead_stripped(clause, REQUEST_LEADS)
    action = action or clause
    if action.split(" ")[0].lower() in _NOUN_REQUEST_STARTS:
        action = "give me " + action
    return f"Would you be willing to {action}?"


def _need_sentence(need: str) -> str:
    """ "reassurance" -> "What would help me is some reassurance." """
    clause = _second_person(need, MAX_REQUEST_WORDS)
    stripped, _ = _lead_stripped(clause, NEED_LEADS)
    stripped = stripped or clause
    if stripped.split(" ")[0].lower() in _MASS_NEEDS:
        stripped = "some " + stripped
    return f"What would help me is {stripped}."


def compose_draft(
    situation: str,
    feeling: str,
    fear: str | None = None,
    need: str | None = None,
    request: str | None = None,
) -> str:
    """The "When you …, I felt …" message, short enough to read on a phone.

    The situation keeps the person's words, turned to "you"; the feeling is theirs, in
    "I felt …" (pass a feeling already checked with ``read_feeling``); the fear, need and
    request are optional (None, "" or SKIPPED leave them out). A request wins over a need:
    a concrete ask says more than a general one, and one ask is enough.

    A situation with no words (empty, only an emoji) leaves the draft starting at
    "I felt …" rather than inventing what happened. A feeling with no words raises
    ValueError: "I felt" needs the person's word, and no word can stand in for it here.
    """
    felt = feeling_phrase(feeling)
    if not _has_letters(felt):
        raise ValueError("a draft needs a feeling word")
    clause = to_second_person(situation)
    opening = f"When {clause}, I felt {felt}" if clause else f"I felt {felt}"
    sentences = [f"{opening}{_fear_part(fear)}."]
    if _given(request):
        sentences.append(_request_sentence(request))
    elif _given(need):
        sentences.append(_need_sentence(need))
    return " ".join(sentences)
