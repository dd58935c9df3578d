"""Rasa SDK actions: thin adapters between Rasa's conversation and the ``bot`` library.

The action server imports this package once at start; every action module (and through them
the language, safety and storage code) is loaded here, so that what they load can be frozen
out of the garbage collector's full scans (``bot/plugins/gc_freeze.py``). Drafts retention
is scheduled here too: at start, then hourly.
"""

from actions import (  # noqa: F401
    checkins,
    common,
    drafts,
    fallback,
    loved,
    reflection,
    review,
    routines,
    safety,
)
from bot.plugins.gc_freeze import freeze_loaded

common.schedule_drafts_retention()
freeze_loaded()
