"""The rewrite's word lists as data: bot/data/drafting/rewrite.yml, read by bot.drafting.

The file loads with every list the code needs, a malformed entry is refused with the file,
the key and the value named, and a word added to the file (and nothing else) changes what
the rewrite does.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from fnmatch import fnmatch
from pathlib import Path
from types import ModuleType

import pytest

import bot.drafting
from bot.drafting import DATA, rewrite_vocabulary

ROOT = Path(__file__).resolve().parent.parent


def test_the_data_file_loads_with_every_key_the_code_needs():
    vocabulary = rewrite_vocabulary()
    expected = set(bot.drafting._LIST_KEYS) | set(bot.drafting._GROUP_KEYS)
    assert set(vocabulary) == expected
    for key in bot.drafting._LIST_KEYS:
        assert vocabulary[key], key  # no list is empty
        assert all(isinstance(word, str) and word == word.lower() for word in vocabulary[key])
    assert set(vocabulary["partner_nouns"]) == {"he", "she", "unknown"}
    assert set(vocabulary["gendered"]) == {"he", "she"}


def test_the_constants_keep_their_types_and_order():
    # phrase tables stay tuples in file order, word lists stay frozensets
    assert bot.drafting.LEADING_FILLER == rewrite_vocabulary()["leading_filler"]
    assert bot.drafting.LEADING_FILLER[:3] == ("ugh", "honestly", "so basically")
    assert isinstance(bot.drafting.REQUEST_LEADS, tuple)
    assert isinstance(bot.drafting._ADVERBS, frozenset) and "never" in bot.drafting._ADVERBS
    assert bot.drafting.PARTNER_NOUNS["bf"] == "he"
    assert bot.drafting.PARTNER_NOUNS["partner"] is None
    assert bot.drafting._GENDERED["mum"] == "she"
    assert ("being", "left", "behind") in bot.drafting._ABANDONMENT
    # composed in code: days and months are time words, which are never names
    assert "monday" in bot.drafting._TIME_WORDS and "monday" in bot.drafting._NOT_NAMES


def test_the_data_file_is_packaged():
    """pyproject.toml's package-data for ``bot`` covers the file (Python 3.10: no tomllib)."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = pyproject.split("[tool.setuptools.package-data]", 1)[1].split("\n[", 1)[0]
    patterns = re.findall(r'"([^"]+)"', section)
    relative = DATA.relative_to(ROOT / "bot").as_posix()
    assert any(fnmatch(relative, pattern) for pattern in patterns), patterns


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the data file with ``old`` (which must occur once) replaced by ``new``."""
    text = DATA.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "rewrite.yml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, named",
    [
        # a number in a word list
        ("done_with: [done, finished, through]", "done_with: [done, 3, through]", "done_with"),
        # an unquoted "no" is YAML's False
        ("noun_request_starts: [a, an, some, more, the]",
         "noun_request_starts: [a, an, some, more, the, no]", "noun_request_starts"),
        # an empty entry in a phrase list
        ("help:\n  - help\n", "help:\n  - help\n  - ''\n", "help"),
        # a word list that is not a list
        ("pleas: [pls, please, plz]", "pleas: pls please plz", "pleas"),
        # a number among a group's words
        ("unknown: [partner, spouse, bae]", "unknown: [partner, spouse, 7]", "partner_nouns"),
        # a group the code does not know
        ("unknown: [partner, spouse, bae]", "nobody: [partner, spouse, bae]", "partner_nouns"),
        # a misspelt key: the list it names would be missing
        ("softeners: [", "softener: [", "softener"),
    ],
)
def test_a_malformed_entry_is_refused_naming_the_key(tmp_path, old, new, named):
    path = _copy(tmp_path, old, new)
    with pytest.raises(ValueError) as raised:
        rewrite_vocabulary(path)
    message = str(raised.value)
    assert message.startswith("rewrite.yml: ")
    assert named in message


def test_the_number_is_named_in_the_message(tmp_path):
    path = _copy(tmp_path, "done_with: [done, finished, through]", "done_with: [done, 3]")
    with pytest.raises(ValueError, match=r"rewrite\.yml: done_with: .*\[3\]"):
        rewrite_vocabulary(path)


def _drafting_with(tmp_path: Path, old: str, new: str) -> ModuleType:
    """A fresh copy of bot.drafting that reads an edited copy of the data file.

    The module finds its data next to itself (``data/drafting/rewrite.yml``), so the copy
    is laid out the same way; it shares the spaCy pipeline but has its own Matcher.
    """
    package = tmp_path / "copy"
    (package / "data" / "drafting").mkdir(parents=True)
    shutil.copy(bot.drafting.__file__, package / "drafting.py")
    _copy(package / "data" / "drafting", old, new)
    name = f"_drafting_copy_{tmp_path.name}"
    spec = importlib.util.spec_from_file_location(name, package / "drafting.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


@pytest.mark.parametrize(
    "old, new, text, before, after",
    [
        # a partner noun: "my hubs" becomes the partner
        ("he: [husband,", "he: [hubs, husband,", "my hubs forgot my birthday",
         "my hubs forgot my birthday", "you forgot my birthday"),
        # a reaction word: "and it stinks" is the person's reaction, cut from the clause
        ("reaction_words: [hurts,", "reaction_words: [stinks, hurts,",
         "he didnt text back and it stinks", "you didnt text back and it stinks",
         "you didnt text back"),
        # a leading filler (a phrase table, matched stretched too: "welppp")
        ("leading_filler:\n  - ugh\n", "leading_filler:\n  - welp\n  - ugh\n",
         "welppp he forgot again", "welppp you forgot again", "you forgot again"),
    ],
)
def test_a_word_added_to_the_file_changes_the_rewrite(tmp_path, old, new, text, before, after):
    assert bot.drafting.to_second_person(text) == before
    edited = _drafting_with(tmp_path, old, new)
    assert edited.to_second_person(text) == after
    assert bot.drafting.to_second_person(text) == before  # the real module is untouched
