"""Turn what someone wrote about their partner into a calm "When you …, I felt …" draft.

The person describes what happened in the third person, fast and in their own words
("ugh so my bf said he'd be home at 7 and he still isn't answering, i'm freaking out").
A draft keeps those words but speaks to the partner: "you said you'd be home at 7 and
you still aren't answering". The feeling goes into "I felt …", so reactions at the end of
the description are dropped.

How ``to_second_person`` works. The text is read with Steady's one spaCy pipeline
(``bot.language.nlp.get_nlp``: ``spacy.blank("en")`` plus the lookup lemmatizer), so every
rule below works on spaCy tokens: the tokenizer splits contractions ("didn't" -> "did"
"n't", "he's" -> "he" "'s", "hes" -> "he" "s", "didnt" -> "did" "nt"), ``LOWER`` and
``LEMMA`` recognise words, and the matchers (:class:`_Matchers`) find the partner references, fillers,
reaction openers and time phrases. The clause is put back together from the tokens with
the whitespace that was typed around them, so the person's words, spelling and typos
survive; only the tokens that must change are replaced.

1. Clean: straighten apostrophes, drop emoji, lower-case a message typed all in capitals.
   Runs of spaces become one; every other character stays as typed.
2. Pick one sentence: the first that mentions the partner (or already says "you"); others
   are vents or reactions. Interjections and emoticons anywhere ("lol", "smh", ":("),
   leading filler ("ugh", "honestly", "so basically", also stretched: "ughhh", "sooo")
   and a leading reaction ("i'm so scared, he …", "i dont feel wanted, he …") are dropped.
3. Drop the trailing reaction: the description is cut at the first boundary ("and", ",",
   "so", "now", "which", "bc", a dash) whose next stretch, up to the following boundary,
   is the person's reaction ("and i'm freaking out", "and now i'm spiralling", "and it
   hurts", "idk what to do", "am i overreacting"), their inner talk ("and i know it's
   dumb", "i keep telling myself") or what something made them feel ("but the distance
   makes me feel …"); a bare "i'm …" / "i feel …" with no boundary before it is cut too,
   with a "when …" stretch that leans on it. Anything still about what happened is kept,
   so a run-on ("… after his shift and its been 4 hours and nothing and im freaking out")
   keeps "and its been 4 hours and nothing".
4. Decide who the partner is, from the first partner reference in that sentence:
   "my husband/wife/boyfriend/girlfriend/partner/bf/gf/fiance(e)/spouse" anywhere wins
   (also typed without the apostrophe: "my husbands sister", "my bfs been");
   otherwise a first name at the start of the description ("maya didn't text"; a
   lower-case name ending in -s or -ed, "james", only when the lemmatizer does not read it
   as a plural or a past tense, as it does "plans" and "waited");
   otherwise the first of he/she/they. A gendered reference fixes which pronouns are the
   partner's; a name or "my partner" takes the gender of the first he/she/they after it,
   unless someone else (a friend, a capitalised name, "his mom") was mentioned in between,
   in which case later pronouns are left alone. Pronouns of another gender are always
   someone else's and stay. If "you" comes before any partner reference, the text already
   speaks to the partner and pronouns are left alone (this keeps the rewrite idempotent;
   a clause that names someone else before "you", as in "Jake invited you", is the
   exception). An object pronoun in a clause whose subject is the partner is someone
   else ("she spent all night with her"), since the partner would be "herself".
5. Replace: partner references become you / your / yours / yourself, and a clitic after
   them agrees ("he" "'s" -> "you" "'re" or "you" "'ve", "hes" -> "youre"; "maya" "'s" ->
   "your"). The verb right after a partner subject agrees, also after an adverb ("he
   never texts" -> "you never text"): be/have/do by a small table (is -> are, was ->
   were, has -> have, does -> do, so "doesn't" -> "don't" and "wasnt" -> "werent"), other
   -s verbs by their lemma ("goes" -> "go", "seems" -> "seem"). A verb joined by
   and/or/but (adverbs after it allowed: "and then pulls away") agrees only when it is
   sure to be the partner's: an irregular one ("and was" -> "and were"), or an -s verb in
   a present-tense clause that is followed by what it does ("plays games and watches tv"
   -> "play games and watch tv", but "my calls and texts" stays). The person's own
   I/me/my stay (lower-case "i" becomes "I"); typos stay ("didnt", "im").
6. A leading time phrase moves to the end when a subject follows it ("last night he ..."
   -> "you ... last night"), or to the end of the first act when "and" starts another
   ("you got home at 1 last night and this morning you left …"), so the draft reads
   "When you …, I felt …"; the clause is
   capped at about 35 words, cut at a clause boundary where possible, and never ends on a
   dangling "and" or "when".

The returned clause includes its subject, usually a leading "you"; the draft is
"When " + clause. It never returns an empty string for text that has letters: when no rule
applies the cleaned text comes back.

The word lists (partner nouns, fillers, reaction openers, time phrases, the words that
decide what "'s" means, the leads stripped before a fear, need or request) are
``bot/data/drafting/rewrite.yml``, read once by :func:`rewrite_vocabulary`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, NamedTuple, TypeGuard

import yaml
from spacy.lang.tokenizer_exceptions import emoticons as _SPACY_EMOTICONS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.feelings import feeling_phrase, read_feeling
from bot.language.draft_guard import QUOTED, TIME_NOUNS, is_emoji
from bot.language.nlp import get_nlp

SKIPPED = "skipped"

MAX_CLAUSE_WORDS = 35
MAX_FEAR_WORDS = 20
MAX_REQUEST_WORDS = 25
# Cutting a long clause shorter than this would lose the observation itself.
MIN_CLAUSE_WORDS = 8
# A reaction is cut only after at least this many words of the description.
MIN_WORDS_BEFORE_REACTION = 2


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@lru_cache(maxsize=20000)
def _squash(word: str) -> str:
    """Collapse repeated letters so "ughhh" and "sooo" match the filler "ugh" and "so"."""
    return re.sub(r"(.)\1+", r"\1", word)


# --- The word lists -----------------------------------------------------------------------------

# The vocabulary of the rewrite: one list per key, each explained in the file. Grammar the
# code depends on (the partner's pronouns, clitics, the be/have/do table, clause boundaries
# and punctuation, a few pronoun sets) stays below in Python.
DATA = Path(__file__).resolve().parent / "data" / "drafting" / "rewrite.yml"

# Keys that are lists of words or phrases.
_LIST_KEYS = (
    "other_people",
    "days_and_months",
    "time_words",
    "adverbs",
    "verbish",
    "not_names",
    "not_s_verbs",
    "have_participles",
    "done_with",
    "object_starts",
    "is_followers",
    "state_after",
    "object_followers",
    "time_after_last",
    "standalone_followers",
    "clause_openers",
    "noun_list_followers",
    "only_verbs_at_end",
    "prepositions",
    "own_clause_ends",
    "leading_filler",
    "interjections",
    "because",
    "subordinators",
    "softeners",
    "self_openers",
    "always_cut",
    "inner_openers",
    "help",
    "pleas",
    "bare_openers",
    "continuers",
    "reaction_words",
    "feel_words",
    "time_phrases",
    "every_time",
    "fear_leads",
    "generic_fear_leads",
    "generic_fear_starts",
    "abandonment",
    "not_plain_verbs",
    "request_leads",
    "question_starts",
    "noun_request_starts",
    "need_leads",
    "mass_needs",
)
# Keys that group words by the pronouns they go with: group -> list of words.
_GROUP_KEYS: dict[str, tuple[str, ...]] = {
    "partner_nouns": ("he", "she", "they", "unknown"),
    "gendered": ("he", "she", "they"),
}


def _word_list(path: Path, key: str, values: Any) -> tuple[str, ...]:
    """A list of non-empty strings, lower-cased, with spaces and apostrophes made plain."""
    if not isinstance(values, list):
        raise ValueError(f"{path.name}: {key}: expected a list, got {values!r}")
    odd = [value for value in values if not isinstance(value, str) or not value.strip()]
    if odd:
        raise ValueError(f"{path.name}: {key}: not a word (quote it?): {odd!r}")
    return tuple(" ".join(value.lower().replace("\u2019", "'").split()) for value in values)


@lru_cache(maxsize=4)
def rewrite_vocabulary(path: Path = DATA) -> dict[str, Any]:
    """The rewrite's data file: each list as a tuple of lower-case strings, in file order;
    each grouping (``partner_nouns``, ``gendered``) as group -> tuple.

    A key missing or unknown, or a value that is not a string (a number, or YAML's reading
    of an unquoted "no", "on", "off"), raises ValueError naming the file, key and value.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of lists, got {data!r}")
    unknown = [key for key in data if key not in _LIST_KEYS and key not in _GROUP_KEYS]
    missing = [key for key in (*_LIST_KEYS, *_GROUP_KEYS) if key not in data]
    if unknown or missing:
        raise ValueError(f"{path.name}: unknown keys {unknown!r}, missing keys {missing!r}")
    vocabulary: dict[str, Any] = {key: _word_list(path, key, data[key]) for key in _LIST_KEYS}
    for key, allowed in _GROUP_KEYS.items():
        groups = data[key]
        if not isinstance(groups, dict):
            raise ValueError(f"{path.name}: {key}: expected a mapping, got {groups!r}")
        odd = [group for group in groups if group not in allowed]
        if odd:
            raise ValueError(f"{path.name}: {key}: groups must be {allowed!r}, not {odd!r}")
        vocabulary[key] = {
            group: _word_list(path, f"{key}: {group}", words) for group, words in groups.items()
        }
    return vocabulary


def _listed(key: str) -> frozenset[str]:
    """A word list of the data file as a set."""
    return frozenset(rewrite_vocabulary()[key])


def _phrases(key: str) -> tuple[str, ...]:
    """A phrase list of the data file, in file order."""
    return tuple(rewrite_vocabulary()[key])


# --- Who is the partner -------------------------------------------------------------------

# Partner nouns after "my"; the value is the pronoun family they fix (None: not known yet).
PARTNER_NOUNS: dict[str, str | None] = {
    noun: None if family == "unknown" else family
    for family, nouns in rewrite_vocabulary()["partner_nouns"].items()
    for noun in nouns
}

# The partner's pronouns and what each becomes: word -> (pronoun family, replacement).
# "her" and "his" are refined by what follows (see _pronoun_replacement). Contractions
# are two tokens ("he" "'s", "they" "re") and the clitic is handled on its own.
PARTNER_PRONOUNS: dict[str, tuple[str, str]] = {
    "he": ("he", "you"),
    "him": ("he", "you"),
    "his": ("he", "your"),
    "himself": ("he", "yourself"),
    "she": ("she", "you"),
    "her": ("she", "your"),
    "hers": ("she", "yours"),
    "herself": ("she", "yourself"),
    "they": ("they", "you"),
    "them": ("they", "you"),
    "their": ("they", "your"),
    "theirs": ("they", "yours"),
    "themselves": ("they", "yourself"),
    "themself": ("they", "yourself"),
}
# Subject forms after which the verb must agree with "you" ("they" already does).
_SINGULAR_SUBJECTS = _words("he she")
_SUBJECT_PRONOUNS = _words("he she they")
# Clitics the tokenizer splits off a subject: "he's", "hes", "she'll", "theyre", "hed".
_CLITICS = _words("'s s 'll ll 'd d 're re 've ve 'm m")
_S_CLITICS = _words("'s s")
# Negations split off a verb: "did" "n't", "does" "nt".
_NEGATIONS = _words("n't nt")
_YOU_WORDS = _words("you your yours yourself yourselves u ur")

# Mentions of other people: after one of these, a later he/she may be theirs.
_OTHER_PEOPLE = _listed("other_people")

_DAYS_AND_MONTHS = _listed("days_and_months")
_TIME_WORDS = _listed("time_words") | _DAYS_AND_MONTHS

# Adverbs allowed between a partner subject and its verb ("he never texts").
_ADVERBS = _listed("adverbs")

# Verbs and auxiliaries that can follow a name at the start of a description (the
# first half of a negation: "did" of "didn't", "wo" of "won't", "ca" of "can't").
_VERBISH = _listed("verbish")

# Common words that can open a description followed by a verb, but are not names.
_NOT_NAMES = (
    _listed("not_names")
    | _ADVERBS
    | _TIME_WORDS
    | _OTHER_PEOPLE
    | frozenset(PARTNER_NOUNS)
    | frozenset(PARTNER_PRONOUNS)
)

# --- Verb agreement -------------------------------------------------------------------------

# How the verb after a partner reference agrees (see _ref_replacement).
ALL_VERBS, IRREGULAR_ONLY, NO_AGREEMENT = "all verbs", "irregular only", "none"

# be/have/do after a partner subject; the negation is its own token ("does" "n't"), so
# "doesn't" -> "don't", "wasnt" -> "werent". Also applied right after "and"/"but"/"or"
# while the partner is still the subject ("he forgot and was annoyed").
AGREEMENT: dict[str, str] = {"is": "are", "was": "were", "has": "have", "does": "do"}
_PAST_FORMS = _words("was")
# Words that cannot be a third-person -s verb even though they end in s.
_NOT_S_VERBS = _listed("not_s_verbs")

# After 's: these make it "has" ("he's been" -> "you've been").
_HAVE_PARTICIPLES = _listed("have_participles")
# "he's done with me", "she's finished with it": "is", though "he's done this" is "has".
_DONE_WITH = _listed("done_with")
# After a past form, these make 's "has": "he's sent a few texts", "she's blocked me".
_OBJECT_STARTS = _listed("object_starts")
# After a name's 's: these make it "is" ("maya's late"); anything else is possessive.
_IS_FOLLOWERS = _listed("is_followers")
# After "her": these make it the object ("I texted her back"); anything else is possessive.
_OBJECT_FOLLOWERS = _listed("object_followers")
# "her last night", "her first thing": time, so "her" is the object.
_TIME_AFTER_LAST = _listed("time_after_last")
# After "his": these make it stand alone ("the choice was his and ..." -> "yours").
_STANDALONE_FOLLOWERS = _listed("standalone_followers")

# Where a new clause starts: a name or "my bf" here is a subject, so its verb agrees.
_CLAUSE_OPENERS = _listed("clause_openers") | _TIME_WORDS
_COORDINATORS = _words("and but or")
# After a coordinated -s word, these say it was a noun in a list ("calls and texts from
# his mom", "his dog and cats more than me"), not a second verb.
_NOUN_LIST_FOLLOWERS = _listed("noun_list_followers")
_QUESTION_WORDS = _words("why how what where when who")
_PREPOSITIONS = _listed("prepositions")
# After these the partner may be an object again: "he asked me to text him".
_OWN_CLAUSE_ENDS = _listed("own_clause_ends")
# A new subject ends the partner's clause for coordinated agreement.
_OTHER_SUBJECTS = _words("i we it its there this that who which you")

# --- Filler and reactions -------------------------------------------------------------------

LEADING_FILLER = _phrases("leading_filler")
# Dropped wherever they appear: they carry tone, not what happened.
INTERJECTIONS = _listed("interjections")
# A reaction after a boundary: from here to the end belongs in "I felt", not the clause.
_BECAUSE = _listed("because")
_BOUNDARIES = _words(", and so but which now - – — …") | _BECAUSE
# Where the stretch after a boundary ends, when judging whether it is a reaction ("so"
# and "now" are left out: "i miss him so much it hurts" is one stretch).
_SEGMENT_ENDS = _words(", and but which - – — … ;")
# Where a too-long clause may be cut.
_CUT_POINTS = _BOUNDARIES | _words("and but or because while then ; when")
# Words a cut clause must not end on.
_DANGLING = _words("and but or so when while then which like") | _BECAUSE
# Left hanging as typed ("i'm sure he's fine but"); "so" and "like" may end a sentence.
_LEFT_HANGING = _DANGLING - _words("so like")
# A stretch opening with these leans on what follows ("and when youre gone i feel …"):
# when the reaction is cut, the stretch goes with it.
_SUBORDINATORS = _listed("subordinators")
# Skipped before deciding whether what follows a boundary is a reaction.
_SOFTENERS = _listed("softeners")
# Openers that end the observation only when the rest names a feeling or reaction.
SELF_OPENERS = _phrases("self_openers")
# Openers that end the observation whatever follows.
ALWAYS_CUT = _phrases("always_cut")
# The person's inner talk after a boundary ("and i know it's dumb", "but i get that he's
# busy"): the part that knows better, which belongs in the reflection, not the "When you".
INNER_OPENERS = _phrases("inner_openers")
# A plea for help, only as the whole rest of the sentence ("…, help", "pls help").
HELP = _phrases("help")
# Without a boundary before it, only a plea is cut ("… pls help"; "if i need help" stays).
_PLEAS = _listed("pleas")
# A bare "i'm ..." (no comma or "and") may start a reaction, unless it continues a clause.
BARE_OPENERS = _phrases("bare_openers")
# A bare opener right after one of these continues the clause ("he said i'm overreacting").
_CONTINUERS = _listed("continuers")
# Words that make a stretch the person's reaction ("and it hurts").
_REACTION_WORDS = _listed("reaction_words")
# Before a leading reaction ends ("i'm so scared, he …", "im anxious bc he …").
_LEADING_REACTION_ENDS = _SEGMENT_ENDS | _BECAUSE | _words("since")

# A leading time phrase moves to the end of the clause.
TIME_PHRASES = _phrases("time_phrases")
# "every time", "each time": a stretch that leans on what follows, like "when".
_EVERY_TIME = _phrases("every_time")

# --- Tokens ------------------------------------------------------------------------------------


class _Tok:
    """One spaCy token as the rewrite sees it.

    ``pre`` is the whitespace typed before it (spaCy keeps it as the previous token's
    ``whitespace_``), so dropping or moving tokens keeps the spacing right. ``i`` is the
    position in the Doc and ``m`` the matchers' labels that start here, label -> lengths
    (longest first); a replaced token loses its labels and lemma, since they described
    the old word.
    """

    __slots__ = ("text", "low", "pre", "i", "lemma", "m")

    def __init__(self, text: str, pre: str, i: int, lemma: str, m: dict) -> None:
        self.text = text
        self.low = text.lower()
        self.pre = pre
        self.i = i
        self.lemma = lemma
        self.m = m

    @property
    def is_word(self) -> bool:
        """A word starts with a letter or digit ("did", "n't"; not "'s" or ",")."""
        return self.text[:1].isalnum()

    @property
    def has_alnum(self) -> bool:
        return any(char.isalnum() for char in self.text)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"_Tok({self.text!r})"


_NO_LABELS: dict = {}


def _retext(token: _Tok, text: str) -> _Tok:
    return _Tok(text, token.pre, token.i, "", _NO_LABELS)


def _respace(token: _Tok, pre: str) -> _Tok:
    return _Tok(token.text, pre, token.i, token.lemma, token.m)


def _match_case(original: str, new: str) -> str:
    return new[:1].upper() + new[1:] if original[:1].isupper() else new


# --- The matchers -------------------------------------------------------------------------------


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A table phrase as the tokenizer splits it: "i'm" -> ("i", "'m"), "im" -> ("i", "m")."""
    return tuple(token.lower_ for token in get_nlp().tokenizer(phrase))


class _Matchers:
    """Where the tables match a Doc, as (label, start, end): the one-token tables (sets of
    words, names, emoticons) read token by token, and the phrases found by PhraseMatchers,
    by their lower-case form or (for the fillers, see :func:`_squash`) their squashed one.
    A spaCy Matcher holding them all cost a fifth of a millisecond on every sentence turned;
    these find the same matches in hash lookups."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self.words: dict[str, frozenset] = {}  # label -> its lower-case words
        self.norms: dict[str, frozenset] = {}  # label -> its squashed forms
        self.texts: dict[str, frozenset] = {}  # label -> its exact texts
        self.after_my: dict[str, frozenset] = {}  # label -> the word after "my"
        self.not_names: frozenset = frozenset()
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.squashed = PhraseMatcher(vocab, attr="NORM")

    def add_phrases(self, label: str, phrases: Iterable[str], squash: bool = False) -> None:
        docs = []
        for phrase in phrases:
            words = [_squash(word) if squash else word for word in _phrase_tokens(phrase)]
            if not words:
                continue
            doc = Doc(self.vocab, words=words)
            if squash:  # _parse sets each token's NORM to its squashed lower-case form
                for token in doc:
                    token.norm_ = token.text
            docs.append(doc)
        (self.squashed if squash else self.lower).add(label, docs)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        found: list[tuple[str, int, int]] = []
        add = found.append
        tables = (self.words.items(), self.norms.items(), self.texts.items())
        not_names, after_my = self.not_names, self.after_my.items()
        previous = ""
        for i, token in enumerate(doc):
            low = token.lower_
            if previous == "my":
                for label, nouns in after_my:
                    if low in nouns:
                        add((label, i - 1, i + 1))
            for table, key in zip(tables, (low, token.norm_, token.text)):
                for label, words in table:
                    if key in words:
                        add((label, i, i + 1))
            if low not in not_names and len(token.text) >= 2 and token.is_alpha:
                add(("NAME", i, i + 1))
            previous = low
        strings = self.vocab.strings
        for matcher in (self.lower, self.squashed):
            found.extend((strings[match_id], start, end) for match_id, start, end in matcher(doc))
        return found


# Phrases the compose step strips before a fear, request or need (see compose_draft).
FEAR_LEADS = _phrases("fear_leads")
# "of being left": a fear that is a thing rather than a story.
GENERIC_FEAR_LEADS = _phrases("generic_fear_leads")
REQUEST_LEADS = _phrases("request_leads")
NEED_LEADS = _phrases("need_leads")


@lru_cache(maxsize=1)
def _matcher() -> _Matchers:
    """The matchers for every table; built once, on the shared pipeline's vocabulary."""
    matcher = _Matchers(get_nlp().vocab)
    matcher.after_my = {
        "PARTNER_NOUN": frozenset(PARTNER_NOUNS),
        "PARTNER_NOUN_S": frozenset(noun + "s" for noun in PARTNER_NOUNS),
    }
    matcher.words = {
        "PRONOUN": frozenset(PARTNER_PRONOUNS),
        "YOU": frozenset(_YOU_WORDS),
    }
    # A first name: any word of letters but these, confirmed in code by what follows it
    # (see _is_name_subject).
    matcher.not_names = frozenset(_NOT_NAMES | _VERBISH)
    matcher.norms = {"INTERJECTION": frozenset(_squash(word) for word in INTERJECTIONS)}
    # ":(", "<3", "xD" carry tone like emoji; ones with digits ("8)", "0.0") may be text.
    matcher.texts = {
        "INTERJECTION": frozenset(
            e for e in _SPACY_EMOTICONS if "<" in e or not any(c.isdigit() for c in e)
        )
    }
    matcher.add_phrases("FILLER", LEADING_FILLER, squash=True)
    matcher.add_phrases("SELF_OPENER", SELF_OPENERS)
    matcher.add_phrases("ALWAYS_CUT", ALWAYS_CUT)
    matcher.add_phrases("HELP", HELP)
    matcher.add_phrases("INNER", INNER_OPENERS)
    matcher.add_phrases("EVERY_TIME", _EVERY_TIME)
    matcher.add_phrases("BARE_OPENER", BARE_OPENERS)
    matcher.add_phrases("TIME", TIME_PHRASES)
    matcher.add_phrases("FEAR_LEAD", FEAR_LEADS)
    matcher.add_phrases("GENERIC_FEAR_LEAD", GENERIC_FEAR_LEADS)
    matcher.add_phrases("REQUEST_LEAD", REQUEST_LEADS)
    matcher.add_phrases("NEED_LEAD", NEED_LEADS)
    return matcher


def _match_len(tokens: list[_Tok], index: int, label: str) -> int:
    """Length of the longest ``label`` match starting at ``tokens[index]``, or 0.

    Matches were found on the whole Doc; one counts only if its tokens are still next to
    each other here (nothing in between was dropped).
    """
    if index >= len(tokens):
        return 0
    first = tokens[index]
    for length in first.m.get(label, ()):
        end = index + length - 1
        if end < len(tokens) and tokens[end].i == first.i + length - 1:
            return length
    return 0


def _has_label(token: _Tok, label: str) -> bool:
    return label in token.m


def _parse(text: str) -> list[list[_Tok]]:
    """Sentences of ``_Tok``: split after . ! ? ; followed by a space, and at line breaks."""
    nlp = get_nlp()
    doc = nlp(text)
    for token in doc:
        # Token-level only (the vocabulary's norms are untouched): "ughhh" matches "ugh".
        token.norm_ = _squash(token.lower_)
    starts: dict[int, dict[str, list[int]]] = {}
    for label, start, end in _matcher()(doc):
        lengths = starts.setdefault(start, {}).setdefault(label, [])
        lengths.append(end - start)
    for labels in starts.values():
        for lengths in labels.values():
            lengths.sort(reverse=True)
    sentences: list[list[_Tok]] = []
    current: list[_Tok] = []
    pre = ""
    for token in doc:
        if token.is_space:
            if "\n" in token.text:
                if current:
                    sentences.append(current)
                current, pre = [], ""
            else:
                pre += token.text
            continue
        labels = starts.get(token.i, _NO_LABELS)
        current.append(_Tok(token.text, pre, token.i, token.lemma_.lower(), labels))
        pre = token.whitespace_
        if token.text[-1] in ".!?;" and (token.whitespace_ or _next_is_space(doc, token.i)):
            sentences.append(current)
            current, pre = [], ""
    if current:
        sentences.append(current)
    return sentences


def _next_is_space(doc: Doc, index: int) -> bool:
    return index + 1 < len(doc) and doc[index + 1].is_space


def _tokens(text: str) -> list[_Tok]:
    """All tokens of ``text`` in one list (line breaks read as spaces)."""
    sentences = _parse(text)
    tokens: list[_Tok] = []
    for sentence in sentences:
        if tokens and sentence:
            sentence = [_respace(sentence[0], sentence[0].pre or " ")] + sentence[1:]
        tokens.extend(sentence)
    return tokens


def _join(tokens: list[_Tok]) -> str:
    return "".join((token.pre if index else "") + token.text for index, token in enumerate(tokens))


# --- Cleaning -----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Straighten apostrophes, drop emoji and symbols, and calm an all-capitals message."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    if text.isascii():  # most messages: of ASCII, only "^" is a symbol ("`" is straightened)
        text = text.replace("^", " ")
    else:
        text = "".join(
            " " if unicodedata.category(char) == "Cf" or is_emoji(char) else char for char in text
        )
    text = text.replace("\ufe0f", "").replace("\ufe0e", "")
    letters = [char for char in text if char.isalpha()]
    if len(letters) > 1 and not any(char.islower() for char in letters):
        text = text.lower()
    return re.sub(r"[ \t]+", " ", text).strip()


#: For other modules: the same cleaning the rewrite does (apostrophes, emoji, all capitals).
clean_text = _clean


def _has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _strip_leading(tokens: list[_Tok], label: str | None = None) -> list[_Tok]:
    """Drop phrases with ``label`` (and stray punctuation) at the start, repeatedly."""
    while tokens:
        if not tokens[0].has_alnum:
            tokens = tokens[1:]
            continue
        length = _match_len(tokens, 0, label) if label else 0
        if not length:
            break
        tokens = tokens[length:]
    return tokens


# Sentence punctuation, which the draft supplies itself. Closing brackets, quotes and ">"
# stay: they belong to what the person wrote ("(again)", "<b>", a quote).
_TRAILING = set(".,;:!?…-–—~*/\\|") | {" "}


def _is_trailing(token: _Tok) -> bool:
    return not token.has_alnum and set(token.text) <= _TRAILING


def _strip_trailing_punctuation(tokens: list[_Tok]) -> list[_Tok]:
    while tokens and _is_trailing(tokens[-1]):
        tokens = tokens[:-1]
    return tokens


def _strip_dangling(tokens: list[_Tok], dangling: frozenset[str]) -> list[_Tok]:
    """A clause must not end on "and", "but", "when" or a comma."""
    while len(tokens) > 1 and (_is_trailing(tokens[-1]) or tokens[-1].low in dangling):
        tokens = tokens[:-1]
    return tokens


def _close_quote(tokens: list[_Tok]) -> list[_Tok]:
    """Put back the closing quote that trailing punctuation took: 'he said "no one"'.

    A quote mark opens a quotation when it follows a space (or starts the text) and the
    next word is attached to it.
    """
    opened: str | None = None
    for index, token in enumerate(tokens):
        if token.text not in ('"', "'"):
            continue
        attached_next = index + 1 < len(tokens) and not tokens[index + 1].pre
        if opened is None and (token.pre or index == 0) and attached_next:
            opened = token.text
        elif opened == token.text:
            opened = None
    if opened:
        return tokens + [_Tok(opened, "", -1, "", _NO_LABELS)]
    return tokens


def _attached(tokens: list[_Tok], index: int, forms: frozenset[str]) -> bool:
    """Whether ``tokens[index]`` is one of ``forms`` typed right onto the word before it."""
    return 0 < index < len(tokens) and not tokens[index].pre and tokens[index].low in forms


def _word_starts(tokens: list[_Tok]) -> list[int]:
    """Where each typed word starts: "did" "n't" is one word, "2" "am" is one word."""
    return [
        index
        for index, token in enumerate(tokens)
        if token.has_alnum and (index == 0 or token.pre or not tokens[index - 1].has_alnum)
    ]


# --- Finding the partner ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Partner:
    """Who the partner is: where the first reference starts, their pronouns, their name."""

    start: int
    family: str | None
    name: str | None


class _PartnerNoun(NamedTuple):
    """ "my boyfriend" or "my boyfriend Sam": tokens covered, pronoun family, name.

    ``bare_s``: typed without the apostrophe, "my husbands sister", "my bfs been".
    """

    length: int
    family: str | None
    name: str | None
    bare_s: bool = False


@dataclass(frozen=True)
class _Ref:
    """A partner reference found in the text, covering ``length`` tokens."""

    length: int
    kind: str  # "pronoun", "name", "noun" or "noun+s" ("my husbands sister")


def _is_s_form(token: _Tok) -> bool:
    """A word that could be a third-person -s verb: "texts", "goes", not "this" or "us"."""
    low = token.low
    return (
        len(low) > 2
        and low.isalpha()
        and low.endswith("s")
        and not low.endswith(("ss", "us"))
        and low not in _NOT_S_VERBS
    )


def _looks_like_verb(tokens: list[_Tok], index: int) -> bool:
    if index >= len(tokens) or not tokens[index].is_word:
        return False
    token = tokens[index]
    low = token.low
    if low in _VERBISH or _attached(tokens, index + 1, _NEGATIONS):
        return True
    if len(low) > 3 and low.endswith("ed"):
        return True
    return _is_s_form(token)


def _could_be_name(token: _Tok) -> bool:
    """A first name: a plain word that is not a common word, verb or person noun.

    A lower-case word ending in -s or -ed is accepted only when the lemmatizer does not
    read it as a plural or a past tense: "james", "ted" are names, "plans", "waited" not.
    Written with a capital ("Charles", "Ted") it is accepted either way.
    """
    if not _has_label(token, "NAME") or token.low.endswith("ing"):
        return False
    if token.text[0].isupper() or not token.low.endswith(("s", "ed")):
        return True
    return token.lemma == token.low


@lru_cache(maxsize=1)
def _inflected_words() -> frozenset:
    """Words English inflects (the lookup lemmatizer's lemmas: "take", "hour", "mark"),
    which names are not ("sam", "priya")."""
    lemmatizer: Any = get_nlp().get_pipe("lemmatizer")  # spaCy types it as a bare Pipe
    table = lemmatizer.lookups.get_table("lemma_lookup")
    return frozenset(str(value).lower() for value in table.values())


def _is_name_subject(tokens: list[_Tok], index: int) -> bool:
    """A name followed by a verb ("maya didn't", "sam never texts") or a clitic ("maya's")."""
    if index >= len(tokens) or not _could_be_name(tokens[index]):
        return False
    if _attached(tokens, index + 1, _CLITICS):
        return True
    position = index + 1
    while position < len(tokens) and tokens[position].low in _ADVERBS:
        position += 1
    return _looks_like_verb(tokens, position)


def _partner_noun_at(tokens: list[_Tok], index: int) -> _PartnerNoun | None:
    """ "my boyfriend", optionally followed by the partner's name, at ``index``.

    At the very start the "my" may be left out, if a verb follows ("bf didnt text").
    """
    if index == 0 and tokens and tokens[0].low in PARTNER_NOUNS:
        # Text-speak without "my" at the start: "bf didnt text back", "hubby forgot".
        after = 1
        while after < len(tokens) and tokens[after].low in _ADVERBS:
            after += 1
        if _attached(tokens, 1, _CLITICS) or _looks_like_verb(tokens, after):
            return _PartnerNoun(1, PARTNER_NOUNS[tokens[0].low], None)
        return None
    if _match_len(tokens, index, "PARTNER_NOUN_S") == 2:
        return _PartnerNoun(2, PARTNER_NOUNS[tokens[index + 1].low[:-1]], None, bare_s=True)
    if _match_len(tokens, index, "PARTNER_NOUN") != 2:
        return None
    family = PARTNER_NOUNS[tokens[index + 1].low]
    # a lower-case name needs a plain verb after it, not an -s word: "my gf take hours"
    # has no name in it, "my bf sam forgot" has
    nxt = tokens[index + 3] if index + 3 < len(tokens) else None
    named = index + 2 < len(tokens) and (
        tokens[index + 2].text[:1].isupper()
        or nxt is None
        or not _is_s_form(nxt)
        or _attached(tokens, index + 3, _CLITICS)
        or tokens[index + 2].low not in _inflected_words()
    )
    if named and _is_name_subject(tokens, index + 2):  # not "my girlfriend take hours"
        return _PartnerNoun(3, family, tokens[index + 2].low)
    return _PartnerNoun(2, family, None)


def _is_other_person(tokens: list[_Tok], index: int, partner: _Partner) -> bool:
    """Someone other than the partner: "his mom", "a coworker", "Jake" mid-sentence."""
    token = tokens[index]
    if token.low in _OTHER_PEOPLE:
        return True
    return (
        index > 0
        and token.text[0].isupper()
        and token.low.isalpha()
        and token.low not in ("i", partner.name)
        and token.low not in _NOT_NAMES
    )


def _find_partner(tokens: list[_Tok], known: str | None = None) -> _Partner | None:
    """The partner, from the first reference; None if there is none or "you" came first.
    ``known``: the partner's pronouns ("he"/"she") from the rest of the message, so that a
    sentence of its own with only another person's pronoun ("Saw it on her story." after "my
    boyfriend took his sister …") does not make that person the partner."""
    said = _quoted(tokens)  # "i texted 'i miss you' and she replied": quoted "you" is not
    first_you = next(
        (i for i, t in enumerate(tokens) if _has_label(t, "YOU") and not said[i]), len(tokens)
    )
    partner: _Partner | None = None
    for index in range(len(tokens)):
        noun = _partner_noun_at(tokens, index)
        if noun is not None:
            partner = _Partner(index, noun.family, noun.name)
            break
    if partner is None and _is_name_subject(tokens, 0):
        partner = _Partner(0, None, tokens[0].low)
    if partner is None:
        pronoun = next(
            (
                i
                for i, t in enumerate(tokens)
                if _has_label(t, "PRONOUN") and known in (None, PARTNER_PRONOUNS[t.low][0])
            ),
            None,
        )
        if pronoun is not None:
            partner = _Partner(pronoun, PARTNER_PRONOUNS[tokens[pronoun].low][0], None)
    if partner is None or first_you < partner.start:
        return None
    return partner


def _partner_refs(tokens: list[_Tok], known: str | None = None) -> dict[int, _Ref]:
    """Every partner reference in the sentence, by start index.

    A name or "my partner" leaves the pronoun family open; the first he/she/they after it
    fixes it, unless another person was mentioned first (then pronouns stay as written).
    """
    partner = _find_partner(tokens, known)
    if partner is None:
        return {}
    refs: dict[int, _Ref] = {}
    family, someone_else = partner.family or known, False
    # "my partner didn't come to my mum's party, said he had work" (messy round 34, spent):
    # "he" cannot be the mum, so it is the partner; another person of unknown or the same
    # gender keeps the pronouns as written
    others: set[str] = set()
    index = partner.start
    while index < len(tokens):
        token = tokens[index]
        noun = _partner_noun_at(tokens, index)
        if noun is not None:
            refs[index] = _Ref(noun.length, "noun+s" if noun.bare_s else "noun")
            index += noun.length
            continue
        if partner.name and token.low == partner.name:
            refs[index] = _Ref(1, "name")
        elif _has_label(token, "PRONOUN"):
            pronoun_family = PARTNER_PRONOUNS[token.low][0]
            if family is None and (
                not someone_else
                or (
                    pronoun_family != "they"
                    and others
                    and pronoun_family not in others
                    and "?" not in others
                )
            ):
                family = pronoun_family
            if pronoun_family == family:
                refs[index] = _Ref(1, "pronoun")
        elif _is_other_person(tokens, index, partner):
            someone_else = True
            others.add(_GENDERED.get(token.low, "?"))
        index += 1
    return refs


# The pronoun another person named by one of these words would have (others: unknown).
_GENDERED: dict[str, str] = {
    word: family for family, words in rewrite_vocabulary()["gendered"].items() for word in words
}


# --- Replacing references and agreeing verbs ---------------------------------------------------


class _Replacement(NamedTuple):
    """What a partner reference becomes (tokens to emit, tokens consumed), how the next
    verb agrees, and whether the partner is the subject of the clause from here on."""

    tokens: list[_Tok]
    consumed: int
    agreement: str
    is_subject: bool


def _meaning_of_s(tokens: list[_Tok], index: int, possessive_allowed: bool) -> str:
    """What "'s" stands for, judged from the words at ``index``: "has", "is" or "possessive".

    "he's been" -> has; "maya's late", "he's never home" -> is; "maya's phone" -> possessive
    (only names and nouns can be possessive; "he's" never is).
    """
    position = index
    # "he's not replied since friday" (messy round 30, spent): "not" before a participle
    # is "has not", before anything else "is not" ("he's not home")
    while position < len(tokens) and (
        tokens[position].low in _ADVERBS or tokens[position].low in ("not", "once")
    ):
        position += 1
    following = tokens[position] if position < len(tokens) else None
    skipped = position > index
    low = following.low if following is not None else ""
    after = tokens[position + 1].low if position + 1 < len(tokens) else ""
    if low in _HAVE_PARTICIPLES and not (low in _DONE_WITH and after == "with"):
        return "has"
    if (
        following is not None
        and _is_past_form(following)
        and (after in _OBJECT_STARTS or after.isdigit())
    ):
        return "has"  # "he's sent a few texts", but "he's tired of it"
    if (
        following is not None
        and _is_past_form(following)
        and any(token.low in ("never", "not") for token in tokens[index:position])
        and after not in _STATE_AFTER
    ):
        # "he's never once asked how my therapy is going" (messy round 35, spent)
        return "has"
    if not possessive_allowed or skipped or low in _IS_FOLLOWERS or low.endswith("ing"):
        return "is"
    return "possessive"


# After an adjective in -ed: "he's never tired of it", "not interested in", "not bothered
# about"
_STATE_AFTER = _listed("state_after") | {""}


def _is_past_form(token: _Tok) -> bool:
    """A past form by its lemma: "sent" (send), "ghosted" (ghost); not "texts", "going"."""
    low = token.low
    return low.isalpha() and token.lemma not in ("", low) and not low.endswith(("s", "ing"))


def _s_clitic(clitic: _Tok, meaning: str) -> _Tok:
    """ "'s" -> "'ve" / "'re"; the apostrophe-less "s" of "hes" -> "ve" / "re"."""
    ending = "ve" if meaning == "has" else "re"
    return _retext(clitic, ("'" if clitic.low.startswith("'") else "") + ending)


def _pronoun_replacement(tokens: list[_Tok], index: int) -> str:
    low = tokens[index].low
    replacement = PARTNER_PRONOUNS[low][1]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    ends_phrase = following is None or not following.has_alnum
    if low == "her":
        if not ends_phrase and (index == 0 or not tokens[index - 1].has_alnum):
            return "your"  # "Her last message was 'lol'": a sentence opens with whose
        after = tokens[index + 2] if index + 2 < len(tokens) else None
        if (
            following is not None
            and not ends_phrase
            and following.low in ("last", "first")
            and after is not None
            and after.is_word
            and after.low not in _TIME_AFTER_LAST
        ):
            return "your"  # "her last message", not "i texted her last night"
        is_object = (
            following is None
            or ends_phrase
            or following.low in _OBJECT_FOLLOWERS
            or following.text.isdigit()
        )
        return "you" if is_object else "your"
    if low == "his" and (
        following is None or ends_phrase or following.low in _STANDALONE_FOLLOWERS
    ):
        return "yours"
    return replacement


def _ref_replacement(tokens: list[_Tok], index: int, ref: _Ref) -> _Replacement:
    """The replacement for a reference, how the verb after it agrees, and if it is a subject.

    Agreement is ALL_VERBS after he/she and after a name or "my bf" that opens a clause;
    IRREGULAR_ONLY after a name elsewhere ("she said my husband was"), where a following
    -s word may be a noun ("I called Maya lots"); NO_AGREEMENT after objects and after
    clitics, which are the verb already ("he's", "maya'll").
    """
    start = tokens[index]
    after = index + ref.length
    has_clitic = _attached(tokens, after, _CLITICS)
    you = _retext(start, "you")
    if ref.kind == "pronoun":
        low = start.low
        if low in _SUBJECT_PRONOUNS and has_clitic:
            clitic = tokens[after]
            if clitic.low in _S_CLITICS:
                meaning = _meaning_of_s(tokens, after + 1, possessive_allowed=False)
                clitic = _s_clitic(clitic, meaning)
            return _Replacement([you, clitic], 2, NO_AGREEMENT, True)
        agreement = ALL_VERBS if low in _SINGULAR_SUBJECTS else NO_AGREEMENT
        text = _pronoun_replacement(tokens, index)
        return _Replacement([_retext(start, text)], 1, agreement, low in _SUBJECT_PRONOUNS)
    if ref.kind == "noun+s":
        meaning = _meaning_of_s(tokens, after, possessive_allowed=True)
        text = {"has": "youve", "is": "youre", "possessive": "your"}[meaning]
        return _Replacement([_retext(start, text)], ref.length, NO_AGREEMENT, text != "your")
    if has_clitic and tokens[after].low in _S_CLITICS:
        meaning = _meaning_of_s(tokens, after + 1, possessive_allowed=True)
        if meaning == "possessive":
            return _Replacement([_retext(start, "your")], ref.length + 1, NO_AGREEMENT, False)
        return _Replacement(
            [you, _s_clitic(tokens[after], meaning)], ref.length + 1, NO_AGREEMENT, True
        )
    if has_clitic:
        return _Replacement([you, tokens[after]], ref.length + 1, NO_AGREEMENT, True)
    previous = tokens[index - 1].low if index > 0 else ","
    if previous in _CLAUSE_OPENERS:
        return _Replacement([you], ref.length, ALL_VERBS, True)
    if tokens[index - 1].is_word and not _takes_object(tokens, index - 1):
        # "whenever i bring it up my partner says": after a word that is neither a verb
        # nor a preposition, the reference starts a clause.
        return _Replacement([you], ref.length, ALL_VERBS, True)
    return _Replacement([you], ref.length, IRREGULAR_ONLY, False)


def _takes_object(tokens: list[_Tok], index: int) -> bool:
    """A verb or preposition, after which a name or "my bf" is an object."""
    token = tokens[index]
    if token.low in _PREPOSITIONS or _looks_like_verb(tokens, index):
        return True
    return token.lemma not in ("", token.low) or not token.low.isalpha()


def _s_verb_base(token: _Tok) -> str:
    """The form that agrees with "you": the lemma ("goes" -> "go", "tries" -> "try").

    The lookup lemmatizer knows no parts of speech, so its lemma is used only when it is
    the -s form without its ending ("leaves" -> "leave", not the noun "leaf"); words it
    does not know ("facetimes") lose the ending by rule.
    """
    low, lemma = token.low, token.lemma
    candidates = {low[:-1]}
    if low.endswith("es"):
        candidates.add(low[:-2])
    if low.endswith("ies"):
        candidates.add(low[:-3] + "y")
    if lemma in candidates:
        return lemma
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zzes", "oes")):
        return low[:-2]
    return low[:-1]


def _agree(token: _Tok, agreement: str) -> _Tok:
    """Make a verb agree with "you": is -> are, does -> do, texts -> text, tries -> try."""
    low = token.low
    if low in AGREEMENT:
        return _retext(token, _match_case(token.text, AGREEMENT[low]))
    if agreement != ALL_VERBS or not _is_s_form(token):
        return token
    return _retext(token, _match_case(token.text, _s_verb_base(token)))


def _normalise_i(tokens: list[_Tok], index: int) -> _Tok:
    """Lower-case "i" (also in "i'm", "i've") becomes "I"; "im", "ive" are typos we keep."""
    token = tokens[index]
    if token.text != "i":
        return token
    follows = tokens[index + 1] if index + 1 < len(tokens) else None
    typo = follows is not None and not follows.pre and follows.low in _CLITICS
    if follows is not None and typo and not follows.low.startswith("'"):
        return token
    return _retext(token, "I")


def _invert(out: list[_Tok]) -> bool:
    """ "why does he" / "doesn't she": the auxiliary before a partner subject agrees.

    Only right at the start or after a question word, so "the problem is he" stays.
    """
    position = len(out) - 1
    if position > 0 and not out[position].pre and out[position].low in _NEGATIONS:
        position -= 1
    if position < 0 or out[position].low not in AGREEMENT:
        return False
    if position > 0 and out[position - 1].low not in _QUESTION_WORDS:
        return False
    auxiliary = out[position]
    out[position] = _retext(auxiliary, _match_case(auxiliary.text, AGREEMENT[auxiliary.low]))
    return True


def _is_own_object(tokens: list[_Tok], index: int, ref: _Ref) -> bool:
    """An object pronoun in a clause whose subject is the partner.

    "she spent all night with her": were "her" the partner, English would say "herself",
    so it is someone else and stays.
    """
    if ref.kind != "pronoun":
        return False
    low = tokens[index].low
    return low in ("him", "them") or (low == "her" and _pronoun_replacement(tokens, index) == "you")


def _after_coordinator(out: list[_Tok]) -> int:
    """Position of the "and"/"or"/"but" that ``out`` ends with, adverbs after it allowed
    ("and then pulls away", "and also goes"); -1 if it does not end with one."""
    position = len(out) - 1
    while position > 0 and out[position].low in _ADVERBS:
        position -= 1
    return position if position > 0 and out[position].low in _COORDINATORS else -1


# -s words that end a clause as verbs, never as plural nouns ("and goes", "and leaves").
_ONLY_VERBS_AT_END = _listed("only_verbs_at_end")


def _coordinated_s_verb(tokens: list[_Tok], index: int, out: list[_Tok]) -> bool:
    """A present-tense verb joined to the partner's by "and"/"or"/"but".

    "he never hugs me or says anything" -> "or say"; "he plays games and watches tv" ->
    "and watch". The -s word must be followed by what it does: "my calls and texts" (end)
    and "his dog and cats more than me" stay nouns.
    """
    if _after_coordinator(out) < 0 or not _is_s_form(tokens[index]):
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None or not following.is_word:  # "grabs his keys and goes": a verb
        return tokens[index].low in _ONLY_VERBS_AT_END
    return (
        following is not None
        and following.is_word
        and following.pre != ""
        and following.low not in _NOUN_LIST_FOLLOWERS
    )


def _time_determiner(tokens: list[_Tok], index: int) -> bool:
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return (
        tokens[index].low in ("this", "that")
        and following is not None
        and following.low in TIME_NOUNS
    )  # "this week": a time, not a new subject


def _rewrite(tokens: list[_Tok], known: str | None = None) -> list[_Tok]:
    """Replace partner references and make verbs agree (module docstring, step 5).

    ``agreement``: the last reference was a subject, so the next verb (after adverbs)
    agrees. ``partner_clause``: the partner is still the subject, so an irregular verb
    right after "and"/"but"/"or" agrees too ("he forgot and was annoyed"), and so does a
    present-tense -s verb once the clause is in the present (see _coordinated_s_verb).
    ``own_clause``: the partner is the subject and no "me", "I" or subordinator came
    since (or a new verb joined by "and" began), so an object pronoun of theirs is
    someone else (see _is_own_object).
    """
    refs = _partner_refs(tokens, known)
    out: list[_Tok] = []
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
            out.extend(replacement.tokens)
            partner_clause = partner_clause or replacement.is_subject
            own_clause = own_clause or replacement.is_subject
            # "he's texting" -> "you're texting": the clause is in the present
            present = present or (
                replacement.is_subject
                and any(t.low in ("'re", "re", "are") for t in replacement.tokens[1:])
            )
            index += replacement.consumed
            continue
        coordinated = partner_clause and _after_coordinator(out) >= 0
        if agreement != NO_AGREEMENT and token.low in _ADVERBS:
            out.append(token)
        elif agreement != NO_AGREEMENT:
            agreed = _agree(token, agreement)
            present = present or (agreed.text != token.text and token.low not in _PAST_FORMS)
            out.append(agreed)
            agreement = NO_AGREEMENT
        elif coordinated and token.low in AGREEMENT:
            out.append(_agree(token, IRREGULAR_ONLY))
        elif partner_clause and present and _coordinated_s_verb(tokens, index, out):
            out.append(_agree(token, ALL_VERBS))
        else:
            # a subject starts someone else's clause; an object does not ("he texts her a
            # lot and turns the screen away": still his, messy round 31, spent)
            if (
                token.low in _OTHER_SUBJECTS
                or _has_label(token, "PRONOUN")
                and token.low in _SUBJECT_PRONOUNS
            ) and not _time_determiner(tokens, index):
                partner_clause = present = False
            if token.low in _OWN_CLAUSE_ENDS or token.low in _OTHER_SUBJECTS:
                own_clause = False
            elif token.low in _SUBJECT_PRONOUNS:
                own_clause = False  # someone else's "she": "and she kept texting him"
            if token.low in _COORDINATORS and partner_clause:
                own_clause = True  # "she ignored me and talked to her": a new verb, same subject
            out.append(_normalise_i(tokens, index))
        index += 1
    return out


# --- Choosing and trimming the observation ------------------------------------------------------


def _mentions_partner(tokens: list[_Tok]) -> bool:
    return bool(_partner_refs(tokens)) or any(_has_label(t, "YOU") for t in tokens)


_QUOTE_MARKS = frozenset("'\"‘’“”")


def _quoted(tokens: list[_Tok]) -> list[bool]:
    """For each token, whether it sits between a pair of quote marks (what was said)."""
    marks = [index for index, t in enumerate(tokens) if t.text in _QUOTE_MARKS]
    inside = [False] * len(tokens)
    for start, end in zip(marks[::2], marks[1::2]):
        for index in range(start + 1, end):
            inside[index] = True
    return inside


def _drop_interjections(tokens: list[_Tok]) -> list[_Tok]:
    """Without "lol", "ugh" ...; but never inside quotes: she replied 'haha' keeps it."""
    inside = _quoted(tokens)
    return [t for t, said in zip(tokens, inside) if said or not _has_label(t, "INTERJECTION")]


def _is_boundary(token: _Tok, boundaries: frozenset[str]) -> bool:
    """A clause boundary; a dash counts only with a space before it, not in "heads-up"."""
    return token.low in boundaries and (token.is_word or token.low == "," or bool(token.pre))


def _segment(tokens: list[_Tok]) -> list[_Tok]:
    """The tokens up to the next clause boundary."""
    for index in range(1, len(tokens)):
        if _is_boundary(tokens[index], _SEGMENT_ENDS):
            return tokens[:index]
    return tokens


def _is_help(tokens: list[_Tok]) -> bool:
    length = _match_len(tokens, 0, "HELP")
    return bool(length) and not any(t.has_alnum for t in tokens[length:])


def _is_reaction(tail: list[_Tok], after_boundary: bool = True) -> bool:
    """Whether what follows is the person's reaction rather than more of what happened.

    It must open as the person's own ("i'm", "it", "that", "my heart") or with a
    reaction word, and the stretch up to the next boundary must carry the reaction:
    "and im freaking out" is one, "and its been 4 hours" is not. An opener with nothing
    but softeners before the boundary ("and i'm just, like, freaking out") borrows the
    reaction that follows. After a boundary, the person's inner talk ("and i know it's
    dumb") and a stretch that says how something made them feel ("but the distance makes
    me feel …") count too.
    """
    while tail and tail[0].low in _SOFTENERS:
        tail = tail[1:]
    if not tail:
        return False
    if _match_len(tail, 0, "ALWAYS_CUT") or _is_help(tail):
        return True
    if after_boundary and _match_len(tail, 0, "INNER"):
        return True
    segment = _segment(tail)
    if after_boundary and _says_how_i_felt(segment):
        return True
    opener = _match_len(tail, 0, "SELF_OPENER")
    if not opener and tail[0].low not in _REACTION_WORDS:
        return False
    if _carries_reaction(segment):
        return True
    only_softeners = all(t.low in _SOFTENERS or not t.has_alnum for t in segment[opener:])
    return opener > 0 and only_softeners and len(segment) < len(tail) and _carries_reaction(tail)


def _says_how_i_felt(tokens: list[_Tok]) -> bool:
    """ "makes me feel", "made me feel": a stretch about what made the person feel."""
    return any(
        tokens[index].low in _FEEL_WORDS and tokens[index - 1].low == "me"
        for index in range(1, len(tokens))
    )


_FEEL_WORDS = _listed("feel_words")


def _carries_reaction(tokens: list[_Tok]) -> bool:
    # "i texted 'i miss you'": quoted words are what was said, not how the person feels
    tokens = [t for t, said in zip(tokens, _quoted(tokens)) if not said]
    if any(t.low in _REACTION_WORDS for t in tokens):
        return True
    return read_feeling(_join(tokens)).canonical is not None


def _cut_reaction(tokens: list[_Tok]) -> list[_Tok]:
    """Drop a trailing reaction: ", and i'm freaking out", "and it hurts", "idk what to do"."""
    words = 0
    quoted = False  # "keeps saying 'idk whatever you want'": their words, not a reaction
    for index, token in enumerate(tokens):
        if token.text in ("'", '"') and (token.pre or quoted):
            quoted = not quoted
            continue
        if words >= MIN_WORDS_BEFORE_REACTION and not quoted:
            rest = tokens[index:]
            # "every weekend now and i'm …": the cut is at "and", and "now" stays.
            softener_first = (
                token.low in _SOFTENERS and len(rest) > 1 and _is_boundary(rest[1], _BOUNDARIES)
            )
            at_boundary = (
                _is_boundary(token, _BOUNDARIES) and not softener_first and _is_reaction(rest[1:])
            )
            bare = (
                bool(_match_len(rest, 0, "ALWAYS_CUT") or _match_len(rest, 0, "BARE_OPENER"))
                and tokens[index - 1].low not in _CONTINUERS
                and _is_reaction(rest, after_boundary=False)
            )
            pleading = _is_help(rest) and rest[0].low in _PLEAS
            if at_boundary or bare or pleading:
                return _without_leaning_stretch(tokens[:index]) if bare else tokens[:index]
        if token.is_word and (token.pre or index == 0):
            words += 1
    return tokens


def _without_leaning_stretch(tokens: list[_Tok]) -> list[_Tok]:
    """ "… and when youre gone" (before a cut "i feel so untethered") -> "…"."""
    for index in range(len(tokens) - 1, 0, -1):
        if _is_boundary(tokens[index], _SEGMENT_ENDS):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            leaning = following is not None and (
                following.low in _SUBORDINATORS or _match_len(tokens, index + 1, "EVERY_TIME")
            )
            return tokens[:index] if leaning else tokens
    return tokens


def _drop_leading_reaction(tokens: list[_Tok]) -> list[_Tok]:
    """ "i'm so scared, he hasn't texted" -> "he hasn't texted" (the feeling goes in "I felt")."""
    if not _match_len(tokens, 0, "SELF_OPENER"):
        return tokens
    for index in range(1, len(tokens)):
        if _is_boundary(tokens[index], _LEADING_REACTION_ENDS):
            rest = _strip_leading(tokens[index + 1 :], "FILLER")
            if _carries_reaction(tokens[:index]) and rest and _mentions_partner(rest):
                return rest
            return tokens
    return tokens


_SUBJECTS_AFTER_TIME = _words("you i we u")


def _move_time_phrase(tokens: list[_Tok]) -> list[_Tok]:
    """ "last night you didn't call" -> "you didn't call last night"."""
    length = _match_len(tokens, 0, "TIME")
    if not length or len(tokens) <= length:
        return tokens
    moved, rest = tokens[:length], _strip_leading(tokens[length:])
    if not rest or not (rest[0].low in _SUBJECTS_AFTER_TIME or _is_name_subject(rest, 0)):
        return tokens  # "last night after our fight you said …" reads right as it is
    first = moved[0]
    moved = [_Tok(first.low, " ", first.i, first.lemma, first.m)] + moved[1:]
    second = _second_act(rest)
    if second:  # "last night you got home at 1 and this morning you left …": the first act's
        return rest[:second] + moved + rest[second:]
    return rest + moved


_QUOTE_MARKS = frozenset("' \" \u2018 \u2019 \u201c \u201d".split())
_SECOND_ACT_OPENS = _words(
    "you i we this then that didn't didnt did never just still was were had wasn't hadn't"
)


def _second_act(tokens: list[_Tok]) -> int:
    """Where a second act starts after "and" (", and this morning you left", "and didn't
    say a word"), outside quotes; 0 when there is none. A list of things ("chips and
    salsa") is no second act."""
    quotes = 0
    for at, token in enumerate(tokens):
        if token.text in _QUOTE_MARKS:
            quotes += 1
        if token.low != "and" or quotes % 2 or at < 2 or at + 1 >= len(tokens):
            continue
        after = tokens[at + 1]
        if tokens[at - 1].low == "came" and after.low == "went":
            continue  # "8 came and went": one thing said
        if after.low in _SECOND_ACT_OPENS or (after.lemma and after.lemma != after.low):
            return at - 1 if tokens[at - 1].text == "," else at
    return 0


def _cap_length(tokens: list[_Tok], limit: int) -> list[_Tok]:
    """Keep at most ``limit`` words, cutting at the last clause boundary inside the limit."""
    word_positions = _word_starts(tokens)
    if len(word_positions) <= limit:
        return tokens
    end = word_positions[limit]
    boundaries = [
        i
        for i in range(word_positions[MIN_CLAUSE_WORDS], end + 1)
        if _is_boundary(tokens[i], _CUT_POINTS)
    ]
    return tokens[: boundaries[-1]] if boundaries else tokens[:end]


def _lower_first(tokens: list[_Tok]) -> list[_Tok]:
    """The clause follows "When", so its first word is lower-case unless it is I or a name."""
    if not tokens:
        return tokens
    first = tokens[0]
    if first.text == "I" or _is_name_subject(tokens, 0) or first.text == first.low:
        return tokens
    return [_Tok(first.low, first.pre, first.i, first.lemma, first.m)] + tokens[1:]


def _drop_leading_when(tokens: list[_Tok]) -> list[_Tok]:
    """ "When you didn't text me" was already a draft opening: keep the clause only."""
    if len(tokens) > 1 and tokens[0].low == "when" and _has_label(tokens[1], "YOU"):
        return tokens[1:]
    return tokens


def _choose_sentence(sentences: list[list[_Tok]]) -> list[_Tok]:
    """The first sentence that mentions the partner, else the first with any words."""
    candidates = []
    for sentence in sentences:
        tokens = _strip_leading(_drop_interjections(sentence), "FILLER")
        tokens = _drop_leading_when(_drop_leading_reaction(tokens))
        if any(t.is_word for t in tokens):
            candidates.append(tokens)
    first = candidates[0] if candidates else []
    return next((c for c in candidates if _mentions_partner(c)), first)


def _second_person(text: str, max_words: int, known: str | None = None) -> str:
    cleaned = _clean(text)
    sentences = _parse(cleaned)
    tokens = _choose_sentence(sentences)
    tokens = _strip_trailing_punctuation(tokens)
    cut = _cut_reaction(tokens)
    tokens = _strip_dangling(cut, _DANGLING if len(cut) < len(tokens) else _LEFT_HANGING)
    tokens = _lower_first(_move_time_phrase(_rewrite(tokens, known)))
    capped = _cap_length(tokens, max_words)
    tokens = _strip_dangling(capped, _DANGLING) if len(capped) < len(tokens) else capped
    tokens = _close_quote(_strip_trailing_punctuation(tokens))
    clause = _join(tokens)
    if _has_letters(clause):
        return clause
    if not _has_letters(cleaned):
        return ""
    fallback = _join(_strip_trailing_punctuation(_cap_length(_tokens(cleaned), max_words)))
    return fallback if _has_letters(fallback) else cleaned


def to_second_person(text: str, known: str | None = None) -> str:
    """The clause that follows "When" in a draft, spoken to the partner.

    "Maya didn't text me when she got to the airport" ->
    "you didn't text me when you got to the airport". The clause includes its subject, so
    the draft is "When " + clause. See the module docstring for the rules. ``known``: the
    partner's pronouns from the whole message (:func:`partner_pronouns`), for one of its
    sentences turned on its own.
    """
    return _second_person(text, MAX_CLAUSE_WORDS, known)


@lru_cache(maxsize=256)
def partner_pronouns(text: str) -> str | None:
    """ "he" or "she" when the message tells the partner's pronouns: the first word for the
    partner outside quotes ("my boyfriend …", "she left me on read"; after "my partner", the
    first pronoun); None when it does not, or they are "they". Read with patterns, not the
    parser: it is asked of every message and of each kept sentence."""
    unquoted = QUOTED.sub(" ", text.replace("\u2019", "'"))
    noun = _PARTNER_NOUN_AT.search(unquoted)
    pronoun = _PRONOUN_AT.search(unquoted)
    if noun and (pronoun is None or noun.start() < pronoun.start()):
        family = PARTNER_NOUNS.get(noun.group("noun").lower())
        if family is None:
            after = _PRONOUN_AT.search(unquoted, noun.end())
            family = _family_of(after.group(1)) if after else None
    else:
        family = _family_of(pronoun.group(1)) if pronoun else None
    return family if family in ("he", "she") else None


def _family_of(pronoun: str) -> str:
    word = pronoun.lower()
    return PARTNER_PRONOUNS[word[:-1] if word in ("hes", "shes", "hed") else word][0]


_PARTNER_NOUN_AT = re.compile(
    # "my bf", or "bf forgot" opening a sentence: not another's ("my friend's husband")
    r"(?:\b(?:my|our|ur|your)\s+|(?:^|(?<=[.!?\n]))[\W_]*?(?:the\s+)?)(?P<noun>"
    + "|".join(sorted(map(re.escape, PARTNER_NOUNS), key=len, reverse=True))
    + r")\b",
    re.I,
)
_PRONOUN_AT = re.compile(
    r"\b(he|him|his|himself|she|her|hers|herself|they|them|their|theirs|hes|shes|hed)\b",
    re.I,
)


# --- The draft ----------------------------------------------------------------------------------

# After "what if you": forms that already carry their tense or mood.
_NOT_PLAIN_VERBS = _listed("not_plain_verbs")
_GENERIC_FEAR_STARTS = _listed("generic_fear_starts")
# The old fear of being left, in the brief's words; "abandoned" names what someone did.
FEAR_OF_BEING_LEFT = "being left"
_ABANDONMENT = {tuple(phrase.split()) for phrase in _phrases("abandonment")}
_QUESTION_STARTS = _listed("question_starts")
_NOUN_REQUEST_STARTS = _listed("noun_request_starts")
# Needs that read naturally with "some": "some reassurance", "some time together".
_MASS_NEEDS = _listed("mass_needs")


def _given(value: str | None) -> TypeGuard[str]:
    return bool(value and value.strip() and value.strip().lower() != SKIPPED)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lead_stripped(text: str, label: str) -> tuple[str, bool]:
    """Strip leading phrases with ``label``; also say whether "what if" was among them."""
    tokens = _strip_leading(_drop_interjections(_tokens(_clean(text))), "FILLER")
    saw_what_if = False
    while tokens:
        length = _match_len(tokens, 0, label)
        if not length:
            break
        saw_what_if = saw_what_if or [t.low for t in tokens[:length]] == ["what", "if"]
        tokens = _strip_leading(tokens[length:])
    return _join(tokens), saw_what_if


def _generic_fear(fear: str) -> str | None:
    """A fear that is a thing, not a story, as the words after "an old fear of".

    "of being abandoned" -> "being left"; "losing him" -> "losing you";
    "him leaving me" -> "you leaving me"; "he'll leave me" -> None (a story).
    """
    tokens = _tokens(fear)
    lead = _match_len(tokens, 0, "GENERIC_FEAR_LEAD")
    tokens = _strip_trailing_punctuation(tokens[lead:])
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


def fear_part(fear: str | None) -> str:
    """ ", and an old fear came up that you're losing interest in me" (or "of being left")."""
    clause = fear_clause(fear)
    if clause.startswith("of "):
        return f", and an old fear {clause} came up"
    return f", and an old fear came up {clause}" if clause else ""


def fear_clause(fear: str | None) -> str:
    """The fear turned to the partner: "that you're losing interest in me", or "of being
    left" for a fear said generically; "" when there is none in words (also said now, in
    the moment: bot/moment.py)."""
    if not _given(fear):
        return ""
    stripped, saw_what_if = _lead_stripped(fear, "FEAR_LEAD")
    generic = _generic_fear(stripped)
    if generic:
        return f"of {generic}"
    clause = _second_person(stripped, MAX_FEAR_WORDS)
    if not clause:
        return ""
    if saw_what_if:
        clause = _will_after_what_if(clause)
    return f"that {clause}"


def _request_sentence(request: str) -> str:
    """A question the partner can say yes or no to; a request already asked is kept."""
    cleaned = _clean(request)
    first_word = next((t.low for t in _tokens(cleaned) if t.is_word), "")
    is_question = cleaned.rstrip().endswith("?") or first_word in _QUESTION_STARTS
    clause = _second_person(cleaned, MAX_REQUEST_WORDS)
    if is_question:
        return _capitalise(clause) + "?"
    action, _ = _lead_stripped(clause, "REQUEST_LEAD")
    action = action or clause
    if action.split(" ")[0].lower() in _NOUN_REQUEST_STARTS:
        action = "give me " + action
    return f"Would you be willing to {action}?"


def _need_sentence(need: str) -> str:
    """ "reassurance" -> "What would help me is some reassurance." """
    clause = _second_person(need, MAX_REQUEST_WORDS)
    stripped, _ = _lead_stripped(clause, "NEED_LEAD")
    stripped = stripped or clause
    if stripped.split(" ")[0].lower() in _MASS_NEEDS:
        stripped = "some " + stripped
    return f"What would help me is {stripped}."


def _confirmed(observation: str) -> str:
    """The person's confirmed observation as the words after "When": kept exactly, less a
    "When" they typed themselves and the full stop at its end."""
    text = " ".join(observation.split()).rstrip(" .!,;")
    return re.sub(r"^when\s+", "", text, flags=re.I)


def compose_draft(
    situation: str,
    feeling: str,
    fear: str | None = None,
    need: str | None = None,
    request: str | None = None,
    observation: str | None = None,
) -> str:
    """The "When you …, I felt …" message, short enough to read on a phone.

    The situation keeps the person's words, turned to "you"; the feeling is theirs, in
    "I felt …" (pass a feeling already checked with ``read_feeling``); the fear, need and
    request are optional (None, "" or SKIPPED leave them out). A request wins over a need:
    a concrete ask says more than a general one, and one ask is enough.

    ``observation``: what happened as the person confirmed it (``bot.language.observation``
    proposed it, or they put it their way): used exactly as given after "When", instead of
    the situation turned to "you".

    A situation with no words (empty, only an emoji) leaves the draft starting at
    "I felt …" rather than inventing what happened. A feeling with no words raises
    ValueError: "I felt" needs the person's word, and no word can stand in for it here.
    """
    felt = feeling_phrase(feeling)
    if not _has_letters(felt):
        raise ValueError("a draft needs a feeling word")
    clause = _confirmed(observation) if _given(observation) else to_second_person(situation)
    opening = f"When {clause}, I felt {felt}" if clause else f"I felt {felt}"
    sentences = [f"{opening}{fear_part(fear)}."]
    if _given(request):
        sentences.append(_request_sentence(request))
    elif _given(need):
        sentences.append(_need_sentence(need))
    return " ".join(sentences)
