"""Evaluate Steady's safety rules on the development set (and the held-out set, separately).

    .venv/bin/python scripts/eval_safety.py [--holdout] [--latency]

Prints recall on crisis and abuse, the false-positive rate on ordinary messages, and every
miss, wrong risk and false positive. Exits 1 if the development set misses its targets
(100 % recall on crisis and abuse, under 2 % false positives on ordinary messages). The
held-out set (tests/data/safety_holdout2.yml, written after the rules were frozen) is
reported with --holdout but never fails the run: it is there to estimate, not to tune on.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.safety import Risk, assess, benchmark  # noqa: E402

DEV = ROOT / "tests" / "data" / "safety_dev.yml"
HOLDOUT = ROOT / "tests" / "data" / "safety_holdout2.yml"
# The first held-out set (safety_holdout.yml) was spent and moved into safety_dev.yml.
RECALL_TARGET = 1.0
FP_TARGET = 0.02
EXPECTED = {"crisis": Risk.crisis, "abuse": Risk.abuse, "ordinary": Risk.none}


@dataclass
class Report:
    name: str
    counts: dict = field(default_factory=dict)
    hits: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def rate(self, label: str) -> float:
        return self.hits.get(label, 0) / max(1, self.counts.get(label, 0))


def load(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {label: list(data.get(label) or []) for label in EXPECTED}


def evaluate(name: str, data: dict[str, list[str]]) -> Report:
    report = Report(name)
    for label, expected in EXPECTED.items():
        report.counts[label] = len(data[label])
        report.hits[label] = 0
        for text in data[label]:
            finding = assess(text)
            if label == "ordinary":
                if finding.risk is not Risk.none:
                    report.hits[label] += 1  # a false positive
                    report.problems.append(("false positive", label, text, finding))
            elif finding.risk is expected:
                report.hits[label] += 1
            else:
                kind = "missed" if finding.risk is Risk.none else "wrong risk"
                report.problems.append((kind, label, text, finding))
    return report


def show(report: Report) -> bool:
    crisis, abuse, fp = report.rate("crisis"), report.rate("abuse"), report.rate("ordinary")
    print(f"== {report.name}")
    print(f"crisis recall   {crisis:7.1%}  ({report.hits['crisis']}/{report.counts['crisis']})")
    print(f"abuse recall    {abuse:7.1%}  ({report.hits['abuse']}/{report.counts['abuse']})")
    print(f"false positives {fp:7.1%}  ({report.hits['ordinary']}/{report.counts['ordinary']} "
          f"ordinary messages flagged)")
    for kind, label, text, finding in report.problems:
        got = finding.risk.value if finding.risk is not Risk.none else "none"
        detail = f" [{finding.cue}: {finding.matched!r}]" if finding.cue else ""
        print(f"  {kind:14} expected {label:8} got {got:6}{detail}  {text}")
    ok = crisis >= RECALL_TARGET and abuse >= RECALL_TARGET and fp < FP_TARGET
    print("targets met" if ok else "TARGETS MISSED", end="\n\n")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true",
                        help="also report the held-out set (never fails the run)")
    parser.add_argument("--latency", action="store_true",
                        help="also print the median assess() latency on a 40-word message")
    args = parser.parse_args()
    ok = show(evaluate(f"development set ({DEV.relative_to(ROOT)})", load(DEV)))
    if args.holdout and HOLDOUT.is_file():
        show(evaluate(f"held-out set ({HOLDOUT.relative_to(ROOT)}), reported only",
                      load(HOLDOUT)))
    if args.latency:
        print(f"median assess() latency, 40-word message: {benchmark():.3f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
