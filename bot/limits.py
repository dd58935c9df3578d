"""How many messages one conversation, or one address, may send: floods don't starve others.

A person talking to Steady sends a message every few seconds, a handful in a row at most
("he didn't text", "again", "all day"). A script can send hundreds a second, from one
conversation or from many opened side by side, and every message it gets in costs the
server the same work as a person's. So each conversation and each client address has a
budget: ``count`` messages in any ``seconds`` (a token bucket: a burst of ``count``, then
one message every ``seconds / count``).

A message over budget is not handed to Rasa. It is not dropped silently either: the first
one refused after a message that got through is answered with a notice asking the person
to slow down and send it again; further refusals in the same run get no second notice, so
a flood cannot make the server talk back at its own rate.

Plain Python, no clock of its own (one is passed in), so the tests can step time.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Optional

# What a person hears when a message was refused. Kind, and clear about what to do.
SLOW_DOWN = (
    "Your messages are coming faster than I can take them in, so I missed your last one. "
    "Take a breath, wait a few seconds, then send it again. I'm still here."
)

_LIMIT = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*$")


@dataclass(frozen=True)
class Limit:
    """At most ``count`` messages in any ``seconds``."""

    count: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds:g}"


def parse_limit(text: Optional[str], name: str, default: Optional[Limit]) -> Optional[Limit]:
    """``"10/10"`` (10 messages in any 10 seconds), ``"off"``, or empty for the default."""
    if text is None or not text.strip():
        return default
    if text.strip().lower() == "off":
        return None
    match = _LIMIT.match(text)
    if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise ValueError(
            f"{name} must look like 10/10 (messages/seconds) or be 'off', not {text!r}"
        )
    return Limit(int(match.group(1)), float(match.group(2)))


class _Bucket:
    __slots__ = ("tokens", "at")

    def __init__(self, tokens: float, at: float) -> None:
        self.tokens = tokens
        self.at = at


class Budget:
    """One token bucket per key; only the ``size`` most recently used keys are kept (a
    forgotten key starts again with a full budget, which is what an idle one has anyway)."""

    def __init__(
        self, limit: Limit, clock: Callable[[], float] = time.monotonic, size: int = 100_000
    ) -> None:
        self.limit = limit
        self.clock = clock
        self.size = size
        self._buckets: "OrderedDict[str, _Bucket]" = OrderedDict()

    def bucket(self, key: str) -> _Bucket:
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.limit.count), now)
            if len(self._buckets) > self.size:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(
                float(self.limit.count), bucket.tokens + (now - bucket.at) * self.limit.per_second
            )
            bucket.at = now
        return bucket

    def has_room(self, key: str) -> bool:
        return self.bucket(key).tokens >= 1.0

    def take(self, key: str) -> bool:
        """Charge one to ``key`` if it has room; say whether it had."""
        bucket = self.bucket(key)
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass(frozen=True)
class Verdict:
    admitted: bool
    notice: bool  # refused, and the person has not been told since their last message went in


class FloodGuard:
    """Budgets per conversation and per client address; see the module docstring.

    A message goes in only when both budgets have room, and then it is charged to both.
    ``None`` for a limit switches that budget off.
    """

    def __init__(
        self,
        per_session: Optional[Limit],
        per_address: Optional[Limit],
        clock: Callable[[], float] = time.monotonic,
        size: int = 100_000,
    ) -> None:
        self.sessions = Budget(per_session, clock, size) if per_session else None
        self.addresses = Budget(per_address, clock, size) if per_address else None
        self.size = size
        # Sessions told to slow down since their last message that got through.
        self._told: "OrderedDict[str, None]" = OrderedDict()

    def admit(self, session: str, address: Optional[str] = None) -> Verdict:
        buckets = []
        if self.sessions is not None:
            buckets.append(self.sessions.bucket(session))
        if self.addresses is not None and address:
            buckets.append(self.addresses.bucket(address))
        if all(bucket.tokens >= 1.0 for bucket in buckets):
            for bucket in buckets:
                bucket.tokens -= 1.0
            self._told.pop(session, None)
            return Verdict(admitted=True, notice=False)
        if session in self._told:
            return Verdict(admitted=False, notice=False)
        self._told[session] = None
        if len(self._told) > self.size:
            self._told.popitem(last=False)
        return Verdict(admitted=False, notice=True)
