"""A fake Telegram Bot API server, for end-to-end tests of Steady's Telegram connector.

The connector talks to it exactly as it talks to https://api.telegram.org: it builds
``f"{base_url}/bot{token}/{method}"`` and POSTs JSON (form-encoded bodies and query
parameters work too). Replies use the Bot API's envelope, ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}``, with the same
HTTP status, error texts and quirks as the real server where tests may rely on them:

* getUpdates confirms (drops) every update whose update_id is below ``offset``, long-polls up to
  ``timeout`` seconds (capped by ``max_poll_timeout`` so tests stay quick), answers 409 while a
  webhook is set, and a newer getUpdates or a setWebhook ends a pending poll with 409;
* sendMessage rejects empty and over-long text, unparsable ``reply_markup`` and callback_data
  over 64 bytes, and validates ``parse_mode="HTML"`` markup;
* editMessageReplyMarkup on a message this fake sent answers "message is not modified" when the
  markup does not change (a double tap on a button does that in real life);
* answerCallbackQuery only knows callback query ids it has handed out (queue_update/post_update);
* sendDocument takes a multipart upload (or a file_id it handed out) and answers a Message with a
  Document; copyMessage copies a message this fake sent ("message to copy not found" otherwise)
  and answers a MessageId;
* leaveChat refuses private chats; after it, sending to that group is 403 Forbidden;
* wrong token -> 401 Unauthorized, unknown method -> 404 Not Found;
* ``fail_next`` -> 429 with retry_after, or a 500 (Telegram's JSON), a 502/503/504 (the HTML page
  of the proxy in front of the Bot API) or a dropped connection (status 0), optionally only for
  one chat_id.

Not modelled: file downloads, HTTPS/port rules for webhook URLs (tests use plain
http://127.0.0.1), MarkdownV2 escaping rules, chats the bot has never seen (any chat_id works),
automatic webhook delivery (call ``post_update`` explicitly), whether copyMessage copies the
original's inline keyboard (here it does not: pass reply_markup), updates from a group the bot
has left (``post_update`` delivers whatever it is given).

The server is an aiohttp app running on its own event loop in a daemon thread, so long polls never
block other requests and the test thread can use the blocking helpers (``wait_for_messages``...).
"""
from __future__ import annotations

import asyncio
import copy
import html
import inspect
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from aiohttp import web

DEFAULT_TOKEN = "123456789:AAtestTOKENfake-abc_DEF"
BOT_USERNAME = "steady_test_bot"
BOT_FIRST_NAME = "Steady Test"
MAX_MESSAGE_LENGTH = 4096
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

# Update types getUpdates returns when allowed_updates is empty or was never given.
NOT_SENT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}

CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}

# Tags Telegram accepts with parse_mode=HTML.
HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}

# How Telegram reads parameter values that arrive as strings (form bodies, query strings, or
# JSON clients that stringify everything): these are stored in `calls` as the real type.
INT_FIELDS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id",
    "max_connections", "message_thread_id", "cache_time", "from_chat_id", "user_id",
}
BOOL_FIELDS = {
    "disable_notification", "protect_content", "disable_web_page_preview",
    "allow_sending_without_reply", "drop_pending_updates", "show_alert",
}
JSON_FIELDS = {
    "reply_markup", "allowed_updates", "entities", "reply_parameters", "link_preview_options",
    "commands", "scope",
}

SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
PATH_RE = re.compile(r"^/bot([^/]+)/([^/]*)$")
HTML_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^<>]*)>")


def _bot_user(token: str = DEFAULT_TOKEN) -> dict:
    return {
        "id": int(token.split(":", 1)[0]),
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
    }


# --------------------------------------------------------------------------- update builders

_ids_lock = threading.Lock()
_last_update_id = 870_000_000  # real update ids are large, per-bot increasing numbers
_last_message_id = 1_000
_last_callback_id = 4_382_000_000_000_000_000  # callback query ids are 64-bit numbers as str


def next_update_id() -> int:
    global _last_update_id
    with _ids_lock:
        _last_update_id += 1
        return _last_update_id


def _note_update_id(update_id: int) -> None:
    """Keep automatically assigned update ids above any id a test chose itself."""
    global _last_update_id
    with _ids_lock:
        _last_update_id = max(_last_update_id, update_id)


def next_message_id() -> int:
    # One sequence for user and bot messages, so ids never collide across chats.
    global _last_message_id
    with _ids_lock:
        _last_message_id += 1
        return _last_message_id


def _next_callback_id() -> str:
    global _last_callback_id
    with _ids_lock:
        _last_callback_id += 1
        return str(_last_callback_id)


def _now() -> int:
    return int(time.time())


def _user(user_id: int, first_name: str) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}


def _chat(user_id: int, chat_type: str, first_name: str, chat_id: Optional[int]) -> dict:
    if chat_type == "private":
        return {"id": chat_id if chat_id is not None else user_id, "first_name": first_name,
                "type": "private"}
    if chat_type not in ("group", "supergroup"):
        raise ValueError(f"unsupported chat_type {chat_type!r}")
    if chat_id is None:
        # Groups have negative ids; supergroups look like -100xxxxxxxxxx.
        chat_id = -user_id if chat_type == "group" else -(10**12 + user_id)
    return {"id": chat_id, "title": "Steady test group", "type": chat_type}


def _message(user_id: int, *, chat_type: str = "private", first_name: str = "Sam",
             chat_id: Optional[int] = None, message_id: Optional[int] = None,
             date: Optional[int] = None, **content: Any) -> dict:
    return {
        "message_id": message_id if message_id is not None else next_message_id(),
        "from": _user(user_id, first_name),
        "chat": _chat(user_id, chat_type, first_name, chat_id),
        "date": date if date is not None else _now(),
        **content,
    }


def _update(kind: str, payload: dict, update_id: Optional[int]) -> dict:
    if update_id is None:
        update_id = next_update_id()
    else:
        _note_update_id(update_id)
    return {"update_id": update_id, kind: payload}


def _utf16_len(text: str) -> int:
    # Entity offsets and lengths are counted in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def text_update(user_id: int, text: str, chat_type: str = "private", first_name: str = "Sam",
                chat_id: Optional[int] = None, *, update_id: Optional[int] = None,
                message_id: Optional[int] = None) -> dict:
    """A person sends `text`; "/start" and the like get a bot_command entity like Telegram's."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]  # includes an "@botname" suffix, as Telegram's entity does
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
    message = _message(user_id, chat_type=chat_type, first_name=first_name, chat_id=chat_id,
                       message_id=message_id, **content)
    return _update("message", message, update_id)


def callback_update(user_id: int, data: str, message_id: Optional[int] = None,
                    chat_id: Optional[int] = None, *, first_name: str = "Sam",
                    message_text: str = "Pick one:", reply_markup: Optional[dict] = None,
                    update_id: Optional[int] = None, chat_type: str = "private") -> dict:
    """A person taps an inline button with callback_data `data` under bot message `message_id`.

    Pass the message_id (and reply_markup) of a message the bot sent, e.g. from
    ``FakeTelegram.sent_messages()``, for a faithful tap; by default a fresh id is used and the
    keyboard holds the one tapped button.
    """
    if reply_markup is None:
        reply_markup = {"inline_keyboard": [[{"text": data, "callback_data": data}]]}
    bot_message = {
        "message_id": message_id if message_id is not None else next_message_id(),
        "from": _bot_user(),
        "chat": _chat(user_id, chat_type, first_name, chat_id),
        "date": _now() - 5,
        "text": message_text,
        "reply_markup": reply_markup,
    }
    query = {
        "id": _next_callback_id(),
        "from": _user(user_id, first_name),
        "message": bot_message,
        "chat_instance": str(-5_000_000_000_000_000_000 + user_id),
        "data": data,
    }
    return _update("callback_query", query, update_id)


def sticker_update(user_id: int, *, emoji: str = "\U0001F44D", chat_id: Optional[int] = None,
                   update_id: Optional[int] = None) -> dict:
    n = next_message_id()
    sticker = {
        "file_id": f"CAACAgIAAxkBAAE{n:08d}fakeSticker",
        "file_unique_id": f"AgAD{n:08d}",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
        "set_name": "SteadyTestStickers",
        "file_size": 23_456,
    }
    return _update("message", _message(user_id, chat_id=chat_id, message_id=n, sticker=sticker),
                   update_id)


def photo_update(user_id: int, *, caption: Optional[str] = None, chat_id: Optional[int] = None,
                 update_id: Optional[int] = None) -> dict:
    """A photo: Telegram sends one PhotoSize per resolution, smallest first."""
    n = next_message_id()
    sizes = [(90, 67, 1_234), (320, 240, 15_678), (800, 600, 65_432)]
    photo = [
        {"file_id": f"AgACAgQAAxkBAAI{n:08d}fakePhoto{i}", "file_unique_id": f"AQAD{n:08d}{i}",
         "file_size": size, "width": w, "height": h}
        for i, (w, h, size) in enumerate(sizes)
    ]
    content: dict[str, Any] = {"photo": photo}
    if caption is not None:
        content["caption"] = caption
    return _update("message", _message(user_id, chat_id=chat_id, message_id=n, **content),
                   update_id)


def added_to_group_update(user_id: int, chat_type: str = "group", *,
                          chat_id: Optional[int] = None, update_id: Optional[int] = None) -> dict:
    """Person `user_id` adds the bot to a group: a service message with new_chat_members."""
    message = _message(user_id, chat_type=chat_type, chat_id=chat_id,
                       new_chat_members=[_bot_user()])
    return _update("message", message, update_id)


def voice_update(user_id: int, *, duration: int = 3, chat_id: Optional[int] = None,
                 update_id: Optional[int] = None) -> dict:
    n = next_message_id()
    voice = {"duration": duration, "mime_type": "audio/ogg",
             "file_id": f"AwACAgQAAxkBAAI{n:08d}fakeVoice", "file_unique_id": f"AgAD{n:08d}v",
             "file_size": 9_876}
    return _update("message", _message(user_id, chat_id=chat_id, message_id=n, voice=voice),
                   update_id)


def edited_text_update(user_id: int, text: str, *, message_id: Optional[int] = None,
                       chat_id: Optional[int] = None, update_id: Optional[int] = None) -> dict:
    """A person edits an earlier message (`message_id`, a fresh one by default) to `text`."""
    now = _now()
    message = _message(user_id, chat_id=chat_id, message_id=message_id, date=now - 60,
                       edit_date=now, text=text)
    return _update("edited_message", message, update_id)


def update_type(update: dict) -> str:
    """The kind of an Update: "message", "callback_query", "edited_message", ..."""
    return next(key for key in update if key != "update_id")


# --------------------------------------------------------------------------------- the server

class ApiError(Exception):
    """An error reply: becomes {"ok": false, "error_code", "description"[, "parameters"]}."""

    def __init__(self, code: int, description: str, parameters: Optional[dict] = None):
        super().__init__(f"{code} {description}")
        self.code, self.description, self.parameters = code, description, parameters


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass
class _Described:
    """A successful result that Telegram sends with a "description" (setWebhook, deleteWebhook)."""

    result: Any
    description: str


def _normalise(params: dict) -> dict:
    """Read string-typed values the way Telegram does (see INT_FIELDS & co)."""
    out = dict(params)
    for key, value in params.items():
        if not isinstance(value, str):
            continue
        if key in INT_FIELDS and re.fullmatch(r"-?\d+", value.strip()):
            out[key] = int(value)
        elif key in BOOL_FIELDS and value.lower() in ("true", "false"):
            out[key] = value.lower() == "true"
        elif key in JSON_FIELDS:
            try:
                out[key] = json.loads(value)
            except ValueError:
                pass  # left as a string: the method rejects it the way Telegram does
    return out


def _html_to_text(text: str) -> str:
    """The visible text of parse_mode=HTML markup, rejecting what Telegram rejects."""
    pieces, open_tags, pos = [], [], 0
    for match in re.finditer(r"<", text):
        start = match.start()
        if start < pos:
            continue
        offset = len(text[:start].encode())
        tag = HTML_TAG_RE.match(text, start)
        if tag is None:
            raise bad_request(f"can't parse entities: Unexpected character at byte offset {offset}")
        closing, name = tag.group(1), tag.group(2).lower()
        if name not in HTML_TAGS:
            raise bad_request(f'can\'t parse entities: Unsupported start tag "{name}" '
                              f"at byte offset {offset}")
        if closing:
            if not open_tags or open_tags[-1] != name:
                raise bad_request(f'can\'t parse entities: Unmatched end tag at byte offset '
                                  f'{offset}, expected "</{open_tags[-1] if open_tags else ""}>", '
                                  f'found "</{name}>"')
            open_tags.pop()
        else:
            open_tags.append(name)
        pieces.append(text[pos:start])
        pos = tag.end()
    pieces.append(text[pos:])
    if open_tags:
        raise bad_request(f'can\'t parse entities: Can\'t find end tag corresponding to start '
                          f'tag "{open_tags[-1]}"')
    return html.unescape("".join(pieces))


def _check_reply_markup(markup: Any) -> Optional[dict]:
    """Validate reply_markup like Telegram; returns it as a dict (None when absent)."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup "
                              "must be an Array of Arrays")
        for button in (b for row in rows for b in row):
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request("can't parse inline keyboard button: "
                                  "InlineKeyboardButton must have a text")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _inline_markup(markup: Optional[dict]) -> Optional[dict]:
    """The part of reply_markup a Message carries: only inline keyboards are echoed back."""
    if markup and markup.get("inline_keyboard"):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


class FakeTelegram:
    """A Bot API server on 127.0.0.1 recording every call; see the module docstring."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, max_poll_timeout: float = 2.0):
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token):
            raise ValueError(f"{token!r} does not look like a bot token")
        self.token = token
        self.max_poll_timeout = max_poll_timeout
        self.bot_user = _bot_user(token)
        self.base_url = ""
        self.calls: list[tuple[str, dict]] = []  # every authorised call, in order
        self.errors: list[tuple[str, dict, int, str]] = []  # (method, params, code, description)
        self.webhook: Optional[dict] = None
        self.commands: list[dict] = []

        # One lock (a Condition, so test-thread helpers can wait) guards all state below; the
        # server thread only ever holds it briefly.
        self._cond = threading.Condition()
        self._updates: list[dict] = []  # pending updates, by update_id
        self._confirmed_offset = 0
        self._allowed_updates: Optional[list[str]] = None
        # (method, chat_id or None) -> [times left, retry_after, status]
        self._failures: dict[tuple[str, Optional[str]], list[int]] = {}
        # Params of the calls that delivered a message (+message_id): see sent_messages()
        self._delivered: list[dict] = []
        self._files: dict[str, dict] = {}  # file_id -> Document of files uploaded
        self.left_chats: set = set()  # chat ids the bot left (leaveChat)
        self._messages: dict[tuple[Any, int], dict] = {}  # (chat_id, message_id) -> Message
        self._chats: dict[Any, dict] = {}  # chats seen in updates, for complete Message.chat
        self._callback_ids: set[str] = set()
        self._poll_generation = 0  # bumped by each getUpdates; older polls then end with 409
        self._closing = False

        self._methods: dict[str, Callable[[dict], Any]] = {
            name.lower(): handler for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "sendChatAction": self._send_chat_action,
                "answerCallbackQuery": self._answer_callback_query,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "editMessageText": self._edit_message_text,
                "deleteMessage": self._delete_message,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": lambda params: list(self.commands),
                "deleteMyCommands": self._delete_my_commands,
                "sendDocument": self._send_document,
                "copyMessage": self._copy_message,
                "leaveChat": self._leave_chat,
            }.items()
        }
        self._canonical = {
            name.lower(): name for name in (
                "getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo",
                "sendMessage", "sendChatAction", "answerCallbackQuery", "editMessageReplyMarkup",
                "editMessageText", "deleteMessage", "setMyCommands", "getMyCommands",
                "deleteMyCommands", "sendDocument", "copyMessage", "leaveChat",
            )
        }

        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None
        self._wakeup: Optional[asyncio.Event] = None  # set whenever long polls should re-check

    # ---------------------------------------------------------------------------- lifecycle

    def start(self) -> "FakeTelegram":
        """Serve on a free port of 127.0.0.1 from a background thread; returns self."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-telegram",
                                        daemon=True)
        self._thread.start()
        port = asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def _serve(self) -> int:
        self._wakeup = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # A short shutdown_timeout: stop() must not wait a minute for in-flight requests.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        return sock.getsockname()[1]

    def stop(self) -> None:
        if self._loop is None:
            return
        with self._cond:
            self._closing = True  # pending long polls return [] at once
        self._wake_pollers()
        try:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()
            self._loop = None

    def __enter__(self) -> "FakeTelegram":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _wake_pollers(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wakeup.set)

    # ----------------------------------------------------------------- test-side helpers

    def calls_of(self, method: str) -> list[dict]:
        """Params of every call of `method` (including rejected ones), in order."""
        with self._cond:
            return [params for name, params in self.calls if name == method]

    def sent_messages(self, chat_id: Optional[int] = None) -> list[dict]:
        """What the bot put in the chat, oldest first: the params of each sendMessage,
        copyMessage and sendDocument call that delivered a message.

        Calls rejected with 400/429 are not included (see calls_of/errors). Each dict is a copy
        of the params (reply_markup parsed to a dict, chat_id an int if numeric) plus the
        "message_id" Telegram assigned, e.g. for building a callback_update on it, and
        "method". A copy also has the "text" it copied. A document has "document" (the Document
        Telegram answered with: file_name, mime_type, file_id, ...) instead of the upload, and
        the file's bytes as "content"; a text file's contents are also its "text", so a scan of
        the chat sees what Telegram keeps of it.
        """
        with self._cond:
            return [copy.deepcopy(m) for m in self._delivered_to(chat_id)]

    def _delivered_to(self, chat_id: Optional[int]) -> list[dict]:
        if chat_id is None:
            return list(self._delivered)
        return [m for m in self._delivered if str(m.get("chat_id")) == str(chat_id)]

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 30) -> list[dict]:
        """Block until at least `count` messages were delivered to `chat_id`; return them all."""
        with self._cond:
            if self._cond.wait_for(lambda: len(self._delivered_to(chat_id)) >= count, timeout):
                return [copy.deepcopy(m) for m in self._delivered_to(chat_id)]
            seen = [m.get("text") for m in self._delivered_to(chat_id)]
            raise AssertionError(
                f"expected {count} message(s) to chat {chat_id} within {timeout}s, "
                f"got {len(seen)}: {seen!r}\n{self._summary()}"
            )

    def wait_for_call(self, method: str, timeout: float = 30, *, since: int = 0) -> dict:
        """Block until `method` was called; return the params of its first call.

        `since` skips calls before that index of `calls` (take ``len(fake.calls)`` beforehand to
        wait for a new call).
        """
        def first() -> Optional[dict]:
            return next((p for name, p in self.calls[since:] if name == method), None)

        with self._cond:
            if self._cond.wait_for(lambda: first() is not None, timeout):
                return first()
            raise AssertionError(f"{method} was not called within {timeout}s\n{self._summary()}")

    def _summary(self) -> str:
        calls = [name for name, _ in self.calls if name != "getUpdates"]
        polls = len(self.calls) - len(calls)
        errors = [f"{name} -> {code} {description}" for name, _, code, description in self.errors]
        return f"calls (besides {polls} getUpdates): {calls}\nerrors: {errors}"

    def queue_update(self, update: dict) -> dict:
        """Queue an update for getUpdates (update_id assigned if missing); returns it."""
        update = self._register(update)
        with self._cond:
            if update["update_id"] < self._confirmed_offset:
                raise ValueError(f"update_id {update['update_id']} was already confirmed "
                                 f"(offset {self._confirmed_offset}); Telegram's ids only grow")
            self._updates.append(update)
            self._updates.sort(key=lambda u: u["update_id"])
            self._cond.notify_all()
        self._wake_pollers()
        return update

    def _register(self, update: dict) -> dict:
        """Give `update` an update_id if needed, and learn its chats and callback query ids."""
        update = dict(update)
        if "update_id" in update:
            _note_update_id(update["update_id"])
        else:
            update["update_id"] = next_update_id()
        payload = update[update_type(update)]
        with self._cond:
            if isinstance(payload, dict):
                message = payload.get("message", payload)
                if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                    self._chats[message["chat"]["id"]] = message["chat"]
                if update_type(update) == "callback_query":
                    self._callback_ids.add(str(payload["id"]))
        return update

    def fail_next(self, method: str, times: int = 1, retry_after: int = 1, *,
                  status: int = 429, chat_id: Optional[int] = None) -> None:
        """Make the next `times` calls of `method` (to `chat_id` only, if given) fail.

        status 429: Too Many Requests with `retry_after`; 500: Telegram's own JSON error;
        502, 503, 504: the HTML error page of the proxy in front of the Bot API; 0: the
        connection is dropped without an answer.
        """
        if status not in (0, 429, 500, 502, 503, 504):
            raise ValueError(f"unsupported failure status {status}")
        key = (method.lower(), None if chat_id is None else str(chat_id))
        with self._cond:
            self._failures[key] = [times, retry_after, status]

    def _failure_for(self, method: str, params: dict) -> Optional[tuple[int, int]]:
        """(status, retry_after) if this call is to fail; counts it. Call with _cond held."""
        for key in ((method.lower(), str(params.get("chat_id"))), (method.lower(), None)):
            failure = self._failures.get(key)
            if failure and failure[0] > 0:
                failure[0] -= 1
                return failure[2], failure[1]
        return None

    def post_update(self, update: dict, url: Optional[str] = None,
                    secret: Union[str, None, bool] = None,
                    timeout: float = 30) -> tuple[int, str]:
        """Deliver `update` the way Telegram calls a webhook; returns (status, body).

        Goes to `url`, else to the URL set by setWebhook. The secret header carries `secret` if
        it is a string, nothing if it is False, and otherwise the secret_token of setWebhook.
        This blocks, so the receiving server must not run on the calling thread's event loop.
        """
        update = self._register(update)
        webhook = self.webhook or {}
        target = url or webhook.get("url")
        if not target:
            raise AssertionError(f"no webhook is set and no url was given\n{self._summary()}")
        if isinstance(secret, str):
            token: Optional[str] = secret
        elif secret is False:
            token = None
        else:
            token = webhook.get("secret_token")
        headers = {"Content-Type": "application/json"}
        if token:
            headers[SECRET_HEADER] = token
        request = urllib.request.Request(target, data=json.dumps(update).encode(),
                                         headers=headers, method="POST")
        # No proxies: an HTTP_PROXY in the environment must not capture 127.0.0.1.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    # ------------------------------------------------------------------------ HTTP layer

    async def _handle(self, request: web.Request) -> web.Response:
        match = PATH_RE.match(request.path)
        if match is None:
            return self._error_response(ApiError(404, "Not Found"))
        token, method = match.groups()
        if token != self.token:
            return self._error_response(ApiError(401, "Unauthorized"))
        name = self._canonical.get(method.lower(), method)
        try:
            params = _normalise(await self._read_params(request))
        except ApiError as error:
            return self._record_error(name, {}, error)

        with self._cond:
            self.calls.append((name, params))
            failure = self._failure_for(method, params)
            self._cond.notify_all()

        if failure is not None and failure[0] != 429:
            return self._fail(request, name, params, failure[0])
        try:
            if failure is not None:
                retry_after = failure[1]
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                               {"retry_after": retry_after})
            handler = self._methods.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            return self._record_error(name, params, error)
        except Exception as error:  # a bug in the fake: make it loud, not a hang
            return self._record_error(name, params, ApiError(500, f"Fake server error: {error!r}"))

        body: dict[str, Any] = {"ok": True}
        if isinstance(result, _Described):
            body.update(result=result.result, description=result.description)
        else:
            body["result"] = result
        return web.json_response(body)

    @staticmethod
    async def _read_params(request: web.Request) -> dict:
        """Query parameters, overridden by a JSON, urlencoded or multipart body."""
        params: dict[str, Any] = dict(request.query)
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            params.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded",
                                      "multipart/form-data"):
            for key, value in (await request.post()).items():
                # An uploaded file: its name, type and bytes.
                params[key] = value if isinstance(value, str) else {
                    "filename": value.filename, "content_type": value.content_type,
                    "content": value.file.read()}
        return params

    def _fail(self, request: web.Request, method: str, params: dict,
              status: int) -> web.Response:
        """A failure that is not the Bot API's answer to the request (see fail_next)."""
        if status == 500:  # the Bot API's own JSON
            return self._record_error(method, params, ApiError(500, "Internal Server Error"))
        with self._cond:
            self.errors.append((method, params, status, "dropped" if status == 0 else "proxy"))
            self._cond.notify_all()
        if status == 0:
            if request.transport is not None:
                request.transport.close()  # the client sees the connection go, no answer
            return web.Response(status=500)
        reason = {502: "Bad Gateway", 503: "Service Temporarily Unavailable",
                  504: "Gateway Time-out"}[status]
        page = (f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
                f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/1.18.0"
                f"</center>\r\n</body>\r\n</html>\r\n")
        return web.Response(status=status, text=page, content_type="text/html")

    def _record_error(self, method: str, params: dict, error: ApiError) -> web.Response:
        with self._cond:
            self.errors.append((method, params, error.code, error.description))
            self._cond.notify_all()
        return self._error_response(error)

    @staticmethod
    def _error_response(error: ApiError) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": error.code,
                                "description": error.description}
        if error.parameters:
            body["parameters"] = error.parameters
        return web.json_response(body, status=error.code)

    # --------------------------------------------------------------------------- methods

    def _get_me(self, params: dict) -> dict:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), self.max_poll_timeout)
        with self._cond:
            if self.webhook is not None:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                    "active; use deleteWebhook to delete the webhook first")
            if "allowed_updates" in params:  # otherwise the previous setting stays
                allowed = params["allowed_updates"]
                if not isinstance(allowed, list):
                    raise bad_request("can't parse allowed updates")
                self._allowed_updates = list(allowed) or None
            self._confirm(offset)
            self._poll_generation += 1
            generation = self._poll_generation
        self._wakeup.set()  # an older pending poll must now end with 409

        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            # Clearing before checking cannot lose a wake-up: both run on this loop's thread,
            # and _wake_pollers() only sets the event from there too.
            self._wakeup.clear()
            with self._cond:
                if self._closing:
                    return []
                if generation != self._poll_generation:
                    raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                        "make sure that only one bot instance is running")
                if self.webhook is not None:
                    raise ApiError(409, "Conflict: terminated by setWebhook request")
                self._updates = [u for u in self._updates if self._is_allowed(u)]
                ready = [copy.deepcopy(u) for u in self._updates[:limit]]
            remaining = deadline - asyncio.get_running_loop().time()
            if ready or remaining <= 0:
                return ready
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def _confirm(self, offset: int) -> None:
        """Forget confirmed updates, and updates of types the bot did not ask for (Telegram
        does not even create those)."""
        if offset > 0:
            self._confirmed_offset = max(self._confirmed_offset, offset)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:  # -N: only the last N updates are kept, all earlier ones forgotten
            self._updates = self._updates[offset:]
            if self._updates:
                self._confirmed_offset = self._updates[0]["update_id"]
        self._updates = [u for u in self._updates if self._is_allowed(u)]

    def _is_allowed(self, update: dict) -> bool:
        if self._allowed_updates:
            return update_type(update) in self._allowed_updates
        return update_type(update) not in NOT_SENT_BY_DEFAULT

    def _set_webhook(self, params: dict) -> _Described:
        url = params.get("url") or ""
        if not url:  # an empty url removes the webhook, as documented
            return self._delete_webhook(params)
        secret = params.get("secret_token") or None
        if secret is not None and not SECRET_TOKEN_RE.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters"
                              if len(str(secret)) <= 256 else "secret token is too long")
        allowed = params.get("allowed_updates")
        if allowed is not None and not isinstance(allowed, list):
            raise bad_request("can't parse allowed updates")
        webhook = {
            "url": url,
            "secret_token": secret,
            "allowed_updates": allowed,
            "drop_pending_updates": bool(params.get("drop_pending_updates")),
            "max_connections": int(params.get("max_connections") or 40),
        }
        with self._cond:
            already = self.webhook is not None and self.webhook["url"] == url
            self.webhook = webhook
            if allowed is not None:
                self._allowed_updates = list(allowed) or None
            if webhook["drop_pending_updates"]:
                self._updates.clear()
            self._cond.notify_all()
        self._wakeup.set()  # a pending getUpdates ends with 409
        return _Described(True, "Webhook is already set" if already else "Webhook was set")

    def _delete_webhook(self, params: dict) -> _Described:
        with self._cond:
            existed = self.webhook is not None
            self.webhook = None
            if params.get("drop_pending_updates"):
                self._updates.clear()
            self._cond.notify_all()
        return _Described(True, "Webhook was deleted" if existed else "Webhook is already deleted")

    def _get_webhook_info(self, params: dict) -> dict:
        with self._cond:
            info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                    "pending_update_count": len(self._updates)}
            if self.webhook is not None:
                info.update(url=self.webhook["url"], ip_address="127.0.0.1",
                            max_connections=self.webhook["max_connections"])
                if self.webhook["allowed_updates"] is not None:
                    info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _chat_for(self, chat_id: Any) -> dict:
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        with self._cond:
            known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if isinstance(chat_id, int):
            return {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        return {"id": chat_id, "type": "channel"}  # "@channelusername"

    def _visible_text(self, params: dict) -> str:
        text = params.get("text")
        text = "" if text is None else str(text)
        parse_mode = params.get("parse_mode")
        if parse_mode:
            if str(parse_mode).lower() not in ("html", "markdown", "markdownv2"):
                raise bad_request("unsupported parse_mode")
            if str(parse_mode).lower() == "html":
                text = _html_to_text(text)
        # Telegram trims surrounding whitespace before checking and storing the text.
        text = text.strip()
        if not text:
            raise bad_request("message text is empty")
        if len(text) > MAX_MESSAGE_LENGTH:
            raise bad_request("message is too long")
        return text

    def _check_member(self, chat: dict) -> None:
        with self._cond:
            left = chat["id"] in self.left_chats
        if left:
            kind = "supergroup chat" if chat.get("type") == "supergroup" else "group chat"
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")

    def _send_message(self, params: dict) -> dict:
        chat = self._chat_for(params.get("chat_id"))
        self._check_member(chat)
        text = self._visible_text(params)
        markup = _check_reply_markup(params.get("reply_markup"))
        message: dict[str, Any] = {"message_id": next_message_id(), "from": dict(self.bot_user),
                                   "chat": chat, "date": _now(), "text": text}
        if _inline_markup(markup):
            message["reply_markup"] = _inline_markup(markup)
        with self._cond:
            self._messages[(params["chat_id"], message["message_id"])] = message
            self._delivered.append({**params, "message_id": message["message_id"],
                                    "method": "sendMessage"})
            self._cond.notify_all()
        return copy.deepcopy(message)

    def _send_document(self, params: dict) -> dict:
        chat = self._chat_for(params.get("chat_id"))
        self._check_member(chat)
        upload = params.get("document")
        if isinstance(upload, dict):  # a multipart upload
            content = upload.get("content") or b""
            if not content:
                raise bad_request("file must be non-empty")
            n = next_message_id()
            document = {"file_name": upload.get("filename") or "document",
                        "mime_type": upload.get("content_type") or "application/octet-stream",
                        "file_id": f"BQACAgIAAxkBAAI{n:08d}fakeDocument",
                        "file_unique_id": f"AgAD{n:08d}d", "file_size": len(content)}
            with self._cond:
                self._files[document["file_id"]] = {**document, "content": content}
        elif isinstance(upload, str) and upload in self._files:  # a file_id sent before
            document = {k: v for k, v in self._files[upload].items() if k != "content"}
            content = self._files[upload]["content"]
        elif upload in (None, ""):
            raise bad_request("there is no document in the request")
        else:
            raise bad_request("wrong remote file identifier specified: Wrong string length")
        caption = str(params.get("caption") or "").strip()
        if len(caption) > 1024:
            raise bad_request("message caption is too long")
        markup = _check_reply_markup(params.get("reply_markup"))
        message: dict[str, Any] = {"message_id": next_message_id(), "from": dict(self.bot_user),
                                   "chat": chat, "date": _now(), "document": document}
        if caption:
            message["caption"] = caption
        if _inline_markup(markup):
            message["reply_markup"] = _inline_markup(markup)
        sent = {**{k: v for k, v in params.items() if k != "document"},
                "document": dict(document), "content": content,
                "message_id": message["message_id"], "method": "sendDocument"}
        if document["mime_type"].startswith("text/"):
            sent["text"] = content.decode("utf-8", errors="replace")
        with self._cond:
            self._messages[(params["chat_id"], message["message_id"])] = message
            self._delivered.append(sent)
            self._cond.notify_all()
        return copy.deepcopy(message)

    def _copy_message(self, params: dict) -> dict:
        chat = self._chat_for(params.get("chat_id"))
        self._check_member(chat)
        self._chat_for(params.get("from_chat_id"))
        if not params.get("message_id"):
            raise bad_request("message identifier is not specified")
        with self._cond:
            original = self._messages.get((params["from_chat_id"], params["message_id"]))
        if original is None:
            raise bad_request("message to copy not found")
        markup = _check_reply_markup(params.get("reply_markup"))
        message = {key: copy.deepcopy(value) for key, value in original.items()
                   if key in ("text", "document", "caption", "entities")}
        message.update(message_id=next_message_id(), **{"from": dict(self.bot_user)},
                       chat=chat, date=_now())
        if _inline_markup(markup):
            message["reply_markup"] = _inline_markup(markup)
        sent = {**params, "message_id": message["message_id"], "method": "copyMessage"}
        if "text" in original:
            sent["text"] = original["text"]
        with self._cond:
            self._messages[(params["chat_id"], message["message_id"])] = message
            self._delivered.append(sent)
            self._cond.notify_all()
        return {"message_id": message["message_id"]}

    def _leave_chat(self, params: dict) -> bool:
        chat = self._chat_for(params.get("chat_id"))
        if chat.get("type") == "private":
            raise bad_request("chat member status can't be changed in private chats")
        self._check_member(chat)
        with self._cond:
            self.left_chats.add(chat["id"])
        return True

    def _send_chat_action(self, params: dict) -> bool:
        self._chat_for(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _answer_callback_query(self, params: dict) -> bool:
        with self._cond:
            known = str(params.get("callback_query_id", "")) in self._callback_ids
        if not known:
            raise bad_request("query is too old and response timeout expired or query ID is "
                              "invalid")
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    def _message_to_edit(self, params: dict) -> Optional[dict]:
        """The stored Message being edited, or None for one this fake did not send."""
        if "inline_message_id" in params:
            return None
        self._chat_for(params.get("chat_id"))
        if not params.get("message_id"):
            raise bad_request("message identifier is not specified")
        with self._cond:
            return self._messages.get((params["chat_id"], params["message_id"]))

    def _edited(self, params: dict, message: Optional[dict], **changes: Any) -> Union[dict, bool]:
        """Apply `changes` (None values remove the key) and return what Telegram returns."""
        if "inline_message_id" in params:
            return True  # edits of inline-mode messages return True
        if message is None:
            # A message this fake never sent (e.g. built by callback_update): its content is
            # unknown, so accept any edit.
            message = {"message_id": params["message_id"], "from": dict(self.bot_user),
                       "chat": self._chat_for(params["chat_id"]), "date": _now()}
        elif {key: message.get(key) for key in changes} == changes:
            raise bad_request("message is not modified: specified new message content and reply "
                              "markup are exactly the same as a current content and reply markup "
                              "of the message")
        with self._cond:
            for key, value in changes.items():
                if value is None:
                    message.pop(key, None)
                else:
                    message[key] = value
            message["edit_date"] = _now()
        return copy.deepcopy(message)

    def _edit_message_reply_markup(self, params: dict) -> Union[dict, bool]:
        markup = _inline_markup(_check_reply_markup(params.get("reply_markup")))
        return self._edited(params, self._message_to_edit(params), reply_markup=markup)

    def _edit_message_text(self, params: dict) -> Union[dict, bool]:
        text = self._visible_text(params)
        markup = _inline_markup(_check_reply_markup(params.get("reply_markup")))
        return self._edited(params, self._message_to_edit(params), text=text, reply_markup=markup)

    def _delete_message(self, params: dict) -> bool:
        self._chat_for(params.get("chat_id"))
        with self._cond:
            self._messages.pop((params.get("chat_id"), params.get("message_id")), None)
        return True

    def _set_my_commands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        self.commands = commands
        return True

    def _delete_my_commands(self, params: dict) -> bool:
        self.commands = []
        return True
