"""Drafts from messy messages, measured on a blind set: each message through a whole reflection.

    .venv/bin/python scripts/blind_drafts.py NAME      # tests/blind/NAME.set.yml, once
    .venv/bin/python scripts/blind_drafts.py NAME --show
    .venv/bin/python scripts/blind_drafts.py path/to/dev.yml   # a development set, any time

The set (written by a helper who never saw the project; see tests/blind/README.md) has
``messages``: ``{text, observation, key_facts, partner}``. Each message opens a fresh
conversation over REST with real Rasa and action servers; the reflection is answered
plainly (I'm ready, the likeliest pattern, "scared", skip, skip, skip, skip) and the
observation shown before the draft is accepted with "Yes". When Steady asks the person to
put it their way instead, the examiner's own observation is typed (and counted). A safety
check-in is answered "No", as the person would, and counted (from messy-round3 on; before,
a check-in ended the conversation without a draft).

Scored for each draft, as any reader would: it came back; the observation passes the
grammar guard (bot.language.draft_guard: at most 30 words, "you" throughout, a statement,
no chat tags or emoji, agreement); the examiner's key facts are kept. Messages about
someone else (``partner: false``) must be told kindly that Steady is for their own
relationship, with no draft. The figures go to tests/blind/NAME.yml; the set is spent.
"""
from __future__ import annotations

import argparse
from typing import Optional
import datetime as dt
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from blind import BLIND, _git, _post, figures_path  # noqa: E402
from understanding import ROOT  # noqa: E402

sys.path.insert(0, str(ROOT))
from bot.language.draft_guard import check_draft, keeps_fact, observation_of  # noqa: E402

ANSWERS = [  # (what Steady's last message contains, what the person sends)
    ("closest to what happened", None),  # pressed: the first (likeliest) pattern
    ("Breathe in for four", "/done_pausing"),
    ("What are you feeling", "scared"),
    ("What story is the fear", "/skip"),
    ("part of you that knows", "/skip"),
    # in the moment (bot/moment.py): go on with the message now
    ("Shall we go on with it", "/affirm"),
    ("What do you need most", "/skip"),
    ("small, concrete request", "/skip"),
    ("Is that it?", "/affirm"),
]
ASKED_OWN = "How would you put what happened"
# A safety check-in on a message with no danger in it: the person answers "No", as anyone
# would, and Steady goes on with their message (counted: a check-in is a cost to them).
CHECK_INS = ("are you thinking about ending your life", "are you afraid of your")
SOMEONE_ELSE = "about someone else"


def converse(url: str, token: str, sender: str, item: dict) -> dict:
    """Take one message through the reflection; what happened along the way."""
    replies = _post(url, token, sender, item["text"])
    seen: dict = {"asked_own": False, "proposed": None, "draft": None, "someone_else": False,
                  "check_in": False}
    for _ in range(14):
        shown = "\n".join(r.get("text") or "" for r in replies)
        if any(cue in shown for cue in CHECK_INS) and not seen["check_in"]:
            seen["check_in"] = True
            replies = _post(url, token, sender, "/deny")
            continue
        if SOMEONE_ELSE in shown:
            seen["someone_else"] = True
            return seen
        draft = next((r["text"] for r in replies if (r.get("text") or "").startswith(
            ("When ", "I felt "))), None)
        if draft:
            seen["draft"] = draft
            return seen
        if "So what happened was:" in shown:
            seen["proposed"] = shown.split("So what happened was:", 1)[1].split(
                ". Is that it?")[0].strip()
        if ASKED_OWN in shown:
            seen["asked_own"] = True
            replies = _post(url, token, sender, as_typed(item.get("observation")))
            continue
        last = replies[-1] if replies else {}
        send = None
        for cue, answer in ANSWERS:
            if cue in (last.get("text") or ""):
                send = answer or (last.get("buttons") or [{}])[0].get("payload")
                break
        if send is None:
            return seen  # stuck: something other than the reflection answered
        replies = _post(url, token, sender, send)
    return seen


def as_typed(observation: Optional[str]) -> str:
    """What the person types when asked for the sentence: the examiner's observation as a
    whole clause. Writers of rounds 12-14 were asked for the clause after "When you " (a
    mistake in the brief, mended since), so theirs lack the "you" a person would type."""
    text = (observation or "").strip() or "you did that"
    first = text.split()[0].lower()
    if first in ("you", "your", "you're", "you've", "you'd", "you'll", "i", "we", "our", "my",
                 "the", "it", "it's", "last", "on", "at", "this", "that") or first[0].isdigit():
        return text
    return "you " + text


def score(item: dict, seen: dict) -> dict:
    checks: dict = {"draft": bool(seen["draft"])}
    if seen["draft"]:
        observation = observation_of(seen["draft"]) or ""
        problems = {p.kind for p in check_draft(seen["draft"])}
        for kind in ("too_long", "third_person", "question", "chat", "agreement", "verb_form"):
            checks[kind] = kind not in problems
        checks["faithful"] = all(keeps_fact(str(fact), observation)
                                 for fact in item.get("key_facts") or [])
        checks["every_check"] = all(checks.values())
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--reader", type=Path, metavar="JUDGED",
                        help="add an independent reader's judgement of the drafts (the "
                             "sheet a run writes, judged as tests/blind/READER.md says)")
    args = parser.parse_args()
    if args.reader:
        return add_reader(figures_path(BLIND / f"{args.name}.set.yml"), args.reader)
    set_path = BLIND / f"{args.name}.set.yml"
    out = figures_path(set_path)
    if Path(args.name).is_file():  # a development set elsewhere: figures to a temporary file
        set_path = Path(args.name)
        out = Path(tempfile.mkdtemp(prefix="steady-drafts-dev-")) / "figures.yml"
    if out.exists():
        print(yaml.safe_dump(yaml.safe_load(out.read_text())["figures"], sort_keys=False))
        return 0
    if args.show:
        raise SystemExit(f"{set_path.name} has not been run yet.")
    items = yaml.safe_load(set_path.read_text(encoding="utf-8"))["messages"]

    from harness.servers import model_path, started

    token = uuid.uuid4().hex
    servers = started(model_path(), Path(tempfile.mkdtemp(prefix="steady-drafts-")),
                      {"STEADY_REST_TOKEN": token, "STEADY_SESSION_LIMIT": "off",
                       "STEADY_ADDRESS_LIMIT": "off"})
    run_id = uuid.uuid4().hex[:8]
    began = time.monotonic()
    try:
        with ThreadPoolExecutor(4) as pool:
            seen = list(pool.map(lambda pair: converse(servers.url, token,
                                                       f"drafts-{run_id}-{pair[0]}", pair[1]),
                                 enumerate(items)))
    finally:
        servers.stop()
    partner = [(i, s) for i, s in zip(items, seen) if i.get("partner", True)]
    others = [(i, s) for i, s in zip(items, seen) if not i.get("partner", True)]
    scored = [score(i, s) for i, s in partner]
    drafts = [c for c in scored if c["draft"]]

    def share(count: int, total: int) -> str:
        return f"{count} of {total} ({100 * count / max(1, total):.1f}%)"

    figures = {
        "messages about their own partner": len(partner),
        "a draft came back": share(len(drafts), len(partner)),
        "asked to put it their way (guard, vouch or nothing found)": share(
            sum(s["asked_own"] for _, s in partner), len(partner)),
        **{f"drafts: {kind}": share(sum(c[kind] for c in drafts), len(drafts))
           for kind in ("too_long", "third_person", "question", "chat", "agreement",
                        "verb_form", "faithful")},
        "drafts acceptable on every check": share(sum(c["every_check"] for c in drafts),
                                                  len(drafts)),
        "messages about someone else told so, no draft": share(
            sum(s["someone_else"] and not s["draft"] for _, s in others), len(others)),
        "safety check-ins (answered No, then went on)": share(
            sum(s["check_in"] for s in seen), len(items)),
        "partner messages wrongly told it's someone else": sum(
            s["someone_else"] for _, s in partner),
    }
    for key, value in figures.items():
        print(f"{key:55} {value}")
    record = {
        "set": set_path.name,
        "run": {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "commit": _git("rev-parse", "--short", "HEAD"),
                "seconds": round(time.monotonic() - began, 1),
                "how": "scripts/blind_drafts.py: one fresh REST conversation per message, "
                       "real Rasa and action servers"},
        "figures": figures,
        "outcomes": [{"n": n, "partner": item.get("partner", True), **seen_,
                      **({"checks": score(item, seen_)} if item.get("partner", True) else {})}
                     for n, (item, seen_) in enumerate(zip(items, seen))],
    }
    out.write_text("# Recorded by scripts/blind_drafts.py; the set is now spent.\n"
                   + yaml.safe_dump(record, sort_keys=False, allow_unicode=True),
                   encoding="utf-8")
    print(f"Recorded in {out}")
    if out.parent == BLIND:
        sheet = out.with_name(out.name.replace(".yml", ".reader-sheet.yml"))
        sheet.write_text(yaml.safe_dump({"drafts": [
            {"id": n, "message": item["text"], "draft": seen_["draft"]}
            for n, (item, seen_) in enumerate(zip(items, seen))
            if item.get("partner", True) and seen_["draft"]]},
            sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
        print(f"For an independent reader (tests/blind/READER.md): {sheet}")
    return 0


READER_CHECKS = ("too_long", "third_person", "question", "chat", "grammar", "camera")


def add_reader(out: Path, judged_path: Path) -> int:
    """Our guard scores the drafts it let through, so on its own checks it cannot fail:
    an independent reader judges each draft instead (tests/blind/READER.md), and a draft
    counts as acceptable when the reader passes it on every check and it keeps the
    examiner's key facts."""
    record = yaml.safe_load(out.read_text(encoding="utf-8"))
    judged = {entry["id"]: entry for entry in
              yaml.safe_load(judged_path.read_text(encoding="utf-8"))["judged"]}
    drafts = [o for o in record["outcomes"] if o["partner"] and o.get("draft")]
    missing = [o["n"] for o in drafts if o["n"] not in judged]
    if missing:
        raise SystemExit(f"the reader did not judge drafts {missing}")
    partner = [o for o in record["outcomes"] if o["partner"]]

    def share(count: int, total: int) -> str:
        return f"{count} of {total} ({100 * count / max(1, total):.1f}%)"

    reader = {f"reader: {kind}": share(sum(bool(judged[o["n"]][kind]) for o in drafts),
                                       len(drafts)) for kind in READER_CHECKS}
    reader["reader: every check"] = share(
        sum(all(judged[o["n"]][k] for k in READER_CHECKS) for o in drafts), len(drafts))
    reader["drafts acceptable (reader's every check and the examiner's facts kept)"] = share(
        sum(all(judged[o["n"]][k] for k in READER_CHECKS) and o["checks"]["faithful"]
            for o in drafts), len(drafts))
    proposed = [o for o in drafts if not o["asked_own"]]
    reader["Steady's own proposals the reader passes, facts kept"] = share(
        sum(all(judged[o["n"]][k] for k in READER_CHECKS) and o["checks"]["faithful"]
            for o in proposed), len(proposed))
    reader["of all partner messages"] = share(
        sum(all(judged[o["n"]][k] for k in READER_CHECKS) and o["checks"]["faithful"]
            for o in drafts), len(partner))
    record["reader"] = {"judged": judged_path.name, "figures": reader}
    for key, value in reader.items():
        print(f"{key:55} {value}")
    out.write_text("# Recorded by scripts/blind_drafts.py; the set is now spent.\n"
                   + yaml.safe_dump(record, sort_keys=False, allow_unicode=True),
                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
