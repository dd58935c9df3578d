"""Steady's safety layer: notice crisis or abuse at any moment and point to real help.

``assess`` reads one message (rules on lemmas from ``bot/data/safety/``, optionally combined
with the NLU's own ``crisis``/``abuse`` prediction) and returns a :class:`SafetyFinding`
with a :class:`Tier`: ``clear`` (the full response) or ``possible`` (ask directly first).
The help texts come from per-locale data files (``bot/data/resources/<locale>.yml``),
chosen by ``STEADY_LOCALE``.
"""

from bot.safety.detector import (
    NLU_CHECK_IN,
    NLU_THRESHOLD,
    Risk,
    SafetyFinding,
    Tier,
    assess,
    benchmark,
    warm_up,
)
from bot.safety.resources import (
    DEFAULT_LOCALE,
    Resources,
    crisis_message,
    resources,
    safety_concern_message,
)

__all__ = [
    "DEFAULT_LOCALE",
    "NLU_CHECK_IN",
    "NLU_THRESHOLD",
    "Resources",
    "Risk",
    "SafetyFinding",
    "Tier",
    "assess",
    "benchmark",
    "crisis_message",
    "resources",
    "safety_concern_message",
    "warm_up",
]
