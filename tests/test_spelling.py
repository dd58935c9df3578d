"""Slips of a thumb are not copied into the line Steady shows (bot/language/spelling.py)."""

import pytest

from bot.language.observation import find_observation
from bot.language.spelling import mend_slips, mended


@pytest.mark.parametrize("typed, meant", [
    ("brithday", "birthday"),     # two letters swapped
    ("anniversray", "anniversary"),
    ("mesages", "messages"),      # a letter left out
    ("tonigt", "tonight"),
    ("shoppping", "shopping"),    # a consonant typed twice
    ("cancelld", "cancelled"),
    ("eveninf", "evening"),       # a key's neighbour, in a long word
])
def test_a_slip_is_mended_to_the_word_meant(typed, meant):
    assert mended(typed) == meant


@pytest.mark.parametrize("word", [
    "Jess", "jess", "tim", "amy", "tunde", "matt",   # names, typed in lower case too
    "ngl", "lowkey", "istg", "tbh", "bc", "yaar", "bhai", "nae", "wee",  # chat and dialect
    "hes", "youd", "cant",   # contractions without their apostrophe, mended elsewhere
    "nites", "thu", "valorant", "tiktok",
])
def test_names_chat_dialect_and_unknown_words_are_left_as_typed(word):
    assert mended(word) == word


def test_what_was_quoted_is_kept_exactly_as_typed():
    text = "he wrote 'srry cant tonigt' and went to the shoppping centre"
    assert mend_slips(text) == "he wrote 'srry cant tonigt' and went to the shopping centre"


def test_the_line_shown_carries_the_words_meant_not_the_slips():
    clause = find_observation("he forgto my brithday agian and didnt mesage me till tonigt").clause
    assert "birthday" in clause and "message" in clause and "tonight" in clause
    assert "brithday" not in clause and "mesage" not in clause
