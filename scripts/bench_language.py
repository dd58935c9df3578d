"""Median time of the language work per message: the "you" rewrite plus the gentle check.

Target (issue 3): both together under 5 ms median for a 40-word message on this machine.
The pipeline is loaded once, before timing.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.drafting import compose_draft, to_second_person  # noqa: E402
from bot.language.gentle import check_draft  # noqa: E402
from bot.language.draft_guard import check_observation  # noqa: E402
from bot.language.observation import find_observation  # noqa: E402
from bot.language.vouch import vouches, warm_up  # noqa: E402
from bot.timing import median_ms  # noqa: E402

MESSAGE = (
    "ugh so basically my boyfriend said he would be home by seven and then nothing, no text, "
    "no call, and he walked in at eleven like nothing happened and when i asked him he said "
    "he was busy and im freaking out"
)
RUNS = 300




def both(text: str) -> None:
    check_draft(compose_draft(text, "scared"))


def observed(text: str) -> None:
    """What the reflection does before the draft (issue 21): find the observation, guard it,
    vouch for it, compose with it and run the gentle check. (The vouch holds this message's
    line back, and then the person's own words are composed instead: composed with the line
    here all the same, so each run does the whole of the work.)"""
    clause = find_observation(text).clause
    check_observation(clause)
    vouches(text, clause)
    check_draft(compose_draft(text, "scared", observation=clause))


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
    whole = median_ms(observed, MESSAGE, runs=RUNS)
    print(f"  observation + guard + vouch + draft + check {whole:6.2f} ms   (target < 5 ms: "
          f"{'met' if whole < 5 else 'MISSED'})")
