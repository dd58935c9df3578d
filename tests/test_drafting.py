"""Drafting: turning the person's description to "you", and composing the draft.

The (input, expected) pairs live in tests/data/second_person_pairs.yml so the rule set can
be judged by reading them; this file only runs them and checks the draft around them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.drafting import SKIPPED, compose_draft, to_second_person

PAIRS_PATH = Path(__file__).resolve().parent / "data" / "second_person_pairs.yml"
PAIRS: list[dict] = yaml.safe_load(PAIRS_PATH.read_text(encoding="utf-8"))["pairs"]


def test_pairs_file_is_large_and_ids_are_unique():
    ids = [pair["id"] for pair in PAIRS]
    assert len(ids) >= 60
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("pair", PAIRS, ids=[pair["id"] for pair in PAIRS])
def test_to_second_person(pair: dict):
    assert to_second_person(pair["input"]) == pair["expected"]


FIXED_POINTS = [pair for pair in PAIRS if pair.get("fixed_point", True)]


@pytest.mark.parametrize("pair", FIXED_POINTS, ids=[pair["id"] for pair in FIXED_POINTS])
def test_rewriting_a_rewritten_clause_changes_nothing(pair: dict):
    """A saved draft that is edited and composed again must not drift."""
    assert to_second_person(pair["expected"]) == pair["expected"]


@pytest.mark.parametrize("text", ["", "   ", "😢😢", "...", "!!!"])
def test_no_letters_gives_empty_clause(text: str):
    assert to_second_person(text) == ""


@pytest.mark.parametrize("text", ["ugh lol", "idk", "so", "he", "😭 he 😭"])
def test_filler_only_falls_back_to_the_cleaned_text(text: str):
    assert to_second_person(text) != ""


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_never_empty_when_there_are_letters(text: str):
    clause = to_second_person(text)
    assert isinstance(clause, str)
    if any(char.isalpha() for char in text):
        assert clause.strip()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "he she they him her his hers my bf husband maya Sam's I i me you your was is "
            "doesn't didnt has always never texts goes and but , . ! lol ugh so last night "
            "tries watches himself herself their them he's she'll".split()
        ),
        max_size=40,
    )
)
def test_word_salad_from_the_rule_tables_never_crashes(words: list[str]):
    text = " ".join(words)
    clause = to_second_person(text)
    if any(char.isalpha() for char in text):
        assert clause.strip()


def test_long_clause_is_capped():
    vent = " ".join(["he kept scrolling on his phone and"] * 20)
    assert len(to_second_person(vent).split()) <= 35


# --- compose_draft ------------------------------------------------------------------------


def test_the_brief_example():
    draft = compose_draft(
        "my husband stayed at the office until nine without letting me know",
        "scared",
        fear="being left",
        request="send me a quick text when he's running late",
    )
    assert draft == (
        "When you stayed at the office until nine without letting me know, I felt scared, "
        "and an old fear of being left came up. Would you be willing to send me a quick "
        "text when you're running late?"
    )


def test_specific_fear_is_turned_to_you():
    draft = compose_draft(
        "he stayed at the office until nine without letting me know",
        "scared",
        fear="i'm scared that he's losing interest in me",
        request="send me a quick text when he's running late",
    )
    assert draft == (
        "When you stayed at the office until nine without letting me know, I felt scared, "
        "and an old fear came up that you're losing interest in me. Would you be willing "
        "to send me a quick text when you're running late?"
    )


def test_feeling_only():
    assert compose_draft("maya forgot our anniversary", "hurt") == (
        "When you forgot our anniversary, I felt hurt."
    )


@pytest.mark.parametrize("skipped", [None, "", "  ", SKIPPED, "Skipped"])
def test_skipped_parts_are_left_out(skipped):
    draft = compose_draft("he didn't text", "anxious", fear=skipped, need=skipped, request=skipped)
    assert draft == "When you didn't text, I felt anxious."


def test_skipped_sentinel_value():
    assert SKIPPED == "skipped"


def test_feeling_is_cleaned_and_two_feelings_are_kept_as_said():
    draft = compose_draft("he left early", "i felt really scared and alone")
    assert draft == "When you left early, I felt scared and alone."


@pytest.mark.parametrize(
    ("fear", "expected"),
    [
        ("being left", ", and an old fear of being left came up."),
        ("of being abandoned", ", and an old fear of being left came up."),
        ("i'm scared of being left", ", and an old fear of being left came up."),
        ("abandonment", ", and an old fear of being left came up."),
        ("being replaced", ", and an old fear of being replaced came up."),
        ("losing him", ", and an old fear of losing you came up."),
        ("him leaving me", ", and an old fear of you leaving me came up."),
        ("that he doesn't love me anymore", ", and an old fear came up that you don't love me anymore."),
        ("like she's going to leave", ", and an old fear came up that you're going to leave."),
        ("she'll leave me", ", and an old fear came up that you'll leave me."),
        ("what if he leaves me for someone else", ", and an old fear came up that you'll leave me for someone else."),
        ("what if he never comes back", ", and an old fear came up that you'll never come back."),
    ],
)
def test_fear(fear: str, expected: str):
    draft = compose_draft("he didn't text", "scared", fear=fear)
    assert draft == "When you didn't text, I felt scared" + expected


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("text me when he's running late", "Would you be willing to text me when you're running late?"),
        ("him to text me when he lands", "Would you be willing to text me when you land?"),
        ("i want him to call me before bed", "Would you be willing to call me before bed?"),
        ("please tell me if he's going to be late", "Would you be willing to tell me if you're going to be late?"),
        ("that he checks in once during the day", "Would you be willing to check in once during the day?"),
        ("a quick heads-up when plans change", "Would you be willing to give me a quick heads-up when plans change?"),
        ("can you text me when you land", "Can you text me when you land?"),
        ("could you text me when you land?", "Could you text me when you land?"),
        ("Would you be willing to text me?", "Would you be willing to text me?"),
    ],
)
def test_request(request_text: str, expected: str):
    draft = compose_draft("he didn't text", "anxious", request=request_text)
    assert draft == f"When you didn't text, I felt anxious. {expected}"


@pytest.mark.parametrize(
    ("need", "expected"),
    [
        ("reassurance", "What would help me is some reassurance."),
        ("time together", "What would help me is some time together."),
        ("feeling important", "What would help me is feeling important."),
        ("a hug", "What would help me is a hug."),
        ("i need reassurance", "What would help me is some reassurance."),
        ("knowing he still wants me", "What would help me is knowing you still want me."),
    ],
)
def test_need(need: str, expected: str):
    draft = compose_draft("he didn't text", "anxious", need=need)
    assert draft == f"When you didn't text, I felt anxious. {expected}"


def test_request_wins_over_need():
    draft = compose_draft("he didn't text", "anxious", need="reassurance", request="text me when he lands")
    assert draft == "When you didn't text, I felt anxious. Would you be willing to text me when you land?"


def test_draft_shape():
    draft = compose_draft(
        "ugh so my bf said he'd be home at 7 and he still isn't answering, i'm freaking out!!",
        "Scared!",
        fear="what if he's with someone else",
        request="text me if he's going to be late",
    )
    assert draft[0].isupper()
    assert draft[-1] in ".?"
    assert "  " not in draft
    assert "freaking" not in draft
    assert len(draft.split()) <= 70


@pytest.mark.parametrize("situation", ["", "😢"])
def test_without_a_situation_the_draft_starts_at_the_feeling(situation: str):
    assert compose_draft(situation, "sad", fear="being left") == (
        "I felt sad, and an old fear of being left came up."
    )


@pytest.mark.parametrize("feeling", ["", "😢"])
def test_a_draft_needs_a_feeling(feeling: str):
    with pytest.raises(ValueError):
        compose_draft("he left", feeling)
