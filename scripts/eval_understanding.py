"""Development figures from the trained NLU alone (no servers): how a set would be understood.

    .venv/bin/python scripts/eval_understanding.py SET.yml [--model PATH] [--quiet]

Quick and in-process, for development sets (tests/data/, or any file in the blind-set
shape). The honest figures come from scripts/blind.py, which talks to the running bot.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from understanding import ROOT, load_set, outcome_of_parse, report  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--model", type=Path)
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args()

    from rasa.core.agent import Agent

    sys.path.insert(0, str(ROOT))
    from harness.model import ensure_model

    agent = Agent.load(str(args.model or ensure_model()))

    async def parse_all(texts):
        return [await agent.parse_message(text) for text in texts]

    for path in args.sets:
        items = load_set(path)
        parses = asyncio.run(parse_all([item.text for item in items]))
        report(str(path), items, [outcome_of_parse(p) for p in parses], show=not args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
