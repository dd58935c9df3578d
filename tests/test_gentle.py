"""The gentle-language check: findings per kind, silence on good drafts, rewrites, summary."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.feelings import VOCABULARY_PATH
from bot.language.gentle import KINDS, Finding, check_draft, suggest_rewrite, summarise

DEV_PATH = Path(__file__).resolve().parent / "data" / "gentle_dev.yml"
DEV = yaml.safe_load(DEV_PATH.read_text(encoding="utf-8"))["drafts"]
GOOD = [draft["text"] for draft in DEV if not draft["kinds"]]
WITH_REWRITE = [draft for draft in DEV if "rewrite" in draft]
FAUX = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))["faux_feelings"]

BRIEF_GOOD = [
    "When you came home late without texting, I felt scared.",
    "When you stayed at the office until nine without letting me know, I felt scared, and an "
    "old fear of being left came up. Would you be willing to send me a quick text when you're "
    "running late?",
]


def kinds(text: str) -> set[str]:
    return {finding.kind for finding in check_draft(text)}


def only(text: str, kind: str) -> Finding:
    findings = [finding for finding in check_draft(text) if finding.kind == kind]
    assert len(findings) == 1, (text, check_draft(text))
    return findings[0]


def assert_well_formed(text: str, findings: list[Finding]) -> None:
    previous_end = -1
    for finding in findings:
        assert finding.kind in KINDS
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        assert finding.start >= previous_end, "findings overlap or are out of order"
        previous_end = finding.end
        assert finding.explanation and finding.suggestion
        assert finding.replacement is None or isinstance(finding.replacement, str)


# ---------------------------------------------------------------------- the dev set


def test_dev_set_has_the_promised_shape():
    assert len(DEV) >= 60
    assert len(GOOD) >= 15
    assert {kind for draft in DEV for kind in draft["kinds"]} == set(KINDS)
    assert len({draft["text"] for draft in DEV}) == len(DEV), "duplicate drafts"


@pytest.mark.parametrize("draft", DEV, ids=[d["text"][:50] for d in DEV])
def test_dev_set_kinds_exactly(draft: dict):
    findings = check_draft(draft["text"])
    assert_well_formed(draft["text"], findings)
    assert {finding.kind for finding in findings} == set(draft["kinds"]), findings


@pytest.mark.parametrize("draft", WITH_REWRITE, ids=[d["text"][:50] for d in WITH_REWRITE])
def test_dev_set_rewrites(draft: dict):
    assert suggest_rewrite(draft["text"]) == draft["rewrite"]


@pytest.mark.parametrize("text", GOOD + BRIEF_GOOD)
def test_silent_on_good_drafts(text: str):
    assert check_draft(text) == []
    assert suggest_rewrite(text) == text


# ---------------------------------------------------------------------- absolutes and verdicts


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("You always come home late.", "You always come"),
        ("you never text me back", "you never text"),
        ("You're always on your phone.", "You're always"),
        ("ur never home", "ur never"),
        ("Every time you go out, I panic.", "Every time"),
        ("You came home late as usual.", "as usual"),
        ("You're on your phone all the time.", "all the time"),
    ],
)
def test_absolutes_about_the_partner(text: str, span: str):
    assert only(text, "absolute").text == span


@pytest.mark.parametrize(
    "text",
    [
        "You don't care about me.",
        "you dont even care",
        "You're selfish.",
        "You're so inconsiderate.",
        "you only think about yourself",
        "You're such a jerk.",
        "It's always about you.",
        "You care more about your phone than me.",
        "You are so self-centered.",
    ],
)
def test_verdicts_are_absolutes_without_a_mechanical_fix(text: str):
    finding = only(text, "absolute")
    assert finding.replacement is None
    assert suggest_rewrite(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "I never want to lose you.",
        "I'm always the one who texts first, and I felt tired.",
        "Could you always text me when you land?",
        "I think about you all the time.",
        "When you came home late, I felt scared as usual.",
        "You never know, maybe I'm overthinking.",
        "You don't care for olives, so I made pasta.",
    ],
)
def test_absolutes_not_about_the_partner_are_fine(text: str):
    assert "absolute" not in kinds(text)


# ---------------------------------------------------------------------- blame


@pytest.mark.parametrize(
    ("text", "rewrite"),
    [
        ("you made me feel scared", "I felt scared"),
        ("You make me feel invisible sometimes.", "I feel lonely sometimes."),
        ("you make me so anxious", "I feel so anxious"),
        ("You're making me feel crazy.", "I'm feeling crazy."),
        ("I'm anxious because of you.", "I'm anxious."),
        ("Because of you, I couldn't sleep.", "I couldn't sleep."),
        ("You hurt me when you forgot.", "I felt hurt when you forgot."),
    ],
)
def test_blame_and_its_rewrite(text: str, rewrite: str):
    assert "blame" in kinds(text)
    assert suggest_rewrite(text) == rewrite


@pytest.mark.parametrize(
    "text", ["it's your fault i can't sleep", "You ruined my birthday.", "you drive me crazy"]
)
def test_blame_without_a_mechanical_fix(text: str):
    assert only(text, "blame").replacement is None
    assert suggest_rewrite(text) == text


def test_it_made_me_feel_is_not_blame():
    assert check_draft("When you left early, it made me feel lonely.") == []


# ---------------------------------------------------------------------- thoughts as feelings


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("I felt that you were losing interest.", "I felt that"),
        ("I felt like you didn't care.", "I felt like"),
        ("I feel as if I'm invisible to you.", "I feel as if"),
        ("i feel like ur pulling away", "i feel like"),
        ("It felt like you'd rather be anywhere else.", "It felt like"),
        ("I felt you were bored of me.", "I felt"),
    ],
)
def test_thoughts_dressed_as_feelings(text: str, span: str):
    finding = only(text, "thought_as_feeling")
    assert finding.text == span
    assert finding.replacement is None  # not mechanical: the person's words are kept
    assert suggest_rewrite(text) == text


def test_thought_suggestion_names_a_feeling_and_keeps_the_story():
    finding = only("When you didn't call, I felt like you don't care about me.",
                   "thought_as_feeling")
    assert finding.suggestion.startswith("I felt ")
    assert "you don't care about me" in finding.suggestion


def test_verdict_and_faux_inside_a_thought_are_one_finding():
    assert kinds("I felt like you don't care.") == {"thought_as_feeling"}
    finding = only("I feel like I'm not a priority.", "thought_as_feeling")
    assert kinds("I feel like I'm not a priority.") == {"thought_as_feeling"}
    assert finding.suggestion.startswith("I felt hurt")  # from feelings.yml


@pytest.mark.parametrize(
    "text",
    [
        "I felt like crying when you cancelled.",
        "I have a feeling that you're tired.",
        "I don't feel like it tonight.",
        "I felt that way too.",
        "If you feel like you need space, tell me.",
    ],
)
def test_not_thoughts(text: str):
    assert "thought_as_feeling" not in kinds(text)


# ---------------------------------------------------------------------- faux feelings


@pytest.mark.parametrize(("word", "underneath"), sorted(FAUX.items()))
def test_every_faux_word_in_feelings_yml_is_found_with_its_feeling(word: str, underneath: list):
    text = f"I felt {word}."
    finding = only(text, "faux_feeling")
    assert finding.text.lower().replace("-", " ") == word
    assert finding.replacement == underneath[0]
    assert suggest_rewrite(text) == f"I felt {underneath[0]}."
    assert all(feeling in finding.explanation for feeling in underneath)


@pytest.mark.parametrize(
    "text",
    [
        "i was abandoned all weekend",
        "I'm feeling so unappreciated",
        "you made me feel ignored",
        "I've been neglected for weeks.",
        "I felt like an afterthought.",
    ],
)
def test_faux_in_the_feeling_place(text: str):
    assert "faux_feeling" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "When you ignored my calls, I felt hurt.",
        "I didn't feel abandoned, just tired.",
        "I'm used to you texting at lunch.",
        "When you had forgotten our plans, I felt sad.",
    ],
)
def test_faux_words_outside_the_feeling_place(text: str):
    assert "faux_feeling" not in kinds(text)


def test_faux_replacement_avoids_repeating_a_feeling_already_there():
    assert suggest_rewrite("I felt scared and abandoned.") == "I felt scared and lonely."
    assert suggest_rewrite("I felt ignored and rejected.") == "I felt hurt and sad."


def test_faux_without_a_safe_replacement():
    # "I got hurt" and "I'm hurt to you" would change the meaning
    for text in ("I got ignored all night.", "I'm not a priority to you."):
        assert only(text, "faux_feeling").replacement is None
        assert suggest_rewrite(text) == text


# ---------------------------------------------------------------------- demands


@pytest.mark.parametrize(
    "text",
    [
        "You have to text me when you're late.",
        "you need to call me back",
        "Text me or else.",
        "You'd better be home by ten.",
        "Don't ever do that again.",
        "You must answer when I call.",
    ],
)
def test_demands(text: str):
    assert kinds(text) == {"demand"}


def test_demand_suggests_a_request():
    finding = only("You have to text me when you're late.", "demand")
    assert finding.suggestion == "Would you be willing to text me when you're late?"


@pytest.mark.parametrize(
    "text",
    [
        "If you don't start answering my calls, I'm leaving.",
        "if u dont text back tonight we're done",
        "Call me back or I'm done.",
        "I'll leave you if this happens again.",
    ],
)
def test_ultimatums_are_one_demand_not_also_protest(text: str):
    assert kinds(text) == {"demand"}


@pytest.mark.parametrize(
    "text",
    [
        "I know you have to work late, and I felt lonely.",
        "Do you have to travel next month?",
        "You must be exhausted after that week.",
        "I don't ever want to lose you.",
        "You don't have to reply right away.",
    ],
)
def test_not_demands(text: str):
    assert "demand" not in kinds(text)


# ---------------------------------------------------------------------- checking up


@pytest.mark.parametrize(
    "text",
    [
        "Tell me where you are at all times.",
        "Share your location with me.",
        "Send me a photo of where you are.",
        "Send me a selfie so I know you're really there.",
        "Text me every hour when you're out.",
        "Call me every 30 minutes.",
        "Show me your phone.",
        "I went through your phone last night.",
        "I need to know where you are every night.",
        "Who were you with?",
        "Give me your password.",
    ],
)
def test_checking_up(text: str):
    assert "checking_up" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Would you be willing to send me a quick text when you're running late?",
        "Could you let me know where you're heading when plans change?",
        "When you didn't tell me where you were going, I felt scared.",
        "I check my phone every five minutes when I'm anxious.",
        "Send me a photo of the sunset!",
    ],
)
def test_not_checking_up(text: str):
    assert "checking_up" not in kinds(text)


# ---------------------------------------------------------------------- protest


@pytest.mark.parametrize(
    "text",
    [
        "I'll just go out with my ex then.",
        "Maybe I should stop texting you too.",
        "I did the dishes for you three times and you didn't even say thanks.",
        "After everything I've done for you.",
        "Maybe we should break up.",
        "I'm done with this.",
        "We're over.",
        "Two can play that game.",
        "My ex would never do this.",
        "I won't text you first anymore.",
        "Let's see if you even notice.",
        "How many times do I have to ask?",
    ],
)
def test_protest(text: str):
    assert "protest" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll leave the porch light on for you.",
        "I'm done cooking, come and eat.",
        "It's over an hour since you said you'd call.",
        "When you mentioned my ex, I felt embarrassed.",
        "I'm going to stop texting you so much at work, I know it's a lot.",
        "I'll find someone to cover my shift so we can have dinner.",
        "I've texted you three times today.",
    ],
)
def test_not_protest(text: str):
    assert "protest" not in kinds(text)


# ---------------------------------------------------------------------- rewrites


@pytest.mark.parametrize(
    ("text", "rewrite"),
    [
        ("You always come home late.", "You came home late."),
        ("you never texted me back", "you didn't text me back"),
        ("You never even asked.", "You didn't even ask."),
        ("You've never said sorry.", "You haven't said sorry."),
        ("You are always late.", "You were late."),
        ("Every time you go out, I panic.", "When you go out, I panic."),
        ("You came home late, as usual.", "You came home late."),
        ("You made me feel abandoned.", "I felt scared."),
    ],
)
def test_mechanical_rewrites(text: str, rewrite: str):
    assert suggest_rewrite(text) == rewrite


def test_rewrite_keeps_what_only_the_person_can_reword():
    text = "I felt that you don't care, and you made me feel ignored. You have to call me."
    assert suggest_rewrite(text) == (
        "I felt that you don't care, and I felt hurt. You have to call me."
    )


def test_rewrite_uses_the_given_findings_only():
    text = "You made me feel abandoned."
    findings = [f for f in check_draft(text) if f.kind == "faux_feeling"]
    assert suggest_rewrite(text, findings) == "You made me feel scared."
    assert suggest_rewrite(text, []) == text


def test_mechanical_findings_show_the_rewritten_clause():
    finding = only("When you didn't call, you made me feel so scared.", "blame")
    assert finding.replacement == "I felt"
    assert finding.suggestion == "I felt so scared"


# ---------------------------------------------------------------------- summary


def test_summary_of_a_good_draft_is_encouraging():
    assert "calm" in summarise([])


def test_summary_is_short_and_limited():
    text = (
        "You never text me back and you made me feel abandoned. I felt like you don't care. "
        "Tell me where you are at all times or I'm leaving, and maybe I'll text my ex."
    )
    findings = check_draft(text)
    assert len(findings) > 3
    summary = summarise(findings)
    bullets = [line for line in summary.splitlines() if line.startswith("\u2022")]
    assert len(bullets) == 3
    assert "more" in summary
    assert len(summary) <= 700
    # the most serious kinds come first in the choice
    chosen = " ".join(bullets)
    assert "Keeping track" in chosen or "ultimatum" in chosen
    assert len(summarise(findings, limit=1).splitlines()) <= 4


def test_summary_of_one_finding():
    findings = check_draft("I felt abandoned.")
    summary = summarise(findings)
    assert summary.startswith("One gentle thought")
    assert "I felt scared" in summary


# ---------------------------------------------------------------------- properties

_FRAGMENTS = [
    "you always", "you never", "every time you", "you don't care", "you're so selfish",
    "you made me feel", "because of you", "I felt like you", "I feel as if", "I felt that",
    "abandoned", "ignored", "not a priority", "left out", "you have to", "or else",
    "if you don't call", "I'm leaving", "tell me where you are", "at all times",
    "share your location", "I'll go out with my ex", "three times", "and you",
    "maybe I should stop texting you too", "I felt scared", "when you came home late",
    "😭", "!!!", "...", ",", "\n", "’", "-", "ur", "u", "i", "im", "dont", "I'm done",
    "as usual", "all the time", "send me a photo of where you are", "I was", "being",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_never_crashes_on_arbitrary_text(text: str):
    findings = check_draft(text)
    assert_well_formed(text, findings)
    rewritten = suggest_rewrite(text, findings)
    assert isinstance(rewritten, str)
    if not any(finding.replacement is not None for finding in findings):
        assert rewritten == text
    assert isinstance(summarise(findings), str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(_FRAGMENTS), st.sampled_from([" ", "  ", ", ", ". ", ""]),
                  st.booleans()),
        max_size=30,
    )
)
def test_invariants_on_drafts_made_of_trigger_phrases(parts):
    text = "".join((fragment.upper() if shout else fragment) + sep for fragment, sep, shout in parts)
    findings = check_draft(text)
    assert_well_formed(text, findings)
    rewritten = suggest_rewrite(text, findings)
    if not any(finding.replacement is not None for finding in findings):
        assert rewritten == text


_EMOJI_AND_WORDS = st.lists(
    st.sampled_from(
        list("😭💔🙂👍🏽❤️‍🔥🥺✨ abcdefghijklmnopqrstuvwxyz'’.,!?\n\t-İß")
        + ["you ", "never ", "felt ", "like ", "always ", "abandoned ", "i'm ", "done "]
    ),
    min_size=1,
    max_size=120,
).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(min_size=1, max_size=200), _EMOJI_AND_WORDS))
def test_five_thousand_characters_of_arbitrary_text(seed: str):
    text = (seed * (5000 // len(seed) + 1))[:5000]
    findings = check_draft(text)
    assert_well_formed(text, findings)
    assert isinstance(suggest_rewrite(text, findings), str)


def test_five_thousand_characters_of_vent():
    text = ("you never text me back 😭 and i felt so abandoned, tell me where you are at all "
            "times or im leaving!!! ") * 50
    text = text[:5000]
    findings = check_draft(text)
    assert_well_formed(text, findings)
    assert {"absolute", "faux_feeling", "checking_up"} <= {f.kind for f in findings}


@given(st.sampled_from(GOOD + BRIEF_GOOD))
@settings(deadline=None)
def test_good_drafts_come_back_unchanged(text: str):
    assert suggest_rewrite(text) == text


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "😭😭😭", "...", "ok"])
def test_empty_and_tiny_drafts(text: str):
    assert check_draft(text) == []
    assert suggest_rewrite(text) == text


# A gentler version is offered only when it is still a sentence: a fix that takes the
# negation away must not strand a word that needs one ("I'm not a priority anymore" was
# offered as "I'm hurt anymore", issue 17).
@pytest.mark.parametrize("draft", [
    "When you didn't reply all night, I felt scared, and I'm not a priority anymore.",
    "When you didn't reply all night, I felt scared that you're losing interest and I'm not a "
    "priority anymore.",
    "When you cancelled again, I felt like I'm not wanted at all.",
    "When you didn't call, I felt like I don't matter to you any more.",
])
def test_a_gentler_version_never_strands_a_word_that_needs_a_negation(draft):
    import re as _re
    suggestion = suggest_rewrite(draft)
    for clause in _re.split(r"[,.;]| and ", suggestion):
        if _re.search(r"\b(?:anymore|any more|any longer|at all)\b", clause):
            assert _re.search(r"\b(?:not|no|never|\w+n't)\b", clause), suggestion
