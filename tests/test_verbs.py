"""Which words can be verbs, and their pasts (bot/language/verbs.py, from spaCy's tables)."""
import pytest

from bot.language.verbs import can_be_verb, is_english_word, past_of


@pytest.mark.parametrize("word", ["forgot", "ghosted", "says", "texted", "unfollowed",
                                  "stopped", "planning", "went"])
def test_forms_of_verbs_are_verbs(word):
    assert can_be_verb(word)


@pytest.mark.parametrize("word", ["new", "sorry", "story", "night"])
def test_words_that_are_no_verb(word):
    assert not can_be_verb(word)


@pytest.mark.parametrize("verb, past", [("tell", "told"), ("promise", "promised"),
                                        ("plan", "planned"), ("reply", "replied"),
                                        ("open", "opened"), ("Come", "Came"),
                                        ("visit", "visited"), ("text", "texted")])
def test_simple_pasts(verb, past):
    assert past_of(verb) == past


def test_a_name_is_no_english_word_but_function_words_are():
    assert not is_english_word("kwame")
    assert is_english_word("the") and is_english_word("every")
