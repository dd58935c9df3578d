"""The web chat: Rasa's socket.io channel made safe to face the public, plus its page.

``credentials.yml`` names :class:`WebChatInput`. Compared with Rasa's own
``SocketIOInput`` it

* serves the page at ``/chat``: ``web/index.html`` with Steady's own chat client
  (``web/steady.js``, ``web/steady.css``, plain files, no build step) and socket.io-client 4's
  browser build from ``web/node_modules`` (installed by ``make install`` from
  ``web/package-lock.json``; never a committed bundle), with a Content-Security-Policy.
  Assets are gzip-compressed when the browser accepts it, have an ETag (a matching
  ``If-None-Match`` gets 304), and are linked from the page under names holding a hash of
  their content, cached for a year; the page itself is revalidated on every visit;
* accepts socket connections from the page's own origin only, plus origins listed in
  ``STEADY_WEB_ORIGINS``, instead of Rasa's "any origin";
* keeps each browser's conversation across reloads (session persistence) but decides
  the sender itself: a session id must be one the server could have issued (32 hex
  digits), and a message is filed under the session its socket asked for, never under
  whatever id the message claims, so one browser cannot write into another's
  conversation by naming it;
* sends the bot's text as plain text (the client shows it with ``textContent``, never as
  HTML or Markdown), one bubble per message, buttons as ``quick_replies``; and, when an
  action says the person's data was deleted (a custom payload ``{"steady":
  "data_deleted"}``), tells the browser with ``{"signal": "data_deleted"}`` so it wipes its
  own copy and starts a new session;
* answers the drafts view (the ``drafts`` event, :mod:`bot.channels.web_drafts`) for the
  session the socket holds, and nobody else's;
* limits how many messages a session, and a client address, may send
  (``STEADY_SESSION_LIMIT``, ``STEADY_ADDRESS_LIMIT``; :mod:`bot.limits`): a message over
  the limit is not handed to Rasa, and the person is asked to slow down and send it again,
  so one client's flood cannot slow everyone else's replies (the drafts view has a budget
  three times as large, of its own);
* hands Rasa its messages through :func:`bot.channels.handed_by`, so it can only ever
  address web chat conversations.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio import exceptions as socketio_exceptions

from bot import partner, privacy
from bot.channels import client_address, handed_by
from bot.channels.checkins import Courier, interval, shown_at_visit
from bot.channels.web_drafts import WebDrafts
from bot.config import (
    FloodSettings,
    WebSettings,
    load_flood_settings,
    load_settings,
    load_web_settings,
)
from bot.limits import SLOW_DOWN, FloodGuard, Limit

logger = logging.getLogger(__name__)

PAGE_PATH = "/chat"
PRIVACY_PAGE = "privacy"  # /chat/privacy: the short version of "What Steady stores"
PARTNER_PAGE = "partner"  # /partner and /chat/partner: for the person's partner (bot/partner.py)
SOCKET_PATH = "/socket.io"
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
# A check-in shown at a visit waits this long for the page's acknowledgement, on up to this
# many sockets of the conversation, before it goes back for the next visit.
SHOW_SECONDS = 5.0
SHOW_TRIES = 3

# What an action puts in a message's custom payload when it has deleted the person's data
# (actions/safety.py, ActionDeleteAllData), and what the browser is then sent.
DATA_DELETED = {"steady": "data_deleted"}
DELETED_SIGNAL = {"signal": "data_deleted"}

# The page's assets: ours, and socket.io-client's browser build from node_modules.
ASSETS = {
    "steady.js": ("steady.js", "application/javascript"),
    "steady.css": ("steady.css", "text/css"),
    "socket.io.js": (
        "node_modules/socket.io-client/dist/socket.io.min.js",
        "application/javascript",
    ),
}
SECURITY_HEADERS = {
    # Scripts and styles come only from this server; nothing inline.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
IMMUTABLE = "public, max-age=31536000, immutable"  # a hashed name never changes content
REVALIDATE = "no-cache"  # kept, but asked about (ETag) on every use
_SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=\S+\s*$")


class WebChatOutput(SocketIOOutput):
    """Plain text, one message per bubble; buttons as quick replies."""

    @classmethod
    def name(cls) -> Text:
        return WebChatInput.name()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text.strip()})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_message(
            recipient_id,
            {
                "text": text.strip(),
                "quick_replies": [
                    {"content_type": "text", "title": button["title"], "payload": button["payload"]}
                    for button in buttons
                ],
            },
        )

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        if isinstance(json_message, dict) and json_message.get("steady") == DATA_DELETED["steady"]:
            await self._send_message(recipient_id, dict(DELETED_SIGNAL))
        else:
            logger.debug("Web chat: a custom payload the client does not know; skipped")


@dataclass(frozen=True)
class _File:
    body: bytes
    gzipped: bytes
    etag: str  # without quotes
    content_type: str
    cache: str


def _file(body: bytes, content_type: str, cache: str) -> _File:
    digest = hashlib.sha256(body).hexdigest()
    return _File(body, gzip.compress(body, 9, mtime=0), digest[:20], content_type, cache)


def hashed_name(name: str, body: bytes) -> str:
    """``steady.js`` -> ``steady.<hash of its content>.js``."""
    stem, _, suffix = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:12]}.{suffix}"


def _help_links() -> Dict[str, str]:
    """The locale's crisis resources for the page and the chat header."""
    from bot.safety.resources import resources

    found = resources()
    first = next((line.url for line in found.crisis_lines if line.url), "")
    return {
        "help_url": first or found.directory.url,
        "directory_url": found.directory.url,
        "directory_name": found.directory.name,
    }


class _Page:
    """The chat page and its assets, read (and compressed) once at start-up."""

    def __init__(self, settings: WebSettings) -> None:
        self.files: Dict[str, _File] = {}
        self.missing: List[str] = []
        raw: Dict[str, bytes] = {}
        for name, (relative, _) in {"index.html": ("index.html", "text/html"), **ASSETS}.items():
            path = settings.web_dir / relative
            if path.is_file():
                raw[name] = _SOURCE_MAP.sub(b"", path.read_bytes())
            else:
                self.missing.append(str(path))
        if self.missing:
            logger.warning(
                "Web chat page incomplete (run `make install`): missing %s", ", ".join(self.missing)
            )
            return
        self.hashed = {name: hashed_name(name, raw[name]) for name in ASSETS}
        for name, (_, content_type) in ASSETS.items():
            self.files[name] = _file(raw[name], content_type, REVALIDATE)  # for embedding sites
            self.files[self.hashed[name]] = _file(raw[name], content_type, IMMUTABLE)
        page = raw["index.html"].decode("utf-8")
        for placeholder, value in _help_links().items():
            page = page.replace("{{%s}}" % placeholder, html.escape(value, quote=True))
        self.files["index.html"] = _file(self._linked(page).encode(), "text/html", REVALIDATE)
        self.files[PRIVACY_PAGE] = _file(
            self._linked(privacy.as_html(load_settings())).encode(), "text/html", REVALIDATE
        )
        self.files[PARTNER_PAGE] = _file(
            self._linked(partner.as_html()).encode(), "text/html", REVALIDATE
        )

    def _linked(self, page: str) -> str:
        """The page with its assets under their hashed names."""
        for name, hashed in self.hashed.items():
            page = page.replace(f'"{PAGE_PATH}/{name}"', f'"{PAGE_PATH}/{hashed}"')
        return page

    def serve(self, name: str, request: Optional[Request] = None) -> HTTPResponse:
        if self.missing:
            return response.text(
                "The chat page is not installed: run `make install` (it runs npm ci in web/).",
                status=503,
                headers=SECURITY_HEADERS,
            )
        found = self.files.get(name)
        if found is None:
            return response.text("Not found", status=404)
        headers = request.headers if request is not None else {}
        zipped = "gzip" in (headers.get("accept-encoding") or "").lower()
        etag = f'"{found.etag}{"-gz" if zipped else ""}"'
        out = dict(
            SECURITY_HEADERS,
            **{"Cache-Control": found.cache, "ETag": etag, "Vary": "Accept-Encoding"},
        )
        asked = headers.get("if-none-match") or ""
        if asked.strip() == "*" or etag in [
            tag.strip().removeprefix("W/") for tag in asked.split(",")
        ]:
            return HTTPResponse(status=304, headers=out)
        if zipped:
            out["Content-Encoding"] = "gzip"
        return response.raw(
            found.gzipped if zipped else found.body,
            headers=out,
            content_type=f"{found.content_type}; charset=utf-8",
        )


class _WebChatBlueprint(SocketBlueprint):
    """Attaches the socket.io server and the page at the application root."""

    def __init__(self, sio: AsyncServer, page: _Page, *args: Any, **kwargs: Any) -> None:
        super().__init__(sio, SOCKET_PATH, *args, **kwargs)
        self.ctx.page = page

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        page = self.ctx.page

        async def index(request: Request) -> HTTPResponse:
            return page.serve("index.html", request)

        async def asset(request: Request, name: str) -> HTTPResponse:
            if name != "index.html":
                return page.serve(name, request)
            return response.text("Not found", status=404)

        async def for_partner(request: Request) -> HTTPResponse:
            return page.serve(PARTNER_PAGE, request)

        app.add_route(index, PAGE_PATH, methods=["GET"], name="steady_chat_page")  # and /chat/
        # a short address to share: the page for the partner, also at /chat/partner
        app.add_route(for_partner, "/" + PARTNER_PAGE, methods=["GET"], name="steady_partner_page")
        app.add_route(asset, PAGE_PATH + "/<name>", methods=["GET"], name="steady_chat_asset")
        super().register(app, options)


def _three_times(limit: Optional[Limit]) -> Optional[Limit]:
    return Limit(limit.count * 3, limit.seconds) if limit else None


class WebChatInput(SocketIOInput):
    """Socket.io for Steady's web chat client; see the module docstring."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(settings=load_web_settings(), flood=load_flood_settings())

    def __init__(
        self, settings: Optional[WebSettings] = None, flood: Optional[FloodSettings] = None
    ) -> None:
        super().__init__(session_persistence=True, socketio_path=SOCKET_PATH)
        self.settings = settings or load_web_settings()
        flood = flood or load_flood_settings()
        self.flood = FloodGuard(flood.per_session, flood.per_address)
        self.drafts_flood = FloodGuard(
            _three_times(flood.per_session), _three_times(flood.per_address)
        )
        self.drafts = WebDrafts()
        self.courier = Courier(lambda: self.drafts.store)  # check-ins shown at a visit
        self.checkin_every = interval()
        # socket id -> (the conversation it asked for, the client's address)
        self.sessions: Dict[str, Tuple[str, str]] = {}

    def _socket_of(self, session_id: str) -> Optional[str]:
        """The newest socket that holds this conversation (a page reloaded leaves the old
        one to close)."""
        held = [sid for sid, (session, _) in self.sessions.items() if session == session_id]
        return held[-1] if held else None

    def _shown_to(self, session_id: str) -> Callable[[Any, str], Awaitable[None]]:
        """How a check-in reaches the page: sent to the conversation's socket, which
        acknowledges it; without an acknowledgement (the page closed or reconnected) it is
        tried on the conversation's newest socket, then given back for the next visit. The
        page shows a check-in it has shown already only once (by its number)."""

        async def show(record: Any, text: str) -> None:
            for _ in range(SHOW_TRIES):
                sid = self._socket_of(session_id)
                if sid is None or self.sio is None:
                    break
                try:
                    await self.sio.call(
                        self.bot_message_evt,
                        {"text": text.strip(), "checkin": record.id},
                        to=sid,
                        timeout=SHOW_SECONDS,
                    )
                    return
                except (socketio_exceptions.TimeoutError, socketio_exceptions.SocketIOError):
                    continue
            raise ConnectionError("the page did not acknowledge the check-in")

        return show

    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def origin_allowed(self, origin: Optional[str], environ: Dict[str, Any]) -> bool:
        """Same origin as the page (as the browser reached it), or one listed in settings."""
        if not origin:
            return True  # not a browser (curl, tests): nothing cross-origin to guard
        origin = origin.rstrip("/")
        host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST", "")
        scheme = environ.get("wsgi.url_scheme", "http")
        return origin == f"{scheme}://{host}" or origin in self.settings.extra_origins

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = handed_by(self.name(), on_new_message)
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.origin_allowed)
        self.sio = sio
        bp = _WebChatBlueprint(sio, _Page(self.settings), "steady_webchat", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("disconnect")
        async def disconnect(sid: Text) -> None:
            self.sessions.pop(sid, None)

        @sio.on("session_request")
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            session_id = (
                asked if isinstance(asked, str) and _SESSION_ID.match(asked) else uuid.uuid4().hex
            )
            request = (sio.get_environ(sid) or {}).get("sanic.request")
            previous = self.sessions.get(sid)
            if previous and previous[0] != session_id:  # a new session on the same socket
                sio.leave_room(sid, previous[0])  # python-socketio 5.9: not a coroutine
            self.sessions[sid] = (session_id, client_address(request))
            sio.enter_room(sid, session_id)  # python-socketio 5.9: not a coroutine (see pins)
            await sio.emit("session_confirm", session_id, room=sid)
            # a visit: check-ins that came due since the last one are shown now
            # (looked for at most every STEADY_CHECKIN_SECONDS for one conversation: a
            # client reconnecting in a loop costs no query each time; a visit sooner waits
            # for its turn)
            await shown_at_visit(
                self.courier,
                self.name(),
                session_id,
                self._shown_to(session_id),
                self.checkin_every,
            )

        @sio.on("drafts")
        async def drafts(sid: Text, data: Any) -> Dict[str, Any]:
            """The drafts view, for the session this socket holds (the answer is the ack)."""
            if sid not in self.sessions:
                return {"ok": False, "error": "no_session"}
            session_id, address = self.sessions[sid]
            if not self.drafts_flood.admit(session_id, address).admitted:
                return {"ok": False, "error": "slow_down"}
            return await self.drafts.handle(session_id, data)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: Text, data: Any) -> None:
            if sid not in self.sessions:
                logger.info("Web chat message on a socket without a session: ignored")
                return
            session_id, address = self.sessions[sid]
            output = WebChatOutput(sio, self.bot_message_evt)
            verdict = self.flood.admit(session_id, address)
            if not verdict.admitted:
                if verdict.notice:
                    await output.send_text_message(session_id, SLOW_DOWN)
                return
            text = data.get("message") if isinstance(data, dict) else None
            message = UserMessage(
                text if isinstance(text, str) else "",
                output,
                session_id,
                input_channel=self.name(),
            )
            await on_new_message(message)

        return bp
