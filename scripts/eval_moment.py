#!/usr/bin/env python
"""In the moment (bot/moment.py): how well "is it happening now?" is read on a blind set.

    .venv/bin/python scripts/eval_moment.py moment-round1         # once: records the figures
    .venv/bin/python scripts/eval_moment.py moment-round1 --show  # the recorded figures

A set (tests/blind/NAME.set.yml) is written by a helper who has not seen bot/data/moment.yml
(brief: tests/blind/MOMENT-WRITER.md): messages with ``now: true`` (written while it is
happening) or ``now: false`` (told after the fact). The first run records the figures and
every miss in tests/blind/NAME.yml; the set is then spent (learn from it only afterwards).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.moment import happening_now  # noqa: E402
from harness.blind_record import already_run, arguments, messages, record  # noqa: E402


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    done = already_run(args.name, args.show)
    if done is not None:
        return done
    given = messages(args.name)
    now = [m for m in given if m["now"]]
    after = [m for m in given if not m["now"]]
    found = [m for m in now if happening_now(m["text"])]
    false_alarms = [m for m in after if happening_now(m["text"])]
    right = len(found) + len(after) - len(false_alarms)
    figures = {
        "written while happening, read as now": f"{len(found)} of {len(now)} "
                                                 f"({100 * len(found) / len(now):.1f}%)",
        "told after the fact, read as now": f"{len(false_alarms)} of {len(after)} "
                                            f"({100 * len(false_alarms) / len(after):.1f}%)",
        "accuracy": f"{right} of {len(given)} ({100 * right / len(given):.1f}%)",
    }
    record(args.name, "scripts/eval_moment.py: bot.moment.happening_now", figures, {
        "missed (now, read as after)": [m["text"] for m in now if m not in found],
        "false alarms (after, read as now)": [m["text"] for m in false_alarms],
    }, by="scripts/eval_moment.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
