"""Reading the feeling a person names: known feelings, faux feelings, own words, nothing."""
from __future__ import annotations

import pytest

from bot.feelings import COMMON_FEELINGS, FeelingReading, feeling_phrase, read_feeling


@pytest.mark.parametrize(
    ("text", "word", "canonical"),
    [
        ("scared", "scared", "scared"),
        ("Scared!", "scared", "scared"),
        ("i feel scared", "scared", "scared"),
        ("i felt really scared and alone", "scared", "scared"),
        ("honestly just hurt", "hurt", "hurt"),
        ("I'm so anxious 😭", "anxious", "anxious"),
        ("I’m kinda terrified tbh", "terrified", "scared"),
        ("freaked-out", "freaked out", "scared"),
        ("FURIOUS", "furious", "angry"),
        ("not scared, just hurt", "hurt", "hurt"),
        ("abandoned and scared", "scared", "scared"),
        ("a bit self-conscious", "self conscious", "embarrassed"),
    ],
)
def test_known_feeling(text: str, word: str, canonical: str):
    reading = read_feeling(text)
    assert reading.kind == "feeling"
    assert reading.word == word
    assert reading.canonical == canonical
    assert reading.underneath == ()


@pytest.mark.parametrize(
    ("text", "word", "first_underneath"),
    [
        ("abandoned", "abandoned", "scared"),
        ("kind of ignored tbh", "ignored", "hurt"),
        ("Rejected.", "rejected", "hurt"),
        ("i feel so unimportant", "unimportant", "hurt"),
        ("unappreciated", "unappreciated", "sad"),
        ("betrayed", "betrayed", "hurt"),
        ("left out", "left out", "lonely"),
        ("taken for granted", "taken for granted", "hurt"),
    ],
)
def test_faux_feeling_offers_the_feelings_underneath(text: str, word: str, first_underneath: str):
    reading = read_feeling(text)
    assert reading.kind == "faux"
    assert reading.word == word
    assert reading.canonical is None
    assert reading.underneath[0] == first_underneath


@pytest.mark.parametrize(
    "word",
    "abandoned ignored rejected unimportant unappreciated betrayed neglected manipulated "
    "unloved unwanted dismissed invisible used replaced forgotten disrespected".split()
    + ["left out"],
)
def test_every_faux_word_of_the_brief_points_to_real_feelings(word: str):
    reading = read_feeling(word)
    assert reading.kind == "faux"
    assert reading.underneath
    assert all(read_feeling(feeling).canonical == feeling for feeling in reading.underneath)


def test_several_faux_words_merge_what_is_underneath():
    reading = read_feeling("ignored and unimportant")
    assert reading.words == ("ignored", "unimportant")
    assert reading.underneath == ("hurt", "lonely", "sad")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("wobbly", "wobbly"),
        ("on edge", "on edge"),
        ("i feel kinda wobbly", "wobbly"),
        ("out of sorts", "out of sorts"),
    ],
)
def test_short_own_word_is_a_feeling_without_canonical(text: str, word: str):
    assert read_feeling(text) == FeelingReading("feeling", word, None, (), (word,))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("I feel like he doesn't care", "he doesn't care"),
        ("😢", ""),
        ("", ""),
        ("   ", ""),
        ("idk", "idk"),
        ("he left", "he left"),
        ("not scared", "not scared"),
        ("he went out with his friends again and did not tell me", "he went out with his friends again and did not tell me"),
    ],
)
def test_unknown(text: str, word: str):
    reading = read_feeling(text)
    assert reading.kind == "unknown"
    assert reading.word == word
    assert reading.canonical is None


def test_common_feelings_are_buttons_in_the_brief_order():
    assert 8 <= len(COMMON_FEELINGS) <= 10
    assert COMMON_FEELINGS[:9] == (
        "scared", "hurt", "lonely", "sad", "anxious", "angry", "jealous", "embarrassed", "disappointed",
    )
    for feeling in COMMON_FEELINGS:
        assert read_feeling(feeling).canonical == feeling


@pytest.mark.parametrize(
    ("given", "phrase"),
    [
        ("scared", "scared"),
        ("i felt really scared and alone", "scared and alone"),
        ("scared, hurt and alone", "scared and hurt"),
        ("scared and terrified", "scared"),
        ("wobbly", "wobbly"),
        ("abandoned", "abandoned"),
        ("😢", ""),
    ],
)
def test_feeling_phrase(given: str, phrase: str):
    assert feeling_phrase(given) == phrase
    assert feeling_phrase(read_feeling(given)) == phrase


def test_feeling_phrase_of_a_reading_built_by_hand():
    assert feeling_phrase(FeelingReading("feeling", "lonely", "lonely", ())) == "lonely"
