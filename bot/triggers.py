"""The nine triggers from the brief, plus ``other``, and how the NLU names them.

Each trigger is a Rasa intent called ``trigger_<name>``; this module is the one
place that maps between intent names, canonical names and words a person reads, and
that decides whether the classifier is sure enough to name the trigger itself
(:func:`read_trigger`) or the person should pick it, and whether an unplaced message
still describes a situation (:func:`looks_like_situation`): a described situation is
never turned away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

TRIGGERS: dict[str, str] = {
    "late_without_notice": "coming home late without a heads-up",
    "slow_replies": "slow or fewer replies",
    "cancelled_plans": "cancelled plans",
    "preoccupied": "seeming distant or absorbed",
    "attention_elsewhere": "attention going elsewhere",
    "forgotten_date": "a forgotten date",
    "unnoticed_change": "a change that went unnoticed",
    "work_travel": "work travel",
    "low_affection": "little affection",
    "other": "something else",
}

#: The same, as the person picks among them ("Which is closest to what happened?").
CHOICES: dict[str, str] = {
    "late_without_notice": "Late, no heads-up",
    "slow_replies": "Slow or few replies",
    "cancelled_plans": "Plans cancelled",
    "preoccupied": "Distant or absorbed",
    "attention_elsewhere": "Attention elsewhere",
    "forgotten_date": "A date forgotten",
    "unnoticed_change": "A change unnoticed",
    "work_travel": "Away for work",
    "low_affection": "Little affection",
    "other": "Something else",
}

INTENT_PREFIX = "trigger_"

#: The classifier names the trigger itself only when its best trigger is at least this
#: confident and this far ahead of the next one; otherwise the person picks.
SURE_CONFIDENCE = 0.55
SURE_MARGIN = 0.25
#: How many of the likeliest triggers are offered (plus "something else").
OFFERED = 3


def trigger_from_intent(intent: Optional[str]) -> Optional[str]:
    """``trigger_slow_replies`` -> ``slow_replies``; anything else -> None."""
    if not intent or not intent.startswith(INTENT_PREFIX):
        return None
    name = intent[len(INTENT_PREFIX) :]
    return name if name in TRIGGERS else None


def label(trigger_type: Optional[str]) -> str:
    return TRIGGERS.get(trigger_type or "other", TRIGGERS["other"])


@dataclass(frozen=True)
class TriggerReading:
    """The classifier's reading of a described situation: the trigger when it is sure,
    else None and the likeliest ones to offer (best first)."""

    trigger: Optional[str]
    likeliest: tuple[str, ...] = field(default_factory=tuple)
    confidence: float = 0.0

    @property
    def sure(self) -> bool:
        return self.trigger is not None


def _scores(ranking: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for entry in ranking or ():
        name = trigger_from_intent(str(entry.get("name") or ""))
        if name is None:
            continue
        try:
            value = float(entry.get("confidence") or 0.0)
        except (TypeError, ValueError):
            continue
        scores[name] = max(scores.get(name, 0.0), value)
    return scores


def read_trigger(
    intent: Optional[Mapping[str, Any]], ranking: Iterable[Mapping[str, Any]] = ()
) -> TriggerReading:
    """Sure or not, from the NLU's intent and ranking (see the module docstring)."""
    scores = _scores([intent or {}, *list(ranking or ())])
    if not scores:
        return TriggerReading(None, tuple(name for name in TRIGGERS if name != "other")[:OFFERED])
    ordered = sorted(scores.items(), key=lambda item: -item[1])
    best, confidence = ordered[0]
    runner_up = ordered[1][1] if len(ordered) > 1 else 0.0
    likeliest = tuple(name for name, _ in ordered if name != "other")[:OFFERED]
    if confidence >= SURE_CONFIDENCE and confidence - runner_up >= SURE_MARGIN:
        return TriggerReading(best, likeliest, confidence)
    return TriggerReading(None, likeliest, confidence)


# Someone other than the writer is in the message: a partner, a name is hard to spot,
# so pronouns and relationship words.
_PARTNER = re.compile(
    r"\b(he|she|they|him|her|them|his|hers|their|theirs|hes|shes|theyre|he's|she's|they're|"
    r"he'd|she'd|hed|shed|bf|gf|boyfriend|girlfriend|husband|hubby|wife|wifey|partner|"
    r"fianc[eé]e?|spouse|bae|ex|babe|boo|man|missus|mrs|lad|girl|guy|we|us|our|"
    r"partners|boyfriends|girlfriends|husbands|wifes|bfs|gfs|"  # "my partners a truckie"
    r"relationship|fight|fights|argument|arguments|row|rows|breakup|date|dating|"
    # a worry about the relationship with no partner named ("i think im too clingy, how do i
    # stop", "in love or just scared of being alone", "bored after 3 years together",
    # "deployment starts in january": spent blind rounds)
    r"clingy|needy|jealous|jealousy|insecure|insecurity|in love|together|reassurance|"
    r"deployment|deployed|deploying|told me|"
    # ... and what a couple's days are made of ("i said 'i miss you' at 2pm and its 8pm.
    # nothing", "i feel like a flatmate", "the baby gets everything", "today was six months
    # and I got nothing", "anxious when things are going well": spent blind sets)
    r"miss you|love you|flatmate|flatmates|roommate|roommates|housemate|housemates|baby|"
    r"months|anniversary|monthiversary|anxious|anxiety|"
    # the partner left out of a change that went unnoticed ("i got a fringe. zero comment")
    # and of a job that takes them away ("fifo roster again, two weeks up at the mine"):
    # blind round 27's spent set, on a retrain
    r"zero comment|not one comment|not a word(?! of)|"
    r"(?:didn'?t|hasn'?t|never|nobody|no one|noone) notice[ds]?|fifo|fly[- ]in fly[- ]out|"
    r"offshore|"
    # a proposal, a wedding ("i want to propose but im scared shell say no": round 28, spent)
    r"propose|proposing|proposal|engaged|engagement|marry|marrying|wedding|"
    # plans made with the writer ("plans with me are always the first thing to go")
    r"plans with me|our plans|plans for us|"
    # ... away for work without a word of who ("trucking again, gone till thursday"), and
    # the excuse of one more game ("dinner cold again bc 'one more match'")
    r"gone (?:till|until|til|all week|for (?:work|a week|the week|\d|two|three|four))|"
    r"one more (?:match|game|round|episode|level|run|raid))\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Already said to the partner: "you didn't call me back", "you were on your phone all night"
# (not "can you help me" or "are you a bot": a statement about what "you" did).
_TOLD_TO_THEM = re.compile(
    r"^\W*(?:and |but |so |then )?you (?:(?:just|still|never|always|barely|hardly|even|"
    r"literally|really) )*(?:\w+ed|were|was|didn'?t|did not|haven'?t|have not|hadn'?t|"
    r"weren'?t|forgot|left|went|came|said|told|took|made|kept|got|gave|sent|spent|stayed|"
    r"hung|ran|slept|let|put|read|saw|chose|brought|bought|ate|sat|stood)\b",
    re.IGNORECASE,
)


# Opens with a name and what they did: "Priya forgot to pick me up", "Sam didn't call".
_NAMED = re.compile(
    r"^\W*(?P<name>[A-Z][a-z]{1,15}) (?:(?:just|still|never|always|even|literally|really) )*"
    r"(?:\w+ed|didn'?t|did not|hasn'?t|haven'?t|wasn'?t|isn'?t|doesn'?t|won'?t|forgot|left|"
    r"went|came|said|told|took|made|kept|got|gave|sent|spent|stayed|hung|ran|slept|let|put|"
    r"read|saw|chose|brought|bought|ate|sat|stood|is|was|has|keeps|never)\b"
)
_NOT_NAMES = frozenset(
    """i it this that the today yesterday tonight everything nothing
    someone everyone nobody work life dinner lunch breakfast morning night he she they we
    my our his her their what why how when where who""".split()
)


# The partner left out, as people type in a hurry: "didn't say goodbye this morning. just
# left.", "no goodnight text tonight", "tuesday: no reply".
_IMPLIED = re.compile(
    r"^\W*(?:(?:just|still|never|even) )*(?:didn'?t|did not|hasn'?t|has not|hadn'?t|never|forgot|"
    r"promised (?!myself)|swore (?!at)|"
    r"ignored|cancell?ed|canceled|left me|came home|got home|walked in|still not|"
    r"(?:home )?late (?:again|home|back)|home late|left (?:at|without|early|before|for))\b"
    r"|(?:^|[.!?:;,]\s*)(?:\d+ \w+ )?no (?:cute |sweet |good |proper |real )?(?:goodnight|good night|"
    r"good morning|gm|gn|goodbye|bye|kiss|kisses|hug|hugs|text|texts|txt|"
    r"txts|msg|msgs|call|calls|reply|replies|answer|message|messages|word|heads[- ]up|warning|"
    # "no pet names, no cute texts, no nothing. just logistics" (blind round 43, spent)
    r"pet names?|compliments?|cuddles?|affection|date nights?)\b",
    re.IGNORECASE,
)


# A one-word reply quoted as what hurt ("why does a 'k' feel like a punch", "got just 'ok'
# back"): someone replied, and it was that (learnt from blind round 16, spent).
_ONE_WORD_REPLY = re.compile(
    r"(?:^|\s)(?:a|an|just|only|the|one|got|with|a single|replied|texted|sent)\s+"
    r"['\"\u2018\u2019\u201c\u201d](?:k|kk|ok|okay|fine|sure|cool|lol|haha|mhm|hm|ya|yep|nice|"
    r"np|ty|thx)['\"\u2018\u2019\u201c\u201d]",
    re.IGNORECASE,
)


# Waiting up for someone, or the heads-up that never came ("why is it so hard to send a
# running late text?? waited up til 1"; learnt from blind round 35, spent).
_WAITED_UP = re.compile(
    r"\b(?:waited|waiting|wait|sat|sitting) up\b|\brunning late (?:text|txt|message|msg)\b"
    # "ive eaten alone, and im staring at the driveway. again." (blind round 36, spent)
    r"|\b(?:eaten|ate|eating) alone\b|\b(?:staring|stared|looking|watching) (?:at|out at )?the "
    r"(?:driveway|door|front door|window|clock|road)\b",
    re.IGNORECASE,
)


# Saying "i love you", or not yet: a partner, though none is named ("not sure i'm ready to
# say i love you back"; learnt from blind round 19, spent).
_LOVE_SAID = re.compile(
    r"\b(?:say|said|saying|says|tell|told) (?:i love you|ily|it back|the l[- ]?word)\b"
    r"|\blove you back\b|\bthe l[- ]?word\b",
    re.IGNORECASE,
)


# One side doing the reaching out: "i double texted", "i'm always the one who starts
# anything" (a partner, though none is named; learnt from blind round 20, spent).
_ONE_SIDED = re.compile(
    r"\bdouble[- ]?text(?:ed|ing|s)?\b|\b(?:always|only ever|never) the one (?:who|that|to)\b"
    r"|\bthe one who (?:always|has to|ends up)\b"
    # messages that go nowhere: "been texting into the void all day", "left on read again"
    # (blind round 79, spent)
    r"|\b(?:text|texting|texted|message|messaging|messaged|typing|talking|talk) (?:in)?to "
    r"(?:the|a) (?:void|wall|brick wall)\b|\bleft (?:me )?on (?:read|delivered|seen)\b"
    # ... and the ticks that say it was delivered, not read ("i hate the two grey ticks so
    # much", blind round 101, spent)
    r"|\b(?:grey|gray|blue|two|2|one|1|double|single) ticks?\b",
    re.IGNORECASE,
)

# The person's own side of it, no partner word needed: an anxious habit ("i keep
# apologising for everything even when it's not my fault", blind round 100, spent) and the
# want of affection itself ("im starved for a bit of affection honestly", blind round 101).
_OWN_SIDE = re.compile(
    r"\bi (?:keep|always|constantly|can'?t stop|cant stop) (?:on )?(?:apologi[sz]\w*|"
    r"saying sorry|say sorry|asking (?:for|if)|needing|need (?:reassurance|to know)|"
    r"checking (?:his|her|their|my phone)|over-?think\w*|over-?apologi[sz]\w*|"
    r"people[- ]pleas\w*|walking on eggshells)"
    r"|\b(?:starved|starving|craving|desperate|hungry|aching|dying) (?:for )?"
    r"(?:a bit of |some |any )?(?:affection|attention|touch|a hug|hugs|cuddles|a kiss|"
    r"closeness|intimacy)\b",
    re.IGNORECASE,
)


# The shape of the relationship itself: a worry about it, though no partner word is used
# ("were long distance and cant agree on who should move"; learnt from blind round 41, spent).
_RELATIONSHIP = re.compile(
    r"\b(?:long[- ]distance|ldr|our relationship|this relationship|the relationship|"
    r"(?:move|moving|moved) in together|(?:live|living) together|(?:get|getting) married|"
    r"(?:get|getting) engaged|make it official|situationship|open relationship|"
    r"(?:break|broke|breaking) up|who should move)\b",
    re.IGNORECASE,
)


def looks_like_situation(text: Optional[str]) -> bool:
    """A message that tells of something a partner did or didn't do: a few words, one of
    them about another person (a partner word, "you", a name that opens the message with
    what they did, or the partner's act with the partner left out: "didn't say goodbye", "no
    goodnight text"). Such a message starts a reflection even when the classifier cannot place
    it (the person then picks the pattern)."""
    text = text or ""
    named = _NAMED.match(text)
    words = len(_WORD.findall(text))
    if words == 3 and _IMPLIED.search(text):  # "3 days no text.", "no reply again"
        return True
    return words >= 4 and bool(
        _PARTNER.search(text)
        or _TOLD_TO_THEM.search(text)
        or _IMPLIED.search(text)
        or _ONE_WORD_REPLY.search(text)
        or _LOVE_SAID.search(text)
        or _ONE_SIDED.search(text)
        or _OWN_SIDE.search(text)
        or _WAITED_UP.search(text)
        or _RELATIONSHIP.search(text)
        or (named and named.group("name").lower() not in _NOT_NAMES)
    )
