"""Drafts from messy messages, in process: quick development figures for issue 21.

    .venv/bin/python scripts/eval_observation.py                 # all spent messy-round sets
    .venv/bin/python scripts/eval_observation.py tests/blind/messy-round3.set.yml --misses

Each message goes through what the reflection does before the draft, without servers:
``about_someone_else``; ``bot.language.vouch.proposal`` (a clause the guard or the vouch finds
broken is not shown: the person is asked for their own words and, as in
``scripts/blind_drafts.py``, types the examiner's observation); ``compose_draft`` with the
feeling "scared". It is then scored with ``scripts/blind_drafts.score`` (the same checks and
``keeps_fact`` as the blind run, imported, not copied).

The NLU, the safety check-ins and the conversation around the draft are not run, so these
are development figures on spent sets, never the figures we report (a fresh blind set run
once with ``scripts/blind_drafts.py`` is).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import yaml  # noqa: E402

from blind_drafts import as_typed, score  # noqa: E402
from bot.drafting import compose_draft  # noqa: E402
from bot.language.draft_guard import words_of  # noqa: E402
from bot.language.observation import about_someone_else  # noqa: E402
from bot.language.vouch import proposal  # noqa: E402

BLIND = ROOT / "tests" / "blind"
#: Spent sets: their misses are development data (tests/blind/README.md).
SPENT = [BLIND / f"messy-round{n}.set.yml" for n in range(1, 13)]
MAX_SITUATION_CHARS = 5000  # as actions/reflection.py


def converse(item: dict) -> dict:
    """What the reflection would show for one message, as ``blind_drafts.converse`` records."""
    text = str(item["text"])
    seen: dict = {"asked_own": False, "proposed": None, "draft": None, "someone_else": False,
                  "check_in": False}
    situation = text.strip()[:MAX_SITUATION_CHARS]
    if about_someone_else(situation):
        seen["someone_else"] = True
        return seen
    proposed = proposal(situation)
    seen["proposed"] = proposed
    if proposed is None:
        seen["asked_own"] = True
    observation = proposed or as_typed(item.get("observation"))
    seen["draft"] = compose_draft(situation, "scared", observation=observation)
    return seen


def evaluate(paths: list[Path]) -> tuple[dict, list[tuple[str, dict, dict, dict]]]:
    partner, others, misses = [], [], []
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
            seen = converse(item)
            if item.get("partner", True):
                checks = score(item, seen)
                partner.append((item, seen, checks))
                if not checks.get("every_check"):
                    misses.append((path.name, item, seen, checks))
            else:
                others.append((item, seen))
    drafts = [(i, s, c) for i, s, c in partner if c["draft"]]
    words = sorted(len(words_of(s["proposed"])) for _, s, _ in drafts if s["proposed"])

    def share(count: int, total: int) -> str:
        return f"{count} of {total} ({100 * count / max(1, total):.1f}%)"

    figures = {
        "messages about their own partner": len(partner),
        "a draft came back": share(len(drafts), len(partner)),
        "asked to put it their way (guard, vouch or nothing found)": share(
            sum(s["asked_own"] for _, s, _ in partner), len(partner)),
        "drafts: faithful": share(sum(c["faithful"] for _, _, c in drafts), len(drafts)),
        "drafts: faithful on Steady's own proposal": share(
            sum(c["faithful"] and not s["asked_own"] for _, s, c in drafts), len(drafts)),
        "drafts acceptable on every check": share(
            sum(c["every_check"] for _, _, c in drafts), len(drafts)),
        "messages about someone else told so, no draft": share(
            sum(s["someone_else"] and not s["draft"] for _, s in others), len(others)),
        "partner messages wrongly told it's someone else": sum(
            s["someone_else"] for _, s, _ in partner),
        "proposal words (median / max)": f"{words[len(words) // 2] if words else 0} / "
                                         f"{words[-1] if words else 0}",
    }
    return figures, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="set files (default: spent rounds)")
    parser.add_argument("--misses", action="store_true", help="print every draft that fails")
    args = parser.parse_args()
    figures, misses = evaluate(args.sets or SPENT)
    if args.misses:
        for name, item, seen, checks in misses:
            failed = [kind for kind, ok in checks.items() if not ok and kind != "every_check"]
            print(f"{name}: {item['text']}\n  facts:    {item.get('key_facts')}\n"
                  f"  proposed: {seen['proposed']}\n  failed:   {', '.join(failed)}")
    for key, value in figures.items():
        print(f"{key:55} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
