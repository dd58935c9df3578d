"""Median time of the language work per message: the "you" rewrite plus the gentle check.

Target (issue 3): both together under 5 ms median for a 40-word message on this machine.
Target (issue 21): the whole of what the reflection does before a draft (the observation
found, guarded and vouched for, the draft composed and checked) under 5 ms median per
message, over the spent blind messy messages (each message read afresh, the best of three
passes), printed beside a baseline measured in the same run: spaCy's own pipeline
(tokenizer and lemmatizer) over the same messages. The pipeline is loaded once, before
timing.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.drafting import compose_draft, to_second_person  # noqa: E402
from bot.language.gentle import check_draft  # noqa: E402
from bot.language.vouch import warm_up  # noqa: E402
from bot.language.nlp import get_nlp  # noqa: E402
from bot.language.vouch import proposal  # noqa: E402
from bot.timing import median_ms  # noqa: E402

MESSAGE = (
    "ugh so basically my boyfriend said he would be home by seven and then nothing, no text, "
    "no call, and he walked in at eleven like nothing happened and when i asked him he said "
    "he was busy and im freaking out"
)
RUNS = 300
BLIND = Path(__file__).resolve().parent.parent / "tests" / "blind"
PASSES = 3


def spent_messy_messages() -> list[str]:
    """Every message of the messy sets already run (their results are recorded)."""
    texts: list[str] = []
    for path in sorted(BLIND.glob("messy-round*.set.yml")):
        if path.with_name(path.name.replace(".set.yml", ".yml")).exists():
            texts += [m["text"] for m in yaml.safe_load(path.read_text())["messages"]]
    return texts


def reflection(text: str) -> None:
    """What the reflection does with a situation before the person sees a draft."""
    line = proposal(text)
    check_draft(compose_draft(text, "scared", observation=line) if line else compose_draft(text, "scared"))


def per_message(function, texts: list[str]) -> float:
    """Median over the messages of each one's best time of PASSES passes, in ms."""
    passes = []
    for _ in range(PASSES):
        timings = []
        for text in texts:
            began = time.perf_counter()
            function(text)
            timings.append((time.perf_counter() - began) * 1000)
        passes.append(timings)
    return statistics.median(min(times) for times in zip(*passes))


def both(text: str) -> None:
    check_draft(compose_draft(text, "scared"))


if __name__ == "__main__":
    words = len(MESSAGE.split())
    rewrite = median_ms(to_second_person, MESSAGE, runs=RUNS)
    draft = compose_draft(MESSAGE, "scared")
    check = median_ms(check_draft, draft, runs=RUNS)
    together = median_ms(both, MESSAGE, runs=RUNS)
    print(f"{words}-word message, median of {RUNS} runs after warm-up:")
    print(f"  to_second_person           {rewrite:6.2f} ms")
    print(f"  check_draft                {check:6.2f} ms")
    print(f"  compose_draft + check      {together:6.2f} ms   (target < 5 ms: "
          f"{'met' if together < 5 else 'MISSED'})")
    warm_up()
    texts = spent_messy_messages()
    if texts:
        warm = texts[-50:]
        for text in warm:
            reflection(text)
        nlp = get_nlp()
        whole_set = per_message(reflection, texts)
        spacy_alone = per_message(nlp, texts)
        print(f"{len(texts)} spent blind messy messages, median per message (best of {PASSES}):")
        print(f"  spaCy's pipeline alone (baseline)              {spacy_alone:6.2f} ms")
        print(f"  proposal + draft + check (the reflection)      {whole_set:6.2f} ms   "
              f"({whole_set / spacy_alone:.1f}x the baseline; target < 5 ms: "
              f"{'met' if whole_set < 5 else 'MISSED'})")
