#!/usr/bin/env python
"""What helps me feel loved (issue 18, part 2): how well its requests are understood on a
blind set, through the whole trained pipeline (the safety layer included).

    .venv/bin/python scripts/eval_loved.py loved-round1         # once: records the figures
    .venv/bin/python scripts/eval_loved.py loved-round1 --show  # the recorded figures

A set (tests/blind/NAME.set.yml) is written by a helper who has seen neither the training
data nor the rules (brief: tests/blind/LOVED-WRITER.md): messages with ``want:``
``show_or_make`` (intent feel_loved), ``share`` (share_loved) or ``other`` (neither: the
near-misses are a partner's lack of affection, which must stay a trigger). The first run
records the figures and every miss in tests/blind/NAME.yml; the set is then spent.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BLIND = ROOT / "tests" / "blind"
WANT = {"show_or_make": "feel_loved", "share": "share_loved"}
NEW = {"feel_loved", "share_loved", "loved_kind"}


def _share(part: list, whole: list) -> str:
    return f"{len(part)} of {len(whole)} ({100 * len(part) / max(len(whole), 1):.1f}%)"


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
        return 0
    from rasa.core.agent import Agent

    from bot.plugins import speedups
    from harness.model import ensure_model

    speedups.install()
    messages = yaml.safe_load((BLIND / f"{args.name}.set.yml").read_text())["messages"]
    agent = Agent.load(str(ensure_model()))

    async def read_all() -> list:
        return [(await agent.parse_message(m["text"]))["intent"]["name"] for m in messages]

    read = asyncio.run(read_all())
    asked = [(m, got) for m, got in zip(messages, read) if m["want"] in WANT]
    right = [(m, got) for m, got in asked if got == WANT[m["want"]]]
    other = [(m, got) for m, got in zip(messages, read) if m["want"] not in WANT]
    pulled = [(m, got) for m, got in other if got in NEW]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    figures = {
        "requests understood (show or make, share)": _share(right, asked),
        "show or make understood": _share(
            [p for p in right if p[0]["want"] == "show_or_make"],
            [p for p in asked if p[0]["want"] == "show_or_make"]),
        "share understood": _share(
            [p for p in right if p[0]["want"] == "share"],
            [p for p in asked if p[0]["want"] == "share"]),
        "other messages pulled into the new intents": _share(pulled, other),
    }
    result = {
        "set": f"{args.name}.set.yml",
        "run": {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "commit": commit, "how": "scripts/eval_loved.py: the trained pipeline's intent"},
        "figures": figures,
        "missed (wanted, read as)": [f"{m['text']} ({m['want']} -> {got})"
                                     for m, got in asked if got != WANT[m["want"]]],
        "pulled in (other, read as)": [f"{m['text']} (-> {got})" for m, got in pulled],
    }
    record.write_text("# Recorded by scripts/eval_loved.py; the set is now spent.\n"
                      + yaml.safe_dump(result, sort_keys=False, allow_unicode=True, width=100))
    for key, value in figures.items():
        print(f"{key:45} {value}")
    print(f"Recorded in {record}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
