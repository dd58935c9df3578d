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

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.blind_record import already_run, arguments, messages, record  # noqa: E402

WANT = {"show_or_make": "feel_loved", "share": "share_loved"}
NEW = {"feel_loved", "share_loved", "loved_kind"}


def _share(part: list, whole: list) -> str:
    return f"{len(part)} of {len(whole)} ({100 * len(part) / max(len(whole), 1):.1f}%)"


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    done = already_run(args.name, args.show)
    if done is not None:
        return done
    from rasa.core.agent import Agent

    from bot.plugins import speedups
    from harness.model import ensure_model

    speedups.install()
    given = messages(args.name)
    agent = Agent.load(str(ensure_model()))

    async def read_all() -> list:
        return [(await agent.parse_message(m["text"]))["intent"]["name"] for m in given]

    read = asyncio.run(read_all())
    asked = [(m, got) for m, got in zip(given, read) if m["want"] in WANT]
    right = [(m, got) for m, got in asked if got == WANT[m["want"]]]
    other = [(m, got) for m, got in zip(given, read) if m["want"] not in WANT]
    pulled = [(m, got) for m, got in other if got in NEW]

    def of(want: str, pairs: list) -> list:
        return [pair for pair in pairs if pair[0]["want"] == want]

    figures = {
        "requests understood (show or make, share)": _share(right, asked),
        "show or make understood": _share(of("show_or_make", right), of("show_or_make", asked)),
        "share understood": _share(of("share", right), of("share", asked)),
        "other messages pulled into the new intents": _share(pulled, other),
    }
    record(args.name, "scripts/eval_loved.py: the trained pipeline's intent", figures, {
        "missed (wanted, read as)": [f"{m['text']} ({m['want']} -> {got})"
                                     for m, got in asked if got != WANT[m["want"]]],
        "pulled in (other, read as)": [f"{m['text']} (-> {got})" for m, got in pulled],
    }, by="scripts/eval_loved.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
