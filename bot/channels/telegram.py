"""Telegram, by webhook (a server with a public URL) or long polling (a laptop).

``credentials.yml`` names :class:`TelegramInput`; it is on when ``TELEGRAM_TOKEN`` is set.
Why not Rasa's own connector: it calls getMe on every update, its ``verify`` is not
authentication, it cannot start without reaching api.telegram.org, it re-raises errors
so Telegram redelivers the same update forever, and it ignores stickers and photos.
Here:

* Webhook mode (``TELEGRAM_WEBHOOK_URL`` set): registers the webhook with a
  ``secret_token`` and refuses (403) any update whose
  ``X-Telegram-Bot-Api-Secret-Token`` header does not match.
* Polling mode (no webhook URL): a background task reads getUpdates, so
  ``TELEGRAM_TOKEN=… make run`` works with no public address.
* The Bot API base URL is configurable (``TELEGRAM_API_URL``): self-hosted Bot API
  servers, and the tests' fake one.
* Each update is handled once (by ``update_id``); an error is logged without the
  person's words and answered kindly, and the update is acknowledged, never retried.
* Buttons become inline keyboards; presses are answered and their keyboard removed.
  ``/start``, ``/help``, ``/drafts`` and ``/privacy`` work; stickers, photos, voice and
  edits get a short reply; group chats are politely refused, because drafts are private.
* Each Telegram user has a budget of updates (``STEADY_SESSION_LIMIT``; :mod:`bot.limits`):
  one over it is not handed to Rasa, and the person is asked to slow down and send it
  again. Telegram delivers every user's updates from its own few addresses, so there is
  no per-address limit on deliveries (it would slow everyone at once); instead an address
  that keeps sending webhook requests with a wrong secret gets 429 for a while
  (``STEADY_ADDRESS_LIMIT``).
* Messages reach Rasa through :func:`bot.channels.handed_by`: only ``tg-…`` conversations.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
from collections import OrderedDict, defaultdict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import privacy
from bot.channels import client_address, handed_by
from bot.channels.telegram_api import BotAPI, TelegramError, split_text
from bot.config import (FloodSettings, TelegramSettings, load_flood_settings, load_settings,
                        load_telegram_settings)
from bot.limits import SLOW_DOWN, Budget, FloodGuard

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates request open
CALLBACK_DATA_BYTES = 64  # Telegram's limit for a button's callback_data

# Commands, the intent each one means, and how Telegram's command menu describes them.
# /privacy is answered here, without Rasa: the short version of what Steady stores.
COMMANDS = {"/start": "/greet", "/help": "/help", "/drafts": "/show_drafts"}
PRIVACY_COMMAND = "/privacy"
MENU = {"start": "begin", "help": "what I can do", "drafts": "my saved drafts",
        "privacy": "what I keep, and how to delete it"}

REPLIES = {
    "group": (
        "I only talk one to one, because what people tell me is private. Message me "
        "directly: open my profile and press Start."
    ),
    "not_text": (
        "I can only read text, so I couldn't take that in. Could you tell me in words what "
        "happened? Even a few words are enough."
    ),
    "edited": (
        "I see you edited a message. I work with what you send, so if you'd like to change "
        "something, just send it again."
    ),
    "unknown_command": "I know /start, /help, /drafts and /privacy. Or just tell me what happened.",
    "error": (
        "Sorry, something went wrong on my side and I couldn't answer that. Nothing you saved "
        "is lost. Please try again in a moment."
    ),
}

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def sender_for(user_id: Any) -> str:
    """The conversation id of a Telegram user (prefixed: tracker ids are shared by channels)."""
    return f"tg-{user_id}"


def inline_keyboard(buttons: List[Dict[Text, Any]]) -> dict:
    """One button per row (titles are short sentences); the payload rides in callback_data."""
    rows = []
    for button in buttons:
        data = str(button.get("payload") or button["title"])
        if len(data.encode()) > CALLBACK_DATA_BYTES:
            data = button["title"].encode()[:CALLBACK_DATA_BYTES].decode(errors="ignore")
        rows.append([{"text": button["title"], "callback_data": data}])
    return {"inline_keyboard": rows}


class TelegramOutput(OutputChannel):
    """Sends Rasa's responses to one private chat, as plain text (never parsed as markup)."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def __init__(self, api: BotAPI, chat_id: int) -> None:
        self.api = api
        self.chat_id = chat_id

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(text):
            await self.api.send_message(self.chat_id, part)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        parts = split_text(text) or ["…"]
        for part in parts[:-1]:
            await self.api.send_message(self.chat_id, part)
        await self.api.send_message(self.chat_id, parts[-1], reply_markup=inline_keyboard(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self.api.send_message(self.chat_id, image)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        logger.debug("Telegram: custom JSON responses are not supported; skipped")


class RecentIds:
    """The last ``size`` update ids seen, to handle a redelivered update only once."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ids: "OrderedDict[int, None]" = OrderedDict()

    def first_time(self, update_id: int) -> bool:
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


def _sender_of(update: dict) -> Optional[dict]:
    for key in ("message", "edited_message", "callback_query"):
        if isinstance(update.get(key), dict) and isinstance(update[key].get("from"), dict):
            return update[key]["from"]
    return None


def _chat_of(update: dict) -> Optional[dict]:
    for key in ("message", "edited_message"):
        if isinstance(update.get(key), dict):
            return update[key].get("chat")
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("message"), dict):
        return query["message"].get("chat")
    return None


class UpdateHandler:
    """Turns one Telegram Update into (at most) one message for Rasa. Never raises."""

    def __init__(self, api: BotAPI, on_new_message: OnNewMessage,
                 flood: Optional[FloodGuard] = None) -> None:
        self.api = api
        self.on_new_message = handed_by(CHANNEL, on_new_message)
        self.recent = RecentIds()
        self.flood = flood

    async def handle(self, update: Dict[str, Any]) -> None:
        update_id = update.get("update_id")
        if not isinstance(update_id, int) or not self.recent.first_time(update_id):
            return
        chat = _chat_of(update) or {}
        chat_id = chat.get("id")
        if not await self._within_budget(update, chat):
            return
        try:
            await self._dispatch(update, chat)
        except Exception as error:  # noqa: BLE001 - one bad update must not stop the rest
            # Type only: an exception message could carry the person's words.
            logger.error("Telegram update %s failed: %s", update_id, type(error).__name__,
                         exc_info=logger.isEnabledFor(logging.DEBUG))
            if chat_id is not None and chat.get("type") == "private":
                await self._reply(chat_id, REPLIES["error"])

    async def handle_batch(self, updates: List[Dict[str, Any]]) -> None:
        """In order within each chat; different chats in parallel."""
        by_chat: Dict[Any, List[dict]] = defaultdict(list)
        for update in updates:
            by_chat[(_chat_of(update) or {}).get("id")].append(update)

        async def in_order(chat_updates: List[dict]) -> None:
            for update in chat_updates:
                await self.handle(update)

        await asyncio.gather(*(in_order(chat_updates) for chat_updates in by_chat.values()))

    async def _within_budget(self, update: Dict[str, Any], chat: dict) -> bool:
        """Whether this user may send another update now; if not, tell them once."""
        who = (_sender_of(update) or {}).get("id", chat.get("id"))
        if self.flood is None or who is None:
            return True
        verdict = self.flood.admit(sender_for(who))
        if not verdict.admitted and verdict.notice and chat.get("type") == "private":
            await self._reply(chat["id"], SLOW_DOWN)
        return verdict.admitted

    async def _reply(self, chat_id: int, text: str) -> None:
        try:
            await self.api.send_message(chat_id, text)
        except TelegramError as error:
            logger.warning("Telegram reply failed: %s", error)

    async def _dispatch(self, update: Dict[str, Any], chat: dict) -> None:
        query = update.get("callback_query")
        if isinstance(query, dict):
            await self._button_pressed(query, chat)
            return
        edited = update.get("edited_message")
        if isinstance(edited, dict):
            if chat.get("type") == "private":
                await self._reply(chat["id"], REPLIES["edited"])
            return
        message = update.get("message")
        if not isinstance(message, dict) or "id" not in chat:
            return  # an update kind we did not ask for
        sender = message.get("from") or {}
        if sender.get("is_bot"):
            return
        if chat.get("type") != "private":
            await self._reply(chat["id"], REPLIES["group"])
            return
        text = message.get("text")
        if not isinstance(text, str):
            await self._reply(chat["id"], REPLIES["not_text"])
            return
        if text.startswith("/"):
            command = text.split()[0].split("@")[0].lower() if text.strip() else "/"
            if command == PRIVACY_COMMAND:
                await self._reply(chat["id"], privacy.as_text(load_settings()))
                return
            if command not in COMMANDS:
                await self._reply(chat["id"], REPLIES["unknown_command"])
                return
            text = COMMANDS[command]
        await self._to_rasa(text, sender.get("id", chat["id"]), chat["id"])

    async def _button_pressed(self, query: dict, chat: dict) -> None:
        try:
            await self.api.answer_callback_query(str(query.get("id")))  # stops the spinner
        except TelegramError as error:
            logger.warning("Telegram answerCallbackQuery failed: %s", error)
        if chat.get("type") != "private":
            if "id" in chat:
                await self._reply(chat["id"], REPLIES["group"])
            return
        message_id = (query.get("message") or {}).get("message_id")
        if message_id is not None:
            try:  # the choice is made: old buttons should not be pressed twice
                await self.api.remove_keyboard(chat["id"], message_id)
            except TelegramError as error:
                logger.debug("Telegram could not remove a keyboard: %s", error)
        data = query.get("data")
        if isinstance(data, str) and data:
            await self._to_rasa(data, (query.get("from") or {}).get("id", chat["id"]), chat["id"])

    async def _to_rasa(self, text: str, user_id: Any, chat_id: int) -> None:
        try:
            await self.api.send_typing(chat_id)
        except TelegramError:
            pass  # cosmetic
        await self.on_new_message(UserMessage(
            text, TelegramOutput(self.api, chat_id), sender_for(user_id), input_channel=CHANNEL,
        ))


class Poller:
    """Long polling with getUpdates: the offset confirms what was handled."""

    def __init__(self, api: BotAPI, handler: UpdateHandler, timeout: int = POLL_TIMEOUT) -> None:
        self.api = api
        self.handler = handler
        self.timeout = timeout

    async def run(self) -> None:
        await self._drop_webhook()
        offset: Optional[int] = None
        backoff = 1.0
        while True:
            try:
                updates = await self.api.get_updates(offset, self.timeout, ALLOWED_UPDATES)
                backoff = 1.0
            except TelegramError as error:
                if error.code == 401:
                    logger.error("Telegram refused the bot token (401); polling stopped. "
                                 "Check TELEGRAM_TOKEN.")
                    return
                if error.code == 409:  # a webhook is set: polling and webhooks exclude each other
                    await self._drop_webhook()
                    continue
                wait = float(error.retry_after or backoff)
                backoff = min(backoff * 2, 60.0)
                logger.warning("Telegram getUpdates failed (%s); retrying in %.0f s", error, wait)
                await asyncio.sleep(wait)
                continue
            if updates:
                await self.handler.handle_batch(updates)
                offset = max(update["update_id"] for update in updates) + 1

    async def _drop_webhook(self) -> None:
        try:
            await self.api.delete_webhook()
        except TelegramError as error:
            logger.warning("Telegram deleteWebhook failed: %s", error)


class TelegramInput(InputChannel):
    """See the module docstring. Settings come from the environment (bot.config)."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(load_telegram_settings(), load_flood_settings())

    def __init__(self, settings: TelegramSettings, flood: Optional[FloodSettings] = None) -> None:
        self.settings = settings
        self.flood = flood or load_flood_settings()
        self.api: Optional[BotAPI] = None
        self._task: Optional[asyncio.Task] = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        return None  # a reply needs a chat id, which only an update gives

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("steady_telegram", __name__)
        settings = self.settings
        handler: Optional[UpdateHandler] = None
        if settings.enabled:
            self.api = BotAPI(settings.token, settings.api_url)
            handler = UpdateHandler(self.api, on_new_message,
                                    FloodGuard(self.flood.per_session, None))
        # Addresses that sent a wrong secret, and how many more they may send.
        refusals = Budget(self.flood.per_address) if self.flood.per_address else None

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "mode": settings.mode})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if handler is None or settings.mode != "webhook":
                return response.json({"ok": False, "description": "Telegram is off"}, status=404)
            address = client_address(request)
            if refusals is not None and not refusals.has_room(address):
                return response.json({"ok": False, "description": "Too Many Requests"},
                                     status=429, headers={"Retry-After": "10"})
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), settings.webhook_secret.encode()):
                if refusals is not None:
                    refusals.take(address)
                return response.json({"ok": False, "description": "Forbidden"}, status=403)
            try:
                update = request.json
            except Exception:  # noqa: BLE001 - Sanic raises its own error for bad JSON
                update = None
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return response.json({"ok": False, "description": "Not an Update"}, status=400)
            await handler.handle(update)
            return response.json({"ok": True})

        @bp.listener("after_server_start")
        async def start(app: Any, loop: asyncio.AbstractEventLoop) -> None:
            if handler is None:
                return
            loop.create_task(self._set_menu())
            if settings.mode == "polling":
                self._task = loop.create_task(Poller(self.api, handler).run())
                logger.info("Telegram: polling %s for updates", settings.api_url)
            else:
                self._task = loop.create_task(self._register_webhook())

        @bp.listener("before_server_stop")
        async def stop(app: Any, loop: asyncio.AbstractEventLoop) -> None:
            if self._task is not None:
                self._task.cancel()
            if self.api is not None:
                await self.api.close()

        return bp

    async def _set_menu(self) -> None:
        try:
            await self.api.set_my_commands(MENU)
        except TelegramError as error:
            logger.warning("Telegram setMyCommands failed: %s", error)

    async def _register_webhook(self) -> None:
        """Tell Telegram where to deliver updates; keep trying while the Bot API is unreachable."""
        delay = 5.0
        while True:
            try:
                await self.api.set_webhook(self.settings.webhook_url, self.settings.webhook_secret,
                                           ALLOWED_UPDATES)
                logger.info("Telegram: webhook registered")
                return
            except TelegramError as error:
                if error.code in (400, 401, 404):
                    logger.error("Telegram refused the webhook (%s); not retrying", error)
                    return
                logger.warning("Telegram setWebhook failed (%s); retrying in %.0f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 300.0)
