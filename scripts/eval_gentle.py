"""How well the gentle-language check does on its development set, and how fast it is.

Prints, for each finding kind, draft-level precision and recall (a draft counts for a kind
when the kind is expected / found anywhere in it), the exact-match rate (the set of kinds
found equals the set expected), the drafts that missed, the rewrites that differ, and the
median time of check_draft on a 40-word draft after warm-up.

    .venv/bin/python scripts/eval_gentle.py [--dev tests/data/gentle_dev.yml] [--runs 2000]

Exits non-zero when any expected `rewrite` differs, so it can gate a change.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.language.gentle import KINDS, check_draft, suggest_rewrite  # noqa: E402
from bot.timing import median_ms  # noqa: E402

DEV = ROOT / "tests" / "data" / "gentle_dev.yml"

# 40 words, the shape of a real draft with a few findings in it.
TIMING_DRAFT = (
    "When you came home at midnight without a text, you made me feel so abandoned, and "
    "honestly I felt like you don't care. You always do this, and if you don't start "
    "answering my calls I'm done, so tell me where you are."
)


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["drafts"]


def evaluate(drafts: list[dict]) -> dict:
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in KINDS}
    misses, rewrite_misses = [], []
    exact = 0
    for draft in drafts:
        text = draft["text"]
        expected = set(draft.get("kinds") or [])
        findings = check_draft(text)
        found = {finding.kind for finding in findings}
        for kind in KINDS:
            if kind in expected and kind in found:
                counts[kind]["tp"] += 1
            elif kind in found:
                counts[kind]["fp"] += 1
            elif kind in expected:
                counts[kind]["fn"] += 1
        if found == expected:
            exact += 1
        else:
            misses.append((text, expected, found, findings))
        if "rewrite" in draft:
            got = suggest_rewrite(text, findings)
            if got != draft["rewrite"]:
                rewrite_misses.append((text, draft["rewrite"], got))
    return {"counts": counts, "exact": exact, "total": len(drafts), "misses": misses,
            "rewrite_misses": rewrite_misses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()

    drafts = load(args.dev)
    result = evaluate(drafts)
    good = sum(1 for draft in drafts if not draft.get("kinds"))
    print(f"Gentle-language check on {args.dev.name}: {result['total']} drafts "
          f"({good} good, {result['total'] - good} with findings)\n")
    print(f"{'kind':<20} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind, c in result["counts"].items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"{kind:<20} {precision:>9.2f} {recall:>7.2f} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4}")
    print(f"\nexact match (set of kinds): {result['exact']}/{result['total']} "
          f"= {result['exact'] / result['total']:.1%}")

    if result["misses"]:
        print("\nMisses:")
        for text, expected, found, findings in result["misses"]:
            print(f"- {text!r}")
            print(f"    expected {sorted(expected)}, found {sorted(found)}")
            for finding in findings:
                print(f"    {finding.kind}: {finding.text!r}")
    if result["rewrite_misses"]:
        print("\nRewrites that differ:")
        for text, want, got in result["rewrite_misses"]:
            print(f"- {text!r}\n    want {want!r}\n    got  {got!r}")

    words = len(TIMING_DRAFT.split())
    print(f"\ncheck_draft median on a {words}-word draft after warm-up: "
          f"{median_ms(check_draft, TIMING_DRAFT, runs=args.runs):.2f} ms ({args.runs} runs)")
    return 1 if result["rewrite_misses"] else 0


if __name__ == "__main__":
    sys.exit(main())
