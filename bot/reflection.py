"""Which question Steady asks at each step of the pause-and-name reflection (the brief's
steps 2-6).

The form in ``domain.yml`` decides the order, and the words are the domain's responses
(``utter_step_*``, ``utter_heard_*``): this module chooses the response for the moment, with
the values it needs and the buttons that depend on the moment (feeling and need words, the
likeliest triggers). The action utters it by name; nothing here needs Rasa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from bot.feelings import COMMON_FEELINGS, read_feeling
from bot.language.plain_answers import read_plain_answer
from bot.moment import moment_sentence
from bot.triggers import CHOICES, INTENT_PREFIX

UNDERNEATH_DEFAULT = ("scared", "hurt", "lonely", "sad")
NEEDS = (
    "reassurance",
    "connection",
    "predictability",
    "to feel important",
    "closeness",
    "time together",
)
SKIP = {"title": "Skip", "payload": "/skip"}


@dataclass(frozen=True)
class Prompt:
    """A domain response by name, the values its text needs, and buttons added after its own."""

    response: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _entity_button(intent: str, entity: str, value: str, title: Optional[str] = None) -> dict:
    return {"title": title or value, "payload": f"/{intent}" + json.dumps({entity: value})}


PROMPTS: dict[str, Prompt] = {
    "pause": Prompt("utter_step_pause"),
    "fear": Prompt("utter_step_fear"),
    "knows_better": Prompt("utter_step_knows_better"),
    # A need button sends the need as an entity, its title the need itself.
    "need": Prompt(
        "utter_step_need", [_entity_button("inform_need", "need", need) for need in NEEDS] + [SKIP]
    ),
    "request": Prompt("utter_step_request"),
    "custom_draft": Prompt("utter_step_custom_draft"),
}


def feeling_prompt(faux_word: Optional[str] = None) -> Prompt:
    """Ask for the feeling; after a word like "abandoned", gently ask what is underneath it."""
    if not faux_word:
        return Prompt(
            "utter_step_feeling",
            [_entity_button("inform_feeling", "feeling", word) for word in COMMON_FEELINGS],
        )
    underneath = read_feeling(faux_word).underneath or UNDERNEATH_DEFAULT
    options = (
        ", ".join(underneath[:-1]) + f" or {underneath[-1]}"
        if len(underneath) > 1
        else underneath[0]
    )
    return Prompt(
        "utter_step_feeling_underneath",
        [_entity_button("inform_feeling", "feeling", word) for word in underneath]
        + [_entity_button("inform_feeling", "feeling", faux_word, f'Keep "{faux_word}"')],
        {"word": faux_word.capitalize(), "options": options},
    )


def trigger_prompt(likeliest: Optional[list[str]] = None) -> Prompt:
    """When the classifier is not sure which pattern it was: the person picks (the likeliest
    few, best first, then "something else"); what they pick is what is saved."""
    names = [name for name in (likeliest or []) if name in CHOICES and name != "other"][:3]
    if not names:
        names = ["late_without_notice", "slow_replies", "preoccupied"]
    return Prompt(
        "utter_step_trigger",
        [
            {"title": CHOICES[name], "payload": f"/{INTENT_PREFIX}{name}"}
            for name in names + ["other"]
        ],
    )


#: Which slot an answer of each kind belongs to (bot.answers.kind_of_answer).
ANSWER_STEPS = {
    "feeling": "feeling",
    "faux": "feeling",
    "fear": "fear",
    "need": "need",
    "request": "request",
}
#: The steps that come after each one: an answer for one of these is kept for it.
LATER_STEPS = {
    "feeling": ("fear", "need", "request"),
    "fear": ("need", "request"),
    "need": ("request",),
}
#: A feeling named in a longer answer to another step is part of that answer.
MAX_FEELING_WORDS = 4


def kept_for_later(step: str, kind: str) -> bool:
    """An answer of this kind, given at this step, is kept for its own (later) step."""
    return kind in LATER_STEPS.get(step, ()) or ANSWER_STEPS.get(kind) in LATER_STEPS.get(step, ())


#: (step asked, kind of answer given) -> the response that names what the answer is, says
#: whether it is kept for its own step (``kept_for_later``) and asks the step again: an answer
#: for another step at the feeling, fear or need step, and a need given as the request.
ANOTHER_STEP = {
    ("feeling", "fear"): "utter_heard_fear_ask_feeling",
    ("feeling", "need"): "utter_heard_need_ask_feeling",
    ("feeling", "request"): "utter_heard_request_ask_feeling",
    ("fear", "feeling"): "utter_heard_feeling_ask_fear",
    ("fear", "faux"): "utter_heard_faux_ask_fear",
    ("fear", "need"): "utter_heard_need_ask_fear",
    ("fear", "request"): "utter_heard_request_ask_fear",
    ("need", "feeling"): "utter_heard_feeling_ask_need",
    ("need", "faux"): "utter_heard_faux_ask_need",
    ("need", "fear"): "utter_heard_fear_ask_need",
    ("need", "request"): "utter_heard_request_ask_need",
    ("request", "need"): "utter_heard_need_ask_request",
}


def another_step_response(step: str, kind: str) -> str:
    """What to say when an answer of ``kind`` came at ``step`` (see ``ANOTHER_STEP``)."""
    return ANOTHER_STEP[(step, kind)]


def observation_prompt(proposed: Optional[str], own: bool = False) -> Prompt:
    """Before the draft: what happened, in one line, for the person to confirm; or, when
    they want to put it their way (or nothing readable was found), a request for it."""
    if proposed and not own:
        return Prompt("utter_step_observation", values={"proposed": proposed})
    return Prompt("utter_step_observation_own")


# --- in the moment (bot/moment.py) ------------------------------------------------------
#: The choice at the moment step: go on with the message now, or come back to it later.
NOW, LATER = "now", "later"
_LATER_WORDS = ("later", "not now", "another time", "tomorrow", "when i'm calmer", "when im calmer")


def moment_prompt(feeling: str, fear: Optional[str]) -> Prompt:
    """The sentence to say or send now, both halves, then go on now or later."""
    return Prompt("utter_step_moment", values={"sentence": moment_sentence(feeling, fear)})


def read_moment_choice(value: Any) -> Optional[str]:
    """``now`` or ``later`` from the buttons' values or the person's words; None (ask
    again) for anything else."""
    if value in (NOW, LATER):
        return str(value)
    if value is None:
        return None
    text = " ".join(str(value).lower().split())
    if any(words in text for words in _LATER_WORDS):
        return LATER
    plain = read_plain_answer(text)
    return (
        NOW
        if plain == "affirm" or text in ("now", "go on", "go on now")
        else (LATER if plain == "deny" else None)
    )


def reflection_steps(
    domain_steps: list[str], moment: Optional[str], choice: Optional[str]
) -> list[str]:
    """The steps of this reflection: the moment step only in the moment, and after "later"
    nothing past it (the form ends; the rest is asked when the person comes back)."""
    if moment != NOW:
        return [step for step in domain_steps if step != "moment_choice"]
    if choice == LATER and "moment_choice" in domain_steps:
        return domain_steps[: domain_steps.index("moment_choice") + 1]
    return list(domain_steps)
