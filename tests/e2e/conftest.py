"""Server pairs shared by the end-to-end modules that need no fresh server.

Starting a Rasa server and an action server costs 20-40 s on a 2-core machine, so each
kind of pair below is started once, by the first module that asks for it, and stopped as
soon as the last module that asks for it is done (or when the session ends, whatever
happens). Tests that share a pair use their own senders and look only at their own rows.

* ``shared_steady``: as most deployments run: REST on (with the token), Telegram by webhook
  against the fake Bot API (``.fake``), US help resources, the default message limits.
  Used by the REST, doors, safety and Telegram-webhook modules.
* ``webchat_steady``: the web chat for people and no REST door, with the message limits
  raised because a browser test presses buttons faster than anyone could (the limits have
  their own tests, on ``shared_steady``). Used by the web chat and web drafts modules.

A test that restarts servers, needs other settings or a database of its own starts its
own pair with :func:`harness.servers.started`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.fakes.telegram_api import FakeTelegram
from harness.servers import TELEGRAM_SECRET, TELEGRAM_WEBHOOK_PATH, Steady, model_path, started


def _module(node) -> str:
    return Path(node.module.__file__).name


def _shared(request, name: str, start: Callable[[], Steady]) -> Iterator[Steady]:
    """Start the pair ``name`` once for every module whose tests use it; stop it after the
    last of them (pytest's own cleanup stops it if a module never finishes)."""
    pairs = request.config.__dict__.setdefault("_steady_pairs", {})
    if name not in pairs:
        waiting = {_module(item) for item in request.session.items
                   if name in getattr(item, "fixturenames", ())}
        pairs[name] = {"server": start(), "waiting": waiting | {_module(request)}}

        def stop() -> None:
            entry = pairs.pop(name, None)
            if entry is not None:
                entry["server"].stop()

        pairs[name]["stop"] = stop
        request.config.add_cleanup(stop)
    entry = pairs[name]
    yield entry["server"]
    entry["waiting"].discard(_module(request))
    if not entry["waiting"]:
        entry["stop"]()


@pytest.fixture(scope="module")
def shared_steady(request, tmp_path_factory) -> Iterator[Steady]:
    def start() -> Steady:
        fake = FakeTelegram().start()
        try:
            steady = started(model_path(), tmp_path_factory.mktemp("shared"), {
                "STEADY_LOCALE": "us",
                "STEADY_CHECKIN_SECONDS": "0.5",  # check-ins due are sent within a second
                "TELEGRAM_TOKEN": fake.token,
                "TELEGRAM_API_URL": fake.base_url,
                "TELEGRAM_WEBHOOK_URL": "http://127.0.0.1:{rasa_port}" + TELEGRAM_WEBHOOK_PATH,
                "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
            })
        except BaseException:
            fake.stop()
            raise
        fake.wait_for_call("setWebhook")
        steady.fake = fake
        stop_servers = steady.stop

        def stop() -> None:
            stop_servers()
            fake.stop()

        steady.stop = stop
        return steady

    yield from _shared(request, "shared_steady", start)


@pytest.fixture(scope="module")
def webchat_steady(request, tmp_path_factory) -> Iterator[Steady]:
    yield from _shared(request, "webchat_steady", lambda: started(
        model_path(), tmp_path_factory.mktemp("webchat"), {
            "STEADY_REST_TOKEN": "", "STEADY_SESSION_LIMIT": "60/10",
            "STEADY_CHECKIN_SECONDS": "0.5",  # a page opened again looks for check-ins
            "STEADY_ADDRESS_LIMIT": "120/10"}))
