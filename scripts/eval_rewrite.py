"""How well ``bot.drafting.to_second_person`` turns a description to "you", and how fast.

Reads tests/data/second_person_pairs.yml and prints:

* exact-match accuracy over all pairs (known misses count as misses);
* every miss, with the input, the expected and the actual clause, and the reason when
  the pair is marked ``known_miss``; a known miss that now passes is listed too, so its
  mark can be removed;
* the median time per call for a 40-word message, after warm-up.

    .venv/bin/python scripts/eval_rewrite.py [--pairs PATH] [--runs 500]

Exits non-zero when accuracy is below 95% or a miss is not marked as known.
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

import yaml  # noqa: E402

from bot.drafting import to_second_person  # noqa: E402
from bot.timing import median_ms  # noqa: E402

PAIRS_PATH = ROOT / "tests" / "data" / "second_person_pairs.yml"
MIN_ACCURACY = 0.95

# A realistic 40-word vent: a run-on with a name, typos, a clitic and a trailing reaction.
FORTY_WORDS = (
    "ugh so jake said hed call me after his shift and its been 4 hours and nothing, i can "
    "see hes online and he still isnt answering my texts or calls and im freaking out and "
    "idk what to do"
)


def evaluate(pairs: list[dict]) -> tuple[int, list[tuple[dict, str]], list[dict]]:
    """Exact matches, misses (pair, actual) and known misses that now pass."""
    hits, misses, fixed = 0, [], []
    for pair in pairs:
        actual = to_second_person(pair["input"])
        if actual == pair["expected"]:
            hits += 1
            if pair.get("known_miss"):
                fixed.append(pair)
        else:
            misses.append((pair, actual))
    return hits, misses, fixed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS_PATH)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()

    pairs = yaml.safe_load(args.pairs.read_text(encoding="utf-8"))["pairs"]
    hits, misses, fixed = evaluate(pairs)
    accuracy = hits / len(pairs)
    print(f"exact match: {hits}/{len(pairs)} = {accuracy:.1%}")

    unexplained = [pair for pair, _ in misses if not pair.get("known_miss")]
    print(f"misses: {len(misses)} ({len(misses) - len(unexplained)} known, {len(unexplained)} not)")
    for pair, actual in misses:
        reason = pair.get("known_miss")
        print(f"\n  [{pair['id']}] {'known: ' + reason if reason else 'NOT A KNOWN MISS'}")
        print(f"    input:    {pair['input']}")
        print(f"    expected: {pair['expected']}")
        print(f"    actual:   {actual}")
    for pair in fixed:
        print(f"\n  [{pair['id']}] marked known_miss but now passes: remove the mark")

    words = len(FORTY_WORDS.split())
    ms = median_ms(to_second_person, FORTY_WORDS, runs=args.runs)
    print(
        f"\nmedian time per call, {words}-word message, "
        f"{args.runs} runs after warm-up: {ms:.2f} ms"
    )
    print(f"  -> {to_second_person(FORTY_WORDS)!r}")

    ok = accuracy >= MIN_ACCURACY and not unexplained and not fixed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
