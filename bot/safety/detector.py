"""Crisis and abuse detection: rules from ``bot/data/safety/`` on lemmas, with the NLU as a second voice.

``assess(text, intent=None, confidence=0.0, ranking=None)`` returns a :class:`SafetyFinding`:
the risk (``none``, ``crisis`` or ``abuse``), how sure it is (:class:`Tier`: ``clear`` gets
the full response at once, ``possible`` a direct, kind question first), the short name of
the cue that fired and the matched text. It is called on every message, whatever the
conversation is doing, so it is fast (well under 2 ms for a phone-sized message) and never
raises for any text.

How a message is read
---------------------
1. The shared pipeline (``bot.language.nlp``: tokenizer + lookup lemmatizer) tokenizes the
   lower-cased text and :mod:`bot.safety.normalise` gives every token its normal form.
2. The rules (``bot/data/safety/crisis/*.yml``, ``abuse/*.yml``: one file per cell of the
   C-SSRS ladder and of the Power and Control wheel, see :mod:`bot.safety.rules`) are
   matched: a ``patterns`` rule fires on any of its patterns, a ``near`` rule when each of
   its parts matches within its window of tokens.
3. Each match is checked: its rule's named checks (:mod:`bot.safety.checks`: who did it,
   what follows the phrase ...) and negation in the same clause ("i'm not going to hurt
   myself", "he's never hit me"; not "can't stop", "not joking", "... yet").
4. The finding: clear before possible, crisis before abuse.

Combining with the NLU (intent ``crisis`` / ``abuse`` and its confidence)
------------------------------------------------------------------------
* A clear rule decides on its own, whatever the NLU said.
* Otherwise the classifier's ``crisis`` or ``abuse`` is a clear finding at
  ``confidence >= NLU_THRESHOLD``, when no cue was cancelled by a negation and the message
  holds no known figure of speech ("killing me", "dying to", "hit the gym":
  ``bot/data/safety/figures.yml``); the cue is then ``nlu_crisis`` / ``nlu_abuse``. When
  the person says there is no danger ("i'm not suicidal", "i'm safe":
  ``bot/data/safety/negations.yml``) the classifier is not heard at all.
* A guess below that, at ``confidence >= NLU_CHECK_IN``, is a possible finding: the person
  is asked directly, never ignored; so is a confident guess that a cancelled cue vetoed
  ("it's the only time i don't want to die"). A known figure of speech in the message
  explains any guess below ``NLU_FIGURE_CEILING`` ("my phone's about to die"); an unsure
  guess on a cancelled cue is none too.
  ``ranking`` (intent -> confidence) lets a crisis or abuse guess that is not the top
  intent count too.
* A possible rule finding comes next; anything else is ``Risk.none``.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from itertools import product
from typing import Iterable, Mapping, Optional

from spacy.tokens import Doc

from bot.language import verbs
from bot.language.nlp import get_nlp
from bot.lru import remembered
from bot.safety import checks
from bot.safety.normalise import lemma_table, normal_forms, normalise, typo_map
from bot.safety.rules import Part, Risk, Rule, Tier, rule_set
from bot.textcheck import well_formed
from bot.timing import median_ms

__all__ = [
    "Risk",
    "Tier",
    "SafetyFinding",
    "assess",
    "NLU_THRESHOLD",
    "NLU_CHECK_IN",
    "benchmark",
    "warm_up",
]

#: The NLU alone must be at least this confident to raise a clear crisis/abuse finding.
NLU_THRESHOLD = 0.85
#: ... and at least this confident for a possible one (a check-in).
NLU_CHECK_IN = 0.4
#: A known figure of speech in the message explains a guess below this.
NLU_FIGURE_CEILING = 0.95


@dataclass(frozen=True)
class SafetyFinding:
    risk: Risk
    cue: str = ""  # short name of the rule that fired, e.g. "death_wish", "hitting"
    matched: str = ""  # the matched text span
    tier: Tier = Tier.clear

    def __bool__(self) -> bool:  # a finding is "truthy" when there is a risk
        return self.risk is not Risk.none

    @property
    def clear(self) -> bool:
        return self.risk is not Risk.none and self.tier is Tier.clear


NO_RISK = SafetyFinding(Risk.none)


def warm_up() -> None:
    """Load the rules and build the matchers and typo table now, not on someone's message."""
    rule_set()
    typo_map()
    verbs.warm_up()  # the name check reads spaCy's English word lists
    assess("warm up")


_MAX_CHARS = 20_000  # longer texts are read in overlapping windows


_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"'}
)


_DOCS: "OrderedDict[str, tuple[Doc, str]]" = OrderedDict()


def _doc(text: str) -> tuple[Doc, str]:
    """The message tokenized with normal forms, and the text spans are taken from.

    The few newest are kept: the safety classifier, the rules and the trigger classifier
    read the same message one after another. A kept doc is only ever read. The channels
    hand over well-formed text; a caller that did not (a script reading escaped YAML) gets
    it made well-formed here rather than a tokenizer error."""
    text = well_formed(text)
    return remembered(_DOCS, text, 8, lambda: _make_doc(text))


def normal_words(text: str) -> list[str]:
    """The normal forms of the words of ``text``, as :func:`_doc` reads them, without making
    its Doc: the tokenizer and the lemma table alone. The classifiers read every segment of
    a message this way (a Doc through the pipeline cost a quarter of a millisecond each)."""
    tokens = get_nlp().tokenizer(_lowered(well_formed(text)))
    table = lemma_table()
    texts = [token.text for token in tokens]
    lemmas = [str(table.get(word, word)).lower() for word in texts]
    norms = normal_forms([token.lower_ for token in tokens], lemmas)
    return [norm for norm, token in zip(norms, tokens) if not token.is_space]


def _lowered(text: str) -> str:
    # Phones type curly apostrophes ("i’m", "can’t"); the tokenizer knows straight ones.
    return text.lower().translate(_QUOTES)


def _make_doc(text: str) -> tuple[Doc, str]:
    lowered = _lowered(text)
    source = text if len(lowered) == len(text) else lowered
    doc = get_nlp()(lowered)
    normalise(doc)
    return doc, source


@dataclass
class _Reading:
    findings: list[SafetyFinding]
    negated: bool  # a cue was cancelled by a negation ("i don't want to die")
    figurative: bool  # a known figure of speech ("this is killing me")
    denied: bool = False  # the person says there is no danger ("i'm safe", "not suicidal")
    # a negated word of a rule that did not fire ("wasn't his fault"): enough to drop a
    # faint guess of the classifier, never a confident one
    negated_part: bool = False


def _keep(rule: Rule, doc: Doc, start: int, end: int) -> bool:
    return all(check(doc, start, end) for check in rule.checks)


def _near(rule: Rule, hits: list[tuple[int, int, int]], doc: Doc) -> Optional[tuple[int, int]]:
    """The first span in which every part of a ``near`` rule matched within its window."""
    by_part: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for index, start, end in hits:
        by_part[index].append((start, end))
    if len(by_part) < rule.parts:
        return None
    for combo in product(*(by_part[i] for i in range(rule.parts))):
        start, end = min(s for s, _ in combo), max(e for _, e in combo)
        if end - start > rule.window:
            continue
        # a span that opens on the writer's own act ("i broke up with him ... and hes been
        # parking across the street", blind round 94, spent) or on the partner named ("my
        # ex keeps parking outside") is read again from the rule's first part, the act
        if _keep(rule, doc, start, end) or (
            combo[0][0] > start
            and checks.opens_on_someone(doc, start)
            and _keep(rule, doc, combo[0][0], end)
        ):
            return start, end
    return None


def _read(text: str) -> _Reading:
    rules = rule_set()
    doc, source = _doc(text)
    norms = {t.norm_ for t in doc}
    lowers = {t.lower_ for t in doc}
    findings: list[SafetyFinding] = []
    negated = False
    near: dict[Rule, list[tuple[int, int, int]]] = defaultdict(list)
    # A negated part of a ``near`` rule cancels something only if, with it, the whole rule
    # would have fired ("wasn't his fault" alone is no cancelled cue).
    negated_near: dict[Rule, list[tuple[int, int, int]]] = defaultdict(list)

    def found(rule: Rule, start: int, end: int) -> Optional[SafetyFinding]:
        if rule.unless is not None and rule.unless.run(doc, norms, lowers, True):
            return None
        tier = rule.tier
        if (
            tier is Tier.clear
            and rule.possible_if is not None
            and rule.possible_if.run(doc, norms, lowers, True)
            and not rules.earnest.run(doc, norms, lowers, True)
        ):
            # a laugh or a joke word makes it a question, unless the person says it is
            # meant ("she was laughing but i dont think she was joking", blind round 48)
            tier = Tier.possible
        span = doc[start:end]
        return SafetyFinding(rule.risk, rule.cue, source[span.start_char : span.end_char], tier)

    for group, start, end in sorted(
        rules.rules.run(doc, norms, lowers), key=lambda m: (m[1], m[2])
    ):
        part: Optional[Part] = group.owner
        assert part is not None
        rule = part.rule
        if not rule.window and not _keep(rule, doc, start, end):
            continue
        if rule.negation and checks.negated(doc, start, end):
            if rule.window:
                negated_near[rule].append((part.index, start, end))
            else:
                negated = True
            continue
        if rule.window:
            near[rule].append((part.index, start, end))
        else:
            finding = found(rule, start, end)
            if finding is not None:
                findings.append(finding)
    for rule, hits in negated_near.items():
        if _near(rule, hits + near.get(rule, []), doc) is not None:
            negated = True
    for rule, hits in near.items():
        span = _near(rule, hits, doc)
        finding = found(rule, *span) if span is not None else None
        if finding is not None:
            findings.append(finding)
    figurative = denied = False
    if not any(f.clear for f in findings):
        denied = bool(rules.negations.run(doc, norms, lowers, True))
        figurative = bool(rules.figures.run(doc, norms, lowers, True)) and not rules.earnest.run(
            doc, norms, lowers, True
        )
    return _Reading(findings, negated, figurative, denied, bool(negated_near))


def _windows(text: str) -> Iterable[str]:
    if len(text) <= _MAX_CHARS:
        yield text
        return
    step = _MAX_CHARS - 500
    for i in range(0, len(text), step):
        yield text[i : i + _MAX_CHARS]


def _best(findings: list[SafetyFinding]) -> SafetyFinding:
    for tier in (Tier.clear, Tier.possible):
        for risk in (Risk.crisis, Risk.abuse):
            for finding in findings:
                if finding.risk is risk and finding.tier is tier:
                    return finding
    return NO_RISK


def assess(
    text: str,
    intent: Optional[str] = None,
    confidence: float = 0.0,
    ranking: Optional[Mapping[str, float]] = None,
) -> SafetyFinding:
    """Read one message for crisis or abuse; see the module docstring for the policy."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    scores: dict[str, float] = {}
    for name, value in list((ranking or {}).items()) + [(intent or "", confidence)]:
        try:
            scores[str(name)] = max(scores.get(str(name), 0.0), float(value or 0.0))
        except (TypeError, ValueError):
            continue
    findings: list[SafetyFinding] = []
    negated = figurative = denied = negated_part = False
    if text.strip():
        for chunk in _windows(text):
            reading = _read(chunk)
            findings.extend(reading.findings)
            negated |= reading.negated
            negated_part |= reading.negated_part
            figurative |= reading.figurative
            denied |= reading.denied
    best = _best(findings)
    if best.clear:
        return best
    trimmed = " ".join(text.split())[:200]
    for risk in (Risk.crisis, Risk.abuse):
        score = scores.get(risk.value, 0.0)
        if denied or score < NLU_CHECK_IN:
            continue
        if score >= NLU_THRESHOLD and not figurative and not negated:
            return SafetyFinding(risk, f"nlu_{risk.value}", trimmed, Tier.clear)
        if (negated or negated_part) and score < NLU_THRESHOLD:
            continue  # "i don't want to die": a faint guess on a cancelled cue
        if figurative and score < NLU_FIGURE_CEILING:
            continue  # "this is killing me": the figure explains the guess
        if best.risk is Risk.none:
            best = SafetyFinding(risk, f"nlu_{risk.value}", trimmed, Tier.possible)
    return best


def benchmark(text: Optional[str] = None, runs: int = 2000) -> float:
    """Median milliseconds per ``assess`` call on a ~40-word message, after warm-up."""
    text = text or (
        "he said he would be home by seven and walked in at eleven without a text "
        "and when i asked him about it he just shrugged and went to play his game "
        "and now i am sitting here spiralling, honestly i dont know what to do"
    )
    warm_up()

    def fresh(message: str) -> SafetyFinding:
        _DOCS.clear()  # every call reads the message anew, as a new message would be
        return assess(message)

    return median_ms(fresh, text, runs=runs, warmup=200)


if __name__ == "__main__":  # pragma: no cover
    print(f"median assess() latency: {benchmark():.3f} ms")
