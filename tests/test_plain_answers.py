"""Plain yes and no are read from the words: a "no" to a safety question is a no."""
import pytest
import yaml

from bot.language import plain_answers
from bot.language.plain_answers import read_plain_answer


@pytest.mark.parametrize("text", ["no", "No.", "nope", "no i'm not", "No, I'm ok",
                                  "nah im fine", "not really", "no thanks", "No!! i'm safe",
                                  "no, just upset", "definitely not"])
def test_a_plain_no_is_a_no(text):
    assert read_plain_answer(text) == "deny"


@pytest.mark.parametrize("text", ["yes", "Yes.", "yeah", "yep", "Yeah I am", "yes please",
                                  "sure", "yes, that's it"])
def test_a_plain_yes_is_a_yes(text):
    assert read_plain_answer(text) == "affirm"


@pytest.mark.parametrize("text", [
    "no i'm not ok", "no i'm not safe", "yes he hit me", "no he didn't hurt me this time",
    "not really, i took the pills already", "yes i want to die", "nobody cares", "noted",
    "", "   ", "🙂", "no " * 20])
def test_anything_more_than_a_plain_answer_is_left_to_the_classifier(text):
    assert read_plain_answer(text) is None


def test_an_unquoted_yes_or_no_in_the_data_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "plain_answers.yml"
    path.write_text("affirm:\n  heads: [yes]\ndeny:\n  heads: ['no']\n")
    monkeypatch.setattr(plain_answers, "PATH", path)
    plain_answers._data.cache_clear()
    plain_answers._phrases.cache_clear()
    try:
        with pytest.raises(ValueError, match="quote"):
            read_plain_answer("no")
    finally:
        plain_answers._data.cache_clear()
        plain_answers._phrases.cache_clear()


def test_no_phrase_is_both_yes_and_no():
    data = yaml.safe_load(plain_answers.PATH.read_text())
    assert set(data) == {"affirm", "deny", "resume", "delete_everything", "stop"}
    phrases = plain_answers._phrases()
    assert not phrases["affirm"] & phrases["deny"]


@pytest.mark.parametrize("text", [
    "can we go back to the exercise",          # a retrain read it as cancelled plans
    "Can we get back to the reflection now?",
    "ok i'm calmer, let's continue the exercise",
    "i want to finish my reflection",
])
def test_asking_to_go_back_to_the_exercise_is_read_from_words(text):
    assert plain_answers.asks_to_resume(text)


@pytest.mark.parametrize("text", [
    "he wants to go back to where we were before the fight",
    "the exercise helped, thanks",
    "he went back to the exercise bike instead of talking to me",
    "can we go back to the exercise " + "please " * 10,   # long: left to the classifier
])
def test_other_messages_about_going_back_are_not_a_request_to_resume(text):
    assert not plain_answers.asks_to_resume(text)


@pytest.mark.parametrize("text, asked", [
    ("delete all my data", True),
    ("Delete everything.", True),
    ("please erase everything you have on me", True),
    ("can you delete my account pls", True),
    # a draft, someone else's act, other things deleted: not everything Steady keeps
    ("delete draft 2", False),
    ("delete all my drafts", False),
    ("he deleted everything", False),
    ("i want to delete everything he sent me", False),
])
def test_asking_to_delete_everything_is_read_from_the_words(text, asked):
    """A retrain once read "delete all my data" as the fallback (67f0506's model): the way out
    is read from the words, whatever the model says."""
    from bot.language.plain_answers import asks_to_delete_everything

    assert asks_to_delete_everything(text) is asked


@pytest.mark.parametrize("text, asked", [
    ("quit", True), ("Stop the exercise.", True), ("cancel this", True), ("stop", True),
    # only the whole message; never "end it" (a crisis cue the safety rules read)
    ("i want to end it", False), ("end this", False), ("stop texting me at work he said", False),
])
def test_asking_to_stop_is_read_from_the_whole_message(text, asked):
    from bot.language.plain_answers import asks_to_stop

    assert asks_to_stop(text) is asked
