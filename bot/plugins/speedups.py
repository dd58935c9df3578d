"""Speed-ups for hot paths of Rasa 3.6 that change nothing it does.

1. Rasa checks every action-server reply with ``jsonschema.validate(reply, schema)``, which
first re-validates the *schema itself* against its meta-schema and builds a new validator,
every time. Profiling a whole reflection put that at about a fifth of the Rasa server's
time per message. Here the checked validator is built once per distinct schema and
reused; the reply is still validated in full, and an invalid one raises the same
``ValidationError`` (the best match, as ``jsonschema.validate`` does).
Then most of the time went to ``oneOf`` over the ~20 event kinds: jsonschema tries every
kind for every event, building an error for each that fails. A kind whose ``event``
property is the constant "slot" cannot accept an event named "bot", so the verdict
"valid or not" first tries only the kinds an event can match; when that says "not valid",
the full original validator is run for the very same error.

2. (Moved.) Stored events are turned back into their classes by Steady's own tracker store
(``bot.storage.tracker_store.read_events``), which Rasa lets us name in ``endpoints.yml``;
Rasa's ``Event.resolve_by_type`` is left as it is.

3. Every call to the action server (several per message during a form) made a new aiohttp
``ClientSession``, so a new connection pool and a new TCP connection, then closed it. Here
each endpoint configuration keeps one session per event loop and reuses its connections.
Their bodies (the whole conversation, for every call) are encoded with ujson, which Rasa
already depends on, instead of the json module (the json module takes over for anything
ujson refuses, such as NaN). They are dropped after ``KEEPALIVE_SECONDS`` idle, before the action server's own keep-alive
(Sanic: 5 s) ends, so a request never races a connection the server is closing.

4. ``DialogueStateTracker.applied_events`` (the events minus reverted ones) walks the whole
conversation, and back again for every form step; Rasa asks for it several times per
prediction, on copies of the same tracker. It depends only on the sequence of event
objects, so the answer is kept for the last few hundred sequences, keyed by the events'
identities (the cache holds the events, so no identity can be reused while it is kept).
The same goes for ``past_states`` (the conversation replayed into one state per turn),
which the rule policy asks for twice per prediction after a message, once to read it by
text and once by intent; each caller gets its own copy, since Rasa edits the last state.

5. Rasa runs its model graph (several times per message: once for the NLU, once per
predicted action) through ``dask.get``, which re-derives the sub-graph for the targets,
orders it and schedules it on every call: about a twelfth of the time per message. Dask's
synchronous scheduler runs one node at a time anyway, so here the sub-graph and its order
are worked out once per set of targets and the nodes are called in that order, each with
the same arguments dask would pass (a node's (name, output) pair, or the bare name of an
input nobody provided).

6. DIET's prediction goes through a ``tf.function`` whose input signature Rasa fixed when it
traced it. Each call (once per message) still re-checks and re-canonicalises a dozen input
arrays against that signature in Python: about two fifths of the TensorFlow call, more
than running the graph itself. Here, once the function is traced, its one concrete graph is
called directly with the arrays converted to its input types; an input that does not fit
the traced types and shapes goes the original way (and gets its error from there).
This one is not installed over Rasa's: ``bot.plugins.diet.SteadyDIETClassifier``, named in
``config.yml``, is a registered DIET whose model calls it.

7. The rule policy finds the rules that fit a conversation by testing every rule against
every state of the conversation, from the newest back to the very first, although a rule
only looks as far back as it is long: past that every rule "fits" by definition. Rules are
learned once, so which rules fit depends only on the last few states (as many as the
longest rule has). Here the states are cut to that many before the same test, and the
answer is remembered per such tail of states, which a form step shares with every other
conversation at the same step. Rasa also tests a reading of the last message by its text;
no rule of Steady's names text, so the text is left out of what is remembered.
This one is not installed over Rasa's: ``bot.plugins.policies.SteadyRulePolicy``, named in
``config.yml``, is a registered subclass of ``RulePolicy`` that calls it.

8. A button press arrives as its payload ("/affirm", '/inform_need{"need": "closeness"}'),
and Rasa still runs the whole NLU pipeline on it (tokenizers, featurizers, DIET) before its
regex handler replaces the result with the payload's intent and entities. A payload is not
the person's words and always parses the same, so its parse is kept (a copy, per loaded
model) and handed out again as a copy, with this message's own id.

9. For every message DIET builds "empty" features for the inputs it lacks, each by deep-copying
a real feature (its whole sparse matrix included) and then replacing the matrix with an empty
one: 6% of the server's time under load. Here the copy leaves out the matrix it throws
away; everything else is copied as before.

10. Every tracker Rasa makes (several per message: a form's temporary tracker for each
validation, the copies the rule policy walks back through) starts with a copy of every slot
of the domain, each by ``copy.copy``, which goes through the generic pickle protocol
(``__reduce_ex__``) for a plain object: about 110 us per tracker for Steady's 27 slots. Here
a slot copies itself the way that protocol ends up doing it (a new object of the same class
with the same attribute dictionary, shallow), in a quarter of the time.

11. Every message, Rasa checks whether its domain is empty by turning the whole domain into
a dictionary and comparing it with an empty domain's, built anew. A loaded domain does not
change, so the answer is worked out once per domain object.

12. Once a model is loaded, what the server has loaded is frozen out of the garbage
collector's full scans (``bot/plugins/gc_freeze.py``): those scans paused the whole server
for 350-400 ms several times a minute under load.

Installed by the launcher every Rasa server of Steady's starts with (``python -m
bot.plugins.launch run …``: ``make run``, ``scripts/serve-rasa``, the tests, the images).
``install`` first checks that this is the Rasa they were written against (``RASA_VERSION``)
and that every function it replaces still has the parameters it had then; on a mismatch it
refuses with a message that says which, and the server does not start. ``STEADY_SPEEDUPS=0``
leaves Rasa as it is (``make bench`` can compare). ``tests/test_speedups.py`` checks each
against the original.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import inspect
import json
import logging
import os
import weakref
from collections import OrderedDict
from typing import Any

import aiohttp
import jsonschema
import numpy as np
import scipy.sparse
import tensorflow as tf
import ujson
from jsonschema import _validators, exceptions, validators
from keras.utils import tf_utils
from rasa.core.agent import Agent
from rasa.engine.exceptions import GraphRunError
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from rasa.utils.tensorflow import model_data_utils
from rasa.utils.tensorflow.models import RasaModel

from bot.lru import remembered
from bot.plugins.gc_freeze import freeze_loaded

logger = logging.getLogger(__name__)
_original_validate = jsonschema.validate
_original_session = EndpointConfig.session
_sessions: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = (
    weakref.WeakKeyDictionary()
)
KEEPALIVE_SECONDS = 3.0
_original_applied_events = DialogueStateTracker.applied_events
_applied: "OrderedDict[tuple, tuple]" = OrderedDict()
APPLIED_CACHE_SIZE = 256
_original_past_states = DialogueStateTracker.past_states
_past: "OrderedDict[tuple, tuple]" = OrderedDict()
PAST_STATES_CACHE_SIZE = 64
_original_run = DaskGraphRunner.run
_original_rasa_predict = RasaModel._rasa_predict
_traced: "weakref.WeakKeyDictionary[RasaModel, tuple]" = weakref.WeakKeyDictionary()
_original_get_possible_keys = RulePolicy._get_possible_keys
RULE_CACHE_SIZE = 4096
_original_parse_with_graph = MessageProcessor._parse_message_with_graph
PAYLOAD_CACHE_SIZE = 512
_original_fake_features = model_data_utils._create_fake_features
MAX_PAYLOAD_CHARS = 300
_original_load_model = Agent.load_model
_original_is_empty = Domain.is_empty


def _may_match(subschema: Any, instance: dict) -> bool:
    """False only if a string ``const`` of one of the subschema's properties is not met."""
    properties = subschema.get("properties") if isinstance(subschema, dict) else None
    if not isinstance(properties, dict):
        return True
    for name, rule in properties.items():
        if (
            isinstance(rule, dict)
            and isinstance(rule.get("const"), str)
            and isinstance(instance.get(name), str)
            and instance[name] != rule["const"]
        ):
            return False
    return True


def _one_of(validator: Any, one_of: list, instance: Any, schema: Any) -> Any:
    """``oneOf``, trying only the alternatives the instance's constants allow."""
    if not isinstance(instance, dict):
        yield from _validators.oneOf(validator, one_of, instance, schema)
        return
    valid = [
        sub for sub in one_of if _may_match(sub, instance) and validator.is_valid(instance, sub)
    ]
    if len(valid) != 1:
        yield exceptions.ValidationError("not valid under exactly one of the given schemas")


@functools.lru_cache(maxsize=64)
def _checked_validators(schema_json: str) -> tuple:
    schema = json.loads(schema_json)
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once per schema, as jsonschema.validate does every call
    quick = validators.extend(cls, {"oneOf": _one_of})
    return quick(schema), cls(schema)


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """``jsonschema.validate`` with the schema check and validators cached per schema."""
    if cls is not None or args or kwargs:
        return _original_validate(instance, schema, cls, *args, **kwargs)
    try:
        key = ujson.dumps(schema, sort_keys=True)  # Rasa builds the schema anew every call
    except (TypeError, ValueError, OverflowError):
        return _original_validate(instance, schema)
    quick, full = _checked_validators(key)
    if quick.is_valid(instance):
        return None
    error = exceptions.best_match(full.iter_errors(instance))
    if error is not None:
        raise error
    return None


class _KeptOpen:
    """``async with endpoint.session() as session`` over a session that outlives the block."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def session(self: EndpointConfig) -> Any:
    """``EndpointConfig.session``, one per endpoint settings and event loop, kept open."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _original_session(self)
    key = (repr(sorted(self.headers.items())), repr(sorted(self.basic_auth.items())))
    per_loop = _sessions.get(loop)
    if per_loop is None:
        per_loop = _sessions[loop] = {}
        # When the server's loop ends, close its sessions' connections (no await is
        # possible then) so they are not reported as leaked ("Unclosed client session").
        weakref.finalize(loop, _close_now, per_loop)
    kept = per_loop.get(key)
    if kept is None or kept.closed:
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth
            else None
        )  # as Rasa's own session()
        kept = per_loop[key] = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            json_serialize=_dumps,
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
    return _KeptOpen(kept)


def _dumps(value: Any) -> str:
    try:
        return ujson.dumps(value)
    except (TypeError, ValueError, OverflowError):
        return json.dumps(value)


def _close_now(per_loop: dict) -> None:
    for kept in per_loop.values():
        if kept.connector is not None:
            kept.connector._close()  # the synchronous part of connector.close()


async def close_sessions() -> None:
    """Close the kept sessions of the running event loop (at shutdown)."""
    for kept in _sessions.pop(asyncio.get_running_loop(), {}).values():
        await kept.close()


def applied_events(self: DialogueStateTracker) -> list:
    """``DialogueStateTracker.applied_events``, remembered per sequence of events."""
    events = tuple(self.events)
    # The events are held, so no identity can be reused while the answer is kept.
    kept = remembered(
        _applied,
        tuple(map(id, events)),
        APPLIED_CACHE_SIZE,
        lambda: (events, tuple(_original_applied_events(self))),
    )
    return list(kept[1])


def past_states(
    self: DialogueStateTracker,
    domain: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Any = None,
) -> list:
    """``DialogueStateTracker.past_states``, remembered per sequence of events and settings;
    each caller gets its own copy of the states (Rasa edits the last one in place)."""
    events = tuple(self.events)
    try:
        settings = (
            id(domain),
            omit_unset_slots,
            ignore_rule_only_turns,
            json.dumps(rule_only_data, sort_keys=True),
        )
    except (TypeError, ValueError):
        return _original_past_states(
            self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )
    # The events and the domain are held, so no id is reused while the answer is kept.
    kept = remembered(
        _past,
        (tuple(map(id, events)), settings),
        PAST_STATES_CACHE_SIZE,
        lambda: (
            events,
            domain,
            _copy_states(
                _original_past_states(
                    self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
                )
            ),
        ),
    )
    return _copy_states(kept[2])


def _copy_states(states: list) -> list:
    """States are dicts of dicts of immutable values: two levels of copying make them new."""
    return [{kind: dict(sub) for kind, sub in state.items()} for state in states]


def _plan(runner: DaskGraphRunner, targets: tuple) -> list:
    """The nodes the targets need, each after the nodes it needs, with what it needs."""
    plans = runner.__dict__.setdefault("_steady_plans", {})
    if targets not in plans:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        order: list = []
        placed: set = set()

        def place(name: str, path: tuple = ()) -> None:
            if name in placed or name not in nodes:
                return
            if name in path:
                raise GraphRunError(f"The graph has a cycle through '{name}'.")
            for need in nodes[name].needs.values():
                place(need, path + (name,))
            placed.add(name)
            order.append(
                (name, runner._instantiated_nodes[name], tuple(nodes[name].needs.values()))
            )

        for name in nodes:
            place(name)
        plans[targets] = order
    return plans[targets]


def run_graph(self: DaskGraphRunner, inputs: Any = None, targets: Any = None) -> dict:
    """``DaskGraphRunner.run``: the same nodes, called in a precomputed order."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    plan = _plan(self, run_targets)
    results: dict = {}
    for input_name, input_value in (inputs or {}).items():
        if isinstance(input_value, str) and input_value in self._graph_schema.nodes:
            raise GraphRunError(
                f"Input value '{input_value}' clashes with a node name. Make sure that "
                f"none of the input names passed to the `run` method are the same as "
                f"node names in the graph schema."
            )
        results[input_name] = (input_name, input_value)
    try:
        for name, node, needs in plan:
            results[name] = node(*(results.get(need, need) for need in needs))
    except RuntimeError as error:  # as the original wraps what dask.get raises
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)


def _traced_graph(model: RasaModel) -> tuple:
    """The model's traced predict graph and, per input, (numpy dtype, rank, last dim or None)."""
    concrete = model._tf_predict_step.get_concrete_function()
    specs = concrete.structured_input_signature[0][0]
    return concrete, [
        (
            spec.dtype.as_numpy_dtype,
            spec.shape.rank,
            spec.shape[-1] if spec.shape.rank > 1 else None,
        )
        for spec in specs
    ]


def _fits(inputs: list, batch_in: Any) -> bool:
    return len(inputs) == len(batch_in) and all(
        isinstance(array, np.ndarray)
        and array.dtype == dtype
        and array.ndim == rank
        and (last is None or array.shape[-1] == last)
        for array, (dtype, rank, last) in zip(batch_in, inputs)
    )


def rasa_predict(self: RasaModel, batch_in: Any) -> dict:
    traced = _traced.get(self)
    if traced is None or self._run_eagerly or not _fits(traced[1], batch_in):
        outputs = _original_rasa_predict(self, batch_in)
        if traced is None and self._tf_predict_step is not None and not self._run_eagerly:
            _traced[self] = _traced_graph(self)
        return outputs
    if self._training is not False:  # as the original sets it (Keras tracks each set)
        self._training = False
    concrete, _ = traced
    tensors = [tf.convert_to_tensor(array) for array in batch_in]
    outputs = tf_utils.sync_to_numpy_or_python_type(
        concrete._call_flat(tensors, concrete.captured_inputs)
    )
    if DIAGNOSTIC_DATA in outputs:  # as the original does
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


TEXT_STANDIN = "\x00the person's text"


def _frozen(states: list, text_matters: bool) -> Any:
    """A hashable copy of states (dicts of dicts of strings, numbers and tuples), or None
    when a value cannot be hashed, or a state holds the person's text and some rule looks
    at text. Where no rule does, the text is replaced by a stand-in: a rule's test reads
    only the features the rule names, so any text gives the same answer, and no one's
    words are kept."""
    try:
        frozen_states = []
        for state in states:
            parts = []
            for kind, sub in state.items():
                if kind == "user" and "text" in sub:
                    if text_matters:
                        return None
                    sub = {**sub, "text": TEXT_STANDIN}
                parts.append((kind, tuple(sorted(sub.items()))))
            frozen_states.append(tuple(sorted(parts)))
        frozen = tuple(frozen_states)
        hash(frozen)
    except TypeError:
        return None
    return frozen


def _rule_lookup_facts(self: RulePolicy, lookup: dict) -> tuple:
    """(the lookup, its longest rule in states, whether a rule reads text, its answers)."""
    kept = self.__dict__.setdefault("_steady_rules", {})
    facts = kept.get(id(lookup))
    if facts is None or facts[0] is not lookup or facts[4] != len(lookup):
        rules = [self._rule_key_to_state(key) for key in lookup]
        # The lookup object is held, so its id stays its own while it is kept here.
        facts = kept[id(lookup)] = (
            lookup,
            max(map(len, rules), default=0),
            any("text" in state.get("user", {}) for rule in rules for state in rule),
            OrderedDict(),
            len(lookup),
        )
    return facts


def get_possible_keys(self: RulePolicy, lookup: dict, states: list) -> set:
    """``RulePolicy._get_possible_keys`` on the states a rule can see, remembered."""
    _, length, text_matters, answers, _ = _rule_lookup_facts(self, lookup)
    recent = states[-length:] if length else []
    key = _frozen(recent, text_matters)
    if key is None:
        return _original_get_possible_keys(self, lookup, recent)
    return set(
        remembered(
            answers,
            key,
            RULE_CACHE_SIZE,
            lambda: frozenset(_original_get_possible_keys(self, lookup, recent)),
        )
    )


def parse_message_with_graph(
    self: MessageProcessor, message: Any, tracker: Any, only_output_properties: bool = True
) -> dict:
    """``MessageProcessor._parse_message_with_graph``, a button payload's parse kept."""
    text = message.text
    if not (isinstance(text, str) and text.startswith("/") and len(text) <= MAX_PAYLOAD_CHARS):
        return _original_parse_with_graph(self, message, tracker, only_output_properties)
    kept = self.__dict__.setdefault("_steady_payloads", OrderedDict())
    parsed = remembered(
        kept,
        (text, only_output_properties),
        PAYLOAD_CACHE_SIZE,
        lambda: _original_parse_with_graph(self, message, tracker, only_output_properties),
    )
    result = copy.deepcopy(parsed)
    if "message_id" in result:
        result["message_id"] = message.message_id
    return result


def create_fake_features(all_features: list) -> list:
    """``model_data_utils._create_fake_features`` without deep-copying matrices it replaces."""
    example = next(
        features for per_example in all_features for features in per_example if features is not None
    )
    fakes = []
    for features in example:
        fake = copy.copy(features)
        fake.__dict__.update(
            {
                name: copy.deepcopy(value)
                for name, value in vars(features).items()
                if name != "features"
            }
        )
        shape = (0, features.features.shape[-1])
        if features.is_dense():
            fake.features = np.zeros(shape, features.features.dtype)
        if features.is_sparse():
            fake.features = scipy.sparse.coo_matrix(shape, features.features.dtype)
        fakes.append(fake)
    return fakes


def copy_slot(self: Slot) -> Slot:
    """What ``copy.copy`` gives for a slot (a plain object: its class, its ``__dict__``,
    shallow), without the pickle protocol."""
    new = self.__class__.__new__(self.__class__)
    new.__dict__.update(self.__dict__)
    return new


def is_empty(self: Domain) -> bool:
    known = self.__dict__.get("_steady_is_empty")
    if known is None:
        known = self.__dict__["_steady_is_empty"] = _original_is_empty(self)
    return known


def load_model(self: Agent, *args: Any, **kwargs: Any) -> None:
    _original_load_model(self, *args, **kwargs)
    freeze_loaded()


#: The Rasa these were written against and checked with (tests/test_speedups.py).
RASA_VERSION = "3.6.21"
#: Each replacement: (owner, attribute, ours, the original, the original's parameters when
#: ours was written). A different Rasa may keep a name and change what it takes. An
#: original of None: ours adds what Rasa does not define (nor may any subclass).
_TARGETS = (
    (
        jsonschema,
        "validate",
        validate,
        _original_validate,
        "instance, schema, cls=None, *args, **kwargs",
    ),
    (EndpointConfig, "session", session, _original_session, "self"),
    (DialogueStateTracker, "applied_events", applied_events, _original_applied_events, "self"),
    (
        DialogueStateTracker,
        "past_states",
        past_states,
        _original_past_states,
        "self, domain, omit_unset_slots=False, ignore_rule_only_turns=False, rule_only_data=None",
    ),
    (DaskGraphRunner, "run", run_graph, _original_run, "self, inputs=None, targets=None"),
    (
        MessageProcessor,
        "_parse_message_with_graph",
        parse_message_with_graph,
        _original_parse_with_graph,
        "self, message, tracker, only_output_properties=True",
    ),
    (
        model_data_utils,
        "_create_fake_features",
        create_fake_features,
        _original_fake_features,
        "all_features",
    ),
    (Agent, "load_model", load_model, _original_load_model, "self, model_path, fingerprint=None"),
    (Slot, "__copy__", copy_slot, None, None),
    (Domain, "is_empty", is_empty, _original_is_empty, "self"),
)


class Mismatch(RuntimeError):
    """This Rasa is not the one the speed-ups were written for."""


def _parameters(function: Any) -> str:
    """ "self, inputs=None, targets=None": names and defaults, without annotations."""
    function = getattr(function, "__func__", function)
    parts = []
    stars: dict[inspect._ParameterKind, str] = {
        inspect.Parameter.VAR_POSITIONAL: "*",
        inspect.Parameter.VAR_KEYWORD: "**",
    }
    for parameter in inspect.signature(function).parameters.values():
        text = stars.get(parameter.kind, "") + parameter.name
        if parameter.default is not inspect.Parameter.empty:
            text += f"={parameter.default!r}"
        parts.append(text)
    return ", ".join(parts)


def check(version: str = "") -> None:
    """Raise ``Mismatch`` saying what differs, unless this is the Rasa they were written for."""
    import rasa

    version = version or rasa.__version__
    if version != RASA_VERSION:
        raise Mismatch(
            f"Steady's speed-ups were written for Rasa {RASA_VERSION}, and this is "
            f"Rasa {version}. Check each against the new version "
            "(tests/test_speedups.py) and update RASA_VERSION, or start with "
            "STEADY_SPEEDUPS=0."
        )
    for owner, name, ours, original, expected in _TARGETS:
        if original is None:
            defined = [
                cls.__name__
                for cls in (owner, *all_subclasses(owner))
                if name in vars(cls) and vars(cls)[name] is not ours
            ]
            if defined or any(hasattr(cls, name) for cls in owner.__mro__[1:]):
                raise Mismatch(
                    f"{owner.__name__}.{name} is now defined by Rasa "
                    f"({', '.join(defined) or 'a base class'}); check its "
                    "speed-up, or start with STEADY_SPEEDUPS=0."
                )
            continue
        found = _parameters(original)
        if found != expected:
            raise Mismatch(
                f"{getattr(owner, '__name__', owner)}.{name} now takes ({found}), "
                f"not ({expected}) as when its speed-up was written; check it, or "
                "start with STEADY_SPEEDUPS=0."
            )


def enabled(environ: Any = None) -> bool:
    """False when STEADY_SPEEDUPS says off (0, off, false, no)."""
    value = (os.environ if environ is None else environ).get("STEADY_SPEEDUPS", "1")
    return value.strip().lower() not in ("0", "off", "false", "no")


def install(environ: Any = None) -> bool:
    """Check, then replace each target with ours (see the module docstring); whether they
    are now in place. Does nothing when ``STEADY_SPEEDUPS=0``."""
    if not enabled(environ):
        logger.info("STEADY_SPEEDUPS is off: Rasa runs as it is")
        return False
    check()
    for owner, name, ours, _, _ in _TARGETS:
        setattr(owner, name, ours)
    return True


def uninstall() -> None:
    """Put every original back (the tests compare ours with Rasa's own)."""
    for owner, name, _, original, _ in _TARGETS:
        if original is None:
            if name in vars(owner):
                delattr(owner, name)
        else:
            setattr(owner, name, original)
