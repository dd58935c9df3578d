"""The web chat's drafts view: the person's saved drafts, beside the chat.

The browser asks over its chat socket (the ``drafts`` event, answered by acknowledgement);
:class:`bot.channels.webchat.WebChatInput` hands the request here with the session id
*the server issued to that socket*, never one the request names. Drafts are then found
exactly as the chat's own actions find them: by the identity ``("webchat", session id)``
in the same draft store (so a web chat linked to Telegram sees the same person's drafts),
and by the person's own draft numbers, which only ever reach that person's rows. There is
no global draft id to guess.

What it offers: the list (filter by status and trigger) with the full text, the patterns
summary ("what sets me off most?"), mark as sent / archive / back to drafts, delete, and
the Markdown export, all built by :mod:`bot.review` like the chat's answers.

Plain Python apart from the store: the store is blocking (SQLAlchemy), so each request
runs in a worker thread. Nothing a person wrote is logged. The unwrapped person key is
forgotten after every request, so "delete all my data" (which runs in the action server)
leaves no key of theirs in this process either.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Optional, Tuple

from bot.review import PATTERN_WEEKS, format_export, format_patterns, since
from bot.storage import DraftRecord, DraftStore, StorageUnavailable
from bot.triggers import TRIGGERS, label

logger = logging.getLogger(__name__)

CHANNEL = "webchat"
STATUSES = ("draft", "sent", "archived")
MAX_LISTED = 500
MAX_NUMBER = 10_000_000


def _number(value: Any) -> Optional[int]:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 1 <= number <= MAX_NUMBER else None


def _choice(value: Any, allowed) -> Optional[str]:
    return value if isinstance(value, str) and value in allowed else None


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y").lstrip("0")


def as_json(draft: DraftRecord) -> Dict[str, Any]:
    return {
        "number": draft.number,
        "created": draft.created_at.isoformat(),
        "date": _when(draft.created_at),
        "trigger": draft.trigger_type or "other",
        "trigger_label": label(draft.trigger_type),
        "status": draft.status,
        "feeling": draft.feeling or "",
        "text": draft.text,
    }


def store_from_settings(environ=None) -> DraftStore:
    """The draft store the action server uses, as the Rasa server's settings name it.

    A deployment whose Rasa servers were given a tracker store database but no
    ``STEADY_DATABASE_URL`` would otherwise open an empty SQLite file of its own and show
    everyone an empty drafts view: that is refused (the view says drafts can't be reached)
    and the log says which setting is missing.
    """
    import os

    from bot.config import load_settings

    env = os.environ if environ is None else environ
    settings = load_settings(env)
    if not env.get("STEADY_DATABASE_URL") and not settings.tracker_store_url.startswith("sqlite"):
        logger.error(
            "The web chat's drafts view needs STEADY_DATABASE_URL (and STEADY_KEYS_URL, "
            "STEADY_SECRET_KEY) on the Rasa servers too, the same as the action server's"
        )
        raise StorageUnavailable("STEADY_DATABASE_URL not set on the Rasa server")
    return DraftStore.from_settings(settings)


_SHARED: Dict[Tuple[str, str], DraftStore] = {}
_SHARED_LOCK = threading.Lock()


def shared_store() -> DraftStore:
    """The one draft store of this Rasa server (the drafts view and the check-ins' delivery
    share its engine; schema checked once), for the databases the settings name now."""
    import os

    from bot.config import load_settings

    settings = load_settings(os.environ)
    key = (settings.database_url, settings.keys_url)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = store_from_settings()
        return _SHARED[key]


class WebDrafts:
    """Answers the drafts view's requests for one session; see the module docstring."""

    def __init__(
        self,
        store: Optional[DraftStore] = None,
        make_store: Optional[Callable[[], DraftStore]] = None,
    ) -> None:
        self._store = store
        self._make_store = make_store
        self._lock = threading.Lock()
        # One request at a time: each ends by forgetting the keys it unwrapped, which must
        # not happen under another request's feet. The view asks seldom; this is plenty.
        self._serial = threading.Lock()

    @property
    def store(self) -> DraftStore:
        with self._lock:
            if self._store is None:
                self._store = (self._make_store or shared_store)()
            return self._store

    async def handle(self, session_id: str, request: Any) -> Dict[str, Any]:
        """The answer to one request of the session's drafts view (JSON-able)."""
        if not isinstance(request, dict):
            return {"ok": False, "error": "bad_request"}
        try:
            return await asyncio.to_thread(self.answer, session_id, request)
        except StorageUnavailable as error:
            logger.warning("Drafts view: storage unavailable (%s)", error)
            return {"ok": False, "error": "storage"}
        except Exception as error:  # noqa: BLE001 - say what kind, never the person's words
            logger.error("Drafts view: %s", error.__class__.__name__)
            return {"ok": False, "error": "failed"}

    def answer(self, session_id: str, request: Dict[str, Any]) -> Dict[str, Any]:
        with self._serial:
            return self._answer(session_id, request)

    def _answer(self, session_id: str, request: Dict[str, Any]) -> Dict[str, Any]:
        op = request.get("op")
        try:
            if op == "list":
                return self._list(
                    session_id,
                    _choice(request.get("status"), STATUSES),
                    _choice(request.get("trigger"), TRIGGERS),
                )
            if op == "export":
                return self._export(session_id)
            number = _number(request.get("number"))
            if op == "set_status":
                status = _choice(request.get("status"), STATUSES)
                if number is None or status is None:
                    return {"ok": False, "error": "bad_request"}
                changed = self.store.update_draft(CHANNEL, session_id, number, status=status)
                return {"ok": changed is not None, "error": None if changed else "not_found"}
            if op == "delete":
                if number is None:
                    return {"ok": False, "error": "bad_request"}
                deleted = self.store.delete_draft(CHANNEL, session_id, number)
                return {"ok": deleted, "error": None if deleted else "not_found"}
            return {"ok": False, "error": "unknown_op"}
        finally:
            self._forget_keys()

    def _list(
        self, session_id: str, status: Optional[str], trigger: Optional[str]
    ) -> Dict[str, Any]:
        drafts = self.store.list_drafts(
            CHANNEL, session_id, limit=MAX_LISTED, status=status, trigger_type=trigger
        )
        counts = self.store.trigger_counts(CHANNEL, session_id, since=since(PATTERN_WEEKS))
        return {
            "ok": True,
            "drafts": [as_json(draft) for draft in drafts],
            "patterns": format_patterns(counts),
            "triggers": [{"value": name, "label": text} for name, text in TRIGGERS.items()],
        }

    def _export(self, session_id: str) -> Dict[str, Any]:
        drafts = self.store.list_drafts(CHANNEL, session_id, limit=10_000)
        today = datetime.now(timezone.utc)
        return {
            "ok": True,
            "count": len(drafts),
            "markdown": format_export(
                drafts,
                today,
                loved=self.store.list_loved(CHANNEL, session_id),
                routines=self.store.list_routines(CHANNEL, session_id),
                checkins=self.store.list_checkins(CHANNEL, session_id),
            ),
            "filename": f"steady-drafts-{today:%Y-%m-%d}.md",
        }

    def _forget_keys(self) -> None:
        """Unwrapped person keys stay in the action server's memory only."""
        if self._store is not None:
            self._store.forget_keys()
