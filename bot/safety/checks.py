"""Named checks: what a safety rule in ``bot/data/safety/`` may ask about its match in Python.

A rule names its checks (``check: live_tail`` or ``check: [live_tail, not_third_person]``);
each is a function ``(doc, start, end) -> bool`` that sees the whole message and the match's
token span, and keeps the match only when it returns True. Words the checks look for are
word classes of ``bot/data/safety/lexicon.yml`` (read here as ``W.NAME``), so adding a word
needs no Python; what is left here is what a list cannot say: negation in the same clause,
who did something, what comes right after a phrase.

Every match also goes through :func:`negated` (unless its rule says ``negation: false``).
"""

from __future__ import annotations

from typing import Callable, Optional

from spacy.tokens import Doc

from bot.language.patterns import Lexicon
from bot.language.verbs import is_english_word

Check = Callable[[Doc, int, int], bool]

_NEG_WINDOW = 5


class _Words:
    """The lexicon's word classes as attributes (``W.CLAUSE_BREAKS``), bound by :func:`bind`."""

    tails: dict[str, frozenset[str]]

    def bind(self, lexicon: Lexicon, tails: dict[str, frozenset[str]]) -> None:
        for name, words in lexicon.sets.items():
            setattr(self, name, words)
        self.tails = tails
        self.ACTORS = (
            lexicon.sets["PERSONPRON"] | lexicon.sets["PARTNER"] | {"who", "someone", "somebody"}
        )

    def __getattr__(self, name: str) -> frozenset[str]:
        raise RuntimeError(f"safety word class {name} read before the rules were loaded")


W = _Words()


def bind(lexicon: Lexicon, tails: dict[str, frozenset[str]]) -> None:
    W.bind(lexicon, tails)


def _negated(doc: Doc, start: int, end: int) -> bool:
    """A negator in the same clause just before the match cancels it (see module docstring)."""
    for tok in doc[end : min(end + 3, len(doc))]:
        if tok.norm_ == "yet":
            return False
    if doc[start].norm_ in W.SUBJECTS:
        return _negated_frame(doc, start)
    i, steps = start - 1, 0
    while i >= 0 and steps < _NEG_WINDOW:
        tok = doc[i]
        norm = tok.norm_
        if tok.is_punct or norm in W.CLAUSE_BREAKS:
            return False
        nxt = doc[i + 1].norm_ if i + 1 < len(doc) else ""
        if norm in ("not", "never") or (norm == "no" and nxt in W.NO_NEGATES):
            if nxt not in W.NOT_NEGATING_AFTER:
                return True
        elif norm in W.SUBJECTS:
            return False
        i -= 1
        steps += 1
    return False


def _negated_frame(doc: Doc, start: int) -> bool:
    """A match that opens with its own subject ("i'm ending it") is only taken back by a
    negated frame of thought or speech around it ("i don't think i'll end it", "not saying
    i'd kill myself"); a negator further back belongs to another clause ("if he doesnt text
    back by tonight i'm ending it": blind round 27, spent)."""
    i = start - 1
    while i >= 0 and start - i <= _NEG_WINDOW:
        norm = doc[i].norm_
        if norm in ("not", "never"):
            return True
        if doc[i].is_punct or norm not in W.NEGATED_FRAME:
            return False
        i -= 1
    return False


def _subject(doc: Doc, start: int, limit: int = 6) -> str:
    """The nearest word before ``start`` that is not an auxiliary or adverb ('' if none)."""
    i, steps = start - 1, 0
    while i >= 0 and steps < limit:
        tok = doc[i]
        if tok.is_punct or tok.norm_ in W.CLAUSE_BREAKS:
            return ""
        if tok.norm_ not in W.SKIP_BEFORE_VERB:
            return tok.norm_
        i -= 1
        steps += 1
    return ""


def opens_on_someone(doc: Doc, start: int) -> bool:
    """A span at ``start`` opens on the writer's own act ("i broke up with him …", "we split
    up …") or on the partner named ("my ex keeps …"): what the rule is about comes later."""
    if _subject(doc, start) in ("i", "we"):
        return True
    return doc[start].norm_ == "my" and start + 1 < len(doc) and doc[start + 1].norm_ in W.PARTNER


def _next(doc: Doc, i: int, k: int = 0) -> str:
    j = i + k
    return doc[j].norm_ if 0 <= j < len(doc) else ""


def _after(doc: Doc, end: int, n: int) -> list[str]:
    return [t.norm_ for t in doc[end : min(len(doc), end + n)]]


def _person_subject(doc: Doc, start: int, end: int) -> bool:
    """Someone other than the writer did it: not 'it hit me', not 'i hit my head'."""
    return _subject(doc, start) not in W.NON_PERSON


def _diary_self(doc: Doc, start: int) -> bool:
    """The verb at ``start`` opens its clause, alone ("checking my phone every few minutes")
    or after a diary-style opener ("keep checking", lexicon ``DIARY_OPENERS``); "kept
    hitting me" or "kept going through my phone" is still someone else, so only the
    monitoring check asks this, and only for looking at a phone."""
    if start == 0 or doc[start - 1].is_punct:
        # "checks my phone" or "looked at my phone while i slept" may be someone else
        return doc[start].lower_.endswith("ing")
    i = start - 1
    while i >= 0 and doc[i].norm_ in W.SKIP_BEFORE_VERB and doc[i].lower_ not in W.DIARY_OPENERS:
        i -= 1
    if i < 0 or doc[i].lower_ not in W.DIARY_OPENERS:
        return False
    return i == 0 or doc[i - 1].is_punct or doc[i - 1].norm_ in W.CLAUSE_BREAKS


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
    return any(t.norm_ in W.LAUGH or t.lower_ in W.LAUGH for t in doc)


def _live_tail(doc: Doc, start: int, end: int) -> bool:
    """'don't want to live' yes; '... live with him', 'go on a date', 'wake up early' no."""
    norms = [t.norm_ for t in doc[start:end]]
    nxt_tok = doc[end] if end < len(doc) else None
    nxt = nxt_tok.norm_ if nxt_tok is not None else ""
    for phrase, bad in W.tails.items():
        size = len(phrase.split())
        if " ".join(norms[-size:]) != phrase:
            continue
        if phrase == "be here" and nxt == "on":  # "be here on this earth"
            return True
        if nxt in bad:
            return False
        if (
            phrase in W.STRICT_TAIL
            and nxt_tok is not None
            and not nxt_tok.is_punct
            and not nxt_tok.like_num
            and nxt not in W.LIVE_TAIL_OK
        ):
            return False
        if phrase in ("go on", "keep go", "carry on"):
            # "i can't go on like this with him" is about the relationship
            tail = _after(doc, end, 5)
            if (
                "with" in tail
                and tail[tail.index("with") + 1 :][:2]
                and any(
                    w in W.OBJPRON or w in ("us", "you", "my")
                    for w in tail[tail.index("with") + 1 :][:2]
                )
            ):
                return False
        return True
    return True


def _die_tail(doc: Doc, start: int, end: int) -> bool:
    """'want to die' yes; 'want to die of cringe', 'die on this hill', 'die alone' no."""
    last, nxt, nxt2 = doc[end - 1].norm_, _next(doc, end), _next(doc, end, 1)
    if last == "gone":  # "i want to be gone" yes; "... gone by 5 / for the weekend" no
        return nxt not in (
            "by",
            "before",
            "for",
            "from",
            "when",
            "on",
            "in",
            "to",
            "at",
            "till",
            "until",
            "all",
            "this",
            "next",
            "over",
            "early",
        )
    if last == "jump":  # "thinking of jumping (off)" yes; "... jumping into a new job" no
        return nxt in ("", "off", "from", "again", "tonight", "now", "today") or doc[end].is_punct
    if nxt == "for":
        return nxt2 in ("real", "good", "sure")
    return nxt not in (
        "of",
        "from",
        "laughing",
        "laugh",
        "inside",
        "on",
        "happy",
        "old",
        "with",
        "alone",
        "together",
        "first",
        "before",
        "next",
        "by",
        "at",
    )


def _pill_quantity(doc: Doc, start: int, end: int) -> bool:
    """'took all my pills', 'took like 20', 'a whole bottle' yes; 'took my meds' no."""
    for tok in doc[start + 1 : end - 1]:
        if tok.is_punct or tok.norm_ in W.CLAUSE_BREAKS:
            return False
    for tok in doc[start + 1 : end - 1]:
        if tok.norm_ in W.QUANTITY or tok.lower_ in W.NUMBER_WORDS:
            return True
        if tok.like_num:
            try:
                if float(tok.text.replace(",", "")) >= 10:
                    return True
            except ValueError:
                pass
    return False


def _overdose(doc: Doc, start: int, end: int) -> bool:
    """'overdosed', 'gonna od tonight' yes; 'overdosed on coffee', 'that's od', 'my friend
    overdosed last year' no."""
    tok = doc[start]
    nxt, nxt2 = _next(doc, end), _next(doc, end, 1)
    if nxt == "on" and (
        nxt2 in W.WHEN_AFTER_ON
        or (nxt2 in ("the", "my", "that", "this", "last") and _next(doc, end, 2) in W.WHEN_AFTER_ON)
    ):
        nxt = nxt2 = ""  # "overdosed on sunday": when, not what
    if nxt == "on" and (
        nxt2 in W.NOT_AN_OVERDOSE_OF or not any(w in W.DRUGS for w in _after(doc, end + 1, 3))
    ):
        return False  # "overdosed on coffee / christmas cookies"; "on my meds" stays
    subject = _subject(doc, start)
    if (
        subject in W.OTHERS
        or subject in W.PARTNER
        or subject in ("he", "she", "they", "who", "someone", "people")
    ):
        return False  # someone else's overdose, told as news
    if tok.lower_ not in ("od", "o.d", "o.d."):
        return True
    prev = doc[start - 1].norm_ if start else ""
    if prev in ("be", "so", "lowkey", "really", "very", "too", "kinda", "pretty", "lowk"):
        return False  # "that's od", "he's so od": slang for "over the top"
    if nxt == "on":
        return any(w in W.DRUGS for w in _after(doc, end + 1, 3))
    if prev in {
        "i",
        "to",
        "will",
        "would",
        "might",
        "just",
        "probably",
        "almost",
        "nearly",
        "can",
        "could",
        "may",
        "and",
        "try",
        "also",
        "wanna",
        "want",
        "gonna",
    }:
        return True
    if end >= len(doc) or doc[end].is_punct:
        return True
    return nxt in {
        "on",
        "tonight",
        "again",
        "now",
        "today",
        "soon",
        "later",
        "last",
        "yesterday",
        "this",
    }


def _pills(doc: Doc, start: int, end: int) -> bool:
    if doc[start].norm_ in ("hold", "hoard", "stockpile", "save", "collect"):
        return _stockpile(doc, start, end)
    if doc[start].norm_ == "overdose":
        return _overdose(doc, start, end)
    if doc[start].norm_ in ("take", "swallow", "down", "pop", "chug", "neck", "eat"):
        norms = [t.norm_ for t in doc[start:end]]
        if "my" in norms and (
            _subject(doc, start) in W.PERSONPRON or _subject(doc, start) in W.PARTNER
        ):
            return False  # "he took all my pills and flushed them"
        return _pill_quantity(doc, start, end)
    return True


def _self_harm(doc: Doc, start: int, end: int) -> bool:
    """'i want to cut', 'cutting again' yes; 'cut ties', 'cut my hair', 'been cutting carbs' no."""
    if doc[end - 1].lower_ in ("cut", "cutting", "burn", "bleed", "cuts"):
        nxt = doc[end].lower_ if end < len(doc) else ""
        return nxt not in {
            "out",
            "off",
            "from",
            "short",
            "down",
            "back",
            "in",
            "the",
            "my",
            "a",
            "ties",
            "him",
            "her",
            "them",
            "it",
            "that",
            "this",
            "up",
            "class",
            "hair",
            "carbs",
            "sugar",
            "corners",
            "loose",
            "through",
            "some",
            "his",
            "their",
            "contact",
            "me",
            "you",
            "an",
            "into",
            "across",
            "onions",
            "bread",
            "costs",
            "spending",
            "school",
            "work",
            "line",
            "bangs",
        }
    return True


def _vanish(doc: Doc, start: int, end: int) -> bool:
    """'want to disappear' yes; 'disappear for a while', 'from social media' no."""
    nxt, nxt2 = _next(doc, end), _next(doc, end, 1)
    if nxt in (
        "from",
        "under",
        "into",
        "to",
        "until",
        "till",
        "in",
        "with",
        "somewhere",
        "abroad",
        "on",
        "inside",
        "behind",
        "offline",
    ):
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


def _suicidal_ideation(doc: Doc, start: int, end: int) -> bool:
    first = doc[start].norm_
    nxt = _next(doc, end)
    if first == "suicide" and end - start == 1:
        # someone else's suicide told as news: "my cousin committed suicide", "his mom
        # died by suicide", "we lost him to suicide"
        for tok in reversed(doc[max(0, start - 5) : start]):
            if tok.norm_ in W.LOSS:
                if tok.norm_ in ("lose", "lost", "loss"):
                    return False
                subject = _subject(doc, tok.i)
                if subject in W.THIRD_PERSON:
                    return False
                if tok.norm_ in ("die", "pass", "death") and subject not in ("i", ""):
                    return False
                break
        if _subject(doc, start) in W.THIRD_PERSON:
            return False
    if first in ("drown", "shoot", "throw") and nxt in ("in", "with", "into", "up", "out", "a"):
        return False  # "drown myself in work", "shoot myself in the foot"
    if first == "end" and nxt in ("with", "between", "we", "in", "on"):
        return False  # "end everything with him"
    return True


def _hitting(doc: Doc, start: int, end: int) -> bool:
    """'<someone> hit/slap/push/grab me' yes; the everyday senses no (see module docstring)."""
    if doc[start].norm_ in ("hide", "cover"):  # "i hide my bruises"
        return True
    if (
        doc[start].norm_ == "pull"
        and _next(doc, end) == "out"
        and not _actor_subject(doc, start, end)
    ):
        return False  # "i'm pulling my hair out over this": the idiom, or the writer's own
    verb = ""
    for tok in doc[start:end]:
        if tok.norm_ in W.HIT or tok.norm_ in ("throw", "hurl", "fling", "chuck"):
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
        return not (
            {t.norm_ for t in doc[start:end]}
            & {
                "shade",
                "fit",
                "tantrum",
                "compliment",
                "question",
                "look",
                "glance",
                "smile",
                "wink",
                "kiss",
                "party",
                "curveball",
                "bone",
                "pillow",
                "cushion",
                "blanket",
                "towel",
                "sock",
                "socks",
                "snowball",
                "paper",
                "confetti",
                "kisses",
                "hint",
                "hints",
            }
        )
    if verb == "hit":
        if nxt in ("up", "back", "different", "hard", "harder", "differently", "like"):
            return False  # "hit me up", "hit me back" (reply), "it hit me hard"
        if nxt == "with":
            return any(w in W.WEAPONS for w in _after(doc, end + 1, 3))
    if verb == "push":
        if nxt in (
            "away",
            "aside",
            "off",
            "around",
            "forward",
            "too",
            "harder",
            "through",
            "out",
            "past",
            "further",
            "hard",
            "to",
            "into",
            "towards",
            "toward",
        ):
            return nxt in ("to", "into", "towards", "toward", "hard") and nxt2 in {
                "the",
                "a",
                "wall",
                "floor",
                "ground",
                "his",
                "her",
                "door",
                "bed",
                "car",
                "couch",
                "table",
                "stairs",
                "corner",
                "sofa",
                "counter",
                "so",
                "that",
            }
    if verb in ("grab", "pull", "yank") and set(norms) & {
        "hair",
        "throat",
        "neck",
        "wrist",
        "wrists",
        "jaw",
        "face",
    }:
        return True  # "grabbed my hair and slammed my head ...": what follows does not matter
    if verb == "grab" and nxt == "by" and _next(doc, end, 2) in ("hand", "hands"):
        return False  # "grabbed me by the hand and pulled me to the dance floor"
    if verb == "grab" and nxt in {
        "a",
        "an",
        "some",
        "coffee",
        "food",
        "lunch",
        "dinner",
        "drink",
        "drinks",
        "breakfast",
        "something",
        "one",
        "the",
        "my",
        "flowers",
        "takeout",
        "snacks",
        "boba",
        "tea",
        "and",
        "from",
        "at",
        "for",
        "in",
    }:
        return False
    if verb == "beat" and nxt in (
        "at",
        "in",
        "to",
        "by",
        "home",
        "there",
        "again",
        "every",
        "first",
        "twice",
    ):
        return False
    if verb == "bite" and "head" in norms and nxt == "off":
        return False  # "bites my head off before coffee": snaps at me
    if verb in ("kick", "drag", "shake") and nxt in (
        "out",
        "off",
        "along",
        "around",
        "to",
        "into",
        "up",
    ):
        return False
    if verb in (
        "choke",
        "trip",
        "squeeze",
        "pinch",
        "tackle",
        "bite",
        "burn",
        "scratch",
        "elbow",
        "knee",
        "pin",
        "stab",
        "attack",
        "whip",
        "assault",
    ) and nxt in (
        "up",
        "about",
        "over",
        "into",
        "to",
        "along",
        "out",
        "on",
        "with",
        "for",
        "in",
        "the",
        "a",
        "some",
        "verbally",
    ):
        if verb == "attack" and nxt == "with":
            return any(w in W.WEAPONS for w in _after(doc, end + 1, 3))
        if verb == "pin" and nxt in ("to", "on"):
            return True
        return verb in ("choke", "stab", "burn") and nxt in ("with", "in", "the", "on")
    return True


def _image_threat(doc: Doc, start: int, end: int) -> bool:
    """Sharing an image is abuse when it is intimate, leaked, or held over the person."""
    norms = {t.norm_ for t in doc[start:end]}
    before = [t.norm_ for t in doc[max(0, start - 8) : start]]
    if _subject(doc, start) in ("i", "we") and not {"threaten", "blackmail", "threat"} & set(
        before
    ):
        return False  # "i sent the ultrasound pic": the writer's own sharing
    if doc[end - 1].norm_ == "me":  # "he has videos of me and says he'll send them to ..."
        after = _after(doc, end, 12)
        return any(
            w in after
            for w in (
                "threaten",
                "blackmail",
                "post",
                "send",
                "share",
                "leak",
                "show",
                "upload",
                "expose",
                "if",
                "unless",
            )
        )
    if norms & {
        "nude",
        "naked",
        "intimate",
        "explicit",
        "sexy",
        "sexual",
        "nsfw",
        "sex",
        "private",
        "dirty",
        "topless",
        "revealing",
        "tape",
        "sexting",
    }:
        return True
    if norms & {"leak", "expose", "sell", "circulate", "distribute"}:
        return True
    if "threaten" in before or "blackmail" in before or "threat" in before:
        return True
    after = _after(doc, end, 8)
    to_others = (
        "if" in after
        or "unless" in after
        or any(
            w in after
            for w in (
                "boss",
                "family",
                "parents",
                "mom",
                "mum",
                "dad",
                "everyone",
                "online",
                "internet",
                "work",
                "coworkers",
                "friends",
                "kids",
                "church",
                "school",
                "reddit",
                "twitter",
                "employer",
                "husband",
                "wife",
                "ex",
                "porn",
            )
        )
    )
    said_or_will = any(
        w in before[-5:]
        for w in ("say", "tell", "swear", "will", "would", "go", "gonna", "text", "message")
    )
    return to_others and said_or_will


def _fear_of_partner(doc: Doc, start: int, end: int) -> bool:
    """'scared of him' yes; 'scared of him leaving / of her finding someone better' no;
    'he's terrified of spiders' no (the partner afraid of a thing)."""
    if doc[start].norm_ in ("he", "she", "they") or doc[start].norm_ in W.PARTNER:
        if (
            _next(doc, end) == "of"
            and _next(doc, end, 1) not in W.OBJPRON
            and _next(doc, end, 1) not in ("me", "my", "what", "how")
        ):
            return False
    last = doc[end - 1].norm_
    if last == "home" and _next(doc, end) == "to":
        return _next(doc, end, 1) in W.OBJPRON or _next(doc, end, 1) == "my"
    if last in ("scary", "violent", "aggressive", "terrifying", "frightening", "threatening"):
        return not _has_laugh(doc)  # "she gets aggressive when she plays fifa lol"
    if last not in W.OBJPRON and last not in W.PARTNER:
        return True
    nxt_tok = doc[end] if end < len(doc) else None
    if nxt_tok is None or nxt_tok.is_punct:
        return True
    low = nxt_tok.lower_
    if low.endswith("ing") and low not in (
        "sometimes",
        "something",
        "everything",
        "thing",
        "anything",
        "nothing",
    ):
        return False
    return nxt_tok.norm_ not in W.FEAR_OBJECT_NOT


def _threat(doc: Doc, start: int, end: int) -> bool:
    if (
        doc[start].norm_ == "threaten"
        and _subject(doc, start) in W.RELATIVES
        and _next(doc, start + 1) == "to"
        and _next(doc, start + 2) not in W.THREAT_HARM
    ):
        return False  # "my mum threatened to come and stay", "my nan ... to stop doing roast"
    if doc[start].norm_ == "threaten" and _subject(doc, start) in ("i", "we"):
        return False  # "i threatened to confiscate the ipad"
    last = doc[end - 1].norm_
    if last == "to":  # "threatened to take the kids / come over" yes; "... to leave me" no
        nxt, nxt2 = _next(doc, end), _next(doc, end, 1)
        if nxt == "call" and nxt2 in (
            "the",
            "police",
            "cops",
            "immigration",
            "ice",
            "my",
            "social",
            "cps",
            "child",
        ):
            return True
        return nxt not in {
            "leave",
            "break",
            "dump",
            "end",
            "block",
            "unfriend",
            "unfollow",
            "disown",
            "divorce",
            "go",
            "move",
            "stop",
            "ghost",
            "quit",
            "walk",
            "call",
            "cancel",
            "sleep",
            "split",
            "ignore",
            "delete",
            "mute",
            "unmatch",
            "uninvite",
            "stay",
            "not",
            "never",
            "cry",
            "tell",
        }
    if doc[start].norm_ != "threaten" and _next(doc, end) in ("if", "when") and _has_laugh(doc):
        # "he said he'd kill me if i spoiled the finale 😂": a laughing "kill me if" is the
        # figure; a laughing threat about leaving or telling is caught by its own pattern
        return False
    if last == "if" and doc[start].norm_ in (
        "kill",
        "hurt",
        "hit",
        "beat",
        "murder",
        "strangle",
        "stab",
    ):
        # "he'll kill me if he finds out" yes; "my mom would kill me if she knew", "lol" no
        subject = _subject(doc, start)
        return not _has_laugh(doc) and (subject in W.PERSONPRON or subject in W.PARTNER)
    if doc[start].norm_ == "i":  # a quoted "i'll kill you"
        return not _has_laugh(doc)
    return True


_REPLYING = frozenset(
    "reply replied replying respond responded responding answer answered "
    "answering tick ticks online".split()
)


def _monitoring(doc: Doc, start: int, end: int) -> bool:
    first = doc[start]
    if first.norm_ not in (
        "send",
        "show",
        "make",
        "force",
        "have",
        "need",
        "demand",
        "insist",
    ) and not _not_self_subject(doc, start, end):
        return False  # "i check my phone", "i track my spending", "i logged into my email"
    if first.norm_ in ("check", "look", "stare", "refresh") and _diary_self(doc, start):
        return False  # "keep checking my phone every 2 mins": waiting for a reply
    norms = [t.norm_ for t in doc[start:end]]
    if first.norm_ in W.LOOK and first.norm_ not in ("track", "monitor", "spy"):
        device = norms[-1]
        lowers = [t.lower_ for t in doc[start:end]]
        if (
            first.norm_ in ("read", "see", "open")
            and not first.lower_.endswith("s")
            and any(t.norm_ in _REPLYING for t in doc)
        ):
            return False  # "he read my whatsapp and didn't reply": a read receipt (messy round 26)
        if device in W.DEVICE_PRIVATE or lowers[-1] in ("texts", "messages", "photos"):
            if first.norm_ == "go" and not any(w in norms for w in ("through", "into", "in")):
                return False  # "went on my phone" is not "went through my phone"
            if lowers[-1] in ("texts", "messages", "photos") and not (
                first.norm_ in W.SNOOP_VERBS
                or first.lower_ in W.HABITUAL
                or any(w in norms for w in ("all", "every", "through", "each"))
            ):
                return False  # "he read my messages and didn't reply" is a read receipt
            return True
        if device in W.DEVICE_SOCIAL:
            return (
                first.norm_ in W.SNOOP_VERBS
                or first.lower_ in W.HABITUAL
                and any(w in norms for w in ("all", "every", "through", "each"))
                or any(w in norms for w in ("all", "every", "through", "each"))
            )
        return False
    if first.norm_ == "follow":
        return _next(doc, end) not in ("on", "back", "in") and not _has_laugh(doc)
    if "know" in norms and first.norm_ in ("need", "want", "have"):
        return any(
            w in _after(doc, end, 6)
            for w in (
                "all",
                "every",
                "24/7",
                "constantly",
                "always",
                "minute",
                "hour",
                "second",
                "whole",
            )
        )
    return True


def _money(doc: Doc, start: int, end: int) -> bool:
    """'he controls the money' yes; 'i keep my savings', 'i check my statements' no."""
    if doc[start].norm_ in (
        "control",
        "take",
        "keep",
        "confiscate",
        "check",
        "go",
        "move",
        "transfer",
    ):
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
        return (
            not after
            or after[0]
            in (
                "the",
                "house",
                "home",
                "my",
                "apartment",
                "flat",
                "room",
                "without",
                "alone",
                "unless",
                "anymore",
                "by",
                "at",
                "because",
                "and",
                "or",
                "when",
                "ever",
                "ever",
                "even",
                "on",
                "for",
                "to",
            )
            or doc[end].is_punct
        )
    if verb in ("go", "hang"):
        return bool(after) and after[0] in (
            "out",
            "anywhere",
            "home",
            "outside",
            "see",
            "visit",
            "alone",
            "places",
            "with",
            "by",
            "on",
            "to",
            "back",
            "anymore",
            "there",
            "without",
        )
    if verb in ("work", "drive", "out"):
        return True
    if verb in ("have", "keep", "get", "use", "touch", "open"):
        if any(
            a == "at" and b in ("work", "school", "uni", "college", "church", "dinner")
            for a, b in zip(after, after[1:])
        ):
            return False  # "i'm not allowed to have my phone at work"
        return any(
            w in after
            for w in (
                "money",
                "account",
                "card",
                "job",
                "phone",
                "car",
                "friend",
                "friends",
                "own",
                "bank",
                "keys",
                "key",
                "passport",
                "password",
                "privacy",
                "cash",
                "social",
                "instagram",
                "life",
                "wage",
                "wages",
                "paycheck",
                "salary",
                "savings",
                "license",
                "licence",
            )
        )
    # see / visit / talk / call / text / contact / spend / meet / speak / message
    for w in after:
        if w in ("his", "her", "their"):
            return False  # "won't let me meet his friends / her parents"
        if w in W.OTHERS or w in W.PARTNER:
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
    if first in (
        "furious",
        "angry",
        "mad",
        "violent",
        "aggressive",
        "scary",
        "crazy",
        "nasty",
        "rage",
        "raging",
        "jealous",
        "abusive",
        "get",
        "be",
    ):
        after = _after(doc, end, 5)
        return any(w in W.OTHERS for w in after) or "out" in after
    if first in ("smash", "destroy", "throw", "snap") and doc[start].lower_ == first:
        # the bare verb is an urge more often than a report: "(want to) throw my laptop
        # out the window" is the writer's; "he'll smash my phone", "she threw it" are not
        return _actor_subject(doc, start, end)
    return _not_self_subject(doc, start, end)


def _actor_subject(doc: Doc, start: int, end: int) -> bool:
    """The doer is the partner / another person ('he', 'she', 'my bf'), never 'i', 'it',
    'these heels' ... (a whitelist, unlike _person_subject)."""
    return _subject(doc, start) in W.ACTORS


def _own_act(doc: Doc, start: int, end: int) -> bool:
    """Not about someone else ('he drove into a tree at 17'), not a near miss ('almost')."""
    if _subject(doc, start) in W.THIRD_PERSON:
        return False
    before = {t.norm_ for t in doc[max(0, start - 4) : start]}
    return not before & {"almost", "nearly", "accidentally", "nearly"}


def _drive_into(doc: Doc, start: int, end: int) -> bool:
    """'keep imagining driving my car into a wall', 'could drive into a tree' yes; 'i almost
    drove into a wall', 'he drove into a tree when he was 17', 'i crashed into a pole last
    year' (a past accident told as news) no."""
    if not _own_act(doc, start, end):
        return False
    if doc[start].lower_ in W.PAST_DRIVE:
        before = {t.norm_ for t in doc[max(0, start - 8) : start]}
        return bool(before & W.INTENT - {"go", "to", "just", "about"} - {"would"}) and bool(
            before & {"want", "wish", "tempt", "tempted", "urge", "plan"}
        )
    return True


def _bath_blade(doc: Doc, start: int, end: int) -> bool:
    """'sitting in the bath with a razor' yes; '... shaving my legs' no."""
    return _own_act(doc, start, end) and not (
        {t.norm_ for t in doc} & W.BATH_NOT or {t.lower_ for t in doc} & W.BATH_NOT
    )


def _end_it_soon(doc: Doc, start: int, end: int) -> bool:
    """'tonight im going to end it', 'ending it tomorrow' yes; anything that names the
    relationship or another thing being ended ('end it with him tonight', 'we're going to
    end it tonight') no."""
    norms = {t.norm_ for t in doc}
    return not norms & W.RELATIONSHIP_WORDS and _not_third_person(doc, start, end)


def _done_living(doc: Doc, start: int, end: int) -> bool:
    """'i'm done living' yes; 'done living my life around him', 'done living in this city' no."""
    nxt = _next(doc, end)
    return nxt not in {
        "my",
        "for",
        "like",
        "in",
        "with",
        "around",
        "under",
        "at",
        "on",
        "by",
        "off",
        "out",
        "as",
        "a",
        "the",
        "his",
        "her",
        "their",
        "this",
        "that",
        "through",
        "up",
        "together",
        "paycheck",
        "here",
        "there",
        "alone",
        "apart",
        "near",
        "next",
        "someone",
        "somebody",
        "in",
        "according",
    }


def _stockpile(doc: Doc, start: int, end: int) -> bool:
    """'stockpiling my sleeping pills' yes; '... before my trip abroad' no; not someone else's."""
    if _subject(doc, start) in W.THIRD_PERSON or _subject(doc, start) in W.PERSONPRON:
        return False
    if doc[start].norm_ in ("save", "collect"):  # "need to collect my meds" is an errand
        norms = {t.norm_ for t in doc[start : end + 1]}
        if not (doc[start].lower_.endswith("ing") or norms & ({"up", "away"} | W.QUANTITY)):
            return False
    return not {t.norm_ for t in doc} & W.STOCK_NOT


def _allowance(doc: Doc, start: int, end: int) -> bool:
    """'he gives me £20 a week' yes; 'gives me a kiss every day', 'my mum gives me £50 a
    month' (a parent) no."""
    if not _actor_subject(doc, start, end):
        return False
    if doc[end - 1].norm_ in ("allowance", "money"):  # "he gives me an allowance"
        return True
    between = doc[start + 2 : end - 1]
    lowers = {t.lower_ for t in between} | {t.norm_ for t in between}
    if lowers & W.TIME_UNITS:
        return False
    return bool(lowers & W.CURRENCY) or any(t.like_num or t.text[:1] in "£$€" for t in between)


def _card(doc: Doc, start: int, end: int) -> bool:
    """'he takes my bank card', 'he keeps my debit card' yes; 'took my card to do the shop' no."""
    return _actor_subject(doc, start, end) and _next(doc, end) not in (
        "to",
        "for",
        "out",
        "by",
        "back",
    )


def _or_he_loses_it(doc: Doc, start: int, end: int) -> bool:
    """'i have to check in with him every hour or he loses it', 'if i don't answer straight
    away he loses it' yes; 'if i beat him at fifa he loses it lol' no (laughing)."""
    if _has_laugh(doc):
        return False
    norms = [t.norm_ for t in doc[:start]]
    if doc[start].norm_ in ("or", "otherwise"):
        return bool(set(norms) & W.OBLIGATION)
    return True


def _say_no_sex(doc: Doc, start: int, end: int) -> bool:
    """'scared to say no to him in bed', 'i can't say no when he wants sex' yes; 'scared to
    say no to him when he asks me to move in' (fear of losing him) no."""
    lowers = {t.lower_ for t in doc} | {t.norm_ for t in doc}
    if "sleep" in lowers and "with" in lowers:
        return True
    return bool(lowers & W.SEX_CONTEXT)


def _burden_object(doc: Doc, start: int, end: int) -> bool:
    """'a burden to everyone / to the world / to my family' yes; 'a burden on the budget' no."""
    return not (doc[end - 1].norm_ == "the" and _next(doc, end) not in ("world",)) and not (
        doc[end - 1].norm_ == "my"
        and _next(doc, end) not in ("family", "friends", "parents", "kids")
    )


_WRITER = {"i", "me", "myself", "im", ""}
_ACCIDENT = {
    "accident",
    "accidentally",
    "oven",
    "shave",
    "shaving",
    "cooking",
    "iron",
    "kettle",
    "stove",
    "hob",
    "curling",
    "tripped",
    "slipped",
    "cupboard",
    "chopping",
    "onion",
    "onions",
    "gardening",
    "sunburn",
    "sunburnt",
    "skiing",
    "dentist",
    "manicure",
    "wax",
    "waxing",
    "tattoo",
    "piercing",
    "vaccine",
    "jab",
    "injection",
    "paper",
}


def _writer_subject(doc: Doc, start: int, end: int) -> bool:
    """The writer did it (or no one else is named): 'i cut my arm', 'punched the wall';
    not 'he drives really fast and swerves on purpose' (his act, joined by 'and')."""
    who = _subject(doc, start, limit=8)
    if who not in _WRITER and doc[start].lower_.endswith("ing"):
        who = _clause_subject(doc, start) or who  # "i was sat on the floor holding ..."
    return (
        who in _WRITER and not _partner_in_clause(doc, start) and not _joined_to_someone(doc, start)
    )


def _clause_subject(doc: Doc, start: int) -> str:
    """The subject of the clause a participle at ``start`` goes on from: the nearest
    personal pronoun or partner before it in the same clause ('' if none)."""
    for tok in reversed(doc[max(0, start - 12) : start]):
        if tok.is_punct or tok.norm_ in W.CLAUSE_BREAKS:
            return ""
        if tok.norm_ in ("i", "he", "she", "they", "we") or tok.norm_ in W.PARTNER:
            return tok.norm_
    return ""


def _joined_to_someone(doc: Doc, start: int) -> bool:
    """The verb at ``start`` shares its subject with the clause before 'and' / 'then' /
    'but', and that subject is the partner: 'he drives fast and swerves'."""
    i = start - 1
    while i >= 0 and doc[i].norm_ in W.SKIP_BEFORE_VERB:
        i -= 1
    if i < 0 or doc[i].norm_ not in ("and", "then", "but"):
        return False
    for tok in reversed(doc[max(0, i - 10) : i]):
        if tok.is_punct or tok.norm_ in ("i", "we", "me"):
            return False
        if tok.norm_ in ("he", "she", "they") or tok.norm_ in W.PARTNER:
            return True
    return False


def _partner_in_clause(doc: Doc, start: int) -> bool:
    i = start - 1
    while i >= 0 and start - i <= 8:
        tok = doc[i]
        if tok.is_punct or tok.norm_ in W.CLAUSE_BREAKS:
            return False
        if tok.norm_ in ("he", "she", "they") or tok.norm_ in W.PARTNER:
            return True
        i -= 1
    return False


def _not_an_accident(doc: Doc, start: int, end: int) -> bool:
    """Self-injury, not 'burned my hand on the oven' or 'cut myself shaving'; the tool of an
    accident used on purpose is no accident ("burned myself with the curling iron on
    purpose", blind round 103, spent)."""
    norms = {t.norm_ for t in doc} | {t.lower_ for t in doc}
    return _writer_subject(doc, start, end) and (not norms & _ACCIDENT or _said_meant(doc))


_MEANT = frozenset({"purpose", "deliberately", "intentionally", "punish", "punishment"})


def _said_meant(doc: Doc) -> bool:
    """ "on purpose", "deliberately": said, and not taken back ("not on purpose")."""
    for tok in doc:
        if tok.norm_ in _MEANT or tok.lower_ in _MEANT:
            before = {t.norm_ for t in doc[max(0, tok.i - 3) : tok.i]}
            if not before & {"not", "never", "accidentally"}:
                return True
    return False


def _partner_does_it(doc: Doc, start: int, end: int) -> bool:
    """Someone else does it to the writer: he, she, they, my partner, my ex, someone, or a
    name the message opens with ("kwame tells me im crazy")."""
    if _actor_subject(doc, start, end):
        return True
    return _partner_in_clause(doc, start) or _opening_name(doc, start)


def _opening_name(doc: Doc, start: int) -> bool:
    """The verb's subject is the message's first word and no English word: a name."""
    i = start - 1
    while i > 0 and doc[i].norm_ in W.SKIP_BEFORE_VERB:
        i -= 1
    first = doc[0].lower_
    return (
        i == 0
        and start > 0
        and doc[0].is_alpha
        and len(first) > 2
        and first not in W.LAUGH
        and first not in W.CHAT_OPENERS
        and not is_english_word(first)
    )


def _someone_subject(doc: Doc, start: int, end: int) -> bool:
    """Someone named did it: my dad, my sister, a friend (not 'this assignment')."""
    who = _subject(doc, start)
    return who in W.THIRD_PERSON or who in W.OTHERS


def _no_laugh(doc: Doc, start: int, end: int) -> bool:
    return not _has_laugh(doc)


negated = _negated
subject = _subject

#: Checks a rule file may name. The name is the function's without its underscore.
CHECKS: dict[str, Check] = {
    name.lstrip("_"): function
    for name, function in [
        ("_live_tail", _live_tail),
        ("_die_tail", _die_tail),
        ("_pills", _pills),
        ("_self_harm", _self_harm),
        ("_vanish", _vanish),
        ("_goodbye_notes", _goodbye_notes),
        ("_suicidal_ideation", _suicidal_ideation),
        ("_hitting", _hitting),
        ("_image_threat", _image_threat),
        ("_fear_of_partner", _fear_of_partner),
        ("_threat", _threat),
        ("_monitoring", _monitoring),
        ("_money", _money),
        ("_isolation", _isolation),
        ("_actor_subject", _actor_subject),
        ("_own_act", _own_act),
        ("_drive_into", _drive_into),
        ("_bath_blade", _bath_blade),
        ("_end_it_soon", _end_it_soon),
        ("_done_living", _done_living),
        ("_stockpile", _stockpile),
        ("_allowance", _allowance),
        ("_card", _card),
        ("_or_he_loses_it", _or_he_loses_it),
        ("_say_no_sex", _say_no_sex),
        ("_not_third_person", _not_third_person),
        ("_not_self_subject", _not_self_subject),
        ("_person_subject", _person_subject),
        ("_burden_object", _burden_object),
        ("_writer_subject", _writer_subject),
        ("_not_an_accident", _not_an_accident),
        ("_partner_does_it", _partner_does_it),
        ("_no_laugh", _no_laugh),
        ("_someone_subject", _someone_subject),
    ]
}


def lookup(name: str) -> Optional[Check]:
    return CHECKS.get(name)
