"""Settings read from the environment, with embedded defaults for a laptop.

Everything a host may change lives here, so the rest of the code never reads
``os.environ`` itself and the README can list the variables from one place.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Tuple

from bot.limits import Limit, parse_limit

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    tracker_store_url: str
    keys_url: str = ""
    key_file: Path = Path(".steady/secret.key")
    secret_key: Optional[str] = field(default=None, repr=False)
    retention_days: Optional[int] = None
    # Conversations (Rasa's tracker store) are the working copy of an exercise; the drafts
    # are what people keep. Events older than this are pruned.
    conversation_retention_days: int = 30


def _days(env, name: str) -> Optional[int]:
    value = (env.get(name) or "").strip()
    if value and (not value.isdigit() or int(value) < 1):
        raise ValueError(f"{name} must be a whole number of days (1 or more)")
    return int(value) if value else None


def load_settings(environ: "os._Environ[str] | dict[str, str] | None" = None) -> Settings:
    """Read settings now (not at import time), so tests can point at temp dirs."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("STEADY_DATA_DIR", ".steady")).expanduser().resolve()
    database_url = env.get("STEADY_DATABASE_URL") or f"sqlite:///{data_dir / 'steady.db'}"
    tracker_url = env.get("STEADY_TRACKER_STORE_URL") or f"sqlite:///{data_dir / 'tracker.db'}"
    conversation_days = _days(env, "STEADY_CONVERSATION_RETENTION_DAYS")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        tracker_store_url=tracker_url,
        keys_url=env.get("STEADY_KEYS_URL") or f"sqlite:///{data_dir / 'keys.db'}",
        key_file=Path(env.get("STEADY_KEY_FILE") or data_dir / "secret.key").expanduser(),
        secret_key=(env.get("STEADY_SECRET_KEY") or "").strip() or None,
        retention_days=_days(env, "STEADY_RETENTION_DAYS"),
        conversation_retention_days=conversation_days or Settings.conversation_retention_days,
    )


@dataclass(frozen=True)
class WebSettings:
    """The web chat page served by the Rasa server at ``/chat``."""

    web_dir: Path
    # Origins besides the page's own that may open the socket (an embedding site).
    # Empty by default: same origin only, never a wildcard.
    extra_origins: Tuple[str, ...]


def load_web_settings(environ: "os._Environ[str] | dict[str, str] | None" = None) -> WebSettings:
    env = os.environ if environ is None else environ
    web_dir = Path(env.get("STEADY_WEB_DIR") or ROOT / "web").expanduser().resolve()
    origins = tuple(
        origin.strip().rstrip("/")
        for origin in env.get("STEADY_WEB_ORIGINS", "").split(",")
        if origin.strip()
    )
    if "*" in origins:
        raise ValueError("STEADY_WEB_ORIGINS must list origins; a wildcard is not allowed")
    return WebSettings(web_dir=web_dir, extra_origins=origins)


TELEGRAM_API_URL = "https://api.telegram.org"


@dataclass(frozen=True)
class TelegramSettings:
    """Telegram is on when a bot token is set; webhook mode when a public URL is set too."""

    token: Optional[str]
    api_url: str
    webhook_url: Optional[str]
    webhook_secret: Optional[str]

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    @property
    def mode(self) -> str:
        if not self.token:
            return "off"
        return "webhook" if self.webhook_url else "polling"


def load_telegram_settings(
    environ: "os._Environ[str] | dict[str, str] | None" = None,
) -> TelegramSettings:
    env = os.environ if environ is None else environ
    token = (env.get("TELEGRAM_TOKEN") or "").strip() or None
    secret = (env.get("TELEGRAM_WEBHOOK_SECRET") or "").strip() or None
    if token and not secret:
        # Derived from the token, so every instance agrees on it without another setting,
        # and nobody without the token can compute it. Telegram allows [A-Za-z0-9_-].
        secret = hmac.new(token.encode(), b"steady-telegram-webhook", hashlib.sha256).hexdigest()
    return TelegramSettings(
        token=token,
        api_url=(env.get("TELEGRAM_API_URL") or TELEGRAM_API_URL).rstrip("/"),
        webhook_url=(env.get("TELEGRAM_WEBHOOK_URL") or "").strip() or None,
        webhook_secret=secret,
    )


_BOT_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


def telegram_link(
    code: str, environ: "os._Environ[str] | dict[str, str] | None" = None
) -> Optional[str]:
    """``https://t.me/<bot>?start=<code>`` when ``STEADY_TELEGRAM_BOT`` names the bot (its
    username, without @), so a link code made in the web chat opens Telegram already linked;
    None otherwise."""
    env = os.environ if environ is None else environ
    name = (env.get("STEADY_TELEGRAM_BOT") or "").strip().lstrip("@")
    if not name or not _BOT_USERNAME.match(name) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code):
        return None
    return f"https://t.me/{name}?start={code}"


def public_page(
    path: str, environ: "os._Environ[str] | dict[str, str] | None" = None
) -> Optional[str]:
    """The address of one of Steady's own pages for people to share (``/partner``): under
    ``STEADY_PUBLIC_URL`` (where people reach the web chat, e.g. https://steady.example.org),
    else under the Telegram webhook's host; None when neither is set (polling, locally)."""
    env = os.environ if environ is None else environ
    base = (env.get("STEADY_PUBLIC_URL") or "").strip().rstrip("/")
    if not base:
        hook = (env.get("TELEGRAM_WEBHOOK_URL") or "").strip()
        found = re.match(r"^(https?://[^/\s]+)", hook)
        base = found.group(1) if found else ""
    if not re.match(r"^https?://[^/\s]+", base):
        return None
    return base + "/" + path.lstrip("/")


MIN_REST_TOKEN = 16


@dataclass(frozen=True)
class RestSettings:
    """REST, for the host's scripts and tests: on only when a token is set."""

    token: Optional[str] = field(default=None, repr=False)

    @property
    def enabled(self) -> bool:
        return bool(self.token)


def load_rest_settings(environ: "os._Environ[str] | dict[str, str] | None" = None) -> RestSettings:
    env = os.environ if environ is None else environ
    token = (env.get("STEADY_REST_TOKEN") or "").strip() or None
    if token and len(token) < MIN_REST_TOKEN:
        raise ValueError(
            f"STEADY_REST_TOKEN must be at least {MIN_REST_TOKEN} characters "
            "(make run makes one: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')"
        )
    return RestSettings(token=token)


@dataclass(frozen=True)
class FloodSettings:
    """How many messages a conversation and a client address may send (bot.limits)."""

    per_session: Optional[Limit]
    per_address: Optional[Limit]


DEFAULT_SESSION_LIMIT = Limit(10, 10)  # a burst of 10, then one message a second
DEFAULT_ADDRESS_LIMIT = Limit(10, 10)  # the same for all sessions from one address together


def load_flood_settings(
    environ: "os._Environ[str] | dict[str, str] | None" = None,
) -> FloodSettings:
    env = os.environ if environ is None else environ
    return FloodSettings(
        per_session=parse_limit(
            env.get("STEADY_SESSION_LIMIT"), "STEADY_SESSION_LIMIT", DEFAULT_SESSION_LIMIT
        ),
        per_address=parse_limit(
            env.get("STEADY_ADDRESS_LIMIT"), "STEADY_ADDRESS_LIMIT", DEFAULT_ADDRESS_LIMIT
        ),
    )


def lock_store_endpoint(url: Optional[str]) -> Optional[dict]:
    """Rasa's Redis lock store from ``STEADY_LOCK_STORE_URL`` (``redis://[:pw@]host:port/db``).

    With several Rasa servers, the lock store makes one person's messages go through one
    at a time, whichever server receives them. Unset: Rasa's in-memory lock (one server).
    """
    if not url:
        return None
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError("STEADY_LOCK_STORE_URL must be a redis:// URL")
    endpoint = {
        "type": "redis",
        "url": parsed.hostname or "localhost",
        "port": parsed.port or 6379,
        "db": int((parsed.path or "/0").strip("/") or 0),
        "key_prefix": "steady",
        "use_ssl": parsed.scheme == "rediss",
    }
    if parsed.password:
        endpoint["password"] = parsed.password
    return endpoint


def write_endpoints(
    template: Path,
    target: Path,
    action_url: str,
    environ: "os._Environ[str] | dict[str, str] | None" = None,
) -> Path:
    """Copy ``endpoints.yml`` with what this process should use: the action server URL,
    and the lock store when ``STEADY_LOCK_STORE_URL`` is set.

    ``endpoints.yml`` itself stays runnable as-is (``rasa shell`` with the action
    server on its default port); ``make run`` and the tests write a copy when the
    action server listens elsewhere.
    """
    import yaml

    env = os.environ if environ is None else environ
    endpoints = yaml.safe_load(template.read_text())
    endpoints["action_endpoint"] = {**(endpoints.get("action_endpoint") or {}), "url": action_url}
    lock_store = lock_store_endpoint(env.get("STEADY_LOCK_STORE_URL"))
    if lock_store:
        endpoints["lock_store"] = lock_store
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return target
