"""The safety rules are data: every file loads, and a mistake names its file and line."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.language.patterns import PatternError
from bot.safety import Risk, Tier, assess
from bot.safety import rules as rules_module
from bot.safety.rules import DATA_DIR, load


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the real rule files to break."""
    target = tmp_path / "safety"
    shutil.copytree(DATA_DIR, target)
    return target


def test_the_shipped_rule_files_are_valid():
    rules = load(DATA_DIR)
    assert rules.rule_count >= 30
    cells = {path.stem for path in rules.files}
    assert {"wish_to_be_dead", "self_injury", "overdose", "physical_violence",
            "monitoring_and_stalking", "economic_abuse"} <= cells


def test_the_command_line_check_says_all_valid(capsys):
    assert rules_module.main([]) == 0
    assert "all valid" in capsys.readouterr().out


@contextmanager
def rules_from(directory: Path, monkeypatch):
    """Assess with the rule files in ``directory``; the shipped rules again afterwards."""
    monkeypatch.setattr(rules_module, "DATA_DIR", directory)
    rules_module.rule_set.cache_clear()
    try:
        yield
    finally:
        monkeypatch.undo()
        rules_module.rule_set.cache_clear()


def _append_rule(path: Path, text: str) -> int:
    """Add a rule at the end of a rule file; returns the line of its first pattern."""
    lines = path.read_text().splitlines()
    lines += text.strip("\n").splitlines()
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


@pytest.mark.parametrize("rule, message", [
    ('  - cue: x\n    patterns:\n      - "take @PILLZ"', "unknown word class @PILLZ"),
    ('  - cue: x\n    patterns:\n      - "take {MEANZ}"', "unknown sequence class {MEANZ}"),
    ('  - cue: x\n    check: nonsense\n    patterns:\n      - "take"', "unknown check 'nonsense'"),
    ('  - cue: x\n    patterns:\n      - "_* @ADV?"', "would match anything"),
    ('  - cue: x\n    tier: maybe\n    patterns:\n      - "take"', "tier must be"),
    ('  - cue: x\n    pattern:\n      - "take"', "unknown key 'pattern'"),
    ('  - cue: x\n    near:\n      - "take"', "'near' needs two or more patterns"),
    ('  - cue: x\n    patterns:\n      - "take||swallow"', "malformed token"),
    # a second key of the same name would silently replace the first one's patterns
    ('  - cue: x\n    unless:\n      - "a"\n    patterns:\n      - "take"\n    unless:\n'
     '      - "b"', "'unless' is given twice in one place"),
])
def test_a_broken_rule_names_its_file_and_line(data, rule, message):
    path = data / "crisis" / "overdose.yml"
    last = _append_rule(path, rule)
    with pytest.raises(PatternError) as error:
        load(data)
    text = str(error.value)
    assert message in text
    file_and_line = text.split(": ")[0]
    assert file_and_line.startswith(str(path) + ":")
    assert last - 3 <= int(file_and_line.rsplit(":", 1)[1]) <= last


def test_an_unquoted_no_in_a_word_list_is_explained(data):
    path = data / "lexicon.yml"
    text = path.read_text().replace("  KNOWN_SHORT: [", "  KNOWN_SHORT: [no, ", 1)
    path.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "KNOWN_SHORT: [no," in row)
    with pytest.raises(PatternError, match=rf"lexicon.yml:{line}: .*write it in quotes"):
        load(data)


def test_a_file_that_is_not_yaml_names_its_line(data):
    path = data / "abuse" / "isolation.yml"
    path.write_text(path.read_text() + "  - cue: [unclosed\n")
    with pytest.raises(PatternError, match=r"isolation.yml:\d+: not valid YAML"):
        load(data)


def test_a_phrase_added_to_a_file_is_recognised_without_python(data, monkeypatch):
    """What a clinician does: one line in a data file, and the bot hears it."""
    text = "i keep rehearsing my goodbye speech"
    assert assess(text).risk is Risk.none
    _append_rule(data / "crisis" / "preparatory.yml",
                 '  - cue: goodbye_speech\n    patterns:\n      - "rehearse my goodbye speech"')
    with rules_from(data, monkeypatch):
        finding = assess(text)
        assert (finding.risk, finding.tier, finding.cue) == (Risk.crisis, Tier.clear,
                                                               "goodbye_speech")
    assert assess(text).risk is Risk.none


def test_a_near_rule_needs_every_part_within_its_window(data, monkeypatch):
    _append_rule(data / "crisis" / "overdose.yml",
                 '  - cue: test_near\n    tier: possible\n    window: 6\n    near:\n'
                 '      - "zorblax"\n      - "quuxly"')
    with rules_from(data, monkeypatch):
        assert assess("zorblax then quuxly").tier is Tier.possible
        assert assess("zorblax then quuxly").cue == "test_near"
        assert assess("zorblax " + "and so on " * 4 + "quuxly").risk is Risk.none
        assert assess("zorblax alone").risk is Risk.none


def test_a_near_part_may_be_a_list_of_phrases(data, monkeypatch):
    """One part, several phrases: "the day" or "one more time" (a single string would read
    "the|one day|more time" as a sequence of tokens, which is how the conditional-intent rules
    were dead until blind round 2)."""
    _append_rule(data / "crisis" / "overdose.yml",
                 '  - cue: test_near_list\n    tier: possible\n    window: 8\n    near:\n'
                 '      - ["the zorblax day", "one more zorblax"]\n      - "quuxly"')
    with rules_from(data, monkeypatch):
        assert assess("the zorblax day then quuxly").cue == "test_near_list"
        assert assess("one more zorblax and quuxly").cue == "test_near_list"
        assert assess("zorblax day quuxly").risk is Risk.none


@pytest.mark.parametrize("text, tier", [
    ("if he leaves im ending it", Tier.clear),                       # was missed: dead rule
    ("if he goes im done for good", Tier.clear),
    ("told him if he goes to that party i wont be here when he gets back", Tier.possible),
    ("took way too many of my sleeping pills", Tier.clear),
])
def test_conditional_intent_and_overdose_concepts_fire(text, tier):
    finding = assess(text)
    assert finding.risk is Risk.crisis and finding.tier is tier


@pytest.mark.parametrize("text", [
    "i wont be here when he gets home, im at my mums",
    "if he forgets again im done with this relationship",
    # the floor of a room is no height to fall from (messy round 40, spent): "came back …
    # sat on the bathroom floor" read as an attempt turned back from the edge
    "I got home at 8 and he was out with no note, came back at 10 with takeaway for himself. "
    "I just sat on the bathroom floor.",
    # nor a tank top a rooftop (blind round 68, spent)
    "got a new tattoo, walked round in a tank top all evening. zero comment",
])
def test_their_ordinary_readings_do_not(text):
    assert assess(text).risk is Risk.none


@pytest.mark.parametrize("text, risk", [
    ("in the car he grabbed my hair and slammed my head on the dashboard", Risk.abuse),
    ("she keeps telling me i imagined things that definitely happened", Risk.abuse),
    ("punched the wall till my knuckles split open, he still hasnt replied", Risk.crisis),
])
def test_blind_round_two_misses_are_read_as_concepts(text, risk):
    assert assess(text).risk is risk


@pytest.mark.parametrize("text", [
    "she grabbed my hand and pulled me to the dance floor",
    "my sister is going to strangle me if i'm late to her hen do again",
])
def test_and_their_everyday_neighbours_are_not(text):
    assert assess(text).risk is Risk.none


def test_a_group_offers_whole_phrases(data, monkeypatch):
    """``(a b|c)`` is one of these phrases; without brackets ``|`` joins single words only."""
    _append_rule(data / "crisis" / "overdose.yml",
                 '  - cue: test_group\n    tier: possible\n    patterns:\n'
                 '      - "zorblax (for good|forever|and never) quuxly"\n'
                 '      - "blorft (very much)? snark"')
    with rules_from(data, monkeypatch):
        for text in ("zorblax for good quuxly", "zorblax forever quuxly",
                     "zorblax and never quuxly", "blorft snark", "blorft very much snark"):
            assert assess(text).cue == "test_group", text
        for text in ("zorblax for quuxly", "zorblax good quuxly", "blorft very snark"):
            assert assess(text).risk is Risk.none, text


def test_pattern_words_are_read_as_people_spell_them(data, monkeypatch):
    """A contraction in a pattern stands for its two tokens, an inflected word for its lemma,
    so "wouldn't|wouldnt mind" hears "i wouldnt mind" and "tells" hears "told"."""
    _append_rule(data / "crisis" / "overdose.yml",
                 '  - cue: test_spelling\n    tier: possible\n    patterns:\n'
                 '      - "wouldn\'t mind zorblax"\n      - "tells me quuxly"')
    with rules_from(data, monkeypatch):
        for text in ("i wouldn't mind zorblax", "i wouldnt mind zorblax",
                     "he told me quuxly", "she tells me quuxly"):
            assert assess(text).cue == "test_spelling", text
        assert assess("i would mind zorblax").risk is Risk.none


@pytest.mark.parametrize("pattern", ["zorblax (for good", "zorblax for) good",
                                     "zorblax ((a|b)|c)", "zorblax (a||b)"])
def test_a_broken_group_names_its_file(data, pattern):
    _append_rule(data / "crisis" / "overdose.yml",
                 f'  - cue: test_broken\n    patterns:\n      - "{pattern}"')
    with pytest.raises(PatternError, match="overdose.yml"):
        load(data)


def _examples():
    # Sorted: every pytest-xdist worker must collect the same tests in the same order.
    return sorted({(rule.source, rule.risk, text)
                   for rule in {g.owner.rule for g in load(DATA_DIR).rules.groups}
                   for text in rule.examples}, key=lambda item: (item[0], item[2]))


@pytest.mark.parametrize("source, risk, text", _examples())
def test_every_example_in_the_rule_files_is_heard(source, risk, text):
    """Each rule's ``examples`` get its risk: a pattern written so that it can never match
    (as several were, before groups of phrases) fails here, naming its file and line."""
    assert assess(text).risk is risk, f"{source}: {text!r}"


@pytest.mark.parametrize("text", [
    # read receipts and the writer's own doings are not monitoring, image abuse or stalking
    "Istg he reads my messages and leaves me on delivered. For like 5 hours. Then sends a meme",
    "he read my text at 9 and still no reply",
    "didnt text me back after i sent the ultrasound pic. 5 hours. hes at work but still",
    "i changed my password",
    "i put an airtag on my keys",
    "i said stop and he didn't listen to my story",
])
def test_the_writers_own_doings_and_read_receipts_raise_no_alarm(text):
    assert assess(text).risk is Risk.none


@pytest.mark.parametrize("text", [
    "he reads my texts over my shoulder and goes through my phone when i sleep",
    "he changed my passwords so i cant get into my email",
    "he put an airtag in my bag",
    "i said stop and he didnt",
    "my husband tells me every day im crazy and that i imagine things",
])
def test_while_the_same_acts_by_the_partner_do(text):
    assert assess(text).risk is Risk.abuse


@pytest.mark.parametrize("text", [
    "my husband fell asleep at 8:30 when we had plans to watch the finale together",
    "she cancelled our plans again, said she'd be asleep by the time i got there",
])
def test_plans_made_together_are_not_a_plan_to_die(text):
    assert assess(text).risk is Risk.none


def test_expansions_that_need_the_same_words_are_asked_once():
    """'stick|jab _? _? _? into my arm (again|on purpose)' expands to dozens of token patterns
    that all need the same few words: may_match asks about each set of words once, and the
    matcher still finds the phrase with or without the words in between."""
    from bot.language.nlp import get_nlp
    from bot.language.patterns import Lexicon, group

    nlp = get_nlp()
    g = group(nlp.vocab, "stick|jab _? _? _? into my arm (again|on purpose)", Lexicon())
    assert len(g.needs) == 2  # "again", or "on purpose": not one per optional word
    for text in ("i jab it into my arm again", "stick the pin into my arm on purpose"):
        doc = nlp(text)
        norms, lowers = {t.norm_ for t in doc}, {t.lower_ for t in doc}
        assert g.may_match(norms, lowers) and g.matcher(doc)
    doc = nlp("i jab it into my arm")
    assert not g.may_match({t.norm_ for t in doc}, {t.lower_ for t in doc})


def test_a_pattern_with_thousands_of_expansions_keeps_one_need_per_shape():
    """Every choice of four alternatives is its own expansion (625 here); their needs are
    merged word set by word set, so the rule files load in seconds, and the merged need
    still lets exactly the docs with one word of each set through to the matcher."""
    from bot.language.nlp import get_nlp
    from bot.language.patterns import Lexicon, group

    nlp = get_nlp()
    five = ["a1|a2|a3|a4|a5", "b1|b2|b3|b4|b5", "c1|c2|c3|c4|c5", "d1|d2|d3|d4|d5"]
    g = group(nlp.vocab, " ".join(five), Lexicon())
    assert len(g.needs) == 1 and [len(words) for _, words in g.needs[0]] == [5, 5, 5, 5]
    for text, may in (("a3 b1 c5 d2", True), ("a3 b1 c5", False), ("b1 c5 d2 a9", False)):
        doc = nlp(text)
        assert g.may_match({t.norm_ for t in doc}, {t.lower_ for t in doc}) is may
    assert g.matcher(nlp("a3 b1 c5 d2")) and not g.matcher(nlp("a3 b1 d2 c5"))
