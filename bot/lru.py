"""The one bookkeeping for every "keep the newest answers" cache in Steady."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable


def remembered(cache: "OrderedDict", key: Any, size: int, make: Callable[[], Any]) -> Any:
    """The value kept under ``key``, or ``make()``'s, kept; only the ``size`` newest stay.

    If ``make()`` raises, nothing is kept and the error goes to the caller.
    """
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = cache[key] = make()
    if len(cache) > size:
        cache.popitem(last=False)
    return value
