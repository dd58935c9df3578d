"""What kind of answer a person gave (bot/answers.py), on a development set written by
someone who never saw the vocabulary."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.answers import kind_of_answer

DEV = yaml.safe_load((Path(__file__).parent / "data" / "answer_kinds_dev.yml").read_text())
EXPECTED = {"feelings": {"feeling", "faux"}, "needs": {"need"}, "fears": {"fear", "unknown"},
            "requests": {"request"}}
# Measured when the vocabulary was written; a change that lowers one is a regression.
FLOORS = {"feelings": 0.95, "needs": 0.95, "fears": 0.95, "requests": 0.98}


@pytest.mark.parametrize("section", sorted(EXPECTED))
def test_each_kind_is_recognised_on_words_nobody_here_wrote(section):
    answers = DEV[section]
    assert len(answers) >= 50
    wrong = [(a, kind_of_answer(a)) for a in answers if kind_of_answer(a) not in EXPECTED[section]]
    assert 1 - len(wrong) / len(answers) >= FLOORS[section], wrong


@pytest.mark.parametrize("answer, kind", [
    ("reassurance", "need"), ("i just need some closeness", "need"),
    ("to feel wanted", "need"), ("for him to check in more", "need"),
    ("scared", "feeling"), ("abandoned", "faux"), ("wobbly", "feeling"),
    ("he's losing interest", "fear"), ("i'm too much for her", "fear"),
    ("could you text me when you land", "request"), ("please call before bed", "request"),
    ("", "unknown"), ("🙂", "unknown"),
])
def test_examples(answer, kind):
    assert kind_of_answer(answer) == kind
