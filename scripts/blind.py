"""Run the newest unspent blind set against the bot over REST, once, and record the figures.

    .venv/bin/python scripts/blind.py               # newest unspent set in tests/blind/
    .venv/bin/python scripts/blind.py NAME          # a given set (tests/blind/NAME.set.yml)
    .venv/bin/python scripts/blind.py --show        # the recorded figures of the newest set
    .venv/bin/python scripts/blind.py --url URL --token TOKEN   # a bot that is already running

The protocol (tests/blind/README.md): a helper who has not seen the project's data, rules
or earlier sets writes tests/blind/NAME.set.yml; this script sends every message as a fresh
conversation to a real Rasa server and action server (started here on free ports, with the
current model, unless --url is given), reads what the bot answered, and writes
tests/blind/NAME.yml: the figures, the targets, and every message's outcome. A set with
figures is spent: it is not run again (--again overrides, for a rerun of the same model
only), and only then may its misses inform the next round.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from understanding import ROOT, Replies, load_set, outcome_of_replies, report  # noqa: E402

BLIND = ROOT / "tests" / "blind"
LOCALE = "intl"


def _natural(path: Path) -> list:
    """ "2026-12-02-round12" after "2026-12-02-round5": numbers compared as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def sets() -> list[Path]:
    """The understanding sets, oldest first (the messy sets are scripts/blind_drafts.py's)."""
    return sorted((p for p in BLIND.glob("*.set.yml") if not p.name.startswith("messy-")),
                  key=_natural)


def figures_path(set_path: Path) -> Path:
    return set_path.with_name(set_path.name[: -len(".set.yml")] + ".yml")


def newest(unspent_only: bool) -> Path:
    candidates = [p for p in sets() if not (unspent_only and figures_path(p).exists())]
    if not candidates:
        raise SystemExit("No unspent blind set in tests/blind/ (see tests/blind/README.md).")
    return candidates[-1]


def _post(url: str, token: str, sender: str, text: str) -> list[dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for attempt in range(3):
        try:
            response = requests.post(f"{url}/webhooks/rest/webhook", headers=headers,
                                     json={"sender": sender, "message": text}, timeout=60)
            response.raise_for_status()
            return response.json()
        except requests.RequestException:
            if attempt == 2:
                raise
            time.sleep(1)
    return []


def run(url: str, token: str, texts: list[str], workers: int = 4) -> list[list[dict]]:
    run_id = uuid.uuid4().hex[:8]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda pair: _post(url, token, f"blind-{run_id}-{pair[0]}", pair[1]),
                             enumerate(texts)))


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", help="a set in tests/blind/ (default: newest unspent)")
    parser.add_argument("--url", help="a running Rasa server (default: start one here)")
    parser.add_argument("--token", default=os.environ.get("STEADY_REST_TOKEN", ""),
                        help="the REST channel's bearer token (STEADY_REST_TOKEN)")
    parser.add_argument("--show", action="store_true", help="print the recorded figures")
    parser.add_argument("--again", action="store_true", help="rerun a spent set")
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args()

    if args.name:
        set_path = BLIND / f"{args.name}.set.yml"
        if not set_path.exists():
            raise SystemExit(f"No blind set {set_path}")
    else:
        set_path = newest(unspent_only=not args.show)
    out = figures_path(set_path)
    if args.show or (out.exists() and not args.again):
        if not out.exists():
            raise SystemExit(f"{set_path.name} has not been run yet.")
        recorded = yaml.safe_load(out.read_text(encoding="utf-8"))
        print(f"{set_path.name} is spent; recorded on {recorded['run']['when']} "
              f"(commit {recorded['run']['commit']}):")
        print(yaml.safe_dump(recorded["figures"], sort_keys=False, allow_unicode=True))
        return 0

    items = load_set(set_path)
    known = Replies.load(LOCALE)
    servers = None
    url, token = args.url, args.token
    if not url:
        from harness.servers import model_path, started

        token = token or uuid.uuid4().hex
        data_dir = Path(tempfile.mkdtemp(prefix="steady-blind-"))
        model = model_path()
        servers = started(model, data_dir, {"STEADY_LOCALE": LOCALE, "STEADY_REST_TOKEN": token})
        url = servers.url
    began = time.monotonic()
    try:
        replies = run(url, token, [item.text for item in items])
    finally:
        if servers is not None:
            servers.stop()
    outcomes = [outcome_of_replies(r, known) for r in replies]
    result = report(set_path.name, items, outcomes, show=not args.quiet)
    record = {
        "set": set_path.name,
        "run": {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "commit": _git("rev-parse", "--short", "HEAD"),
                "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
                "seconds": round(time.monotonic() - began, 1),
                "how": "one fresh conversation per message over REST; real Rasa and action "
                       "servers" + (" started by scripts/blind.py" if servers else f" at {url}")},
        "figures": result,
        "outcomes": [{"n": item.index, "section": item.section,
                      "expected": item.expected or None, "got": outcome}
                     for item, outcome in zip(items, outcomes)],
    }
    out.write_text("# Recorded by scripts/blind.py; the set is now spent.\n"
                   + yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"Recorded in {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
