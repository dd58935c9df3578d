#!/usr/bin/env python
"""What helps me feel loved (issue 18, part 2): how well its requests are understood on a
blind set, through the whole trained pipeline (the safety layer included).

    .venv/bin/python scripts/eval_loved.py loved-round1         # once: records the figures
    .venv/bin/python scripts/eval_loved.py loved-round1 --show  # the recorded figures

A set (tests/blind/NAME.set.yml) is written by a helper who has seen neither the training
data nor the rules (brief: tests/blind/LOVED-WRITER.md): messages with ``want:``
``show_or_make`` (intent feel_loved), ``share`` (share_loved) or ``other`` (neither: the
near-misses are a partner's lack of affection, which must stay a trigger). The first run
records the figures and every miss in tests/blind/NAME.yml; the set is then spent
(``harness/intent_eval.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.intent_eval import evaluate  # noqa: E402

WANT = {"show_or_make": "feel_loved", "share": "share_loved"}
NEW = {"feel_loved", "share_loved", "loved_kind"}

if __name__ == "__main__":
    sys.exit(evaluate(__doc__.splitlines()[0], WANT, NEW, by="scripts/eval_loved.py"))
