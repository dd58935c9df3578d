"""Check-ins that come back: opt-in, off by default, easy to stop.

Two kinds a person can ask for:

* a reminder about one saved draft, at a time they name ("remind me about this draft
  tomorrow evening");
* a weekly question, "did anything set off the alarm this week?" (Sundays at 18:00 unless
  they name another day or hour).

Times are the person's own. Their time zone is asked once (a zone's name, a city, or
simply the time it is for them now), and nothing arrives in their quiet hours (22:00 to
08:00) unless they named that hour themselves: one due inside them waits until they end.

Plain Python, no Rasa: the actions ask and store (``actions/checkins.py``); the channels
deliver (Telegram at the time, the web chat and REST at the person's next visit), and
``bot.storage`` claims each due check-in for exactly one server. The words, hours and the
sentences a person reads are data, in ``bot/data/checkins.yml``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml

DATA = Path(__file__).resolve().parent / "data" / "checkins.yml"

DRAFT = "draft"
WEEKLY = "weekly"
KINDS = (DRAFT, WEEKLY)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {name: index for index, name in enumerate(WEEKDAYS)}
_DAY_NAMES.update({name[:3]: index for index, name in enumerate(WEEKDAYS)})
_DAY_NAMES.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
}
_UNITS = {"minute": 1, "min": 1, "hour": 60, "hr": 60, "day": 1440, "week": 10080}


class CheckinsFileError(ValueError):
    """The check-ins file is broken: says which part."""


@dataclass(frozen=True)
class Settings:
    parts_of_day: Dict[str, int]
    default_hour: int
    quiet_hours: Tuple[int, int]
    weekly_weekday: int
    weekly_hour: int
    messages: Dict[str, str]
    requests: Dict[str, Tuple["re.Pattern[str]", ...]]


def _compile(name: str, patterns: Any) -> Tuple["re.Pattern[str]", ...]:
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise CheckinsFileError(f"{DATA.name}: requests.{name} must be a list of strings")
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(rf"(?<![\w'])(?:{pattern})(?![\w'])"))
        except re.error as error:
            raise CheckinsFileError(
                f"{DATA.name}: requests.{name}: {pattern!r} is not a valid pattern ({error})"
            ) from error
    return tuple(compiled)


def _hour(value: Any, where: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= 23:
        raise CheckinsFileError(f"{DATA.name}: {where} must be an hour from 0 to 23")
    return value


def read_settings(path: Path = DATA) -> Settings:
    """The file, checked: a mistake names its part."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CheckinsFileError(f"{path.name}: not valid YAML ({error})") from error
    if not isinstance(raw, dict):
        raise CheckinsFileError(f"{path.name}: expected a mapping at the top")
    parts = raw.get("parts_of_day") or {}
    messages = raw.get("messages") or {}
    needed = {"draft", "draft_gone", "weekly", "stop_hint"}
    if not needed <= set(messages):
        raise CheckinsFileError(f"{path.name}: messages needs {sorted(needed - set(messages))}")
    quiet = raw.get("quiet_hours")
    if not isinstance(quiet, list) or len(quiet) != 2:
        raise CheckinsFileError(f"{path.name}: quiet_hours must be [from, to]")
    weekly = raw.get("weekly") or {}
    if weekly.get("weekday") not in WEEKDAYS:
        raise CheckinsFileError(f"{path.name}: weekly.weekday must be a day's name")
    requests = raw.get("requests") or {}
    wanted = {"remind", "remind_points_at", "weekly", "stop", "show", "unless"}
    if set(requests) != wanted:
        raise CheckinsFileError(f"{path.name}: requests must be exactly {sorted(wanted)}")
    return Settings(
        parts_of_day={str(k): _hour(v, f"parts_of_day.{k}") for k, v in parts.items()},
        default_hour=_hour(raw.get("default_hour"), "default_hour"),
        quiet_hours=(_hour(quiet[0], "quiet_hours"), _hour(quiet[1], "quiet_hours")),
        weekly_weekday=WEEKDAYS.index(weekly["weekday"]),
        weekly_hour=_hour(weekly.get("hour"), "weekly.hour"),
        messages={str(k): str(v) for k, v in messages.items()},
        requests={name: _compile(name, patterns) for name, patterns in requests.items()},
    )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return read_settings()


# ----------------------------------------------------------------------------- zones


@lru_cache(maxsize=1)
def _zone_names() -> Dict[str, str]:
    """Lowercased zone names and their cities ("london", "new york") to the zone."""
    names: Dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in name:
            continue
        names.setdefault(name.lower(), name)
        city = name.rsplit("/", 1)[1].replace("_", " ").lower()
        names.setdefault(city, name)
    return names


#: Abbreviations people type, to the zone they mostly mean.
_ABBREVIATIONS = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "bst": "Europe/London",
    "uk": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "ist": "Asia/Kolkata",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "jst": "Asia/Tokyo",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
}
_OFFSET = re.compile(r"^(?:utc|gmt) ?([+-]) ?(\d{1,2})(?::?(\d{2}))?$")
_CLOCK = re.compile(
    r"(?<![\w:.])(\d{1,2})(?:[:.](\d{2}))? ?(am|pm|a\.m\.|p\.m\.)?(?![\w:])", re.IGNORECASE
)


def zone(name: Optional[str]) -> tzinfo:
    """The tzinfo of a stored zone: an IANA name or a fixed offset ("UTC+05:30")."""
    if not name or name == "UTC":
        return timezone.utc
    match = _OFFSET.match(name.lower())
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def _offset_name(minutes: int) -> str:
    if minutes == 0:
        return "UTC"
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def read_zone(text: Optional[str], now: Optional[datetime] = None) -> Optional[str]:
    """The zone a person gave: a zone or city name ("Europe/London", "london", "new york"),
    an abbreviation ("EST"), an offset ("UTC+2"), or the time it is for them now ("it's
    7:40pm", "19:40"), from which the offset is worked out (to the quarter hour)."""
    if not text:
        return None
    cleaned = text.strip().lower().replace("'", "").replace("\u2019", "")
    cleaned = re.sub(r"[^\w/+:. -]", " ", cleaned)
    cleaned = re.sub(
        r"^(?:(?:my )?(?:time ?zone|tz)(?: is)?|im in|i am in|in|its|it is|now|here)\s+",
        "",
        cleaned,
    )
    cleaned = re.sub(r"\s+(?:time|here|now|for me|where i am)$", "", cleaned).strip(" .")
    names = _zone_names()
    if cleaned in names:
        return names[cleaned]
    if cleaned in _ABBREVIATIONS:
        return _ABBREVIATIONS[cleaned]
    if cleaned in ("utc", "gmt", "utc+0", "gmt+0"):
        return "UTC"
    match = _OFFSET.match(cleaned)
    if match:
        sign, hours, minutes = match.groups()
        total = int(hours) * 60 + int(minutes or 0)
        if total <= 14 * 60:
            return _offset_name(-total if sign == "-" else total)
        return None
    for word in cleaned.replace("/", " ").split():
        if len(word) > 3 and word in names:
            return names[word]
    clock = _CLOCK.search(text)
    if clock and (clock.group(2) or clock.group(3)):
        hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
        suffix = (clock.group(3) or "").replace(".", "").lower()
        if hour > 23 or minute > 59 or (suffix and not 1 <= hour <= 12):
            return None
        if suffix == "pm" and hour != 12:
            hour += 12
        elif suffix == "am" and hour == 12:
            hour = 0
        utc = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        difference = (hour * 60 + minute - (utc.hour * 60 + utc.minute)) % 1440
        if difference > 14 * 60:
            difference -= 1440
        return _offset_name(int(round(difference / 15.0)) * 15)
    return None


# ----------------------------------------------------------------------------- when


@dataclass(frozen=True)
class When:
    """A time the person named, in their own zone; ``exact`` when they said the hour."""

    at: datetime
    exact: bool


def _number(word: str) -> Optional[int]:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


_RELATIVE = re.compile(
    r"\bin (\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a couple(?: of)?|couple of|a few|few) ?(minute|min|hour|hr|day|week)s?\b"
)
_TOMORROW = re.compile(r"\b(?:tmrw?|tomoz|2morrow|tomorow|tommorow|tommorrow)\b")
_HALF_HOUR = re.compile(r"\bin (?:half an hour|30 ?min)")
_DAY_PART = re.compile(
    r"\b(morning|afternoon|arvo|evening|night|tonight|noon|midday|lunch(?:time)?)\b"
)
_MONTH_DAY = re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b")
_WEEKDAY = re.compile(
    r"\b(?:(next|this|on|coming|every|each) )?(monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)s?\b"
)
_HOUR = re.compile(
    r"(?:\bat |@ ?|\baround |\bby )(\d{1,2})(?:[:.](\d{2}))? ?(am|pm|a\.m\.|p\.m\.)?(?![\w:])"
    r"|(?<![\w:.#])(\d{1,2})(?:[:.](\d{2}))? ?(am|pm|a\.m\.|p\.m\.)(?![\w])"
    r"|(?<![\w:.#])(\d{1,2})[:](\d{2})(?![\w:])"
)


def _weekday_index(name: str) -> int:
    return _DAY_NAMES.get(name, _DAY_NAMES.get(name[:4], _DAY_NAMES.get(name[:3], 0)))


def _named_hour(text: str) -> Optional[Tuple[int, int, Optional[str]]]:
    match = _HOUR.search(text)
    if not match:
        return None
    groups = match.groups()
    for start in (0, 3, 6):
        if groups[start] is not None:
            hour = int(groups[start])
            minute = int(groups[start + 1] or 0)
            suffix = groups[start + 2] if start < 6 else None
            suffix = suffix.replace(".", "") if suffix else None
            if hour > 23 or minute > 59 or (suffix and not 1 <= hour <= 12):
                return None
            return hour, minute, suffix
    return None


def _clock(hour: int, suffix: Optional[str], part: Optional[str], earliest: Optional[int]) -> int:
    """24-hour clock of an hour said with or without am/pm."""
    if suffix == "pm":
        return hour if hour == 12 else hour + 12
    if suffix == "am":
        return 0 if hour == 12 else hour
    if hour >= 13 or hour == 0:
        return hour
    if part in ("afternoon", "evening", "night", "tonight"):
        return hour if hour == 12 else hour + 12
    if part == "morning":
        return hour % 12
    if earliest is not None:  # today: the next time the clock shows it
        return hour if hour > earliest else hour + 12
    return hour + 12 if hour < 8 else hour  # "at 7": people are awake at 7pm


def parse_when(text: Optional[str], now: datetime) -> Optional[When]:
    """The time a message names, in the zone of ``now`` (the person's own): "tomorrow
    evening", "in 3 days", "on friday at 9", "tonight", "next week", "at 7pm" ... or None."""
    if not text:
        return None
    words = " " + _TOMORROW.sub("tomorrow", text.lower()) + " "
    found = settings()
    if _HALF_HOUR.search(words):
        return When(now + timedelta(minutes=30), exact=True)
    relative = _RELATIVE.search(words)
    if relative:
        count = _number(relative.group(1))
        if count is not None and 0 < count <= 400:
            minutes = count * _UNITS[relative.group(2)]
            at = now + timedelta(minutes=minutes)
            if minutes >= 1440:  # "in 3 days": that day, at the hour of now or the default
                at = at.replace(hour=found.default_hour, minute=0, second=0, microsecond=0)
            return When(at, exact=minutes < 1440)
    part_match = _DAY_PART.search(words)
    part = part_match.group(1) if part_match else None
    if part in ("noon", "midday", "lunch", "lunchtime"):
        part = "noon"
    elif part == "arvo":
        part = "afternoon"
    day: Optional[date] = None
    named_day = False  # "friday": a time gone today means next week's
    if "day after tomorrow" in words:
        day = now.date() + timedelta(days=2)
    elif "tomorrow" in words:
        day = now.date() + timedelta(days=1)
    elif re.search(r"\bnext week\b|\bin a week\b|\ba week from now\b", words):
        day = now.date() + timedelta(days=7)
    elif re.search(r"\bend of (?:the|this) week\b", words):  # Friday
        day = now.date() + timedelta(days=(4 - now.weekday()) % 7)
        named_day = True
    elif re.search(r"\b(?:tonight|today|this (?:morning|afternoon|evening)|later)\b", words):
        day = now.date()
    elif _MONTH_DAY.search(words):  # "on the 14th": this month's, or next month's if gone
        wanted = int(_MONTH_DAY.search(words).group(1))  # type: ignore[union-attr]
        day = _month_day(now.date(), wanted)
        named_day = True
    else:
        weekday = _WEEKDAY.search(words)
        if weekday:
            target = _weekday_index(weekday.group(2))
            ahead = (target - now.weekday()) % 7
            if weekday.group(1) == "next" and ahead == 0:
                ahead = 7
            day = now.date() + timedelta(days=ahead)
            named_day = True
    named = _named_hour(words)
    if day is None and named is None and part is None:
        if re.search(r"\blater\b", words):
            return When(now + timedelta(hours=3), exact=False)
        return None
    if day is None:
        day = now.date()
    if named is not None:
        earliest = now.hour if day == now.date() else None
        hour = _clock(named[0], named[2], part, earliest)
        at = datetime.combine(day, time(hour, named[1]), tzinfo=now.tzinfo)
        exact = True
    else:
        if part == "noon":
            hour = 12
        elif part == "tonight":
            hour = found.parts_of_day.get("evening", found.default_hour)
        elif part is not None:
            hour = found.parts_of_day.get(part, found.default_hour)
        elif re.search(r"\blater\b", words) and day == now.date():
            return When(now + timedelta(hours=3), exact=False)
        else:
            hour = found.default_hour
        at = datetime.combine(day, time(hour, 0), tzinfo=now.tzinfo)
        exact = False
    if at <= now:
        if day == now.date() and named is None and part is None:
            return None
        # a time already gone today: next week's for a day named ("sunday morning" said on
        # a Sunday afternoon), else tomorrow's ("at 9" said at 10am)
        if day == now.date():
            at = at + timedelta(days=7 if named_day else 1)
        if at <= now:
            return None
    return When(_normalised(at), exact)


def _month_day(today: date, wanted: int) -> Optional[date]:
    """The next date with day-of-month ``wanted`` from ``today`` on (None if no month has it
    within a year)."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            found = date(year, month, wanted)
        except ValueError:
            found = None
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _normalised(at: datetime) -> datetime:
    """A wall time made real in its zone (a DST gap moves it on)."""
    if isinstance(at.tzinfo, ZoneInfo):
        return at.astimezone(timezone.utc).astimezone(at.tzinfo)
    return at


def _quiet(hour: int, quiet: Tuple[int, int]) -> bool:
    start, end = quiet
    if start == end:
        return False
    return start <= hour or hour < end if start > end else start <= hour < end


def outside_quiet_hours(at: datetime, quiet: Tuple[int, int]) -> datetime:
    """``at``, or the end of the quiet hours it falls in (the person's own zone)."""
    if not _quiet(at.hour, quiet):
        return at
    end = datetime.combine(at.date(), time(quiet[1], 0), tzinfo=at.tzinfo)
    if end <= at:
        end += timedelta(days=1)
    return _normalised(end)


def due_time(when: When, quiet: Tuple[int, int]) -> datetime:
    """When a reminder is due: the hour the person named is kept as they said it; any
    other falls outside their quiet hours."""
    return when.at if when.exact else outside_quiet_hours(when.at, quiet)


def read_weekly(text: Optional[str]) -> Tuple[int, int]:
    """(weekday, hour) of a weekly check-in as asked ("every friday at 8pm"), or the
    default (Sunday, 18:00) for what is not said."""
    found = settings()
    words = (text or "").lower()
    weekday, hour = found.weekly_weekday, found.weekly_hour
    day = _WEEKDAY.search(words)
    if day:
        weekday = _weekday_index(day.group(2))
    named = _named_hour(words)
    part_match = _DAY_PART.search(words)
    part = part_match.group(1) if part_match else None
    if named is not None:
        hour = _clock(named[0], named[2], part, None)
    elif part in found.parts_of_day:
        hour = found.parts_of_day[part]
    return weekday, hour


def next_weekly(now: datetime, weekday: int, hour: int, quiet: Tuple[int, int]) -> datetime:
    """The next weekly check-in after ``now`` (the person's zone), outside quiet hours."""
    ahead = (weekday - now.weekday()) % 7
    at = datetime.combine(now.date() + timedelta(days=ahead), time(hour, 0), tzinfo=now.tzinfo)
    if at <= now:
        at += timedelta(days=7)
    return outside_quiet_hours(_normalised(at), quiet)


def after_weekly(
    last_due: datetime,
    zone_name: Optional[str],
    quiet: Tuple[int, int],
    now: Optional[datetime] = None,
) -> datetime:
    """The weekly check-in after one that came at ``last_due``: the same weekday and hour
    a week on, in the person's zone (a change of daylight saving keeps the hour); after
    ``now`` too, when it was delivered late (weeks of no visit come due once, not again at
    once)."""
    local = last_due.astimezone(zone(zone_name))
    start = max(local, now.astimezone(local.tzinfo)) if now is not None else local
    return next_weekly(start, local.weekday(), local.hour, quiet)


def describe(at: datetime, now: datetime) -> str:
    """ "tomorrow (Monday 7 December) at 7pm", "today at 9:30pm", "on Friday 11 December at
    9am": in the zone ``at`` is in."""
    clock = at.strftime("%I:%M%p").lstrip("0").replace(":00", "").lower()
    days = (at.date() - now.date()).days
    dated = f"{at.strftime('%A')} {at.day} {at.strftime('%B')}"
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow ({dated}) at {clock}"
    return f"on {dated} at {clock}"


def describe_weekly(weekday: int, hour: int) -> str:
    clock = time(hour, 0).strftime("%I%p").lstrip("0").lower()
    return f"every {WEEKDAYS[weekday].capitalize()} at {clock}"


# ----------------------------------------------------------------------------- words


def _any(patterns: Sequence["re.Pattern[str]"], text: str) -> bool:
    return any(pattern.search(text) for pattern in patterns)


_NAMED_DRAFT = re.compile(
    r"(?:\bdraft\s*(?:#|no\.?|number)?\s*(\d{1,4})\b|#\s*(\d{1,4})\b|"
    r"\b(\d{1,4})(?:st|nd|rd|th)? draft\b)"
)


def named_draft(text: Optional[str]) -> Optional[int]:
    """The draft a request names ("draft 2", "#2", "the 2nd draft"), never a number that
    is part of a time ("in 2 hours")."""
    match = _NAMED_DRAFT.search((text or "").lower())
    if not match:
        return None
    number = int(next(group for group in match.groups() if group))
    return number or None


#: Chat spellings read as the words they stand for, before the request patterns.
_SPELLINGS = {
    "abt": "about",
    "bout": "about",
    "u": "you",
    "ur": "your",
    "w": "with",
    "wit": "with",
    "evry": "every",
    "everyweek": "every week",
    "msg": "message",
    "msgs": "messages",
    "em": "them",
    "'em": "them",
    "pls": "",
    "plz": "",
    "pleasee": "please",
    "reminderz": "reminders",
    "remindr": "reminder",
    "reminders.": "reminders",
    "chk": "check",
    "checkin": "check-in",
    "checkins": "check-ins",
    "wkly": "weekly",
    "wk": "week",
    "rmd": "remind",
    "r": "are",
    "remnd": "remind",
    "hrs": "hours",
    "hr": "hour",
    "b4": "before",
    "when's": "when is",
    "whens": "when is",
    "what's": "what is",
    "whats": "what is",
}


def _plain(text: str) -> str:
    """Lowercase, one space, curly quotes straight, chat spellings said in full."""
    words = text.lower().replace("\u2019", "'").split()
    return " ".join(w for w in (_SPELLINGS.get(word, word) for word in words) if w)


def read_request(text: Optional[str], now: Optional[datetime] = None) -> Optional[str]:
    """Which check-in request a message makes, from its words: ``remind_me`` (a reminder,
    with a time or the draft pointed at), ``weekly_checkin``, ``stop_checkins``,
    ``show_checkins``; None for anything else ("remind me why I bother" is not one)."""
    if not text or text.startswith("/") or len(text) > 300:
        return None
    words = _plain(text)
    found = settings().requests
    if _any(found["unless"], words):
        return None
    if _any(found["stop"], words):
        return "stop_checkins"
    if _any(found["show"], words):
        return "show_checkins"
    if _any(found["weekly"], words):
        return "weekly_checkin"
    if _any(found["remind"], words):
        moment = now or datetime.now(timezone.utc)
        if _any(found["remind_points_at"], words) or parse_when(words, moment) is not None:
            return "remind_me"
    return None


# ----------------------------------------------------------------------------- messages


def format_checkins(
    records: Sequence[Any], now: Optional[datetime] = None, bullet: str = "•"
) -> str:
    """The person's check-ins to come, one a line, in their own time ("" for none). Each
    record has ``kind``, ``draft_number``, ``due_at`` (UTC) and ``zone``."""
    moment = now or datetime.now(timezone.utc)
    lines = []
    for record in records:
        place = zone(record.zone)
        at, local_now = record.due_at.astimezone(place), moment.astimezone(place)
        if record.kind == WEEKLY:
            lines.append(
                f"{bullet} The weekly check-in, {describe_weekly(at.weekday(), at.hour)} "
                f"(next: {describe(at, local_now)})"
            )
        else:
            lines.append(
                f"{bullet} A reminder about draft #{record.draft_number}: {describe(at, local_now)}"
            )
    if lines:
        zones = sorted({record.zone or "UTC" for record in records})
        lines.append(f"(Times are yours: {', '.join(zones)}.)")
    return "\n".join(lines)


def message_for(kind: str, number: Optional[int] = None, text: Optional[str] = None) -> str:
    """What a person reads when a check-in arrives (with how to stop them)."""
    found = settings().messages
    if kind == WEEKLY:
        body = found["weekly"]
    elif text:
        body = found["draft"].format(number=number, text=text.strip())
    else:
        body = found["draft_gone"].format(number=number)
    return f"{body}\n\n{found['stop_hint']}"


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m bot.checkins``: check the data file."""
    try:
        read_settings()
    except CheckinsFileError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{DATA.name}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
