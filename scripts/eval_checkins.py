#!/usr/bin/env python
"""Check-ins that come back (issue 18, part 5): how well asking for a reminder, for the weekly
question, to stop them and to see them is understood on a blind set, through the whole
trained pipeline (the safety layer included).

    .venv/bin/python scripts/eval_checkins.py checkins-round1         # once: records
    .venv/bin/python scripts/eval_checkins.py checkins-round1 --show  # the recorded figures

A set (tests/blind/NAME.set.yml) is written by a helper who has seen neither the training
data nor the rules (brief: tests/blind/CHECKINS-WRITER.md): messages with ``want:``
``remind`` (intent remind_me), ``weekly`` (weekly_checkin), ``stop`` (stop_checkins),
``show`` (show_checkins) or ``other`` (none of them: the near-misses are "remind me why I
bother", a partner who never checks in, the routines' own daily check-in, stopping a
reflection). The first run records the figures and every miss in tests/blind/NAME.yml; the
set is then spent (``harness/intent_eval.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.intent_eval import evaluate  # noqa: E402

WANT = {"remind": "remind_me", "weekly": "weekly_checkin", "stop": "stop_checkins",
        "show": "show_checkins"}
NEW = set(WANT.values())

if __name__ == "__main__":
    sys.exit(evaluate(__doc__.splitlines()[0], WANT, NEW, by="scripts/eval_checkins.py"))
