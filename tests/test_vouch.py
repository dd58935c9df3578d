"""The vouch: a clause a reader would likely fail is not shown; the person is asked instead.

Messages here are made up in the shapes the spent rounds showed (none is copied from a set).
"""

import sys
from pathlib import Path

import pytest
import yaml

from bot.language.observation import find_observation
from bot.language.vouch import features, likely_right, model, proposal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import train_vouch  # noqa: E402

GARBLED = [
    # second-language word order kept as typed: "only 2 day you will come"
    "He is saying he will come for Eid but now he is saying only 2 day he will come, not "
    "full week. I told all my family already",
    # a detail said twice, a fragment pasted in: "while you were in Delhi, and you are in Delhi"
    "My husband is not calling me since 3 days, only he is sending good night message. He is "
    "in Delhi for office work. I am feeling very alone",
]
PLAIN = {
    "my girlfriend didn't text me back all evening": "you didn't text me back all evening",
    "he forgot to pick me up from the station and i waited 40 minutes in the rain":
        "you forgot to pick me up from the station, and I waited 40 minutes in the rain",
    "so background, we've been together four years, his mum is lovely, and then he cancelled "
    "our dinner an hour before ngl": "you cancelled our dinner an hour before",
}


@pytest.mark.parametrize("message", GARBLED)
def test_a_clause_the_guard_passes_but_a_reader_would_fail_is_not_shown(message):
    clause = find_observation(message).clause
    assert clause  # the rules found something and the guard let it through ...
    assert likely_right(message, clause) < model()["threshold"]
    assert proposal(message) is None  # ... but the person is asked for their own words


@pytest.mark.parametrize("message, shown", PLAIN.items())
def test_a_plain_clause_is_still_shown(message, shown):
    assert proposal(message) == shown


def test_most_of_the_hand_written_descriptions_are_still_shown():
    """The clean pairs (each one a description of the partner) keep their proposal: the vouch
    doubts only the messy. (They are in the training data, so this guards against a model
    that learnt to refuse short clauses, not how well it does on new words.)"""
    pairs = yaml.safe_load((ROOT / "tests/data/second_person_pairs.yml").read_text())["pairs"]
    shown = [pair for pair in pairs if proposal(pair["input"])]
    assert len(shown) >= 0.85 * len(pairs)


def test_the_model_sees_shapes_and_dropped_facts_never_a_topic():
    """A topic the spent sets often failed on ("birthday") is not held against a clause: the
    words are read as their kinds; what counts is the shape and what was left out."""
    birthday = likely_right("he forgot my birthday", "you forgot my birthday")
    assert birthday == likely_right("he forgot my anniversary", "you forgot my anniversary")
    shapes = {name for name in features("x", "you forgot my birthday") if name[0] in "wb"}
    assert shapes == {"w:you", "w:V", "w:my", "w:W", "b:you V", "b:V my", "b:my W"}
    # a clock time or a quotation the message had and the clause dropped lowers it
    kept = "he said 'cant tonight sorry' at 8:15 and cancelled"
    assert likely_right(kept, "you cancelled") < likely_right(
        kept, "you said 'cant tonight sorry' at 8:15 and cancelled"
    )


def test_the_weights_are_what_the_spent_sets_make(capsys):
    """bot/data/drafting/vouch.json is data made by one command, never edited by hand."""
    assert train_vouch.main(["--check"]) == 0, capsys.readouterr().out


def test_the_examples_are_every_judged_proposal_and_no_asked_one():
    found = train_vouch.examples()
    rounds = {row["round"] for row in found}
    assert len(rounds) >= 33 and len(found) > 2000
    assert all(row["proposal"] and row["message"] for row in found)
    assert 0.5 < sum(row["passed"] for row in found) / len(found) < 0.9


def test_how_long_they_have_been_together_is_not_a_dropped_fact():
    message = "ok so context we've been together 2 yrs, he said he'd call after his shift at 6"
    line = "you said you'd call after your shift at 6"
    assert features(message, line)["n:numbers_dropped"] == 0
    assert features(message, "you said you'd call")["n:numbers_dropped"] > 0


def test_a_line_with_a_piece_stitched_on_gives_way_to_the_reading_a_reader_passes():
    """Messy round 50 (spent): most failed lines had pieces stitched on ("you forgot to pick
    me up from the station, and your phone was on silent you said, for 45 min in the rain").
    Between sure and doubtful, the shorter readings are weighed and the likeliest is shown."""
    message = "she forgot to collect me from the gym. 30 min in the cold. her phone was dead she said"
    whole = find_observation(message).clause
    assert "phone was dead" in whole and whole.count(",") >= 2
    shown = proposal(message)
    assert shown and "phone" not in shown
    assert "collect me from the gym" in shown and "30 min" in shown
    assert likely_right(message, shown) > likely_right(message, whole)


def test_a_line_the_model_is_sure_of_is_shown_as_found():
    message = "ugh he forgot my birthday again"
    assert proposal(message) == find_observation(message).clause == "you forgot my birthday again"
