"""An NLU pipeline component: plain yes/no is read from the words, and an unsure command
does not interrupt.

It runs after DIET and the FallbackClassifier, before the safety layer.

* A plain yes or no (``bot.language.plain_answers``: "no", "nope, i'm fine", "yes i am")
  leaves as ``affirm`` or ``deny`` at confidence 1.0 and is marked ``plain_answer``, so the
  safety classifier does not second-guess it (the safety rules still read it). A "no" to
  "are you thinking about ending your life?" is a no, not goodbye and not a crisis.
* A command that would interrupt a step where the person types freely (help, stop, start
  over, show drafts, skip, ...) must be sure: below ``COMMAND_SURE`` it leaves as
  ``nlu_fallback``, which a free-text step takes as the answer and which is otherwise
  answered kindly. ("You always ignore me and you made me feel lonely" typed as a rewrite
  was read as help at 0.38, and the rewrite was lost.) Commands are short: a message of more
  than ``COMMAND_WORDS`` words must be surer still, ``LONG_COMMAND_SURE`` (after a retrain
  read that same rewrite as help at 0.57).
* "Delete all my data" (a verb for deleting and what: ``asks_to_delete_everything``, words in
  ``bot/data/plain_answers.yml``) is ``delete_all_data`` at 1.0: a retrain once answered it
  with the fallback, and a person's way out must not rest on a retrain.
* "Stop" and its like as a whole message ("quit", "stop the exercise": ``asks_to_stop``) is
  ``stop`` at 1.0, for the same reason.
* A short request to go back to the paused exercise ("can we go back to the exercise") is
  ``resume`` at 1.0, read from words (``bot.language.plain_answers.asks_to_resume``): a
  retrain read it as cancelled plans.
* A message that is only the name of a kind of what helps the person feel loved ("quality
  time", "hugs": ``bot.loved.kind_named``, the names in ``bot/data/loved.yml``) is
  ``loved_kind`` at 1.0 with that kind as its ``loved_kind`` entity, as its button would
  send: a two-word message is too little for DIET (it read "quality time" as unsure).
* Asking for that list, or to share it ("what's on my love list", "turn my list into a msg
  for my bf"), is ``feel_loved`` or ``share_loved`` at 1.0 (``bot.loved.read_request``,
  patterns in ``bot/data/loved.yml``): DIET alone understood 22% of a blind set.
* A message that is only a routine's name ("date night", "Weekly time together":
  ``bot.routines.kind_named``) is ``routine_kind`` at 1.0 with that kind as its entity; a
  name shared with the loved list ("check-in") is read as the loved list's first, above, so
  it stays the loved list's outside the routine form (the form reads it while it asks).
* Asking for a check-in that comes back ("remind me about this draft tomorrow evening",
  "check in with me every week", "stop check-ins", "show my reminders") is ``remind_me``,
  ``weekly_checkin``, ``stop_checkins`` or ``show_checkins`` at 1.0 (``bot.checkins.read_request``,
  patterns in ``bot/data/checkins.yml``); a reminder needs a time or the draft pointed at,
  so "remind me why I bother" is not one. These four come from the words only: the
  classifier's guess of one of them gives way to its next guess.
* Asking for the routines ("show my routines", "can we set up a safe word") is ``routines``
  at 1.0, and telling where one stands ("we agreed on the lunch call", "pause routine 2") is
  ``routine_status`` at 1.0 (``bot.routines.read_request`` and ``tells_status``, patterns in
  ``bot/data/routines.yml``; a routine kept badly, "we agreed he'd text and he didn't", is
  left to DIET: a trigger).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.plain_answers import (
    asks_to_delete_everything,
    asks_to_resume,
    asks_to_stop,
    read_plain_answer,
)
from bot.checkins import read_request as asks_for_checkins
from bot.loved import kind_named, read_request
from bot.routines import kind_in as routine_kind_in
from bot.routines import read_request as asks_for_routines
from bot.routines import kind_named as routine_kind_named
from bot.routines import not_about_routines
from bot.routines import tells_status

PLAIN_ANSWER_KEY = "plain_answer"
FALLBACK_INTENT = "nlu_fallback"
#: The intents a free-text step of a form gives way to (the slots' ``not_intent`` in
#: domain.yml, safety excluded: the safety layer decides that on its own).
INTERRUPTING = frozenset(
    {"skip", "stop", "start_over", "show_drafts", "help", "delete_all_data", "resume"}
)
#: The routines' intents, which the words can overrule (``bot.routines.not_about_routines``).
ROUTINE_INTENTS = frozenset({"routines", "routine_kind", "routine_status"})
#: Read from the words only (``bot.checkins.read_request``), never from the classifier alone.
CHECKIN_INTENTS = frozenset({"remind_me", "weekly_checkin", "stop_checkins", "show_checkins"})
COMMAND_SURE = 0.5
COMMAND_WORDS = 6
LONG_COMMAND_SURE = 0.85


def _choose(message: Message, name: str, ranking: list) -> None:
    """``name`` is the intent, at 1.0, read from the words."""
    chosen = {"name": name, "confidence": 1.0}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [chosen] + [entry for entry in ranking if entry.get("name") != name],
        add_to_output=True,
    )


def _give_way(message: Message, intent: dict, ranking: list, names: frozenset) -> dict:
    """The classifier's guess gives way to its next guess that is none of ``names`` (or to
    the fallback); the intent that now stands."""
    rest = [entry for entry in ranking if entry.get("name") not in names]
    fallback = {"name": FALLBACK_INTENT, "confidence": float(intent.get("confidence") or 0)}
    message.set(INTENT, rest[0] if rest else fallback, add_to_output=True)
    message.set(INTENT_RANKING_KEY, rest, add_to_output=True)
    return message.get(INTENT) or {}


def _add_entity(message: Message, name: str, value: str, text: str) -> None:
    """The entity a button would carry, for the words that named it."""
    entity = {
        "entity": name,
        "value": value,
        "start": 0,
        "end": len(text),
        "extractor": "PlainAnswers",
    }
    message.set(ENTITIES, list(message.get(ENTITIES) or []) + [entity], add_to_output=True)


def _read(message: Message) -> None:
    text = message.get(TEXT) or ""
    if text.startswith("/"):  # a button's payload: already exact
        return
    ranking = list(message.get(INTENT_RANKING_KEY) or [])
    answer = read_plain_answer(text)
    if answer:
        _choose(message, answer, ranking)
        message.set(PLAIN_ANSWER_KEY, answer, add_to_output=True)
        return
    if asks_to_resume(text):
        _choose(message, "resume", ranking)
        return
    if asks_to_delete_everything(text):
        _choose(message, "delete_all_data", ranking)
        return
    if asks_to_stop(text):
        _choose(message, "stop", ranking)
        return
    checkins = asks_for_checkins(text)
    if checkins is not None:  # "remind me about this draft tomorrow", "stop check-ins"
        _choose(message, checkins, ranking)
        return
    named = kind_named(text)
    if named is not None:
        _choose(message, "loved_kind", ranking)
        _add_entity(message, "loved_kind", named.name, text)
        return
    routine = routine_kind_named(text)
    if routine is not None:  # "date night", "Weekly time together": as its button sends it
        _choose(message, "routine_kind", ranking)
        _add_entity(message, "routine_kind", routine.name, text)
        return
    # where a routine stands is told with a status word and the routine pointed at: before
    # the loved list's reading, whose kinds share names ("routine", "check-ins")
    if tells_status(text) is not None:
        _choose(message, "routine_status", ranking)
        return
    request = read_request(text)
    if request is not None:
        _choose(message, request, ranking)
        return
    if asks_for_routines(text):
        _choose(message, "routines", ranking)
        return
    intent = message.get(INTENT) or {}
    if intent.get("name") in ROUTINE_INTENTS and not_about_routines(
        text, status=intent.get("name") == "routine_status"
    ):
        # "any tips for a self care routine", "he used our safe word as a joke": the words
        # say it is not about the couple's routines
        intent = _give_way(message, intent, ranking, ROUTINE_INTENTS)
    if intent.get("name") in CHECKIN_INTENTS:
        # the words decide these (above): "remind me why I bother" is no reminder, and "stop
        # it" is not the end of every check-in
        intent = _give_way(message, intent, ranking, CHECKIN_INTENTS)
    if intent.get("name") == "routine_kind" and not any(
        e.get("entity") == "routine_kind" for e in message.get(ENTITIES) or []
    ):
        mentioned = routine_kind_in(text)  # "a weekly date night routine": which one
        if mentioned is not None:
            _add_entity(message, "routine_kind", mentioned.name, text)
    sure = LONG_COMMAND_SURE if len(text.split()) > COMMAND_WORDS else COMMAND_SURE
    if intent.get("name") in INTERRUPTING and float(intent.get("confidence") or 0.0) < sure:
        message.set(
            INTENT,
            {"name": FALLBACK_INTENT, "confidence": float(intent.get("confidence") or 0.0)},
            add_to_output=True,
        )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PlainAnswers(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PlainAnswers":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            _read(message)
        return messages
