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

import argparse
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.moment import happening_now  # noqa: E402

BLIND = ROOT / "tests" / "blind"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("--show", action="store_true", help="print the recorded figures")
    args = parser.parse_args()
    record = BLIND / f"{args.name}.yml"
    if args.show or record.exists():
        if not record.exists():
            print(f"{record.name}: not run yet")
            return 1
        print(record.read_text())
        if not args.show:
            print(f"{args.name} is spent: it ran on {yaml.safe_load(record.read_text())['run']['commit']}")
        return 0
    messages = yaml.safe_load((BLIND / f"{args.name}.set.yml").read_text())["messages"]
    now = [m for m in messages if m["now"]]
    after = [m for m in messages if not m["now"]]
    found = [m for m in now if happening_now(m["text"])]
    false_alarms = [m for m in after if happening_now(m["text"])]
    right = len(found) + len(after) - len(false_alarms)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    figures = {
        "written while happening, read as now": f"{len(found)} of {len(now)} "
                                                 f"({100 * len(found) / len(now):.1f}%)",
        "told after the fact, read as now": f"{len(false_alarms)} of {len(after)} "
                                            f"({100 * len(false_alarms) / len(after):.1f}%)",
        "accuracy": f"{right} of {len(messages)} ({100 * right / len(messages):.1f}%)",
    }
    result = {
        "set": f"{args.name}.set.yml",
        "run": {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "commit": commit, "how": "scripts/eval_moment.py: bot.moment.happening_now"},
        "figures": figures,
        "missed (now, read as after)": [m["text"] for m in now if m not in found],
        "false alarms (after, read as now)": [m["text"] for m in false_alarms],
    }
    record.write_text("# Recorded by scripts/eval_moment.py; the set is now spent.\n"
                      + yaml.safe_dump(result, sort_keys=False, allow_unicode=True, width=100))
    for key, value in figures.items():
        print(f"{key:45} {value}")
    print(f"Recorded in {record}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
