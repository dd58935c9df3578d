"""What Steady asks at each step of the pause-and-name reflection (the brief's steps 2-6).

The form in ``domain.yml`` decides the order; this module holds the words and the
buttons, so the copy of the whole exercise can be read, reviewed and tested in one place.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from bot.feelings import COMMON_FEELINGS, read_feeling
from bot.triggers import CHOICES, INTENT_PREFIX

UNDERNEATH_DEFAULT = ("scared", "hurt", "lonely", "sad")
NEEDS = ("reassurance", "connection", "predictability", "to feel important", "closeness",
         "time together")
SKIP = {"title": "Skip", "payload": "/skip"}


@dataclass(frozen=True)
class Prompt:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def _entity_button(intent: str, entity: str, value: str, title: Optional[str] = None) -> dict:
    return {"title": title or value, "payload": f"/{intent}" + json.dumps({entity: value})}


PROMPTS: dict[str, Prompt] = {
    "pause": Prompt(
        "Before anything else, let's pause, so the panic doesn't get to decide what happens "
        "next: no texts to send right now. Breathe in for four, out for six, three times, and "
        "notice your feet on the floor. Tell me when you're ready, or skip this.",
        [{"title": "I'm ready", "payload": "/done_pausing"}, SKIP],
    ),
    "fear": Prompt(
        "What story is the fear telling you right now? For example \"he's losing interest\" or "
        "\"she's going to leave me\". Put it in your own words, or skip.",
        [SKIP],
    ),
    "knows_better": Prompt(
        "That fear is real as a feeling. Is there also a part of you that knows the "
        "relationship isn't actually in danger right now? Try saying both: \"I'm really scared "
        "right now, and part of me knows we're okay.\"",
        [{"title": "Yes, part of me knows", "payload": "/affirm"},
         {"title": "Not right now", "payload": "/deny"}, SKIP],
    ),
    "need": Prompt(
        "What do you need most right now? Pick one or say it your way.",
        [_entity_button("inform_need", "need", need) for need in NEEDS] + [SKIP],
    ),
    "request": Prompt(
        "Is there a small, concrete request your partner could say yes or no to? For example: "
        "\"Would you be willing to send me a quick text when you're running late?\" "
        "Type it, or skip.",
        [SKIP],
    ),
    "custom_draft": Prompt(
        "Type the message the way you'd like it to read. I'll keep your words exactly.",
    ),
}


def feeling_prompt(faux_word: Optional[str] = None) -> Prompt:
    """Ask for the feeling; after a word like "abandoned", gently ask what is underneath it."""
    if not faux_word:
        return Prompt(
            "What are you feeling right now? Pick the closest word, or use your own.",
            [_entity_button("inform_feeling", "feeling", word) for word in COMMON_FEELINGS],
        )
    underneath = read_feeling(faux_word).underneath or UNDERNEATH_DEFAULT
    options = ", ".join(underneath[:-1]) + f" or {underneath[-1]}" if len(underneath) > 1 \
        else underneath[0]
    return Prompt(
        f"\"{faux_word.capitalize()}\" makes sense: it says what it felt like they did. A message "
        f"lands better with the feeling underneath it. Is it more like {options}?",
        [_entity_button("inform_feeling", "feeling", word) for word in underneath]
        + [_entity_button("inform_feeling", "feeling", faux_word, f"Keep \"{faux_word}\"")],
    )


def trigger_prompt(likeliest: Optional[list[str]] = None) -> Prompt:
    """When the classifier is not sure which pattern it was: the person picks (the likeliest
    few, best first, then "something else"); what they pick is what is saved."""
    names = [name for name in (likeliest or []) if name in CHOICES and name != "other"][:3]
    if not names:
        names = ["late_without_notice", "slow_replies", "preoccupied"]
    return Prompt(
        "Which of these is closest to what happened? It helps me ask the right things.",
        [{"title": CHOICES[name], "payload": f"/{INTENT_PREFIX}{name}"}
         for name in names + ["other"]],
    )


#: Which slot an answer of each kind belongs to (bot.answers.kind_of_answer).
ANSWER_STEPS = {"feeling": "feeling", "faux": "feeling", "fear": "fear", "need": "need",
                "request": "request"}
#: The steps that come after each one: an answer for one of these is kept for it.
LATER_STEPS = {"feeling": ("fear", "need", "request"), "fear": ("need", "request"),
               "need": ("request",)}
#: A feeling named in a longer answer to another step is part of that answer.
MAX_FEELING_WORDS = 4

_WHAT_IT_IS = {
    "feeling": "That's the feeling, and a real one",
    "faux": "That's how it felt they treated you",
    "fear": "That sounds like the story the fear is telling",
    "need": "That sounds like what you need",
    "request": "That sounds like something to ask your partner",
}
_ASK_AGAIN = {
    "feeling": "What are you feeling right now, in a word or two? For example scared, hurt, "
               "lonely or sad.",
    "fear": "The fear is the story the anxiety tells, like \"he's losing interest\" or \"she's "
            "going to leave me\". What does yours say?",
    "need": "What do you need most right now, underneath it? For example reassurance, "
            "predictability or closeness.",
    "request": "A request is something small your partner could say yes or no to, like \"Would "
               "you text me when you're running late?\" Is there one, or shall we skip it?",
}


def another_step_message(step: str, kind: str, answer: str) -> str:
    """Name what an answer is, say it is kept for its own step, and ask this step again."""
    kept = ", and I'll keep it for later" if kind in LATER_STEPS.get(step, ()) or \
        ANSWER_STEPS.get(kind) in LATER_STEPS.get(step, ()) else ""
    return f"{_WHAT_IT_IS[kind]}{kept}. {_ASK_AGAIN[step]}"


def observation_prompt(proposed: Optional[str], own: bool = False) -> Prompt:
    """Before the draft: what happened, in one line, for the person to confirm; or, when
    they want to put it their way (or nothing readable was found), a request for it."""
    if proposed and not own:
        return Prompt(
            f"So what happened was: {proposed}. Is that it?",
            [{"title": "Yes", "payload": "/affirm"},
             {"title": "Let me put it my way", "payload": "/deny"}],
        )
    return Prompt(
        "How would you put what happened, in a few words, as if you were telling them? "
        "Just what a camera would have seen, for example \"you came home at 11 without a "
        "text\". I'll keep your words exactly.",
    )
