"""The web chat: Rasa's socket.io channel made safe to face the public, plus its page.

``credentials.yml`` names :class:`WebChatInput`. Compared with Rasa's own
``SocketIOInput`` it

* serves the page at ``/chat`` (``web/index.html`` with the ``rasa-webchat`` widget
  installed from npm by ``make install``), with a Content-Security-Policy;
* accepts socket connections from the page's own origin only, plus origins listed in
  ``STEADY_WEB_ORIGINS``, instead of Rasa's "any origin";
* keeps each browser's conversation across reloads (session persistence) but decides
  the sender itself: a session id must be one the server could have issued (32 hex
  digits), and a message is filed under the session its socket asked for, never under
  whatever id the message claims, so one browser cannot write into another's
  conversation by naming it;
* escapes the text it sends: the widget renders bot messages as Markdown, and a
  draft made of the person's own words must read exactly as they wrote it;
* limits how many messages a session, and a client address, may send
  (``STEADY_SESSION_LIMIT``, ``STEADY_ADDRESS_LIMIT``; :mod:`bot.limits`): a message over
  the limit is not handed to Rasa, and the person is asked to slow down and send it again,
  so one client's flood cannot slow everyone else's replies;
* hands Rasa its messages through :func:`bot.channels.handed_by`, so it can only ever
  address web chat conversations.
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import privacy
from bot.channels import client_address, handed_by
from bot.config import (FloodSettings, WebSettings, load_flood_settings, load_settings,
                        load_web_settings)
from bot.limits import SLOW_DOWN, FloodGuard

logger = logging.getLogger(__name__)

PAGE_PATH = "/chat"
PRIVACY_PAGE = "privacy"  # /chat/privacy: the short version of "What Steady stores"
SOCKET_PATH = "/socket.io"
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")

# The widget's own bundle is served from node_modules; the rest is ours.
ASSETS = {
    "webchat.js": ("node_modules/rasa-webchat/lib/index.js", "application/javascript"),
    "steady.js": ("steady.js", "application/javascript"),
    "steady.css": ("steady.css", "text/css"),
}
SECURITY_HEADERS = {
    # The widget styles itself inline; scripts come only from this server. Its @import of
    # a Google font is blocked on purpose: opening a private chat tells no third party.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# Every ASCII punctuation character may be backslash-escaped in Markdown; these are the
# ones that change how the widget (react-markdown) shows text.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
# What Markdown takes for an HTML tag is left alone: the widget shows raw HTML as text,
# verbatim, so an escape inside it would show up as a stray backslash.
_TAG = re.compile(r"(<[A-Za-z/!?][^<>\n]*>)")


def markdown_safe(text: str) -> str:
    """Text that the widget's Markdown renderer shows exactly as written, line breaks kept."""
    pieces = _TAG.split(text)  # odd positions are tags
    escaped = "".join(piece if index % 2 else _MARKDOWN.sub(r"\\\1", piece)
                      for index, piece in enumerate(pieces))
    return "  \n".join(escaped.split("\n"))


class WebChatOutput(SocketIOOutput):
    @classmethod
    def name(cls) -> Text:
        return WebChatInput.name()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": markdown_safe(part)})

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        parts = text.strip().split("\n\n") or [text]
        messages: List[Dict[Text, Any]] = [
            {"text": markdown_safe(part), "quick_replies": []} for part in parts
        ]
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in buttons
        ]
        for message in messages:
            await self._send_message(recipient_id, message)


class _Page:
    """The chat page and its assets, read once at start-up."""

    def __init__(self, settings: WebSettings) -> None:
        self.files: Dict[str, tuple] = {}
        self.missing: List[str] = []
        for name, (relative, content_type) in {"index.html": ("index.html", "text/html"),
                                               **ASSETS}.items():
            path = settings.web_dir / relative
            if path.is_file():
                self.files[name] = (path.read_bytes(), content_type)
            else:
                self.missing.append(str(path))
        self.files[PRIVACY_PAGE] = (privacy.as_html(load_settings()).encode(), "text/html")
        if self.missing:
            logger.warning("Web chat page incomplete (run `make install`): missing %s",
                           ", ".join(self.missing))

    def serve(self, name: str) -> HTTPResponse:
        if self.missing:
            return response.text(
                "The chat page is not installed: run `make install` (it runs npm ci in web/).",
                status=503, headers=SECURITY_HEADERS,
            )
        if name not in self.files:
            return response.text("Not found", status=404)
        body, content_type = self.files[name]
        headers = dict(SECURITY_HEADERS, **{"Cache-Control": "no-cache"})
        return response.raw(body, content_type=f"{content_type}; charset=utf-8", headers=headers)


class _WebChatBlueprint(SocketBlueprint):
    """Attaches the socket.io server and the page at the application root."""

    def __init__(self, sio: AsyncServer, page: _Page, *args: Any, **kwargs: Any) -> None:
        super().__init__(sio, SOCKET_PATH, *args, **kwargs)
        self.ctx.page = page

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        page = self.ctx.page

        async def index(_: Request) -> HTTPResponse:
            return page.serve("index.html")

        async def asset(_: Request, name: str) -> HTTPResponse:
            if name in ASSETS or name == PRIVACY_PAGE:
                return page.serve(name)
            return response.text("Not found", status=404)

        app.add_route(index, PAGE_PATH, methods=["GET"], name="steady_chat_page")  # and /chat/
        app.add_route(asset, PAGE_PATH + "/<name>", methods=["GET"], name="steady_chat_asset")
        super().register(app, options)


class WebChatInput(SocketIOInput):
    """Socket.io for the ``rasa-webchat`` widget; see the module docstring."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(settings=load_web_settings(), flood=load_flood_settings())

    def __init__(self, settings: Optional[WebSettings] = None,
                 flood: Optional[FloodSettings] = None) -> None:
        super().__init__(session_persistence=True, socketio_path=SOCKET_PATH)
        self.settings = settings or load_web_settings()
        flood = flood or load_flood_settings()
        self.flood = FloodGuard(flood.per_session, flood.per_address)
        # socket id -> (the conversation it asked for, the client's address)
        self.sessions: Dict[str, Tuple[str, str]] = {}

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
            session_id = asked if isinstance(asked, str) and _SESSION_ID.match(asked) else uuid.uuid4().hex
            request = (sio.get_environ(sid) or {}).get("sanic.request")
            self.sessions[sid] = (session_id, client_address(request))
            sio.enter_room(sid, session_id)  # python-socketio 5.9: not a coroutine (see pins)
            await sio.emit("session_confirm", session_id, room=sid)

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
