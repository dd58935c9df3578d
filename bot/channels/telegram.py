"""Telegram, by webhook (a server with a public URL) or long polling (a laptop).

``credentials.yml`` names :class:`TelegramInput`; it is on when ``TELEGRAM_TOKEN`` is set.
Why not Rasa's own connector: it calls getMe on every update, its ``verify`` is not
authentication, it cannot start without reaching api.telegram.org, it re-raises errors
so Telegram redelivers the same update forever, and it ignores stickers and photos.
Here:

* Webhook mode (``TELEGRAM_WEBHOOK_URL`` set): registers the webhook with a
  ``secret_token`` and refuses (403) any update whose
  ``X-Telegram-Bot-Api-Secret-Token`` header does not match. An accepted update is
  answered at once and handled after.
* Polling mode (no webhook URL): a background task reads getUpdates, so
  ``TELEGRAM_TOKEN=… make run`` works with no public address. Each batch is confirmed as
  soon as it is queued, and the next one asked for at once.
* Chats are handled concurrently, each in its own order (:class:`ChatLanes`): one chat
  waiting out a 429 or a slow answer never holds up another.
* The Bot API base URL is configurable (``TELEGRAM_API_URL``): self-hosted Bot API
  servers, and the tests' fake one. Sends are tried again after 429s, 5xx answers and
  lost connections (:mod:`bot.channels.telegram_api`).
* Each update is handled once (by ``update_id``); an error is logged without the
  person's words and answered kindly, and the update is acknowledged, never retried.
* Buttons become inline keyboards. A press counts only for a button of the latest
  question in that chat (:class:`Questions`); any other (an old keyboard, callback data
  never sent) gets a kind word and the current question again, and never reaches Rasa.
  When the person types instead, the keyboards on screen are taken away.
* Commands: ``/start`` (``/start CODE``, a deep link ``t.me/<bot>?start=CODE``, links
  accounts with that code), ``/help``, ``/drafts``, ``/privacy`` (answered here),
  ``/delete`` (delete all my data, asked first) and ``/cancel`` (stop the current step).
  A photo's caption is read as text; stickers, voice and edits get a short reply.
* The drafts export arrives as a Markdown file (sendDocument), not as a text message.
* Group chats get one refusal with a link to a private chat, and the bot leaves them:
  drafts are private.
* Each Telegram user has a budget of updates (``STEADY_SESSION_LIMIT``; :mod:`bot.limits`):
  one over it is not handed to Rasa, and the person is asked to slow down and send it
  again. Telegram delivers every user's updates from its own few addresses, so there is
  no per-address limit on deliveries (it would slow everyone at once); instead an address
  that keeps sending webhook requests with a wrong secret gets 429 for a while
  (``STEADY_ADDRESS_LIMIT``).
* Messages reach Rasa through :func:`bot.channels.handed_by`: only ``tg-…`` conversations.

Nothing a person writes is logged or kept here: the record of each chat's latest question
holds message ids and the bot's own buttons only.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from collections import OrderedDict, deque
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Deque, Dict, List, Optional, Set, Text, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import partner, privacy
from bot.channels import client_address, handed_by
from bot.channels.telegram_api import BotAPI, TelegramError, split_text
from bot.config import (
    FloodSettings,
    TelegramSettings,
    load_flood_settings,
    load_settings,
    load_telegram_settings,
    public_page,
)
from bot.limits import SLOW_DOWN, Budget, FloodGuard
from bot.review import format_export

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates request open
CALLBACK_DATA_BYTES = 64  # Telegram's limit for a button's callback_data
MAX_PENDING = 1000  # updates queued at most before polling waits (webhook: 429, redelivered)
DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what Telegram allows in ?start=…
LINK_CODE = re.compile(r"[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}")  # how Steady's codes look

# Commands, the intent each one means, and how Telegram's command menu describes them.
# /privacy is answered here, without Rasa: the short version of what Steady stores.
COMMANDS = {
    "/start": "/greet",
    "/help": "/help",
    "/drafts": "/show_drafts",
    "/loved": "/feel_loved",
    "/routines": "/routines",
    "/delete": "/delete_all_data",
    "/cancel": "/stop",
}
PRIVACY_COMMAND = "/privacy"
PARTNER_COMMAND = "/partner"  # the page for the partner (bot/partner.py), also answered here
MENU = {
    "start": "begin",
    "help": "what I can do",
    "drafts": "my saved drafts",
    "loved": "what helps me feel loved",
    "routines": "routines we agree on",
    "privacy": "what I keep, and how to delete it",
    "partner": "for your partner: what helps",
    "delete": "delete all my data (I ask first)",
    "cancel": "stop what we're doing",
}

# The bot's drafts export (bot.review.format_export) starts with this line's beginning.
EXPORT_HEADING = format_export([]).split("(exported", 1)[0] + "(exported "

REPLIES = {
    "group": (
        "I only talk one to one, because what people tell me is private, so I'm leaving this "
        "group. Message me directly: {where}"
    ),
    "not_text": (
        "I can only read text, so I couldn't take that in. Could you tell me in words what "
        "happened? Even a few words are enough."
    ),
    "edited": (
        "I see you edited a message. I work with what you send, so if you'd like to change "
        "something, just send it again."
    ),
    "unknown_command": (
        "I know /start, /help, /drafts, /loved, /routines, /privacy, /partner, /delete and "
        "/cancel. Or just tell me what happened."
    ),
    "error": (
        "Sorry, something went wrong on my side and I couldn't answer that. Nothing you saved "
        "is lost. Please try again in a moment."
    ),
    "stale": "That button is from an earlier step.",
    "stale_unknown": (
        'That button is from an earlier step. Please type your answer instead, or say "help".'
    ),
    "choices": "Here's where we are now:",
    "cancelled": "Okay, I've stopped that. Tell me what happened whenever you like.",
    "privacy_here": "Here, /delete does that too (I ask first).",
    "partner_share": (
        "You can forward this to your partner, or share the page: {where}. "
        "It holds nothing about you."
    ),
    "partner_forward": "You can forward this to your partner: it holds nothing about you.",
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


def is_export(text: str) -> bool:
    """Whether a reply is the drafts export (bot.review.format_export)."""
    return text.startswith(EXPORT_HEADING)


def export_filename(moment: Optional[datetime] = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return f"steady-drafts-{moment:%Y-%m-%d}.md"


def link_code_from(payload: str) -> Optional[str]:
    """The text to type into the link form for a deep-link payload, or None if it is not one.

    Steady's codes (``ABCD-EFGH``) travel in a link as ``ABCDEFGH`` or ``ABCD-EFGH``; they
    are handed on as a person would type them. Any other payload Telegram allows is handed
    on as it is (the link form says when it does not match)."""
    if not DEEP_LINK.fullmatch(payload):
        return None
    if LINK_CODE.fullmatch(payload):
        plain = payload.replace("-", "").upper()
        return f"{plain[:4]}-{plain[4:]}"
    return payload


class Questions:
    """Per chat: the bot's latest question, and the keyboards that go with it.

    A "turn" is the bot's answer to one message handed to Rasa. Its keyboards are the only
    buttons a press may come from; the last text message of the turn is the question asked
    again after a press on anything else. Kept: message ids and the bot's own buttons (titles
    and payloads), at most ``per_chat`` keyboards for at most ``chats`` chats, the least
    recently active forgotten first. Never anything the person wrote.
    """

    def __init__(self, chats: int = 5_000, per_chat: int = 8) -> None:
        self.chats = chats
        self.per_chat = per_chat
        # chat id -> (message id of the question or None, {message id: keyboard})
        self._turns: "OrderedDict[Any, Tuple[Optional[int], OrderedDict]]" = OrderedDict()

    def _turn(self, chat_id: Any) -> Tuple[Optional[int], "OrderedDict[int, dict]"]:
        if chat_id in self._turns:
            self._turns.move_to_end(chat_id)
            return self._turns[chat_id]
        turn: Tuple[Optional[int], OrderedDict] = (None, OrderedDict())
        self._turns[chat_id] = turn
        if len(self._turns) > self.chats:
            self._turns.popitem(last=False)
        return turn

    def new_turn(self, chat_id: Any) -> List[int]:
        """A new message goes to Rasa: forget the old turn; returns its keyboards' messages."""
        _, keyboards = self._turns.pop(chat_id, (None, OrderedDict()))
        self._turn(chat_id)
        return list(keyboards)

    def sent(
        self, chat_id: Any, message_id: Any, keyboard: Optional[dict] = None, question: bool = True
    ) -> None:
        """The bot sent message ``message_id`` in this turn (with ``keyboard``, if any)."""
        if not isinstance(message_id, int):
            return
        last, keyboards = self._turn(chat_id)
        if keyboard and keyboard.get("inline_keyboard"):
            keyboards[message_id] = keyboard
            while len(keyboards) > self.per_chat:
                keyboards.popitem(last=False)
        self._turns[chat_id] = (message_id if question else last, keyboards)

    def accepts(self, chat_id: Any, message_id: Any, data: Any) -> bool:
        """Whether ``data`` is a button of this turn's keyboard on message ``message_id``."""
        if chat_id not in self._turns or not isinstance(data, str):
            return False
        keyboard = self._turns[chat_id][1].get(message_id)
        return keyboard is not None and data in _callback_data(keyboard)

    def current(self, chat_id: Any) -> Optional[Tuple[int, Optional[dict]]]:
        """The question to ask again (message id, its keyboard), if known."""
        last = self._turns[chat_id][0] if chat_id in self._turns else None
        if last is None:
            return None
        _, keyboards = self._turn(chat_id)
        return last, keyboards.get(last)

    def keyboards(self, chat_id: Any) -> List[int]:
        return list(self._turns[chat_id][1]) if chat_id in self._turns else []

    def moved(self, chat_id: Any, old_id: int, new_id: int) -> None:
        """The question ``old_id`` was sent again as ``new_id``: its buttons live there now."""
        last, keyboards = self._turn(chat_id)
        keyboard = keyboards.pop(old_id, None)
        if keyboard is not None:
            keyboards[new_id] = keyboard
        self._turns[chat_id] = (new_id if last == old_id else last, keyboards)


def _callback_data(keyboard: dict) -> Set[str]:
    return {
        button.get("callback_data") for row in keyboard.get("inline_keyboard", []) for button in row
    }


class TelegramOutput(OutputChannel):
    """Sends Rasa's responses to one private chat, as plain text (never parsed as markup);
    notes in ``questions`` what it asked, and counts what it sent."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def __init__(self, api: BotAPI, chat_id: int, questions: Optional[Questions] = None) -> None:
        self.api = api
        self.chat_id = chat_id
        self.questions = questions
        self.count = 0

    async def _send(self, text: str, keyboard: Optional[dict] = None) -> None:
        message = await self.api.send_message(self.chat_id, text, reply_markup=keyboard)
        self.count += 1
        if self.questions is not None and isinstance(message, dict):
            self.questions.sent(self.chat_id, message.get("message_id"), keyboard)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        if is_export(text) and await self._send_export(text):
            return
        for part in split_text(text):
            await self._send(part)

    async def _send_export(self, text: str) -> bool:
        """The export as a Markdown file; False (send it as text) if Telegram won't take it."""
        try:
            message = await self.api.send_document(
                self.chat_id, export_filename(), text.encode(), "text/markdown"
            )
        except TelegramError as error:
            logger.warning(
                "Telegram sendDocument failed (%s); sending the export as text", error.code
            )
            return False
        self.count += 1
        if self.questions is not None and isinstance(message, dict):
            self.questions.sent(self.chat_id, message.get("message_id"), question=False)
        return True

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        parts = split_text(text) or ["…"]
        for part in parts[:-1]:
            await self._send(part)
        await self._send(parts[-1], inline_keyboard(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send(image)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        logger.debug("Telegram: custom JSON responses are not supported; skipped")


class QuietOutput(OutputChannel):
    """Takes Rasa's responses and shows none: for the steps a deep link takes on its way."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        return None

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        return None


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


class ChatLanes:
    """One queue per chat: each chat's items in order, different chats at the same time.

    ``submit`` returns at once; a task per busy chat works through that chat's queue and
    ends when it is empty. ``room`` waits while more than ``max_pending`` items wait.
    """

    def __init__(
        self, work: Callable[[Any], Awaitable[None]], max_pending: int = MAX_PENDING
    ) -> None:
        self.work = work
        self.max_pending = max_pending
        self.pending = 0
        self._lanes: Dict[Any, Deque[Any]] = {}
        self._tasks: Set[asyncio.Task] = set()
        self._changed = asyncio.Event()

    @property
    def full(self) -> bool:
        return self.pending >= self.max_pending

    def submit(self, key: Any, item: Any) -> None:
        self.pending += 1
        lane = self._lanes.get(key)
        if lane is not None:
            lane.append(item)
            return
        self._lanes[key] = deque([item])
        task = asyncio.get_running_loop().create_task(self._run(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: Any) -> None:
        lane = self._lanes[key]
        try:
            while lane:
                item = lane.popleft()
                try:
                    await self.work(item)
                except Exception as error:  # noqa: BLE001 - the lane must go on
                    logger.error("Telegram: handling an update failed: %s", type(error).__name__)
                finally:
                    self.pending -= 1
                    self._changed.set()
        finally:
            if self._lanes.get(key) is lane:
                del self._lanes[key]
                self.pending -= len(lane)  # only when cancelled with items left
            self._changed.set()

    async def room(self) -> None:
        while self.full:
            self._changed.clear()
            await self._changed.wait()

    async def idle(self) -> None:
        """Until every queued item has been handled."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def close(self, timeout: float) -> None:
        """Let what is under way finish (up to ``timeout`` seconds), then stop."""
        if self._tasks:
            _, unfinished = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in unfinished:
                task.cancel()


def _sender_of(update: dict) -> Optional[dict]:
    for key in ("message", "edited_message", "callback_query"):
        if isinstance(update.get(key), dict) and isinstance(update[key].get("from"), dict):
            return update[key]["from"]
    return None


def _chat_of(update: dict) -> Optional[dict]:
    for key in ("message", "edited_message"):
        if isinstance(update.get(key), dict):
            chat = update[key].get("chat")
            return chat if isinstance(chat, dict) else None
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("message"), dict):
        chat = query["message"].get("chat")
        return chat if isinstance(chat, dict) else None
    return None


class UpdateHandler:
    """Turns Telegram Updates into messages for Rasa, each chat in order. Never raises."""

    def __init__(
        self,
        api: BotAPI,
        on_new_message: OnNewMessage,
        flood: Optional[FloodGuard] = None,
        max_pending: int = MAX_PENDING,
    ) -> None:
        self.api = api
        self.on_new_message = handed_by(CHANNEL, on_new_message)
        self.recent = RecentIds()
        self.flood = flood
        self.questions = Questions()
        self.left_groups = RecentIds()  # group chats refused (and left) already
        self.bot_username: Optional[str] = None
        self.max_pending = max_pending
        self._lanes: Optional[ChatLanes] = None

    @property
    def lanes(self) -> ChatLanes:
        if self._lanes is None:  # made on the server's event loop, on first use
            self._lanes = ChatLanes(self._process, self.max_pending)
        return self._lanes

    def submit(self, update: Dict[str, Any]) -> None:
        """Queue ``update`` behind the earlier ones of its chat; returns at once."""
        update_id = update.get("update_id")
        if not isinstance(update_id, int) or not self.recent.first_time(update_id):
            return
        chat = _chat_of(update) or {}
        admitted, notice = self._within_budget(update, chat)
        key = chat.get("id", (_sender_of(update) or {}).get("id"))
        if admitted:
            self.lanes.submit(key, (update, True))
        elif notice:  # said now, not after what is queued: it is about this very message
            self.lanes.submit(("slow down", key), (update, False))

    async def handle(self, update: Dict[str, Any]) -> None:
        """Submit ``update`` and wait until everything queued is handled (for tests)."""
        self.submit(update)
        await self.lanes.idle()

    def _within_budget(self, update: Dict[str, Any], chat: dict) -> Tuple[bool, bool]:
        """(may this user send another update now, should they be told they may not)."""
        who = (_sender_of(update) or {}).get("id", chat.get("id"))
        if self.flood is None or who is None:
            return True, False
        verdict = self.flood.admit(sender_for(who))
        return verdict.admitted, bool(verdict.notice) and chat.get("type") == "private"

    async def _process(self, item: Tuple[Dict[str, Any], bool]) -> None:
        update, admitted = item
        chat = _chat_of(update) or {}
        chat_id = chat.get("id")
        if not admitted:
            await self._reply(chat_id, SLOW_DOWN)
            return
        try:
            await self._dispatch(update, chat)
        except Exception as error:  # noqa: BLE001 - one bad update must not stop the rest
            # Type only: an exception message could carry the person's words.
            logger.error(
                "Telegram update %s failed: %s",
                update.get("update_id"),
                type(error).__name__,
                exc_info=logger.isEnabledFor(logging.DEBUG),
            )
            if chat_id is not None and chat.get("type") == "private":
                await self._reply(chat_id, REPLIES["error"])

    async def _reply(self, chat_id: Any, text: str, keyboard: Optional[dict] = None) -> Any:
        try:
            return await self.api.send_message(chat_id, text, reply_markup=keyboard)
        except TelegramError as error:
            logger.warning("Telegram reply failed: %s", error)
            return None

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
            await self._refuse_group(chat["id"])
            return
        chat_id, user_id = chat["id"], sender.get("id", chat["id"])
        text = message.get("text")
        if not isinstance(text, str):
            text = message.get("caption")  # a photo (or file) with words under it
        if not isinstance(text, str) or not text.strip():
            await self._reply(chat_id, REPLIES["not_text"])
            return
        if text.startswith("/"):
            await self._command(text, user_id, chat_id)
            return
        await self._typed(text, user_id, chat_id)

    async def _command(self, text: str, user_id: Any, chat_id: int) -> None:
        words = text.split(maxsplit=1)
        command = words[0].split("@")[0].lower() if words else "/"
        argument = words[1].strip() if len(words) > 1 else ""
        if command == PRIVACY_COMMAND:
            await self._reply(
                chat_id, privacy.as_text(load_settings()) + "\n\n" + REPLIES["privacy_here"]
            )
            return
        if command == PARTNER_COMMAND:
            await self._reply(chat_id, partner.as_text())
            page = public_page(PARTNER_COMMAND)
            await self._reply(
                chat_id,
                REPLIES["partner_share"].format(where=page) if page else REPLIES["partner_forward"],
            )
            return
        code = link_code_from(argument) if command == "/start" and argument else None
        if code:
            await self._deep_link(code, user_id, chat_id)
            return
        if command not in COMMANDS:
            await self._reply(chat_id, REPLIES["unknown_command"])
            return
        output = await self._typed(COMMANDS[command], user_id, chat_id)
        if command == "/cancel" and output.count == 0:
            await self._reply(chat_id, REPLIES["cancelled"])  # some steps end without a word

    async def _deep_link(self, code: str, user_id: Any, chat_id: int) -> None:
        """``/start CODE``: account linking, as if the person had said "I have a code" and
        typed it. Whatever step was under way is stopped first, so the code cannot be taken
        as the answer to it; the replies to those two steps are not shown."""
        await self._clear_keyboards(chat_id)
        quiet = QuietOutput()
        await self._to_rasa("/stop", user_id, chat_id, quiet)
        await self._to_rasa("/have_link_code", user_id, chat_id, quiet)
        await self._to_rasa(code, user_id, chat_id)

    async def _typed(self, text: str, user_id: Any, chat_id: int) -> TelegramOutput:
        """The person wrote something: the buttons on screen are of no use any more."""
        await self._clear_keyboards(chat_id)
        return await self._to_rasa(text, user_id, chat_id)

    async def _clear_keyboards(self, chat_id: int) -> None:
        for message_id in self.questions.new_turn(chat_id):
            await self._remove_keyboard(chat_id, message_id)

    async def _remove_keyboard(self, chat_id: int, message_id: Any) -> None:
        if not isinstance(message_id, int):
            return
        try:
            await self.api.remove_keyboard(chat_id, message_id)
        except TelegramError as error:  # e.g. already removed: "message is not modified"
            logger.debug("Telegram could not remove a keyboard: %s", error.code)

    async def _button_pressed(self, query: dict, chat: dict) -> None:
        try:
            await self.api.answer_callback_query(str(query.get("id")))  # stops the spinner
        except TelegramError as error:
            logger.warning("Telegram answerCallbackQuery failed: %s", error)
        if chat.get("type") != "private":
            if "id" in chat:
                await self._refuse_group(chat["id"])
            return
        chat_id = chat["id"]
        message_id = (query.get("message") or {}).get("message_id")
        data = query.get("data")
        if not isinstance(data, str) or not self.questions.accepts(chat_id, message_id, data):
            await self._stale_press(chat_id, message_id)
            return
        # The choice is made: this turn's buttons should not be pressed again.
        await self._clear_keyboards(chat_id)
        await self._to_rasa(data, (query.get("from") or {}).get("id", chat_id), chat_id)

    async def _stale_press(self, chat_id: int, pressed: Any) -> None:
        """A press on an old keyboard, or data the bot never sent: say so, ask again."""
        if pressed not in self.questions.keyboards(chat_id):
            await self._remove_keyboard(chat_id, pressed)  # it cannot be used any more
        current = self.questions.current(chat_id)
        if current is None:  # e.g. after a restart: nothing to ask again
            await self._reply(chat_id, REPLIES["stale_unknown"])
            return
        await self._reply(chat_id, REPLIES["stale"])
        question, keyboard = current
        try:  # Telegram still has the question: ask for a copy, so we need not keep its words
            copied = await self.api.copy_message(chat_id, chat_id, question, reply_markup=keyboard)
            new_id = (copied or {}).get("message_id")
        except TelegramError as error:
            logger.info("Telegram could not copy the current question (%s)", error.code)
            if keyboard is None:
                return
            sent = await self._reply(chat_id, REPLIES["choices"], keyboard)
            new_id = (sent or {}).get("message_id")
        if isinstance(new_id, int):
            self.questions.moved(chat_id, question, new_id)
            if keyboard is not None:  # one live keyboard for the question: the new one
                await self._remove_keyboard(chat_id, question)

    async def _refuse_group(self, chat_id: int) -> None:
        """Once per group: why not here, where to talk instead; then leave."""
        if self.left_groups.first_time(chat_id):
            username = await self._username()
            where = f"https://t.me/{username}" if username else "open my profile and press Start."
            await self._reply(chat_id, REPLIES["group"].format(where=where))
        try:  # again for each update that was already on its way: it costs little
            await self.api.leave_chat(chat_id)
        except TelegramError as error:  # 403: left already
            (logger.info if error.code == 403 else logger.warning)(
                "Telegram leaveChat failed: %s", error.code
            )

    async def _username(self) -> Optional[str]:
        if self.bot_username is None:
            try:
                me = await self.api.get_me()
                self.bot_username = (me or {}).get("username") or None
            except TelegramError as error:
                logger.warning("Telegram getMe failed: %s", error.code)
        return self.bot_username

    async def _to_rasa(
        self, text: str, user_id: Any, chat_id: int, output: Optional[OutputChannel] = None
    ) -> Any:
        if output is None:
            output = TelegramOutput(self.api, chat_id, self.questions)
            try:
                await self.api.send_typing(chat_id)
            except TelegramError:
                pass  # cosmetic
        await self.on_new_message(
            UserMessage(
                text,
                output,
                sender_for(user_id),
                input_channel=CHANNEL,
            )
        )
        return output


class Poller:
    """Long polling with getUpdates: each batch is queued per chat and confirmed at once."""

    def __init__(self, api: BotAPI, handler: UpdateHandler, timeout: int = POLL_TIMEOUT) -> None:
        self.api = api
        self.handler = handler
        self.timeout = timeout

    async def run(self) -> None:
        await self._drop_webhook()
        offset: Optional[int] = None
        backoff = 1.0
        while True:
            await self.handler.lanes.room()  # a bounded backlog, not an endless one
            try:
                updates = await self.api.get_updates(offset, self.timeout, ALLOWED_UPDATES)
                backoff = 1.0
            except TelegramError as error:
                if error.code == 401:
                    logger.error(
                        "Telegram refused the bot token (401); polling stopped. "
                        "Check TELEGRAM_TOKEN."
                    )
                    return
                if error.code == 409:  # a webhook is set: polling and webhooks exclude each other
                    await self._drop_webhook()
                    continue
                wait = float(error.retry_after or backoff)
                backoff = min(backoff * 2, 60.0)
                logger.warning("Telegram getUpdates failed (%s); retrying in %.0f s", error, wait)
                await asyncio.sleep(wait)
                continue
            ids = [
                update["update_id"]
                for update in updates or []
                if isinstance(update, dict) and isinstance(update.get("update_id"), int)
            ]
            for update in updates or []:
                if isinstance(update, dict):
                    self.handler.submit(update)
            if ids:
                offset = max(ids) + 1

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
        self.handler: Optional[UpdateHandler] = None
        self._tasks: List[asyncio.Task] = []

    def get_output_channel(self) -> Optional[OutputChannel]:
        return None  # a reply needs a chat id, which only an update gives

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("steady_telegram", __name__)
        settings = self.settings
        handler: Optional[UpdateHandler] = None
        if settings.token:  # settings.enabled
            self.api = BotAPI(settings.token, settings.api_url)
            handler = self.handler = UpdateHandler(
                self.api, on_new_message, FloodGuard(self.flood.per_session, None)
            )
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
                return response.json(
                    {"ok": False, "description": "Too Many Requests"},
                    status=429,
                    headers={"Retry-After": "10"},
                )
            given = request.headers.get(SECRET_HEADER, "")
            if settings.webhook_secret is None:  # load_telegram_settings derives one from the token
                raise RuntimeError("Telegram webhook mode without a webhook secret")
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
            if handler.lanes.full:  # Telegram delivers it again later: nothing is lost
                return response.json(
                    {"ok": False, "description": "Too Many Requests"},
                    status=429,
                    headers={"Retry-After": "5"},
                )
            handler.submit(update)  # answered now, handled after
            return response.json({"ok": True})

        @bp.listener("after_server_start")
        async def start(app: Any, loop: asyncio.AbstractEventLoop) -> None:
            if handler is None:
                return
            self._tasks.append(loop.create_task(self._introduce()))
            self._tasks.append(loop.create_task(self._deliver_checkins(handler.api)))
            if settings.mode == "polling":
                self._tasks.append(loop.create_task(Poller(handler.api, handler).run()))
                logger.info("Telegram: polling %s for updates", settings.api_url)
            else:
                self._tasks.append(loop.create_task(self._register_webhook()))

        @bp.listener("before_server_stop")
        async def stop(app: Any, loop: asyncio.AbstractEventLoop) -> None:
            for task in self._tasks:
                task.cancel()
            if handler is not None:
                await handler.lanes.close(timeout=5.0)  # replies under way still go out
            if self.api is not None:
                await self.api.close()

        return bp

    async def _deliver_checkins(self, api: BotAPI) -> None:
        """Check-ins that come back, sent at their time (``bot.channels.checkins``)."""
        from bot.channels.checkins import Courier, interval, keep_delivering
        from bot.channels.web_drafts import shared_store

        async def send(record: Any, text: str) -> None:
            chat_id = int(record.user_id[len("tg-") :])
            for part in split_text(text):
                await api.send_message(chat_id, part)

        def temporary(error: Exception) -> bool:
            return not isinstance(error, (TelegramError, ValueError)) or (
                isinstance(error, TelegramError) and error.temporary
            )

        await keep_delivering(Courier(shared_store), CHANNEL, send, temporary, interval())

    async def _introduce(self) -> None:
        """Once at start: the command menu, and the bot's username for links to it."""
        if self.api is None:  # started by blueprint() only when Telegram is on
            raise RuntimeError("Telegram is off: there is no bot to introduce")
        try:
            await self.api.set_my_commands(MENU)
        except TelegramError as error:
            logger.warning("Telegram setMyCommands failed: %s", error)
        if self.handler is not None:
            await self.handler._username()

    async def _register_webhook(self) -> None:
        """Tell Telegram where to deliver updates; keep trying while the Bot API is unreachable."""
        api, url, secret = self.api, self.settings.webhook_url, self.settings.webhook_secret
        if api is None or url is None or secret is None:  # started in webhook mode only
            raise RuntimeError("Telegram webhook mode without a bot, a webhook URL or a secret")
        delay = 5.0
        while True:
            try:
                await api.set_webhook(url, secret, ALLOWED_UPDATES)
                logger.info("Telegram: webhook registered")
                return
            except TelegramError as error:
                if error.code in (400, 401, 404):
                    logger.error("Telegram refused the webhook (%s); not retrying", error)
                    return
                logger.warning("Telegram setWebhook failed (%s); retrying in %.0f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 300.0)
