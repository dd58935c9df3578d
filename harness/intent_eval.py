"""How well requests of one feature are understood on a blind set, through the whole trained
pipeline (the safety layer included): ``scripts/eval_loved.py``, ``scripts/eval_routines.py``.

A set (tests/blind/NAME.set.yml) has messages with ``want:`` one of the wanted kinds (each
mapped to the intent it must get) or ``other`` (none of the feature's intents). The first run
records the figures and every miss in tests/blind/NAME.yml; the set is then spent.
"""

from __future__ import annotations

import asyncio
from typing import Mapping, Set

from harness.blind_record import already_run, arguments, messages, record


def _share(part: list, whole: list) -> str:
    return f"{len(part)} of {len(whole)} ({100 * len(part) / max(len(whole), 1):.1f}%)"


def evaluate(title: str, want: Mapping[str, str], new: Set[str], by: str) -> int:
    """Run a set once (its name from the command line) and record: requests understood in all
    and per wanted kind, and other messages pulled into ``new`` intents."""
    args = arguments(title)
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
    asked = [(m, got) for m, got in zip(given, read) if m["want"] in want]
    right = [(m, got) for m, got in asked if got == want[m["want"]]]
    other = [(m, got) for m, got in zip(given, read) if m["want"] not in want]
    pulled = [(m, got) for m, got in other if got in new]

    def of(kind: str, pairs: list) -> list:
        return [pair for pair in pairs if pair[0]["want"] == kind]

    names = ", ".join(k.replace("_", " ") for k in want)
    figures = {f"requests understood ({names})": _share(right, asked)}
    for kind in want:
        figures[f"{kind.replace('_', ' ')} understood"] = _share(of(kind, right), of(kind, asked))
    figures["other messages pulled into the new intents"] = _share(pulled, other)
    record(args.name, f"{by}: the trained pipeline's intent", figures, {
        "missed (wanted, read as)": [f"{m['text']} ({m['want']} -> {got})"
                                     for m, got in asked if got != want[m["want"]]],
        "pulled in (other, read as)": [f"{m['text']} (-> {got})" for m, got in pulled],
    }, by=by)
    return 0
