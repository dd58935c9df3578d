"""Where Steady points people for real help: per-locale data files, and the two messages.

Resources are configuration, not code. Each locale has a file
``bot/data/resources/<locale>.yml`` (``us``, ``uk``, ``intl``) with the crisis lines, the
domestic-abuse lines, the emergency number and the directories. The locale comes from the
argument, else from the ``STEADY_LOCALE`` environment variable, else ``intl``.

``intl`` is the default on purpose: a host who has not said where their users are gets the
international directories (findahelpline.com for crisis lines, hotpeachpages.net for
domestic-abuse services) and "your local emergency number" rather than a phone number that
only works in one country. A US or UK host sets ``STEADY_LOCALE=us`` / ``uk``. An unknown
locale falls back to ``intl``; so does a broken data file (with a warning in the log), and if
even ``intl.yml`` cannot be read, a built-in copy of it is used: the safety messages must
never fail.

Adding a country: copy ``intl.yml`` to ``<code>.yml``, fill in only well-known public
services, and set ``STEADY_LOCALE=<code>``.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

logger = logging.getLogger(__name__)

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "data" / "resources"
DEFAULT_LOCALE = "intl"
LOCALE_ENV = "STEADY_LOCALE"

# Spellings a host might use for the locales that have a file.
_ALIASES = {
    "us": "us",
    "usa": "us",
    "en_us": "us",
    "en-us": "us",
    "united_states": "us",
    "uk": "uk",
    "gb": "uk",
    "en_gb": "uk",
    "en-gb": "uk",
    "united_kingdom": "uk",
    "intl": "intl",
    "international": "intl",
    "default": "intl",
    "": "intl",
}
_SAFE_NAME = re.compile(r"^[a-z]{2,12}([_-][a-z]{2,12})?$")


@dataclass(frozen=True)
class HelpLine:
    name: str
    call: str = ""
    text: str = ""
    url: str = ""
    hours: str = ""


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True)
class Resources:
    locale: str
    country: str  # "the US", "the UK"; "" for the international default
    emergency_number: str  # "911", "999"; "" when unknown
    emergency: str  # what to do in immediate danger: "call 911"
    crisis_lines: tuple[HelpLine, ...]
    abuse_lines: tuple[HelpLine, ...]
    directory: Link  # crisis lines worldwide
    abuse_directory: Link  # domestic-abuse services worldwide


_BUILT_IN_INTL = Resources(
    locale="intl",
    country="",
    emergency_number="",
    emergency="call your local emergency number",
    crisis_lines=(),
    abuse_lines=(),
    directory=Link("Find A Helpline", "https://findahelpline.com"),
    abuse_directory=Link("HotPeachPages", "https://www.hotpeachpages.net"),
)


def _line(raw: Mapping[str, Any]) -> HelpLine:
    if not raw.get("name") or not (raw.get("call") or raw.get("text") or raw.get("url")):
        raise ValueError(f"a help line needs a name and a number or address: {raw!r}")
    return HelpLine(**{k: str(raw.get(k) or "") for k in ("name", "call", "text", "url", "hours")})


def _link(raw: Mapping[str, Any]) -> Link:
    if not raw.get("url"):
        raise ValueError(f"a directory needs a url: {raw!r}")
    return Link(str(raw.get("name") or raw["url"]), str(raw["url"]))


def _parse(raw: Mapping[str, Any], locale: str) -> Resources:
    emergency = raw.get("emergency") or {}
    return Resources(
        locale=locale,
        country=str(raw.get("country") or ""),
        emergency_number=str(emergency.get("number") or ""),
        emergency=str(emergency.get("label") or "call your local emergency number"),
        crisis_lines=tuple(_line(x) for x in raw.get("crisis_lines") or ()),
        abuse_lines=tuple(_line(x) for x in raw.get("abuse_lines") or ()),
        directory=_link(raw["directory"]),
        abuse_directory=_link(raw.get("abuse_directory") or raw["directory"]),
    )


def normalise_locale(locale: Optional[str]) -> str:
    """'en_GB' -> 'uk', 'US' -> 'us', None/'' -> 'intl'; other names are kept (lower-case)."""
    name = (locale or "").strip().lower().replace(" ", "_")
    if name in _ALIASES:
        return _ALIASES[name]
    if not _SAFE_NAME.match(name):
        return DEFAULT_LOCALE
    if "_" in name or "-" in name:  # "en_ie" -> try "ie"
        region = re.split(r"[_-]", name)[-1]
        return _ALIASES.get(region, region)
    return name


@lru_cache(maxsize=32)
def _load(locale: str) -> Resources:
    path = RESOURCES_DIR / f"{locale}.yml"
    if locale != DEFAULT_LOCALE and not path.is_file():
        return _load(DEFAULT_LOCALE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, Mapping):
            raise ValueError("not a mapping")
        return _parse(raw, locale)
    except Exception as error:  # noqa: BLE001 - the safety message must still be shown
        logger.warning(
            "Could not read help resources %s (%s); using the international ones", path, error
        )
        return _BUILT_IN_INTL if locale == DEFAULT_LOCALE else _load(DEFAULT_LOCALE)


def resources(locale: Optional[str] = None) -> Resources:
    """The help resources for ``locale`` (default: ``$STEADY_LOCALE``, else ``intl``)."""
    if locale is None:
        locale = os.environ.get(LOCALE_ENV, DEFAULT_LOCALE)
    return _load(normalise_locale(locale))


# ---------------------------------------------------------------------------------------------
# The two messages. Phone-sized: each stays under 700 characters for every locale file.
# ---------------------------------------------------------------------------------------------


def _short_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def _how_to_reach(line: HelpLine) -> str:
    """'call or text 988', 'call 116 123', 'text 741741' ('' when the line is a website)."""
    if line.call and line.text and line.call == line.text:
        return f"call or text {line.call}"
    if line.call and line.text:
        return f"call {line.call} or text {line.text}"
    if line.call:
        return f"call {line.call}"
    if line.text:
        return f"text {line.text}"
    return ""


def _line_text(line: HelpLine, where: str = "") -> str:
    """'In the US, call or text 988 (988 Suicide & Crisis Lifeline, 24/7), 988lifeline.org'."""
    how = _how_to_reach(line)
    about = ", ".join(p for p in (line.name, line.hours) if p)
    url = _short_url(line.url) if line.url else ""
    if how:
        head = f"{where}, {how}" if where else how[0].upper() + how[1:]
        text = f"{head} ({about})"
        return f"{text}, {url}" if url else text
    return f"{where + ': ' if where else ''}{about}: {url}"


def crisis_message(locale: Optional[str] = None) -> str:
    """Warm, short, and practical: a crisis line, findahelpline.com, emergency services."""
    res = resources(locale)
    lines = [
        "I'm really glad you told me, and I'm so sorry it hurts this much. You deserve "
        "support from a real person right now. I'm an automated tool, not a crisis service."
    ]
    for line in res.crisis_lines:
        lines.append(f"• {_line_text(line, f'In {res.country}' if res.country else '')}")
    directory = _short_url(res.directory.url)
    if res.crisis_lines:
        lines.append(f"• Anywhere else: {directory}")
    else:
        lines.append(f"• Free, confidential helplines in your country: {directory}")
    lines.append(f"• If you might act on these thoughts or are in danger now, {res.emergency}.")
    lines.append(
        "I've paused our exercise. Whenever you want to come back to it, just tell me "
        "what happened."
    )
    return "\n".join(lines)


def safety_concern_message(locale: Optional[str] = None) -> str:
    """Why Steady won't coach a message here, where to get help, and a privacy note."""
    res = resources(locale)
    lines = [
        "Thank you for telling me. What you describe sounds like it may not be safe, and "
        "your safety comes first.",
        'I won\'t help write a "When you …, I felt …" message about this. Those messages '
        "assume two equals who are safe with each other; with a partner who hurts, "
        "threatens, watches or controls you, they can make things more dangerous.",
    ]
    for line in res.abuse_lines:
        lines.append(f"• {_line_text(line, f'In {res.country}' if res.country else '')}")
    if not res.abuse_lines:
        lines.append(
            f"• Domestic-abuse support near you: {_short_url(res.abuse_directory.url)}"
            f" or {_short_url(res.directory.url)}"
        )
    lines.append(f"• In immediate danger: {res.emergency}.")
    lines.append(
        "If your partner can use this device or account, they may see this chat and "
        'your saved drafts. Saying "delete all my data" removes everything at once.'
    )
    return "\n".join(lines)
