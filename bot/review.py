"""Reviewing saved drafts: reading what a person asked for, and writing what they read.

The NLU says *what* someone wants (open, mark as sent, export …); this module finds
*which* draft ("#2", "draft two", "the 3rd one") and which filter ("sent", "about
cancelled plans"), and formats lists, single drafts, exports and trigger patterns as
plain text that reads well on a phone, in the web widget and in Telegram.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, Optional, Sequence, Tuple

from bot.checkins import format_checkins
from bot.loved import format_list as loved_list
from bot.routines import Routine, format_routines
from bot.storage.drafts import DraftRecord
from bot.triggers import TRIGGERS, label

PATTERN_WEEKS = 8
PREVIEW_CHARS = 160

_NUMBER_WORDS = {
    "one": 1,
    "first": 1,
    "two": 2,
    "second": 2,
    "three": 3,
    "third": 3,
    "four": 4,
    "fourth": 4,
    "five": 5,
    "fifth": 5,
    "six": 6,
    "sixth": 6,
    "seven": 7,
    "seventh": 7,
    "eight": 8,
    "eighth": 8,
    "nine": 9,
    "ninth": 9,
    "ten": 10,
    "tenth": 10,
    "eleven": 11,
    "twelve": 12,
}
_DIGITS = re.compile(r"(?<![\w.])#?\s*(\d{1,4})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_WORDS = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)

# Words people use for a status, and for each trigger (besides its label's own words).
_STATUS_WORDS = {
    "sent": re.compile(r"\b(?<!un)sent\b(?! yet)", re.IGNORECASE),
    "archived": re.compile(r"\barchiv", re.IGNORECASE),
    "draft": re.compile(
        r"\b(unsent|not sent|not yet sent|have ?n'?t (i |you )?(yet )?sent|"
        r"open ones|still drafts?)\b",
        re.IGNORECASE,
    ),
}
_TRIGGER_WORDS = {
    "late_without_notice": r"\blate\b|\bcoming home\b|\bheads.?up\b",
    "slow_replies": r"\brepl(y|ies|ied)\b|\btext(s|ed|ing)? back\b|\bslow\b|\bghost",
    "cancelled_plans": r"\bcancel",
    "preoccupied": r"\bdistant\b|\bpreoccupied\b|\babsorbed\b|\bphone\b",
    "attention_elsewhere": r"\battention\b|\bfriends?\b|\bsomeone else\b",
    "forgotten_date": r"\bforg[oe]t|\banniversary\b|\bbirthday\b",
    "unnoticed_change": r"\bnotic|\bhaircut\b|\bnew dress\b",
    "work_travel": r"\btravel|\btrip\b|\baway for work\b",
    "low_affection": r"\baffection\b|\bhug|\bkiss|\bcuddl|\bintimacy\b",
}


def draft_number(text: Optional[str]) -> Optional[int]:
    """The draft a message names: "#2", "draft 2", "number two", "the 3rd one"; else None."""
    text = text or ""
    if text.startswith("/"):
        text = re.sub(r"^/\w+", "", text)  # a button payload, possibly with a JSON number
    digits = _DIGITS.search(text)
    if digits:
        return int(digits.group(1)) or None
    word = _WORDS.search(text)
    return _NUMBER_WORDS[word.group(1).lower()] if word else None


def draft_filter(text: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(status, trigger_type) a "show my drafts" message asks for; None where it does not."""
    text = text or ""
    status = next(
        (
            name
            for name, words in (
                ("draft", _STATUS_WORDS["draft"]),
                ("sent", _STATUS_WORDS["sent"]),
                ("archived", _STATUS_WORDS["archived"]),
            )
            if words.search(text)
        ),
        None,
    )
    trigger = None
    if re.search(r"\b(about|with|when|where|for|from)\b", text, re.IGNORECASE):
        trigger = next(
            (
                name
                for name, words in _TRIGGER_WORDS.items()
                if re.search(words, text, re.IGNORECASE)
            ),
            None,
        )
    return status, trigger


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y").lstrip("0")


def preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"


def describe_filter(status: Optional[str], trigger: Optional[str]) -> str:
    parts = []
    if status:
        parts.append({"draft": "not sent yet", "sent": "sent", "archived": "archived"}[status])
    if trigger:
        parts.append(f"about {label(trigger)}")
    return ", ".join(parts)


def format_list(
    drafts: Iterable[DraftRecord], status: Optional[str] = None, trigger: Optional[str] = None
) -> str:
    """The list a person reads: their own numbers, newest first, short enough for a phone."""
    drafts = list(drafts)
    which = describe_filter(status, trigger)
    if not drafts:
        if which:
            return f'You have no saved drafts {which}. Say "show my drafts" to see them all.'
        return (
            "You don't have any saved drafts yet. When something sets off the alarm, tell me "
            "what happened and we'll make one together."
        )
    lines = [f"Your drafts ({which}), newest first:" if which else "Your drafts, newest first:"]
    for draft in drafts:
        lines.append(
            f"#{draft.number} · {_when(draft.created_at)} · {label(draft.trigger_type)}"
            f" · {draft.status}"
        )
        lines.append(f"  {preview(draft.text)}")
    # The example is a number they have (the newest), not one that isn't there.
    lines.append(f'Say "open {drafts[0].number}" to read one in full, or "what sets me off most?".')
    return "\n".join(lines)


def format_header(draft: DraftRecord) -> str:
    feeling = f" · feeling: {draft.feeling}" if draft.feeling else ""
    return (
        f"Draft #{draft.number} · {_when(draft.created_at)} · {label(draft.trigger_type)}"
        f" · {draft.status}{feeling}"
    )


def format_export(
    drafts: Iterable[DraftRecord],
    moment: Optional[datetime] = None,
    loved: Iterable[Tuple[str, str]] = (),
    routines: Iterable[Tuple[str, str, str]] = (),
    checkins: Sequence[Any] = (),
) -> str:
    """Every draft as Markdown, oldest first, with what the person wrote around it, then what
    helps them feel loved (``bot.loved``) and the routines they agree on (``bot.routines``:
    (kind, description, status)), in their own words."""
    drafts = sorted(drafts, key=lambda d: (d.created_at, d.number))
    moment = moment or datetime.now(timezone.utc)
    lines = [f"# My Steady drafts (exported {_when(moment)})", ""]
    if not drafts:
        lines += ["No saved drafts.", ""]
    for draft in drafts:
        lines += [
            f"## Draft {draft.number} · {_when(draft.created_at)} · {draft.status}",
            "",
            draft.text,
            "",
        ]
        for title, value in (
            ("What happened", draft.situation),
            ("Trigger", label(draft.trigger_type)),
            ("Feeling", draft.feeling),
            ("Fear", draft.fear),
            ("Need", draft.need),
            ("Request", draft.request),
        ):
            if value and value.strip().lower() != "skipped":
                lines.append(f"- {title}: {value}")
        lines.append("")
    listed = loved_list(loved, bullet="-")
    if listed:
        lines += ["## What helps me feel loved", "", listed, ""]
    agreed = format_routines([Routine(*each) for each in routines], bullet="-")
    if agreed:
        lines += ["## Routines we agree on", "", agreed, ""]
    coming = format_checkins(checkins, moment, bullet="-")
    if coming:
        lines += ["## Check-ins to come", "", coming, ""]
    return "\n".join(lines).rstrip() + "\n"


def times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def format_patterns(counts: Dict[Optional[str], int], weeks: int = PATTERN_WEEKS) -> str:
    """Counts by trigger, in words, so the person can see their own pattern."""
    total = sum(counts.values())
    if not total:
        return (
            f"You haven't saved any drafts in the last {weeks} weeks, so there's no pattern "
            "to see yet. Each time you save one, it helps you see what sets off the alarm."
        )
    ranked = [(label(trigger), count) for trigger, count in counts.items() if count]
    top, top_count = ranked[0]
    lines = [f"In the last {weeks} weeks you saved {total} draft{'s' if total != 1 else ''}."]
    if len(ranked) == 1:
        lines.append(f"Every one of them was about {top}.")
    else:
        lines.append(f"What set the alarm off most: {top} ({times(top_count)}).")
        lines.append(
            "Then: " + ", ".join(f"{name} ({times(count)})" for name, count in ranked[1:]) + "."
        )
    lines.append(
        "Noticing your own pattern is the first step: next time it happens, you may "
        "recognise the alarm a little sooner."
    )
    return "\n".join(lines)


#: The same alarm this many times in ``PATTERN_WEEKS``: the pattern answer also mentions
#: working on it with a therapist who knows attachment, and telling the partner about it.
KEEPS_RINGING = 4


#: The routine that answers each trigger (responses in domain.yml).
ROUTINES = {
    "late_without_notice": "utter_routine_for_late_without_notice",
    "slow_replies": "utter_routine_for_slow_replies",
    "cancelled_plans": "utter_routine_for_cancelled_plans",
    "preoccupied": "utter_routine_for_preoccupied",
    "attention_elsewhere": "utter_routine_for_attention_elsewhere",
    "forgotten_date": "utter_routine_for_forgotten_date",
    "unnoticed_change": "utter_routine_for_unnoticed_change",
    "work_travel": "utter_routine_for_work_travel",
    "low_affection": "utter_routine_for_low_affection",
    "other": "utter_routine_for_other",
}


def pattern_pointers(counts: Dict[Optional[str], int]) -> list[str]:
    """What the pattern points to, as response names (the words are in domain.yml): the
    routine a couple can agree on that answers the commonest trigger (``utter_routine_for_``
    its name, ``ROUTINES``: late without notice -> a heads-up text, slow replies -> agreed check-in
    times …), and, when that alarm keeps ringing, ``utter_pattern_therapist``."""
    ranked = [(trigger or "other", count) for trigger, count in counts.items() if count]
    if not ranked:
        return []
    top, count = max(ranked, key=lambda pair: pair[1])
    pointers = [ROUTINES.get(top, ROUTINES["other"])]
    if count >= KEEPS_RINGING:
        pointers.append("utter_pattern_therapist")
    return pointers


def since(weeks: int = PATTERN_WEEKS, moment: Optional[datetime] = None) -> datetime:
    return (moment or datetime.now(timezone.utc)) - timedelta(weeks=weeks)


assert set(_TRIGGER_WORDS) | {"other"} == set(TRIGGERS) == set(ROUTINES)
