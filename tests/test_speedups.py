"""Each speed-up (bot/plugins/speedups.py, gc_freeze.py) against Rasa's original behaviour."""
from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.plugins import speedups

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = RemoteAction.action_response_format_spec()

GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "feeling", "value": "scared"}],
     "responses": [{"text": "hi", "buttons": [{"title": "Save", "payload": "/save_draft"}]}]},
]
BAD = [
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [], "responses": "nope"},
]


@pytest.mark.parametrize("reply", GOOD)
def test_valid_replies_pass_as_before(reply):
    speedups._original_validate(reply, SCHEMA)
    speedups.validate(reply, SCHEMA)


@pytest.mark.parametrize("reply", BAD)
def test_invalid_replies_raise_the_same_error_as_before(reply):
    with pytest.raises(ValidationError) as original:
        speedups._original_validate(reply, SCHEMA)
    with pytest.raises(ValidationError) as cached:
        speedups.validate(reply, SCHEMA)
    assert cached.value.message == original.value.message
    assert list(cached.value.path) == list(original.value.path)


@pytest.fixture(autouse=True)
def _rasa_as_it_was_after_each_test():
    """A test that installs them does not leave the rest of the session patched (the tracker
    store's tests compare with Rasa's own)."""
    yield
    speedups.uninstall()


def test_the_launcher_installs_them_for_a_server_and_rasa_then_uses_them(monkeypatch):
    import jsonschema

    from bot.plugins.launch import prepare

    monkeypatch.delenv("STEADY_SPEEDUPS", raising=False)
    prepare(["run", "--model", "models/x.tar.gz"])
    assert jsonschema.validate is speedups.validate
    assert "bot.storage.tracker_store" in sys.modules  # imported, so a failure stops the start
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(GOOD[1]) is True
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": 1, "responses": []})


@pytest.mark.parametrize("store", ["sql", "bot.storage.tracker_store.SteadyTrackerStor",
                                   "rasa.core.tracker_store.SQLTrackerStore", None])
def test_a_server_whose_endpoints_name_another_tracker_store_does_not_start(tmp_path, store):
    """Rasa would keep conversations in its own store (unsealed) or, for a name it cannot
    import, in memory with a warning: the launcher stops instead and says why."""
    from bot.plugins.launch import prepare

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: {store}\n" if store else "{}\n")
    with pytest.raises(SystemExit, match="not Steady's"):
        prepare(["run", "--model", "models/x.tar.gz", "--endpoints", str(endpoints)])
    with pytest.raises(SystemExit, match="not Steady's"):
        prepare(["shell", f"--endpoints={tmp_path / 'missing.yml'}"])


def test_a_tracker_store_that_fails_to_start_stops_the_server(monkeypatch):
    """An AttributeError is what Rasa would swallow (falling back to memory)."""
    import bot.storage.tracker_store as tracker_store

    def broken():
        raise AttributeError("no such setting")

    monkeypatch.setattr(tracker_store, "load_settings", broken)
    with pytest.raises(RuntimeError, match="could not start"):
        tracker_store.SteadyTrackerStore(domain=None)


def test_the_action_server_and_the_off_switch_leave_rasa_as_it_is(monkeypatch):
    import jsonschema

    from bot.plugins.launch import prepare

    prepare(["run", "actions", "--actions", "actions"])
    assert jsonschema.validate is speedups._original_validate
    monkeypatch.setenv("STEADY_SPEEDUPS", "0")
    prepare(["run"])
    assert jsonschema.validate is speedups._original_validate
    assert speedups.install({"STEADY_SPEEDUPS": "off"}) is False
    assert speedups.install({"STEADY_SPEEDUPS": "1"}) is True
    assert jsonschema.validate is speedups.validate


def test_another_rasa_is_refused_with_what_differs(monkeypatch):
    with pytest.raises(speedups.Mismatch, match="written for Rasa 3.6.21, and this is Rasa 3.7.0"):
        speedups.check("3.7.0")

    def run(self, inputs=None, targets=None, callbacks=None):  # a parameter more
        return {}

    changed = tuple((owner, name, ours, run if name == "run" else original, expected)
                    for owner, name, ours, original, expected in speedups._TARGETS)
    monkeypatch.setattr(speedups, "_TARGETS", changed)
    with pytest.raises(speedups.Mismatch, match=r"DaskGraphRunner.run now takes \(self, inputs"):
        speedups.check()
    import jsonschema

    with pytest.raises(speedups.Mismatch):
        speedups.install({})
    assert jsonschema.validate is speedups._original_validate  # nothing half-installed


def test_this_rasa_is_the_one_they_were_written_for():
    speedups.check()  # the version and every replaced function's parameters


def test_rasas_event_resolver_is_left_as_it_is():
    """Stored events are read back by our own tracker store, not by a global patch."""
    from rasa.shared.core.events import Event

    original = Event.__dict__["resolve_by_type"]
    speedups.install()
    assert Event.__dict__["resolve_by_type"] is original


def test_the_store_reads_every_kind_of_event_back_as_rasa_does():
    from rasa.shared.core import events as rasa_events
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        BotUttered,
        Event,
        FollowupAction,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.utils.common import all_subclasses

    from bot.storage.tracker_store import read_events

    stored = [event.as_dict() for event in [
        ActionExecuted("action_session_start"), SessionStarted(),
        ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}),
        SlotSet("feeling", "scared"), ActiveLoop("reflection_form"),
        BotUttered("hello", {"buttons": []}), FollowupAction("action_listen"), Restarted()]]
    stored += [{"event": "topic", "timestamp": 1.0}, {"timestamp": 2.0}]  # Rasa skips both
    ours, rasas = read_events(stored), rasa_events.deserialise_events(stored)
    assert [type(event) for event in ours] == [type(event) for event in rasas]
    assert [event.as_dict() for event in ours] == [event.as_dict() for event in rasas]
    assert len(ours) == 9
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in sorted(names):  # every kind: the same class, or the same refusal
        outcomes = []
        for read in (read_events, rasa_events.deserialise_events):
            try:
                outcomes.append([type(event) for event in read([{"event": name}])])
            except Exception as error:  # noqa: BLE001 - a kind that needs its fields
                outcomes.append(type(error))
        assert outcomes[0] == outcomes[1], name
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        read_events([{"event": "no_such_event"}])


def test_action_server_calls_reuse_one_connection_with_rasas_headers_and_auth(monkeypatch):
    """Rasa opened a new HTTP session and connection for every call to the action server."""
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    speedups.install()
    monkeypatch.setattr(speedups, "KEEPALIVE_SECONDS", 0.3)
    seen = []

    async def handler(request: web.Request) -> web.Response:
        seen.append((request.transport.get_extra_info("peername")[1],
                     request.headers.get("X-Steady"), request.headers.get("Authorization"),
                     request.query.get("token"), await request.json()))
        return web.json_response({"events": [], "responses": []})

    async def scenario() -> list:
        app = web.Application()
        app.router.add_post("/webhook", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", token="t0k",
                                  headers={"X-Steady": "yes"},
                                  basic_auth={"username": "u", "password": "p"})
        replies = [await endpoint.request(json={"n": n}) for n in range(3)]
        await asyncio.sleep(0.6)  # idle longer than the keep-alive: a new connection
        replies.append(await endpoint.request(json={"n": 3}))
        await speedups.close_sessions()
        await runner.cleanup()
        return replies

    replies = asyncio.run(scenario())
    assert replies == [{"events": [], "responses": []}] * 4
    ports = [port for port, *_ in seen]
    assert ports[0] == ports[1] == ports[2] != ports[3]
    assert all(header == "yes" and auth.startswith("Basic ") and token == "t0k"
               for _, header, auth, token, _ in seen)
    assert [body["n"] for *_, body in seen] == [0, 1, 2, 3]


def test_applied_events_are_the_originals_for_every_prefix_and_repeat():
    """Forms, reverted actions and utterances, restarts: the kept answer is Rasa's answer."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SlotSet,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    speedups.install()
    listen = ActionExecuted("action_listen")
    events = [
        listen, UserUttered("he left me on read", {"name": "trigger_ignored_message"}),
        ActionExecuted("reflection_form"), ActiveLoop("reflection_form"),
        SlotSet("requested_slot", "feeling"), listen,
        UserUttered("scared", {"name": "inform"}), ActionExecuted("reflection_form"),
        SlotSet("feeling", "scared"), listen,
        UserUttered("show my drafts", {"name": "show_drafts"}),
        ActionExecutionRejected("reflection_form"), ActionExecuted("action_show_drafts"),
        ActionExecuted("reflection_form"), listen, UserUttered("oops", {"name": "deny"}),
        UserUtteranceReverted(), ActionExecuted("utter_ask_fear"), ActionReverted(), listen,
        UserUttered("stop", {"name": "stop"}), ActionExecuted("reflection_form"),
        ActiveLoop(None), Restarted(), listen, UserUttered("hi", {"name": "greet"}),
    ]
    for end in range(len(events) + 1):
        tracker = DialogueStateTracker.from_events("someone", events[:end])
        expected = speedups._original_applied_events(tracker)
        first = tracker.applied_events()
        first.append("changed by a caller")  # must not reach the kept answer
        assert tracker.applied_events() == expected
        assert tracker.copy().applied_events() == expected  # a copy shares the events
    assert len(speedups._applied) <= speedups.APPLIED_CACHE_SIZE


EVENT_NAMES = ["user", "bot", "slot", "action", "active_loop", "loop", "followup", "reset_slots",
               "restart", "rewind", "undo", "session_started", "reminder", "cancel_reminder",
               "pause", "resume", "agent", "entities", "user_featurization",
               "action_execution_rejected", "export", "no_such_event", ""]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)
event_field = st.sampled_from(["event", "name", "value", "timestamp", "text", "policy",
                               "confidence", "action_name", "buttons", "metadata", "parse_data",
                               "kwargs", "intent", "entities", "trigger_date_time"])
events = st.fixed_dictionaries(
    {}, optional={"event": st.sampled_from(EVENT_NAMES) | json_values}
).flatmap(lambda base: st.dictionaries(event_field, json_values, max_size=4).map(
    lambda extra: {**extra, **base}))
replies = st.fixed_dictionaries(
    {"events": st.lists(events, max_size=3) | json_values,
     "responses": st.lists(st.dictionaries(st.sampled_from(["text", "buttons", "image",
                                                             "custom", "template"]),
                                           json_values, max_size=3), max_size=2)
     | json_values})


@settings(max_examples=400, deadline=None)
@given(replies)
def test_the_quick_verdict_on_events_is_the_original_verdict(reply):
    import json

    quick, full = speedups._checked_validators(json.dumps(SCHEMA, sort_keys=True))
    assert quick.is_valid(reply) == full.is_valid(reply)


def test_one_event_of_each_kind_is_judged_as_before():
    import json

    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        AllSlotsReset,
        BotUttered,
        FollowupAction,
        ReminderScheduled,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    quick, full = speedups._checked_validators(json.dumps(SCHEMA, sort_keys=True))
    kinds = [ActionExecuted("x"), ActiveLoop("f"), AllSlotsReset(), BotUttered("hi"),
             FollowupAction("x"), ReminderScheduled("i", __import__("datetime").datetime.now()),
             Restarted(), SessionStarted(), SlotSet("a", 1), UserUttered("hi", {"name": "g"})]
    for event in kinds:
        reply = {"events": [event.as_dict()], "responses": []}
        assert quick.is_valid(reply) and full.is_valid(reply), event
        broken = {**event.as_dict(), "timestamp": "yesterday"}
        assert not quick.is_valid({"events": [broken]}) and not full.is_valid({"events": [broken]})


@pytest.fixture(scope="module")
def agent():
    import asyncio

    from rasa.core.agent import load_agent

    from harness.servers import model_path

    return asyncio.run(load_agent(model_path=str(model_path())))


MESSAGES = ["hi", "he said he'd call at eight and never did", "scared", "show my drafts",
            "skip", "start over", "I want to die", "", "😢😢", "<b>hello</b>", "open draft 2"]


def test_the_model_graph_parses_and_predicts_as_with_dask(agent, monkeypatch):
    """The same nodes in a fixed order give what dask's scheduler gives, message by message
    and for the next action of a conversation half-way through a reflection."""
    import asyncio

    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    speedups.install()

    async def run_all() -> list:
        found = []
        tracker = DialogueStateTracker("someone", agent.domain.slots)
        tracker.update(ActionExecuted("action_listen"))
        for text in MESSAGES:
            parsed = await agent.parse_message(text)
            found.append({k: v for k, v in parsed.items() if k != "message_id"})
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
            prediction = agent.processor._predict_next_with_tracker(tracker)
            found.append((prediction.max_confidence_index, prediction.policy_name,
                          round(prediction.max_confidence, 6)))
            tracker.update(ActionExecuted(agent.domain.action_names_or_texts[
                prediction.max_confidence_index]))
        return found

    ours = asyncio.run(run_all())
    monkeypatch.setattr(DaskGraphRunner, "run", speedups._original_run)
    assert asyncio.run(run_all()) == ours
    assert any(item[1] and "RulePolicy" in item[1] for item in ours if isinstance(item, tuple))


def test_request_bodies_read_back_as_the_json_module_would_write_them():
    import json
    import math

    for value in [{"text": "he said \"later\" 😢 </b> é/", "n": 1.0000001, "x": None},
                  {"events": [{"confidence": 0.123456789012345, "t": 1795827609.0102952}]}]:
        assert json.loads(speedups._dumps(value)) == json.loads(json.dumps(value))
    assert math.isnan(json.loads(speedups._dumps({"c": float("nan")}))["c"])  # json's fallback


def test_diet_called_through_its_traced_graph_predicts_exactly_as_before(agent, monkeypatch):
    """After the first message, DIET's graph is called directly, and every message gets the
    same intent ranking, to the last digit, as through the original tf.function call."""
    import asyncio

    from rasa.utils.tensorflow.models import RasaModel

    speedups.install()
    calls = []
    original = speedups._original_rasa_predict
    monkeypatch.setattr(speedups, "_original_rasa_predict",
                        lambda model, batch: calls.append(1) or original(model, batch))

    async def parse_all() -> list:
        return [(await agent.parse_message(text))["intent_ranking"] for text in MESSAGES * 2]

    ours = asyncio.run(parse_all())
    assert len(calls) <= 1  # only a model's very first prediction takes the original way
    assert len(speedups._traced) >= 1
    # not patched into Rasa: Steady's own registered DIET calls it (config.yml)
    from bot.plugins.diet import SteadyDIET

    [model] = [model for model in speedups._traced if isinstance(model, SteadyDIET)]
    assert RasaModel._rasa_predict is original
    monkeypatch.setattr(model, "steady_traced", False)  # Rasa's own prediction
    assert asyncio.run(parse_all()) == ours
    assert ours[MESSAGES.index("show my drafts")][0]["name"] == "show_drafts"


def test_diet_loaded_without_a_training_step_predicts_exactly_as_rasas_load(agent, monkeypatch):
    """Rasa builds a loaded DIET by one step of training; ours by one pass of the loss. Every
    training example and every odd message gets the same intent ranking, to the last digit,
    from either (how long each takes to load: ``scripts/bench.py``)."""
    import asyncio
    import random

    import yaml
    from rasa.core.agent import load_agent

    from harness.servers import model_path

    texts = list(MESSAGES)
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            texts += [line[2:].strip() for line in str(block.get("examples", "")).splitlines()
                      if line.startswith("- ")]
    texts = random.Random(7).sample(texts, 400)

    async def parse_all(which) -> list:
        return [(await which.parse_message(text))["intent_ranking"] for text in texts]

    ours = asyncio.run(parse_all(agent))
    monkeypatch.setenv("STEADY_SPEEDUPS", "0")  # Rasa's own load (and prediction)
    stock = asyncio.run(load_agent(model_path=str(model_path())))
    assert asyncio.run(parse_all(stock)) == ours
    assert {ranking[0]["name"] for ranking in ours} >= {"greet", "crisis", "show_drafts"}


def test_inputs_that_do_not_fit_the_traced_graph_go_the_original_way(agent, monkeypatch):
    import numpy as np

    speedups.install()
    model, (concrete, inputs) = next(iter(speedups._traced.items()))
    batch = tuple(np.zeros([1] * (rank - 1) + [last or 1], dtype=dtype)
                  for dtype, rank, last in inputs)
    assert speedups._fits(inputs, batch)
    wrong_dtype = (batch[0].astype(np.float16),) + batch[1:]
    wrong_width = tuple(np.zeros(a.shape[:-1] + (a.shape[-1] + 1,), a.dtype) if a.ndim > 1
                        else a for a in batch)
    for misfit in (wrong_dtype, wrong_width, batch[:-1]):
        assert not speedups._fits(inputs, misfit)
    calls = []
    monkeypatch.setattr(speedups, "_original_rasa_predict",
                        lambda model, batch: calls.append(batch) or {"from": "original"})
    assert speedups.rasa_predict(model, wrong_dtype) == {"from": "original"}
    assert calls == [wrong_dtype]


def _rule_policy(agent):
    from rasa.core.policies.rule_policy import RulePolicy

    [policy] = [node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
                if isinstance(node._component, RulePolicy)]
    return policy


def _reflection_events():
    """A whole reflection as Steady's conversation stores it, with a detour mid-way."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActiveLoop,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    listen = ActionExecuted("action_listen")

    def user(text, intent):
        return [listen, UserUttered(text, {"name": intent, "confidence": 1.0})]

    def step(asked, answered=None, value=None):
        events = [ActionExecuted("reflection_form"), BotUttered("next question")]
        if answered:
            events.insert(1, SlotSet(answered, value))
        return events + [SlotSet("requested_slot", asked)]

    return ([ActionExecuted("action_session_start"), SessionStarted()]
            + user("hi", "greet") + [ActionExecuted("utter_greet"), ActionExecuted("utter_invite_story")]
            + user("he came home at eleven without a text", "trigger_late_without_notice")
            + [ActionExecuted("action_start_reflection"), SlotSet("trigger_type", "late_without_notice"),
               SlotSet("situation", "he came home at eleven without a text"),
               ActionExecuted("utter_reflect_back"), ActionExecuted("reflection_form"),
               ActiveLoop("reflection_form"), SlotSet("requested_slot", "pause")]
            + user("/done_pausing", "done_pausing") + step("feeling", "pause", "done")
            + user("show my drafts", "show_drafts")
            + [ActionExecutionRejected("reflection_form"), ActionExecuted("action_show_drafts"),
               ActionExecuted("utter_carry_on")] + step("feeling")
            + user("scared", "inform") + step("fear", "feeling", "scared")
            + user("that he'll leave", "inform") + step("need", "fear", "that he'll leave")
            + user("stop", "stop")
            + [ActionExecuted("action_deactivate_loop"), ActiveLoop(None),
               SlotSet("requested_slot", None), ActionExecuted("action_stop_reflection")]
            + [listen])


def test_rules_found_on_the_states_a_rule_can_see_are_rasas_for_every_step(agent, monkeypatch):
    """Which rules fit, for every prefix of a reflection (read by intent and by text, for
    both of the policy's lookups), is what Rasa's own search over all states finds; asked
    again, the answer comes from memory; the person's words are never kept in it."""
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
    from rasa.shared.core.trackers import DialogueStateTracker

    speedups.install()
    policy = _rule_policy(agent)
    events = _reflection_events()
    asked = 0
    original = speedups._original_get_possible_keys

    def counting(self, lookup, states):
        nonlocal asked
        asked += 1
        return original(self, lookup, states)

    monkeypatch.setattr(speedups, "_original_get_possible_keys", counting)
    compared = set()
    for end in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("someone", events[:end], agent.domain.slots)
        for by_text in (True, False):
            states = policy._prediction_states(tracker, agent.domain, by_text,
                                               rule_only_data=policy._get_rule_only_data())
            for name in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
                lookup = policy.lookup[name]
                expected = original(policy, lookup, states)
                assert speedups.get_possible_keys(policy, lookup, states) == expected
                before = asked
                assert speedups.get_possible_keys(policy, lookup, states) == expected
                assert asked == before  # remembered
                compared.add((name, frozenset(expected)))
    assert len(compared) > 10  # many different answers, not one
    # not patched into Rasa: Steady's own registered policy calls it (config.yml)
    from bot.plugins.policies import SteadyRulePolicy

    assert isinstance(policy, SteadyRulePolicy) and policy._remembered
    assert RulePolicy._get_possible_keys is original
    kept = repr(policy.__dict__["_steady_rules"])
    assert "eleven" not in kept and "leave" not in kept


def test_rules_are_never_remembered_on_text_when_a_rule_reads_text(agent):
    from rasa.core.policies.rule_policy import RULES

    policy = _rule_policy(agent)
    lookup = dict(policy.lookup[RULES])
    lookup['[{"prev_action": {"action_name": "action_listen"}, "user": {"text": "sos"}}]'] = "utter_help"
    states = [{"prev_action": {"action_name": "action_listen"}, "user": {"text": "sos"}}]
    assert speedups.get_possible_keys(policy, lookup, states) == speedups._original_get_possible_keys(
        policy, lookup, states)
    assert not policy.__dict__["_steady_rules"][id(lookup)][3]  # nothing kept
    other = [{"prev_action": {"action_name": "action_listen"}, "user": {"text": "fine"}}]
    assert speedups.get_possible_keys(policy, lookup, other) == speedups._original_get_possible_keys(
        policy, lookup, other)


PAYLOADS = ["/done_pausing", "/affirm", '/inform_need{"need": "closeness"}', "/save_draft",
            "/no_such_intent", "/affirm and more words", "/"]


def test_a_payload_parses_as_through_the_whole_pipeline_and_only_once(agent, monkeypatch):
    import asyncio

    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor

    speedups.install()
    runs = []
    original = speedups._original_parse_with_graph
    monkeypatch.setattr(speedups, "_original_parse_with_graph",
                        lambda self, message, *rest: runs.append(message.text) or original(
                            self, message, *rest))

    async def parse_all(texts):
        return [await agent.processor.parse_message(UserMessage(text, sender_id=f"p{i}"))
                for i, text in enumerate(texts)]

    ours = asyncio.run(parse_all(PAYLOADS * 2 + ["i feel scared", "i feel scared"]))
    assert sorted(runs) == sorted(PAYLOADS + ["i feel scared", "i feel scared"])  # words: every time
    ours[0]["intent"]["name"] = "changed by a caller"  # a copy: the kept parse is untouched
    again = asyncio.run(parse_all(PAYLOADS))
    monkeypatch.setattr(MessageProcessor, "_parse_message_with_graph", original)
    assert asyncio.run(parse_all(PAYLOADS)) == again == ours[len(PAYLOADS):2 * len(PAYLOADS)]
    assert again[2]["entities"][0]["value"] == "closeness"
    assert "i feel scared" not in repr(agent.processor.__dict__.get("_steady_payloads"))


def test_diets_empty_features_are_the_originals_without_copying_the_matrix():
    import numpy as np
    from rasa.shared.nlu.training_data.features import Features

    sparse = Features(speedups.scipy.sparse.coo_matrix(np.ones((3, 7))), "sequence", "text",
                      ["CountVectorsFeaturizer", "LexicalSyntacticFeaturizer"])
    dense = Features(np.ones((1, 5), np.float32), "sentence", "text", "Featurizer2")
    for features in ([[None], [[sparse]]], [[[dense]], [[dense]]]):
        [ours] = speedups.create_fake_features(features)
        [theirs] = speedups._original_fake_features(features)
        assert vars(ours).keys() == vars(theirs).keys()
        for name, value in vars(theirs).items():
            if name != "features":
                assert getattr(ours, name) == value and (
                    not isinstance(value, list) or getattr(ours, name) is not value)
        assert ours.features.shape == theirs.features.shape == (0, features[-1][0][0].features.shape[-1])
        assert type(ours.features) is type(theirs.features)
        assert ours.features.dtype == theirs.features.dtype


def test_past_states_are_rasas_for_every_prefix_and_each_caller_gets_its_own(agent):
    from rasa.shared.core.trackers import DialogueStateTracker

    speedups.install()
    policy = _rule_policy(agent)
    events = _reflection_events()
    for end in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("someone", events[:end], agent.domain.slots)
        for options in ({}, {"omit_unset_slots": True},
                         {"ignore_rule_only_turns": True, "rule_only_data": policy._get_rule_only_data()}):
            expected = speedups._original_past_states(tracker, agent.domain, **options)
            for _ in range(3):
                states = tracker.past_states(agent.domain, **options)
                assert states == expected
                if states and "user" in states[-1]:
                    states[-1]["user"].clear()  # as Rasa's reading by text or by intent edits it


class _Node:
    pass


def _forgotten_cycle_kept_by(holder: list) -> "weakref.ref":
    node = _Node()
    node.me = node  # only the garbage collector (not reference counting) can free a cycle
    holder.append(node)
    return weakref.ref(node)


def test_frozen_objects_escape_full_scans_until_the_next_freeze():
    from bot.plugins.gc_freeze import freeze_loaded

    holder: list = []
    cycle = _forgotten_cycle_kept_by(holder)
    freeze_loaded()
    holder.clear()
    gc.collect()
    assert cycle() is not None  # frozen: the full collection did not even look at it
    freeze_loaded()  # e.g. a new model loaded: the old frozen objects are looked at again
    assert cycle() is None


def test_the_rasa_server_freezes_what_it_loaded_with_the_model(agent):
    from harness.servers import model_path

    speedups.install()
    gc.unfreeze()
    agent.load_model(str(model_path()))
    assert gc.get_freeze_count() > 100_000  # TensorFlow, spaCy, Rasa and the model


def test_the_action_server_freezes_what_the_actions_loaded():
    # A fresh interpreter, as `rasa run actions --actions actions` imports the package.
    frozen = subprocess.run(
        [sys.executable, "-c", "import gc, actions; print(gc.get_freeze_count())"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()[-1]
    assert int(frozen) > 100_000


def test_a_slot_copies_as_copy_copy_did_and_trackers_get_the_same_slots():
    """Every kind of slot Rasa has (and every slot of Steady's domain): the copy is a new
    object of the same class with equal attributes, shallow as before, and changing it leaves
    the original as it was; a tracker made with the speed-up has the same slots."""
    import copy

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import (
        AnySlot, BooleanSlot, CategoricalSlot, FloatSlot, ListSlot, Slot, TextSlot,
    )
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.utils.common import all_subclasses

    domain = Domain.load(str(ROOT / "domain.yml"))
    kinds = [TextSlot("t", [], initial_value="x"), BooleanSlot("b", []), FloatSlot("f", []),
             ListSlot("l", [], initial_value=["a"]), CategoricalSlot("c", [], values=["a", "b"]),
             AnySlot("a", [])]
    assert {type(slot) for slot in kinds} >= set(all_subclasses(Slot))
    slots = kinds + list(domain.slots)
    speedups.uninstall()
    before = [(copy.copy(slot), slot) for slot in slots]
    tracker_before = DialogueStateTracker("x", domain.slots)
    try:
        speedups.install({})
        for (theirs, slot) in before:
            ours = copy.copy(slot)
            assert type(ours) is type(theirs) and ours is not slot
            assert vars(ours) == vars(theirs)
            assert all(vars(ours)[name] is vars(slot)[name] for name in vars(slot))  # shallow
            ours.value = "changed"
            assert slot.value == theirs.value != "changed"
        tracker = DialogueStateTracker("x", domain.slots)
        assert {name: (type(s), vars(s)) for name, s in tracker.slots.items()} == {
            name: (type(s), vars(s)) for name, s in tracker_before.slots.items()}
    finally:
        speedups.uninstall()


def test_a_domain_is_empty_as_before_and_asked_once(monkeypatch):
    from rasa.shared.core.domain import Domain

    full, empty = Domain.load(str(ROOT / "domain.yml")), Domain.empty()
    calls = []
    original = speedups._original_is_empty
    monkeypatch.setattr(speedups, "_original_is_empty",
                        lambda domain: calls.append(domain) or original(domain))
    try:
        speedups.install({})
        assert [full.is_empty(), empty.is_empty(), full.is_empty()] == [False, True, False]
        assert len(calls) == 2  # once per domain
    finally:
        speedups.uninstall()
    assert Domain.is_empty is original and not hasattr(Domain.empty(), "_steady_is_empty")


def test_a_rasa_that_defines_what_a_speed_up_adds_is_refused(monkeypatch):
    from rasa.shared.core.slots import TextSlot

    monkeypatch.setattr(TextSlot, "__copy__", lambda self: self, raising=False)
    with pytest.raises(speedups.Mismatch, match="TextSlot"):
        speedups.check()
