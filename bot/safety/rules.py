"""The safety rules as data: reading and validating ``bot/data/safety/``.

Layout (each file is YAML; the pattern notation is in ``bot/language/patterns.py``)::

    bot/data/safety/
      lexicon.yml          word classes (@NAME), sequences ({NAME}), normal forms, typos
      crisis/<cell>.yml    one file per cell of the C-SSRS ladder (wish to be dead, ideation,
                           method, plan, preparatory acts, attempts, overdose, self-injury ...)
      abuse/<cell>.yml     one file per cell of the Power and Control wheel, plus
                           strangulation, stalking, technology abuse, sexual coercion ...
      figures.yml          figures of speech that veto a classifier-only reading
      negations.yml        "i'm safe", "not suicidal": likewise
      earnest.yml          "not joking", "i mean it": a figure of speech vetoes nothing then

A rule file::

    cell: overdose               # the taxonomy cell (defaults to the file name)
    risk: crisis                 # crisis | abuse
    source: C-SSRS, actual attempt
    possible_if: [...]           # optional, for every rule of the file (so is unless)
    rules:
      - cue: overdose            # short name logged and kept with the finding (never words)
        tier: clear              # clear (default): the full response at once;
                                 # possible: a direct, kind question first (a check-in)
        check: pills             # optional named checks (bot/safety/checks.py), all must pass
        negation: true           # optional; false: a negator before the match does not cancel it
        unless:                  # optional: any of these anywhere in the message cancels it
          - "rope swing|ladder"
        possible_if:             # optional: any of these makes a clear finding a possible one
          - "like this"
        examples:                # optional: messages this rule must hear (tested, so a
          - "took a whole box of pills"   # pattern that can never match is caught)
        patterns:                # any one of these matching fires the rule
          - "take|swallow _? _? @PILL"
        near:                    # or: every one of these must match within `window` tokens
                                 # (a part may be a list: any one of its patterns will do)
          - "@PILL|overdose"
          - "drowsy|dizzy"
        window: 12

Everything is checked when the rules load (at server start and by ``make check-rules``):
unknown keys, word classes, sequences and checks, empty or match-anything patterns. The
error names the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional, Sequence

from bot.language.patterns import (
    Group,
    Groups,
    Lexicon,
    PatternError,
    check_command,
    fail_at as _fail,
    strings_at as _strings,
    group,
    load_yaml,
    where,
)
from bot.safety import checks as checks_module

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "safety"


class Risk(str, Enum):
    none = "none"
    crisis = "crisis"
    abuse = "abuse"


class Tier(str, Enum):
    """How sure a finding is: ``clear`` gets the full response, ``possible`` a check-in."""

    clear = "clear"
    possible = "possible"


@dataclass(frozen=True)
class Rule:
    cue: str
    risk: Risk
    tier: Tier
    cell: str
    checks: tuple[checks_module.Check, ...] = ()
    negation: bool = True
    window: int = 0  # > 0: a "near" rule; its parts are the groups that name it
    parts: int = 1
    source: str = ""
    unless: Optional[Groups[None]] = field(default=None, compare=False, hash=False)
    possible_if: Optional[Groups[None]] = field(default=None, compare=False, hash=False)
    examples: tuple[str, ...] = field(default=(), compare=False, hash=False)


@dataclass(frozen=True)
class Part:
    """One pattern of a rule; ``index`` tells the parts of a ``near`` rule apart."""

    rule: Rule
    index: int = 0


@dataclass
class RuleSet:
    lexicon: Lexicon
    canon: dict[str, str]
    typos_full: tuple[str, ...]
    typos_short: tuple[str, ...]
    rules: Groups[Part]
    figures: Groups[None]
    negations: Groups[None]
    earnest: Groups[None]
    files: list[Path] = field(default_factory=list)

    @property
    def rule_count(self) -> int:
        return len({id(g.owner.rule) for g in self.rules.groups if g.owner})


_RULE_KEYS = {
    "cue",
    "tier",
    "check",
    "negation",
    "patterns",
    "near",
    "window",
    "note",
    "unless",
    "possible_if",
    "examples",
}
_FILE_KEYS = {"cell", "risk", "source", "rules", "note", "unless", "possible_if"}


def read_lexicon(
    path: Path,
) -> tuple[Lexicon, dict[str, str], tuple[str, ...], tuple[str, ...], dict[str, frozenset[str]]]:
    data = load_yaml(path)
    if not isinstance(data, Mapping):
        raise PatternError(f"{path}:1: a lexicon is a mapping")
    unknown = set(data) - {"canon", "typos", "sets", "sequences", "tails"}
    if unknown:
        key = sorted(unknown)[0]
        raise _fail(key, f"{path}:1", f"unknown section {key!r}")
    lexicon = Lexicon()
    lexicon.add(data, f"{path}:1")
    canon: dict[str, str] = {}
    for target, spellings in (data.get("canon") or {}).items():
        for spelling in _strings(spellings, where(target, str(path)), f"canon {target!r}"):
            if spelling in canon and canon[spelling] != target:
                raise _fail(spelling, str(path), f"{spelling!r} has two normal forms")
            canon[str(spelling)] = str(target)
    typos = data.get("typos") or {}
    tails = {
        str(k): frozenset(map(str, _strings(v, where(k, str(path)), f"tail {k!r}")))
        for k, v in (data.get("tails") or {}).items()
    }
    return (
        lexicon,
        canon,
        tuple(map(str, typos.get("full") or ())),
        tuple(map(str, typos.get("short") or ())),
        tails,
    )


def _read_rule_file(path: Path, lexicon: Lexicon, vocab) -> list[Group[Part]]:
    data = load_yaml(path)
    here = f"{path}:1"
    if not isinstance(data, Mapping) or "rules" not in data:
        raise PatternError(f"{here}: a rule file is a mapping with 'rules'")
    for key in data:
        if key not in _FILE_KEYS:
            raise _fail(key, here, f"unknown key {key!r} (expected one of {sorted(_FILE_KEYS)})")
    try:
        risk = Risk(data.get("risk"))
    except ValueError:
        raise _fail(data.get("risk"), here, "risk must be 'crisis' or 'abuse'") from None
    if risk is Risk.none:
        raise _fail(data.get("risk"), here, "risk must be 'crisis' or 'abuse'")
    cell = str(data.get("cell") or path.stem)
    groups: list[Group[Part]] = []
    if not isinstance(data["rules"], Sequence):
        raise _fail(data["rules"], here, "'rules' must be a list")
    for entry in data["rules"]:
        if not isinstance(entry, Mapping):
            raise PatternError(f"{here}: each rule is a mapping")
        cue = entry.get("cue")
        at = where(cue, here)
        if not cue or not isinstance(cue, str):
            raise PatternError(f"{where(next(iter(entry), None), here)}: a rule needs a cue")
        for key in entry:
            if key not in _RULE_KEYS:
                raise _fail(key, at, f"unknown key {key!r} (expected one of {sorted(_RULE_KEYS)})")
        try:
            tier = Tier(entry.get("tier") or "clear")
        except ValueError:
            raise _fail(entry.get("tier"), at, "tier must be 'clear' or 'possible'") from None
        names = entry.get("check") or []
        found = []
        for name in [names] if isinstance(names, str) else names:
            check = checks_module.lookup(str(name))
            if check is None:
                raise _fail(
                    name,
                    at,
                    f"unknown check {name!r} (known: {', '.join(sorted(checks_module.CHECKS))})",
                )
            found.append(check)
        has_patterns, has_near = "patterns" in entry, "near" in entry
        if has_patterns == has_near:
            raise PatternError(f"{at}: rule {cue!r} needs either 'patterns' or 'near'")
        window = 0
        if has_near:
            window = entry.get("window", 12)
            if not isinstance(window, int) or window < 2:
                raise _fail(cue, at, "window must be a whole number of tokens, at least 2")
        negation = entry.get("negation", True)
        if not isinstance(negation, bool):
            raise _fail(cue, at, "negation is true or false")
        if has_near:
            # each part: one pattern, or a list of patterns any one of which will do
            # (so a part can be several phrases: "the day", "one more time", "if")
            raw = entry["near"]
            if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) < 2:
                raise PatternError(f"{at}: 'near' needs two or more patterns")
            parts = [_strings(part, at, "a 'near' part") for part in raw]
        else:
            parts = [[pattern] for pattern in _strings(entry["patterns"], at, "'patterns'")]
        extra: dict[str, Groups[None]] = {}
        for key in ("unless", "possible_if"):
            # a file's own list applies to every rule in it, with the rule's added
            listed = (_strings(data[key], here, f"'{key}'") if key in data else []) + (
                _strings(entry[key], at, f"'{key}'") if key in entry else []
            )
            if listed:
                extra[key] = Groups(group(vocab, p, lexicon) for p in listed)
        examples = (
            tuple(map(str, _strings(entry["examples"], at, "'examples'")))
            if "examples" in entry
            else ()
        )
        rule = Rule(
            str(cue),
            risk,
            tier,
            cell,
            tuple(found),
            negation,
            window,
            len(parts) if has_near else 1,
            at,
            examples=examples,
            **extra,
        )
        for index, alternatives in enumerate(parts):
            for pattern in alternatives:
                groups.append(group(vocab, pattern, lexicon, Part(rule, index if has_near else 0)))
    return groups


def _read_pattern_list(path: Path, lexicon: Lexicon, vocab) -> Groups[None]:
    data = load_yaml(path)
    if not isinstance(data, Mapping) or set(data) - {"patterns", "note"}:
        raise PatternError(f"{path}:1: expected a mapping with 'patterns'")
    patterns = _strings(data.get("patterns"), f"{path}:1", "'patterns'")
    return Groups(group(vocab, p, lexicon) for p in patterns)


_AFTER_PRONOUN_S = ("he", "she", "it", "that", "what", "there", "who", "where")


def _pattern_words(canon: Mapping[str, str]):
    """A pattern word's normal forms, one per token, read as a message's words are read
    (bot.safety.normalise, without the typo table: patterns are spelled right)."""
    from bot.language.nlp import get_nlp

    nlp = get_nlp()
    cache: dict[str, tuple[str, ...]] = {}

    def normalise(word: str) -> tuple[str, ...]:
        if word not in cache:
            norms, prev = [], ""
            for token in nlp(word.lower()):
                lower = token.lower_
                norm = canon.get(lower, token.lemma_.lower())
                if lower in ("na", "ta") and prev in ("gon", "wan", "got"):
                    norm = "to"
                elif lower == "s" and prev in _AFTER_PRONOUN_S:
                    norm = "be"
                elif lower in ("gon", "wan", "got") and lower != word.lower():
                    norm = {"gon": "go", "wan": "want", "got": "get"}[lower]
                norms.append(norm)
                prev = lower
            cache[word] = tuple(norms) or (word,)
        return cache[word]

    return normalise


def load(directory: Path = DATA_DIR, vocab=None) -> RuleSet:
    """Read and validate every file; raises :class:`PatternError` naming file and line."""
    if vocab is None:
        from bot.language.nlp import get_nlp

        vocab = get_nlp().vocab
    lexicon, canon, full, short, tails = read_lexicon(directory / "lexicon.yml")
    lexicon.normalise = _pattern_words(canon)
    checks_module.bind(lexicon, tails)
    files = sorted((directory / "crisis").glob("*.yml")) + sorted(
        (directory / "abuse").glob("*.yml")
    )
    if not files:
        raise PatternError(f"{directory}: no rule files under crisis/ or abuse/")
    groups: list[Group[Part]] = []
    cues: dict[str, Risk] = {}
    for path in files:
        for g in _read_rule_file(path, lexicon, vocab):
            assert g.owner is not None
            rule = g.owner.rule
            if cues.setdefault(rule.cue, rule.risk) is not rule.risk:
                raise PatternError(f"{rule.source}: cue {rule.cue!r} is used for both risks")
            groups.append(g)
    return RuleSet(
        lexicon,
        canon,
        full,
        short,
        Groups(groups),
        _read_pattern_list(directory / "figures.yml", lexicon, vocab),
        _read_pattern_list(directory / "negations.yml", lexicon, vocab),
        _read_pattern_list(directory / "earnest.yml", lexicon, vocab),
        files,
    )


@lru_cache(maxsize=1)
def rule_set() -> RuleSet:
    """The rules of ``bot/data/safety``, loaded once per process."""
    return load(DATA_DIR)


def check_files(directory: Optional[Path] = None) -> str:
    """Load every file; a one-line summary, or :class:`PatternError` naming file and line."""
    rules = load(directory or DATA_DIR)
    return (
        f"{len(rules.files)} rule files, {rules.rule_count} rules, {len(rules.rules)} "
        f"patterns, {len(rules.figures)} figures of speech, {len(rules.lexicon.sets)} word "
        f"classes: all valid"
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m bot.safety.rules [DIR]``: validate the rule files, say what is wrong where."""
    return check_command(check_files, argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
