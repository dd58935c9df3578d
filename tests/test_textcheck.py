"""Messages the NLU could not place get an answer that fits what was sent."""
import pytest

from bot.textcheck import Unclear, classify, well_formed


@pytest.mark.parametrize("text, kind", [
    ("", Unclear.empty),
    ("   \n ", Unclear.empty),
    (None, Unclear.empty),
    ("😢😢😢", Unclear.emoji_only),
    ("?!…", Unclear.emoji_only),
    ("mi novio no me contesta los mensajes", Unclear.other_language),
    ("mon copain ne répond pas à mes messages", Unclear.other_language),
    ("mein freund ist nicht nach hause gekommen", Unclear.other_language),
    ("他今天没有回我的消息", Unclear.other_language),
    ("<img src=x onerror=alert(1)>", Unclear.markup),
    ("<script>alert(1)</script>", Unclear.markup),
    ("blah " * 400, Unclear.too_long),
    ("i dont even know what to say", Unclear.unclear),
    ("my bf is so la la la", Unclear.unclear),
    ("i love <3 him", Unclear.unclear),
])
def test_classify(text, kind):
    assert classify(text) is kind


def test_escaped_emoji_halves_are_joined_and_a_lone_half_is_replaced():
    assert well_formed("cutting again \ud83d\ude14 its") == "cutting again 😔 its"
    assert well_formed("i want to die \ud83d") == "i want to die \ufffd"
    # Every result can be written as UTF-8 (the tokenizer, the database, the encryption).
    for text in ["\ude14 he left", "a\ud83d\ud83d\ude14b", "plain 😔"]:
        well_formed(text).encode("utf-8")
    assert well_formed("plain 😔") == "plain 😔"
