"""Steady's one pattern language for word rules, and the loader that reads rules from data files.

Rules about words live in YAML files under ``bot/data/`` so that someone who knows the
language (a linguist, a clinician) can add a phrase without writing Python. A rule file is
read with :func:`load_yaml`, which remembers the file and line of every string, so a
mistake is reported as ``bot/data/safety/crisis/plan.yml:42: unknown word class @PILLS``.

The notation
------------
A pattern is a space-separated list of token specs, matched on each token's *normal form*
(``Token.norm_``: its lemma, after the user's module mapped text-speak and typos onto the
word they stand for; "did" -> do, "wanna" -> want, "pills" -> pill):

=============  ==================================================================
``word|word``  one of these words (normal forms)
``@CLASS``     any word of the word class ``CLASS`` (a lexicon ``sets`` entry);
               may be mixed with words: ``@PILL|overdose``
``=word|word`` one of these exact lower-case texts, not normalised
               (``=cutting`` matches "cutting" but not "cut")
``_``          any one token
``~``          any one word: a token that is not punctuation or space
``#``          any one number-like token ("3", "three", "10")
``{SEQ}``      one pattern per alternative of the sequence class ``SEQ`` (a lexicon
               ``sequences`` entry: several words each, such as "be alive")
suffix ``?``   the spec is optional; ``*`` any number; ``+`` one or more
``(a b|c|d e)`` one of these *phrases* (each one or more specs); ``(...)?`` optional
=============  ==================================================================

``|`` binds tighter than the space: ``leave my job|work`` is "leave my job" or "leave my
work", never "leave my job" or "work". To offer whole phrases, group them:
``(would not|wouldnt|do not) mind``. Words are read the way messages are: a word in a
pattern is normalised like the message's words ("tells" -> tell, "left" -> leave), and a word
that is really two tokens ("wouldn't" -> would not, "im" -> i be) stands for those tokens,
so a pattern can be written as people spell.

Plain words match normal forms in the safety rules; a lexicon whose ``attr`` is ``LOWER`` (the
gentle-language rules, ``bot/data/gentle/``) matches them on the lower-case text as written
instead, with no normalising ("felt" is only "felt").

Example: ``"@WANT @TO? @ADV* die"`` matches "want to die", "wanna just die", "wish i could
die" does not (``i`` and ``could`` are not in ``@ADV``).

Matching is done by spaCy ``Matcher`` s built once per process. Each pattern knows the words
it cannot match without (:func:`requirements`), so :class:`Groups` asks only the few patterns
whose first required word the message holds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, Mapping, Optional, Sequence, TypeVar

import yaml
from spacy.matcher import Matcher
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc

__all__ = [
    "Groups",
    "Lexicon",
    "Located",
    "PatternError",
    "check_words",
    "compile_pattern",
    "load_yaml",
    "where",
]


class PatternError(ValueError):
    """A rule or lexicon file is wrong; the message starts with ``file:line:``."""


class Located(str):
    """A string read from a data file, with the file and line it came from."""

    path: str = ""
    line: int = 0


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader, on libyaml's parser where PyYAML has it (the rule files are read at
    every start of both servers: about ten times faster than the pure-Python parser)."""


def _located(loader: _Loader, node: yaml.ScalarNode) -> Located:
    value = Located(loader.construct_scalar(node))
    value.path = loader.name
    value.line = node.start_mark.line + 1
    return value


_Loader.add_constructor("tag:yaml.org,2002:str", _located)


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    """A mapping in which a key said twice is an error: YAML would keep the last one, and a
    second ``unless:`` under a rule silently dropped the first one's patterns."""
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise PatternError(
                f"{loader.name}:{key_node.start_mark.line + 1}: '{key}' is "
                f"given twice in one place (first at line {seen[key]})"
            )
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)


def load_yaml(path: Path) -> Any:
    """Parse ``path``; every string in the result is a :class:`Located`."""
    text = Path(path).read_text(encoding="utf-8")
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else "?"
        raise PatternError(
            f"{path}:{line}: not valid YAML ({getattr(error, 'problem', error)})"
        ) from None
    finally:
        loader.dispose()


def where(value: Any, fallback: str = "") -> str:
    """``file:line`` of a value read by :func:`load_yaml` (or ``fallback``)."""
    if isinstance(value, Located) and value.path:
        return f"{value.path}:{value.line}"
    return fallback


def check_words(words: Sequence[Any], here: str, what: str) -> None:
    """Every item must be a string: YAML reads unquoted no, on, off, yes, 1 as other types."""
    for word in words:
        if not isinstance(word, str):
            raise PatternError(
                f"{here}: {what}: {word!r} is not a word; YAML reads unquoted no, on, off, yes "
                f'and numbers as other values, so write it in quotes ("no")'
            )


# ---------------------------------------------------------------------------------------------
# Lexicons
# ---------------------------------------------------------------------------------------------

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass
class Lexicon:
    """Word classes (``sets``) and multi-word alternatives (``sequences``) patterns refer to.

    ``normalise`` (set by the rule loader) reads a pattern word as a message word is read:
    its normal forms, one per token ("wouldn't" -> ("would", "not")). ``attr`` is the token
    attribute plain words are matched on: ``NORM`` (the normal form) or ``LOWER``."""

    sets: dict[str, frozenset[str]] = field(default_factory=dict)
    sequences: dict[str, tuple[str, ...]] = field(default_factory=dict)
    normalise: Optional[Callable[[str], tuple[str, ...]]] = None
    attr: str = "NORM"

    def add(self, data: Mapping[str, Any], source: str) -> None:
        """Merge a lexicon file's ``sets`` and ``sequences``; a name may be defined once."""
        for section in ("sets", "sequences"):
            entries = data.get(section) or {}
            if not isinstance(entries, Mapping):
                raise PatternError(f"{where(section, source)}: '{section}' must be a mapping")
            for name, words in entries.items():
                here = where(name, source)
                if not _NAME.match(str(name)):
                    raise PatternError(f"{here}: class names are UPPER_CASE, not {name!r}")
                if name in self.sets or name in self.sequences:
                    raise PatternError(f"{here}: {name} is defined twice")
                if isinstance(words, str):
                    words = words.split() if section == "sets" else [words]
                if not isinstance(words, Sequence) or not words:
                    raise PatternError(f"{here}: {name} needs a list of words")
                check_words(words, here, name)
                if section == "sets":
                    self.sets[name] = frozenset(str(w).lower() for w in words)
                else:
                    self.sequences[name] = tuple(" ".join(str(w).lower().split()) for w in words)

    def words(self, name: str) -> frozenset[str]:
        return self.sets[name]


# ---------------------------------------------------------------------------------------------
# Compiling patterns
# ---------------------------------------------------------------------------------------------

_PART = re.compile(r"\([^()]*\)[?]?|\S+")


def _parts(pattern: str, here: str) -> list[str]:
    """The pattern's specs, a parenthesised group of phrases counting as one."""
    parts = _PART.findall(pattern)
    for part in parts:
        if (
            part.startswith("(") != part.rstrip("?").endswith(")")
            or part.count("(") > 1
            or (not part.startswith("(") and ("(" in part or ")" in part))
        ):
            raise PatternError(f"{here}: unbalanced or nested brackets in {pattern!r}")
    return parts


def _phrases(spec: str, lexicon: Lexicon) -> Optional[list[str]]:
    """A word spec whose words are not all one token once normalised ("wouldn't|never"):
    the phrases it stands for, or None when every word is one token."""
    if lexicon.normalise is None or spec.startswith(("=", "@", "{", "(")) or spec in _ANY:
        return None
    op = spec[-1] if len(spec) > 1 and spec[-1] in "?*+" else ""
    words = (spec[:-1] if op else spec).split("|")
    single: list[str] = []
    multi: list[str] = []
    for word in words:
        if word.startswith("@"):
            single.append(word)
            continue
        norms = lexicon.normalise(word)
        (multi if len(norms) > 1 else single).append(" ".join(norms) if len(norms) > 1 else word)
    if not multi or op in ("*", "+"):
        return None
    return (["|".join(single)] if single else []) + multi + ([""] if op == "?" else [])


def _expand(pattern: str, lexicon: Lexicon, here: str) -> list[str]:
    choices: list[Sequence[str]] = []
    for part in _parts(pattern, here):
        if part.startswith("{"):
            name = part[1:-1]
            if not part.endswith("}") or name not in lexicon.sequences:
                raise PatternError(f"{here}: unknown sequence class {part} in {pattern!r}")
            choices.append(lexicon.sequences[name])
        elif part.startswith("("):
            inner = part.rstrip("?")[1:-1]
            alternatives = [" ".join(a.split()) for a in inner.split("|")]
            if not all(alternatives):
                raise PatternError(f"{here}: an empty phrase in {part!r} in {pattern!r}")
            choices.append(alternatives + ([""] if part.endswith("?") else []))
        else:
            choices.append([part])
    expanded = [" ".join(" ".join(c).split()) for c in product(*choices)]
    out: list[str] = []
    for text in expanded:  # words that are two tokens ("wouldn't") become phrases
        if not text:
            raise PatternError(f"{here}: {pattern!r} can be empty; it needs a word")
        inner_choices = [_phrases(spec, lexicon) or [spec] for spec in text.split()]
        out.extend(" ".join(" ".join(c).split()) for c in product(*inner_choices))
    return [p for p in dict.fromkeys(out) if p]


# Specs that stand for a kind of token rather than words.
_ANY = {"_": {}, "~": {"IS_PUNCT": False, "IS_SPACE": False}, "#": {"LIKE_NUM": True}}


def _token_spec(spec: str, lexicon: Lexicon, here: str, pattern: str) -> dict:
    op = None
    if len(spec) > 1 and spec[-1] in "?*+":
        op, spec = spec[-1], spec[:-1]
    if (
        spec in ("?", "*", "+", "|", "=", "@")
        or spec.endswith("|")
        or spec.startswith("|")
        or "||" in spec
    ):
        raise PatternError(f"{here}: malformed token {spec!r} in {pattern!r}")
    if spec in _ANY:
        d: dict = dict(_ANY[spec])
    elif spec.startswith("="):
        alts = spec[1:].split("|")
        d = {"LOWER": {"IN": alts}} if len(alts) > 1 else {"LOWER": alts[0]}
    else:
        words: set[str] = set()
        for alt in spec.split("|"):
            if alt.startswith("@"):
                if alt[1:] not in lexicon.sets:
                    raise PatternError(f"{here}: unknown word class {alt} in {pattern!r}")
                words |= lexicon.sets[alt[1:]]
            elif any(c in alt for c in "?*+{}=@~#"):
                raise PatternError(f"{here}: malformed token {alt!r} in {pattern!r}")
            else:
                words.add(alt)
                if lexicon.normalise is not None:  # "tells" -> tell, as messages are read
                    norms = lexicon.normalise(alt)
                    if len(norms) == 1:
                        words.add(norms[0])
        attr = lexicon.attr
        d = {attr: {"IN": sorted(words)}} if len(words) > 1 else {attr: words.pop()}
    if op:
        d["OP"] = op
    return d


def compile_pattern(pattern: str, lexicon: Lexicon, here: str = "") -> list[list[dict]]:
    """One pattern string -> the spaCy Matcher patterns it stands for."""
    here = here or where(pattern, "<pattern>")
    if not isinstance(pattern, str) or not pattern.split():
        raise PatternError(f"{here}: empty pattern")
    compiled = [
        [_token_spec(s, lexicon, here, pattern) for s in p.split()]
        for p in _expand(pattern, lexicon, here)
    ]
    for tokens in compiled:
        if all(t.get("OP") in ("?", "*") or not (set(t) & {"NORM", "LOWER"}) for t in tokens):
            raise PatternError(f"{here}: {pattern!r} would match anything; it needs a word")
    return compiled


Need = tuple[tuple[str, frozenset[str]], ...]


def requirements(pattern: list[dict]) -> Need:
    """The words a doc must contain for ``pattern`` to match: one set per required token."""
    required = []
    for spec in pattern:
        if spec.get("OP") not in (None, "+"):
            continue
        for attr in ("NORM", "LOWER"):
            if attr in spec:
                value = spec[attr]
                required.append(
                    (attr, frozenset([value] if isinstance(value, str) else value["IN"]))
                )
    return tuple(required)


T = TypeVar("T")


def _weaker(one: Need, other: Need) -> bool:
    """Every doc meeting ``other`` meets ``one``: each of ``one``'s requirements is one of
    ``other``'s, or looser (the same attribute with more words allowed)."""
    return one != other and all(
        any(attr == attr2 and words2 <= words for attr2, words2 in other) for attr, words in one
    )


def _fewest_needs(needs: Iterable[Need]) -> tuple[Need, ...]:
    """Needs equivalent to every expansion's, as few as can be had exactly, first-seen order.

    A pattern can expand to thousands of needs (every choice of its alternatives), and
    comparing them pairwise took seconds at load. Two needs that differ in one place only
    ("he hit me", "she hit me") are merged into one with both words there ("he|she hit
    me"): a doc meets the merged need exactly when it meets one of the two, so ``may_match``
    stays as strict as before. Merging place by place until nothing changes turns the
    expansions of alternatives back into a few needs; of those, one that asks for more than
    another is dropped (:func:`_weaker`), pairwise, which is cheap once they are few.
    """
    current: list[Need] = list(dict.fromkeys(needs))
    changed = True
    while changed and len(current) > 1:
        changed = False
        for place in range(max(len(need) for need in current)):
            merged: dict[tuple, list] = {}
            for need in current:
                if place >= len(need):
                    merged[(need, None)] = [need, None]
                    continue
                attr, words = need[place]
                key = (need[:place], attr, need[place + 1 :])
                kept = merged.get(key)
                if kept is None:
                    merged[key] = [need, set(words)]
                else:
                    kept[1] |= words
                    changed = True
            current = [
                need
                if words is None or words == need[place][1]
                else need[:place] + ((need[place][0], frozenset(words)),) + need[place + 1 :]
                for need, words in merged.values()
            ]
    if len(current) > 400:  # pairwise would cost seconds; the needs are already exact
        return tuple(current)
    kept_needs: list[Need] = []
    for need in current:
        if any(_weaker(other, need) for other in kept_needs):
            continue
        kept_needs = [other for other in kept_needs if not _weaker(need, other)] + [need]
    return tuple(kept_needs)


@dataclass
class Group(Generic[T]):
    """One pattern string (all its expansions), what it belongs to, and the words each
    expansion needs. A doc lacking a required word of every expansion cannot match, so the
    matcher is not run at all."""

    needs: tuple[Need, ...]
    matcher: Matcher
    owner: Optional[T] = None
    source: str = ""
    #: the most tokens a match can span (None: unbounded, a ``*`` or ``+`` in it)
    longest: Optional[int] = None

    def may_match(self, norms: set[str], lowers: set[str]) -> bool:
        for required in self.needs:
            if all(words & (norms if attr == "NORM" else lowers) for attr, words in required):
                return True
        return False


_SHARED: dict[tuple[int, int, str], tuple[Matcher, tuple[Need, ...], Optional[int]]] = {}


def _longest(compiled: Iterable[list[dict]]) -> Optional[int]:
    """The most tokens a match of any expansion can span; None when one can repeat."""
    longest = 0
    for tokens in compiled:
        if any(spec.get("OP") in ("*", "+") for spec in tokens):
            return None
        longest = max(longest, len(tokens))
    return longest


def group(vocab, pattern: str, lexicon: Lexicon, owner: Optional[T] = None) -> Group[T]:
    """The pattern's group. The same pattern string in several rules (the condition of every
    conditional-intent rule, say) shares one Matcher, which :meth:`Groups.run` runs once."""
    here = where(pattern, "<pattern>")
    key = (id(vocab), id(lexicon), str(pattern))
    if key not in _SHARED:
        compiled = compile_pattern(pattern, lexicon, here)
        # spaCy validating each of thousands of expansions took most of the load time;
        # they all come from _token_spec, so one expansion's shape is checked for all.
        problems = validate_token_pattern(compiled[0])
        if problems:
            raise PatternError(f"{here}: {pattern!r}: {'; '.join(problems)}")
        matcher = Matcher(vocab, validate=False)
        matcher.add("m", compiled)
        # Expansions that differ only in optional or wildcard words need the same words:
        # each set of needs is kept once, and one that asks for more than another is
        # dropped (a doc meeting it meets the other), so ``may_match`` asks a few, not
        # hundreds.
        _SHARED[key] = (
            matcher,
            _fewest_needs(requirements(p) for p in compiled),
            _longest(compiled),
        )
    matcher, needs, longest = _SHARED[key]
    return Group(needs, matcher, owner, here, longest)


#: Words nearly every message holds: a pattern is indexed by a rarer word when it has one.
_COMMON = frozenset(
    "i me my myself you your he him his she her they them their we us our it its a an the "
    "be am is are was were been being do does did have has had not no to of and or but if "
    "so in on at for with that this just get go can will would".split()
)


def _key_words(need: Need) -> tuple[str, frozenset[str]]:
    """The need's required word set that rules out the most messages: the fewest common
    words, then the fewest words. Any match holds one of its words."""
    return min(need, key=lambda required: (len(required[1] & _COMMON), len(required[1])))


class Groups(Generic[T]):
    """Groups in their order, indexed by the rarest word each expansion needs.

    A group can only match a doc holding that word of one of its expansions, so only those
    groups are even asked ``may_match``; out of hundreds, a message names a handful. A
    group's Matcher reads only the stretch of the message around those words (as far as
    its longest match reaches): spaCy's Matcher makes a Python object of every token it
    reads, which was most of the safety check's time on a long message.
    """

    def __init__(self, groups: Iterable[Group[T]]) -> None:
        self.groups = list(groups)
        self.always: list[int] = []
        self.by_word: dict[tuple[str, str], list[int]] = {}
        self.keys: list[tuple[tuple[str, frozenset[str]], ...]] = []
        for index, g in enumerate(self.groups):
            if any(not required for required in g.needs) or not g.needs:
                self.always.append(index)
                self.keys.append(())
                continue
            keys = tuple(_key_words(required) for required in g.needs)
            self.keys.append(keys)
            for attr, words in keys:
                for word in words:
                    self.by_word.setdefault((attr, word), []).append(index)

    def __len__(self) -> int:
        return len(self.groups)

    def _candidates(self, norms: set[str], lowers: set[str]) -> list[int]:
        found = set(self.always)
        for attr, words in (("NORM", norms), ("LOWER", lowers)):
            for word in words:
                found.update(self.by_word.get((attr, word), ()))
        return sorted(found)

    def _stretch(self, index: int, doc: Doc, where: dict[tuple[str, str], list[int]]):
        """The part of ``doc`` a match of group ``index`` can lie in, and its offset."""
        g, keys = self.groups[index], self.keys[index]
        if g.longest is None or not keys:
            return doc, 0
        places = [i for attr, words in keys for word in words for i in where.get((attr, word), ())]
        if not places:
            return doc, 0
        start = max(0, min(places) - g.longest + 1)
        end = min(len(doc), max(places) + g.longest)
        if start == 0 and end == len(doc):
            return doc, 0
        return doc[start:end], start

    def run(
        self, doc: Doc, norms: set[str], lowers: set[str], first_only: bool = False
    ) -> list[tuple[Group[T], int, int]]:
        found = []
        ran: dict[int, list] = {}  # a shared Matcher runs once per doc
        where: Optional[dict[tuple[str, str], list[int]]] = None
        for index in self._candidates(norms, lowers):
            g = self.groups[index]
            if not g.may_match(norms, lowers):
                continue
            key = id(g.matcher)
            if key not in ran:
                if where is None:
                    where = defaultdict(list)
                    for i, token in enumerate(doc):
                        where[("NORM", token.norm_)].append(i)
                        where[("LOWER", token.lower_)].append(i)
                part, offset = self._stretch(index, doc, where)
                ran[key] = [
                    (match_id, start + offset, end + offset)
                    for match_id, start, end in g.matcher(part)
                ]
            for _, start, end in ran[key]:
                found.append((g, start, end))
                if first_only:
                    return found
        return found


def check_command(
    check_files: Callable[[Optional[Path]], str], argv: Optional[Sequence[str]] = None
) -> int:
    """The body of ``python -m bot.safety.rules [DIR]`` and ``python -m
    bot.language.gentle_rules [DIR]``: validate the files, say what is wrong where."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        print(check_files(Path(args[0]) if args else None))
    except PatternError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def fail_at(value: Any, fallback: str, message: str) -> PatternError:
    """An error naming the file and line ``value`` was read from (or ``fallback``)."""
    return PatternError(f"{where(value, fallback)}: {message}")


def strings_at(value: Any, here: str, what: str) -> list[str]:
    """A rule file's string or non-empty list of strings, each checked as words."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or not value:
        raise PatternError(f"{here}: {what} must be a non-empty list of strings")
    check_words(value, here, what)
    return list(value)
