#!/usr/bin/env python
"""Routines we agree on (issue 18, part 3): how well asking for the routines and telling where
one stands are understood on a blind set, through the whole trained pipeline (the safety
layer included).

    .venv/bin/python scripts/eval_routines.py routines-round1         # once: records
    .venv/bin/python scripts/eval_routines.py routines-round1 --show  # the recorded figures

A set (tests/blind/NAME.set.yml) is written by a helper who has seen neither the training
data nor the rules (brief: tests/blind/ROUTINES-WRITER.md): messages with ``want:``
``show_or_propose`` (intent routines), ``status`` (routine_status) or ``other`` (neither:
the near-misses are agreements kept badly, which are triggers, and one's own daily routine).
The first run records the figures and every miss in tests/blind/NAME.yml; the set is then
spent (``harness/intent_eval.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.intent_eval import evaluate  # noqa: E402

WANT = {"show_or_propose": "routines", "status": "routine_status"}
NEW = {"routines", "routine_status", "routine_kind"}

if __name__ == "__main__":
    sys.exit(evaluate(__doc__.splitlines()[0], WANT, NEW, by="scripts/eval_routines.py"))
