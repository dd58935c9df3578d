"""A blind set runs once: its figures are recorded beside it and it is then spent.

Shared by the scripts that score one (``scripts/eval_moment.py``, ``scripts/eval_loved.py``).
"""
from __future__ import annotations

import argparse
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "blind"


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("name")
    parser.add_argument("--show", action="store_true", help="print the recorded figures")
    return parser.parse_args()


def already_run(name: str, show: bool) -> Optional[int]:
    """With ``--show`` or once the set has run: print its record and give the exit status;
    None when it is still to run."""
    record = BLIND / f"{name}.yml"
    if not (show or record.exists()):
        return None
    if not record.exists():
        print(f"{record.name}: not run yet")
        return 1
    print(record.read_text())
    if not show:
        print(f"{name} is spent: it ran on {yaml.safe_load(record.read_text())['run']['commit']}")
    return 0


def messages(name: str) -> list:
    return yaml.safe_load((BLIND / f"{name}.set.yml").read_text())["messages"]


def record(name: str, how: str, figures: dict, misses: dict, by: str) -> None:
    """Write the figures and every miss beside the set, with the commit it ran on."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    result = {
        "set": f"{name}.set.yml",
        "run": {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "commit": commit, "how": how},
        "figures": figures,
        **misses,
    }
    path = BLIND / f"{name}.yml"
    path.write_text(f"# Recorded by {by}; the set is now spent.\n"
                    + yaml.safe_dump(result, sort_keys=False, allow_unicode=True, width=100))
    for key, value in figures.items():
        print(f"{key:45} {value}")
    print(f"Recorded in {path}")
