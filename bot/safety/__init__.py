"""Steady's safety layer: notice crisis or abuse at any moment and point to real help.

``assess`` reads one message (rules on lemmas, optionally combined with the NLU's own
``crisis``/``abuse`` prediction) and returns a :class:`SafetyFinding`. The help texts come
from per-locale data files (``bot/data/resources/<locale>.yml``), chosen by ``STEADY_LOCALE``.
"""
from bot.safety.detector import NLU_THRESHOLD, Risk, SafetyFinding, assess, benchmark, warm_up
from bot.safety.resources import (
    DEFAULT_LOCALE,
    Resources,
    crisis_message,
    resources,
    safety_concern_message,
)

__all__ = [
    "DEFAULT_LOCALE",
    "NLU_THRESHOLD",
    "Resources",
    "Risk",
    "SafetyFinding",
    "assess",
    "benchmark",
    "crisis_message",
    "resources",
    "safety_concern_message",
    "warm_up",
]
