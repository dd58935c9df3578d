"""The gentle-language rules as data: reading and validating ``bot/data/gentle/``.

The check itself (``bot/language/gentle.py``) keeps the engine and the named checks that are
logic (who is the subject, tense and replacements, where findings meet); the words, the
patterns and the kind explanations shown to the person live here as YAML, in the pattern
notation of ``bot/language/patterns.py`` (the safety rules' notation), read with its loader
so that a mistake is reported as ``bot/data/gentle/protest.yml:42: unknown word class @EXX``.

Layout::

    bot/data/gentle/
      lexicon.yml                word classes (``sets``: @NAME in patterns, W.NAME in the named
                                 checks) and the irregular past tenses (``past``)
      absolute.yml               one file per kind of finding, in this order (the order the
      blame.yml                  rules are matched in): its kind explanations, suggestions,
      thought_as_feeling.yml     the suggestion shown when nothing better is left (``generic``),
      faux_feeling.yml           and its rules
      demand.yml
      checking_up.yml
      protest.yml

A kind file::

    kind: protest                # the file's name
    explanations:                # what the person is shown; {w} is the words found
      withdraw: "'{w}' pulls away to see if they notice, ..."
    suggestions:                 # optional: a rewording, by the same keys
      withdraw: 'Say it directly: "When I didn't hear back, I felt hurt."'
    generic: 'Say the fear instead: "I''m scared of losing you."'
    rules:
      - name: withdraw           # unique; the matcher's key
        check: withdraw          # a named check in gentle.py decides what a match means
        patterns:
          - "i should|might|@WILL|@WD|could @ADV* stop|quit @VERBING"
      - name: cold_shoulder      # no check: every match is a finding of the file's kind,
        explanation: withdraw    # explained (and, when there is one, suggested) by this key
        sentence_needs: [give]   # optional: only when the sentence holds one of these words
        patterns:
          - "the cold shoulder"

Everything is checked when the rules load (the first draft checked, and ``make check-rules``):
unknown keys, files, word classes, checks and explanation keys, placeholders other than
{w}, empty or match-anything patterns, classes the named checks read but the lexicon lacks,
and the faux feelings of ``bot/data/feelings.yml`` (each names canonical feelings). The error
names the file and line.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Mapping, Optional, Sequence

from bot.language.patterns import (
    Lexicon,
    PatternError,
    check_command,
    fail_at as _fail,
    strings_at as _strings,
    check_words,
    compile_pattern,
    load_yaml,
    where,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gentle"

# The kinds, one file each, in the order their rules are matched.
KIND_FILES: tuple[str, ...] = (
    "absolute",
    "blame",
    "thought_as_feeling",
    "faux_feeling",
    "demand",
    "checking_up",
    "protest",
)

_FILE_KEYS = {"kind", "explanations", "suggestions", "generic", "rules", "note"}
_RULE_KEYS = {"name", "check", "explanation", "patterns", "sentence_needs", "note"}
_LEXICON_KEYS = {"sets", "past", "note"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDERS = {"w", "feelings"}


@dataclass(frozen=True)
class GentleRule:
    """One rule: its patterns (compiled for spaCy's Matcher) and what decides a match."""

    name: str
    kind: str
    check: Optional[str]  # a named check in gentle.py; None: a plain finding of ``kind``
    explanation: str  # the explanation key of a plain finding ("" with a check)
    patterns: tuple[list[dict], ...]
    sentence_needs: frozenset[str] = frozenset()
    source: str = ""


@dataclass
class GentleRules:
    lexicon: Lexicon
    past: dict[str, str]
    explanations: dict[str, str]
    suggestions: dict[str, str]
    generic: dict[str, str]  # kind -> the suggestion when nothing better is left
    rules: list[GentleRule]
    vocabulary: "Vocabulary"
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Vocabulary:
    """The feelings vocabulary of ``bot/data/feelings.yml`` (shared with bot.feelings)."""

    feeling_of: dict[str, str]  # single-token feeling form -> canonical ("terrified": "scared")
    feeling_first_words: frozenset[str]  # first word of any feeling form ("freaked")
    faux: dict[str, tuple[str, ...]]  # faux phrase -> feelings underneath, most likely first


def _mapping(value: Any, here: str, what: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise _fail(value, here, f"{what} must be a mapping")
    return value


def _text(value: Any, here: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(value, here, f"{what} must be a non-empty text")
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as error:
        raise _fail(value, here, f"{what}: {error} (write a brace as {{{{ or }}}})") from None
    unknown = fields - _PLACEHOLDERS
    if unknown:
        raise _fail(
            value,
            here,
            f"{what}: unknown placeholder {{{sorted(unknown)[0]}}} ({{w}} is the words found)",
        )
    return str(value)


def read_lexicon(path: Path) -> tuple[Lexicon, dict[str, str]]:
    data = load_yaml(path)
    here = f"{path}:1"
    if not isinstance(data, Mapping):
        raise PatternError(f"{here}: a lexicon is a mapping with 'sets'")
    for key in data:
        if key not in _LEXICON_KEYS:
            raise _fail(
                key, here, f"unknown section {key!r} (expected one of {sorted(_LEXICON_KEYS)})"
            )
    lexicon = Lexicon(attr="LOWER")  # words are matched as written, lower-cased
    lexicon.add({"sets": data.get("sets") or {}}, here)
    past: dict[str, str] = {}
    for base, form in _mapping(data.get("past") or {}, here, "'past'").items():
        check_words([base, form], where(base, here), "past")
        past[str(base).lower()] = str(form).lower()
    return lexicon, past


def read_vocabulary(path: Path) -> Vocabulary:
    """``feelings`` and ``faux_feelings`` of the feelings file, checked: every feeling under
    a faux word is a canonical feeling."""
    data = _mapping(load_yaml(path), f"{path}:1", "the feelings file")
    here = f"{path}:1"
    feeling_of: dict[str, str] = {}
    first_words: set[str] = set()
    feelings = _mapping(data.get("feelings"), here, "'feelings'")
    for canonical, forms in feelings.items():
        at = where(canonical, here)
        for form in [canonical, *_strings(forms, at, f"the forms of {canonical!r}")]:
            words = str(form).lower().replace("-", " ").split()
            if not words:
                raise _fail(form, at, "an empty feeling word")
            first_words.add(words[0])
            if len(words) == 1:
                feeling_of[words[0]] = str(canonical)
    faux: dict[str, tuple[str, ...]] = {}
    for word, underneath in _mapping(data.get("faux_feelings"), here, "'faux_feelings'").items():
        at = where(word, here)
        check_words([word], at, "faux_feelings")
        listed = _strings(underneath, at, f"the feelings under {word!r}")
        for feeling in listed:
            if feeling not in feelings:
                raise _fail(
                    feeling,
                    at,
                    f"{feeling!r} under {word!r} is not a canonical "
                    f"feeling (one of {', '.join(map(str, feelings))})",
                )
        faux[" ".join(str(word).lower().replace("-", " ").split())] = tuple(map(str, listed))
    return Vocabulary(feeling_of, frozenset(first_words), faux)


def _words(value: Any, here: str, lexicon: Lexicon, what: str) -> frozenset[str]:
    """A list of words and @CLASSes -> the words."""
    words: set[str] = set()
    for word in _strings(value, here, what):
        if word.startswith("@"):
            if word[1:] not in lexicon.sets:
                raise _fail(word, here, f"unknown word class {word}")
            words |= lexicon.sets[word[1:]]
        else:
            words.add(word.lower())
    return frozenset(words)


def _read_kind_file(
    path: Path,
    lexicon: Lexicon,
    checks: Collection[str],
    texts: dict[str, dict[str, str]],
    names: set[str],
) -> tuple[str, list[GentleRule]]:
    data = load_yaml(path)
    here = f"{path}:1"
    if not isinstance(data, Mapping) or "rules" not in data:
        raise PatternError(f"{here}: a gentle rule file is a mapping with 'kind' and 'rules'")
    for key in data:
        if key not in _FILE_KEYS:
            raise _fail(key, here, f"unknown key {key!r} (expected one of {sorted(_FILE_KEYS)})")
    kind = data.get("kind")
    if kind != path.stem:
        raise _fail(kind, here, f"kind must be {path.stem!r}, the file's name")
    for section in ("explanations", "suggestions"):
        for key, text in _mapping(data.get(section) or {}, here, f"'{section}'").items():
            if key in texts[section]:
                raise _fail(key, here, f"{section[:-1]} {key!r} is defined twice")
            texts[section][str(key)] = _text(text, where(key, here), f"{section[:-1]} {key!r}")
    generic = _text(data.get("generic"), here, "'generic'")
    rules: list[GentleRule] = []
    entries = data["rules"] or []
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        raise _fail(data["rules"], here, "'rules' must be a list")
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise _fail(entry, here, "each rule is a mapping with 'name' and 'patterns'")
        name = entry.get("name")
        at = where(name, where(next(iter(entry), None), here))
        if not isinstance(name, str) or not _NAME.match(name):
            raise PatternError(f"{at}: a rule needs a name in lower_case, not {name!r}")
        if name in names:
            raise PatternError(f"{at}: rule name {name!r} is used twice")
        names.add(name)
        for key in entry:
            if key not in _RULE_KEYS:
                raise _fail(key, at, f"unknown key {key!r} (expected one of {sorted(_RULE_KEYS)})")
        check = entry.get("check")
        explanation = entry.get("explanation")
        if check is not None:
            if check not in checks:
                raise _fail(
                    check, at, f"unknown check {check!r} (known: {', '.join(sorted(checks))})"
                )
            if explanation is not None:
                raise _fail(
                    explanation,
                    at,
                    "a rule with a check is explained by the check; "
                    "'explanation' is for rules without one",
                )
        elif not isinstance(explanation, str):
            raise PatternError(f"{at}: rule {name!r} needs a 'check' or an 'explanation'")
        if "patterns" not in entry:
            raise PatternError(f"{at}: rule {name!r} needs 'patterns'")
        compiled: list[list[dict]] = []
        for pattern in _strings(entry["patterns"], at, "'patterns'"):
            compiled.extend(compile_pattern(pattern, lexicon, where(pattern, at)))
        needs: frozenset[str] = frozenset()
        if "sentence_needs" in entry:
            needs = _words(entry["sentence_needs"], at, lexicon, "'sentence_needs'")
        rules.append(
            GentleRule(
                str(name),
                str(kind),
                str(check) if check else None,
                str(explanation or ""),
                tuple(compiled),
                needs,
                at,
            )
        )
    return generic, rules


def load(
    directory: Path = DATA_DIR,
    *,
    checks: Collection[str] = (),
    explanations: Collection[str] = (),
    suggestions: Collection[str] = (),
    word_classes: Collection[str] = (),
    feelings_path: Optional[Path] = None,
) -> GentleRules:
    """Read and validate every file; raises :class:`PatternError` naming file and line.

    ``checks`` are the named checks a rule may ask for; ``explanations``, ``suggestions`` and
    ``word_classes`` are the keys and classes the engine reads, which must be defined."""
    from bot.feelings import VOCABULARY_PATH

    directory = Path(directory)
    lexicon_path = directory / "lexicon.yml"
    lexicon, past = read_lexicon(lexicon_path)
    for name in word_classes:
        if name not in lexicon.sets:
            raise PatternError(
                f"{lexicon_path}:1: word class {name} is read by "
                "bot/language/gentle.py but not defined under 'sets'"
            )
    present = {path.stem: path for path in directory.glob("*.yml") if path.stem != "lexicon"}
    for stem, path in sorted(present.items()):
        if stem not in KIND_FILES:
            raise PatternError(
                f"{path}:1: unknown rule file; the kinds are "
                f"{', '.join(KIND_FILES)} (one file each)"
            )
    texts: dict[str, dict[str, str]] = {"explanations": {}, "suggestions": {}}
    generic: dict[str, str] = {}
    rules: list[GentleRule] = []
    names: set[str] = set()
    files = [lexicon_path]
    for kind in KIND_FILES:
        path = directory / f"{kind}.yml"
        if kind not in present:
            raise PatternError(f"{path}:1: missing: every kind has a file")
        generic[kind], found = _read_kind_file(path, lexicon, checks, texts, names)
        rules.extend(found)
        files.append(path)
    for section, needed in (("explanations", explanations), ("suggestions", suggestions)):
        for key in needed:
            if key not in texts[section]:
                raise PatternError(
                    f"{directory}: no {section[:-1]} {key!r} in any kind file "
                    "(bot/language/gentle.py shows it)"
                )
    for rule in rules:
        if rule.check is None and rule.explanation not in texts["explanations"]:
            raise PatternError(
                f"{rule.source}: unknown explanation {rule.explanation!r} "
                f"(known: {', '.join(sorted(texts['explanations']))})"
            )
    vocabulary = read_vocabulary(feelings_path or VOCABULARY_PATH)
    return GentleRules(
        lexicon,
        past,
        texts["explanations"],
        texts["suggestions"],
        generic,
        rules,
        vocabulary,
        files,
    )


def check_files(directory: Optional[Path] = None) -> str:
    """Load every file as the check does; a one-line summary, or :class:`PatternError`."""
    from bot.language import gentle

    rules = gentle.load_rules(directory or DATA_DIR)
    patterns = sum(len(rule.patterns) for rule in rules.rules)
    return (
        f"{len(rules.files)} gentle-language files, {len(rules.rules)} rules, {patterns} "
        f"patterns, {len(rules.lexicon.sets)} word classes, {len(rules.explanations)} "
        f"explanations, {len(rules.vocabulary.faux)} faux feelings: all valid"
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m bot.language.gentle_rules [DIR]``: validate the files, say what is wrong
    where."""
    return check_command(check_files, argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
