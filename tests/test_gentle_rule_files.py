"""The gentle-language rules are data: every file loads, a mistake names its file and line,
and a word or a rule added to a data file is heard without Python."""
from __future__ import annotations

import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.feelings import VOCABULARY_PATH
from bot.language import gentle, gentle_rules
from bot.language.gentle import check_draft
from bot.language.gentle_rules import DATA_DIR, KIND_FILES
from bot.language.patterns import PatternError


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the real gentle-language files to break."""
    target = tmp_path / "gentle"
    shutil.copytree(DATA_DIR, target)
    return target


@contextmanager
def rules_from(directory: Path, monkeypatch):
    """Check drafts with the files in ``directory``; the shipped files again afterwards."""
    monkeypatch.setattr(gentle_rules, "DATA_DIR", directory)
    gentle._matchers.cache_clear()
    try:
        yield
    finally:
        monkeypatch.undo()
        gentle._matchers.cache_clear()


def _append(path: Path, text: str) -> int:
    """Add lines at the end of a file; returns the number of its last line."""
    lines = path.read_text().splitlines() + text.strip("\n").splitlines()
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


def _file_and_line(error: pytest.ExceptionInfo) -> tuple[str, int]:
    where = str(error.value).split(": ")[0]
    path, line = where.rsplit(":", 1)
    return path, int(line)


def test_the_shipped_files_are_valid():
    rules = gentle.load_rules()
    assert [path.stem for path in rules.files] == ["lexicon", *KIND_FILES]
    assert len(rules.rules) >= 25
    assert {rule.kind for rule in rules.rules} == set(KIND_FILES) - {"faux_feeling"}
    assert {"YOU", "VADJ", "CLAUSE_OPENERS"} <= set(rules.lexicon.sets)


def test_the_command_line_check_says_all_valid(capsys):
    assert gentle_rules.main([]) == 0
    assert "all valid" in capsys.readouterr().out


def test_the_command_line_check_names_file_and_line(data, capsys):
    last = _append(data / "blame.yml", '  - name: x\n    explanation: blame_make\n'
                                       '    patterns:\n      - "@NOPE me"')
    assert gentle_rules.main([str(data)]) == 1
    assert f"blame.yml:{last}: unknown word class @NOPE" in capsys.readouterr().err


def test_every_word_class_the_checks_read_is_defined():
    source = Path(gentle.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r"\bW\.([A-Z][A-Z0-9_]*)\b", source)) - {"SUBJECT_YOU"}
    assert read and read <= set(gentle.load_rules().lexicon.sets)


@pytest.mark.parametrize("rule, message", [
    ('  - name: x\n    explanation: withdraw\n    patterns:\n      - "i @WONTT text"',
     "unknown word class @WONTT"),
    ('  - name: x\n    check: nonsense\n    patterns:\n      - "i leave"', "unknown check 'nonsense'"),
    ('  - name: x\n    explanation: nonsense\n    patterns:\n      - "i leave"',
     "unknown explanation 'nonsense'"),
    ('  - name: x\n    patterns:\n      - "i leave"', "needs a 'check' or an 'explanation'"),
    ('  - name: x\n    explanation: withdraw\n    patterns:\n      - "~* @ADV?"',
     "would match anything"),
    ('  - name: x\n    explanation: withdraw\n    pattern:\n      - "i leave"',
     "unknown key 'pattern'"),
    ('  - name: x\n    explanation: withdraw\n    patterns:\n      - "i||we leave"',
     "malformed token"),
    ('  - name: threat\n    explanation: withdraw\n    patterns:\n      - "i go"',
     "rule name 'threat' is used twice"),
    ('  - name: x\n    explanation: withdraw\n    sentence_needs: ["@NOPE"]\n'
     '    patterns:\n      - "i go"', "unknown word class @NOPE"),
])
def test_a_broken_rule_names_its_file_and_line(data, rule, message):
    path = data / "protest.yml"
    last = _append(path, rule)
    with pytest.raises(PatternError) as error:
        gentle.load_rules(data)
    assert message in str(error.value)
    file, line = _file_and_line(error)
    assert file == str(path)
    assert last - 4 <= line <= last


def test_an_unknown_placeholder_in_an_explanation_names_its_line(data):
    path = data / "demand.yml"
    text = path.read_text().replace("is a demand;", "is a {demnd};", 1)
    path.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "{demnd}" in row)
    with pytest.raises(PatternError, match=rf"demand.yml:{line}: .*unknown placeholder"):
        gentle.load_rules(data)


def test_an_unquoted_no_in_a_word_class_is_explained(data):
    path = data / "lexicon.yml"
    text = path.read_text().replace("  MAYBE: [maybe, perhaps]", "  MAYBE: [maybe, perhaps, no]")
    path.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "MAYBE: [" in row)
    with pytest.raises(PatternError, match=rf"lexicon.yml:{line}: .*write it in quotes"):
        gentle.load_rules(data)


def test_a_word_class_the_checks_need_may_not_go(data):
    path = data / "lexicon.yml"
    path.write_text(path.read_text().replace("  MAYBE: [maybe, perhaps]\n", ""))
    with pytest.raises(PatternError, match=r"lexicon.yml:1: word class MAYBE is read by"):
        gentle.load_rules(data)


def test_a_file_that_is_not_yaml_names_its_line(data):
    path = data / "checking_up.yml"
    path.write_text(path.read_text() + "  - name: [unclosed\n")
    with pytest.raises(PatternError, match=r"checking_up.yml:\d+: not valid YAML"):
        gentle.load_rules(data)


def test_a_kind_file_with_the_wrong_kind_or_name(data):
    path = data / "absolute.yml"
    path.write_text(path.read_text().replace("kind: absolute", "kind: absolutes", 1))
    with pytest.raises(PatternError, match=r"absolute.yml:1: kind must be 'absolute'"):
        gentle.load_rules(data)
    shutil.copy(data / "blame.yml", data / "blames.yml")
    with pytest.raises(PatternError, match=r"blames.yml:1: unknown rule file"):
        gentle.load_rules(data)


def test_a_faux_feeling_must_name_canonical_feelings(tmp_path):
    path = tmp_path / "feelings.yml"
    text = VOCABULARY_PATH.read_text().replace(
        "faux_feelings:\n", "faux_feelings:\n  sidelined: [hurt, lonley]\n", 1)
    path.write_text(text)
    line = text.splitlines().index("  sidelined: [hurt, lonley]") + 1
    with pytest.raises(PatternError) as error:
        gentle_rules.load(DATA_DIR, checks=gentle.CHECKS, feelings_path=path)
    assert "'lonley' under 'sidelined' is not a canonical feeling" in str(error.value)
    assert _file_and_line(error) == (str(path), line)


def test_a_rule_added_to_a_data_file_is_heard_without_python(data, monkeypatch):
    """What a linguist does: a few lines in one data file, and the check hears it."""
    text = "When you came home late, I felt scared. Fine, I'll give you the cold shoulder."
    assert "protest" not in {f.kind for f in check_draft(text)}
    _append(data / "protest.yml", '  - name: cold_shoulder\n'
                                  '    explanation: withdraw\n'
                                  '    patterns:\n'
                                  '      - "i @WILL @ADV* give @YOU the cold shoulder"')
    with rules_from(data, monkeypatch):
        found = [f for f in check_draft(text) if f.kind == "protest"]
        assert [f.text for f in found] == ["I'll give you the cold shoulder"]
        assert found[0].explanation.startswith("'I'll give you the cold shoulder' pulls away")
        assert found[0].suggestion.startswith("Say it directly")
    assert "protest" not in {f.kind for f in check_draft(text)}


def test_a_word_added_to_a_word_class_is_heard_without_python(data, monkeypatch):
    text = "When you forgot my birthday, you were so thoughtless and flaky."
    assert [f.text for f in check_draft(text) if f.kind == "absolute"] == [
        "you were so thoughtless"]
    path = data / "lexicon.yml"
    path.write_text(path.read_text().replace("  VADJ: [selfish,", "  VADJ: [selfish, flaky,", 1))
    with rules_from(data, monkeypatch):
        assert [f.text for f in check_draft("When you forgot my birthday, you were so flaky.")
                if f.kind == "absolute"] == ["you were so flaky"]
