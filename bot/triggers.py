"""The nine triggers from the brief, plus ``other``, and how the NLU names them.

Each trigger is a Rasa intent called ``trigger_<name>``; this module is the one
place that maps between intent names, canonical names and words a person reads.
"""
from __future__ import annotations

from typing import Optional

TRIGGERS: dict[str, str] = {
    "late_without_notice": "coming home late without a heads-up",
    "slow_replies": "slow or fewer replies",
    "cancelled_plans": "cancelled plans",
    "preoccupied": "seeming distant or absorbed",
    "attention_elsewhere": "attention going elsewhere",
    "forgotten_date": "a forgotten date",
    "unnoticed_change": "a change that went unnoticed",
    "work_travel": "work travel",
    "low_affection": "little affection",
    "other": "something else",
}

INTENT_PREFIX = "trigger_"


def trigger_from_intent(intent: Optional[str]) -> Optional[str]:
    """``trigger_slow_replies`` -> ``slow_replies``; anything else -> None."""
    if not intent or not intent.startswith(INTENT_PREFIX):
        return None
    name = intent[len(INTENT_PREFIX):]
    return name if name in TRIGGERS else None


def label(trigger_type: Optional[str]) -> str:
    return TRIGGERS.get(trigger_type or "other", TRIGGERS["other"])
