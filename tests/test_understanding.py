"""Steady's own classifiers (bot/language/classifier.py) and their Rasa components
(bot/plugins/understanding.py): trained, stored in the model, loaded back, used."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.classifier import TextClassifier, normal_text
from bot.plugins import understanding
from bot.plugins.understanding import SafetyClassifier, TriggerClassifier


def test_normal_text_reads_text_speak_and_typos_like_the_safety_rules():
    assert normal_text("i wanna die") == normal_text("i want die") == "i want die"
    assert normal_text("he didn’t text") == normal_text("he didnt text") == "he do not text"


def test_a_classifier_survives_saving_and_loading(tmp_path: Path):
    classifier = TextClassifier().fit(
        ["i want to die", "kill myself tonight", "he hit me", "he choked me", "hello there",
         "i love pizza", "she was late again", "see you later"],
        ["crisis", "crisis", "abuse", "abuse", "none", "none", "none", "none"])
    classifier.save(tmp_path / "c")
    loaded = TextClassifier.load(tmp_path / "c")
    for text in ("i want to kill myself", "he hit me again", "pizza later?"):
        assert loaded.scores(text) == pytest.approx(classifier.scores(text))
    assert max(loaded.scores("i want to kill myself"),
               key=loaded.scores("i want to kill myself").get) == "crisis"


def test_a_folder_that_is_not_a_classifier_is_refused(tmp_path: Path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "settings.json").write_text("{}")
    with pytest.raises(ValueError, match="not a saved text classifier"):
        TextClassifier.load(tmp_path / "c")


def _component(cls, tmp_path: Path, examples: dict[str, list[str]], monkeypatch):
    monkeypatch.setattr(understanding, "_examples",
                        lambda name: examples if name == cls.EXAMPLES[0] else {})
    storage = LocalModelStorage(tmp_path)
    resource = Resource(cls.__name__)
    context = ExecutionContext(GraphSchema({}), "test")
    component = cls.create(cls.get_default_config(), storage, resource, context)
    return component, storage, resource, context


def _data(pairs: list[tuple[str, str]]) -> TrainingData:
    return TrainingData([Message(data={TEXT: text, INTENT: intent}) for text, intent in pairs])


def test_the_safety_classifier_trains_on_nlu_data_and_its_examples_and_scores(tmp_path,
                                                                             monkeypatch):
    component, storage, resource, context = _component(SafetyClassifier, tmp_path, {
        "crisis": ["i keep thinking about ending it", "took all my pills"],
        "abuse": ["he grabbed my throat", "she tracks my phone"],
        "ordinary": ["dying to see the film", "he killed it at karaoke"],
    }, monkeypatch)
    component.train(_data([("i want to die", "crisis"), ("he hit me", "abuse"),
                           ("hi", "greet"), ("he was late", "trigger_late_without_notice")]))
    loaded = SafetyClassifier.load(SafetyClassifier.get_default_config(), storage, resource,
                                   context)
    [message] = loaded.process([Message(data={TEXT: "i want to end it all"})])
    scores = message.get("safety_scores")
    assert set(scores) == {"crisis", "abuse"} and scores["crisis"] > scores["abuse"]


def test_the_trigger_classifier_names_the_trigger_of_a_described_situation(tmp_path,
                                                                           monkeypatch):
    component, *_ = _component(TriggerClassifier, tmp_path, {
        "slow_replies": ["left me on read all day", "no reply since this morning"],
        "cancelled_plans": ["she bailed on dinner again", "he cancelled our trip last minute"],
    }, monkeypatch)
    component.train(_data([("he hasnt texted back", "trigger_slow_replies"),
                           ("plans cancelled again", "trigger_cancelled_plans"),
                           ("hi", "greet")]))
    message = Message(data={TEXT: "he didnt reply all evening"})
    message.set(INTENT, {"name": "trigger_cancelled_plans", "confidence": 0.4})
    [out] = component.process([message])
    assert out.get(INTENT)["name"] == "trigger_slow_replies"
    assert [r["name"] for r in out.get(INTENT_RANKING_KEY)] == [
        "trigger_slow_replies", "trigger_cancelled_plans"]
    # Anything that is not a described situation is left alone.
    other = Message(data={TEXT: "show my drafts"})
    other.set(INTENT, {"name": "show_drafts", "confidence": 0.9})
    assert component.process([other])[0].get(INTENT)["name"] == "show_drafts"


def test_changing_the_examples_changes_the_components_fingerprint(monkeypatch, tmp_path):
    before = SafetyClassifier.get_default_config()["examples"]
    copy = tmp_path / "safety.yml"
    copy.write_text((understanding.EXAMPLES_DIR / "safety.yml").read_text() + "\n# edited\n")
    monkeypatch.setattr(understanding, "EXAMPLES_DIR", tmp_path)
    assert SafetyClassifier.get_default_config()["examples"] != before


def test_the_fast_scores_are_scikit_learns_own_to_the_last_digit(tmp_path):
    """scores() does scikit-learn's arithmetic without its per-call overhead: the same
    probabilities, for a multinomial model and a binary one, fresh and after save/load."""
    from bot.language import observation
    from bot.language.classifier import TextClassifier

    texts = [e["text"] for e in observation.load_examples()][:60] + ["", "😭", "ok"]
    binary = observation.train()                                   # fact / other
    multi = TextClassifier(c=3.0).fit(
        texts[:45], ["a", "b", "c"] * 15)                           # three labels
    multi.save(tmp_path / "multi")
    for classifier in (binary, multi, TextClassifier.load(tmp_path / "multi")):
        for text in texts:
            fast, slow = classifier.scores(text), classifier.scores_slow(text)
            assert fast.keys() == slow.keys()
            assert all(abs(fast[k] - slow[k]) < 1e-9 for k in fast)


@pytest.mark.parametrize("text, expected", [
    # a partner's act, with or without the partner named
    ("didn't say goodbye this morning. just left.", True),
    ("why is it so hard to send a running late text?? waited up til 1", True),
    # the shape of the relationship itself (blind round 41, spent)
    ("were long distance and cant agree on who should move", True),
    ("we keep arguing about moving in together", True),
    ("no pet names, no cute texts, no nothing. just logistics", True),  # blind round 43
    # messages that go nowhere (blind round 79, spent: it got "I'm not sure I followed")
    ("been texting into the void all day 😔", True),
    ("left on delivered since this morning", True),
    ("it's like talking to a brick wall with him lately", True),
    # the person's own anxious habit (blind round 100, spent: it got "I'm not sure I followed")
    ("i always end up saying sorry first even when he started it", True),
    ("i keep needing reassurance from her every single day", True),
    # the ticks and the want of affection (blind round 101, spent: both got "I'm not sure I
    # followed")
    ("stuck on one grey tick all afternoon again", True),
    ("honestly just craving some closeness lately", True),
    # small talk and requests start no reflection
    ("how are you doing today", False),
    ("the dog is desperate for a walk", False),
    ("i keep forgetting my keys lol", False),
    ("what can you actually do", False),
    ("hello there", False),
    ("staring into the void at work today", False),
])
def test_a_described_situation_is_told_from_small_talk(text, expected):
    from bot.triggers import looks_like_situation
    assert looks_like_situation(text) is expected
