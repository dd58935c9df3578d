"""The pause-and-name reflection: starting it, validating each step, composing the draft."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import clear_reflection, given
from bot.answers import is_need, kind_of_answer
from bot.drafting import SKIPPED, compose_draft
from bot.feelings import feeling_phrase, read_feeling
from bot.language.draft_guard import check_draft as check_guard
from bot.language.gentle import check_draft, suggest_rewrite, summarise
from bot.language.observation import about_someone_else
from bot.language.plain_answers import read_plain_answer
from bot.language.vouch import proposal
from bot.language.vouch import warm_up as warm_up_observation
from bot.moment import happening_now
from bot.reflection import (
    ANSWER_STEPS,
    LATER,
    NOW,
    LATER_STEPS,
    MAX_FEELING_WORDS,
    PROMPTS,
    Prompt,
    another_step_response,
    feeling_prompt,
    moment_prompt,
    observation_prompt,
    read_moment_choice,
    reflection_steps,
    trigger_prompt,
)
from bot.review import draft_number
from bot.triggers import CHOICES, TRIGGERS, read_trigger

# A choice typed instead of pressed ("plans cancelled") is that choice.
CHOICE_NAMES = {title.lower(): name for name, title in CHOICES.items()}

# Build the spaCy pipeline and matchers when the action server starts, not on the
# first person's message.
check_draft("When you came home late, I felt scared.")
warm_up_observation()

# Rasa 3.6 fills a response's {placeholders} with str.format, then takes any "0[" left in
# the result for a placeholder it could not fill, and gives the template back unfilled.
RASA_CANNOT_FILL = "0["

# A situation longer than this is a vent; the drafting keeps the part about the partner.
MAX_SITUATION_CHARS = 5000
MAX_ANSWER_CHARS = 500

SOMEONE_ELSE = "utter_someone_else"


class ActionStartReflection(Action):
    """Remember what happened, in the person's words, and clear any earlier reflection."""

    def name(self) -> Text:
        return "action_start_reflection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if not any(event.get("event") == "bot" for event in tracker.events):
            # Someone who opens with what happened still hears what Steady is and is not.
            dispatcher.utter_message(response="utter_greet")
        latest = tracker.latest_message or {}
        reading = read_trigger(latest.get("intent"), latest.get("intent_ranking") or [])
        situation = (latest.get("text") or "").strip()[:MAX_SITUATION_CHARS]
        if about_someone_else(situation):
            # A draft to their own partner would put words in the wrong mouth.
            dispatcher.utter_message(response=SOMEONE_ELSE)
            return [FollowupAction("action_listen")]
        events = clear_reflection(tracker) + [SlotSet("situation", situation)]
        if happening_now(situation):
            # written while it is happening: a short path first (bot/moment.py)
            dispatcher.utter_message(response="utter_in_the_moment")
            events.append(SlotSet("moment", "now"))
        if reading.sure:
            return events + [SlotSet("trigger_type", reading.trigger)]
        # Not sure which pattern: a neutral reflect-back, and the form asks the person.
        return events + [SlotSet("trigger_choices", list(reading.likeliest))]


class AskingValidation(FormValidationAction, ABC):
    """Validate the step just answered, then ask the next one in the same call.

    Rasa calls the form's validation action on every turn of the form (and when the form
    resumes after an interruption), so asking here saves one action-server round trip per
    step. The domain therefore has no utter_ask_*/action_ask_* for these forms.
    """

    @abstractmethod
    def name(self) -> Text:
        """Abstract, so the SDK registers only the concrete forms' validations."""

    def prompt(self, slot: str, tracker: Tracker) -> Prompt:
        if slot == "moment_choice":
            return moment_prompt(
                given(tracker.get_slot("feeling")) or "upset", given(tracker.get_slot("fear"))
            )
        if slot == "observation":
            return observation_prompt(
                tracker.get_slot("proposed_observation"), bool(tracker.get_slot("observation_own"))
            )
        if slot == "feeling":
            return feeling_prompt(tracker.get_slot("faux_feeling"))
        if slot == "trigger_type":
            return trigger_prompt(tracker.get_slot("trigger_choices"))
        return PROMPTS[slot]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        events = await super().run(dispatcher, tracker, domain)  # updates tracker's slots
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = [slot for slot in required if tracker.get_slot(slot) is None]
        if missing:
            if missing[0] == "observation" and not tracker.get_slot("observation_own"):
                # spaCy and the classifier, a few milliseconds: off the event loop, so
                # another person's reply never waits for them
                proposed = await asyncio.to_thread(
                    propose_observation, tracker.get_slot("situation") or ""
                )
                # Only when it changes: a slot set on a turn that filled nothing tells Rasa
                # the form took the message, so it is not rejected and no rule (the safety
                # rules among them) is asked about it: "he choked me last night" typed at
                # this step was answered with the same question again (messy round 26).
                if proposed != tracker.get_slot("proposed_observation"):
                    tracker.slots["proposed_observation"] = proposed
                    events.append(SlotSet("proposed_observation", proposed))
            prompt = self.prompt(missing[0], tracker)
            dispatcher.utter_message(
                response=prompt.response, buttons=prompt.buttons, **prompt.values
            )
        return events


class ValidateReflectionForm(AskingValidation):
    """Each validator also sees slots cleared to None since the last message (a new
    reflection clears the old one); None is passed through untouched."""

    def name(self) -> Text:
        return "validate_reflection_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """In the moment, the choice to go on now or later comes after the fear; "later"
        ends the form there (the rest is asked when they come back). Otherwise there is no
        such step."""
        return reflection_steps(
            domain_slots, tracker.get_slot("moment"), tracker.get_slot("moment_choice")
        )

    def validate_moment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        choice = read_moment_choice(value)
        if choice is None and value is not None:
            text = str(value).strip()[:MAX_ANSWER_CHARS]
            step = ANSWER_STEPS.get(kind_of_answer(text))
            if step in ("need", "request"):
                # what they need, said at once ("reassurance"): going on now, with that answer
                return {"moment_choice": NOW, step: text}
        return {"moment_choice": choice}

    def validate_trigger_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A button names the trigger; the person's own words for it are "something else"."""
        if value is None:
            return {"trigger_type": None}
        name = str(value)
        if name not in TRIGGERS:
            name = CHOICE_NAMES.get(" ".join(name.lower().split()), "other")
        return {"trigger_type": name, "trigger_choices": None}

    def validate_pause(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:
            return {"pause": None}
        return {"pause": SKIPPED if value == SKIPPED else "done"}

    def validate_feeling(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:
            return {"feeling": None}
        if value == SKIPPED:
            dispatcher.utter_message(response="utter_feeling_cannot_skip")
            return {"feeling": None}
        text = str(value)[:MAX_ANSWER_CHARS]
        if text.startswith("/"):  # a button from an earlier message ("/affirm"): ask again
            return {"feeling": None}  # (it once became the draft's "I felt affirm")
        reading = read_feeling(text)
        if reading.kind == "feeling" and reading.canonical is not None:
            return {"feeling": feeling_phrase(reading), "faux_feeling": None}
        elsewhere = self._another_step("feeling", text, dispatcher, tracker)
        if elsewhere is not None:
            return elsewhere
        if reading.kind == "feeling":  # the person's own word for it ("wobbly")
            return {"feeling": feeling_phrase(reading), "faux_feeling": None}
        if reading.kind == "faux":
            if tracker.get_slot("faux_feeling") == reading.word:
                # Asked once, gently; their word stands.
                return {"feeling": reading.word, "faux_feeling": None}
            return {"feeling": None, "faux_feeling": reading.word}
        dispatcher.utter_message(response="utter_thought_not_feeling")
        return {"feeling": None}

    def _free_answer(self, slot: str, value: Any) -> Dict[Text, Any]:
        if value is None:
            return {slot: None}
        text = str(value).strip()[:MAX_ANSWER_CHARS]
        if text.startswith("/"):  # a button from an earlier message: ask again
            return {slot: None}
        return {slot: text or SKIPPED}

    def _another_step(
        self, step: str, text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Optional[Dict[Text, Any]]:
        """An answer that belongs to another step ("reassurance" asked for the feeling): say
        what it is, keep it for its own step (unless that step is done), ask again."""
        kind = kind_of_answer(text)
        if kind not in ANSWER_STEPS or ANSWER_STEPS[kind] == step:
            return None
        if (
            step != "feeling"
            and kind in ("feeling", "faux")
            and len(text.split()) > MAX_FEELING_WORDS
        ):
            return None  # a longer answer that mentions a feeling is still this step's
        target = ANSWER_STEPS[kind]
        dispatcher.utter_message(response=another_step_response(step, kind))
        result: Dict[Text, Any] = {step: None}
        if (
            target != step
            and tracker.get_slot(target) in (None, SKIPPED)
            and target in LATER_STEPS.get(step, ())
        ):
            result[target] = text.strip()
        return result

    def validate_fear(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is not None and value != SKIPPED:
            elsewhere = self._another_step(
                "fear", str(value)[:MAX_ANSWER_CHARS], dispatcher, tracker
            )
            if elsewhere is not None:
                return elsewhere
        return self._free_answer("fear", value)

    def validate_knows_better(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self._free_answer("knows_better", value)

    def validate_need(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is not None and value != SKIPPED:
            elsewhere = self._another_step(
                "need", str(value)[:MAX_ANSWER_CHARS], dispatcher, tracker
            )
            if elsewhere is not None:
                return elsewhere
        return self._free_answer("need", value)

    def validate_observation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """ "Yes" takes the proposed observation; "let me put it my way" asks for theirs,
        which is kept exactly."""
        if value is None:
            return {"observation": None}
        proposed = tracker.get_slot("proposed_observation")
        if value == "__yes__" and proposed:
            return {"observation": proposed, "observation_own": None}
        if value in ("__yes__", "__own__"):
            return {"observation": None, "observation_own": "yes"}
        words = " ".join(str(value).split())[:MAX_ANSWER_CHARS]
        if words.startswith("/"):  # a button from an earlier message ("/save_draft"): ask again
            return {"observation": None}
        if not words:
            return {"observation": None, "observation_own": "yes"}
        return {"observation": words, "observation_own": None}

    def validate_request(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is not None and value != SKIPPED and is_need(str(value)):
            dispatcher.utter_message(response=another_step_response("request", "need"))
            return {"request": None}
        # a plain "yes" says there is a request, not what it is ("Would you be willing to
        # yes?" was drafted, found trying the bot by hand); a plain "no" is a skip
        plain = read_plain_answer(str(value)) if value not in (None, SKIPPED) else None
        if plain == "affirm":
            dispatcher.utter_message(response="utter_request_in_words")
            return {"request": None}
        if plain == "deny":
            return {"request": SKIPPED}
        return self._free_answer("request", value)


def propose_observation(situation: str) -> Optional[str]:
    """What happened, camera-like, to show the person; None when the guard finds the clause
    broken or a reader would likely fail it (``bot.language.vouch.proposal``: then the person
    is asked for the sentence instead of being shown it).

    Also None for a clause holding "0[" ("at 10[pm]"): Rasa cannot fill a response with such
    a value (its template filling then shows the template itself, "{proposed}"), so the
    person is asked for the sentence, as for a broken one."""
    clause = proposal(situation[:MAX_SITUATION_CHARS])
    return None if clause is None or RASA_CANNOT_FILL in clause else clause


def _guard_finds_more(suggestion: str, draft: str) -> bool:
    """A gentler version is offered only when the grammar guard finds nothing in it that the
    person's own draft did not already have (their words are theirs; ours must be right)."""
    before = {problem.kind for problem in check_guard(draft)}
    return any(problem.kind not in before for problem in check_guard(suggestion))


#: draft_kind of the drafts without a feeling: sharing what helps me feel loved, proposing a
#: routine (their choices have no "change the feeling")
NO_FEELING_DRAFTS = frozenset({"loved", "routine"})


async def offer_draft(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    draft: str,
    intro: str,
    no_feeling: Optional[bool] = None,
) -> List[Dict[Text, Any]]:
    """Say ``intro`` (a response), show the draft on its own (easy to copy), run the gentle
    check, offer what comes next. The check (spaCy) runs in a worker thread: the event loop
    serves everyone else meanwhile."""
    if no_feeling is None:  # a rewrite or a gentler version of the draft already on offer
        no_feeling = tracker.get_slot("draft_kind") in NO_FEELING_DRAFTS
    return await asyncio.to_thread(_offer_draft, dispatcher, tracker, draft, intro, no_feeling)


def _offer_draft(
    dispatcher: CollectingDispatcher, tracker: Tracker, draft: str, intro: str, no_feeling: bool
) -> List[Dict[Text, Any]]:
    # ``no_feeling``: the message sharing what helps me feel loved (actions/loved.py), or one
    # proposing a routine (actions/routines.py), has no feeling to change, so its choices are
    # the same without that button.
    dispatcher.utter_message(response=intro)
    dispatcher.utter_message(text=draft)
    events = [SlotSet("draft_text", draft)] + [
        SlotSet(name, None)
        for name in ("custom_draft", "suggested_draft")
        if tracker.get_slot(name) is not None
    ]
    findings = check_draft(draft)
    if not findings:
        dispatcher.utter_message(
            response="utter_loved_draft_choices" if no_feeling else "utter_draft_choices"
        )
        return events

    dispatcher.utter_message(text=summarise(findings))  # the check's findings, in words
    suggestion = suggest_rewrite(draft, findings)
    if suggestion != draft and not _guard_finds_more(suggestion, draft):
        dispatcher.utter_message(response="utter_gentler_version")
        dispatcher.utter_message(text=suggestion)
        events.append(SlotSet("suggested_draft", suggestion))
        dispatcher.utter_message(
            response="utter_loved_keep_your_words_or_gentler"
            if no_feeling
            else "utter_keep_your_words_or_gentler"
        )
    else:
        dispatcher.utter_message(
            response="utter_loved_keep_your_words" if no_feeling else "utter_keep_your_words"
        )
    return events


class ActionComposeDraft(Action):
    """Turn the reflection (or the person's own rewrite) into the draft on offer.

    Every draft goes through the gentle-language check first; findings are shown briefly
    with a gentler version, and the person can keep their own words anyway.
    """

    def name(self) -> Text:
        return "action_compose_draft"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if tracker.get_slot("moment_choice") == LATER:
            # in the moment, "later": the form ended before the need; all is kept for then
            dispatcher.utter_message(response="utter_moment_later")
            return []
        draft = given(tracker.get_slot("custom_draft"))
        if draft is not None:
            return await offer_draft(dispatcher, tracker, draft, "utter_draft_in_their_words")
        draft = await asyncio.to_thread(
            compose_draft,
            situation=tracker.get_slot("situation") or "",
            feeling=given(tracker.get_slot("feeling")) or "upset",
            fear=given(tracker.get_slot("fear")),
            need=given(tracker.get_slot("need")),
            request=given(tracker.get_slot("request")),
            observation=given(tracker.get_slot("observation")),
        )
        return await offer_draft(
            dispatcher, tracker, draft, "utter_draft_composed", no_feeling=False
        )


class ActionUseSuggestion(Action):
    def name(self) -> Text:
        return "action_use_suggestion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        suggestion = tracker.get_slot("suggested_draft")
        if not suggestion:
            dispatcher.utter_message(response="utter_no_suggestion")
            return []
        # Checked again: what only the person can reword is still pointed out.
        return await offer_draft(dispatcher, tracker, suggestion, "utter_draft_gentler_taken")


class ActionChangeFeeling(Action):
    def name(self) -> Text:
        return "action_change_feeling"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        named = draft_number(tracker.latest_message.get("text"))
        if named is not None or (
            not tracker.get_slot("draft_text") and tracker.get_slot("current_draft")
        ):
            return [FollowupAction("action_change_saved_feeling")]  # a saved draft
        if not tracker.get_slot("situation"):
            dispatcher.utter_message(response="utter_no_draft_on_the_go")
            return []
        return [
            SlotSet("feeling", None),
            SlotSet("faux_feeling", None),
            SlotSet("draft_text", None),
            FollowupAction("reflection_form"),
        ]


class ActionRewriteDraft(Action):
    def name(self) -> Text:
        return "action_rewrite_draft"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if not tracker.get_slot("draft_text"):
            dispatcher.utter_message(response="utter_no_draft_on_the_go")
            return []
        return [SlotSet("custom_draft", None), FollowupAction("rewrite_form")]


class ValidateRewriteForm(AskingValidation):
    def name(self) -> Text:
        return "validate_rewrite_form"

    def validate_custom_draft(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:
            return {"custom_draft": None}
        text = str(value).strip()
        if not text or text.startswith("/"):
            dispatcher.utter_message(response="utter_no_words")
            return {"custom_draft": None}
        return {"custom_draft": text[:2000]}


class ActionStopReflection(Action):
    def name(self) -> Text:
        return "action_stop_reflection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_stopped")
        return clear_reflection(tracker)


class ActionStartOver(Action):
    def name(self) -> Text:
        return "action_start_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_start_fresh")
        return clear_reflection(tracker)
