"""Shared fixtures: a real SQLite draft store per test, and real rasa-sdk trackers."""
from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import use_store
from bot.storage import DraftStore
from bot.storage.crypto import KeyRing
from bot.storage.engine import make_engine
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture
def keyring(tmp_path: Path) -> KeyRing:
    """Person keys in a SQLite file of the test's own, wrapped by a fresh server key."""
    return KeyRing(make_engine(f"sqlite:///{tmp_path / 'keys.db'}"), [Fernet.generate_key()])


@pytest.fixture
def store(tmp_path: Path):
    draft_store = DraftStore(f"sqlite:///{tmp_path / 'steady.db'}")
    use_store(draft_store)
    yield draft_store
    use_store(None)
    draft_store.engine.dispose()


def make_tracker(
    sender_id: str = "alice",
    *,
    text: str = "",
    intent: Optional[str] = None,
    slots: Optional[dict[str, Any]] = None,
    channel: str = "rest",
    active_loop: Optional[str] = None,
    bot_has_spoken: bool = True,
    entities: Optional[list[dict]] = None,
    parse: Optional[dict[str, Any]] = None,
) -> Tracker:
    """A tracker as the action server receives it after the person's latest message
    (``parse``: more of the NLU's output, such as its ``intent_ranking`` or ``safety``)."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        **(parse or {}),
    }
    events: list[dict] = []
    if bot_has_spoken:
        events.append({"event": "bot", "text": "Hi, I'm Steady."})
    events.append({"event": "user", "text": text, "parse_data": latest, "input_channel": channel})
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@lru_cache(maxsize=None)
def _rasa_domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml"))


def shown(messages: list[dict], tracker: Optional[Tracker] = None) -> list[dict]:
    """The dispatcher's messages as the person gets them, rendered by Rasa's own code for an
    action server's reply (``RemoteAction._utter_responses``): a response by name becomes the
    domain's text and buttons, filled from its keyword arguments and the tracker's slots,
    with any buttons the action added after its own. Each message has its ``text``,
    ``buttons`` and ``custom``, and ``response``: the response's name, if it was one."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = _rasa_domain()
    state = DialogueStateTracker("test", domain.slots)
    for name, value in (tracker.slots if tracker is not None else {}).items():
        if name in state.slots and value is not None:
            state.update(SlotSet(name, value))
    uttered = asyncio.run(RemoteAction("test", None)._utter_responses(
        [dict(message) for message in messages], CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator(domain.responses), state))
    # Rasa drops a message whose response is not in the domain (and logs an error).
    assert len(uttered) == len(messages), f"a response not in domain.yml: {messages}"
    rendered = []
    for event in uttered:
        message = event.message()
        rendered.append({"text": message.get("text"), "buttons": message.get("buttons") or [],
                         "custom": message.get("custom"),
                         "response": message.get("utter_action")})
    return rendered


def run_action(action, tracker: Tracker, domain: dict) -> tuple[list[dict], list[dict]]:
    """Run an action as the SDK would; return (the messages as shown, events)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return shown(dispatcher.messages, tracker), events


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    """Server tests run on three workers (``make e2e``: ``-n 3 --dist loadgroup``); each group
    runs whole on one worker, so a pair of servers is never started twice. The tests on a
    shared pair form one group per pair; the rest go by module, which keeps a module's own
    pair (``polling``, ``model``) with its tests."""
    for item in items:
        if item.get_closest_marker("e2e") is None or item.get_closest_marker("xdist_group"):
            continue
        names = getattr(item, "fixturenames", ())
        group = next((name for name in ("shared_steady", "webchat_steady") if name in names),
                     Path(str(item.fspath)).name)
        item.add_marker(pytest.mark.xdist_group(group))
