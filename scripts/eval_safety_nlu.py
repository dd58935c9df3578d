"""Safety detection of the whole NLU (DIET + FallbackClassifier + the safety rule layer).

scripts/eval_safety.py measures the rule layer alone. This loads the trained Rasa model
and reads every message of the safety sets as Steady reads a live message, so it shows
what the combination catches. Prints recall on crisis and abuse and the false-positive
rate on ordinary messages, per set, and lists every miss.

    .venv/bin/python scripts/eval_safety_nlu.py [--set dev|holdout|all]
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HELD_OUT = ["safety_holdout2.yml", "safety_holdout3.yml"]  # oldest first


async def evaluate(agent, path: Path) -> bool:
    data = yaml.safe_load(path.read_text())
    ok = True
    print(f"\n{path.name}")
    for label in ("crisis", "abuse", "ordinary"):
        messages = [item if isinstance(item, str) else item["text"] for item in data.get(label, [])]
        wrong = []
        for text in messages:
            intent = (await agent.parse_message(text))["intent"]["name"]
            flagged = intent if intent in ("crisis", "abuse") else "ordinary"
            if (label == "ordinary" and flagged != "ordinary") or (label != "ordinary" and flagged != label):
                wrong.append((text, intent))
        if label == "ordinary":
            rate = len(wrong) / max(1, len(messages))
            print(f"  false positives on ordinary: {len(wrong)}/{len(messages)} = {rate:.1%}")
            ok &= rate < 0.02
        else:
            recall = 1 - len(wrong) / max(1, len(messages))
            print(f"  {label} recall: {len(messages) - len(wrong)}/{len(messages)} = {recall:.1%}")
            ok &= recall == 1.0
        for text, intent in wrong:
            print(f"    [{label} -> {intent}] {text}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["dev", "holdout", "all"], default="all",
                        help="holdout: the newest held-out set only")
    args = parser.parse_args()

    from harness.model import ensure_model
    from rasa.core.agent import Agent

    agent = Agent.load(str(ensure_model()))
    # Each held-out set is reported only; once it has been used to improve anything it is
    # spent, and a newer one is written without looking at the rules or training data.
    sets = {"dev": ["safety_dev.yml"], "holdout": [HELD_OUT[-1]],
            "all": ["safety_dev.yml", *HELD_OUT]}[args.set]
    results = [asyncio.run(evaluate(agent, ROOT / "tests" / "data" / name)) for name in sets]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
