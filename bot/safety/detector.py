"""Crisis and abuse detection for Steady: a rule layer on lemmas, with the NLU as a second voice.

``assess(text, intent=None, confidence=0.0)`` returns a :class:`SafetyFinding` with the risk
(``none``, ``crisis`` or ``abuse``), the short name of the cue that fired and the matched
text. It is called on every message, whatever the conversation is doing, so it has to be
fast (well under a millisecond for a phone-sized message after warm-up) and must never raise.

How a message is read
---------------------
1. The shared pipeline (``bot.language.nlp.get_nlp``: tokenizer + lookup lemmatizer)
   tokenizes the lower-cased text. Every token then gets a *normal form* in ``Token.norm_``:
   its lemma, with text-speak and typos mapped onto the word they stand for ("wanna" ->
   want, "kil" -> kill, "sucide"/"suicidal" -> suicide, "unaliving" -> unalive, "kms",
   "o.d." -> overdose, "dieeee" -> die, "dying" -> die ...). Typos of the key words are
   generated once (one deletion, swap, substitution or insertion), except where the typo is
   itself an English word ("ill" is not "kill").
2. spaCy ``Matcher`` s built once per process (one per pattern, each skipped unless the
   message contains the words the pattern requires) match general lemma patterns ("want/wish/
   hope (to) die", "kill/hurt/cut myself", "take <a quantity of> pills", "<person> hit/
   slap/push me", "go through / read my phone / texts", "won't let me see my friends",
   "threaten to post my pics" ...). Each pattern belongs to a *cue* with a risk.
3. Each match is checked:
   * Negation. A negator (not, n't, never, "no intention/plan/desire ...") in the same
     clause, at most five tokens before the match, cancels it: "I'm not going to hurt
     myself", "i would never kill myself", "i'm not suicidal", "he's never hit me". The
     look-back stops at punctuation, at "but/and/so/because/though" and at a subject pronoun
     (a negator belongs to its own clause). Not negations: "can't stop", "didn't mean to",
     "not joking", "not okay", and anything followed by "yet" ("i haven't killed myself
     yet"). Phrases whose negation *is* the meaning are patterns of their own: "don't want
     to live / be here anymore / wake up", "can't go on", "no reason to live", "never wake
     up", "life isn't worth living", "won't let me see my friends".
   * Cue-specific checks that keep figures of speech out: "hit me up", "it hit me", "she
     hit the gym"; "pushed me away" (emotional distance) and "pushed me to talk to someone";
     "grabbed me a coffee"; "beat me at mario kart"; "die of embarrassment/cringe";
     "disappear for a while"; "end things with him"; "threatened to break up with me";
     "he checked *his* phone" (only *my* phone, by someone other than me, counts); "scared
     of him leaving" (fear of being left, not of the partner); "od" only where it can mean
     an overdose.
4. Crisis outranks abuse: if cues of both kinds fire, the finding is ``crisis``.

Deliberate decisions (the development set documents each with a comment)
-----------------------------------------------------------------------
* Figures of speech are ordinary: "this is killing me", "he's killing me with these late
  nights", "i'm dying to see him", "i could kill him for forgetting lol", "i'd rather die
  than text him first", "i could die of embarrassment", "the death of me", "i'm dead 💀",
  "i feel like i'm going to die if he doesn't answer" (panic, not a wish).
* Ordinary, not abuse: "she hit the gym", "he checked his phone all through dinner", "he
  controls the tv remote", "i'm scared he's losing interest / she'll leave me", the person's
  *own* checking ("i check his location"), "threatened to break up with me" / "said he'd
  block me" (painful, not a threat of harm), "he really hurt me when he forgot my birthday"
  (feelings). A bare "he hurt me" is left to the NLU.
* Ordinary, not crisis: "end things with him" and "i can't do this anymore" (in this product
  these are overwhelmingly about the relationship), "disappear for a while", "took my meds".
  Crisis: "can't go on", "end it all", "end my life", "want to disappear" with no "for a
  while", "better off without me" (even about the partner: perceived burdensomeness),
  "kill myself" even with "lol" (never treated as a joke).
* "kys" ("kill yourself") is an insult aimed at someone else and is not a crisis cue on its
  own; "he told me to kill myself" is crisis (it contains "kill myself").
* Being scared *of the partner* or of the partner's *reaction* ("scared of him", "afraid of
  what he'll do", "scared of how he'll react", "walking on eggshells") is abuse, as the
  brief asks; being scared of *losing* the partner, of "his answer", or nervous about "how
  he'll take the message" is the anxious story and stays ordinary.
* "he'll kill me if ..." is a threat when said of a partner ("he/she/they/my bf ...") and
  the message does not laugh (lol, haha, 😂, jk); "my mom would kill me if she knew" is not.
  Laughter does not cancel anything else: "kill myself lol" and "he hit me lol" still fire.
* Someone else's overdose or suicide told as news ("my friend overdosed last year", "his mom
  died by suicide") is not a crisis cue; the person's own ("i attempted suicide") is.
* "scared he'll be mad", "he gets jealous when i talk to other guys", "he wants to know who
  i'm texting" stay ordinary (anxious-attachment material, and no fear of the partner or
  demand is stated); "demands to know where i am", "wants to know where i am at all times",
  "he scares me", "he gets scary when he drinks" are abuse.
* Classes added after the first held-out set (its items are now in the development set):
  "what's the point of me being alive", "don't think i want to be alive", "done living" (not
  "done living my life around him"); hoarding pills ("stockpiling / saving up / a stash of
  pills", not "collect my meds from the pharmacy"); "take everything in the medicine cabinet";
  a blade in the bath (not when shaving); driving / swerving into a wall, tree or traffic
  (not "almost", not someone else's past accident; "i could drive into a wall lol" is
  crisis, like "kill myself lol"); "end it" + a time word ("tonight i'm going to end it"),
  unless the message names the relationship or another thing being ended ("end it with him
  tonight"). Abuse: a partner breaking / splitting a body part or smashing something over
  it; reading every message on my phone / laptop; a hidden camera, spyware or tracker put in
  my things or our bedroom/bathroom (not a pet camera in the kitchen); keeping my bank card,
  an allowance ("gives me £20 a week", not a kiss a day, not a parent); obligation or
  else the partner's rage ("... or he loses it", "if i don't answer he goes ballistic",
  not with a laugh); not being able / being scared to say no *about sex* (fear of saying no
  to moving in stays ordinary). "he reads my texts over my shoulder and laughs" is abuse.

Combining with the NLU (intent ``crisis`` / ``abuse`` and its confidence)
------------------------------------------------------------------------
* A rule that fires decides on its own, whatever the NLU said.
* When no rule fires, the NLU's ``crisis`` or ``abuse`` intent fires on its own only if
  ``confidence >= 0.8`` AND the message is not negated (no cue was cancelled by a negation
  and there is no "i'm not suicidal", "i'm safe", "not in danger"...) AND the message does
  not contain a known figure of speech or ordinary reading ("killing me", "dying to", "hit
  the gym", "checked his phone", "scared he's losing interest" ...). The finding's cue is
  then ``nlu_crisis`` / ``nlu_abuse`` and ``matched`` is the (trimmed) message.
* Anything else is ``Risk.none``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import product
from typing import Callable, Iterable, Optional

from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot.language.nlp import get_nlp
from bot.timing import median_ms

__all__ = ["Risk", "SafetyFinding", "assess", "NLU_THRESHOLD", "benchmark", "warm_up"]

#: The NLU alone must be at least this confident to raise a crisis/abuse finding.
NLU_THRESHOLD = 0.8


class Risk(str, Enum):
    none = "none"
    crisis = "crisis"
    abuse = "abuse"


@dataclass(frozen=True)
class SafetyFinding:
    risk: Risk
    cue: str = ""  # short name of the pattern that fired, e.g. "suicidal_ideation", "hitting"
    matched: str = ""  # the matched text span

    def __bool__(self) -> bool:  # a finding is "truthy" when there is a risk
        return self.risk is not Risk.none


NO_RISK = SafetyFinding(Risk.none)

# ---------------------------------------------------------------------------------------------
# Normal forms
# ---------------------------------------------------------------------------------------------

# Text-speak, contractions without apostrophes and lemmatizer quirks -> the normal form the
# patterns use. Keys are lower-case token texts (looked up before the lemma).
_CANON: dict[str, str] = {
    # lemmatizer quirks
    "dying": "die", "dyin": "die", "diein": "die", "dieing": "die",
    "better": "better", "more": "more", "bit": "bit", "does": "do", "doe": "do",
    "gone": "gone", "'s": "be", "wo": "will", "ca": "can", "ai": "be", "re": "be",
    "born": "born", "lying": "lying", "ded": "dead", "done": "done",
    "tired": "tired", "exhausted": "exhausted",
    # wanting
    "wanna": "want", "wana": "want", "wannna": "want", "wnna": "want", "wanan": "want",
    "wnat": "want", "wnt": "want", "wamt": "want", "whant": "want", "wan't": "want",
    "wantt": "want", "wnated": "want", "wantd": "want",
    # negation
    "neva": "never", "nvr": "never", "nevr": "never", "dnt": "not",
    # suicide and friends
    "suicidal": "suicide", "suicidial": "suicide", "sucidal": "suicide", "suicdal": "suicide",
    "suicidle": "suicide", "suicidality": "suicide", "suiside": "suicide", "sewerslide": "suicide",
    "suicide": "suicide", "suicides": "suicide", "suicidally": "suicide", "suisidal": "suicide",
    "unalive": "unalive", "unaliving": "unalive", "unalived": "unalive", "unalives": "unalive",
    "kms": "kms", "kmss": "kms",
    "kil": "kill", "kll": "kill", "kiil": "kill", "kilk": "kill", "kiling": "kill",
    "kiled": "kill", "killin": "kill",
    "my-self": "myself", "meself": "myself", "mysefl": "myself", "myslef": "myself",
    "od": "overdose", "o.d": "overdose", "o.d.": "overdose", "oded": "overdose",
    "od'd": "overdose", "od'ed": "overdose", "odd'd": "overdose", "overdosed": "overdose",
    "overdosing": "overdose", "overdoses": "overdose", "selfharm": "selfharm",
    "self-harm": "selfharm", "selfharming": "selfharm", "selfharmed": "selfharm",
    # pills
    "meds": "pill", "med": "pill", "medication": "pill", "medications": "pill",
    "medicine": "pill", "medicines": "pill", "tablets": "pill", "tablet": "pill",
    "pills": "pill", "pillz": "pill", "pils": "pill", "capsules": "pill", "capsule": "pill",
    "antidepressants": "pill", "antidepressant": "pill", "painkillers": "pill",
    "painkiller": "pill", "paracetamol": "pill", "tylenol": "pill", "advil": "pill",
    "ibuprofen": "pill", "acetaminophen": "pill", "aspirin": "pill", "xanax": "pill",
    "benzos": "pill", "benzo": "pill", "sleeping-pills": "pill", "oxy": "pill",
    "percocet": "pill", "percs": "pill", "zoloft": "pill", "prozac": "pill", "lexapro": "pill",
    "seroquel": "pill", "lithium": "pill", "insulin": "pill", "opioids": "pill",
    "melatonin": "pill", "valium": "pill", "ambien": "pill", "sertraline": "pill",
    # people
    "boyfriend": "bf", "boyf": "bf", "bfriend": "bf", "girlfriend": "gf", "gfriend": "gf",
    "husband": "partner", "hubby": "partner", "hubs": "partner", "wife": "partner",
    "wifey": "partner", "fiance": "partner", "fiancé": "partner", "fiancee": "partner",
    "fiancée": "partner", "spouse": "partner", "bae": "partner", "partner": "partner",
    "u": "you", "ya": "you", "ur": "your", "em": "them",
    # misc text-speak
    "anymore": "anymore", "anymor": "anymore", "nemore": "anymore", "anymoe": "anymore",
    "nomore": "anymore", "cuz": "because", "cos": "because", "coz": "because",
    "bc": "because", "b/c": "because", "tho": "though", "rn": "now", "pics": "pic",
    "pix": "pic", "vids": "video", "vid": "video", "nudez": "nude", "nudes": "nude",
    "noone": "nobody", "no1": "nobody", "eggshells": "eggshell", "pw": "password",
    "passwords": "password", "passcode": "password", "pin": "password",
}

# Key words whose one-edit typos are mapped onto them (unless the typo is a real word).
_TYPO_KEYWORDS = [
    "suicide", "suicidal", "myself", "overdose", "overdosed", "disappear", "forever",
    "anymore", "living", "unalive", "pills", "wanna", "alive", "cutting", "existing",
    "threaten", "threatened", "threatening", "location", "password", "strangled",
    "choked", "slapped", "punched", "kicked", "pushed", "shoved",
]
_SHORT_TYPO_KEYWORDS = ["kill", "want", "die", "kms"]  # deletions and swaps only

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits(word: str, full: bool) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    if full:
        out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


@lru_cache(maxsize=1)
def _typo_map() -> dict[str, str]:
    """One-edit typos of the key words -> the key word's normal form; real words excluded."""
    from spacy.lookups import load_lookups

    nlp = get_nlp()
    lookup = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    index = load_lookups("en", ["lemma_index"]).get_table("lemma_index")
    known: set[str] = set()
    for pos in ("adj", "adv", "noun", "verb"):
        known.update(index.get(pos, []))

    def is_word(w: str) -> bool:
        return w in known or w in lookup or w in _CANON

    mapping: dict[str, str] = {}
    for keyword, full in [(k, True) for k in _TYPO_KEYWORDS] + [(k, False) for k in _SHORT_TYPO_KEYWORDS]:
        target = _CANON.get(keyword) or lookup.get(keyword, keyword)
        for typo in _edits(keyword, full):
            if len(typo) >= 3 and not is_word(typo):
                mapping.setdefault(typo, target)
    return mapping


_REPEATS = re.compile(r"(.)\1{2,}")


@lru_cache(maxsize=65536)
def _normal_form(lower: str, lemma: str) -> str:
    if lower in _CANON:
        return _CANON[lower]
    typos = _typo_map()
    if lower in typos:
        return typos[lower]
    if _REPEATS.search(lower):  # "dieeee", "killlll", "sooo"
        lookup = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        for squeezed in (_REPEATS.sub(r"\1\1", lower), _REPEATS.sub(r"\1", lower)):
            if squeezed in _CANON:
                return _CANON[squeezed]
            if squeezed in typos:
                return typos[squeezed]
            if squeezed in lookup or squeezed in _KNOWN_SHORT:
                return lookup.get(squeezed, squeezed)
    return lemma


_KNOWN_SHORT = {"die", "kill", "want", "me", "so", "myself", "help", "no", "dead", "hate"}
_AFTER_GONNA = {"gon": "go", "wan": "want", "got": "get"}


def _normalise(doc: Doc) -> None:
    prev = ""
    for token in doc:
        lower = token.lower_
        norm = _normal_form(lower, token.lemma_.lower())
        if lower in ("na", "ta") and prev in _AFTER_GONNA:  # gon|na, wan|na, got|ta
            norm = "to"
        elif lower == "s" and prev in ("he", "she", "it", "that", "what", "there", "who", "where"):
            norm = "be"
        elif lower in _AFTER_GONNA and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in ("na", "ta"):
            norm = _AFTER_GONNA[lower]
        token.norm_ = norm
        prev = lower


# ---------------------------------------------------------------------------------------------
# Word classes used by the patterns (normal forms)
# ---------------------------------------------------------------------------------------------

SETS: dict[str, set[str]] = {
    "NEG": {"not", "never"},
    "WANT": {"want", "wish", "hope", "pray"},
    "TO": {"to", "2"},
    "ADV": {"just", "really", "so", "honestly", "literally", "actually", "kinda", "kind", "of",
            "truly", "lowkey", "seriously", "genuinely", "fr", "still", "even", "simply",
            "sometimes", "often", "always", "already", "also", "badly", "bad", "deadass",
            "fucking", "fuckin", "totally", "completely", "wholeheartedly"},
    "SELF": {"myself"},
    "PILL": {"pill"},
    "PERSONPRON": {"he", "she", "they", "you"},
    "OBJPRON": {"him", "her", "them"},
    "PARTNER": {"bf", "gf", "partner", "ex", "man", "guy", "girl", "boy", "so", "date"},
    "FEAR": {"scare", "scared", "afraid", "terrify", "terrified", "frighten", "frightened",
             "fear", "petrify", "petrified"},
    "HIT": {"hit", "slap", "punch", "kick", "shove", "push", "choke", "strangle", "beat",
            "smack", "headbutt", "grab", "throttle", "stab", "whip", "spank", "elbow", "knee",
            "shake", "pin", "drag", "hurl", "batter", "assault", "attack", "bruise", "suffocate",
            "smother", "burn", "scratch", "bite", "bit", "trip", "pinch", "squeeze", "tackle",
            "whack", "slam", "shake", "body-slam", "bodyslam", "restrain"},
    "BODY": {"face", "head", "arm", "neck", "throat", "wrist", "hair", "leg", "stomach", "back",
             "chest", "eye", "mouth", "jaw", "ribs", "rib", "nose", "cheek", "shoulder"},
    "CUTBODY": {"wrist", "arm", "thigh", "leg", "skin", "stomach", "hip", "wrist", "forearm",
                "body", "vein", "vein", "ankle"},
    "DEVICE": {"phone", "text", "message", "dm", "dms", "email", "chat", "whatsapp",
               "instagram", "insta", "ig", "snapchat", "facebook", "fb", "messenger",
               "call", "browser", "history", "diary", "journal", "notification", "laptop",
               "computer", "account", "inbox", "conversation", "convo", "snap", "photo",
               "gallery", "camera", "contact", "imessage", "tinder", "mail", "icloud"},
    "LOOK": {"go", "look", "check", "read", "search", "snoop", "scroll", "monitor", "track",
             "watch", "spy", "dig", "rifle", "comb", "sift", "open", "screenshot", "inspect"},
    "OTHERS": {"friend", "friends", "family", "mom", "mum", "mother", "dad", "father",
               "sister", "sis", "brother", "bro", "parent", "parents", "kid", "kids", "bestie",
               "coworker", "colleague", "therapist", "doctor", "anyone", "anybody", "people",
               "them", "grandma", "grandpa", "cousin", "aunt", "uncle", "neighbour", "neighbor",
               "everyone", "nobody", "bff", "mate", "mates", "gran", "nan", "son", "daughter"},
    "MONEY": {"money", "finance", "finances", "paycheck", "paycheque", "salary", "wage",
              "wages", "bank", "card", "cards", "credit", "spending", "income", "benefit",
              "benefits", "earnings", "cash", "pay", "savings", "debit", "budget", "purse",
              "wallet", "spend"},
    "IMG": {"nude", "pic", "photo", "picture", "image", "video", "tape", "selfie", "snap",
            "naked", "intimate"},
    "IMGVERB": {"post", "share", "send", "leak", "show", "upload", "publish", "spread",
                "release", "sell", "expose", "put", "distribute", "forward", "circulate"},
    "DET": {"a", "his", "her", "their", "the", "one"},
    "LAUGH": {"lol", "lmao", "lmfao", "haha", "hahaha", "hahah", "jk", "😂", "🤣", "rofl",
              "lool", "lolol", "hehe", "xd"},
}

# Multi-token alternatives, expanded into several patterns. "{LIVE}" = what one wants to keep
# doing: live, be alive, go on ...
SEQS: dict[str, list[str]] = {
    "LIVE": ["live", "be alive", "stay alive", "keep live", "go on", "keep go", "carry on",
             "exist", "be here", "be around", "wake up", "be on this earth",
             "be in this world", "continue live", "continue to live", "be live"],
    "ALIVEISH": ["live", "be alive", "alive", "go on", "keep go", "carry on", "exist",
                 "be here", "stay alive", "life", "keep live", "wake up", "stick around",
                 "be around"],
    "GOON": ["go on", "keep go", "carry on", "keep live", "do life", "continue live"],
    # the partner's temper: "loses it", "flips out", "goes ballistic", "loses his temper"
    "RAGE": ["lose it", "lose his temper", "lose her temper", "lose their temper", "lose his shit",
             "lose her shit", "lose his mind", "flip out", "flip", "explode", "kick off", "rage",
             "blow up", "go mental", "go ballistic", "go crazy", "go psycho", "go nuclear",
             "go off", "fly into a rage", "snap", "lose the plot"],
    "WHEREIAM": ["where i be", "where i go", "where i be go", "who i be with",
                 "who i talk to", "who i text", "what i do", "who i be talk to",
                 "where i be at"],
}


# ---------------------------------------------------------------------------------------------
# Pattern language
# ---------------------------------------------------------------------------------------------
# A pattern is a space-separated list of token specs matched on normal forms:
#   word|word   one of these words           @SET     a word of SETS[SET]
#   =word|word  one of these lower-case texts _        any token
#   suffix ? * +                              optional / any number / one or more
#   {SEQ}       expands into one pattern per alternative in SEQS[SEQ]


def _expand(pattern: str) -> list[str]:
    choices = []
    for part in pattern.split():
        if part.startswith("{") and part.endswith("}"):
            choices.append(SEQS[part[1:-1]])
        else:
            choices.append([part])
    return [" ".join(c) for c in product(*choices)]


def _token_spec(spec: str) -> dict:
    op = None
    if len(spec) > 1 and spec[-1] in "?*+":
        op, spec = spec[-1], spec[:-1]
    if spec == "_":
        d: dict = {}
    elif spec.startswith("="):
        alts = spec[1:].split("|")
        d = {"LOWER": {"IN": alts}} if len(alts) > 1 else {"LOWER": alts[0]}
    else:
        words: set[str] = set()
        for alt in spec.split("|"):
            words |= SETS[alt[1:]] if alt.startswith("@") else {alt}
        d = {"NORM": {"IN": sorted(words)}} if len(words) > 1 else {"NORM": words.pop()}
    if op:
        d["OP"] = op
    return d


def _compile(pattern: str) -> list[list[dict]]:
    return [[_token_spec(s) for s in p.split()] for p in _expand(pattern)]


Keep = Callable[[Doc, int, int], bool]


@dataclass(frozen=True)
class Rule:
    cue: str
    risk: Risk
    patterns: tuple[str, ...]
    keep: Optional[Keep] = None  # extra check on a match; False drops it


# --- reading the context of a match -----------------------------------------------------------

_CLAUSE_BREAKS = {"but", "and", "so", "because", "though", "although", "however", "except",
                  "whereas", "while", "then", "plus"}
_SUBJECTS = {"i", "he", "she", "they", "we", "you", "it", "that", "this", "everyone", "nobody"}
# "can't stop thinking about killing myself", "didn't mean to take that many", "not joking",
# "i'm not okay": the negator does not take back what follows.
_NOT_NEGATING_AFTER = {"stop", "help", "mean", "know", "wait", "care", "okay", "ok", "fine",
                       "alright", "well", "good", "only", "joke", "joking", "kid", "kidding",
                       "lie", "lying", "exaggerate", "exaggerating", "sleep", "breathe",
                       "sure", "able", "that", "remember", "understand", "believe",
                       "cope", "handle", "let", "allow", "allowed", "feel", "safe", "even"}
_NO_NEGATES = {"intention", "intentions", "plan", "plans", "desire", "thought", "thoughts",
               "urge", "urges", "way", "wish", "interest", "need"}
_NEG_WINDOW = 5


def _negated(doc: Doc, start: int, end: int) -> bool:
    """A negator in the same clause just before the match cancels it (see module docstring)."""
    for tok in doc[end:min(end + 3, len(doc))]:
        if tok.norm_ == "yet":
            return False
    i, steps = start - 1, 0
    while i >= 0 and steps < _NEG_WINDOW:
        tok = doc[i]
        norm = tok.norm_
        if tok.is_punct or norm in _CLAUSE_BREAKS:
            return False
        nxt = doc[i + 1].norm_ if i + 1 < len(doc) else ""
        if norm in ("not", "never") or (norm == "no" and nxt in _NO_NEGATES):
            if nxt not in _NOT_NEGATING_AFTER:
                return True
        elif norm in _SUBJECTS:
            return False
        i -= 1
        steps += 1
    return False


_SKIP_BEFORE_VERB = {"be", "have", "do", "will", "would", "can", "could", "might", "may",
                     "should", "must", "shall", "keep", "start", "begin", "continue", "try",
                     "use", "used", "to", "get", "go", "want", "always", "never", "not",
                     "just", "also", "really", "literally", "actually", "even", "again",
                     "then", "once", "still", "sometimes", "often", "usually", "constantly",
                     "repeatedly", "finally", "suddenly", "basically", "physically", "kinda",
                     "already", "ever", "randomly", "twice", "allegedly", "like", "totally",
                     "straight", "up", "who", "which", "lowkey", "deadass", "legit",
                     "seriously", "all", "secretly", "apparently", "regularly", "sneakily",
                     "gon", "na", "now", "literally", "low", "key", "prob", "probably"}
# Things that "hit me" / "got into my head" without being a person.
_NON_PERSON = {"it", "this", "that", "what", "reality", "life", "news", "thought",
               "realization", "realisation", "anxiety", "wave", "song", "movie", "text",
               "message", "car", "ball", "door", "truth", "everything", "something",
               "nothing", "sadness", "grief", "loneliness", "work", "exhaustion", "feeling",
               "i", "panic", "memory", "fact", "there", "word", "comment", "silence", "fear",
               "idea", "tiredness", "depression", "heat", "guilt", "shame", "bus", "bike",
               "wind", "day", "week", "weather", "alarm", "traffic", "we", "me", "myself",
               "cupboard", "wave", "hangover", "headache", "period", "cramp", "cramps",
               "truck", "train", "lorry", "bike", "cyclist", "ball", "branch", "tree"}


def _subject(doc: Doc, start: int, limit: int = 6) -> str:
    """The nearest word before ``start`` that is not an auxiliary or adverb ('' if none)."""
    i, steps = start - 1, 0
    while i >= 0 and steps < limit:
        tok = doc[i]
        if tok.is_punct or tok.norm_ in _CLAUSE_BREAKS:
            return ""
        if tok.norm_ not in _SKIP_BEFORE_VERB:
            return tok.norm_
        i -= 1
        steps += 1
    return ""


def _next(doc: Doc, i: int, k: int = 0) -> str:
    j = i + k
    return doc[j].norm_ if 0 <= j < len(doc) else ""


def _after(doc: Doc, end: int, n: int) -> list[str]:
    return [t.norm_ for t in doc[end:min(len(doc), end + n)]]


def _all(*checks: Keep) -> Keep:
    def keep(doc: Doc, start: int, end: int) -> bool:
        return all(c(doc, start, end) for c in checks)
    return keep


def _person_subject(doc: Doc, start: int, end: int) -> bool:
    """Someone other than the writer did it: not 'it hit me', not 'i hit my head'."""
    return _subject(doc, start) not in _NON_PERSON


def _not_self_subject(doc: Doc, start: int, end: int) -> bool:
    """Not the writer's own doing: 'i check my phone', 'i track my spending'."""
    return _subject(doc, start) not in ("i", "we", "me", "myself")


def _not_third_person(doc: Doc, start: int, end: int) -> bool:
    """'we can't go on like this', 'he didn't wake up': about someone else, not crisis."""
    i, steps = start - 1, 0
    while i >= 0 and steps < 10:
        tok = doc[i]
        if tok.is_punct:
            return True
        if tok.norm_ == "i":
            return True
        if tok.norm_ in ("he", "she", "they", "we", "you"):
            return False
        i -= 1
        steps += 1
    return True


def _has_laugh(doc: Doc) -> bool:
    return any(t.norm_ in SETS["LAUGH"] or t.lower_ in SETS["LAUGH"] for t in doc)


# --- crisis checks -------------------------------------------------------------------------------

# After these phrases, the words that make them about an ordinary plan: "live with him",
# "go on a date", "be here at his parents'", "be around him", "wake up early".
_LIVE_TAIL_BAD = {
    "live": {"with", "together", "there", "here", "near", "alone", "apart", "abroad", "by",
             "far", "close", "somewhere", "anywhere", "in", "at", "on", "off", "out", "up",
             "next", "nearby", "across"},
    "go on": {"a", "an", "the", "this", "that", "vacation", "holiday", "date", "trip",
              "dates", "tinder", "another", "his", "her", "their", "my", "instagram",
              "social", "twitter", "about", "with", "to", "at", "in", "on", "and", "holidays",
              "hols", "tour", "camp", "stage", "record", "air", "tv", "line", "leave",
              "break", "strike", "it"},
    "be here": {"at", "with", "for", "when", "right", "alone", "on", "by", "early", "til",
                "until", "tomorrow", "today", "tonight", "either"},
    "be around": {"him", "her", "them", "his", "people", "anyone", "when", "at", "for", "in",
                  "friends", "my", "your", "their", "the", "this", "that", "those", "these"},
    "wake up": {"early", "at", "before", "him", "her", "them", "for", "in", "on", "to", "next",
                "with", "late", "so", "and", "the", "my", "his", "every"},
    "carry on": {"with", "a", "the", "this", "that", "as", "like"},
    "keep go": {"to", "with", "back", "out", "on", "for", "at", "over", "through"},
}
# Phrases that need the sentence to stop (or "anymore", "tbh" ...) right after them.
_STRICT_TAIL = {"be here", "be around", "wake up", "go on", "carry on", "keep go"}
_LIVE_TAIL_OK = {"anymore", "any", "no", "like", "tomorrow", "today", "tonight", "again",
                 "ever", "without", "tbh", "honestly", "ngl", "lol", "idk", "now", "anyway",
                 "forever", "fr", "though", "but", "because", "or", "i", "period", "much",
                 "longer", "either", "man", "bro", "sis", "lmao", "smh", "literally",
                 "honest", "deadass", "when", "if", "knowing", "even", "all", "every", "tmrw",
                 "tmr", "just", "really", "cause", "since", "on", "in", "alive", "another",
                 "one", "more", "after", "and", "so", "ever", "at", "with", "it", "this", "he",
                 "she", "they", "this", "feeling", "living", "being", "anymore", "someday",
                 "sometimes", "most", "some", "most", "morning", "mornings", "day", "days"}


def _live_tail(doc: Doc, start: int, end: int) -> bool:
    """'don't want to live' yes; '... live with him', 'go on a date', 'wake up early' no."""
    norms = [t.norm_ for t in doc[start:end]]
    nxt_tok = doc[end] if end < len(doc) else None
    nxt = nxt_tok.norm_ if nxt_tok is not None else ""
    for phrase, bad in _LIVE_TAIL_BAD.items():
        size = len(phrase.split())
        if " ".join(norms[-size:]) != phrase:
            continue
        if phrase == "be here" and nxt == "on":  # "be here on this earth"
            return True
        if nxt in bad:
            return False
        if phrase in _STRICT_TAIL and nxt_tok is not None and not nxt_tok.is_punct \
                and not nxt_tok.like_num and nxt not in _LIVE_TAIL_OK:
            return False
        if phrase in ("go on", "keep go", "carry on"):
            # "i can't go on like this with him" is about the relationship
            tail = _after(doc, end, 5)
            if "with" in tail and tail[tail.index("with") + 1:][:2] and any(
                    w in SETS["OBJPRON"] or w in ("us", "you", "my") for w in
                    tail[tail.index("with") + 1:][:2]):
                return False
        return True
    return True


def _die_tail(doc: Doc, start: int, end: int) -> bool:
    """'want to die' yes; 'want to die of cringe', 'die on this hill', 'die alone' no."""
    last, nxt, nxt2 = doc[end - 1].norm_, _next(doc, end), _next(doc, end, 1)
    if last == "gone":  # "i want to be gone" yes; "... gone by 5 / for the weekend" no
        return nxt not in ("by", "before", "for", "from", "when", "on", "in", "to", "at",
                           "till", "until", "all", "this", "next", "over", "early")
    if last == "jump":  # "thinking of jumping (off)" yes; "... jumping into a new job" no
        return nxt in ("", "off", "from", "again", "tonight", "now", "today") or \
            doc[end].is_punct
    if nxt == "for":
        return nxt2 in ("real", "good", "sure")
    return nxt not in ("of", "from", "laughing", "laugh", "inside", "on", "happy", "old",
                       "with", "alone", "together", "first", "before", "next", "by", "at")


_QUANTITY = {"all", "bunch", "handful", "bottle", "box", "pack", "packet", "strip", "many",
             "lot", "lots", "load", "loads", "whole", "entire", "dozen", "every", "double",
             "triple", "fistful", "mouthful", "heap", "stash", "months", "weeks", "supply",
             "jar", "tub", "container", "lethal", "deadly", "rest"}
_NUMBER_WORDS = {"ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty",
                 "hundred", "dozens", "sixty", "seventy", "eighty", "ninety"}


def _pill_quantity(doc: Doc, start: int, end: int) -> bool:
    """'took all my pills', 'took like 20', 'a whole bottle' yes; 'took my meds' no."""
    for tok in doc[start + 1:end - 1]:
        if tok.is_punct or tok.norm_ in _CLAUSE_BREAKS:
            return False
    for tok in doc[start + 1:end - 1]:
        if tok.norm_ in _QUANTITY or tok.lower_ in _NUMBER_WORDS:
            return True
        if tok.like_num:
            try:
                if float(tok.text.replace(",", "")) >= 10:
                    return True
            except ValueError:
                pass
    return False


_NOT_AN_OVERDOSE_OF = {"coffee", "caffeine", "sugar", "chocolate", "candy", "netflix",
                       "tiktok", "love", "cuteness", "cute", "sun", "carbs", "tea", "energy",
                       "redbull", "content", "drama", "feelings", "pizza", "cake", "memes",
                       "dopamine", "serotonin", "romance", "music", "vitamin", "vitamins"}


_DRUGS = {"pill", "heroin", "fentanyl", "drug", "drugs", "coke", "cocaine", "meth", "opioid",
          "morphine", "codeine", "oxycodone", "tramadol", "alcohol", "booze", "purpose",
          "something", "everything", "them", "it", "those", "these", "sleeping", "my", "his",
          "her", "whatever"}


def _overdose(doc: Doc, start: int, end: int) -> bool:
    """'overdosed', 'gonna od tonight' yes; 'overdosed on coffee', 'that's od', 'my friend
    overdosed last year' no."""
    tok = doc[start]
    nxt, nxt2 = _next(doc, end), _next(doc, end, 1)
    if nxt == "on" and nxt2 in _NOT_AN_OVERDOSE_OF:
        return False
    subject = _subject(doc, start)
    if subject in SETS["OTHERS"] or subject in SETS["PARTNER"] or \
            subject in ("he", "she", "they", "who", "someone", "people"):
        return False  # someone else's overdose, told as news
    if tok.lower_ not in ("od", "o.d", "o.d."):
        return True
    prev = doc[start - 1].norm_ if start else ""
    if prev in ("be", "so", "lowkey", "really", "very", "too", "kinda", "pretty", "lowk"):
        return False  # "that's od", "he's so od": slang for "over the top"
    if nxt == "on":
        return any(w in _DRUGS for w in _after(doc, end + 1, 3))
    if prev in {"i", "to", "will", "would", "might", "just", "probably", "almost", "nearly",
                "can", "could", "may", "and", "try", "also", "wanna", "want", "gonna"}:
        return True
    if end >= len(doc) or doc[end].is_punct:
        return True
    return nxt in {"on", "tonight", "again", "now", "today", "soon", "later", "last",
                   "yesterday", "this"}


def _pills(doc: Doc, start: int, end: int) -> bool:
    if doc[start].norm_ in ("hold", "hoard", "stockpile", "save", "collect"):
        return _stockpile(doc, start, end)
    if doc[start].norm_ == "overdose":
        return _overdose(doc, start, end)
    if doc[start].norm_ in ("take", "swallow", "down", "pop", "chug", "neck", "eat"):
        norms = [t.norm_ for t in doc[start:end]]
        if "my" in norms and (_subject(doc, start) in SETS["PERSONPRON"]
                              or _subject(doc, start) in SETS["PARTNER"]):
            return False  # "he took all my pills and flushed them"
        return _pill_quantity(doc, start, end)
    return True


def _self_harm(doc: Doc, start: int, end: int) -> bool:
    """'i want to cut', 'cutting again' yes; 'cut ties', 'cut my hair', 'been cutting carbs' no."""
    if doc[end - 1].lower_ in ("cut", "cutting", "burn", "bleed", "cuts"):
        nxt = doc[end].lower_ if end < len(doc) else ""
        return nxt not in {
            "out", "off", "from", "short", "down", "back", "in", "the", "my", "a", "ties", "him",
            "her", "them", "it", "that", "this", "up", "class", "hair", "carbs", "sugar",
            "corners", "loose", "through", "some", "his", "their", "contact", "me", "you",
            "an", "into", "across", "onions", "bread", "costs", "spending", "school", "work",
            "line", "bangs"}
    return True


def _vanish(doc: Doc, start: int, end: int) -> bool:
    """'want to disappear' yes; 'disappear for a while', 'from social media' no."""
    nxt, nxt2 = _next(doc, end), _next(doc, end, 1)
    if nxt in ("from", "under", "into", "to", "until", "till", "in", "with", "somewhere",
               "abroad", "on", "inside", "behind", "offline"):
        return False
    if nxt == "for" and nxt2 not in ("good", "ever", "real", "always", "forever"):
        return False
    if nxt == "off" and nxt2 not in ("the", "this"):
        return False
    return True


def _goodbye_notes(doc: Doc, start: int, end: int) -> bool:
    """'goodbye notes', 'goodbye letters to everyone' yes; 'a goodbye letter to him' no."""
    last = doc[end - 1].lower_
    return last.startswith("note") or last.endswith("s")


_LOSS = {"die", "pass", "lose", "lost", "death", "commit", "attempt", "loss"}
_THIRD_PERSON = {"he", "she", "they", "who", "someone", "somebody", "people", "friend",
                 "friends", "family", "mom", "mum", "mother", "dad", "father", "sister",
                 "brother", "cousin", "aunt", "uncle", "grandma", "grandpa", "son",
                 "daughter", "kid", "bf", "gf", "partner", "ex", "classmate", "coworker",
                 "colleague", "neighbour", "neighbor", "bestie", "mate", "roommate"}


def _suicidal_ideation(doc: Doc, start: int, end: int) -> bool:
    first = doc[start].norm_
    nxt = _next(doc, end)
    if first == "suicide" and end - start == 1:
        # someone else's suicide told as news: "my cousin committed suicide", "his mom
        # died by suicide", "we lost him to suicide"
        for tok in reversed(doc[max(0, start - 5):start]):
            if tok.norm_ in _LOSS:
                if tok.norm_ in ("lose", "lost", "loss"):
                    return False
                subject = _subject(doc, tok.i)
                if subject in _THIRD_PERSON:
                    return False
                if tok.norm_ in ("die", "pass", "death") and subject not in ("i", ""):
                    return False
                break
        if _subject(doc, start) in _THIRD_PERSON:
            return False
    if first in ("drown", "shoot", "throw") and nxt in ("in", "with", "into", "up", "out", "a"):
        return False  # "drown myself in work", "shoot myself in the foot"
    if first == "end" and nxt in ("with", "between", "we", "in", "on"):
        return False  # "end everything with him"
    return True


# --- abuse checks --------------------------------------------------------------------------------

_WEAPONS = {"belt", "bottle", "bat", "stick", "pan", "shoe", "phone", "fist", "hand", "cup",
            "plate", "glass", "chair", "remote", "knife", "hammer", "book", "lamp", "cable",
            "charger", "cord", "hanger", "spoon", "mug", "wire", "rope", "gun", "brick",
            "rock", "stone", "bag", "controller", "frying", "pot", "broom", "his", "her"}


def _hitting(doc: Doc, start: int, end: int) -> bool:
    """'<someone> hit/slap/push/grab me' yes; the everyday senses no (see module docstring)."""
    if doc[start].norm_ in ("hide", "cover"):  # "i hide my bruises"
        return True
    verb = ""
    for tok in doc[start:end]:
        if tok.norm_ in SETS["HIT"] or tok.norm_ in ("throw", "hurl", "fling", "chuck"):
            verb = tok.norm_
            break
    if not verb:
        return True
    norms = [t.norm_ for t in doc[start:end]]
    if "by" in norms:  # passive: "i got slapped by my gf"
        return True
    if not _person_subject(doc, start, end):
        return False
    nxt, nxt2 = _next(doc, end), _next(doc, end, 1)
    if verb in ("throw", "hurl", "fling", "chuck"):
        return not ({t.norm_ for t in doc[start:end]} & {"shade", "fit", "tantrum",
                                                          "compliment", "question", "look",
                                                          "glance", "smile", "wink", "kiss",
                                                          "party", "curveball", "bone",
                                                          "pillow", "cushion", "blanket",
                                                          "towel", "sock", "socks",
                                                          "snowball", "paper", "confetti",
                                                          "kisses", "hint", "hints"})
    if verb == "hit":
        if nxt in ("up", "back", "different", "hard", "harder", "differently", "like"):
            return False  # "hit me up", "hit me back" (reply), "it hit me hard"
        if nxt == "with":
            return any(w in _WEAPONS for w in _after(doc, end + 1, 3))
    if verb == "push":
        if nxt in ("away", "aside", "off", "around", "forward", "too", "harder", "through",
                   "out", "past", "further", "hard", "to", "into", "towards", "toward"):
            return nxt in ("to", "into", "towards", "toward", "hard") and nxt2 in {
                "the", "a", "wall", "floor", "ground", "his", "her", "door", "bed", "car",
                "couch", "table", "stairs", "corner", "sofa", "counter", "so", "that"}
    if verb == "grab" and nxt == "by" and _next(doc, end, 2) in ("hand", "hands"):
        return False  # "grabbed me by the hand and pulled me to the dance floor"
    if verb == "grab" and nxt in {"a", "an", "some", "coffee", "food", "lunch", "dinner",
                                  "drink", "drinks", "breakfast", "something", "one", "the",
                                  "my", "flowers", "takeout", "snacks", "boba", "tea", "and",
                                  "from", "at", "for", "in"}:
        return False
    if verb == "beat" and nxt in ("at", "in", "to", "by", "home", "there", "again", "every",
                                  "first", "twice"):
        return False
    if verb in ("kick", "drag", "shake") and nxt in ("out", "off", "along", "around", "to",
                                                     "into", "up"):
        return False
    if verb in ("choke", "trip", "squeeze", "pinch", "tackle", "bite", "burn", "scratch",
                "elbow", "knee", "pin", "stab", "attack", "whip", "assault") and \
            nxt in ("up", "about", "over", "into", "to", "along", "out", "on", "with", "for",
                    "in", "the", "a", "some", "verbally"):
        if verb == "attack" and nxt == "with":
            return any(w in _WEAPONS for w in _after(doc, end + 1, 3))
        if verb == "pin" and nxt in ("to", "on"):
            return True
        return verb in ("choke", "stab", "burn") and nxt in ("with", "in", "the", "on")
    return True


def _image_threat(doc: Doc, start: int, end: int) -> bool:
    """Sharing an image is abuse when it is intimate, leaked, or held over the person."""
    norms = {t.norm_ for t in doc[start:end]}
    if doc[end - 1].norm_ == "me":  # "he has videos of me and says he'll send them to ..."
        after = _after(doc, end, 12)
        return any(w in after for w in ("threaten", "blackmail", "post", "send", "share", "leak",
                                         "show", "upload", "expose", "if", "unless"))
    if norms & {"nude", "naked", "intimate", "explicit", "sexy", "sexual", "nsfw", "sex",
                "private", "dirty", "topless", "revealing", "tape", "sexting"}:
        return True
    if norms & {"leak", "expose", "sell", "circulate", "distribute"}:
        return True
    before = [t.norm_ for t in doc[max(0, start - 8):start]]
    if "threaten" in before or "blackmail" in before or "threat" in before:
        return True
    after = _after(doc, end, 8)
    to_others = "if" in after or "unless" in after or any(
        w in after for w in ("boss", "family", "parents", "mom", "mum", "dad", "everyone",
                             "online", "internet", "work", "coworkers", "friends", "kids",
                             "church", "school", "reddit", "twitter", "employer", "husband",
                             "wife", "ex", "porn"))
    said_or_will = any(w in before[-5:] for w in ("say", "tell", "swear", "will", "would",
                                                  "go", "gonna", "text", "message"))
    return to_others and said_or_will


_FEAR_OBJECT_NOT = {"leave", "cheat", "lose", "go", "get", "find", "break", "dump", "think",
                    "say", "not", "never", "stop", "forget", "to", "will", "would", "might",
                    "be", "or", "more", "less", "too", "move", "ghost", "pull", "fall", "lie",
                    "end", "see", "meet", "like", "love", "want", "choose", "realize",
                    "realise", "notice", "judge", "hate", "feel", "back", "soon", "again"}


def _fear_of_partner(doc: Doc, start: int, end: int) -> bool:
    """'scared of him' yes; 'scared of him leaving / of her finding someone better' no."""
    last = doc[end - 1].norm_
    if last == "home" and _next(doc, end) == "to":
        return _next(doc, end, 1) in SETS["OBJPRON"] or _next(doc, end, 1) == "my"
    if last in ("scary", "violent", "aggressive", "terrifying", "frightening", "threatening"):
        return not _has_laugh(doc)  # "she gets aggressive when she plays fifa lol"
    if last not in SETS["OBJPRON"] and last not in SETS["PARTNER"]:
        return True
    nxt_tok = doc[end] if end < len(doc) else None
    if nxt_tok is None or nxt_tok.is_punct:
        return True
    low = nxt_tok.lower_
    if low.endswith("ing") and low not in ("sometimes", "something", "everything", "thing",
                                            "anything", "nothing"):
        return False
    return nxt_tok.norm_ not in _FEAR_OBJECT_NOT


def _threat(doc: Doc, start: int, end: int) -> bool:
    last = doc[end - 1].norm_
    if last == "to":  # "threatened to take the kids / come over" yes; "... to leave me" no
        nxt, nxt2 = _next(doc, end), _next(doc, end, 1)
        if nxt == "call" and nxt2 in ("the", "police", "cops", "immigration", "ice", "my",
                                      "social", "cps", "child"):
            return True
        return nxt not in {"leave", "break", "dump", "end", "block", "unfriend", "unfollow",
                           "divorce", "go", "move", "stop", "ghost", "quit", "walk", "call",
                           "cancel", "sleep", "split", "ignore", "delete", "mute", "unmatch",
                           "uninvite", "walk", "stay", "not", "never", "cry", "tell"}
    if last == "if" and doc[start].norm_ in ("kill", "hurt", "hit", "beat", "murder",
                                             "strangle", "stab"):
        # "he'll kill me if he finds out" yes; "my mom would kill me if she knew", "lol" no
        subject = _subject(doc, start)
        return not _has_laugh(doc) and (subject in SETS["PERSONPRON"] or
                                        subject in SETS["PARTNER"])
    if doc[start].norm_ == "i":  # a quoted "i'll kill you"
        return not _has_laugh(doc)
    return True


_DEVICE_PRIVATE = {"phone", "dms", "dm", "email", "chat", "whatsapp", "diary", "journal",
                   "browser", "history", "notification", "laptop", "computer", "inbox",
                   "conversation", "convo", "gallery", "camera", "contact", "icloud",
                   "messenger", "imessage", "call", "location", "whereabouts", "movement",
                   "movements", "bag", "purse", "private", "search", "texts", "messages",
                   "photos"}
_DEVICE_SOCIAL = {"instagram", "insta", "ig", "snapchat", "snap", "facebook", "fb", "tinder",
                  "account", "accounts", "tiktok", "twitter", "discord", "text", "message",
                  "photo", "mail"}
_SNOOP_VERBS = {"go", "search", "snoop", "dig", "rifle", "comb", "sift", "screenshot",
                "inspect", "monitor", "track", "spy"}
_HABITUAL = {"reads", "reading", "checks", "checking", "monitors", "monitoring", "tracks",
             "tracking", "goes", "going", "screenshots", "screenshotting", "snoops",
             "snooping", "looks", "looking", "watches", "watching"}


def _monitoring(doc: Doc, start: int, end: int) -> bool:
    first = doc[start]
    if first.norm_ not in ("send", "show", "make", "force", "have", "need", "demand", "insist") \
            and not _not_self_subject(doc, start, end):
        return False  # "i check my phone", "i track my spending", "i logged into my email"
    norms = [t.norm_ for t in doc[start:end]]
    if first.norm_ in SETS["LOOK"] and first.norm_ not in ("track", "monitor", "spy"):
        device = norms[-1]
        lowers = [t.lower_ for t in doc[start:end]]
        if device in _DEVICE_PRIVATE or lowers[-1] in ("texts", "messages", "photos"):
            if first.norm_ == "go" and not any(w in norms for w in ("through", "into", "in")):
                return False  # "went on my phone" is not "went through my phone"
            if lowers[-1] in ("texts", "messages", "photos") and not (
                    first.norm_ in _SNOOP_VERBS or first.lower_ in _HABITUAL
                    or any(w in norms for w in ("all", "every", "through", "each"))):
                return False  # "he read my messages and didn't reply" is a read receipt
            return True
        if device in _DEVICE_SOCIAL:
            return first.norm_ in _SNOOP_VERBS or first.lower_ in _HABITUAL and any(
                w in norms for w in ("all", "every", "through", "each")) or any(
                w in norms for w in ("all", "every", "through", "each"))
        return False
    if first.norm_ == "follow":
        return _next(doc, end) not in ("on", "back", "in") and not _has_laugh(doc)
    if "know" in norms and first.norm_ in ("need", "want", "have"):
        return any(w in _after(doc, end, 6) for w in ("all", "every", "24/7", "constantly",
                                                      "always", "minute", "hour", "second",
                                                      "whole"))
    return True


def _money(doc: Doc, start: int, end: int) -> bool:
    """'he controls the money' yes; 'i keep my savings', 'i check my statements' no."""
    if doc[start].norm_ in ("control", "take", "keep", "confiscate", "check", "go", "move",
                            "transfer"):
        return _not_self_subject(doc, start, end)
    return True


def _allowed_object(doc: Doc, start: int, end: int) -> bool:
    """'won't let me see my friends / leave / have my own money' yes; '... see her phone',
    '... pay for dinner', '... finish my sentences' no."""
    verb = doc[end - 1].norm_
    after = _after(doc, end, 6)
    if verb == "to":  # "not allowed to" + what
        if not after:
            return False
        verb, after = after[0], after[1:]
    if verb == "leave":
        return not after or after[0] in ("the", "house", "home", "my", "apartment", "flat",
                                          "room", "without", "alone", "unless", "anymore",
                                          "by", "at", "because", "and", "or", "when", "ever",
                                          "ever", "even", "on", "for", "to") \
            or doc[end].is_punct
    if verb in ("go", "hang"):
        return bool(after) and after[0] in ("out", "anywhere", "home", "outside", "see",
                                            "visit", "alone", "places", "with", "by", "on",
                                            "to", "back", "anymore", "there", "without")
    if verb in ("work", "drive", "out"):
        return True
    if verb in ("have", "keep", "get", "use", "touch", "open"):
        if any(a == "at" and b in ("work", "school", "uni", "college", "church", "dinner")
               for a, b in zip(after, after[1:])):
            return False  # "i'm not allowed to have my phone at work"
        return any(w in after for w in ("money", "account", "card", "job", "phone", "car",
                                        "friend", "friends", "own", "bank", "keys", "key",
                                        "passport", "password", "privacy", "cash", "social",
                                        "instagram", "life", "wage", "wages", "paycheck",
                                        "salary", "savings", "license", "licence"))
    # see / visit / talk / call / text / contact / spend / meet / speak / message
    for w in after:
        if w in ("his", "her", "their"):
            return False  # "won't let me meet his friends / her parents"
        if w in SETS["OTHERS"] or w in SETS["PARTNER"]:
            return True
    return bool(after) and after[0] in ("out", "outside", "anyone", "anybody", "people")


def _isolation(doc: Doc, start: int, end: int) -> bool:
    first = doc[start].norm_
    if first in ("not", "never") or doc[start].lower_ in ("allowed",):
        return _allowed_object(doc, start, end)
    if first in ("forbid", "ban", "stop", "prevent", "keep") and _next(doc, start, 1) == "me":
        return _not_self_subject(doc, start, end) and _allowed_object(doc, start, end)
    if first == "ask":  # "i have to ask his permission to go out"
        return True
    if first in ("furious", "angry", "mad", "violent", "aggressive", "scary", "crazy",
                 "nasty", "rage", "raging", "jealous", "abusive", "get", "be"):
        after = _after(doc, end, 5)
        return any(w in SETS["OTHERS"] for w in after) or "out" in after
    return _not_self_subject(doc, start, end)


# ---------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------

C, A = Risk.crisis, Risk.abuse

RULES: list[Rule] = [
    # ---------------------------------------------------------------- crisis ------------------
    Rule("suicidal_ideation", C, (
        "kill|unalive|off|hang|poison|suffocate|shoot|drown|end|gas @SELF",
        "kill|unalive|hang|end my self",
        "kms",
        "unalive",
        "suicide",
        "sewerslide|suicidal",
        "end|take my own? life",
        "end it all",
        "end everything",
        "noose",
        "jump off|from @ADV? a|the|this|my? bridge|roof|building|cliff|balcony|ledge|tower|window|overpass|rooftop|skyscraper|motorway|highway|car-park|carpark",
        "jump|throw|step in front of a|the train|car|bus|truck|lorry|traffic|subway",
        "throw @SELF off|from|under",
        "throw @SELF in front",
        "stand|sit on a|the|this bridge|ledge|edge|railing|rooftop",
        "way|method|how to die|overdose|suicide",
        "plan to die",
        "goodbye note",
    ), keep=_suicidal_ideation),
    Rule("suicidal_ideation", C, ("goodbye letter",), keep=_goodbye_notes),
    Rule("suicidal_ideation", C, (  # the means at hand
        "gun|rope|noose|blade|razor in my lap|hand|hands|mouth",
        "buy|bought|get|got a|some rope|noose",
        "hold a|the|my gun|blade|razor|noose",
    ), keep=_not_third_person),
    Rule("death_wish", C, (
        "@WANT|ready|deserve @ADV* @TO? @ADV* die",
        "@WANT|ready|deserve @ADV* @TO? be dead",
        "wish i be|have|could|can|would|had @ADV* dead|die|gone",
        "wish i be|have|had|could|can|would @ADV* never|not be? born",
        "wish i @ADV* never|not exist|live",
        "wish i do not exist",
        "better off dead",
        "@WANT @TO? @ADV* be gone",
        "hope|wish|pray i @ADV* die|dead",
        "@WANT|hope|pray a|the _? car|truck|bus|train|lorry _? hit|kill|run me",
        "@WANT|hope|pray a|the _? car|truck|bus|train|lorry to hit|kill|run me",
        "@WANT my life to @ADV? end|stop",
        "@WANT my life to @ADV? be over",
        "think|thought about|of die|death|suicide",
        "think|thought about|of not be here|alive|around",
        "think|thought about|of @ADV? jump",
    ), keep=_die_tail),
    Rule("not_wanting_to_live", C, (
        "@NEG @ADV* @WANT @TO? @ADV* {LIVE}",
        "no will|desire|reason|point|purpose|motivation|wish|want|energy|strength to|in|for|of? {ALIVEISH}",
        "nothing leave|left to live",
        "what be? the point|use of|in? {ALIVEISH}",
        "what be? the point of|in anything anymore",
        "@NEG see the point of|in? {ALIVEISH}",
        "@NEG see a|any point|reason of|in|to? {ALIVEISH}",
        "life|live|existence be? not|never worth it|live|anything",
        "life be? pointless|meaningless",
        "tired|done|sick|exhausted|weary of|with @ADV? live|life|exist|existence",
        "tired|done|sick|exhausted of|with be alive",
        "want|wish @TO? stop|not @ADV? exist",
        "@WANT @TO? stop be alive|here",
        "@WANT @TO? stop live|breathe",
        "hate|regret be alive|born",
        "hate|regret live|exist|existence|exist",
        "not @ADV? go|gonna? to? be around|here|alive much? long|longer|anymore",
        "last time you will|'ll? hear from me",
        "give away all? my stuff|things|belongings|possessions|stuffs",
        "@WANT it all to @ADV? stop|end",
        "@WANT everything to @ADV? stop|end",
        "@WANT it all|everything to @ADV? be over",
        "cease|stop to exist",
        "stop exist",
        "not|never sure|certain if|whether|that? i @ADV* @WANT @TO? @ADV* {LIVE}",
        "=idk|dk if|whether i @ADV* @WANT @TO? {LIVE}",
        "not know if|whether i @ADV* @WANT @TO? {LIVE}",
        "why be i @ADV* alive",
        "why i be @ADV* alive",
        "why be i still|even @ADV* here",
    ), keep=_live_tail),
    Rule("not_wanting_to_live", C, (
        "can|could not @ADV? {GOON}",
        "not think i can @ADV? {GOON}",
        "not able to {GOON}",
    ), keep=_all(_live_tail, _not_third_person)),
    Rule("never_wake_up", C, (
        "if|hope|wish|pray|want|and|to|maybe|rather i? @ADV* do|will|would|could|can? @ADV? not|never wake up",
        "never|not @ADV? wake up again|ever",
        "@WANT @TO? @ADV* sleep forever|permanently",
        "sleep and|then never|not wake",
        "go to sleep forever",
    ), keep=_all(_live_tail, _not_third_person)),
    Rule("overdose", C, (
        "overdose",
        "take|swallow|down|pop|chug|neck|eat _? _? _? _? _? _? @PILL",
        "@PILL in my hand|hands|palm",
        "@PILL ready|lined|line|counted|count|laid|lay",
        "@PILL in my lap|mouth",
        "hold|hoard|stockpile|save|collect @ADV? all? the|my|these|those|his|her|a|some? @PILL",
    ), keep=_pills),
    Rule("self_harm", C, (
        "cut|slit|slice|carve|burn|scratch|hurt|harm|punch|hit|stab|starve|bruise|injure|mutilate|bleed|beat|smack|slap|bang|choke|strangle @SELF",
        "cut|slit|slice|carve|burn|scratch|hurt|harm|punch|hit|stab|starve my self",
        "cut|slit|slice|carve|scratch|burn my|the @CUTBODY",
        "self -? harm",
        "selfharm",
        "self injury|injure|mutilation|mutilate",
        "cut again",
        "start|begin =cutting",
        "relapse on|with|into? =cutting|cut|sh|selfharm",
        "be =cutting",
        "=cutting =myself|=tonight|=rn|=now",
        "=sh urge|scar|again|relapse|tonight|habit|wound",
        "hide|cover up? my fresh? cut|cuts|scar|scars|wound|wounds",
        "@WANT @TO? @ADV* cut|burn|bleed",
        # An injury happening now: "my wrists are bleeding", "my arm won't stop bleeding".
        "my @CUTBODY be @ADV* bleed|bleeding",
        "my @CUTBODY _? _? stop bleed|bleeding",
        "bleed|bleeding from my @CUTBODY",
    ), keep=_self_harm),
    Rule("burden", C, (
        "better|happy off? without me",
        "better|happy|easy|good off? if i _? _? _? gone|dead|around|here|exist|die|disappear|alive|born|wake",
        "better|happy|easy|good off? when i _? _? gone|dead",
        "nobody _? _? _? care|notice|miss _? _? if|when i _? _? _? die|dead|gone|disappear|here|around|exist|kill|overdose|vanish",
        "no one _? _? _? care|notice|miss _? _? if|when i _? _? _? die|dead|gone|disappear|here|around|exist|kill|overdose|vanish",
        "burden to|on everyone|everybody|all|the|my|everything",
    ), keep=lambda d, s, e: not (d[e - 1].norm_ == "the" and _next(d, e) not in ("world",))
        and not (d[e - 1].norm_ == "my" and _next(d, e) not in ("family", "friends",
                                                                "parents", "kids"))),
    Rule("vanishing", C, (
        "disappear|vanish forever|permanently",
        "disappear|vanish for good|ever|real",
        "disappear|vanish and never|not come|be back",
        "disappear|vanish and never|not return|resurface",
        "disappear|vanish off the face",
        "@WANT @TO? @ADV* disappear|vanish",
        "wish i could|can|would @ADV* disappear|vanish",
    ), keep=_vanish),
    # ---------------------------------------------------------------- abuse -------------------
    Rule("hitting", A, (
        "@HIT me",
        "@HIT my @BODY",
        "throw|hurl|fling|chuck _? _? _? _? at|towards|toward me",
        "pull|yank|grab my hair",
        "hold|pin me down",
        "pin me against|to",
        "spit|spat on|at|in me|my",
        "hand|hands|finger|fingers|arm around|on my neck|throat",
        "hide|cover up? my bruise",
        "get|be @ADV? @HIT by him|her|them|my|he|she",
        "put|lay @DET? hand|hands|finger|fingers on me",
        "get|be physical with me",
        "physically hurt|harm|abuse|attack|assault|abusive|violent|threaten|intimidate|restrain",
        "hurt|harm|attack me physically",
        "violent with|towards|toward|to|around me",
        "give|leave me? a|some? bruise|black",
        "bruise from|because him|her|them",
        "punch|kick|hit|smash|headbutt a|the|hole|through? in? the? wall|door|window",
        "come at me with",
    ), keep=_hitting),
    Rule("sexual_violence", A, (
        "rape",
        "molest me",
        "sexually assault|abuse|coerce|hurt|force|pressure|attack",
        "sexual assault|abuse|coercion|violence",
        "force|make|pressure|coerce|guilt me to|into? have? sex",
        "force|make|pressure|coerce|guilt me to|into? sleep with",
        "force|make|pressure|coerce|guilt me to|into? do sexual|sex",
        "force himself|herself|themselves on me",
    )),
    Rule("threat", A, (
        "threaten @ADV? me|my",
        "threaten @ADV? to",
        "threat|threats to|against me|my",
        "make|send threat|threats",
        "say|tell|swear|text|scream|yell|shout|promise @PERSONPRON? will|would|be? go|gonna? to? kill|hurt|hit|beat|murder|strangle|choke|stab|shoot|destroy|ruin me|my",
        "i will|would kill|hurt|murder|end you",
        "i be go to kill|hurt|murder|end you",
        "kill|hurt|hit|beat|murder|strangle|stab me if",
        "pull|hold|point|wave a|his|her|the knife|gun|weapon on|at|to|towards me",
        "kill|hurt|harm himself|herself|themselves if|when|whenever|unless|every",
        "blackmail me",
        "take the|my|our kids|children|child|baby|son|daughter away? if|from",
        "if i leave|go|break up? _? @PERSONPRON will|would|be|gonna _? find|kill|hurt|ruin|destroy|take|follow|come|hunt|make",
    ), keep=_threat),
    Rule("fear_of_partner", A, (
        "he|she|they|@PARTNER @ADV* scare|frighten|terrify|intimidate me",
        "he|she|they|@PARTNER will|would|might|could|can|be? @ADV* get|be|become|go|turn @ADV? scary|violent|aggressive|terrifying|frightening|threatening",
        "@FEAR of|by @OBJPRON",
        "@FEAR of my @PARTNER",
        "@FEAR of how|what @PERSONPRON|my _? _? _? _? react|do",
        "@FEAR how|what @PERSONPRON _? _? _? _? react|do",
        "@FEAR of|about @PERSONPRON|his|her|their|my _? _? reaction|temper|anger|rage|outburst|outbursts|mood|moods|fist|fists|violence|drinking",
        "@FEAR to go|come home",
        "@FEAR of go home",
        "@FEAR @PERSONPRON _? _? _? hit|hurt|kill|beat|attack|strangle|choke|punch|slap|rape|harm me",
        "walk on eggshell",
        "fear for my life|safety",
        "not feel|be safe at|in|with|around home|him|her|them",
        "unsafe at|in|with|around home|him|her|them",
        "never know when @PERSONPRON _? _? _? explode|snap|blow|lose|flip",
    ), keep=_fear_of_partner),
    Rule("monitoring", A, (
        "@LOOK through|at|on|in|into|over? all|every|each? of? my _? @DEVICE|location|whereabouts|movements|movement|bag|purse",
        "@LOOK my @DEVICE|location|whereabouts|movement|movements|bag|purse",
        "make|force me _? unlock|show|give|hand|share|send|open _? my? @DEVICE|password|location|screenshot|proof",
        "make|force me share|send|turn _? _? location|whereabouts",
        "track|monitor|watch|follow my location|whereabouts|every|movements|phone|car|calls|texts",
        "put|install|hide|plant|use a|an|some|his|her? tracker|gps|airtag|tile|app|spyware|software|stalkerware|camera|cameras|something on|in|into my",
        "tracker|airtag|gps|spyware|stalkerware on|in my",
        "track me",
        "have|know|take|demand _? all? my password",
        "log|sign|hack into|onto|in my",
        "log|sign|hack in|on to my",
        "hack my phone|email|account|accounts|instagram|facebook|snapchat|icloud|laptop",
        "demand|insist|need|want|have to know {WHEREIAM}",
        "demand to know",
        "send|show him|her|them a|pic|photo|picture|selfie|proof|location|screenshot _? _? where|who i",
        "follow me when|everywhere|to|around|home|wherever",
        "show|turn up at my work|job|office|school|uni|class|gym _? _? _? check|spy|see",
        "spy on me",
        "keep tab|tabs on me",
        "monitor me|everything|who|what|where",
    ), keep=_monitoring),
    Rule("isolation", A, (
        "@NEG let|allow me @ADV? see|visit|meet|call|text|talk|hang|spend|go|leave|work|drive|contact|speak|message|out",
        "make|force me delete|unfollow|block|unfriend|remove|drop|ditch|cut|stop _? _? _? contact|number|@OTHERS",
        "ask @OBJPRON|his|her|their? for? permission to|before",
        "block the|my door|doorway|exit",
        "block my way",
        "not allow to",
        "forbid|ban|stop|prevent|keep me from @ADV? see|talk|meet|go|leave|contact|work|call|visit|speak|text",
        "cut me off from",
        "isolate me",
        "keep me away from",
        "make me choose between",
        "furious|angry|mad|violent|aggressive|scary|crazy|nasty|rage|raging|abusive when|whenever|if|every|anytime _? i _? _? see|go|talk|hang|text|visit|spend|meet",
        "lock me in|out|inside|up",
        "take|hide|break|smash|destroy|throw|confiscate my _? phone|keys|key|passport|wallet so|away",
        "smash|destroy|throw|snap my phone|laptop",
        "keep|take|hide|confiscate|hold my passport|id|document|documents|visa|papers",
        "control|decide|dictate|choose|pick what|who|where|when i _? wear|eat|see|talk|text|go|spend|do|leave|sleep",
    ), keep=_isolation),
    Rule("money_control", A, (
        "control _? _? all? of? my|the|our? @MONEY",
        "take|keep|confiscate all? of? my|the paycheck|paycheque|salary|wage|money|earnings|income|benefit|savings",
        "have|need to ask him|her|them|permission for|before _? money|spend|buy|anything|cash",
        "have|need to ask him|her|them for money|cash|permission",
        "give|put me on? a|an? allowance",
        "check|go through|over? every|all|each? my? receipt|statement|purchase|spend",
        "check|monitor|track|watch|go through|over? all|every? my bank|spend|account|statement|purchase|card",
        "loan|loans|credit|debt|card|cards|account|accounts|mortgage in my name",
        "without his|her|their permission|approval|okay|ok|say",
        "hand over my|all @MONEY",
        "@NEG let|allow me have|keep|get|touch|use|open|see my|a? own? @MONEY|account|job",
        "put|move|transfer|take my @MONEY into|in his|her|their",
    ), keep=_money),
    Rule("image_threat", A, (
        "have|keep|save|get @IMG of me",
        "@IMGVERB _? my|our|the|those|these|all|some|private|intimate|naked|explicit|sexy _? _? @IMG",
        "@IMGVERB my|our _? @IMG",
        "revenge porn",
        "sextortion",
        "blackmail _? _? with my? @IMG",
    ), keep=_image_threat),
    Rule("named_abuse", A, (
        "abusive relationship|marriage|partner|bf|gf|ex|situation|home",
        "emotionally|verbally|physically|sexually|financially|psychologically|really|so|very|super|pretty|kinda? abusive",
        "domestic violence|abuse",
        "abuse me",
        "coercive control",
    ), keep=_not_self_subject),
]


# ---------------------------------------------------------------------------------------------
# Failure classes found by the first held-out set (now part of the development set)
# ---------------------------------------------------------------------------------------------

_ACTORS = SETS["PERSONPRON"] | SETS["PARTNER"] | {"who", "someone", "somebody"}


def _actor_subject(doc: Doc, start: int, end: int) -> bool:
    """The doer is the partner / another person ('he', 'she', 'my bf'), never 'i', 'it',
    'these heels' ... (a whitelist, unlike _person_subject)."""
    return _subject(doc, start) in _ACTORS


def _own_act(doc: Doc, start: int, end: int) -> bool:
    """Not about someone else ('he drove into a tree at 17'), not a near miss ('almost')."""
    if _subject(doc, start) in _THIRD_PERSON:
        return False
    before = {t.norm_ for t in doc[max(0, start - 4):start]}
    return not before & {"almost", "nearly", "accidentally", "nearly"}


_PAST_DRIVE = {"drove", "crashed", "swerved", "steered", "rammed", "ploughed", "plowed",
               "wrapped", "aimed", "veered"}
_INTENT = {"want", "wish", "imagine", "think", "thought", "go", "gonna", "will", "would",
           "could", "might", "tempt", "tempted", "urge", "keep", "plan", "ready", "consider",
           "fantasize", "fantasise", "picture", "dream", "just", "should", "to", "about"}


def _drive_into(doc: Doc, start: int, end: int) -> bool:
    """'keep imagining driving my car into a wall', 'could drive into a tree' yes; 'i almost
    drove into a wall', 'he drove into a tree when he was 17', 'i crashed into a pole last
    year' (a past accident told as news) no."""
    if not _own_act(doc, start, end):
        return False
    if doc[start].lower_ in _PAST_DRIVE:
        before = {t.norm_ for t in doc[max(0, start - 8):start]}
        return bool(before & _INTENT - {"go", "to", "just", "about"} - {"would"}) and \
            bool(before & {"want", "wish", "tempt", "tempted", "urge", "plan"})
    return True


_BATH_NOT = {"shave", "shaving", "leg", "legs", "beard", "armpit", "armpits", "bikini"}


def _bath_blade(doc: Doc, start: int, end: int) -> bool:
    """'sitting in the bath with a razor' yes; '... shaving my legs' no."""
    return _own_act(doc, start, end) and not ({t.norm_ for t in doc} & _BATH_NOT
                                              or {t.lower_ for t in doc} & _BATH_NOT)


_RELATIONSHIP_WORDS = {"with", "between", "him", "her", "them", "us", "we", "our",
                       "relationship", "breakup", "break", "dump", "things", "convo",
                       "conversation", "chat", "call", "date", "fight", "argument",
                       "friendship", "situationship", "marriage", "engagement", "talk",
                       "texting", "streak", "game", "show", "series", "book", "diet",
                       "lease", "contract", "job", "subscription", "meeting"}


def _end_it_soon(doc: Doc, start: int, end: int) -> bool:
    """'tonight im going to end it', 'ending it tomorrow' yes; anything that names the
    relationship or another thing being ended ('end it with him tonight', 'we're going to
    end it tonight') no."""
    norms = {t.norm_ for t in doc}
    return not norms & _RELATIONSHIP_WORDS and _not_third_person(doc, start, end)


def _done_living(doc: Doc, start: int, end: int) -> bool:
    """'i'm done living' yes; 'done living my life around him', 'done living in this city' no."""
    nxt = _next(doc, end)
    return nxt not in {"my", "for", "like", "in", "with", "around", "under", "at", "on", "by",
                       "off", "out", "as", "a", "the", "his", "her", "their", "this", "that",
                       "through", "up", "together", "paycheck", "here", "there", "alone",
                       "apart", "near", "next", "someone", "somebody", "in", "according"}


_STOCK_NOT = {"pharmacy", "chemist", "prescription", "refill", "holiday", "holidays", "trip",
              "travel", "vacation", "abroad", "away"}


def _stockpile(doc: Doc, start: int, end: int) -> bool:
    """'stockpiling my sleeping pills' yes; '... before my trip abroad' no; not someone else's."""
    if _subject(doc, start) in _THIRD_PERSON or _subject(doc, start) in SETS["PERSONPRON"]:
        return False
    if doc[start].norm_ in ("save", "collect"):  # "need to collect my meds" is an errand
        norms = {t.norm_ for t in doc[start:end + 1]}
        if not (doc[start].lower_.endswith("ing") or norms & ({"up", "away"} | _QUANTITY)):
            return False
    return not {t.norm_ for t in doc} & _STOCK_NOT


_CURRENCY = {"£", "$", "€", "pound", "pounds", "quid", "buck", "bucks", "dollar", "dollars",
             "euro", "euros", "allowance", "cash", "money", "tenner", "fiver", "k"}
_TIME_UNITS = {"minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "second",
               "seconds", "kiss", "kisses", "call", "text", "hug"}


def _allowance(doc: Doc, start: int, end: int) -> bool:
    """'he gives me £20 a week' yes; 'gives me a kiss every day', 'my mum gives me £50 a
    month' (a parent) no."""
    if not _actor_subject(doc, start, end):
        return False
    if doc[end - 1].norm_ in ("allowance", "money"):  # "he gives me an allowance"
        return True
    between = doc[start + 2:end - 1]
    lowers = {t.lower_ for t in between} | {t.norm_ for t in between}
    if lowers & _TIME_UNITS:
        return False
    return bool(lowers & _CURRENCY) or any(t.like_num or t.text[:1] in "£$€" for t in between)


def _card(doc: Doc, start: int, end: int) -> bool:
    """'he takes my bank card', 'he keeps my debit card' yes; 'took my card to do the shop' no."""
    return _actor_subject(doc, start, end) and _next(doc, end) not in ("to", "for", "out",
                                                                        "by", "back")


_OBLIGATION = {"have", "need", "must", "gotta", "got", "make", "should"}


def _or_he_loses_it(doc: Doc, start: int, end: int) -> bool:
    """'i have to check in with him every hour or he loses it', 'if i don't answer straight
    away he loses it' yes; 'if i beat him at fifa he loses it lol' no (laughing)."""
    if _has_laugh(doc):
        return False
    norms = [t.norm_ for t in doc[:start]]
    if doc[start].norm_ in ("or", "otherwise"):
        return bool(set(norms) & _OBLIGATION)
    return True


_SEX_CONTEXT = {"bed", "sex", "sexual", "sexually", "intimate", "intimacy", "naked", "nude",
                "touch", "touches", "touching", "hook", "mood", "horny", "condom", "kinky",
                "kink", "oral", "foreplay"}


def _say_no_sex(doc: Doc, start: int, end: int) -> bool:
    """'scared to say no to him in bed', 'i can't say no when he wants sex' yes; 'scared to
    say no to him when he asks me to move in' (fear of losing him) no."""
    lowers = {t.lower_ for t in doc} | {t.norm_ for t in doc}
    if "sleep" in lowers and "with" in lowers:
        return True
    return bool(lowers & _SEX_CONTEXT)


_ROOMS = "bedroom|room|bathroom|shower|car|house|home|flat|apartment|phone|laptop|bag|purse|" \
         "wallet|coat|jacket|kitchen|lounge|stuff|things|computer|account"

RULES.extend([
    # crisis: "what's the point of me (even) being alive", "i don't think i want to be alive"
    Rule("not_wanting_to_live", C, (
        "what be? the point|use of|in me|my @ADV* {ALIVEISH}",
        "@NEG @ADV* think|feel|know|believe i @ADV* @WANT @TO? @ADV* {LIVE}",
    ), keep=_live_tail),
    # "i'm done living", "i'm through with living", "finished with being alive"
    Rule("not_wanting_to_live", C, (
        "done|through|finish @ADV? live|exist",
        "done|through|finish with @ADV? be alive|here",
    ), keep=_all(_done_living, _not_third_person)),
    # hoarding the means: "stockpiling my sleeping pills", "i have a stash of pills"
    Rule("overdose", C, (
        "stockpile|hoard|stash|squirrel|save|collect @ADV? away|up? all? of? the|my|these|those|some|a? _? @PILL",
        "stash|stockpile|hoard|collection of _? _? @PILL",
    ), keep=_stockpile),
    # "swallow everything in the medicine cabinet", "take whatever is in the pill drawer"
    Rule("overdose", C, (
        "swallow|take|down|eat|chug|neck everything|all|whatever|anything _? in|from the|my|our|that|this @PILL|bathroom cabinet|cupboard|drawer|box|chest|bag|kit|shelf",
        "swallow|take|down|eat|chug|neck the|my|our whole|entire @PILL|bathroom cabinet|cupboard|drawer|box|chest|bag|kit|shelf",
    ), keep=_own_act),
    # a blade in the bath: "sitting in the bath with a razor", "took a razor into the bath"
    Rule("suicidal_ideation", C, (
        "in|into the|a|my? bath|bathtub|tub with a|the|my|some|his|dad's? razor|razors|blade|blades|razorblade|knife|pill",
        "razor|razors|blade|blades|razorblade|knife in|into|to the|a|my bath|bathtub|tub",
        "bath|bathtub|tub and|with _? razor|razors|blade|blades|razorblade",
    ), keep=_bath_blade),
    # a car as the means: "driving my car into a wall", "swerve into oncoming traffic"
    Rule("suicidal_ideation", C, (
        "drive|steer|swerve|ram|plough|plow|aim|veer|crash|wrap my|the|our? car? @ADV? straight? into|off|at|through a|the|some|oncoming? wall|tree|pole|lamppost|barrier|bridge|cliff|lorry|truck|bus|traffic|river|lake|sea|ditch|building|overpass|motorway|highway|railing|guardrail|oncoming",
    ), keep=_drive_into),
    # "tonight im going to end it", "ending it tomorrow", "i'll end it soon"
    Rule("suicidal_ideation", C, (
        "tonight|today|tomorrow|tmrw|tmr|soon|weekend _? _? _? _? _? end|ending it",
        "end|ending it tonight|today|tomorrow|tmrw|tmr|soon|now|before|forever",
        "end|ending it for real|good|ever",
        "end|ending it this|next weekend|week",
        "end|ending it once and",
    ), keep=_end_it_soon),
    # abuse: "he'd break my neck", "she split my lip", "smashed a plate over my head"
    Rule("hitting", A, (
        "break|snap|smash|fracture|bash|split|bust|dislocate|bloody|burst my @BODY|nose|skull|lip|teeth|tooth|finger|fingers|jaw|ribs|rib|eardrum|head|arm|wrist",
        "smash|break|crack|bash|slam _? _? _? over|on|across|against|into|onto my @BODY|skull",
    ), keep=_actor_subject),
    # "he reads every message on my phone", "goes through all the texts on my laptop"
    Rule("monitoring", A, (
        "@LOOK through|at|over? all|every|each|any of? the? _? @DEVICE on|in|from my phone|laptop|computer|ipad|tablet|email|inbox|gallery|whatsapp|icloud|messenger|imessage|mac|pc",
    ), keep=_monitoring),
    # hidden cameras / spyware: "installed a camera in our bedroom", "put spyware on my laptop"
    Rule("monitoring", A, (
        f"put|install|hide|plant|set|fit|mount up? a|an|some|hidden|secret|little|tiny|spy|the? hidden|secret|spy|tracking? camera|cameras|cam|tracker|trackers|gps|airtag|spyware|stalkerware|keylogger|mic|microphone|recorder|bug in|on|into|under my {_ROOMS}",
        "put|install|hide|plant|set|fit|mount up? a|an|some|hidden|secret|little|tiny|spy|the? hidden|secret|spy|tracking? camera|cameras|cam|tracker|gps|mic|microphone|recorder|bug in|on|into|under our|the bedroom|bathroom|shower|room",
        "install|put|hide|plant some|a|an? spyware|stalkerware|keylogger|tracker|airtag",
        "spyware|stalkerware|keylogger on|in my|our",
    ), keep=_all(_monitoring, _not_self_subject)),
    # money as an allowance: "takes my bank card and gives me £20 a week"
    Rule("money_control", A, (
        "give|hand|let|allow|leave me _? _? _? a|per|each|every week|month|day|fortnight",
        "give|put me a|an? allowance",
        "give|put me pocket money",
    ), keep=_allowance),
    Rule("money_control", A, (
        "take|keep|hide|confiscate|hold|lock my|the|our? bank|debit|credit card|cards",
        "take|keep|hide|confiscate|hold|lock my|the|our? card|cards|wage|wages|pay|cash|money|paycheck away|off",
    ), keep=_card),
    # check-ins or else: "i have to check in with him every hour or he loses it"
    Rule("fear_of_partner", A, (
        "or|otherwise @PERSONPRON|my|@PARTNER? @PARTNER? will|would|be|go|get|just? @ADV? {RAGE}",
        "if|when|whenever i do|did|can|could|will? @NEG _? _? _? _? _? @PERSONPRON will|would|be|go|get|just? @ADV? {RAGE}",
        "have|need|must|make|got to? @ADV? check in with @OBJPRON every|each|all|constantly|hourly|24/7|non-stop",
    ), keep=_or_he_loses_it),
    # saying no to sex: "i'm scared to say no to him in bed"
    Rule("sexual_violence", A, (
        "@FEAR to|of say|saying no",
        "@FEAR to|of refuse|decline|reject|turn",
        "can|could not @ADV? say no|refuse",
        "not feel like|that? i can|could|be|allow _? say no|refuse",
        "not allow|let to? say no|refuse",
    ), keep=_say_no_sex),
])


# ---------------------------------------------------------------------------------------------
# Figures of speech / ordinary readings: they veto an NLU-only crisis or abuse finding
# ---------------------------------------------------------------------------------------------

FIGURES: tuple[str, ...] = (
    "be kill me",
    "=killing me",
    "die to|for",
    "die of|from|laughing|inside",
    "die =laughing",
    "dead =💀|=lol|=lmao",
    "dead tired|serious|silent|gorgeous|quiet|on",
    "=💀",
    "kill it",
    "kill time",
    "could|can|gonna|will kill|strangle|murder|throttle him|her|them|you",
    "rather die than",
    "death|end of me",
    "bore|bored|scare|scared|worry|worried|freak|freaked to death",
    "hit me up",
    "hit the gym|road|shops|store|bar|sack|hay|books|snooze|club|pub|town|bed|pillow|jackpot",
    "it|that|this hit me",
    "push me away",
    "cut tie|contact",
    "end it|things with",
    "break up",
    "feel like i be go|gonna to? die",
    "check his|her|their phone",
    "control the tv|remote|thermostat|music|playlist|aux|temperature|netflix",
    "@FEAR @PERSONPRON _? _? lose|leave|bore|bored|cheat|dump|find",
    "@FEAR of lose",
    "@FEAR of be alone|left|abandon",
    "@FEAR to send|text|ask|say",
    "killer",
    "kill for",
    # Everyday readings of control words (found in the development set's ordinary vents).
    "let me pay",
    "pay the|our bill|bills|rent",
    "block|mute me",
    "cut me off",
    "throw shade",
    "see her|his|their phone",
    "track her|his|their step|steps|macro|macros|calorie|calories",
    "=overthinking|overthink",
    "break my heart",
    "live my life",
    "watch the cat|dog|pet|puppy|kitten|baby",
    "disappear|hide for a while|bit|day|night|weekend",
    "hide in my room",
    "sleep and forget",
    "forget to take",
    "go|gonna to? kill me",
    "cry myself to sleep",
    "throw a blanket|coat|jacket|towel",
    "take my card to|for",
)

_NEGATION_PHRASES: tuple[str, ...] = (
    "i be safe",
    "not in danger",
    "not @ADV? suicide",
    "not @ADV? go|gonna to? do anything",
    "no intention|plan|thought of|to",
    "never @ADV? do that|anything",
)

# ---------------------------------------------------------------------------------------------
# Building and running
# ---------------------------------------------------------------------------------------------


def _requirements(pattern: list[dict]) -> tuple[tuple[str, frozenset[str]], ...]:
    """The words a doc must contain for ``pattern`` to match: one set per required token."""
    required = []
    for spec in pattern:
        if spec.get("OP") not in (None, "+"):
            continue
        for attr in ("NORM", "LOWER"):
            if attr in spec:
                value = spec[attr]
                required.append((attr, frozenset([value] if isinstance(value, str)
                                                 else value["IN"])))
    return tuple(required)


@dataclass
class _Group:
    """One pattern string (all its expansions) and the words each expansion needs.

    A doc that lacks a required word of every expansion cannot match, so the group's
    matcher is not run at all: this is what keeps ``assess`` well under a millisecond.
    """
    needs: tuple[tuple[tuple[str, frozenset[str]], ...], ...]
    matcher: Matcher
    rule: Optional[Rule] = None

    def may_match(self, norms: set[str], lowers: set[str]) -> bool:
        for required in self.needs:
            if all(words & (norms if attr == "NORM" else lowers) for attr, words in required):
                return True
        return False


def _group(nlp, pattern: str, rule: Optional[Rule] = None) -> _Group:
    compiled = _compile(pattern)
    matcher = Matcher(nlp.vocab)
    matcher.add("m", compiled)
    return _Group(tuple(_requirements(p) for p in compiled), matcher, rule)


class _Groups:
    """Groups in their order, indexed by the first word each expansion needs.

    A group can only match a doc holding that first word of one of its expansions, so only
    those groups are even asked ``may_match``; out of some 300, a message names a handful.
    """

    def __init__(self, groups: list[_Group]) -> None:
        self.groups = groups
        self.always: list[int] = []
        self.by_word: dict[tuple[str, str], list[int]] = {}
        for index, group in enumerate(groups):
            if any(not required for required in group.needs) or not group.needs:
                self.always.append(index)
                continue
            for required in group.needs:
                attr, words = required[0]
                for word in words:
                    self.by_word.setdefault((attr, word), []).append(index)

    def candidates(self, norms: set[str], lowers: set[str]) -> list[_Group]:
        found = set(self.always)
        for attr, words in (("NORM", norms), ("LOWER", lowers)):
            for word in words:
                found.update(self.by_word.get((attr, word), ()))
        return [self.groups[index] for index in sorted(found)]


@dataclass
class _Compiled:
    rules: _Groups
    figures: _Groups
    negations: _Groups


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    nlp = get_nlp()
    _typo_map()
    return _Compiled(
        rules=_Groups([_group(nlp, p, rule) for rule in RULES for p in rule.patterns]),
        figures=_Groups([_group(nlp, p) for p in FIGURES]),
        negations=_Groups([_group(nlp, p) for p in _NEGATION_PHRASES]),
    )


def _run(groups: _Groups, doc: Doc, norms: set[str], lowers: set[str],
         first_only: bool = False) -> list[tuple[_Group, int, int]]:
    found = []
    for group in groups.candidates(norms, lowers):
        if not group.may_match(norms, lowers):
            continue
        for _, start, end in group.matcher(doc):
            found.append((group, start, end))
            if first_only:
                return found
    return found


def warm_up() -> None:
    """Build the pipeline, typo table and matchers now rather than on the first message."""
    _compiled()
    assess("warm up")


_MAX_CHARS = 20_000  # longer texts are read in overlapping windows


def _doc(text: str) -> tuple[Doc, str]:
    lowered = text.lower()
    source = text if len(lowered) == len(text) else lowered
    doc = get_nlp()(lowered)
    _normalise(doc)
    return doc, source


@dataclass
class _Reading:
    findings: list[SafetyFinding]
    negated: bool
    figurative: bool


def _read(text: str) -> _Reading:
    compiled = _compiled()
    doc, source = _doc(text)
    norms = {t.norm_ for t in doc}
    lowers = {t.lower_ for t in doc}
    findings: list[SafetyFinding] = []
    negated = False
    for group, start, end in sorted(_run(compiled.rules, doc, norms, lowers),
                                    key=lambda m: (m[1], m[2])):
        rule = group.rule
        assert rule is not None
        if rule.keep is not None and not rule.keep(doc, start, end):
            continue
        if _negated(doc, start, end):
            negated = True
            continue
        span = doc[start:end]
        findings.append(SafetyFinding(rule.risk, rule.cue,
                                      source[span.start_char:span.end_char]))
    figurative = False
    if not findings:
        negated = negated or bool(_run(compiled.negations, doc, norms, lowers, True))
        figurative = bool(_run(compiled.figures, doc, norms, lowers, True))
    return _Reading(findings, negated, figurative)


def _windows(text: str) -> Iterable[str]:
    if len(text) <= _MAX_CHARS:
        yield text
        return
    step = _MAX_CHARS - 500
    for i in range(0, len(text), step):
        yield text[i:i + _MAX_CHARS]


def assess(text: str, intent: Optional[str] = None, confidence: float = 0.0) -> SafetyFinding:
    """Read one message for crisis or abuse; see the module docstring for the policy."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        confidence = float(confidence or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    findings: list[SafetyFinding] = []
    negated = figurative = False
    if text.strip():
        for chunk in _windows(text):
            reading = _read(chunk)
            findings.extend(reading.findings)
            negated |= reading.negated
            figurative |= reading.figurative
    for risk in (Risk.crisis, Risk.abuse):
        for finding in findings:
            if finding.risk is risk:
                return finding
    if intent in (Risk.crisis.value, Risk.abuse.value) and confidence >= NLU_THRESHOLD \
            and not negated and not figurative:
        trimmed = " ".join(text.split())
        return SafetyFinding(Risk(intent), f"nlu_{intent}", trimmed[:200])
    return NO_RISK


def benchmark(text: Optional[str] = None, runs: int = 2000) -> float:
    """Median milliseconds per ``assess`` call on a ~40-word message, after warm-up."""
    text = text or ("he said he would be home by seven and walked in at eleven without a text "
                    "and when i asked him about it he just shrugged and went to play his game "
                    "and now i am sitting here spiralling, honestly i dont know what to do")
    warm_up()
    return median_ms(assess, text, runs=runs, warmup=200)


if __name__ == "__main__":  # pragma: no cover
    print(f"median assess() latency: {benchmark():.3f} ms")
