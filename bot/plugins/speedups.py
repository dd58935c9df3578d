"""Speed-ups for one hot path of Rasa 3.6 that change nothing it does.

Rasa checks every action-server reply with ``jsonschema.validate(reply, schema)``, which
first re-validates the *schema itself* against its meta-schema and builds a new validator,
every time. Profiling a whole reflection put that at about a fifth of the Rasa server's
time per message. Here the checked validator is built once per distinct schema and
reused; the reply is still validated in full, and an invalid one raises the same
``ValidationError`` (the best match, as ``jsonschema.validate`` does).

Installed in the Rasa server process when it loads Steady's tracker store (named in
``endpoints.yml``); ``tests/test_speedups.py`` checks it agrees with the original.
"""
from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
from jsonschema import exceptions, validators

_original_validate = jsonschema.validate


@functools.lru_cache(maxsize=64)
def _checked_validator(schema_json: str) -> Any:
    schema = json.loads(schema_json)
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once per schema, as jsonschema.validate does every call
    return cls(schema)


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """``jsonschema.validate`` with the schema check and validator cached per schema."""
    if cls is not None or args or kwargs:
        return _original_validate(instance, schema, cls, *args, **kwargs)
    try:
        key = json.dumps(schema, sort_keys=True)
    except (TypeError, ValueError):
        return _original_validate(instance, schema)
    error = exceptions.best_match(_checked_validator(key).iter_errors(instance))
    if error is not None:
        raise error
    return None


def install() -> None:
    """Make ``from jsonschema import validate`` (as Rasa does it, at call time) use ours."""
    jsonschema.validate = validate
