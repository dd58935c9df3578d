"""The cached jsonschema validation accepts and rejects exactly what the original does."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.plugins import speedups

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


def test_rasa_uses_it_once_steadys_tracker_store_is_loaded():
    import jsonschema

    import bot.storage.tracker_store  # noqa: F401 - what Rasa imports from endpoints.yml

    assert jsonschema.validate is speedups.validate
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(GOOD[1]) is True
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": 1, "responses": []})
